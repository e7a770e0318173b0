import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  type ECRClientConfig,
} from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, imageIndex, imageManifest, OCI_INDEX, sha256 } from './aws-emulator/fixtures.ts';
import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws-emulator/index.ts';

/** The emulator is only as good as its likeness to ECR: every case here goes through the real SDK client. */

const ACCOUNT = '123456789012';
let emulator: AwsEmulator;
let client: ECRClient;

async function start(options: AwsEmulatorOptions = {}, config: ECRClientConfig = {}): Promise<void> {
  emulator = await startAwsEmulator(options);
  client = new ECRClient({ ...emulator.clientConfig(), ...config });
}

/** The SDK's error for a failed call: its name is the error type the emulator sent. */
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number; attempts?: number } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call succeeded');
  return error as Error & { $metadata: { httpStatusCode?: number; attempts?: number } };
}

afterEach(async () => {
  client.destroy();
  await emulator.close();
});

describe('wire format', () => {
  beforeEach(() => start());

  const post = (headers: Record<string, string>, body = '{}'): Promise<Response> =>
    fetch(emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
      body,
    });

  it('refuses a request without a SigV4 Authorization header, as AWS does', async () => {
    const response = await post({
      'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('refuses a signature scoped to another service', async () => {
    const response = await post({
      'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=ab12',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
    });
  });

  it('answers an unknown operation or service with UnknownOperationException', async () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecr/aws4_request, SignedHeaders=host, Signature=ab12';
    for (const target of ['AmazonEC2ContainerRegistry_V20150921.LaunchRockets', 'AmazonSQS.SendMessage']) {
      const response = await post({ 'x-amz-target': target, authorization });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
    }
    expect(emulator.calls.map((call) => call.service)).toEqual(['ecr', 'unknown']);
  });

  it('records what the SDK sent: service, operation and the JSON body', async () => {
    await client.send(new DescribeRepositoriesCommand({ maxResults: 5 }));
    expect(emulator.calls).toEqual([
      { service: 'ecr', operation: 'DescribeRepositories', body: { maxResults: 5 } },
    ]);
  });
});

describe('GetAuthorizationToken', () => {
  it('returns base64 user:password for the test registry, valid for 12 hours', async () => {
    await start({ ecr: { registryUrl: 'http://127.0.0.1:5000', password: 'registry-password' } });
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData).toHaveLength(1);
    const [data] = authorizationData!;
    expect(Buffer.from(data!.authorizationToken!, 'base64').toString()).toBe('AWS:registry-password');
    expect(data!.proxyEndpoint).toBe('http://127.0.0.1:5000');
    // An epoch-seconds number on the wire, a Date once the SDK has parsed it.
    const hours = (data!.expiresAt!.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it("names ECR's own host per registry id when there is no test registry", async () => {
    await start({ ecr: { accountId: '111111111111' } });
    const { authorizationData } = await client.send(
      new GetAuthorizationTokenCommand({ registryIds: ['111111111111', '222222222222'] }),
    );
    expect(authorizationData!.map((data) => data.proxyEndpoint)).toEqual([
      'https://111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      'https://222222222222.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
    const user = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':')[0];
    expect(user).toBe('AWS');
  });
});

describe('repositories', () => {
  beforeEach(() => start());

  it('creates a repository with its settings and describes it', async () => {
    const { repository } = await client.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/app',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(repository).toMatchObject({
      repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team/app`,
      registryId: ACCOUNT,
      repositoryName: 'team/app',
      repositoryUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/app`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(repository!.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(repository!.createdAt!.getTime() - Date.now())).toBeLessThan(5000);
    const { repositories } = await client.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['team/app'] }),
    );
    expect(repositories).toEqual([repository]);
  });

  it('refuses to create a repository twice, or one with an invalid name', async () => {
    emulator.ecr.addRepository('app');
    const exists = await failure(client.send(new CreateRepositoryCommand({ repositoryName: 'app' })));
    expect(exists.name).toBe('RepositoryAlreadyExistsException');
    expect(exists.message).toBe(
      `The repository with name 'app' already exists in the registry with id '${ACCOUNT}'`,
    );
    expect(exists.$metadata.httpStatusCode).toBe(400);
    const invalid = await failure(client.send(new CreateRepositoryCommand({ repositoryName: 'Team/App' })));
    expect(invalid.name).toBe('InvalidParameterException');
  });

  it('fails DescribeRepositories with RepositoryNotFoundException when a named repository is missing', async () => {
    emulator.ecr.addRepository('app');
    const error = await failure(
      client.send(new DescribeRepositoriesCommand({ repositoryNames: ['app', 'missing'] })),
    );
    expect(error.name).toBe('RepositoryNotFoundException');
    expect(error.message).toBe(
      `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    );
  });

  it('lists the repositories of a registry page by page', async () => {
    for (const name of ['a', 'b', 'c']) emulator.ecr.addRepository(`repo-${name}`);
    emulator.ecr.addRepository('elsewhere', { registryId: '999999999999' });
    const first = await client.send(new DescribeRepositoriesCommand({ maxResults: 2 }));
    expect(first.repositories!.map((repository) => repository.repositoryName)).toEqual(['repo-a', 'repo-b']);
    const second = await client.send(
      new DescribeRepositoriesCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.repositories!.map((repository) => repository.repositoryName)).toEqual(['repo-c']);
    expect(second.nextToken).toBeUndefined();
  });

  it('changes tag mutability, with exclusion filters, and scanning settings', async () => {
    emulator.ecr.addRepository('app');
    const mutability = await client.send(
      new PutImageTagMutabilityCommand({
        repositoryName: 'app',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }],
      }),
    );
    expect(mutability).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'app',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }],
    });
    const scanning = await client.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: 'app',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(scanning.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(emulator.ecr.repository('app')).toMatchObject({
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['dev-*'],
      scanOnPush: true,
    });
  });

  it('refuses exclusion filters without a *_WITH_EXCLUSION setting', async () => {
    emulator.ecr.addRepository('app');
    const error = await failure(
      client.send(
        new PutImageTagMutabilityCommand({
          repositoryName: 'app',
          imageTagMutability: 'IMMUTABLE',
          imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }],
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('fails the repository operations on a missing repository', async () => {
    const error = await failure(
      client.send(
        new PutImageTagMutabilityCommand({ repositoryName: 'missing', imageTagMutability: 'MUTABLE' }),
      ),
    );
    expect(error.name).toBe('RepositoryNotFoundException');
  });
});

describe('images', () => {
  const v1 = imageManifest('config v1');
  const v2 = imageManifest('config v2');
  beforeEach(async () => {
    await start();
    emulator.ecr.addRepository('app');
    emulator.ecr.registerImage('app', { manifest: v1, tags: ['v1', 'latest'] });
  });

  it('describes images, filtered by id or tag status', async () => {
    emulator.ecr.registerImage('app', { manifest: v2 });
    const { imageDetails } = await client.send(
      new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(imageDetails).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'app',
        imageDigest: sha256(v1),
        imageTags: ['v1', 'latest'],
        imageSizeInBytes: 1024,
        imagePushedAt: expect.any(Date),
        imageManifestMediaType: DOCKER_MANIFEST,
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      },
    ]);
    const untagged = await client.send(
      new DescribeImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageDetails!.map((image) => image.imageDigest)).toEqual([sha256(v2)]);
  });

  it('fails DescribeImages with ImageNotFoundException for a missing id', async () => {
    const error = await failure(
      client.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v9' }] })),
    );
    expect(error.name).toBe('ImageNotFoundException');
    expect(error.message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    );
  });

  it('gets manifests by tag or digest, and reports missing ones as failures', async () => {
    emulator.ecr.registerImage('app', { manifest: v2, tags: ['v2'] });
    const output = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'latest' }, { imageTag: 'v9' }, { imageDigest: sha256(v1), imageTag: 'v2' }],
      }),
    );
    expect(output.images).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'app',
        imageId: { imageDigest: sha256(v1), imageTag: 'latest' },
        imageManifest: v1,
        imageManifestMediaType: DOCKER_MANIFEST,
      },
    ]);
    expect(output.failures).toEqual([
      {
        imageId: { imageTag: 'v9' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
      {
        imageId: { imageDigest: sha256(v1), imageTag: 'v2' },
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid image digest and image tag combination',
      },
    ]);
  });

  it('treats a manifest of a type the client does not accept as not found', async () => {
    emulator.ecr.registerImage('app', { manifest: imageIndex([v1, v2]), tags: ['multi'] });
    const refused = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: [DOCKER_MANIFEST],
      }),
    );
    expect(refused.failures![0]!.failureCode).toBe('ImageNotFound');
    const accepted = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: [OCI_INDEX],
      }),
    );
    expect(accepted.images![0]!.imageManifestMediaType).toBe(OCI_INDEX);
  });

  it('puts an image and moves a tag in a mutable repository', async () => {
    const { image } = await client.send(
      new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'latest' }),
    );
    expect(image).toEqual({
      registryId: ACCOUNT,
      repositoryName: 'app',
      imageId: { imageDigest: sha256(v2), imageTag: 'latest' },
      imageManifest: v2,
      imageManifestMediaType: DOCKER_MANIFEST,
    });
    expect(emulator.ecr.imageByTag('app', 'latest')!.digest).toBe(sha256(v2));
    expect(emulator.ecr.imageByTag('app', 'v1')!.digest).toBe(sha256(v1));
  });

  it('refuses to move a tag of an immutable repository with ImageTagAlreadyExistsException', async () => {
    emulator.ecr.repository('app')!.tagMutability = 'IMMUTABLE';
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageTagAlreadyExistsException');
    expect(error.message).toBe(
      "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the tag is immutable.",
    );
    expect(emulator.ecr.imageByTag('app', 'v1')!.digest).toBe(sha256(v1));
  });

  it('lets tags matching an exclusion filter move in an IMMUTABLE_WITH_EXCLUSION repository', async () => {
    Object.assign(emulator.ecr.repository('app')!, {
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['lat*'],
    });
    await client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'latest' }));
    expect(emulator.ecr.imageByTag('app', 'latest')!.digest).toBe(sha256(v2));
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageTagAlreadyExistsException');
  });

  it('answers a repeated push of the same image and tag with ImageAlreadyExistsException', async () => {
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageAlreadyExistsException');
  });

  it('refuses a manifest without a media type, as ECR does', async () => {
    const bare = JSON.stringify({ schemaVersion: 2, config: {}, layers: [] });
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: bare, imageTag: 'x' })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('Invalid JSON syntax');
  });
});

describe('faults', () => {
  it("lets the SDK's own retries ride out two 500s", async () => {
    await start();
    emulator.faults.inject({ operation: 'GetAuthorizationToken', status: 500, times: 2 });
    const output = await client.send(new GetAuthorizationTokenCommand({}));
    expect(output.authorizationData).toHaveLength(1);
    expect(output.$metadata.attempts).toBe(3);
    expect(emulator.callsTo('GetAuthorizationToken')).toHaveLength(3);
  });

  it('retries a 429 ThrottlingException no sooner than its Retry-After', async () => {
    await start();
    emulator.faults.inject({ status: 429, errorType: 'ThrottlingException', retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const output = await client.send(new DescribeRepositoriesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(output.$metadata.attempts).toBe(2);
    expect(emulator.callsTo('DescribeRepositories')).toHaveLength(2);
  });

  it('retries after the connection is reset', async () => {
    await start();
    emulator.faults.inject({ resetConnection: true, times: 1 });
    await client.send(new DescribeRepositoriesCommand({}));
    expect(emulator.calls).toHaveLength(2);
  });

  it('surfaces the fault when the client makes one attempt', async () => {
    await start({}, { maxAttempts: 1 });
    emulator.faults.inject({ status: 503, times: 1 });
    const error = await failure(client.send(new GetAuthorizationTokenCommand({})));
    expect(error.name).toBe('ServerException');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(emulator.calls).toHaveLength(1);
  });

  it('answers late when asked to, and only the faulted operation', async () => {
    // Generous for the un-faulted call on a loaded machine, well below the injected delay.
    await start(
      {},
      { maxAttempts: 1, requestHandler: { requestTimeout: 1500, throwOnRequestTimeout: true } },
    );
    emulator.faults.inject({ operation: 'DescribeRepositories', delayMs: 5000, times: 1 });
    await client.send(new GetAuthorizationTokenCommand({}));
    const error = await failure(client.send(new DescribeRepositoriesCommand({})));
    expect(error.name).toBe('TimeoutError');
  });

  it('insists a 4xx fault other than 429 says which error it is', async () => {
    await start();
    expect(() => emulator.faults.inject({ status: 400, times: 1 })).toThrow('needs an errorType');
  });
});
