import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActionRun } from '../support/action-runner.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';
import { codeDeployService } from './codedeploy-fixture.ts';
import { EcsFixture } from './fixture.ts';

/**
 * deploy-ecs's deployment records for a CODE_DEPLOY service: a deploy to complete is recorded like
 * any deploy; a deploy that stops at Ready records nothing, and the promote that moves production
 * traffic records the release; an abort before the traffic moved records nothing.
 */

const RUN_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

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

async function step(inputs: Record<string, string>): Promise<{ run: ActionRun; calls: string[] }> {
  const callsBefore = github.callLog().length;
  const run = await f.deploy(
    { service: 'web', environment: 'production', ...inputs },
    { env: { ...f.env(), ...github.env, GITHUB_SHA: RUN_SHA }, github: { token: github.token } },
  );
  return { run, calls: github.callLog().slice(callsBefore) };
}

const DEPLOY = { 'task-definition': 'task-definition.json', image: 'web:2', 'container-port': '8080' };

describe('CodeDeploy deployment records', () => {
  it('a deploy to complete: in_progress, then success, with the registered task definition', async () => {
    await codeDeployService(f);
    const { run, calls } = await step(DEPLOY);
    expect(run.outcome).toBe('success');
    const id = Number(run.outputs['github-deployment-id']);
    expect(calls.slice(0, 3)).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses success -> 201`,
    ]);
    expect(github.deployments().find((item) => item.id === id)?.payload).toMatchObject({
      action: 'deploy-ecs',
      ecs: { service: 'web', task_definition: run.outputs['task-definition-arn'] },
    });
  });

  it('ready records nothing; promote records the release it moves production traffic to', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const deploy = await step({ ...DEPLOY, 'codedeploy-wait-until': 'ready' });
    expect(deploy.run.outcome).toBe('success');
    expect(deploy.calls).toEqual([]);
    expect(deploy.run.outputs['github-deployment-id']).toBe('');

    const promote = await step({ action: 'promote' });
    expect(promote.run.outcome).toBe('success');
    const id = Number(promote.run.outputs['github-deployment-id']);
    expect(promote.calls.slice(0, 3)).toEqual([
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses success -> 201`,
    ]);
    expect(github.deployments().find((item) => item.id === id)?.payload).toMatchObject({
      action: 'deploy-ecs',
      ecs: {
        service: 'web',
        task_definition: deploy.run.outputs['task-definition-arn'],
        previous_task_definition: deploy.run.outputs['previous-task-definition-arn'],
      },
      images: ['web:2'],
    });
  });

  it('an abort before production traffic moved records nothing', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    await step({ ...DEPLOY, 'codedeploy-wait-until': 'ready' });
    const abort = await step({ action: 'abort' });
    expect(abort.run.outcome).toBe('success');
    expect(abort.calls).toEqual([]);
  });
});
