import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runActionBundle } from './action-runner.ts';
import type { ActionRun, RunOptions } from './action-runner.ts';

const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const SECRET = 'probe-secret-value';

const runProbe = (options: Partial<RunOptions> = {}): Promise<ActionRun> =>
  runActionBundle({ action: 'probe', actionDir: path.join(FIXTURES, 'probe-action'), ...options });
const seenEnvironment = (run: ActionRun): Record<string, string> =>
  JSON.parse(run.outputs.environment ?? '{}') as Record<string, string>;

describe('runActionBundle on a successful step', () => {
  let run: ActionRun;
  let workspace: string;
  const inherited = {
    INPUT_NAME: 'inherited',
    INPUT_LEFTOVER: 'x',
    GITHUB_TOKEN: 'ghs_inherited',
    RUNNER_DEBUG: '1',
    STATE_name: 'inherited',
    ACTIONS_RUNTIME_TOKEN: 'inherited',
  };

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'probe-workspace-'));
    // As when the tests themselves run inside GitHub Actions.
    const saved = Object.keys(inherited).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, inherited);
    try {
      run = await runProbe({
        inputs: { name: 'Ada', secret: SECRET, extra: 'surplus' },
        github: { token: 'ghs_probe-token' },
        cwd: workspace,
      });
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it('passes each input as INPUT_<NAME>: upper case, spaces to _, hyphens kept, defaults or empty', () => {
    expect(seenEnvironment(run)).toMatchObject({
      INPUT_NAME: 'Ada',
      'INPUT_FAILURE-LIMIT': '3',
      INPUT_DISPLAY_NAME: 'Probe',
      'INPUT_GITHUB-TOKEN': 'ghs_probe-token',
      INPUT_REPOSITORY: 'https://github.com/gantry-dev/sample-service',
      INPUT_LEAK: 'none',
      INPUT_COMMENT: '',
    });
  });

  it('passes an undeclared input with the runner warning', () => {
    expect(seenEnvironment(run).INPUT_EXTRA).toBe('surplus');
    const warning = "Unexpected input(s) 'extra', valid inputs are ['name', 'failure-limit', 'display name',";
    expect(run.log.split('\n')[0]).toContain(`Warning: ${warning}`);
    expect(run.annotations[0]?.message).toContain(warning);
  });

  it('lets no inherited INPUT_, GITHUB_, RUNNER_, STATE_ or ACTIONS_ variable in', () => {
    const seen = seenEnvironment(run);
    expect(seen.INPUT_LEFTOVER).toBeUndefined();
    expect(seen.GITHUB_TOKEN).toBeUndefined();
    expect(seen.RUNNER_DEBUG).toBeUndefined();
    expect(seen.STATE_name).toBeUndefined();
    expect(seen.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
    expect(run.log).not.toContain('##[debug]');
  });

  it("gives the runner's job environment, with the workspace as working directory", () => {
    expect(seenEnvironment(run)).toMatchObject({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'gantry-dev/sample-service',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKSPACE: workspace,
      RUNNER_OS: 'Linux',
    });
    expect(run.outputs.cwd).toBe(workspace);
  });

  it('reads outputs in both file forms, multi-line heredocs included, and the deprecated command', () => {
    expect(run.outputs).toMatchObject({
      greeting: 'Hello, Ada',
      report: 'line 1\nline 2\n\nline 4',
      plain: 'a=b',
      legacy: 'old style output',
    });
    expect(run.log).toContain('Warning: The `set-output` command is deprecated');
    expect(run.log).toContain('Warning: The `save-state` command is deprecated');
  });

  it('reads exported variables, added paths and the summary', () => {
    expect(run.exportedEnv).toEqual({ PROBE_EXPORTED: 'exported value' });
    expect(run.addedPath).toEqual(['/opt/probe/bin']);
    expect(run.summary).toBe('<h1>Probe summary</h1>\nGreeted Ada');
  });

  it('records annotations with their properties, unescaped, and renders them in the log', () => {
    expect(run.annotations).toContainEqual({
      level: 'error',
      message: 'Broken: 100% sure\nsecond line',
      properties: { title: 'Probe, failed: badly', file: 'src/app.ts', line: '3', endLine: '4' },
    });
    expect(run.annotations).toContainEqual({
      level: 'warning',
      message: 'Check the manifest',
      properties: { file: 'k8s/deploy.yaml', line: '7', repo: 'gantry-dev/sample-service' },
    });
    expect(run.annotations).toContainEqual({ level: 'notice', message: 'Probe notice', properties: {} });
    expect(run.log).toContain('Error: Broken: 100% sure\nsecond line');
    expect(run.log).toContain('Notice: Probe notice');
  });

  it('records masks and hides add-mask lines from the log', () => {
    expect(run.masks).toEqual([SECRET]);
    expect(run.stdout).toContain(`::add-mask::${SECRET}`);
    expect(run.log).not.toContain('add-mask');
    expect(run.log).not.toContain(SECRET);
  });

  it('renders groups by title and shows lines verbatim between stop-commands and its token', () => {
    expect(run.log).toContain('Probe inputs\nname is Ada');
    expect(run.log).not.toContain('::group::');
    expect(run.log).toContain('::warning::not a command while stopped');
    expect(run.annotations.map((a) => a.message)).not.toContain('not a command while stopped');
  });

  it('interleaves stderr into the log and keeps both streams raw', () => {
    expect(run.stderr).toBe('probe wrote to stderr\n');
    expect(run.log).toContain('probe wrote to stderr');
    expect(run.stdout).toContain('::error title=Probe%2C failed%3A badly');
  });

  it('runs the post step with the saved state, inputs, exported variables and added path', () => {
    expect(run.post?.outcome).toBe('success');
    expect(run.post?.log).toContain('post saw state variables STATE_legacy-state,STATE_name');
    expect(run.post?.log).toContain('post saw state name=Ada');
    expect(run.post?.log).toContain('post saw state legacy-state=old style state');
    expect(run.post?.log).toContain('post saw input name=Ada');
    expect(run.post?.log).toContain('post saw PROBE_EXPORTED=exported value');
    expect(run.post?.log).toContain('post saw PATH starting with /opt/probe/bin');
    expect(run.post?.summary).toBe('Post step ran');
  });

  it('reports success', () => {
    expect(run).toMatchObject({ outcome: 'success', exitCode: 0, signal: null });
  });
});

describe('runActionBundle', () => {
  it('resolves ${{ github.token }} to an empty string when no token is given', async () => {
    const run = await runProbe({ runPost: false });
    expect(seenEnvironment(run)['INPUT_GITHUB-TOKEN']).toBe('');
    expect(run.post).toBeUndefined();
  });

  it('applies env last, over the variables it sets and the defaults built from them', async () => {
    const run = await runProbe({
      env: { GITHUB_REPOSITORY: 'other/repo', RUNNER_DEBUG: '1' },
      runPost: false,
    });
    expect(seenEnvironment(run)).toMatchObject({ GITHUB_REPOSITORY: 'other/repo', RUNNER_DEBUG: '1' });
    expect(seenEnvironment(run).INPUT_REPOSITORY).toBe('https://github.com/other/repo');
    expect(run.log).toContain('##[debug]probe debug detail');
  });

  it('runs the post step after a failed main step', async () => {
    const run = await runProbe({ inputs: { behaviour: 'fail' } });
    expect(run).toMatchObject({ outcome: 'failure', exitCode: 1 });
    expect(run.annotations.at(-1)).toEqual({
      level: 'error',
      message: 'Probe failed because behaviour is fail',
      properties: {},
    });
    expect(run.outputs.greeting).toBe('Hello, world');
    expect(run.post?.log).toContain('post saw state name=world');
  });

  it('skips a post-if: success() post step after a failed main step only', async () => {
    const actionDir = path.join(FIXTURES, 'post-if-success-action');
    const failed = await runActionBundle({ action: 'probe', actionDir, inputs: { behaviour: 'fail' } });
    expect(failed.post).toBeUndefined();
    const passed = await runActionBundle({ action: 'probe', actionDir });
    expect(passed.post?.log).toContain('post saw state legacy-state=old style state');
  });

  it('fails a step whose file commands are malformed, even on exit code 0', async () => {
    const run = await runProbe({ inputs: { behaviour: 'malformed-output' }, runPost: false });
    expect(run).toMatchObject({ outcome: 'failure', exitCode: 0 });
    expect(run.annotations.slice(-2).map((a) => a.message)).toEqual([
      "Unable to process file command 'output' successfully.",
      "Invalid value. Matching delimiter not found 'EOF'",
    ]);
  });

  it('delivers a signal to the main step, which ends cancelled', async () => {
    const run = await runProbe({
      inputs: { behaviour: 'wait-for-cancel' },
      signal: { afterMs: 1000, name: 'SIGTERM' },
    });
    expect(run).toMatchObject({ outcome: 'cancelled', exitCode: 1 });
    expect(run.log).toContain('Error: Probe cancelled by SIGTERM');
    expect(run.post?.outcome).toBe('success');
  });

  it('delivers a signal once the main step prints a matching line', async () => {
    const run = await runProbe({
      inputs: { behaviour: 'wait-for-cancel' },
      signal: { afterLine: /^waiting for cancellation$/, name: 'SIGINT' },
    });
    expect(run).toMatchObject({ outcome: 'cancelled', exitCode: 1 });
    expect(run.log).toContain('waiting for cancellation');
    expect(run.log).toContain('Error: Probe cancelled by SIGINT');
  });

  it('sends no signal when no line matches, and the step ends as it would', async () => {
    const run = await runProbe({ signal: { afterLine: /^never printed$/, name: 'SIGTERM' }, runPost: false });
    expect(run).toMatchObject({ outcome: 'success', exitCode: 0, signal: null });
  });

  it('delivers a signal when the event it waits for happens', async () => {
    // Already happened: the signal reaches the probe before it handles any, and ends it.
    const run = await runProbe({
      inputs: { behaviour: 'wait-for-cancel' },
      signal: { when: Promise.resolve(), name: 'SIGTERM' },
      runPost: false,
    });
    expect(run).toMatchObject({ outcome: 'cancelled', signal: 'SIGTERM' });
  });

  it('fails the run and ends the step when the event to cancel on fails', async () => {
    const failed = Promise.reject(new Error('the state never came'));
    // Handled here as well, so the rejection is not reported before the harness subscribes.
    failed.catch(() => undefined);
    await expect(
      runProbe({ inputs: { behaviour: 'wait-for-cancel' }, signal: { when: failed, name: 'SIGTERM' } }),
    ).rejects.toThrow('The event to cancel the step on failed: Error: the state never came');
  });

  it('kills the process group of a step that outlives its timeout and reports the log tail', async () => {
    const started = Date.now();
    // Time for the probe to start and print before it hangs, on a loaded machine too (within 1 s,
    // one under load had printed nothing yet).
    const failure = await runProbe({ inputs: { behaviour: 'hang' }, timeoutMs: 4000 }).then(
      () => new Error('the run did not time out'),
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/probe: the main step timed out after 4000 ms/);
    expect(failure.message).toContain('probe wrote to stderr');
    // The probe ignores SIGTERM, so only SIGKILL ends it, two seconds later; it would hang for ever.
    expect(Date.now() - started).toBeLessThan(15_000);
    const grandchild = Number(/grandchild pid (\d+)/.exec(failure.message)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(() => process.kill(grandchild, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('names the missing bundle and how to build it', async () => {
    await expect(runActionBundle({ action: 'no-such-action' })).rejects.toThrow(
      /No action.yml or action.yaml/,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'unbundled-'));
    try {
      await writeFile(
        path.join(dir, 'action.yml'),
        'runs:\n  using: node24\n  main: ../../dist/x/index.js\n',
      );
      await expect(runActionBundle({ action: 'x', actionDir: dir })).rejects.toThrow(
        /run `npm run bundle` first/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
