import { afterEach, describe, expect, it } from '@jest/globals';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  describeExistingTag,
  ecrLogin,
  ensureRepository,
} from '../../actions/build-push/src/registry/ecr.ts';
import { parseEcrHost } from '../../actions/build-push/src/registry/ecr-host.ts';
import { isTagImmutable } from '../../actions/build-push/src/registry/tag-mutability.ts';
import { awsClientConfig } from '../../shared/src/aws.ts';
import { ActionError } from '../../shared/src/errors.ts';
import { imageIndex, imageManifest, sha256 } from '../support/aws-emulator/fixtures.ts';
import {
  startAwsEmulator,
  type AwsEmulator,
  type AwsEmulatorOptions,
} from '../support/aws-emulator/index.ts';
import { capture, setEnv } from '../shared/helpers.ts';

const ACCOUNT = '123456789012';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An emulator and a client made the way the action makes it: awsClientConfig, then the real SDK. */
async function setup(
  options: AwsEmulatorOptions = {},
): Promise<{ emulator: AwsEmulator; client: ECRClient }> {
  const emulator = await startAwsEmulator(options);
  const { credentials } = emulator.clientConfig();
  const client = new ECRClient({
    ...awsClientConfig({ region: 'eu-west-1', endpoint: emulator.endpoint, maxAttempts: 2 }),
    credentials,
  });
  cleanups.push(
    () => emulator.close(),
    () => client.destroy(),
  );
  return { emulator, client };
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ActionError)) throw new Error(`expected an ActionError, got ${String(error)}`);
  return error;
}

describe('parseEcrHost', () => {
  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', { accountId: '123456789012', region: 'eu-west-1' }],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      { accountId: '123456789012', region: 'us-gov-west-1' },
    ],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { accountId: '123456789012', region: 'cn-north-1' }],
    ['123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM', { accountId: '123456789012', region: 'eu-west-1' }],
    ['12345678901.dkr.ecr.eu-west-1.amazonaws.com', undefined],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example', undefined],
    ['public.ecr.aws', undefined],
    ['ghcr.io', undefined],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com:443', undefined],
  ])('%s → %p', (host, expected) => {
    expect(parseEcrHost(host)).toEqual(expected);
  });
});

describe('ecrLogin', () => {
  it('decodes the token and masks the password and the token before returning', async () => {
    const { emulator, client } = await setup({
      ecr: { registryUrl: 'http://127.0.0.1:5000', password: 'ecr-password-for-masking' },
    });
    const stdout = capture();
    cleanups.push(() => stdout.restore());
    const credentials = await ecrLogin(client, []);
    expect(credentials).toEqual([
      { registry: '127.0.0.1:5000', username: 'AWS', password: 'ecr-password-for-masking' },
    ]);
    const token = Buffer.from('AWS:ecr-password-for-masking').toString('base64');
    expect(stdout.text()).toContain(`::add-mask::${token}\n`);
    expect(stdout.text()).toContain('::add-mask::ecr-password-for-masking\n');
    const unmasked = stdout
      .text()
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    expect(unmasked.join('\n')).not.toContain('ecr-password-for-masking');
    expect(emulator.callsTo('GetAuthorizationToken')).toEqual([
      { service: 'ecr', operation: 'GetAuthorizationToken', body: {} },
    ]);
  });

  it("logs in to other accounts' registries in one call", async () => {
    const { emulator, client } = await setup({ ecr: { password: 'ecr-password-other-accounts' } });
    const stdout = capture();
    cleanups.push(() => stdout.restore());
    const credentials = await ecrLogin(client, ['111111111111', '222222222222']);
    expect(credentials.map((credential) => credential.registry)).toEqual([
      '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
    expect(emulator.calls).toEqual([
      {
        service: 'ecr',
        operation: 'GetAuthorizationToken',
        body: { registryIds: ['111111111111', '222222222222'] },
      },
    ]);
  });

  it('refuses a token that does not decode to user:password, without quoting it', async () => {
    const { client } = await setup({ ecr: { username: 'AWS-no-password', password: '' } });
    const stdout = capture();
    cleanups.push(() => stdout.restore());
    const error = await rejection(ecrLogin(client, []));
    expect(error.message).toBe(
      'GetAuthorizationToken returned a token that is not base64 of "user:password"',
    );
    expect(stdout.text()).toContain(`::add-mask::${Buffer.from('AWS-no-password:').toString('base64')}`);
  });

  it('explains an AccessDeniedException with the credentials hint', async () => {
    const { emulator, client } = await setup();
    emulator.faults.inject({ errorType: 'AccessDeniedException', times: 1 });
    const error = await rejection(ecrLogin(client, []));
    expect(error.message).toBe(
      'GetAuthorizationToken failed: AccessDeniedException: Injected fault: AccessDeniedException',
    );
    expect(error.hint).toContain('configure credentials with aws-actions/configure-aws-credentials');
  });

  it('finds the emulator through AWS_ENDPOINT_URL_ECR and the credentials through the environment', async () => {
    const emulator = await startAwsEmulator({ ecr: { password: 'ecr-password-from-env-endpoint' } });
    cleanups.push(() => emulator.close());
    cleanups.push(
      setEnv({
        AWS_ENDPOINT_URL_ECR: emulator.endpoint,
        AWS_ENDPOINT_URL: undefined,
        AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00000',
        AWS_SECRET_ACCESS_KEY: 'environment-secret',
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_REGION: 'eu-west-1',
      }),
    );
    const client = new ECRClient(awsClientConfig({}));
    cleanups.push(() => client.destroy());
    const stdout = capture();
    cleanups.push(() => stdout.restore());
    const [credential] = await ecrLogin(client, []);
    expect(credential!.password).toBe('ecr-password-from-env-endpoint');
    expect(emulator.callsTo('GetAuthorizationToken')).toHaveLength(1);
  });
});

describe('ensureRepository', () => {
  const settings = { create: false, scanOnPush: false, tagMutability: 'MUTABLE' } as const;

  it('reports an existing repository without changing it', async () => {
    const { emulator, client } = await setup();
    emulator.ecr.addRepository('team/app', { tagMutability: 'IMMUTABLE' });
    const repository = await ensureRepository(client, 'team/app', { ...settings, create: true });
    expect(repository).toEqual({
      created: false,
      immutable: true,
      mutabilityExclusions: [],
      uri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/app`,
    });
    expect(emulator.calls.map((call) => call.operation)).toEqual(['DescribeRepositories']);
  });

  it('creates a missing repository with the requested settings', async () => {
    const { emulator, client } = await setup();
    const repository = await ensureRepository(client, 'app', {
      create: true,
      scanOnPush: true,
      tagMutability: 'IMMUTABLE',
    });
    expect(repository).toMatchObject({ created: true, immutable: true });
    expect(emulator.ecr.repository('app')).toMatchObject({ tagMutability: 'IMMUTABLE', scanOnPush: true });
    expect(emulator.callsTo('CreateRepository')[0]!.body).toEqual({
      repositoryName: 'app',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  it('fails with a hint when the repository is missing and may not be created', async () => {
    const { emulator, client } = await setup();
    const error = await rejection(ensureRepository(client, 'app', settings));
    expect(error.message).toBe('The ECR repository "app" does not exist');
    expect(error.hint).toContain('create-repository: true');
    expect(emulator.callsTo('CreateRepository')).toHaveLength(0);
  });

  it('takes a repository created by a concurrent job between its calls as success', async () => {
    const { emulator, client } = await setup();
    // The first look finds nothing; by the time of CreateRepository another job has made it.
    emulator.ecr.addRepository('app', { tagMutability: 'MUTABLE' });
    emulator.faults.inject({
      operation: 'DescribeRepositories',
      errorType: 'RepositoryNotFoundException',
      times: 1,
    });
    const repository = await ensureRepository(client, 'app', { ...settings, create: true });
    expect(repository).toMatchObject({ created: false, immutable: false });
    expect(emulator.calls.map((call) => call.operation)).toEqual([
      'DescribeRepositories',
      'CreateRepository',
      'DescribeRepositories',
    ]);
  });

  it('reports exclusion filters, which decide per tag', async () => {
    const { emulator, client } = await setup();
    emulator.ecr.addRepository('app', {
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['dev-*'],
    });
    const repository = await ensureRepository(client, 'app', settings);
    expect(repository).toMatchObject({ immutable: true, mutabilityExclusions: ['dev-*'] });
    expect(isTagImmutable(repository, 'v1.2.3')).toBe(true);
    expect(isTagImmutable(repository, 'dev-abc')).toBe(false);
  });

  it('turns other errors into one-line ActionErrors', async () => {
    const { emulator, client } = await setup();
    emulator.faults.inject({ status: 500, times: 2 });
    const error = await rejection(ensureRepository(client, 'app', settings));
    expect(error.message).toBe(
      'DescribeRepositories failed: ServerException: Injected fault: ServerException',
    );
  });
});

describe('isTagImmutable', () => {
  it.each([
    [{ immutable: true, mutabilityExclusions: [] }, 'latest', true],
    [{ immutable: false, mutabilityExclusions: [] }, 'latest', false],
    [{ immutable: true, mutabilityExclusions: ['latest', 'dev-*'] }, 'latest', false],
    [{ immutable: true, mutabilityExclusions: ['dev-*'] }, 'dev-', false],
    [{ immutable: true, mutabilityExclusions: ['dev-*'] }, 'xdev-1', true],
    [{ immutable: false, mutabilityExclusions: ['v*.*.*'] }, 'v1.2.3', true],
    [{ immutable: false, mutabilityExclusions: ['v*.*.*'] }, 'v1x2x3', false],
  ])('%p, %s → %p', (mutability, tag, expected) => {
    expect(isTagImmutable(mutability, tag)).toBe(expected);
  });
});

describe('describeExistingTag', () => {
  it('returns the digest and the config digest of a tagged image', async () => {
    const { emulator, client } = await setup();
    emulator.ecr.addRepository('app', { tagMutability: 'IMMUTABLE' });
    const manifest = imageManifest('config of v1');
    emulator.ecr.registerImage('app', { manifest, tags: ['v1'] });
    expect(await describeExistingTag(client, 'app', 'v1')).toEqual({
      digest: sha256(manifest),
      configDigest: sha256('config of v1'),
    });
    expect(emulator.callsTo('BatchGetImage')[0]!.body).toEqual({
      repositoryName: 'app',
      imageIds: [{ imageTag: 'v1' }],
      acceptedMediaTypes: [
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
      ],
    });
  });

  it('returns no config digest for a multi-platform index', async () => {
    const { emulator, client } = await setup();
    emulator.ecr.addRepository('app');
    const index = imageIndex([imageManifest('amd64'), imageManifest('arm64')]);
    emulator.ecr.registerImage('app', { manifest: index, tags: ['v1'] });
    expect(await describeExistingTag(client, 'app', 'v1')).toEqual({
      digest: sha256(index),
      configDigest: undefined,
    });
  });

  it('returns undefined for a missing tag or repository', async () => {
    const { emulator, client } = await setup();
    emulator.ecr.addRepository('app');
    expect(await describeExistingTag(client, 'app', 'v9')).toBeUndefined();
    expect(await describeExistingTag(client, 'missing', 'v1')).toBeUndefined();
    expect(emulator.callsTo('BatchGetImage')).toHaveLength(2);
  });
});
