import { createHash } from 'node:crypto';

/**
 * Image references as the container runtime spells them in its messages and in `imageID`:
 * `nginx` is `docker.io/library/nginx:latest` to containerd.
 */

export function normalizeImage(image: string): string {
  const [name = '', digest] = image.split('@');
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasDomain ? name : `docker.io/${slash >= 0 ? '' : 'library/'}${name}`;
  const lastSegment = repository.slice(repository.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && digest === undefined) repository += ':latest';
  return digest === undefined ? repository : `${repository}@${digest}`;
}

/** The `imageID` a pulled image reports: its repository and a digest. */
export function imageId(image: string): string {
  const normalized = normalizeImage(image);
  if (normalized.includes('@')) return normalized;
  const repository = normalized.slice(0, normalized.lastIndexOf(':'));
  return `${repository}@sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}

/** A Go duration as the kubelet prints a back-off (`10s`, `1m20s`, `5m0s`). */
export function goDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes > 0 ? `${minutes}m${rest}s` : `${rest}s`;
}
