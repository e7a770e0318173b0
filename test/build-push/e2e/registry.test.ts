import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';
import { listTags, readBlob, readManifest, startRegistry, type Registry } from '../../support/registry.ts';
import {
  branchPush,
  buildPush,
  COMMIT_DATE,
  createSandbox,
  errors,
  expectCleanedUp,
  expectNothingBuilt,
  expectOutcome,
  fullTags,
  SHA,
  SHORT_SHA,
  SOURCE_URL,
  tagPush,
  type BuildPushRun,
  type Sandbox,
} from './helpers.ts';

/**
 * The committed bundle against the real distribution registry with htpasswd auth: a build with buildah
 * from a `FROM scratch` Dockerfile, pushed under the tags of a `v1.2.3` tag push, then read back over
 * the registry API; a dry run; and a run whose rules give no tag.
 */

const CI = { username: 'ci', password: 'registry-pass-W3u8xq' };
const BUILD_SECRET = 'build-secret-Hp27cZ';
const RELEASE_TAGS = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=sha',
].join('\n');

let sandbox: Sandbox;
let registry: Registry;

beforeAll(async () => {
  sandbox = createSandbox();
  registry = await startRegistry({ users: { [CI.username]: CI.password } });
});

afterAll(async () => {
  await registry?.close();
  sandbox?.remove();
});

function image(repository: string): string {
  return `${registry.host}/${repository}`;
}

function releaseInputs(repository: string): Record<string, string> {
  return {
    images: image(repository),
    tags: RELEASE_TAGS,
    'build-args': 'GREETING=hello-e2e',
    secrets: `token=${BUILD_SECRET}`,
    username: CI.username,
    password: CI.password,
    'insecure-registries': registry.host,
  };
}

describe('a v1.2.3 tag push, built with buildah and pushed with username/password', () => {
  const repository = 'team/app';
  const expectedTags = ['1.2.3', '1.2', `sha-${SHORT_SHA}`, 'latest'];
  let result: BuildPushRun;

  beforeAll(async () => {
    result = await buildPush(sandbox, releaseInputs(repository), { event: tagPush(sandbox, 'v1.2.3') });
  });

  it('succeeds', () => {
    expectOutcome(result.run, 'success');
    expect(errors(result.run)).toEqual([]);
  });

  it("pushes exactly the tags metadata-action computes for the event, which are the registry's tag list", async () => {
    expect(result.run.outputs.tags?.split('\n')).toEqual(fullTags(image(repository), expectedTags));
    expect(await listTags(registry, repository, CI)).toEqual([...expectedTags].sort());
    expect(result.run.outputs.version).toBe('1.2.3');
  });

  it('outputs the digest the registry serves for every tag, and image = <image>@<digest>', async () => {
    const { digest, image: imageOutput } = result.run.outputs;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const tag of expectedTags) {
      expect({ tag, digest: (await readManifest(registry, repository, tag, CI)).digest }).toEqual({
        tag,
        digest,
      });
    }
    expect(imageOutput).toBe(`${image(repository)}@${digest}`);
    expect(JSON.parse(result.run.outputs.metadata ?? '{}')).toMatchObject({
      digest,
      'containerimage.digest': digest,
      'image-id': result.run.outputs.imageid,
    });
  });

  it('pushes an image whose config holds the OCI labels, the build-arg label and the copied file', async () => {
    const { manifest } = await readManifest(registry, repository, '1.2.3', CI);
    const configDescriptor = manifest.config as { digest: string };
    expect(configDescriptor.digest).toBe(result.run.outputs.imageid);
    const config = JSON.parse(
      (await readBlob(registry, repository, configDescriptor.digest, CI)).toString(),
    ) as {
      config: { Labels: Record<string, string> };
      created: string;
    };
    // buildah adds its own version label; every other label is the action's.
    const { 'io.buildah.version': buildahVersion, ...labels } = config.config.Labels;
    expect(buildahVersion).toMatch(/^\d+\.\d+/);
    expect(labels).toEqual({
      greeting: 'hello-e2e',
      'org.opencontainers.image.created': new Date(COMMIT_DATE).toISOString(),
      'org.opencontainers.image.description': '',
      'org.opencontainers.image.licenses': '',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': SOURCE_URL,
      'org.opencontainers.image.title': 'sample-service',
      'org.opencontainers.image.url': SOURCE_URL,
      'org.opencontainers.image.version': '1.2.3',
    });
    // buildah --timestamp: the image is dated by the commit, so a rebuild of the commit is the same image.
    expect(new Date(config.created).toISOString()).toBe(new Date(COMMIT_DATE).toISOString());
    expect(result.run.outputs.labels?.split('\n')).toContain('org.opencontainers.image.version=1.2.3');
    const layers = manifest.layers as { digest: string }[];
    expect(layers).toHaveLength(1);
    const layer = gunzipSync(
      await readBlob(registry, repository, (layers[0] as { digest: string }).digest, CI),
    );
    expect(layer.toString('latin1')).toContain('hello from gantry build-push\n');
  });

  it('writes a job summary naming the digest, every tag and the builder', () => {
    const { summary, outputs } = result.run;
    expect(summary).toContain(`Pushed ${image(repository)}@${outputs.digest}`);
    expect(summary).toContain(`| Digest | \`${outputs.digest}\` |`);
    for (const tag of fullTags(image(repository), expectedTags))
      expect(summary).toContain(`| \`${tag}\` | pushed |`);
    expect(summary).toContain('| Builder | buildah |');
    // buildah reports its build steps; the summary says how many its layer cache served.
    expect(summary).toMatch(/\| Cache hits \| \d+ of [1-9]\d* steps \|/);
    expect(summary).toMatch(/^\| Size \| [\d.]+ (B|KiB) \|$/m);
  });

  it('removes the credentials file in the post step, and leaves nothing else in RUNNER_TEMP', () => {
    const authFile = result.run.state['auth-file'];
    expect(authFile).toBeDefined();
    expect(authFile?.startsWith(`${result.runnerTemp}/`)).toBe(true);
    expect(existsSync(authFile as string)).toBe(false);
    expectCleanedUp(result);
  });

  it('never shows the registry password or the build secret, and masks both', () => {
    expectNoSecretLeaks(result.run, [CI.password, BUILD_SECRET]);
    expect(result.run.masks).toEqual(expect.arrayContaining([CI.password, BUILD_SECRET]));
  });
});

describe('credentials between the main and the post step', () => {
  it('stay on the runner for the builder until the post step, which is what removes them', async () => {
    const { run, runnerTemp } = await buildPush(
      sandbox,
      { ...releaseInputs('team/no-post'), tags: 'type=ref,event=branch' },
      { event: branchPush(sandbox, 'main'), runPost: false },
    );
    expectOutcome(run, 'success');
    expect(run.post).toBeUndefined();
    const authFile = run.state['auth-file'] as string;
    expect(dirname(dirname(authFile))).toBe(runnerTemp);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    const auths = (JSON.parse(readFileSync(authFile, 'utf8')) as { auths: Record<string, { auth: string }> })
      .auths;
    expect(auths).toEqual({
      [registry.host]: { auth: Buffer.from(`${CI.username}:${CI.password}`).toString('base64') },
    });
    expect(await listTags(registry, 'team/no-post', CI)).toEqual(['main']);
    expectNoSecretLeaks(run, [CI.password, BUILD_SECRET]);
  });
});

describe('push: false', () => {
  it('builds with the registry credentials (for private base images), pushes nothing, outputs no digest', async () => {
    const repository = 'team/local-only';
    const result = await buildPush(
      sandbox,
      { ...releaseInputs(repository), push: 'false' },
      { event: tagPush(sandbox, 'v1.2.3') },
    );
    const { run, runnerTemp } = result;
    expectOutcome(run, 'success');
    const authFile = run.state['auth-file'];
    expect(authFile?.startsWith(`${runnerTemp}/`)).toBe(true);
    // buildah gets them for its pulls. (A base image from this plain-HTTP registry cannot be pulled
    // here: insecure-registries reaches buildah's pushes only, not the build's pulls.)
    const build = run.log.split('\n').find((line) => line.startsWith('[command]buildah build '));
    expect(build).toContain(` --authfile ${authFile} `);
    expect(run.log).not.toMatch(/^\[command\]buildah push/m);
    expect(await listTags(registry, repository, CI)).toEqual([]);
    expect({ digest: run.outputs.digest, image: run.outputs.image }).toEqual({ digest: '', image: '' });
    expect(run.outputs.imageid).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(run.summary).toContain(`Built ${run.outputs.imageid} (not pushed)`);
    expect(run.summary).toContain(`| \`${image(repository)}:1.2.3\` | built |`);
    expectCleanedUp(result);
    expectNoSecretLeaks(run, [CI.password, BUILD_SECRET]);
  });
});

describe('a dry run', () => {
  const repository = 'team/dry-run';
  let dryRunSandbox: Sandbox;
  let result: BuildPushRun;

  beforeAll(async () => {
    // A storage of its own, which must still be empty afterwards.
    dryRunSandbox = createSandbox();
    result = await buildPush(
      dryRunSandbox,
      { ...releaseInputs(repository), 'dry-run': 'true' },
      { event: tagPush(dryRunSandbox, 'v1.2.3') },
    );
  });

  afterAll(() => dryRunSandbox?.remove());

  it('succeeds and outputs the tags and labels, with no digest', () => {
    expectOutcome(result.run, 'success');
    const { outputs } = result.run;
    expect(outputs.tags?.split('\n')).toEqual(
      fullTags(image(repository), ['1.2.3', '1.2', `sha-${SHORT_SHA}`, 'latest']),
    );
    expect(outputs.labels?.split('\n')).toEqual(
      expect.arrayContaining([
        'org.opencontainers.image.version=1.2.3',
        `org.opencontainers.image.revision=${SHA}`,
        `org.opencontainers.image.created=${new Date(COMMIT_DATE).toISOString()}`,
      ]),
    );
    expect(outputs.version).toBe('1.2.3');
    expect({ digest: outputs.digest, image: outputs.image }).toEqual({ digest: '', image: '' });
    expect(JSON.parse(outputs.metadata ?? '{}')).toMatchObject({ 'dry-run': true });
  });

  it('reports the exact builder command, with the secret as a file and never its value', () => {
    const { summary } = result.run;
    expect(summary).toMatch(/^## Dry run: buildah would build 4 tags/m);
    const command = /```\n(buildah build .*)\n```/.exec(summary)?.[1];
    expect(command).toBeDefined();
    expect(command).toContain('--build-arg GREETING=hello-e2e');
    expect(command).toContain(`--tag ${image(repository)}:1.2.3`);
    expect(command).toContain('--label org.opencontainers.image.version=1.2.3');
    expect(command).toMatch(/--secret id=token,src=\S+\/secret-0 /);
    expect(command).toContain(`--timestamp ${Date.parse(COMMIT_DATE) / 1000}`);
    for (const tag of fullTags(image(repository), ['1.2.3', 'latest'])) {
      expect(summary).toContain(`| \`${tag}\` | planned |`);
    }
    expectNoSecretLeaks(result.run, [CI.password, BUILD_SECRET]);
  });

  it('builds nothing, pushes nothing and writes no credentials', async () => {
    expectNothingBuilt(result.run);
    expect(dryRunSandbox.buildahImages()).toEqual([]);
    expect(await listTags(registry, repository, CI)).toEqual([]);
    expect(result.run.state['auth-file']).toBeUndefined();
    expect(result.run.post?.exitCode).toBe(0);
  });
});

describe('a run whose tag rules give no tag for the event', () => {
  it('fails with push: true, before building, and says how to get a tag', async () => {
    const { run } = await buildPush(
      sandbox,
      { ...releaseInputs('team/untagged'), tags: 'type=ref,event=tag\ntype=ref,event=pr' },
      { event: branchPush(sandbox, 'feature-x') },
    );
    expectOutcome(run, 'failure');
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /No tag rule produced a tag for this push event on refs\/heads\/feature-x.*Hint: .*type=sha.*push: false/s,
        ),
      }),
    ]);
    expect(run.outputs).toEqual({});
    expectNothingBuilt(run);
    expect(await listTags(registry, 'team/untagged', CI)).toEqual([]);
    expectNoSecretLeaks(run, [CI.password, BUILD_SECRET]);
  });
});
