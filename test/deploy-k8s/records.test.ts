import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';
import { story, webApp, writeFiles } from './helpers.ts';

/** deploy-k8s and GitHub's deployment records: the exact calls for a good deploy, a failed one rolled back, and GitHub failing. */

const RUN_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const RUN_URL = 'https://github.com/gantry-dev/sample-service/actions/runs/9000000001';
const GOOD = 'registry.example.com:5000/shop/web:1.0';

let simulator: KubernetesSimulator;
let github: GitHubApi;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30, backOffMs: 50 });
  github = await startGitHubApi({ repository: 'gantry-dev/sample-service', refs: { main: RUN_SHA } });
  workspace = tempDir('gantry-deploy-k8s-records-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp() });
});
afterEach(async () => {
  await github.close();
  await simulator.close();
  workspace.remove();
});

async function deploy(
  inputs: Record<string, string>,
  sha = RUN_SHA,
): Promise<{ run: ActionRun; calls: string[]; requests: GitHubApi['requests'] }> {
  const before = github.requests.length;
  const callsBefore = github.callLog().length;
  const run = await runActionBundle({
    action: 'deploy-k8s',
    inputs: { kubeconfig: simulator.kubeconfig, timeout: '20s', manifests: 'k8s', ...inputs },
    cwd: workspace.path,
    env: { ...github.env, GITHUB_SHA: sha },
    github: { token: github.token },
    timeoutMs: 60_000,
  });
  return { run, calls: github.callLog().slice(callsBefore), requests: github.requests.slice(before) };
}

function annotations(run: ActionRun, level: string): string[] {
  return run.annotations.filter((item) => item.level === level).map((item) => item.message);
}

function expectExit(run: ActionRun, exit: number): void {
  expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit });
}

describe('deploy-k8s deployment records', () => {
  it('a good deploy: created with its payload, in_progress, success, the earlier success inactive', async () => {
    const first = await deploy({ environment: 'production' });
    expectExit(first.run, 0);
    const firstId = Number(first.run.outputs['deployment-id']);
    expect(first.calls).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${firstId}/statuses in_progress -> 201`,
      `POST /deployments/${firstId}/statuses success -> 201`,
      'GET /deployments -> 200',
    ]);

    const next = 'registry.example.com:5000/shop/web:1.1@sha256:' + 'e'.repeat(64);
    const { run, calls, requests } = await deploy({
      environment: 'production',
      'environment-url': 'https://shop.example.com',
      'production-environment': 'true',
      images: next,
    });
    expectExit(run, 0);
    const id = Number(run.outputs['deployment-id']);
    expect(id).toBeGreaterThan(firstId);
    expect(calls).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${firstId}/statuses -> 200`,
      `POST /deployments/${firstId}/statuses inactive -> 201`,
    ]);
    expect(requests[0]?.body).toMatchObject({
      ref: RUN_SHA,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
    });
    expect(requests[0]?.body).not.toHaveProperty('transient_environment');
    expect(github.deployments().find((item) => item.id === id)).toMatchObject({
      sha: RUN_SHA,
      payload: {
        gantry: 1,
        action: 'deploy-k8s',
        platform: 'kubernetes',
        images: [next],
        run_url: RUN_URL,
        kubernetes: {
          workloads: [
            {
              kind: 'Deployment',
              name: 'web',
              namespace: 'default',
              revision: null,
              previous_revision: 1,
              containers: { app: next },
            },
          ],
        },
      },
    });
    expect(github.statuses(id).map((status) => status.state)).toEqual(['in_progress', 'success']);
    expect(github.statuses(id).at(-1)).toMatchObject({
      environment_url: 'https://shop.example.com',
      log_url: RUN_URL,
      description: 'Deployed Deployment/default/web revision 2',
    });
    expect(github.statuses(firstId).map((status) => status.state)).toEqual([
      'in_progress',
      'success',
      'inactive',
    ]);
    expect(annotations(run, 'warning')).toEqual([]);
    expectNoSecretLeaks(run, [github.token, simulator.token]);
  });

  it('a failed deploy with automatic rollback: failure, then a rollback record of the restored commit with rollback_of, success', async () => {
    const goodSha = 'a'.repeat(40);
    const good = await deploy({ environment: 'production' }, goodSha);
    expectExit(good.run, 0);
    const goodId = Number(good.run.outputs['deployment-id']);
    const broken = 'registry.example.com:5000/shop/web:2.0-broken';
    simulator.behaviour.unpullableImage(broken);
    const { run, calls } = await deploy({ environment: 'production', images: broken });
    expectExit(run, 1);
    expect(run.outputs['rolled-back']).toBe('true');
    const failedId = Number(run.outputs['deployment-id']);
    const rollbackId = Math.max(...github.deployments().map((item) => item.id));
    expect(rollbackId).toBeGreaterThan(failedId);
    expect(calls).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${failedId}/statuses in_progress -> 201`,
      `POST /deployments/${failedId}/statuses failure -> 201`,
      'GET /deployments -> 200',
      'POST /deployments -> 201',
      `POST /deployments/${rollbackId}/statuses in_progress -> 201`,
      `POST /deployments/${rollbackId}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${failedId}/statuses -> 200`,
      `GET /deployments/${goodId}/statuses -> 200`,
      `POST /deployments/${goodId}/statuses inactive -> 201`,
    ]);
    expect(github.statuses(failedId).map((status) => status.state)).toEqual(['in_progress', 'failure']);
    expect(github.statuses(failedId).at(-1)?.description).toContain('1 of 1 rollout(s) failed');
    expect(github.deployments().find((item) => item.id === failedId)?.sha).toBe(RUN_SHA);
    // The rollback record carries the commit of the release it restored, found by its images.
    expect(github.deployments().find((item) => item.id === rollbackId)).toMatchObject({
      sha: goodSha,
      environment: 'production',
      payload: {
        action: 'rollback',
        rollback_of: failedId,
        images: [GOOD],
        kubernetes: {
          workloads: [{ kind: 'Deployment', name: 'web', namespace: 'default', containers: { app: GOOD } }],
        },
      },
    });
    expect(github.statuses(rollbackId).at(-1)).toMatchObject({
      state: 'success',
      description: 'Restored Deployment/default/web revision 3',
    });
    expect(github.statuses(goodId).at(-1)?.state).toBe('inactive');
    expect(annotations(run, 'warning')).toEqual([]);
  });

  it('a GitHub that is down is one warning: the deploy itself succeeds', async () => {
    github.faults.inject({ kind: 'reset', times: Infinity });
    const { run } = await deploy({ environment: 'production' });
    expectExit(run, 0);
    expect(annotations(run, 'warning')).toEqual([expect.stringContaining('Deployment record not written')]);
    expect(run.outputs['deployment-id']).toBe('');
  }, 90_000);

  it('a token that may not write deployments (403) is one warning, and the token appears nowhere', async () => {
    github.faults.inject({ kind: 'forbidden', method: 'POST', times: Infinity });
    const { run, requests } = await deploy({ environment: 'production' });
    expectExit(run, 0);
    expect(annotations(run, 'warning')).toEqual([
      expect.stringContaining('Resource not accessible by integration'),
    ]);
    expect(requests.map((request) => `${request.method} ${request.status}`)).toEqual(['POST 403']);
    expectNoSecretLeaks(run, [github.token]);
  });

  it('without an environment, records nothing and says so; a dry run or record-deployment false records nothing', async () => {
    const { run, requests } = await deploy({});
    expectExit(run, 0);
    expect(requests).toEqual([]);
    expect(annotations(run, 'notice')).toEqual([
      expect.stringContaining('No deployment record: no environment input was given'),
    ]);
    const quietInputs: Record<string, string>[] = [{ 'dry-run': 'true' }, { 'record-deployment': 'false' }];
    for (const inputs of quietInputs) {
      const quiet = await deploy({ environment: 'production', ...inputs });
      expectExit(quiet.run, 0);
      expect(quiet.requests).toEqual([]);
      expect(quiet.run.outputs['deployment-id'] ?? '').toBe('');
    }
  });
});
