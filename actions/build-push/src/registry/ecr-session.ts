import { ECRClient } from '@aws-sdk/client-ecr';
import { awsClientConfig } from '../../../../shared/src/aws.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { RegistryCredential } from '../credentials/auth-file.ts';
import type { ImageName } from '../image-name.ts';
import { describeExistingTag, ecrLogin, ensureRepository, type ExistingTag } from './ecr.ts';
import type { PlannedRegistry } from './registry-plan.ts';
import { isTagImmutable } from './tag-mutability.ts';

/**
 * Everything build-push asks of ECR before it builds: credentials for every ECR registry, each
 * repository present (or created when allowed), and, for immutable repositories, which of the tags
 * about to be pushed already exist there. Loaded only when an image is in ECR or `registries` names
 * ECR registries to log in to: the SDK is heavy.
 */
export interface EcrPreparation {
  credentials: RegistryCredential[];
  /** `image:tag` → what the tag already points at, for tags of immutable repositories only. */
  existingImmutableTags: Map<string, ExistingTag>;
}

export interface EcrSettings {
  push: boolean;
  awsRegion: string | undefined;
  registryIds: string[];
  createRepository: boolean;
  scanOnPush: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
}

export async function prepareEcr(
  registries: PlannedRegistry[],
  tagsByImage: Map<string, string[]>,
  settings: EcrSettings,
): Promise<EcrPreparation> {
  const credentials: RegistryCredential[] = [];
  const existingImmutableTags = new Map<string, ExistingTag>();
  for (const registry of registries) {
    const region = settings.awsRegion ?? registry.region;
    const client = new ECRClient(awsClientConfig({ region }));
    try {
      const ids = [
        ...new Set([...(registry.accountId ? [registry.accountId] : []), ...settings.registryIds]),
      ];
      for (const credential of await ecrLogin(client, ids)) {
        // An ECR-compatible endpoint (a proxy, an emulator) may name itself differently from the image host.
        credentials.push(ids.length === 0 ? { ...credential, registry: registry.host } : credential);
      }
      // Without a push the login is still needed (base images in ECR); the repositories are not.
      for (const image of settings.push ? registry.images : []) {
        const repository = await ensureRepository(client, image.repository, {
          create: settings.createRepository,
          scanOnPush: settings.scanOnPush,
          tagMutability: settings.tagMutability,
          registryId: registry.accountId,
        });
        if (repository.created) log.info(`Created ECR repository ${repository.uri}.`);
        await findExistingTags(
          client,
          image,
          tagsByImage.get(image.name) ?? [],
          repository,
          registry.accountId,
          existingImmutableTags,
        );
      }
    } finally {
      client.destroy();
    }
  }
  if (registries.length === 0 && settings.registryIds.length > 0) {
    // No image in ECR, but base images are: log in to the registries asked for, in aws-region.
    const client = new ECRClient(awsClientConfig({ region: settings.awsRegion }));
    try {
      credentials.push(...(await ecrLogin(client, settings.registryIds)));
    } finally {
      client.destroy();
    }
  }
  return { credentials, existingImmutableTags };
}

async function findExistingTags(
  client: ECRClient,
  image: ImageName,
  tags: string[],
  mutability: Parameters<typeof isTagImmutable>[0],
  registryId: string | undefined,
  found: Map<string, ExistingTag>,
): Promise<void> {
  for (const tag of tags) {
    if (!isTagImmutable(mutability, tag)) continue;
    const existing = await describeExistingTag(client, image.repository, tag, registryId);
    if (existing) found.set(`${image.name}:${tag}`, existing);
  }
}
