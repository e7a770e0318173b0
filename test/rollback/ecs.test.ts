import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import { healthCheckFailure } from '../support/aws-emulator/index.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { CLUSTER, EcsFixture } from '../deploy-ecs/fixture.ts';
import { deploymentRecords } from '../../shared/src/github/deployment-records.ts';
import { releasePayload } from '../../shared/src/github/deployment-payload.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';

/** The rollback action on ECS, against the AWS emulator, with deploy-ecs's tracker. */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(async () => {
  await f.close();
});

async function deployed(image: string): Promise<string> {
  const arn = await f.register(image);
  await f.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: arn }));
  return arn;
}

function rollback(inputs: Record<string, string>, github?: GitHubApi): Promise<ActionRun> {
  return runActionBundle({
    action: 'rollback',
    inputs: { cluster: CLUSTER, service: 'web', 'poll-interval': '1s', timeout: '60s', ...inputs },
    env: { ...f.env(), ...github?.env },
    github: github ? { token: github.token } : {},
    timeoutMs: 90_000,
  });
}

/** A deploy record as deploy-ecs would write one. */
async function recordDeploy(
  github: GitHubApi,
  sha: string,
  taskDefinition: string,
  state: 'success' | 'failure',
): Promise<number> {
  const ignore = (): void => undefined;
  const record = await deploymentRecords(
    { enabled: true, token: github.token, environment: 'production' },
    { warning: ignore, notice: ignore, info: ignore, env: { ...github.env, GITHUB_SHA: sha } },
  ).start({
    description: 'deploy-ecs',
    payload: releasePayload({
      action: 'deploy-ecs',
      ecs: {
        cluster: CLUSTER,
        service: 'web',
        task_definition: taskDefinition,
        previous_task_definition: null,
      },
      images: [],
      runUrl: undefined,
    }),
  });
  await record.finish(state, state);
  return record.id as number;
}

function expectSuccess(run: ActionRun): void {
  if (run.outcome !== 'success') throw new Error(`the step failed:\n${run.log}\n${run.summary}`);
}

describe('rollback on ECS', () => {
  it("returns a service to the previous task definition that ran successfully, from the service's history", async () => {
    await f.createService();
    const second = await deployed('web:2');
    await f.settled();
    // Revision 3 was registered but never deployed: "current - 1" would pick it, the history does not.
    await f.register('web:never-ran');
    const third = await deployed('web:3');
    await f.settled();
    const run = await rollback({});
    expectSuccess(run);
    expect((await f.service()).taskDefinition).toBe(second);
    expect(run.outputs).toMatchObject({
      'restored-revision': second,
      'replaced-revision': third,
      images: 'web:2',
    });
    expect(f.aws.callsTo('StopServiceDeployment')).toHaveLength(0);
    expect(run.summary).toContain('| Service | Before | After | Result |');
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('returns to a given revision of the family, and names the revisions that ran when it does not exist', async () => {
    const service = await f.createService();
    await deployed('web:2');
    await f.settled();
    const run = await rollback({ 'to-task-definition': '1' });
    expectSuccess(run);
    expect((await f.service()).taskDefinition).toBe(service.taskDefinition);
    const missing = await rollback({ 'to-task-definition': '7' });
    expect(missing.outcome).toBe('failure');
    expect(missing.log).toContain('revision 7 not found (available: 1, 2)');
  });

  it('stops a deployment still in progress with ROLLBACK', async () => {
    await f.createService();
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    await deployed('web:2');
    const run = await rollback({});
    expectSuccess(run);
    const [stop] = f.aws.callsTo('StopServiceDeployment');
    expect(stop?.body).toMatchObject({ stopType: 'ROLLBACK' });
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
    expect(run.summary).toContain('deployment in flight stopped with ROLLBACK');
  });

  it('goes back to the last successful recorded deployment of the environment, and records the rollback', async () => {
    const github = await startGitHubApi({ repository: 'gantry-dev/sample-service' });
    try {
      const first = (await f.createService()).taskDefinition as string;
      const second = await deployed('web:2');
      await f.settled();
      const third = await deployed('web:3');
      await f.settled();
      await recordDeploy(github, 'a'.repeat(40), first, 'success');
      // ECS calls web:2's deployment SUCCESSFUL, but the release failed its smoke test: the records say so.
      await recordDeploy(github, 'b'.repeat(40), second, 'failure');
      const latest = await recordDeploy(github, 'c'.repeat(40), third, 'success');
      const run = await rollback({ environment: 'production' }, github);
      expectSuccess(run);
      expect((await f.service()).taskDefinition).toBe(first);
      expect(run.log).toContain('(recorded by deployment');
      expect(github.deployments().at(-1)).toMatchObject({
        sha: 'a'.repeat(40),
        payload: {
          action: 'rollback',
          platform: 'ecs',
          rollback_of: latest,
          images: ['web:1'],
          ecs: { cluster: CLUSTER, service: 'web', task_definition: first, previous_task_definition: third },
        },
      });
      expect(github.statuses(latest).at(-1)?.state).toBe('inactive');
      expectNoSecretLeaks(run, [github.token]);
    } finally {
      await github.close();
    }
  });

  it('a dry run changes nothing', async () => {
    await f.createService();
    const second = await deployed('web:2');
    await f.settled();
    const run = await rollback({ 'dry-run': 'true' });
    expectSuccess(run);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(1);
    expect((await f.service()).taskDefinition).toBe(second);
    expect(run.outputs['restored-revision']).toMatch(/web:1$/);
  });
});
