import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as sdk from '@aws-sdk/client-codedeploy';
import { CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import type { CodeDeploy } from '../../../shared/src/codedeploy/client.ts';
import { appSpecRevision } from '../../../shared/src/codedeploy/revision.ts';
import { DeploymentWatch } from '../../../shared/src/codedeploy/watch.ts';
import { startAwsEmulator, type AwsEmulator } from '../../support/aws-emulator/index.ts';

/**
 * DeploymentWatch against the emulated CodeDeploy, in process: the lifecycle events it streams,
 * and one call per poll once they cannot move (waiting at Ready).
 */

let aws: AwsEmulator;
let ecs: ECSClient;
let cd: CodeDeploy;

const APP = 'AppECS-prod-web';
const GROUP = 'DgpECS-prod-web';
const APPSPEC = {
  version: 0.0,
  Resources: [
    {
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: { TaskDefinition: '', LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } },
      },
    },
  ],
};

async function register(image: string): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image, essential: true }],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

beforeEach(async () => {
  aws = await startAwsEmulator();
  aws.ecs.addCluster('prod');
  ecs = new ECSClient(aws.clientConfig());
  const client = new sdk.CodeDeployClient(aws.clientConfig());
  cd = { sdk, client, writer: client, region: 'eu-west-1', destroy: () => client.destroy() };
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: await register('web:1'),
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e'] } },
      deploymentController: { type: 'CODE_DEPLOY' },
    }),
  );
});

afterEach(async () => {
  cd.destroy();
  ecs.destroy();
  await aws.close();
});

async function create(): Promise<string> {
  const { deploymentId } = await cd.client.send(
    new sdk.CreateDeploymentCommand({
      applicationName: APP,
      deploymentGroupName: GROUP,
      revision: appSpecRevision(APPSPEC, await register('web:2')),
    }),
  );
  return deploymentId!;
}

function watch(deploymentId: string, deadlineMs: number): DeploymentWatch {
  return new DeploymentWatch(cd, {
    deploymentId,
    pollIntervalMs: 50,
    deadline: new Deadline(deadlineMs, `deployment ${deploymentId}`),
    signal: new AbortController().signal,
  });
}

describe('DeploymentWatch', () => {
  it('streams each lifecycle event once, to the end', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web' });
    const result = await watch(await create(), 10_000).until(
      (info) => info.status === 'Succeeded',
      'succeed',
    );
    expect(result.verdict).toBe('reached');
    expect(result.events).toEqual([
      'BeforeInstall: Skipped',
      'Install: Succeeded',
      'AfterInstall: Skipped',
      'AllowTestTraffic: Succeeded',
      'AfterAllowTestTraffic: Skipped',
      'BeforeAllowTraffic: Skipped',
      'AllowTraffic: Succeeded',
      'AfterAllowTraffic: Skipped',
    ]);
  });

  it('waiting at Ready, it polls GetDeployment alone: the events cannot move until the status does', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web', readyWaitMinutes: 60 });
    const id = await create();
    const watching = watch(id, 60_000);
    const ready = await watching.until((info) => info.status === 'Ready', 'reach Ready');
    expect(ready.verdict).toBe('reached');
    const targetsBefore = aws.callsTo('BatchGetDeploymentTargets').length;
    const getsBefore = aws.callsTo('GetDeployment').length;
    // Still Ready after these polls: a short deadline ends the wait, as a timeout.
    const waited = await watch(id, 1500).until((info) => info.status === 'Succeeded', 'succeed');
    expect(waited.verdict).toBe('timed-out');
    expect(aws.callsTo('GetDeployment').length - getsBefore).toBeGreaterThan(3);
    // The second watch reads the target once (it has not seen it), then never again while Ready.
    expect(aws.callsTo('BatchGetDeploymentTargets').length - targetsBefore).toBe(1);

    await cd.client.send(
      new sdk.ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }),
    );
    const done = await watching.until((info) => info.status === 'Succeeded', 'succeed');
    expect(done.verdict).toBe('reached');
    // The same stream as a read per poll gives: the status change brought the remaining events.
    expect(done.events).toEqual([
      'BeforeInstall: Skipped',
      'Install: Succeeded',
      'AfterInstall: Skipped',
      'AllowTestTraffic: Succeeded',
      'AfterAllowTestTraffic: Skipped',
      'BeforeAllowTraffic: Skipped',
      'AllowTraffic: Succeeded',
      'AfterAllowTraffic: Skipped',
    ]);
  });
});
