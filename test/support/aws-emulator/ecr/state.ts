import { createHash, randomBytes } from 'node:crypto';

/**
 * What the ECR emulator holds, and how tests seed it. Images are manifests only: the blobs live in
 * the real registry the test pushes to, so layers are not checked on PutImage as ECR would.
 */

export type TagMutabilitySetting =
  'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';

export const TAG_MUTABILITY_SETTINGS: readonly string[] = [
  'MUTABLE',
  'IMMUTABLE',
  'MUTABLE_WITH_EXCLUSION',
  'IMMUTABLE_WITH_EXCLUSION',
];

export interface EcrImage {
  digest: string;
  /** The manifest exactly as pushed: its sha256 is the digest. */
  manifest: string;
  mediaType: string;
  pushedAt: Date;
}

export interface EcrRepository {
  registryId: string;
  name: string;
  createdAt: Date;
  tagMutability: TagMutabilitySetting;
  /** Wildcard filters of the `*_WITH_EXCLUSION` settings. */
  mutabilityExclusions: string[];
  scanOnPush: boolean;
  /** By digest. */
  images: Map<string, EcrImage>;
  /** Tag → digest. */
  tags: Map<string, string>;
}

export interface RepositorySettings {
  registryId?: string;
  tagMutability?: TagMutabilitySetting;
  mutabilityExclusions?: string[];
  scanOnPush?: boolean;
}

export interface EcrOptions {
  /** Returned as every registry's `proxyEndpoint`, e.g. the test's docker-registry `http://127.0.0.1:5000`. */
  registryUrl?: string;
  /** What the authorization token decodes to; ECR's own user name is `AWS`. */
  username?: string;
  /** Default: a fresh random one, like ECR's. */
  password?: string;
  /** The caller's account, the default registry. Default: 123456789012. */
  accountId?: string;
}

export class EcrState {
  readonly accountId: string;
  readonly registryUrl: string | undefined;
  readonly username: string;
  readonly password: string;
  /** Keyed by `<registryId>/<name>`. */
  readonly repositories = new Map<string, EcrRepository>();

  constructor(options: EcrOptions = {}) {
    this.accountId = options.accountId ?? '123456789012';
    this.registryUrl = options.registryUrl?.replace(/\/+$/, '');
    this.username = options.username ?? 'AWS';
    this.password = options.password ?? randomBytes(48).toString('base64url');
  }

  /** Seeds a repository, as CreateRepository would; throws when it exists. */
  addRepository(name: string, settings: RepositorySettings = {}): EcrRepository {
    const registryId = settings.registryId ?? this.accountId;
    const key = `${registryId}/${name}`;
    if (this.repositories.has(key)) throw new Error(`the emulator already has repository ${key}`);
    const repository: EcrRepository = {
      registryId,
      name,
      createdAt: new Date(),
      tagMutability: settings.tagMutability ?? 'MUTABLE',
      mutabilityExclusions: settings.mutabilityExclusions ?? [],
      scanOnPush: settings.scanOnPush ?? false,
      images: new Map(),
      tags: new Map(),
    };
    this.repositories.set(key, repository);
    return repository;
  }

  repository(name: string, registryId: string = this.accountId): EcrRepository | undefined {
    return this.repositories.get(`${registryId}/${name}`);
  }

  /**
   * Records an image the test pushed to its registry, with its tags (moved from any image holding
   * them, whatever the repository's mutability: this is seeding, not PutImage). Returns the digest.
   */
  registerImage(
    repositoryName: string,
    image: { manifest: string | object; tags?: string[]; mediaType?: string },
    registryId: string = this.accountId,
  ): string {
    const repository = this.repository(repositoryName, registryId);
    if (!repository) throw new Error(`the emulator has no repository ${registryId}/${repositoryName}`);
    const manifest = typeof image.manifest === 'string' ? image.manifest : JSON.stringify(image.manifest);
    const mediaType = image.mediaType ?? manifestMediaType(manifest);
    if (!mediaType) throw new Error('the manifest names no mediaType: pass one');
    return storeImage(repository, manifest, mediaType, image.tags ?? []);
  }

  /** The image a tag points at, for assertions. */
  imageByTag(repositoryName: string, tag: string, registryId: string = this.accountId): EcrImage | undefined {
    const repository = this.repository(repositoryName, registryId);
    const digest = repository?.tags.get(tag);
    return digest === undefined ? undefined : repository?.images.get(digest);
  }
}

export function storeImage(
  repository: EcrRepository,
  manifest: string,
  mediaType: string,
  tags: string[],
): string {
  const digest = digestOf(manifest);
  if (!repository.images.has(digest)) {
    repository.images.set(digest, { digest, manifest, mediaType, pushedAt: new Date() });
  }
  for (const tag of tags) repository.tags.set(tag, digest);
  return digest;
}

export function digestOf(manifest: string): string {
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

/** The manifest's own `mediaType`, which Docker's and current OCI manifests carry. */
export function manifestMediaType(manifest: string): string | undefined {
  const parsed = parseManifest(manifest);
  return typeof parsed?.mediaType === 'string' ? parsed.mediaType : undefined;
}

export function parseManifest(manifest: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(manifest);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** ECR's rule, written here independently of the action's so that one cannot hide a bug in the other. */
export function tagIsImmutable(repository: EcrRepository, tag: string): boolean {
  const immutable = repository.tagMutability.startsWith('IMMUTABLE');
  const excluded = repository.mutabilityExclusions.some((filter) =>
    new RegExp(`^${filter.split('*').map(escapeRegExp).join('.*')}$`).test(tag),
  );
  return immutable !== excluded;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
