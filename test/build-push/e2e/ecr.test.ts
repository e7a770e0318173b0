import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { imageIndex, imageManifest, OCI_MANIFEST } from '../../support/aws-emulator/fixtures.ts';
import { startAwsEmulator, type AwsEmulator } from '../../support/aws-emulator/index.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';
import { listTags, readManifest, startRegistry, type Registry } from '../../support/registry.ts';
import {
  buildPush,
  createSandbox,
  errors,
  expectCleanedUp,
  expectNothingBuilt,
  expectOutcome,
  fullTags,
  SHORT_SHA,
  tagPush,
  type BuildPushRun,
  type GitHubEvent,
  type Sandbox,
} from './helpers.ts';

/**
 * The committed bundle with `registry-type: ecr`: the real @aws-sdk/client-ecr inside the bundle talks
 * to the AWS emulator (AWS_ENDPOINT_URL_ECR), whose GetAuthorizationToken hands out the credentials of
 * the real registry the image is pushed to. The registry sits behind a pass-through fault proxy so the
 * tests can see which manifests were uploaded. The emulator holds manifests only: what a test needs it
 * to know about pushed images, it registers from what the registry holds.
 */

/** What the emulator issues as the ECR password: the registry's htpasswd user `AWS` has it. */
const ECR_PASSWORD = 'ecr-issued-password-Vt63dL';
const ECR_LOGIN = { username: 'AWS', password: ECR_PASSWORD };
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAGANTRYE2ETEST000',
  AWS_SECRET_ACCESS_KEY: 'e2e-secret-access-key-Qw81',
};
const RELEASE_TAGS = 'type=semver,pattern={{version}}\ntype=sha';
const TAGS = ['1.2.3', `sha-${SHORT_SHA}`, 'latest'];

let sandbox: Sandbox;
let registry: Registry;
let proxy: FaultProxy;
let aws: AwsEmulator;
let release: GitHubEvent;

beforeAll(async () => {
  sandbox = createSandbox();
  registry = await startRegistry({ users: { [ECR_LOGIN.username]: ECR_LOGIN.password } });
  proxy = await startFaultProxy(registry.url);
  aws = await startAwsEmulator({ ecr: { registryUrl: proxy.url, ...ECR_LOGIN } });
  release = tagPush(sandbox, 'v1.2.3');
});

afterAll(async () => {
  await aws?.close();
  await proxy?.close();
  await registry?.close();
  sandbox?.remove();
});

function image(repository: string): string {
  return `${proxy.host}/${repository}`;
}

function ecrPush(repository: string, extra: Record<string, string> = {}): Promise<BuildPushRun> {
  return buildPush(
    sandbox,
    {
      images: image(repository),
      tags: RELEASE_TAGS,
      'registry-type': 'ecr',
      'aws-region': 'eu-west-1',
      'insecure-registries': proxy.host,
      ...extra,
    },
    { event: release, env: { ...AWS_ENV, AWS_ENDPOINT_URL_ECR: aws.endpoint } },
  );
}

/** Manifest uploads to `repository` from request number `since` of the proxy on, by tag. */
function manifestPuts(repository: string, since: number): string[] {
  const prefix = `/v2/${repository}/manifests/`;
  return proxy.requests
    .slice(since)
    .filter((request) => request.method === 'PUT' && request.path.startsWith(prefix))
    .map((request) => request.path.slice(prefix.length));
}

/** Registers the image `tags` point at in the registry with the emulator, as ECR would know it. */
async function registerPushed(repository: string, tags: string[]): Promise<string> {
  const pushed = await readManifest(registry, repository, tags[0] as string, ECR_LOGIN);
  return aws.ecr.registerImage(repository, {
    manifest: JSON.stringify(pushed.manifest),
    mediaType: pushed.mediaType,
    tags,
  });
}

function expectNoLeaks(run: BuildPushRun['run']): void {
  const token = Buffer.from(`${ECR_LOGIN.username}:${ECR_PASSWORD}`).toString('base64');
  expectNoSecretLeaks(run, [ECR_PASSWORD, token, AWS_ENV.AWS_SECRET_ACCESS_KEY]);
  expect(run.masks).toEqual(expect.arrayContaining([ECR_PASSWORD, token]));
}

describe('a missing repository with create-repository: true', () => {
  const repository = 'team/app';
  let result: BuildPushRun;
  let callsBefore: number;

  beforeAll(async () => {
    callsBefore = aws.calls.length;
    result = await ecrPush(repository, {
      'create-repository': 'true',
      'scan-on-push': 'true',
      'tag-mutability': 'IMMUTABLE',
    });
  });

  it('logs in with GetAuthorizationToken, creates the repository, then builds and pushes', async () => {
    expectOutcome(result.run, 'success');
    expect(aws.calls.slice(callsBefore).map((call) => call.operation)).toEqual([
      'GetAuthorizationToken',
      'DescribeRepositories',
      'CreateRepository',
      // The new repository is immutable: each tag is looked up before anything is pushed.
      'BatchGetImage',
      'BatchGetImage',
      'BatchGetImage',
    ]);
    expect(result.run.log).toContain(`Created ECR repository ${image(repository)}.`);
    expect(await listTags(registry, repository, ECR_LOGIN)).toEqual([...TAGS].sort());
    expect(result.run.outputs.digest).toBe(
      (await readManifest(registry, repository, '1.2.3', ECR_LOGIN)).digest,
    );
    expect(result.run.outputs.image).toBe(`${image(repository)}@${result.run.outputs.digest}`);
  });

  it('creates it with the scan-on-push and tag-mutability settings', () => {
    expect(aws.ecr.repository(repository)).toMatchObject({
      name: repository,
      tagMutability: 'IMMUTABLE',
      scanOnPush: true,
    });
    expect(aws.callsTo('CreateRepository').at(-1)?.body).toEqual({
      repositoryName: repository,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  it('masks the token and the password the emulator issued, shows neither, and logs out', () => {
    expectNoLeaks(result.run);
    expectCleanedUp(result);
  });

  describe('re-run of the same commit, one tag already in the immutable repository', () => {
    let rerun: BuildPushRun;
    let registered: string;
    let requestsBefore: number;

    beforeAll(async () => {
      registered = await registerPushed(repository, ['1.2.3']);
      requestsBefore = proxy.requests.length;
      rerun = await ecrPush(repository);
    });

    it('succeeds: the same commit builds the same image, so the tag already holds it', () => {
      expectOutcome(rerun.run, 'success');
      expect(rerun.run.log).toContain(
        `${image(repository)}:1.2.3 already points at this image in an immutable repository; not pushed again.`,
      );
      expect(rerun.run.outputs.digest).toBe(registered);
      expect(rerun.run.outputs.image).toBe(`${image(repository)}@${registered}`);
    });

    it('pushes the other tags, never the one already there', () => {
      expect(manifestPuts(repository, requestsBefore)).toEqual([`sha-${SHORT_SHA}`, 'latest']);
    });

    it('reports the tag as already there in the job summary', () => {
      const [present, ...pushed] = fullTags(image(repository), TAGS);
      expect(rerun.run.summary).toContain(`| \`${present}\` | already pointed at this image (immutable) |`);
      for (const tag of pushed) expect(rerun.run.summary).toContain(`| \`${tag}\` | pushed |`);
      expectNoLeaks(rerun.run);
      expectCleanedUp(rerun);
    });
  });
});

describe('a re-run when every tag is already in the immutable repository', () => {
  it('pushes nothing and outputs the digest the tags hold', async () => {
    const repository = 'team/settled';
    aws.ecr.addRepository(repository, { tagMutability: 'IMMUTABLE' });
    const first = await ecrPush(repository);
    expectOutcome(first.run, 'success');
    const registered = await registerPushed(repository, TAGS);
    expect(registered).toBe(first.run.outputs.digest);

    const requestsBefore = proxy.requests.length;
    const rerun = await ecrPush(repository);
    expectOutcome(rerun.run, 'success');
    expect(manifestPuts(repository, requestsBefore)).toEqual([]);
    expect(rerun.run.outputs.digest).toBe(registered);
    expect(rerun.run.outputs.image).toBe(`${image(repository)}@${registered}`);
    expect(rerun.run.summary).toContain(
      `Every tag already held ${image(repository)}@${registered} (nothing pushed)`,
    );
    // Read back from the registry, although this run pushed nothing.
    expect(rerun.run.summary).toMatch(/^\| Size \| [\d.]+ (B|KiB) \|$/m);
    for (const tag of fullTags(image(repository), TAGS)) {
      expect(rerun.run.summary).toContain(`| \`${tag}\` | already pointed at this image (immutable) |`);
    }
    expectNoLeaks(rerun.run);
    expectCleanedUp(rerun);
  });
});

describe('an immutable tag that holds a different image', () => {
  it('fails naming the tag, before anything is pushed', async () => {
    const repository = 'team/conflict';
    aws.ecr.addRepository(repository, { tagMutability: 'IMMUTABLE' });
    const other = aws.ecr.registerImage(repository, {
      manifest: imageManifest('another image'),
      tags: ['1.2.3'],
    });
    const requestsBefore = proxy.requests.length;

    const result = await ecrPush(repository);
    expectOutcome(result.run, 'failure');
    expect(errors(result.run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(
            `already exist in immutable repositories and hold a different image .*${image(repository)}:1\\.2\\.3 -> ${other}.*Hint: `,
          ),
        ),
      }),
    ]);
    expect(manifestPuts(repository, requestsBefore)).toEqual([]);
    expect(await listTags(registry, repository, ECR_LOGIN)).toEqual([]);
    expect(aws.ecr.imageByTag(repository, '1.2.3')?.digest).toBe(other);
    expectNoLeaks(result.run);
    expectCleanedUp(result);
  });
});

describe('an immutable tag that holds a multi-platform index', () => {
  it('fails saying the images cannot be compared, rather than calling them different', async () => {
    const repository = 'team/indexed';
    aws.ecr.addRepository(repository, { tagMutability: 'IMMUTABLE' });
    const index = aws.ecr.registerImage(repository, {
      manifest: imageIndex([imageManifest('amd64', OCI_MANIFEST), imageManifest('arm64', OCI_MANIFEST)]),
      tags: ['1.2.3'],
    });
    const requestsBefore = proxy.requests.length;

    const result = await ecrPush(repository);
    expectOutcome(result.run, 'failure');
    expect(errors(result.run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(
            `whether they hold the image built cannot be told \\(they hold a multi-platform index, which has no config digest to compare\\): ${image(repository)}:1\\.2\\.3 -> ${index}\\..*Hint: `,
          ),
        ),
      }),
    ]);
    expect(result.run.log).not.toContain('hold a different image');
    expect(manifestPuts(repository, requestsBefore)).toEqual([]);
    expectNoLeaks(result.run);
    expectCleanedUp(result);
  });
});

describe('registries when no image is in ECR', () => {
  it('logs in to them anyway, so the build can use their images, and the push goes with that login', async () => {
    const repository = 'team/generic-with-ecr-base';
    const callsBefore = aws.callsTo('GetAuthorizationToken').length;
    // The registry is no ECR host (registry-type auto: generic) and the run has no username/password:
    // only the ECR login for `registries`, which the emulator issues for it, can push.
    const result = await buildPush(
      sandbox,
      {
        images: image(repository),
        tags: RELEASE_TAGS,
        registries: '123456789012',
        'aws-region': 'eu-west-1',
        'insecure-registries': proxy.host,
      },
      { event: release, env: { ...AWS_ENV, AWS_ENDPOINT_URL_ECR: aws.endpoint } },
    );
    expectOutcome(result.run, 'success');
    expect(
      aws
        .callsTo('GetAuthorizationToken')
        .slice(callsBefore)
        .map((call) => call.body),
    ).toEqual([{ registryIds: ['123456789012'] }]);
    expect(await listTags(registry, repository, ECR_LOGIN)).toEqual([...TAGS].sort());
    expectNoLeaks(result.run);
    expectCleanedUp(result);
  });
});

describe('a missing repository without create-repository', () => {
  it('fails before building, with the hint to create it', async () => {
    const repository = 'team/missing';
    const callsBefore = aws.calls.length;
    const result = await ecrPush(repository);

    expectOutcome(result.run, 'failure');
    expect(errors(result.run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /The ECR repository "team\/missing" does not exist.*Hint: .*create-repository: true/,
        ),
      }),
    ]);
    expect(aws.calls.slice(callsBefore).map((call) => call.operation)).toEqual([
      'GetAuthorizationToken',
      'DescribeRepositories',
    ]);
    expect(aws.ecr.repository(repository)).toBeUndefined();
    expectNothingBuilt(result.run);
    expect(await listTags(registry, repository, ECR_LOGIN)).toEqual([]);
    expectNoLeaks(result.run);
  });
});
