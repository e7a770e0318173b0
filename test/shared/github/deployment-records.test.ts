import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DeploymentPayload } from '../../../shared/src/github/deployment-payload.ts';
import { limitDescription, readPayload } from '../../../shared/src/github/deployment-payload.ts';
import { deploymentRecords, type RecordSettings } from '../../../shared/src/github/deployment-records.ts';
import { startGitHubApi, type GitHubApi } from '../../support/github-api/index.ts';

/** Deployment records through the real Octokit against the simulated GitHub API. */

const SHA = 'b'.repeat(40);
let api: GitHubApi;
let said: { warning: string[]; notice: string[]; info: string[] };

const payload: DeploymentPayload = {
  gantry: 1,
  action: 'deploy-k8s',
  platform: 'kubernetes',
  kubernetes: {
    workloads: [
      {
        kind: 'Deployment',
        name: 'web',
        namespace: 'shop',
        revision: null,
        previous_revision: 3,
        containers: { app: 'registry/web@sha256:' + 'a'.repeat(64) },
      },
    ],
  },
  images: ['registry/web@sha256:' + 'a'.repeat(64)],
  run_url: 'https://github.com/acme/shop/actions/runs/42',
};

function records(settings: Partial<RecordSettings> = {}) {
  return deploymentRecords(
    { enabled: true, token: api.token, environment: 'production', ...settings },
    {
      warning: (message) => said.warning.push(message),
      notice: (message) => said.notice.push(message),
      info: (message) => said.info.push(message),
      env: { ...api.env, GITHUB_SHA: SHA, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42' },
      phaseTimeoutMs: 5_000,
    },
  );
}

beforeEach(async () => {
  api = await startGitHubApi();
  said = { warning: [], notice: [], info: [] };
});

afterEach(async () => {
  await api.close();
});

describe('deployment records', () => {
  it('records a deploy: deployment, in_progress, success, and an explicit inactive for the earlier success', async () => {
    const first = await records({ environmentUrl: 'https://shop.example.com', production: true }).start({
      description: 'deploy-k8s: web',
      payload,
    });
    await first.finish('success', 'Deployed web.');
    const log = api.callLog().length;
    const second = await records({ environmentUrl: 'https://shop.example.com', production: true }).start({
      description: 'deploy-k8s: web',
      payload,
    });
    await second.finish('success', 'Deployed web.');
    expect(api.callLog().slice(log)).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${second.id}/statuses in_progress -> 201`,
      `POST /deployments/${second.id}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${first.id}/statuses -> 200`,
      `POST /deployments/${first.id}/statuses inactive -> 201`,
    ]);
    const created = api.requests[log]?.body;
    expect(created).toEqual({
      ref: SHA,
      task: 'deploy',
      environment: 'production',
      description: 'deploy-k8s: web',
      payload,
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
    });
    expect(api.statuses(second.id as number).map((status) => status.state)).toEqual([
      'in_progress',
      'success',
    ]);
    expect(api.statuses(second.id as number)[1]).toMatchObject({
      log_url: 'https://github.com/acme/shop/actions/runs/42',
      environment_url: 'https://shop.example.com',
    });
    expect(said.warning).toEqual([]);
  });

  it('stops the inactive sweep at the first inactive record and passes over failures', async () => {
    const ids: number[] = [];
    for (const state of ['success', 'success', 'failure'] as const) {
      const record = await records().start({ description: 'deploy', payload });
      await record.finish(state, state);
      ids.push(record.id as number);
    }
    const log = api.callLog().length;
    const last = await records().start({ description: 'deploy', payload });
    await last.finish('success', 'ok');
    expect(api.callLog().slice(log + 3)).toEqual([
      'GET /deployments -> 200',
      `GET /deployments/${ids[2]}/statuses -> 200`,
      `GET /deployments/${ids[1]}/statuses -> 200`,
      `POST /deployments/${ids[1]}/statuses inactive -> 201`,
      `GET /deployments/${ids[0]}/statuses -> 200`,
    ]);
    expect(api.statuses(ids[2] as number).at(-1)?.state).toBe('failure');
  });

  it('records a rollback as its own deployment with rollback_of, the failed one keeping failure', async () => {
    const failed = await records().start({ description: 'deploy', payload });
    await failed.finish('failure', 'web: ImagePullBackOff');
    const rollback = await records().start({
      ref: 'c'.repeat(40),
      description: 'Rollback of deployment ' + failed.id,
      payload: { ...payload, action: 'rollback', rollback_of: failed.id as number },
    });
    await rollback.finish('success', 'Restored revision 3.');
    const deployments = api.deployments();
    expect(deployments.at(-1)).toMatchObject({ sha: 'c'.repeat(40), payload: { rollback_of: failed.id } });
    expect(api.statuses(failed.id as number).at(-1)?.state).toBe('failure');
  });

  it('records a failed deploy with its automatic rollback: failure kept, rollback success, the last good one inactive', async () => {
    const good = await records().start({ description: 'deploy web:1', payload });
    await good.finish('success', 'ok');
    const log = api.callLog().length;
    const failed = await records().start({ description: 'deploy web:2', payload });
    await failed.finish('failure', 'Deployment/shop/web: ImagePullBackOff');
    const rollback = await records().start({
      ref: SHA,
      description: `Rollback of deployment ${failed.id}`,
      payload: { ...payload, action: 'rollback', rollback_of: failed.id as number },
    });
    await rollback.finish('success', 'Restored revision 1');
    expect(api.callLog().slice(log)).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${failed.id}/statuses in_progress -> 201`,
      `POST /deployments/${failed.id}/statuses failure -> 201`,
      'POST /deployments -> 201',
      `POST /deployments/${rollback.id}/statuses in_progress -> 201`,
      `POST /deployments/${rollback.id}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${failed.id}/statuses -> 200`,
      `GET /deployments/${good.id}/statuses -> 200`,
      `POST /deployments/${good.id}/statuses inactive -> 201`,
    ]);
    expect(api.statuses(failed.id as number).map((status) => status.state)).toEqual([
      'in_progress',
      'failure',
    ]);
    expect(api.statuses(good.id as number).at(-1)?.state).toBe('inactive');
  });

  it('retries 5xx and a secondary rate limit (after its Retry-After), then records without a warning', async () => {
    api.faults.inject({ kind: 'server-error', status: 503, method: 'POST', path: /deployments$/, times: 2 });
    api.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 1, path: /statuses$/ });
    const started = Date.now();
    const record = await records().start({ description: 'deploy', payload });
    expect(record.id).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(api.callLog()).toEqual([
      'POST /deployments -> 503',
      'POST /deployments -> 503',
      'POST /deployments -> 201',
      `POST /deployments/${record.id}/statuses in_progress -> 403`,
      `POST /deployments/${record.id}/statuses in_progress -> 201`,
    ]);
    expect(said.warning).toEqual([]);
    expect(said.info.filter((line) => line.includes('retrying'))).toHaveLength(3);
  });

  it('a GitHub that is down is one warning, and nothing more is tried', async () => {
    api.faults.inject({ kind: 'reset', times: Infinity });
    const record = await records().start({ description: 'deploy', payload });
    const tried = api.requests.length;
    await record.finish('success', 'ok');
    expect(record.id).toBeUndefined();
    expect(api.requests).toHaveLength(tried);
    expect(said.warning).toHaveLength(1);
    expect(said.warning[0]).toMatch(
      /^Deployment record not written \(create the deployment in production\): .*The deploy itself is not affected\.$/,
    );
  });

  it('a 403 refusal is final: one request, one warning naming it', async () => {
    api.faults.inject({ kind: 'forbidden', times: Infinity });
    const record = await records().start({ description: 'deploy', payload });
    await record.finish('failure', 'x');
    expect(api.callLog()).toEqual(['POST /deployments -> 403']);
    expect(said.warning).toEqual([expect.stringContaining('Resource not accessible by integration')]);
  });

  it('a primary rate limit that resets after the deadline is not waited for', async () => {
    api.faults.inject({ kind: 'rate-limit', resetInSeconds: 3600, times: Infinity });
    const started = Date.now();
    await records().start({ description: 'deploy', payload });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api.requests).toHaveLength(1);
    expect(said.warning).toEqual([expect.stringContaining('API rate limit exceeded')]);
  });

  it('writes nothing without an environment (a notice says why) or when disabled (silently)', async () => {
    await (
      await records({ environment: undefined }).start({ description: 'deploy', payload })
    ).finish('success', 'ok');
    await (
      await records({ enabled: false }).start({ description: 'deploy', payload })
    ).finish('success', 'ok');
    expect(api.requests).toEqual([]);
    expect(said.notice).toEqual([expect.stringContaining('no environment input was given')]);
    expect(said.warning).toEqual([]);
  });

  it("cuts a long description to GitHub's 140 characters", async () => {
    const record = await records().start({ description: 'deploy', payload });
    await record.finish('failure', `Deployment/shop/web: ${'ImagePullBackOff '.repeat(20)}`);
    expect(said.warning).toEqual([]);
    const description = api.statuses(record.id as number).at(-1)?.description ?? '';
    expect(Array.from(description)).toHaveLength(140);
    expect(description.endsWith('…')).toBe(true);
  });
});

describe('payloads and descriptions', () => {
  it('reads back only Gantry payloads', () => {
    expect(readPayload(payload)).toEqual(payload);
    expect(readPayload(JSON.stringify(payload))).toEqual(payload);
    expect(readPayload({})).toBeUndefined();
    expect(
      readPayload({ gantry: 1, platform: 'kubernetes', kubernetes: { workloads: [{ kind: 'Job' }] } }),
    ).toBeUndefined();
    expect(readPayload({ gantry: 2, platform: 'kubernetes', kubernetes: { workloads: [] } })).toBeUndefined();
  });

  it.each([
    ['a short text', 'short', 'short'],
    ['two lines', 'two\nlines', 'two lines'],
    ['140 accented letters', 'é'.repeat(140), 'é'.repeat(140)],
    ['141 emoji', '🚀'.repeat(141), `${'🚀'.repeat(139)}…`],
  ])('%s: at most 140 characters, cut with an ellipsis', (_label, text, expected) => {
    expect(limitDescription(text)).toBe(expected);
  });
});
