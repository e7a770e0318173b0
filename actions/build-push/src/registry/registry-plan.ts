import type { ImageName } from '../image-name.ts';
import { parseEcrHost } from './ecr-host.ts';

/**
 * Which registries the images live in and how each is logged in to: ECR through the AWS API, any
 * other registry with the username/password inputs (or the runner's existing docker login).
 */
export interface PlannedRegistry {
  host: string;
  kind: 'ecr' | 'generic';
  images: ImageName[];
  /** From an ECR host name; undefined for an ECR-compatible endpoint named otherwise (tests, proxies). */
  accountId: string | undefined;
  region: string | undefined;
}

export function planRegistries(
  images: ImageName[],
  registryType: 'auto' | 'ecr' | 'generic',
): PlannedRegistry[] {
  const byHost = new Map<string, PlannedRegistry>();
  for (const image of images) {
    let planned = byHost.get(image.registry);
    if (!planned) {
      const ecrHost = parseEcrHost(image.registry);
      const kind = registryType === 'auto' ? (ecrHost ? 'ecr' : 'generic') : registryType;
      planned = {
        host: image.registry,
        kind,
        images: [],
        accountId: ecrHost?.accountId,
        region: ecrHost?.region,
      };
      byHost.set(image.registry, planned);
    }
    planned.images.push(image);
  }
  return [...byHost.values()];
}
