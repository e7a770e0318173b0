import { createHash } from 'node:crypto';

/** Manifests as builders push them, for seeding the ECR emulator and asserting on digests. */

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A single-platform image whose config is `config` (any text: a different text is a different image). */
export function imageManifest(config: string, mediaType: string = DOCKER_MANIFEST): string {
  const configType =
    mediaType === DOCKER_MANIFEST
      ? 'application/vnd.docker.container.image.v1+json'
      : 'application/vnd.oci.image.config.v1+json';
  const layerType =
    mediaType === DOCKER_MANIFEST
      ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
      : 'application/vnd.oci.image.layer.v1.tar+gzip';
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: configType, size: config.length, digest: sha256(config) },
    layers: [{ mediaType: layerType, size: 1024, digest: sha256(`layer of ${config}`) }],
  });
}

/** A multi-platform index over the given manifests. */
export function imageIndex(manifests: string[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: manifests.map((manifest, index) => ({
      mediaType: OCI_MANIFEST,
      size: manifest.length,
      digest: sha256(manifest),
      platform: { os: 'linux', architecture: index === 0 ? 'amd64' : 'arm64' },
    })),
  });
}
