import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActionRun } from '../support/action-runner.ts';
import { imagePullFailure } from '../support/aws-emulator/index.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture } from './fixture.ts';

/** deploy-ecs and GitHub's deployment records: the exact calls for a good and a failed deploy, and GitHub failing. */

const RUN_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const RUN_URL = 'https://github.com/gantry-dev/sample-service/actions/runs/9000000001';

let f: EcsFixture;
let github: GitHubApi;
beforeEach(async () => {
  f = await EcsFixture.start();
  github = await startGitHubApi({ repository: 'gantry-dev/sample-service', refs: { main: RUN_SHA } });
});
afterEach(async () => {
  await github.close();
  await f.close();
});

async function deploy(
  image: string,
  inputs: Record<string, string> = {},
  sha = RUN_SHA,
): Promise<{ run: ActionRun; calls: string[]; requests: GitHubApi['requests'] }> {
  const before = github.requests.length;
  const callsBefore = github.callLog().length;
  const run = await f.deploy(
    { service: 'web', 'task-definition': 'task-definition.json', image, ...inputs },
    { env: { ...f.env(), ...github.env, GITHUB_SHA: sha }, github: { token: github.token } },
  );
  return { run, calls: github.callLog().slice(callsBefore), requests: github.requests.slice(before) };
}

function annotations(run: ActionRun, level: string): string[] {
  return run.annotations.filter((item) => item.level === level).map((item) => item.message);
}

describe('deploy-ecs deployment records', () => {
  it('a good deploy: created with the task definitions, images, cluster and service, in_progress, success', async () => {
    await f.createService();
    const previous = (await f.service()).taskDefinition as string;
    const { run, calls, requests } = await deploy('web:2', {
      environment: 'production',
      'environment-url': 'https://shop.example.com',
      'transient-environment': 'false',
    });
    expect(run.outcome).toBe('success');
    const id = Number(run.outputs['github-deployment-id']);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(calls).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses success -> 201`,
      'GET /deployments -> 200',
    ]);
    expect(requests[0]?.body).toMatchObject({
      ref: RUN_SHA,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
    const arn = run.outputs['task-definition-arn'];
    expect(arn).toMatch(/web:2$/);
    expect(github.deployments().find((item) => item.id === id)?.payload).toEqual({
      gantry: 1,
      action: 'deploy-ecs',
      platform: 'ecs',
      ecs: { cluster: 'prod', service: 'web', task_definition: arn, previous_task_definition: previous },
      images: ['web:2'],
      run_url: RUN_URL,
    });
    expect(github.statuses(id).at(-1)).toMatchObject({
      state: 'success',
      environment_url: 'https://shop.example.com',
      log_url: RUN_URL,
      description: 'Deployed web:2 to web',
    });
    expect(annotations(run, 'warning')).toEqual([]);
    expectNoSecretLeaks(run, [github.token, f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('a failed deploy that ECS rolled back: failure, then a rollback record of the restored commit with rollback_of, success', async () => {
    await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: true } });
    const goodSha = 'a'.repeat(40);
    const good = await deploy('web:2', { environment: 'production' }, goodSha);
    expect(good.run.outcome).toBe('success');
    const goodId = Number(good.run.outputs['github-deployment-id']);
    const goodArn = good.run.outputs['task-definition-arn'] as string;
    f.aws.ecs.taskBehaviour({ image: 'web:broken' }, imagePullFailure('web:broken'));
    const { run, calls } = await deploy('web:broken', { environment: 'production' });
    expect(run.outcome).toBe('failure');
    expect(run.outputs['rolled-back']).toBe('true');
    const id = Number(run.outputs['github-deployment-id']);
    const rollbackId = Math.max(...github.deployments().map((item) => item.id));
    expect(rollbackId).toBeGreaterThan(id);
    expect(calls).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses failure -> 201`,
      'GET /deployments -> 200',
      'POST /deployments -> 201',
      `POST /deployments/${rollbackId}/statuses in_progress -> 201`,
      `POST /deployments/${rollbackId}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${id}/statuses -> 200`,
      `GET /deployments/${goodId}/statuses -> 200`,
      `POST /deployments/${goodId}/statuses inactive -> 201`,
    ]);
    expect(github.statuses(id).map((status) => status.state)).toEqual(['in_progress', 'failure']);
    expect(github.statuses(id).at(-1)?.description).toMatch(/circuit breaker/);
    expect(github.deployments().find((item) => item.id === rollbackId)).toMatchObject({
      sha: goodSha,
      payload: {
        action: 'rollback',
        rollback_of: id,
        images: ['web:2'],
        ecs: {
          cluster: 'prod',
          service: 'web',
          task_definition: goodArn,
          previous_task_definition: run.outputs['task-definition-arn'],
        },
      },
    });
    expect(github.statuses(goodId).map((status) => status.state)).toEqual([
      'in_progress',
      'success',
      'inactive',
    ]);
    expect(annotations(run, 'warning')).toEqual([]);
  });

  it('a GitHub that is down is one warning: the deploy itself succeeds', async () => {
    await f.createService();
    github.faults.inject({ kind: 'reset', times: Infinity });
    const { run } = await deploy('web:2', { environment: 'production' });
    expect(run.outcome).toBe('success');
    expect(annotations(run, 'warning')).toEqual([expect.stringContaining('Deployment record not written')]);
    expect(run.outputs['github-deployment-id']).toBe('');
  }, 90_000);

  it('a token that may not write deployments (403) is one warning: the deploy itself succeeds', async () => {
    await f.createService();
    github.faults.inject({ kind: 'forbidden', method: 'POST', times: Infinity });
    const { run, requests } = await deploy('web:2', { environment: 'production' });
    expect(run.outcome).toBe('success');
    expect(annotations(run, 'warning')).toEqual([
      expect.stringContaining('Resource not accessible by integration'),
    ]);
    expect(requests.map((request) => `${request.method} ${request.status}`)).toEqual(['POST 403']);
    expect(run.outputs['github-deployment-id']).toBe('');
    expectNoSecretLeaks(run, [github.token]);
  });

  it('without an environment, records nothing and says so; a dry run records nothing', async () => {
    await f.createService();
    const { run, requests } = await deploy('web:2');
    expect(run.outcome).toBe('success');
    expect(requests).toEqual([]);
    expect(annotations(run, 'notice')).toEqual([
      expect.stringContaining('No deployment record: no environment input was given'),
    ]);
    const dry = await deploy('web:3', { environment: 'production', 'dry-run': 'true' });
    expect(dry.run.outcome).toBe('success');
    expect(dry.requests).toEqual([]);
  });
});
