import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';
import { listTags, readManifest, startRegistry, type Registry } from '../../support/registry.ts';
import {
  buildPush,
  createSandbox,
  errors,
  expectCleanedUp,
  expectOutcome,
  warnings,
  type Sandbox,
} from './helpers.ts';

/**
 * The committed bundle pushing through the fault proxy to the real registry: a registry that fails
 * for a moment (pushed anyway, with warnings), and one that stays down or hangs past push-timeout
 * (a clear error at the deadline). Whatever ends the main step — those, a failed build, a cancelled
 * run — the post step removes the credentials it wrote.
 */

const CI = { username: 'ci', password: 'fault-pass-Rk52vn' };
/** Every failing run here is over in a few seconds; this only catches a deadline that is not kept. */
const WELL_BEFORE_A_MINUTE_MS = 30_000;

let sandbox: Sandbox;
let registry: Registry;
let proxy: FaultProxy;

beforeAll(async () => {
  sandbox = createSandbox();
  registry = await startRegistry({ users: { [CI.username]: CI.password } });
  proxy = await startFaultProxy(registry.url);
});

afterEach(async () => {
  proxy.clearFaults();
  await proxy.up();
});

afterAll(async () => {
  await proxy?.close();
  await registry?.close();
  sandbox?.remove();
});

function inputs(repository: string, tag: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    images: `${proxy.host}/${repository}`,
    tags: `type=raw,value=${tag}`,
    username: CI.username,
    password: CI.password,
    'insecure-registries': proxy.host,
    ...extra,
  };
}

/** The proxy's host for a RegExp. */
function hostPattern(): string {
  return proxy.host.replaceAll('.', '\\.');
}

function manifestPuts(repository: string): { path: string; status: number | 'reset' }[] {
  return proxy.requests
    .filter((request) => request.method === 'PUT' && request.path.startsWith(`/v2/${repository}/manifests/`))
    .map(({ path, status }) => ({ path, status }));
}

describe('a registry that answers 503 twice to the manifest upload, then recovers', () => {
  it('pushes anyway, with a warning for each failed attempt, and the digest the registry serves', async () => {
    proxy.inject({ method: 'PUT', path: /^\/v2\/team\/flaky\/manifests\//, status: 503, times: 2 });
    const result = await buildPush(sandbox, inputs('team/flaky', 'stable', { 'push-timeout': '1m' }));
    const { run } = result;

    expectOutcome(run, 'success');
    expect(manifestPuts('team/flaky')).toEqual([
      { path: '/v2/team/flaky/manifests/stable', status: 503 },
      { path: '/v2/team/flaky/manifests/stable', status: 503 },
      { path: '/v2/team/flaky/manifests/stable', status: 201 },
    ]);
    expect(warnings(run).map((warning) => warning.message)).toEqual([
      expect.stringMatching(
        /^pushing .*team\/flaky:stable .*attempt 1 failed \(the registry answered with a server error\)/,
      ),
      expect.stringMatching(
        /^pushing .*team\/flaky:stable .*attempt 2 failed \(the registry answered with a server error\)/,
      ),
    ]);
    expect(errors(run)).toEqual([]);
    expect(await listTags(registry, 'team/flaky', CI)).toEqual(['stable']);
    expect(run.outputs.digest).toBe((await readManifest(registry, 'team/flaky', 'stable', CI)).digest);
    expect(run.summary).toContain(`| \`${proxy.host}/team/flaky:stable\` | pushed |`);
    expectCleanedUp(result);
    expectNoSecretLeaks(run, [CI.password]);
  });
});

describe('a registry that stays down past push-timeout', () => {
  it('fails at the deadline with an error naming the registry, and the post step still logs out', async () => {
    await proxy.down();
    const result = await buildPush(sandbox, inputs('team/down', 'never', { 'push-timeout': '3s' }));
    const { run } = result;

    expectOutcome(run, 'failure');
    expect(run.durationMs).toBeLessThan(WELL_BEFORE_A_MINUTE_MS);
    expect(errors(run)).toEqual([
      expect.objectContaining({
        // Either retrying stops because the deadline leaves no time for another attempt, or (on a
        // loaded machine) the deadline cuts the last attempt short: both name the push and the 3s.
        message: expect.stringMatching(
          new RegExp(
            `^(pushing ${hostPattern()}/team/down:never to ${hostPattern()} failed after \\d+ attempts in .*deadline of 3s` +
              `|Timed out after 3s waiting for pushing ${hostPattern()}/team/down:never)`,
          ),
        ),
      }),
    ]);
    expect(run.log).toMatch(/connection refused/);
    expect(warnings(run).length).toBeGreaterThan(0);
    expect(run.outputs.digest).toBeUndefined();
    // The main step wrote credentials for the builder before it failed; the post step removed them.
    expect(run.state['auth-file']).toBeDefined();
    expectCleanedUp(result);
    await proxy.up();
    expect(await listTags(registry, 'team/down', CI)).toEqual([]);
    expectNoSecretLeaks(run, [CI.password]);
  });
});

describe('a registry that hangs on the manifest upload past push-timeout', () => {
  it('stops the hanging push at the deadline and fails, naming the registry', async () => {
    proxy.delay(120_000, { method: 'PUT', path: /^\/v2\/team\/hang\/manifests\// });
    const result = await buildPush(sandbox, inputs('team/hang', 'stuck', { 'push-timeout': '3s' }));
    const { run } = result;

    expectOutcome(run, 'failure');
    expect(run.durationMs).toBeLessThan(WELL_BEFORE_A_MINUTE_MS);
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(
            `^Timed out after 3s waiting for .*pushing ${hostPattern()}/team/hang:stuck to ${hostPattern()}`,
          ),
        ),
      }),
    ]);
    expectCleanedUp(result);
    proxy.clearFaults();
    expect(await listTags(registry, 'team/hang', CI)).toEqual([]);
    expectNoSecretLeaks(run, [CI.password]);
  });
});

describe('a build that fails', () => {
  it('fails naming the Dockerfile step, pushes nothing, and the post step still logs out', async () => {
    writeFileSync(
      join(sandbox.workspace, 'Broken.Dockerfile'),
      'FROM scratch\nCOPY missing.txt /missing.txt\n',
    );
    const result = await buildPush(
      sandbox,
      inputs('team/broken', 'never', { context: '.', file: 'Broken.Dockerfile' }),
    );
    const { run } = result;

    expectOutcome(run, 'failure');
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^"buildah build .*" exited with code \d+:\n.*STEP "COPY missing\.txt \/missing\.txt"/s,
        ),
      }),
    ]);
    expect(run.log).not.toMatch(/^\[command\]buildah push/m);
    expect(run.state['auth-file']).toBeDefined();
    expectCleanedUp(result);
    expect(await listTags(registry, 'team/broken', CI)).toEqual([]);
    expectNoSecretLeaks(run, [CI.password]);
  });
});

describe('a cancelled run', () => {
  it('stops, ends as cancelled, and the post step still logs out', async () => {
    // The manifest upload hangs, and the run is cancelled once it starts pushing: mid-push.
    proxy.delay(120_000, { method: 'PUT', path: /^\/v2\/team\/cancelled\/manifests\// });
    const result = await buildPush(sandbox, inputs('team/cancelled', 'halted', { 'push-timeout': '1m' }), {
      signal: { afterLine: /^\[command\]buildah push /, name: 'SIGINT' },
    });
    const { run } = result;

    expect({ outcome: run.outcome, log: run.log }).toEqual({ outcome: 'cancelled', log: expect.any(String) });
    expect(run.durationMs).toBeLessThan(WELL_BEFORE_A_MINUTE_MS);
    expect(errors(run).map((annotation) => annotation.message)).toContain('Cancelled by SIGINT.');
    expect(run.state['auth-file']).toBeDefined();
    expectCleanedUp(result);
    proxy.clearFaults();
    expect(await listTags(registry, 'team/cancelled', CI)).toEqual([]);
    expectNoSecretLeaks(run, [CI.password]);
  });
});
