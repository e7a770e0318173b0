import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, type ActionRun, type RunOptions } from '../support/action-runner.ts';
import { startHttpService, type HttpService } from '../support/http-service.ts';

/**
 * The root action (action.yml at the repository root, dist/gantry/index.js) run as the runner runs
 * `uses: gantry-dev/gantry@v1`: the runner passes '' for every input the workflow leaves out, and the
 * dispatcher must give the chosen action its own defaults, run its main and post steps, and produce
 * what a direct `uses: gantry-dev/gantry/actions/<name>@v1` produces.
 */
const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** Every action the repository has, as the dispatcher must list them. */
const ACTION_NAMES = readdirSync(join(REPO_ROOT, 'actions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, 'actions', entry.name, 'action.yml')))
  .map((entry) => entry.name)
  .sort();

/** Outputs with what differs between any two runs (the build time, the runner's temp folder) replaced. */
function stable(outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, value]) => [
      name,
      value
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
        .replace(/gantry-runner-\w+/g, '<runner>'),
    ]),
  );
}

function throughRoot(options: Omit<RunOptions, 'action'>): Promise<ActionRun> {
  return runActionBundle({ ...options, action: 'gantry', actionDir: REPO_ROOT });
}

describe('the root action', () => {
  let workspace: string;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'gantry-root-'));
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  // build-push with push: false computes its tags from the `tags` and `flavor` defaults
  // (type=ref,event=branch and latest=auto): left empty, it would have no tag to give the image.
  const buildPush = {
    images: 'registry.example.test/team/api',
    'dry-run': 'true',
  };

  it("runs build-push's main and post steps with build-push's defaults, as a direct use does", async () => {
    const direct = await runActionBundle({ action: 'build-push', inputs: buildPush, cwd: workspace });
    const root = await throughRoot({ inputs: { action: 'build-push', ...buildPush }, cwd: workspace });

    expect({ outcome: root.outcome, log: root.outcome === 'success' ? '' : root.log }).toEqual({
      outcome: 'success',
      log: '',
    });
    expect(root.outputs.tags?.split('\n')).toContain('registry.example.test/team/api:main');
    expect(stable(root.outputs)).toEqual(stable(direct.outputs));
    expect(root.annotations).toEqual(direct.annotations);
    expect(root.post?.outcome).toBe('success');
    expect(root.post?.log).toMatch(/Post step finished in/);
  });

  describe('against a service', () => {
    let service: HttpService;
    beforeAll(async () => {
      service = await startHttpService({ routes: { '/health': () => ({ status: 204, body: '' }) } });
    });
    afterAll(() => service.close());

    it("applies smoke-test's samples default (3) and passes the given inputs through", async () => {
      const run = await throughRoot({
        inputs: { action: 'smoke-test', url: `${service.url('/health')}`, interval: '50ms' },
        timeoutMs: 30_000,
      });
      expect({ outcome: run.outcome, passed: run.outputs.passed }).toEqual({
        outcome: 'success',
        passed: 'true',
      });
      const report = JSON.parse(run.outputs.report ?? '{}') as { checks: { samples: number }[] };
      expect(report.checks.map((check) => check.samples)).toEqual([3]);
      // smoke-test has no post step: the root's post step runs and does nothing.
      expect(run.post?.outcome).toBe('success');
      expect(run.post?.stdout).toBe('');
    });

    it('warns about an input the chosen action does not declare, as the runner would', async () => {
      const run = await throughRoot({
        inputs: {
          action: 'smoke-test',
          url: `${service.url('/health')}`,
          interval: '50ms',
          manifests: 'k8s/',
        },
        timeoutMs: 30_000,
      });
      expect(run.outcome).toBe('success');
      expect(run.annotations.filter((annotation) => annotation.level === 'warning')).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /^Unexpected input\(s\) 'manifests' for action smoke-test, valid inputs/,
          ),
        }),
      ]);
    });
  });

  it('refuses an action that does not exist, naming the input, the value and the accepted names', async () => {
    const run = await throughRoot({ inputs: { action: 'deploy-moon' } });
    expect(run.outcome).toBe('failure');
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        message: `Invalid configuration: Input "action" is "deploy-moon", which is not a Gantry action; accepted: ${ACTION_NAMES.join(', ')}.`,
      }),
    ]);
    expect(run.post?.stdout).toBe('');
  });

  it("gives the second word to the chosen action's own `action` input", async () => {
    const run = await throughRoot({ inputs: { action: 'deploy-k8s rewind', manifests: 'k8s/' } });
    expect(run.outcome).toBe('failure');
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/"action".*"rewind"/) }),
    ]);
  });

  it('refuses a second word for an action that has no `action` input of its own', async () => {
    const run = await throughRoot({ inputs: { action: 'smoke-test promote' } });
    expect(run.outcome).toBe('failure');
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(
          /^Invalid configuration: Input "action" is "smoke-test promote", but smoke-test takes no second word; accepted: smoke-test alone, or a second word for /,
        ),
      }),
    ]);
    expect(run.post?.stdout).toBe('');
  });
});
