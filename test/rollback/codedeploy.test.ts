import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CodeDeployClient, ContinueDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import {
  APPLICATION,
  appSpecDocument,
  codeDeployService,
  GROUP,
  startDeployment,
  statusReaches,
} from '../deploy-ecs/codedeploy-fixture.ts';
import { CLUSTER, EcsFixture } from '../deploy-ecs/fixture.ts';

/**
 * The rollback action on a CODE_DEPLOY service, which refuses UpdateService: through CodeDeploy,
 * against the AWS emulator. The releases before the rollback are deployed with the real
 * CodeDeployClient, as deploy-ecs (or the console) would have made them.
 */

let f: EcsFixture;
let codedeploy: CodeDeployClient;
beforeEach(async () => {
  f = await EcsFixture.start();
  codedeploy = new CodeDeployClient(f.aws.clientConfig());
});
afterEach(async () => {
  codedeploy.destroy();
  await f.close();
});

/** The AppSpec the live release was deployed with: a hook, and platform settings the rollback must keep. */
const LIVE_APPSPEC = appSpecDocument({
  properties: { PlatformVersion: '1.4.0' },
  hooks: [{ AfterAllowTestTraffic: 'CheckGreen' }],
});

const deploy = (image: string, until: string[]) => startDeployment(f, image, until, LIVE_APPSPEC);

function rollback(inputs: Record<string, string> = {}, github?: GitHubApi): Promise<ActionRun> {
  return runActionBundle({
    action: 'rollback',
    inputs: { cluster: CLUSTER, service: 'web', 'poll-interval': '1s', timeout: '60s', ...inputs },
    env: { ...f.env(), ...github?.env },
    github: github ? { token: github.token } : {},
    timeoutMs: 90_000,
  });
}

function expectSuccess(run: ActionRun): void {
  if (run.outcome !== 'success') throw new Error(`the step failed:\n${run.log}\n${run.summary}`);
}

describe('rollback of a service deployed by CodeDeploy', () => {
  it('deploys the previous task definition through CodeDeploy with the live AppSpec, continuing a group that waits at Ready', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const first = (await f.service()).taskDefinition as string;
    const second = await deploy('web:2', ['Ready']);
    await codedeploy.send(
      new ContinueDeploymentCommand({ deploymentId: second.id, deploymentWaitType: 'READY_WAIT' }),
    );
    await statusReaches(f, second.id, ['Succeeded']);
    expect((await f.service()).taskDefinition).toBe(second.arn);

    const github = await startGitHubApi({ repository: 'gantry-dev/sample-service' });
    const run = await rollback({ environment: 'production' }, github).finally(() => github.close());
    expectSuccess(run);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    expect(f.aws.callsTo('StopDeployment')).toHaveLength(0);
    const [create] = f.aws.callsTo('CreateDeployment').slice(1);
    expect(create?.body).toMatchObject({ applicationName: APPLICATION, deploymentGroupName: GROUP });
    const sent = JSON.parse(
      (create?.body.revision as { appSpecContent: { content: string } }).appSpecContent.content,
    );
    // The live AppSpec, read back with GetApplicationRevision: same container, port and platform; no hooks.
    expect(sent).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: first,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
              PlatformVersion: '1.4.0',
            },
          },
        },
      ],
    });
    expect(f.aws.callsTo('GetApplicationRevision').length).toBeGreaterThan(0);
    const rollbackId = [...f.aws.codedeploy.deployments.keys()].at(-1) as string;
    expect(f.aws.callsTo('ContinueDeployment').at(-1)?.body).toEqual({
      deploymentId: rollbackId,
      deploymentWaitType: 'READY_WAIT',
    });
    expect(f.aws.codedeploy.deployment(rollbackId)?.status).toBe('Succeeded');
    expect((await f.service()).taskDefinition).toBe(first);
    expect(run.outputs).toMatchObject({
      'restored-revision': first,
      'replaced-revision': second.arn,
      images: 'web:1',
    });
    expect(run.log).toContain(`CodeDeploy ${rollbackId}: AllowTraffic: Succeeded`);
    expect(run.summary).toContain(`rolled back by CodeDeploy deployment ${rollbackId}`);
    const [record] = github.deployments();
    expect(record?.payload).toMatchObject({
      action: 'rollback',
      platform: 'ecs',
      ecs: { cluster: CLUSTER, service: 'web', task_definition: first, previous_task_definition: second.arn },
    });
    expect(github.statuses(record?.id as number).at(-1)?.state).toBe('success');
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey, github.token]);
  });

  it('stops a deployment still in flight with auto rollback, and waits until the original task set serves', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const first = (await f.service()).taskDefinition as string;
    const second = await deploy('web:2', ['Ready']);
    const run = await rollback();
    expectSuccess(run);
    expect(f.aws.callsTo('StopDeployment').map((call) => call.body)).toEqual([
      { deploymentId: second.id, autoRollbackEnabled: true },
    ]);
    // The stop is the rollback: no second deployment is created.
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(1);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    expect(f.aws.codedeploy.deployment(second.id)?.status).toBe('Stopped');
    expect((await f.service()).taskDefinition).toBe(first);
    expect(run.outputs).toMatchObject({ 'restored-revision': first, 'replaced-revision': second.arn });
    expect(run.summary).toContain(`CodeDeploy deployment ${second.id} stopped with auto rollback`);
  });

  it("wait: false creates the CodeDeploy deployment and ends; a refused CreateDeployment fails with AWS's reason", async () => {
    await codeDeployService(f);
    const first = (await f.service()).taskDefinition as string;
    await deploy('web:2', ['Succeeded']);
    f.aws.faults.denyAccess('CreateDeployment');
    const denied = await rollback();
    expect(denied.outcome).toBe('failure');
    expect(denied.log).toContain('is not authorized to perform: codedeploy:CreateDeployment');
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);

    const started = await rollback({ wait: 'false' });
    expectSuccess(started);
    const rollbackId = [...f.aws.codedeploy.deployments.keys()].at(-1) as string;
    expect(started.summary).toContain(`rolled back by CodeDeploy deployment ${rollbackId}`);
    expect(
      f.aws.callsTo('GetDeployment').filter((call) => call.body.deploymentId === rollbackId),
    ).toHaveLength(0);
    await statusReaches(f, rollbackId, ['Succeeded']);
    expect((await f.service()).taskDefinition).toBe(first);
  });

  it('a dry run reads the group and changes nothing', async () => {
    await codeDeployService(f);
    const first = (await f.service()).taskDefinition as string;
    const second = await deploy('web:2', ['Succeeded']);
    const run = await rollback({ 'dry-run': 'true' });
    expectSuccess(run);
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(1);
    expect(f.aws.callsTo('StopDeployment')).toHaveLength(0);
    expect((await f.service()).taskDefinition).toBe(second.arn);
    expect(run.outputs['restored-revision']).toBe(first);
    expect(run.summary).toContain('would create a CodeDeploy deployment of web:1');
  });

  it('a missing deployment group is named, and nothing is changed', async () => {
    await codeDeployService(f);
    await deploy('web:2', ['Succeeded']);
    const run = await rollback({ 'codedeploy-deployment-group': 'web-bluegreen' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain(
      `CodeDeploy deployment group web-bluegreen does not exist in application ${APPLICATION}`,
    );
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(1);
  });

  it('a bad deployment group name is refused before any request', async () => {
    const run = await rollback({ 'codedeploy-deployment-group': 'web green' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain('codedeploy-deployment-group');
    expect(run.log).toContain('expected a CodeDeploy deployment group name');
    expect(f.aws.calls).toHaveLength(0);
  });
});
