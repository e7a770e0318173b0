import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { buildahBuilder } from '../../../actions/build-push/src/builders/buildah.ts';
import type { Builder, BuildOptions, BuildRequest } from '../../../actions/build-push/src/builders/types.ts';
import { writeAuthFile } from '../../../actions/build-push/src/credentials/auth-file.ts';
import { classifyPushFailure } from '../../../actions/build-push/src/push-retry.ts';
import { DeadlineExceededError } from '../../../shared/src/errors.ts';
import { ExecError } from '../../../shared/src/process/exec.ts';
import { RetryExhaustedError } from '../../../shared/src/async/retry.ts';
import { capture, setEnv, type Captured } from '../../shared/helpers.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { listTags, readBlob, readManifest, startRegistry, type Registry } from '../../support/registry.ts';
import { buildahSandbox, buildRequest, writeScratchContext, type BuildahSandbox } from './helpers.ts';

/**
 * buildah end to end: real builds from a `FROM scratch` Dockerfile, pushed to the real registry with
 * htpasswd auth (directly, or through the fault proxy), read back over the registry API.
 */

const CI = { username: 'ci', password: 'registry-pass-Zq81' };
/** The tests' own credentials only: the logins of the machine running them stay out. */
const NO_LOGINS = { files: [], credsStore: false };
let sandbox: BuildahSandbox;
let registry: Registry;
let proxy: FaultProxy;
let context: string;
let authFile: string;
let builder: Builder;
let stdout: Captured;
let stderr: Captured;

beforeAll(async () => {
  sandbox = buildahSandbox();
  registry = await startRegistry({ users: { [CI.username]: CI.password } });
  proxy = await startFaultProxy(registry.url);
  context = writeScratchContext(sandbox.dir.path);
  const authDir = join(sandbox.dir.path, 'auth');
  mkdirSync(authDir);
  const masks = capture(process.stdout);
  authFile = await writeAuthFile(
    [
      { registry: registry.host, ...CI },
      { registry: proxy.host, ...CI },
    ],
    authDir,
    NO_LOGINS,
  ).finally(() => masks.restore());
  builder = buildahBuilder({ insecureRegistries: [registry.host, proxy.host] });
});

afterAll(async () => {
  await proxy?.close();
  await registry?.close();
  sandbox?.restore();
});

beforeEach(() => {
  stdout = capture(process.stdout);
  stderr = capture(process.stderr);
  proxy.clearFaults();
});

afterEach(() => {
  stdout.restore();
  stderr.restore();
  expect(sandbox.leftovers()).toEqual([]);
});

function options(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return {
    signal: new AbortController().signal,
    pushTimeoutMs: 30_000,
    authFile,
    ...overrides,
  };
}

function request(overrides: Partial<BuildRequest>): BuildRequest {
  return buildRequest({ context, file: join(context, 'Dockerfile'), ...overrides });
}

function warnings(): string[] {
  return stdout
    .text()
    .split('\n')
    .filter((line) => line.startsWith('::warning::'));
}

/** What a reader of the log sees, without the `::add-mask::` commands that register the secrets. */
function logWithoutMasks(): string {
  return (stdout.text() + stderr.text()).replace(/^::add-mask::.*\n/gm, '');
}

/** The program as found on PATH now, before a test puts a wrapper in front of it. */
function realBuildah(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'buildah'), constants.X_OK);
      return join(dir, 'buildah');
    } catch {
      // not in this directory
    }
  }
  throw new Error('buildah is not installed: install it with `apt-get install -y buildah`');
}

/**
 * A `buildah` in front of the real one that records each call's arguments and, for every `--secret`,
 * the file's mode and content at the moment buildah would read it.
 */
function recordingBuildah(): { path: string; calls: () => { args: string[]; secrets: unknown[] }[] } {
  const bin = join(sandbox.dir.path, 'recording-bin');
  mkdirSync(bin, { recursive: true });
  const record = join(sandbox.dir.path, 'buildah-calls.jsonl');
  writeFileSync(record, '');
  const script = `#!${process.execPath}
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const args = process.argv.slice(2);
const secrets = [];
args.forEach((arg, i) => {
  if (args[i - 1] !== '--secret') return;
  const src = /src=([^,]+)/.exec(arg)[1];
  secrets.push({ src, mode: (fs.statSync(src).mode & 0o777).toString(8), content: fs.readFileSync(src, 'utf8') });
});
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ args, secrets }) + '\\n');
const result = spawnSync(${JSON.stringify(realBuildah())}, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
`;
  writeFileSync(join(bin, 'buildah'), script, { mode: 0o755 });
  return {
    path: bin,
    calls: () =>
      readFileSync(record, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe('buildah builder', () => {
  it('builds, pushes every tag, and reports the digest the registry serves', async () => {
    const tags = [`${registry.host}/team/app:1.0.0`, `${registry.host}/team/app:latest`];
    const outcome = await builder.build(
      request({
        tags,
        push: true,
        buildArgs: { GREETING: 'hello-arg' },
        labels: { 'org.opencontainers.image.revision': 'abc123' },
      }),
      options(),
    );

    const served = await readManifest(registry, 'team/app', '1.0.0', CI);
    expect(outcome.digest).toBe(served.digest);
    expect((await readManifest(registry, 'team/app', 'latest', CI)).digest).toBe(served.digest);
    expect(served.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(await listTags(registry, 'team/app', CI)).toEqual(['1.0.0', 'latest']);

    const configDigest = (served.manifest.config as { digest: string }).digest;
    expect(outcome.imageId).toBe(configDigest);
    const config = JSON.parse((await readBlob(registry, 'team/app', configDigest, CI)).toString('utf8'));
    expect(config.config.Labels).toEqual({
      greeting: 'hello-arg',
      'org.opencontainers.image.revision': 'abc123',
      // buildah's own label, which it adds to every image it builds
      'io.buildah.version': expect.any(String),
    });
    expect(outcome.metadata).toEqual({
      'image.name': tags.join(','),
      'buildah.image-id': outcome.imageId,
      'buildah.steps': expect.any(Number),
      'buildah.cache-hits': expect.any(Number),
      'containerimage.digest': served.digest,
      'buildah.pushed': tags.map((tag) => ({ tag, digest: served.digest })),
    });
    expect(logWithoutMasks()).not.toContain(CI.password);
  });

  it('counts the build steps and the ones its layer cache served', async () => {
    const same = request({ tags: [`${proxy.host}/team/cached:1`] });
    await builder.build(same, options());
    const again = await builder.build(same, options());
    const steps = again.metadata['buildah.steps'];
    expect(steps).toBeGreaterThan(1);
    // Everything after FROM comes from the cache the first build filled.
    expect(again.metadata['buildah.cache-hits']).toBe((steps as number) - 1);
  });

  it('builds without pushing: an image ID and no digest', async () => {
    const before = proxy.requests.length;
    const outcome = await builder.build(request({ tags: [`${proxy.host}/team/local:1`] }), options());
    expect(outcome.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(outcome.digest).toBeUndefined();
    expect(proxy.requests.length).toBe(before);
  });

  it('hands secrets over in a 0600 file that is gone after the build, never on the command line', async () => {
    const secret = 'npm-token-!$&-not-for-argv';
    const recorder = recordingBuildah();
    const restorePath = setEnv({ PATH: `${recorder.path}${delimiter}${process.env.PATH}` });
    try {
      await builder.build(request({ secrets: [{ id: 'npm_token', value: secret }] }), options());
    } finally {
      restorePath();
    }
    const [build] = recorder.calls();
    expect(build?.args.join(' ')).not.toContain(secret);
    expect(build?.secrets).toEqual([
      {
        src: expect.stringMatching(new RegExp(`^${sandbox.runnerTemp}/gantry-build-[^/]+/secret-0$`)),
        mode: '600',
        content: secret,
      },
    ]);
    expect(logWithoutMasks()).not.toContain(secret);
    // afterEach checks that RUNNER_TEMP is empty again
  });

  it('removes the secret file when the build fails', async () => {
    writeFileSync(join(context, 'Broken.Dockerfile'), 'FROM scratch\nCOPY missing.txt /\n');
    await expect(
      builder.build(
        request({
          file: join(context, 'Broken.Dockerfile'),
          secrets: [{ id: 'token', value: 'short-lived-secret' }],
        }),
        options(),
      ),
    ).rejects.toThrow(ExecError);
  });

  it('pushes a manifest list for several platforms', async () => {
    const tag = `${registry.host}/team/multi:1`;
    const outcome = await builder.build(
      request({ tags: [tag], platforms: ['linux/amd64', 'linux/arm64'], push: true }),
      options(),
    );
    const served = await readManifest(registry, 'team/multi', '1', CI);
    expect(outcome.digest).toBe(served.digest);
    expect(served.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    const platforms = (served.manifest.manifests as { platform: { architecture: string } }[]).map(
      (entry) => entry.platform.architecture,
    );
    expect(platforms.sort()).toEqual(['amd64', 'arm64']);
    expect(outcome.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('builds a manifest list after a single-platform build of the same content and timestamp', async () => {
    // The amd64 image of the list is then byte for byte one storage already holds. buildah 1.28's
    // `images` failed now and then on such a list (libimage read an instance's manifest from the
    // list's own record); the list's ID now comes from `manifest create`, never from a listing.
    const sourceDateEpoch = 1_700_000_000;
    await builder.build(
      request({ tags: [`${registry.host}/team/again:single`], platforms: ['linux/amd64'], sourceDateEpoch }),
      options(),
    );
    const tag = `${registry.host}/team/again:multi`;
    const outcome = await builder.build(
      request({ tags: [tag], platforms: ['linux/amd64', 'linux/arm64'], push: true, sourceDateEpoch }),
      options(),
    );
    expect(outcome.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(outcome.digest).toBe((await readManifest(registry, 'team/again', 'multi', CI)).digest);
  });

  it("pushes with a login the runner already has, kept in the auth file beside the action's own", async () => {
    const runnerAuth = join(sandbox.dir.path, 'runner-auth.json');
    const login = Buffer.from(`${CI.username}:${CI.password}`).toString('base64');
    writeFileSync(runnerAuth, JSON.stringify({ auths: { [registry.host]: { auth: login } } }));
    const restoreEnv = setEnv({ REGISTRY_AUTH_FILE: runnerAuth });
    const ownDir = join(sandbox.dir.path, 'own-auth');
    mkdirSync(ownDir, { recursive: true });
    try {
      const masks = capture(process.stdout);
      const own = await writeAuthFile(
        [{ registry: 'ghcr.io', username: 'octocat', password: 'ghp_unrelated_token' }],
        ownDir,
        builder.runnerLogins(),
      ).finally(() => masks.restore());
      const outcome = await builder.build(
        request({ tags: [`${registry.host}/team/runner-login:1`], push: true }),
        options({ authFile: own }),
      );
      expect(outcome.digest).toBe((await readManifest(registry, 'team/runner-login', '1', CI)).digest);
    } finally {
      restoreEnv();
    }
  });

  it('refuses to push without tags before building', async () => {
    await expect(builder.build(request({ push: true }), options())).rejects.toThrow(
      'nothing to push: there are no tags',
    );
    expect(stdout.text()).not.toContain('[command]');
  });
});

describe('buildah builder against a failing registry', () => {
  it('retries a push the registry answers 503 twice, and succeeds', async () => {
    proxy.inject({ method: 'PUT', path: /\/manifests\//, status: 503, times: 2 });
    const outcome = await builder.build(
      request({ tags: [`${proxy.host}/team/flaky:1`], push: true }),
      options(),
    );
    expect(outcome.digest).toBe((await readManifest(registry, 'team/flaky', '1', CI)).digest);
    const manifestPuts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
    expect(manifestPuts.map((r) => r.status)).toEqual([503, 503, 201]);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toMatch(
      new RegExp(
        `pushing ${proxy.host}/team/flaky:1 to ${proxy.host}: attempt 1 failed \\(the registry answered with a server error\\)`,
      ),
    );
  });

  it('gives up when the registry stays down past the deadline, naming the registry', async () => {
    await proxy.down();
    const started = Date.now();
    try {
      const error = await builder
        .build(
          request({ tags: [`${proxy.host}/team/down:1`], push: true }),
          options({ pushTimeoutMs: 3_000 }),
        )
        .catch((e: unknown) => e);
      // Retrying stops when no time is left for another attempt, or the deadline cuts the last one short.
      expect([RetryExhaustedError, DeadlineExceededError]).toContain((error as Error).constructor);
      expect((error as Error).message).toContain(`pushing ${proxy.host}/team/down:1 to ${proxy.host}`);
      expect((error as Error).message).toMatch(/connection refused|the registry refused the connection/);
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await proxy.up();
    }
  });

  it('fails at once on a wrong password, without retrying', async () => {
    const badAuthDir = join(sandbox.dir.path, 'bad-auth');
    mkdirSync(badAuthDir, { recursive: true });
    const wrong = await writeAuthFile(
      [{ registry: registry.host, username: 'ci', password: 'not-the-password' }],
      badAuthDir,
      NO_LOGINS,
    );
    const started = Date.now();
    const error = await builder
      .build(request({ tags: [`${registry.host}/team/denied:1`], push: true }), options({ authFile: wrong }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).stderrTail.join('\n')).toMatch(/unauthorized|authentication required/);
    expect(classifyPushFailure(error)).toEqual({ transient: false });
    expect(warnings()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(String((error as Error).message)).not.toContain('not-the-password');
  });
});
