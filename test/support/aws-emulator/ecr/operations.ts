import {
  TAG_MUTABILITY_SETTINGS,
  digestOf,
  manifestMediaType,
  parseManifest,
  storeImage,
  tagIsImmutable,
  type EcrImage,
  type EcrRepository,
  type EcrState,
  type TagMutabilitySetting,
} from './state.ts';
import {
  AwsServiceError,
  epochSeconds,
  type AwsService,
  type JsonObject,
  type RequestContext,
} from '../core/protocol.ts';

/**
 * Amazon ECR's API (2015-09-21) as build-push uses it, answering as ECR does: field names, error
 * types and messages, `failures` rather than errors in the batch calls, epoch-second timestamps.
 */

const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PAGE_MAX = 1000;

export function ecrService(state: EcrState): AwsService {
  /** The repository a request names, in its registry (default: the caller's). */
  const repositoryOf = (input: JsonObject): EcrRepository => {
    const name = requiredString(input, 'repositoryName');
    const registryId = registryOf(input);
    const repository = state.repository(name, registryId);
    if (!repository) {
      throw new AwsServiceError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
      );
    }
    return repository;
  };
  const registryOf = (input: JsonObject): string => optionalString(input, 'registryId') ?? state.accountId;
  const describe = (repository: EcrRepository, context: RequestContext): JsonObject =>
    describeRepository(
      repository,
      registryHost(state, repository.registryId, context.region),
      context.region,
    );

  return {
    name: 'ecr',
    targetPrefix: 'AmazonEC2ContainerRegistry_V20150921.',
    serverErrorType: 'ServerException',
    operations: {
      GetAuthorizationToken: (input, context) => {
        // Deprecated by AWS (one token now opens every registry the caller may use), still honoured.
        const registryIds = optionalStringList(input, 'registryIds') ?? [state.accountId];
        const token = Buffer.from(`${state.username}:${state.password}`).toString('base64');
        return {
          authorizationData: registryIds.map((registryId) => ({
            authorizationToken: token,
            expiresAt: epochSeconds(new Date(Date.now() + TOKEN_LIFETIME_MS)),
            proxyEndpoint: state.registryUrl ?? `https://${registryHost(state, registryId, context.region)}`,
          })),
        };
      },

      CreateRepository: (input, context) => {
        const name = requiredString(input, 'repositoryName');
        if (!REPOSITORY_NAME.test(name)) {
          throw new AwsServiceError(
            'InvalidParameterException',
            "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression " +
              "'(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''",
          );
        }
        const registryId = registryOf(input);
        if (state.repository(name, registryId)) {
          throw new AwsServiceError(
            'RepositoryAlreadyExistsException',
            `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
          );
        }
        const scanning = optionalObject(input, 'imageScanningConfiguration');
        const repository = state.addRepository(name, {
          registryId,
          ...mutabilityOf(input, 'MUTABLE'),
          scanOnPush: scanning?.scanOnPush === true,
        });
        return { repository: describe(repository, context) };
      },

      DescribeRepositories: (input, context) => {
        const names = optionalStringList(input, 'repositoryNames');
        const registryId = registryOf(input);
        const repositories = names
          ? names.map((name) => repositoryOf({ repositoryName: name, registryId }))
          : [...state.repositories.values()].filter((repository) => repository.registryId === registryId);
        const page = paginate(repositories, input);
        return {
          repositories: page.items.map((repository) => describe(repository, context)),
          ...page.next,
        };
      },

      DescribeImages: (input) => {
        const repository = repositoryOf(input);
        const ids = optionalObjectList(input, 'imageIds');
        let images: EcrImage[];
        if (ids) {
          images = ids.map((id) => {
            const image = findImage(repository, id);
            if (image.found) return image.found;
            throw new AwsServiceError(
              'ImageNotFoundException',
              `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
                `does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
            );
          });
        } else {
          const tagStatus = optionalObject(input, 'filter')?.tagStatus ?? 'ANY';
          images = [...repository.images.values()].filter((image) => {
            const tagged = tagsOf(repository, image.digest).length > 0;
            return tagStatus === 'ANY' || (tagStatus === 'TAGGED') === tagged;
          });
        }
        const page = paginate([...new Set(images)], input);
        return { imageDetails: page.items.map((image) => imageDetail(repository, image)), ...page.next };
      },

      BatchGetImage: (input) => {
        const repository = repositoryOf(input);
        const accepted = optionalStringList(input, 'acceptedMediaTypes');
        const images: JsonObject[] = [];
        const failures: JsonObject[] = [];
        for (const id of optionalObjectList(input, 'imageIds') ?? []) {
          const { found, failureCode, failureReason } = findImage(repository, id);
          // A registry answers a manifest of a type the client does not accept with "not found".
          if (found && (!accepted || accepted.includes(found.mediaType))) {
            images.push(
              imageOf(repository, found, typeof id.imageTag === 'string' ? id.imageTag : undefined),
            );
          } else {
            failures.push({
              imageId: id,
              failureCode: failureCode ?? 'ImageNotFound',
              failureReason: failureReason ?? 'Requested image not found',
            });
          }
        }
        return { images, failures };
      },

      PutImage: (input) => {
        const repository = repositoryOf(input);
        const manifest = requiredString(input, 'imageManifest');
        const mediaType = optionalString(input, 'imageManifestMediaType') ?? manifestMediaType(manifest);
        if (!parseManifest(manifest) || !mediaType) {
          throw new AwsServiceError(
            'InvalidParameterException',
            "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
          );
        }
        const digest = digestOf(manifest);
        const givenDigest = optionalString(input, 'imageDigest');
        if (givenDigest !== undefined && givenDigest !== digest) {
          throw new AwsServiceError(
            'ImageDigestDoesNotMatchException',
            `The specified digest '${givenDigest}' does not match the digest calculated for the manifest ('${digest}')`,
          );
        }
        const tag = optionalString(input, 'imageTag');
        const current = tag === undefined ? undefined : repository.tags.get(tag);
        if (current === digest || (tag === undefined && repository.images.has(digest))) {
          throw new AwsServiceError(
            'ImageAlreadyExistsException',
            `Image with digest '${digest}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the ` +
              `repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
          );
        }
        if (tag !== undefined && current !== undefined && tagIsImmutable(repository, tag)) {
          throw new AwsServiceError(
            'ImageTagAlreadyExistsException',
            `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten ` +
              'because the tag is immutable.',
          );
        }
        storeImage(repository, manifest, mediaType, tag === undefined ? [] : [tag]);
        return { image: imageOf(repository, repository.images.get(digest)!, tag) };
      },

      PutImageTagMutability: (input) => {
        const repository = repositoryOf(input);
        Object.assign(repository, mutabilityOf(input, undefined));
        return {
          registryId: repository.registryId,
          repositoryName: repository.name,
          ...mutabilityFields(repository),
        };
      },

      PutImageScanningConfiguration: (input) => {
        const repository = repositoryOf(input);
        const scanning = optionalObject(input, 'imageScanningConfiguration');
        if (!scanning) throw missing('imageScanningConfiguration');
        repository.scanOnPush = scanning.scanOnPush === true;
        return {
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
        };
      },
    },
  };
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`, or the test registry's host when there is one. */
function registryHost(state: EcrState, registryId: string, region: string): string {
  if (state.registryUrl) return new URL(state.registryUrl).host;
  return `${registryId}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

function describeRepository(repository: EcrRepository, host: string, region: string): JsonObject {
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

function mutabilityFields(repository: EcrRepository): JsonObject {
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

/** The mutability settings of CreateRepository and PutImageTagMutability, checked as ECR does. */
function mutabilityOf(
  input: JsonObject,
  fallback: TagMutabilitySetting | undefined,
): { tagMutability: TagMutabilitySetting; mutabilityExclusions: string[] } {
  const setting = optionalString(input, 'imageTagMutability') ?? fallback;
  if (setting === undefined) throw missing('imageTagMutability');
  if (!TAG_MUTABILITY_SETTINGS.includes(setting)) {
    throw new AwsServiceError(
      'InvalidParameterException',
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${TAG_MUTABILITY_SETTINGS.join(', ')}]'`,
    );
  }
  const filters = (optionalObjectList(input, 'imageTagMutabilityExclusionFilters') ?? []).map((filter) =>
    String(filter.filter),
  );
  if (setting.endsWith('_WITH_EXCLUSION') !== filters.length > 0) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'imageTagMutabilityExclusionFilters must be given with, and only with, a *_WITH_EXCLUSION imageTagMutability',
    );
  }
  return { tagMutability: setting as TagMutabilitySetting, mutabilityExclusions: filters };
}

function findImage(
  repository: EcrRepository,
  id: JsonObject,
): { found?: EcrImage; failureCode?: string; failureReason?: string } {
  const tag = typeof id.imageTag === 'string' ? id.imageTag : undefined;
  const digest = typeof id.imageDigest === 'string' ? id.imageDigest : undefined;
  if (tag === undefined && digest === undefined) {
    return {
      failureCode: 'MissingDigestAndTag',
      failureReason: 'Invalid request parameters: both tag and digest cannot be null',
    };
  }
  const tagged = tag === undefined ? undefined : repository.tags.get(tag);
  if (tag !== undefined && tagged === undefined) return {};
  if (digest !== undefined && tagged !== undefined && tagged !== digest) {
    return {
      failureCode: 'ImageTagDoesNotMatchDigest',
      failureReason: 'Invalid image digest and image tag combination',
    };
  }
  const found = repository.images.get(digest ?? tagged ?? '');
  return found ? { found } : {};
}

function tagsOf(repository: EcrRepository, digest: string): string[] {
  return [...repository.tags].filter(([, target]) => target === digest).map(([tag]) => tag);
}

function imageOf(repository: EcrRepository, image: EcrImage, tag: string | undefined): JsonObject {
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(tag !== undefined && { imageTag: tag }) },
    imageManifest: image.manifest,
    imageManifestMediaType: image.mediaType,
  };
}

function imageDetail(repository: EcrRepository, image: EcrImage): JsonObject {
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
function sizeOf(manifest: JsonObject): number {
  const parts = (manifest.layers ?? manifest.manifests ?? []) as { size?: unknown }[];
  return parts.reduce((total, part) => total + (typeof part.size === 'number' ? part.size : 0), 0);
}

/** `maxResults` / `nextToken` paging, the token being opaque to the client as ECR's is. */
function paginate<T>(items: T[], input: JsonObject): { items: T[]; next: JsonObject } {
  const maxResults = typeof input.maxResults === 'number' ? input.maxResults : PAGE_MAX;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > PAGE_MAX) {
    throw new AwsServiceError(
      'InvalidParameterException',
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and ${PAGE_MAX}'`,
    );
  }
  const token = optionalString(input, 'nextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsServiceError(
      'InvalidParameterException',
      "Invalid parameter at 'nextToken': the token is not valid",
    );
  }
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    next: end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {},
  };
}

function missing(field: string): AwsServiceError {
  return new AwsServiceError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: 'Member must not be null'`,
  );
}

function requiredString(input: JsonObject, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === '') throw missing(field);
  return value;
}

function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(field, 'a string');
  return value;
}

function optionalStringList(input: JsonObject, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidType(field, 'a list of strings');
  }
  return value;
}

function optionalObject(input: JsonObject, field: string): JsonObject | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidType(field, 'a structure');
  return value as JsonObject;
}

function optionalObjectList(input: JsonObject, field: string): JsonObject[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => item !== null && typeof item === 'object')) {
    throw invalidType(field, 'a list of structures');
  }
  return value as JsonObject[];
}

function invalidType(field: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Expected ${expected} for '${field}'`);
}
