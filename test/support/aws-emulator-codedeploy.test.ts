import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startAwsEmulator, type AwsEmulator } from './aws-emulator/index.ts';

/** The CodeDeploy emulator through the real CodeDeployClient: ECS blue/green deployments, waits, hooks, stops. */

let aws: AwsEmulator;
let codedeploy: CodeDeployClient;
let ecs: ECSClient;
let blue: string;
let green: string;

const APP = 'AppECS-prod-web';
const GROUP = 'DgpECS-prod-web';

async function register(image: string): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] },
      ],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

function revision(taskDefinition: string, hooks: Record<string, string>[] = []) {
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinition,
            LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
          },
        },
      },
    ],
    ...(hooks.length > 0 && { Hooks: hooks }),
  });
  return {
    revisionType: 'AppSpecContent' as const,
    appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
  };
}

async function deploymentReaches(id: string, statuses: string[]): Promise<DeploymentInfo> {
  const until = Date.now() + 10_000;
  for (;;) {
    const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    if (statuses.includes(deploymentInfo!.status!)) return deploymentInfo!;
    if (Date.now() > until) throw new Error(`deployment ${id} stayed ${deploymentInfo!.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function serviceTaskDefinition(): Promise<string> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  return services![0]!.taskDefinition!;
}

beforeEach(async () => {
  aws = await startAwsEmulator();
  codedeploy = new CodeDeployClient({ ...aws.clientConfig(), maxAttempts: 1 });
  ecs = new ECSClient(aws.clientConfig());
  aws.ecs.addCluster('prod');
  blue = await register('web:1');
  green = await register('web:2');
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: blue,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e'] } },
      deploymentController: { type: 'CODE_DEPLOY' },
    }),
  );
});

afterEach(async () => {
  codedeploy.destroy();
  ecs.destroy();
  await aws.close();
});

describe('CodeDeploy ECS blue/green', () => {
  it('runs the lifecycle events in order and leaves the service on the green task definition', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web' });
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green),
      }),
    );
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    const done = await deploymentReaches(deploymentId!, ['Succeeded', 'Failed', 'Stopped']);
    expect(done.status).toBe('Succeeded');
    const { deploymentTarget } = await codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    expect(
      deploymentTarget?.ecsTarget?.lifecycleEvents?.map((event) => [event.lifecycleEventName, event.status]),
    ).toEqual([
      ['BeforeInstall', 'Skipped'],
      ['Install', 'Succeeded'],
      ['AfterInstall', 'Skipped'],
      ['AllowTestTraffic', 'Succeeded'],
      ['AfterAllowTestTraffic', 'Skipped'],
      ['BeforeAllowTraffic', 'Skipped'],
      ['AllowTraffic', 'Succeeded'],
      ['AfterAllowTraffic', 'Skipped'],
    ]);
    expect(await serviceTaskDefinition()).toBe(green);
  });

  it('waits in Ready with test traffic on green until ContinueDeployment', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web', readyWaitMinutes: 60 });
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green),
      }),
    );
    await deploymentReaches(deploymentId!, ['Ready']);
    const { deploymentTarget } = await codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    expect(
      deploymentTarget?.ecsTarget?.taskSetsInfo?.map((set) => [set.taskSetLabel, set.trafficWeight]),
    ).toEqual([
      ['Blue', 100],
      ['Green', 0],
    ]);
    expect(await serviceTaskDefinition()).toBe(blue);
    await expect(
      codedeploy.send(
        new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' }),
      ),
    ).rejects.toMatchObject({ name: 'DeploymentIsNotInReadyStateException' });
    await codedeploy.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }));
    await deploymentReaches(deploymentId!, ['Succeeded']);
    expect(await serviceTaskDefinition()).toBe(green);
    await expect(codedeploy.send(new ContinueDeploymentCommand({ deploymentId }))).rejects.toMatchObject({
      name: 'DeploymentAlreadyCompletedException',
    });
  });

  it('stops a Ready deployment when the wait time passes', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web', readyWaitMinutes: 5 });
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green),
      }),
    );
    await deploymentReaches(deploymentId!, ['Ready']);
    aws.clock.advance(5 * 60_000);
    const stopped = await deploymentReaches(deploymentId!, ['Stopped']);
    expect(stopped.errorInformation?.code).toBe('TIMEOUT');
  });

  it('a failing hook fails the deployment, names the event, and the rollback keeps blue serving', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web' });
    aws.codedeploy.hookResult('CheckGreen', 'Failed');
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green, [{ AfterAllowTestTraffic: 'CheckGreen' }]),
      }),
    );
    const failed = await deploymentReaches(deploymentId!, ['Failed']);
    expect(failed.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(failed.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    const { deploymentTarget } = await codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    const event = deploymentTarget?.ecsTarget?.lifecycleEvents?.find((e) => e.status === 'Failed');
    expect(event?.lifecycleEventName).toBe('AfterAllowTestTraffic');
    expect(event?.diagnostics?.message).toContain('CheckGreen');
    await deploymentReaches(failed.rollbackInfo!.rollbackDeploymentId!, ['Succeeded']);
    expect(await serviceTaskDefinition()).toBe(blue);
  });

  it('StopDeployment with rollback after the traffic shift gives traffic back to blue', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, {
      cluster: 'prod',
      service: 'web',
      terminationWaitMinutes: 30,
    });
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green),
      }),
    );
    const until = Date.now() + 10_000;
    while (
      !aws.codedeploy.deployment(deploymentId!)?.instanceTerminationWaitTimeStarted &&
      Date.now() < until
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await serviceTaskDefinition()).toBe(green);
    const answer = await codedeploy.send(
      new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }),
    );
    expect(answer).toMatchObject({ status: 'Pending' });
    const stopped = await deploymentReaches(deploymentId!, ['Stopped']);
    await deploymentReaches(stopped.rollbackInfo!.rollbackDeploymentId!, ['Succeeded']);
    expect(await serviceTaskDefinition()).toBe(blue);
  });

  it('GetDeployment leaves out the AppSpec content; GetApplicationRevision answers it by its SHA-256, a rollback deploying blue', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web' });
    aws.codedeploy.hookResult('CheckGreen', 'Failed');
    const sent = revision(green, [{ AfterAllowTestTraffic: 'CheckGreen' }]);
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({ applicationName: APP, deploymentGroupName: GROUP, revision: sent }),
    );
    const failed = await deploymentReaches(deploymentId!, ['Failed']);
    expect(failed.revision).toEqual({
      revisionType: 'AppSpecContent',
      appSpecContent: { sha256: sent.appSpecContent.sha256 },
    });
    const answer = await codedeploy.send(
      new GetApplicationRevisionCommand({ applicationName: APP, revision: failed.revision }),
    );
    expect(answer.revision?.appSpecContent?.content).toBe(sent.appSpecContent.content);
    expect(answer.revisionInfo?.registerTime).toBeInstanceOf(Date);

    const rollback = await deploymentReaches(failed.rollbackInfo!.rollbackDeploymentId!, ['Succeeded']);
    const restored = await codedeploy.send(
      new GetApplicationRevisionCommand({ applicationName: APP, revision: rollback.revision }),
    );
    const document = JSON.parse(restored.revision!.appSpecContent!.content!);
    expect(document.Resources[0].TargetService.Properties.TaskDefinition).toBe(blue);
    expect(document.Hooks).toBeUndefined();
    expect(restored.revisionInfo?.deploymentGroups).toEqual([GROUP]);

    await expect(
      codedeploy.send(
        new GetApplicationRevisionCommand({
          applicationName: APP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: '0'.repeat(64) } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'RevisionDoesNotExistException' });
  });

  it('answers with CodeDeploy error types: missing application and group, a second active deployment, UpdateService refused', async () => {
    aws.codedeploy.addDeploymentGroup(APP, GROUP, { cluster: 'prod', service: 'web', readyWaitMinutes: 60 });
    await expect(
      codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'nope', deploymentGroupName: GROUP })),
    ).rejects.toMatchObject({
      name: 'ApplicationDoesNotExistException',
      message: 'No application found for name: nope',
    });
    await expect(
      codedeploy.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: 'nope' })),
    ).rejects.toMatchObject({ name: 'DeploymentGroupDoesNotExistException' });
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: revision(green),
      }),
    );
    await expect(
      codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: revision(green),
        }),
      ),
    ).rejects.toMatchObject({ name: 'DeploymentLimitExceededException' });
    const { deployments } = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        includeOnlyStatuses: ['Created', 'InProgress', 'Ready'],
      }),
    );
    expect(deployments).toEqual([deploymentId]);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: green })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
