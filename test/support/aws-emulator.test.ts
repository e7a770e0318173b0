import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
} from '@aws-sdk/client-ecr';
import { ACCOUNT, emulator, client, start, stop, failure } from './aws-emulator-ecr-client.ts';

/** The emulator is only as good as its likeness to ECR: every case here goes through the real SDK client. */

afterEach(stop);

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
