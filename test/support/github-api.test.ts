import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startGitHubApi, type GitHubApi } from './github-api/index.ts';

/** The simulated Deployments API is only as good as its likeness to GitHub: every case goes through the real Octokit. */

const SHA = 'c0ffee'.padEnd(40, '0');
let api: GitHubApi;
let octokit: ReturnType<typeof getOctokit>;
const repo = { owner: 'acme', repo: 'shop' };

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; message: string; response?: { headers: Record<string, string> } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error === undefined) throw new Error('the call succeeded');
  return error as { status: number; message: string; response?: { headers: Record<string, string> } };
}

beforeEach(async () => {
  api = await startGitHubApi({ refs: { main: SHA } });
  octokit = getOctokit(api.token, { baseUrl: api.url });
});

afterEach(async () => {
  await api.close();
});

describe('simulated GitHub Deployments API', () => {
  it('creates a deployment with GitHub defaults and resolves a branch to its commit', async () => {
    const { status, data } = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      auto_merge: false,
      required_contexts: [],
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      sha: SHA,
      ref: 'main',
      task: 'deploy',
      environment: 'production',
      production_environment: true,
      transient_environment: false,
      payload: {},
    });
    const read = await octokit.rest.repos.getDeployment({
      ...repo,
      deployment_id: (data as { id: number }).id,
    });
    expect(read.data.sha).toBe(SHA);
  });

  it('keeps a payload object, the environment and the environment flags', async () => {
    const { data } = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: SHA,
      environment: 'staging',
      payload: { images: ['registry/web@sha256:abc'] },
      transient_environment: true,
      production_environment: false,
      required_contexts: [],
    });
    expect(data).toMatchObject({
      environment: 'staging',
      payload: { images: ['registry/web@sha256:abc'] },
      transient_environment: true,
    });
  });

  it('answers 422 for an unknown ref, 409 when a status check failed and required_contexts is absent', async () => {
    expect(await failure(octokit.rest.repos.createDeployment({ ...repo, ref: 'nope' }))).toMatchObject({
      status: 422,
      message: expect.stringContaining('No ref found for: nope'),
    });
    await api.close();
    api = await startGitHubApi({ refs: { main: SHA }, failingContexts: ['ci/test'] });
    octokit = getOctokit(api.token, { baseUrl: api.url });
    expect(await failure(octokit.rest.repos.createDeployment({ ...repo, ref: 'main' }))).toMatchObject({
      status: 409,
    });
    const accepted = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      required_contexts: [],
    });
    expect(accepted.status).toBe(201);
  });

  it('lists statuses newest first, validates state and the 140-character description', async () => {
    const { data } = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: SHA,
      environment: 'qa',
      required_contexts: [],
    });
    const id = (data as { id: number }).id;
    for (const state of ['in_progress', 'success'] as const) {
      await octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: id,
        state,
        log_url: 'https://github.com/acme/shop/actions/runs/1',
        environment_url: 'https://qa.example.com',
      });
    }
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data.map((status) => status.state)).toEqual(['success', 'in_progress']);
    expect(statuses.data[0]).toMatchObject({
      log_url: 'https://github.com/acme/shop/actions/runs/1',
      environment_url: 'https://qa.example.com',
      environment: 'qa',
    });
    const bad = await failure(
      octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...repo,
        deployment_id: id,
        state: 'done' as 'success',
      }),
    );
    expect(bad).toMatchObject({
      status: 422,
      message: expect.stringContaining('state is not included in the list'),
    });
    const long = await failure(
      octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: id,
        state: 'failure',
        description: 'x'.repeat(141),
      }),
    );
    expect(long).toMatchObject({
      status: 422,
      message: expect.stringContaining('maximum is 140 characters'),
    });
    expect(
      await failure(octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: 999_999 })),
    ).toMatchObject({ status: 404 });
  });

  it('marks earlier successes inactive on its own only outside production (auto_inactive)', async () => {
    const deploy = async (environment: string): Promise<number> => {
      const { data } = await octokit.rest.repos.createDeployment({
        ...repo,
        ref: SHA,
        environment,
        required_contexts: [],
      });
      const id = (data as { id: number }).id;
      await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' });
      return id;
    };
    const staging = await deploy('staging');
    await deploy('staging');
    const production = await deploy('production');
    await deploy('production');
    expect(api.statuses(staging).at(-1)?.state).toBe('inactive');
    expect(api.statuses(production).at(-1)?.state).toBe('success');
  });

  it('filters and pages the deployment list, newest first', async () => {
    for (const environment of ['a', 'b', 'a', 'a']) {
      await octokit.rest.repos.createDeployment({ ...repo, ref: SHA, environment, required_contexts: [] });
    }
    const list = await octokit.rest.repos.listDeployments({ ...repo, environment: 'a', per_page: 2 });
    const ids = api
      .deployments()
      .filter((deployment) => deployment.environment === 'a')
      .map((deployment) => deployment.id);
    expect(list.data.map((deployment) => deployment.id)).toEqual([ids[2], ids[1]]);
    const second = await octokit.rest.repos.listDeployments({
      ...repo,
      environment: 'a',
      per_page: 2,
      page: 2,
    });
    expect(second.data.map((deployment) => deployment.id)).toEqual([ids[0]]);
  });

  it('refuses a wrong token with 401 Bad credentials and an unknown repository with 404', async () => {
    const stranger = getOctokit('ghs_wrong', { baseUrl: api.url });
    expect(await failure(stranger.rest.repos.listDeployments(repo))).toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
    expect(await failure(octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'other' }))).toMatchObject(
      { status: 404 },
    );
    expect(api.requests[0]?.authorization).toBe('token ghs_wrong');
  });

  it('injects 5xx, rate limits with their headers, 403 and reset connections, then answers normally', async () => {
    api.faults.inject({ kind: 'server-error', status: 502 });
    api.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 7 });
    api.faults.inject({ kind: 'rate-limit', resetInSeconds: 60 });
    api.faults.inject({ kind: 'forbidden' });
    api.faults.inject({ kind: 'reset' });
    const list = (): Promise<unknown> => octokit.rest.repos.listDeployments(repo);
    expect(await failure(list())).toMatchObject({ status: 502 });
    const secondary = await failure(list());
    expect(secondary.status).toBe(403);
    expect(secondary.message).toContain('secondary rate limit');
    expect(secondary.response?.headers['retry-after']).toBe('7');
    const primary = await failure(list());
    expect(primary.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(primary.response?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(await failure(list())).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect((await failure(list())).status).toBe(500); // Octokit's status for "no answer"
    expect((await octokit.rest.repos.listDeployments(repo)).status).toBe(200);
    expect(api.callLog()).toEqual([
      'GET /deployments -> 502',
      'GET /deployments -> 403',
      'GET /deployments -> 403',
      'GET /deployments -> 403',
      'GET /deployments -> reset',
      'GET /deployments -> 200',
    ]);
  });

  it('matches faults by method and path, and keeps a fault for its number of requests', async () => {
    api.faults.inject({ kind: 'server-error', method: 'POST', path: /\/statuses$/, times: 2 });
    const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: SHA, required_contexts: [] });
    const id = (data as { id: number }).id;
    const post = (): Promise<unknown> =>
      octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' });
    expect((await failure(post())).status).toBe(500);
    expect((await failure(post())).status).toBe(500);
    expect(
      (await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success' }))
        .status,
    ).toBe(201);
  });
});
