import { epochSeconds, type JsonObject } from '../core/protocol.ts';
import { parseManifest, type EcrImage, type EcrRepository, type EcrState } from './state.ts';

/** ECR's answers, field by field: repositories, images and image details as the API reference names them. */

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`, or the test registry's host when there is one. */
export function registryHost(state: EcrState, registryId: string, region: string): string {
  if (state.registryUrl) return new URL(state.registryUrl).host;
  return `${registryId}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export function describeRepository(repository: EcrRepository, host: string, region: string): JsonObject {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.includes('-gov-') ? 'aws-us-gov' : 'aws';
  return {
    repositoryArn: `arn:${partition}:ecr:${region}:${repository.registryId}:repository/${repository.name}`,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: `${host}/${repository.name}`,
    createdAt: epochSeconds(repository.createdAt),
    ...mutabilityFields(repository),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

export function mutabilityFields(repository: EcrRepository): JsonObject {
  return {
    imageTagMutability: repository.tagMutability,
    ...(repository.mutabilityExclusions.length > 0 && {
      imageTagMutabilityExclusionFilters: repository.mutabilityExclusions.map((filter) => ({
        filterType: 'WILDCARD',
        filter,
      })),
    }),
  };
}

export function tagsOf(repository: EcrRepository, digest: string): string[] {
  return [...repository.tags].filter(([, target]) => target === digest).map(([tag]) => tag);
}

export function imageOf(repository: EcrRepository, image: EcrImage, tag: string | undefined): JsonObject {
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(tag !== undefined && { imageTag: tag }) },
    imageManifest: image.manifest,
    imageManifestMediaType: image.mediaType,
  };
}

export function imageDetail(repository: EcrRepository, image: EcrImage): JsonObject {
  const manifest = parseManifest(image.manifest) ?? {};
  const tags = tagsOf(repository, image.digest);
  const config = manifest.config as { mediaType?: unknown } | undefined;
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    ...(tags.length > 0 && { imageTags: tags }),
    imageSizeInBytes: sizeOf(manifest),
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: image.mediaType,
    ...(typeof config?.mediaType === 'string' && { artifactMediaType: config.mediaType }),
  };
}

/** ECR reports the compressed size: the layers' sizes for an image, its manifests' for an index. */
export function sizeOf(manifest: JsonObject): number {
  const parts = (manifest.layers ?? manifest.manifests ?? []) as { size?: unknown }[];
  return parts.reduce((total, part) => total + (typeof part.size === 'number' ? part.size : 0), 0);
}
