import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type AuthorizationData,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { awsActionError, awsErrorName } from '../../../../shared/src/aws.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';
import type { RegistryCredential } from '../credentials/auth-file.ts';
import type { TagMutability } from './tag-mutability.ts';

/**
 * The ECR calls build-push makes, each through the real SDK client: log in, make sure the
 * repository exists, and look up what an existing tag points at (so a re-run against an immutable
 * repository can tell "already pushed" from "a different image holds this tag").
 */

export interface EnsuredRepository extends TagMutability {
  created: boolean;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  uri: string;
}

export interface ExistingTag {
  /** The manifest (or index) digest the tag points at. */
  digest: string;
  /** The image config's digest; undefined for a multi-platform index, which has none. */
  configDigest: string | undefined;
}

/**
 * One credential per registry: the caller's own when `registryIds` is empty. ECR answers with a
 * base64 `AWS:<password>` token valid for 12 hours; both forms are masked before anything else.
 */
export async function ecrLogin(client: ECRClient, registryIds: string[]): Promise<RegistryCredential[]> {
  const operation = 'GetAuthorizationToken';
  const output = await client
    .send(new GetAuthorizationTokenCommand(registryIds.length > 0 ? { registryIds } : {}))
    .catch((error: unknown) => {
      throw awsActionError(operation, error);
    });
  const data = output.authorizationData ?? [];
  if (data.length === 0) throw new ActionError(`${operation} returned no authorization data`);
  return data.map((entry) => credentialFrom(entry, operation));
}

function credentialFrom(entry: AuthorizationData, operation: string): RegistryCredential {
  const token = entry.authorizationToken;
  maskSecret(token);
  if (!token || !entry.proxyEndpoint) {
    throw new ActionError(`${operation} returned authorization data without a token or proxy endpoint`);
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  maskSecret(password);
  if (colon <= 0 || password === '') {
    throw new ActionError(`${operation} returned a token that is not base64 of "user:password"`);
  }
  return {
    registry: entry.proxyEndpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
    username: decoded.slice(0, colon),
    password,
  };
}

/**
 * The repository, created with the given settings when it is missing and `create` allows it. The
 * settings of an existing repository are reported, never changed.
 */
export async function ensureRepository(
  client: ECRClient,
  repositoryName: string,
  options: {
    create: boolean;
    scanOnPush: boolean;
    tagMutability: 'MUTABLE' | 'IMMUTABLE';
    /** Another account's registry; default: the caller's. */
    registryId?: string;
  },
): Promise<EnsuredRepository> {
  const { registryId } = options;
  const existing = await describeRepository(client, repositoryName, registryId);
  if (existing) return summarise(existing, false);
  if (!options.create) {
    throw new ActionError(`The ECR repository "${repositoryName}" does not exist`, {
      hint: 'create it first, or set `create-repository: true` to let build-push create it',
    });
  }
  const output = await client
    .send(
      new CreateRepositoryCommand({
        repositoryName,
        registryId,
        imageTagMutability: options.tagMutability,
        imageScanningConfiguration: { scanOnPush: options.scanOnPush },
      }),
    )
    .catch((error: unknown) => {
      // Another job of the same workflow created it between our two calls: that is what we wanted.
      if (awsErrorName(error) === 'RepositoryAlreadyExistsException') return undefined;
      throw awsActionError('CreateRepository', error);
    });
  if (output) return summarise(required(output.repository, 'CreateRepository', 'repository'), true);
  const created = await describeRepository(client, repositoryName, registryId);
  if (!created) {
    throw new ActionError(`The ECR repository "${repositoryName}" was reported created but cannot be found`);
  }
  return summarise(created, false);
}

async function describeRepository(
  client: ECRClient,
  repositoryName: string,
  registryId: string | undefined,
): Promise<Repository | undefined> {
  try {
    const output = await client.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repositoryName], registryId }),
    );
    return output.repositories?.[0];
  } catch (error) {
    if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
    throw awsActionError('DescribeRepositories', error);
  }
}

function summarise(repository: Repository, created: boolean): EnsuredRepository {
  const mutability = repository.imageTagMutability ?? 'MUTABLE';
  return {
    created,
    immutable: mutability === 'IMMUTABLE' || mutability === 'IMMUTABLE_WITH_EXCLUSION',
    mutabilityExclusions: (repository.imageTagMutabilityExclusionFilters ?? []).flatMap((filter) =>
      filter.filter ? [filter.filter] : [],
    ),
    uri: required(repository.repositoryUri, 'DescribeRepositories', 'repositoryUri'),
  };
}

/** Every manifest type a build can produce: without the list, ECR may convert an index to one platform. */
const ACCEPTED_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** Failures that mean "no such tag" rather than "could not tell". */
const ABSENT = new Set(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);

/** What `tag` points at in the repository, or undefined when the tag (or the repository) does not exist. */
export async function describeExistingTag(
  client: ECRClient,
  repositoryName: string,
  tag: string,
  registryId?: string,
): Promise<ExistingTag | undefined> {
  const operation = 'BatchGetImage';
  const output = await client
    .send(
      new BatchGetImageCommand({
        repositoryName,
        registryId,
        imageIds: [{ imageTag: tag }],
        acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
      }),
    )
    .catch((error: unknown) => {
      // No repository, so no tag: the same answer as a missing tag.
      if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
      throw awsActionError(operation, error);
    });
  if (!output) return undefined;
  const failure = output.failures?.[0];
  if (failure) {
    if (ABSENT.has(failure.failureCode ?? '')) return undefined;
    throw new ActionError(
      `${operation} could not read tag "${tag}" of ${repositoryName}: ${failure.failureCode}: ${failure.failureReason}`,
    );
  }
  const image = output.images?.[0];
  if (!image) return undefined;
  return {
    digest: required(image.imageId?.imageDigest, operation, 'imageId.imageDigest'),
    configDigest: configDigestOf(required(image.imageManifest, operation, 'imageManifest'), operation),
  };
}

function configDigestOf(manifest: string, operation: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    throw new ActionError(`${operation} returned a manifest that is not JSON`);
  }
  const digest = (parsed as { config?: { digest?: unknown } } | null)?.config?.digest;
  return typeof digest === 'string' ? digest : undefined;
}

function required<T>(value: T | undefined, operation: string, field: string): T {
  if (value === undefined) throw new ActionError(`${operation} returned no ${field}`);
  return value;
}
