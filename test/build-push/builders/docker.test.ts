import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { dockerBuilder } from '../../../actions/build-push/src/builders/docker.ts';
import type {
  BuildOptions,
  BuildOutcome,
  BuildRequest,
} from '../../../actions/build-push/src/builders/types.ts';
import { DeadlineExceededError } from '../../../shared/src/errors.ts';
import { ExecError } from '../../../shared/src/process/exec.ts';
import { capture, setEnv, tempDir, type Captured, type TempDir } from '../../shared/helpers.ts';
import { buildRequest } from './helpers.ts';

/**
 * No Docker daemon here: the argument lists are checked exactly, against what
 * docker/build-push-action would run for the same inputs, and `build()` runs a stand-in `docker`
 * program (first on PATH) that records what it was given and answers as buildx does.
 */

const WORK = '/runner/temp/gantry-build-abc';
const RUNNER_DOCKER = '/home/runner/.docker';
const builder = dockerBuilder({ dockerConfigDir: RUNNER_DOCKER });

const cases: { name: string; request: Partial<BuildRequest>; authFile?: string; args: string[] }[] = [
  {
    name: 'the smallest build: attestations off, iidfile and metadata file always',
    request: {},
    args: [
      'buildx',
      'build',
      '--iidfile',
      `${WORK}/image-id`,
      '--provenance=false',
      '--sbom=false',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '.',
    ],
  },
  {
    name: 'a typical build and push, in build-push-action order: the build run',
    request: {
      context: 'app',
      file: 'app/Dockerfile',
      target: 'runtime',
      buildArgs: { NODE_ENV: 'production' },
      labels: { 'org.opencontainers.image.revision': 'abc123' },
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max'],
      push: true,
      noCache: true,
      pull: true,
    },
    authFile: '/runner/temp/gantry-auth-x/config.json',
    args: [
      'buildx',
      'build',
      '--build-arg',
      'NODE_ENV=production',
      '--cache-from',
      'type=gha,scope=ghcr.io/acme/app',
      '--cache-to',
      'type=gha,mode=max,scope=ghcr.io/acme/app',
      '--file',
      'app/Dockerfile',
      '--iidfile',
      `${WORK}/image-id`,
      '--label',
      'org.opencontainers.image.revision=abc123',
      // a push builds first, exporting to the builder's store; the push is a second run (see below)
      '--output',
      'type=image,push=false',
      '--platform',
      'linux/amd64,linux/arm64',
      '--provenance=false',
      '--sbom=false',
      '--tag',
      'ghcr.io/acme/app:1.2.3',
      '--tag',
      'ghcr.io/acme/app:latest',
      '--target',
      'runtime',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '--no-cache',
      '--pull',
      'app',
    ],
  },
  {
    name: 'a user scope and other cache types are kept; load; attestations on',
    request: {
      tags: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:sha-abc'],
      cacheFrom: ['type=gha,scope=shared', 'type=registry,ref=ghcr.io/acme/cache:api'],
      cacheTo: ['type=inline'],
      load: true,
      provenance: true,
      sbom: true,
    },
    args: [
      'buildx',
      'build',
      '--cache-from',
      'type=gha,scope=shared',
      '--cache-from',
      'type=registry,ref=ghcr.io/acme/cache:api',
      '--cache-to',
      'type=inline',
      '--iidfile',
      `${WORK}/image-id`,
      '--provenance=true',
      '--sbom=true',
      '--tag',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:sha-abc',
      '--load',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '.',
    ],
  },
  {
    name: 'an image ID asked for without push or load: exported to the builder store only',
    request: { tags: ['ghcr.io/acme/app:1'], reportImageId: true },
    args: [
      'buildx',
      'build',
      '--iidfile',
      `${WORK}/image-id`,
      '--output',
      'type=image,push=false',
      '--provenance=false',
      '--sbom=false',
      '--tag',
      'ghcr.io/acme/app:1',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '.',
    ],
  },
  {
    name: 'an image ID asked for with load: --load exports already',
    request: { tags: ['ghcr.io/acme/app:1'], reportImageId: true, load: true },
    args: [
      'buildx',
      'build',
      '--iidfile',
      `${WORK}/image-id`,
      '--provenance=false',
      '--sbom=false',
      '--tag',
      'ghcr.io/acme/app:1',
      '--load',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '.',
    ],
  },
];

describe('docker command', () => {
  let restoreEnv: () => void;
  let masks: Captured;
  beforeEach(() => {
    restoreEnv = setEnv({ BUILDX_CONFIG: undefined });
    masks = capture(process.stdout);
  });
  afterEach(() => {
    masks.restore();
    restoreEnv();
  });

  it.each(cases)('$name', ({ request, authFile, args }) => {
    const command = builder.command(buildRequest(request), { workDir: WORK, authFile });
    expect(command.command).toBe('docker');
    expect(command.args).toEqual(args);
    expect(command.env).toEqual(
      authFile
        ? { DOCKER_CONFIG: '/runner/temp/gantry-auth-x', BUILDX_CONFIG: `${RUNNER_DOCKER}/buildx` }
        : {},
    );
  });

  it('passes secret values in the environment and secret files by path, never values in argv', () => {
    const secret = 'ghp_s3cr3tTokenValue';
    const command = builder.command(
      buildRequest({
        secrets: [
          { id: 'github_token', value: secret },
          { id: 'npmrc', file: '/runner/work/.npmrc' },
          { id: 'aws', value: 'another-secret-value' },
        ],
        tags: ['ghcr.io/acme/app:1'],
      }),
      { workDir: WORK, authFile: undefined },
    );
    expect(command.args).toEqual([
      'buildx',
      'build',
      '--secret',
      'id=github_token,env=GANTRY_SECRET_0',
      '--secret',
      'id=aws,env=GANTRY_SECRET_2',
      '--iidfile',
      `${WORK}/image-id`,
      '--provenance=false',
      '--sbom=false',
      '--secret',
      'id=npmrc,src=/runner/work/.npmrc',
      '--tag',
      'ghcr.io/acme/app:1',
      '--metadata-file',
      `${WORK}/metadata.json`,
      '.',
    ]);
    expect(command.env).toEqual({ GANTRY_SECRET_0: secret, GANTRY_SECRET_2: 'another-secret-value' });
    expect(command.args.join(' ')).not.toContain(secret);
    // registered for masking, so a dry run's display and the build's log hide them
    expect(masks.text()).toContain(`::add-mask::${secret}\n`);
  });

  it('hands the source date to BuildKit through SOURCE_DATE_EPOCH', () => {
    const command = builder.command(buildRequest({ sourceDateEpoch: 1578616200 }), {
      workDir: WORK,
      authFile: undefined,
    });
    expect(command.env).toEqual({ SOURCE_DATE_EPOCH: '1578616200' });
  });

  it('keeps a BUILDX_CONFIG the runner already set', () => {
    restoreEnv();
    restoreEnv = setEnv({ BUILDX_CONFIG: '/opt/buildx' });
    const command = builder.command(buildRequest(), {
      workDir: WORK,
      authFile: '/t/gantry-auth-y/config.json',
    });
    expect(command.env).toEqual({ DOCKER_CONFIG: '/t/gantry-auth-y', BUILDX_CONFIG: '/opt/buildx' });
  });
});

describe('docker runner logins', () => {
  it("are the runner's docker config.json, credsStore included", () => {
    expect(builder.runnerLogins()).toEqual({ files: [`${RUNNER_DOCKER}/config.json`], credsStore: true });
  });
});

interface FakeDocker {
  /** Every run: its argv and the environment docker would act on. */
  calls: () => { argv: string[]; env: Record<string, string | undefined> }[];
}

/**
 * The stand-in answers as buildx with the docker-container driver (docker/setup-buildx-action's)
 * does: the first run builds for `buildMs`, later runs find every step in the cache; a run that
 * exports (--push, --load, --output) writes the image ID to the iidfile and the config digest (and,
 * pushing, the manifest digest) to the metadata file, and one that exports nothing leaves the iidfile
 * empty (docker/buildx#1712). The first `pushFailures` runs with --push fail with `pushError` on
 * stderr, after `pushMs`; `buildError` fails the first run.
 */
function installFakeDocker(
  dir: TempDir,
  behaviour: {
    buildMs?: number;
    buildError?: string;
    pushMs?: number;
    pushFailures?: number;
    pushError?: string;
    digest?: string | null;
    /** An empty iidfile although the metadata file names the config digest. */
    emptyIidFile?: boolean;
  } = {},
): FakeDocker {
  const bin = join(dir.path, 'bin');
  mkdirSync(bin, { recursive: true });
  const record = join(dir.path, 'docker-calls.jsonl');
  writeFileSync(record, '');
  const digest = behaviour.digest === undefined ? `sha256:${'d'.repeat(64)}` : behaviour.digest;
  const config = `sha256:${'c'.repeat(64)}`;
  const script = `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
const pick = ['DOCKER_CONFIG', 'BUILDX_CONFIG', 'GANTRY_SECRET_0'];
const env = Object.fromEntries(pick.map((name) => [name, process.env[name]]));
const earlier = fs.readFileSync(${JSON.stringify(record)}, 'utf8').split('\\n').filter(Boolean).map((line) => JSON.parse(line));
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ argv, env }) + '\\n');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const fail = (text) => { process.stderr.write(text + '\\n'); process.exit(1); };
if (earlier.length === 0) {
  sleep(${behaviour.buildMs ?? 0});
  if (${JSON.stringify(behaviour.buildError ?? null)} !== null) fail(${JSON.stringify(behaviour.buildError ?? '')});
}
const push = argv.includes('--push');
if (push) {
  sleep(${behaviour.pushMs ?? 0});
  const pushes = earlier.filter((call) => call.argv.includes('--push')).length + 1;
  if (pushes <= ${behaviour.pushFailures ?? 0}) fail(${JSON.stringify(behaviour.pushError ?? '')});
}
const value = (flag) => argv[argv.indexOf(flag) + 1];
const exported = push || argv.includes('--load') || argv.includes('--output');
const metadata = { 'buildx.build.ref': 'builder/builder0/x1' };
if (exported || ${behaviour.emptyIidFile === true}) metadata['containerimage.config.digest'] = '${config}';
if (push && ${JSON.stringify(digest)} !== null) metadata['containerimage.digest'] = ${JSON.stringify(digest)};
fs.writeFileSync(value('--iidfile'), exported && !${behaviour.emptyIidFile === true} ? '${config}' : '');
fs.writeFileSync(value('--metadata-file'), JSON.stringify(metadata));
`;
  writeFileSync(join(bin, 'docker'), script, { mode: 0o755 });
  return {
    calls: () =>
      readFileSync(record, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

const CONFIG_DIGEST = `sha256:${'c'.repeat(64)}`;
const MANIFEST_DIGEST = `sha256:${'d'.repeat(64)}`;
const PUSH_503 =
  'ERROR: failed to solve: failed to push ghcr.io/acme/app:1: unexpected status from PUT request to ' +
  'https://ghcr.io/v2/acme/app/manifests/1: 503 Service Unavailable';

describe('docker build with a stand-in docker', () => {
  let dir: TempDir;
  let restoreEnv: () => void;
  let stdout: Captured;
  let stderr: Captured;
  let runnerDocker: string;
  let authFile: string;

  beforeEach(() => {
    dir = tempDir('gantry-docker-');
    runnerDocker = join(dir.path, 'home-docker');
    mkdirSync(join(runnerDocker, 'cli-plugins'), { recursive: true });
    mkdirSync(join(runnerDocker, 'contexts', 'meta'), { recursive: true });
    mkdirSync(join(dir.path, 'runner-temp'));
    mkdirSync(join(dir.path, 'gantry-auth-1'));
    authFile = join(dir.path, 'gantry-auth-1', 'config.json');
    writeFileSync(authFile, '{"auths":{}}');
    restoreEnv = setEnv({
      PATH: `${join(dir.path, 'bin')}${delimiter}${process.env.PATH}`,
      RUNNER_TEMP: join(dir.path, 'runner-temp'),
      BUILDX_CONFIG: undefined,
    });
    stdout = capture(process.stdout);
    stderr = capture(process.stderr);
  });

  afterEach(() => {
    stdout.restore();
    stderr.restore();
    restoreEnv();
    dir.remove();
  });

  function options(overrides: Partial<BuildOptions> = {}): BuildOptions {
    return {
      signal: new AbortController().signal,
      pushTimeoutMs: 20_000,
      authFile,
      ...overrides,
    };
  }

  function build(
    request: Partial<BuildRequest>,
    overrides: Partial<BuildOptions> = {},
  ): Promise<BuildOutcome> {
    return dockerBuilder({ dockerConfigDir: runnerDocker }).build(buildRequest(request), options(overrides));
  }

  function warnings(): string[] {
    return stdout
      .text()
      .split('\n')
      .filter((line) => line.startsWith('::warning::'));
  }

  it('runs the command, hands over credentials and secrets by environment, reads digest and image ID', async () => {
    const fake = installFakeDocker(dir);
    const secret = 'build-secret-value-42';
    const outcome = await build({
      tags: ['ghcr.io/acme/app:1'],
      push: true,
      secrets: [{ id: 'token', value: secret }],
    });

    expect(outcome).toEqual({
      imageId: CONFIG_DIGEST,
      digest: MANIFEST_DIGEST,
      metadata: {
        'buildx.build.ref': 'builder/builder0/x1',
        'containerimage.config.digest': CONFIG_DIGEST,
        'containerimage.digest': MANIFEST_DIGEST,
      },
    });
    const calls = fake.calls();
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.env).toEqual({
        DOCKER_CONFIG: join(dir.path, 'gantry-auth-1'),
        BUILDX_CONFIG: join(runnerDocker, 'buildx'),
        GANTRY_SECRET_0: secret,
      });
      expect(call.argv.join(' ')).not.toContain(secret);
      expect(call.argv).toContain('id=token,env=GANTRY_SECRET_0');
      expect(call.argv.at(-1)).toBe('.');
    }
    // the runner's plugins (a pinned buildx) stay visible with DOCKER_CONFIG moved
    const link = join(dir.path, 'gantry-auth-1', 'cli-plugins');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join(runnerDocker, 'cli-plugins'));
    // and so do its docker contexts, which the copied currentContext names
    expect(readlinkSync(join(dir.path, 'gantry-auth-1', 'contexts'))).toBe(join(runnerDocker, 'contexts'));
    // the build's private directory (iidfile, metadata) is gone
    const [first] = calls;
    expect(existsSync(first?.argv[first.argv.indexOf('--iidfile') + 1] as string)).toBe(false);
    expect(stdout.text().replace(/^::add-mask::.*\n/gm, '')).not.toContain(secret);
  });

  it('builds first, then pushes with the same command, leaving out what must happen once or would miss the cache', async () => {
    const fake = installFakeDocker(dir);
    await build({
      tags: ['ghcr.io/acme/app:1'],
      push: true,
      load: true,
      noCache: true,
      pull: true,
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max'],
    });
    const [buildRun, pushRun] = fake.calls().map((call) => call.argv);
    expect(buildRun).toEqual(expect.arrayContaining(['--load', '--no-cache', '--pull', '--cache-to']));
    expect(buildRun).not.toContain('--push');
    expect(pushRun).toContain('--push');
    for (const flag of ['--load', '--no-cache', '--pull', '--cache-to', '--output']) {
      expect(pushRun).not.toContain(flag);
    }
    expect(pushRun).toEqual(expect.arrayContaining(['--cache-from', 'type=gha,scope=ghcr.io/acme/app']));
  });

  it('reports no digest for a build that does not push', async () => {
    const fake = installFakeDocker(dir);
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'], load: true }, { authFile: undefined });
    expect(outcome.digest).toBeUndefined();
    expect(outcome.imageId).toBe(CONFIG_DIGEST);
    expect(fake.calls()).toHaveLength(1);
  });

  it('takes an empty iidfile of a build that exports nothing as no image ID, and says so', async () => {
    installFakeDocker(dir);
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'] });
    expect(outcome).toEqual({
      imageId: undefined,
      digest: undefined,
      metadata: { 'buildx.build.ref': 'builder/builder0/x1' },
    });
    expect(stdout.text()).toContain('so it reports no image ID: the imageid output is empty');
  });

  it('falls back to the config digest of the metadata file when the iidfile is empty', async () => {
    installFakeDocker(dir, { emptyIidFile: true });
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'] });
    expect(outcome.imageId).toBe(CONFIG_DIGEST);
  });

  it('exports the image without pushing it when the caller needs its ID', async () => {
    const fake = installFakeDocker(dir);
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'], reportImageId: true });
    expect(outcome.imageId).toBe(CONFIG_DIGEST);
    expect(outcome.digest).toBeUndefined();
    const [call] = fake.calls();
    expect(call?.argv).toEqual(expect.arrayContaining(['--output', 'type=image,push=false']));
    expect(call?.argv).not.toContain('--push');
  });

  it('retries a push that failed on a 503, without building again, and logs each retry', async () => {
    const fake = installFakeDocker(dir, { pushFailures: 2, pushError: PUSH_503 });
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'], push: true });
    expect(outcome.digest).toBe(MANIFEST_DIGEST);
    expect(fake.calls().map((call) => call.argv.includes('--push'))).toEqual([false, true, true, true]);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toContain(
      'pushing ghcr.io/acme/app:1: attempt 1 failed (the registry answered with a server error)',
    );
  });

  it('starts the push deadline when pushing starts: a build longer than push-timeout still retries a push', async () => {
    // The deadline leaves a loaded machine room for two runs of the stand-in and a backoff of up to
    // 500 ms between them (with 1 s, a first run taking 577 ms left no time for the second).
    const fake = installFakeDocker(dir, { buildMs: 3500, pushFailures: 1, pushError: PUSH_503 });
    const outcome = await build({ tags: ['ghcr.io/acme/app:1'], push: true }, { pushTimeoutMs: 3000 });
    expect(outcome.digest).toBe(MANIFEST_DIGEST);
    expect(fake.calls().filter((call) => call.argv.includes('--push'))).toHaveLength(2);
  });

  it('stops a push that hangs at the deadline', async () => {
    installFakeDocker(dir, { pushMs: 10_000 });
    const started = Date.now();
    await expect(
      build({ tags: ['ghcr.io/acme/app:1'], push: true }, { pushTimeoutMs: 1000 }),
    ).rejects.toThrow(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not retry a failing build step, even one that printed a 503', async () => {
    const fake = installFakeDocker(dir, {
      buildError:
        'ERROR: failed to solve: process "/bin/sh -c curl -f https://example.com" did not complete: HTTP 503',
    });
    await expect(build({ tags: ['ghcr.io/acme/app:1'], push: true })).rejects.toThrow(ExecError);
    expect(fake.calls()).toHaveLength(1);
  });

  it('fails when a push reports no digest, instead of an empty output', async () => {
    installFakeDocker(dir, { digest: null });
    await expect(build({ tags: ['ghcr.io/acme/app:1'], push: true })).rejects.toThrow(
      'docker buildx pushed, but its metadata file has no containerimage.digest',
    );
  });
});
