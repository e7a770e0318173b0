import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  essentialContainerExit,
  healthCheckFailure,
  imagePullFailure,
  startAwsEmulator,
  type AwsEmulator,
  type AwsEmulatorOptions,
} from './aws-emulator/index.ts';

/**
 * ECS service deployments through the real ECSClient: their states under each strategy, the
 * circuit breaker, StopServiceDeployment, and tasks failing for a chosen reason. Time is stepped
 * with the paused clock, one scheduler pass (tick) at a time, so every state is seen.
 */

const CLUSTER = 'main';
const TICK_MS = 20;
const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
};

let emulator: AwsEmulator;
let ecs: ECSClient;

async function start(options: AwsEmulatorOptions = {}): Promise<void> {
  emulator = await startAwsEmulator(options);
  ecs = new ECSClient(emulator.clientConfig());
  emulator.ecs.addCluster(CLUSTER);
  emulator.logs.addLogGroup('/ecs/web');
}

afterEach(async () => {
  ecs.destroy();
  await emulator.close();
});

async function register(image: string, extra: { healthCheck?: boolean } = {}): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image,
          ...(extra.healthCheck && {
            healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] },
          }),
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

async function createService(
  taskDefinition: string,
  deploymentConfiguration: DeploymentConfiguration = {},
  extra: Partial<CreateServiceCommandInput> = {},
): Promise<Service> {
  const { service } = await ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: 'web',
      taskDefinition,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentConfiguration,
      ...extra,
    }),
  );
  return service!;
}

async function update(taskDefinition: string): Promise<Service> {
  const { service } = await ecs.send(
    new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition }),
  );
  return service!;
}

async function latestDeploymentArn(): Promise<string> {
  const { serviceDeployments } = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
  );
  return serviceDeployments![0]!.serviceDeploymentArn!;
}

async function describeDeployment(arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  return serviceDeployments![0]!;
}

async function describeService(): Promise<Service> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }));
  return services![0]!;
}

async function serviceTasks(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const { taskArns } = await ecs.send(
    new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web', desiredStatus }),
  );
  if (taskArns!.length === 0) return [];
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
  return tasks!;
}

/**
 * Steps the paused clock one tick at a time until the deployment's state satisfies `done`,
 * recording every status and lifecycle stage seen on the way.
 */
async function stepUntil(
  arn: string,
  done: (deployment: ServiceDeployment) => boolean,
  seen: string[] = [],
  maxTicks = 400,
): Promise<ServiceDeployment> {
  for (let tick = 0; ; tick += 1) {
    const deployment = await describeDeployment(arn);
    const state = [deployment.status, deployment.lifecycleStage].filter(Boolean).join(' ');
    if (seen.at(-1) !== state) seen.push(state);
    if (done(deployment)) return deployment;
    if (tick === maxTicks) throw new Error(`after ${maxTicks} ticks: ${JSON.stringify(deployment)}`);
    emulator.clock.advance(TICK_MS);
  }
}

const finished = (deployment: ServiceDeployment): boolean => deployment.finishedAt !== undefined;

describe('rolling service deployments', () => {
  beforeEach(async () => {
    await start();
    emulator.clock.pause();
  });

  it('lists the newest first and describes one from PENDING through IN_PROGRESS to SUCCESSFUL', async () => {
    const v1 = await createService(await register('web:1'));
    const first = await latestDeploymentArn();
    await stepUntil(first, finished);
    const v2 = await register('web:2');
    const updated = await update(v2);
    const arn = await latestDeploymentArn();
    expect(arn).not.toBe(first);
    expect(arn).toMatch(/^arn:aws:ecs:eu-west-1:\d{12}:service-deployment\/main\/web\/[\w-]{22}$/);
    const pending = await describeDeployment(arn);
    expect(pending).toMatchObject({
      serviceArn: v1.serviceArn,
      clusterArn: v1.clusterArn,
      status: 'PENDING',
      deploymentConfiguration: { strategy: 'ROLLING', maximumPercent: 200, minimumHealthyPercent: 100 },
      deploymentCircuitBreaker: { status: 'DISABLED', failureCount: 0, threshold: 3 },
      alarms: { status: 'DISABLED' },
    });
    expect(pending.lifecycleStage).toBeUndefined();
    const newDeploymentId = updated.deployments![0]!.id!.replace('ecs-svc/', '');
    expect(pending.targetServiceRevision!.arn).toMatch(
      new RegExp(`service-revision/main/web/${newDeploymentId}$`),
    );
    expect(pending.sourceServiceRevisions).toEqual([
      expect.objectContaining({ requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }),
    ]);

    const seen: string[] = [];
    const done = await stepUntil(arn, finished, seen);
    expect(seen).toEqual(['PENDING', 'IN_PROGRESS', 'SUCCESSFUL']);
    expect(done.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2 });
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    const service = await describeService();
    expect(service.deployments!.map((deployment) => deployment.rolloutState)).toEqual(['COMPLETED']);

    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
    );
    expect(serviceDeployments!.map((deployment) => deployment.serviceDeploymentArn)).toEqual([arn, first]);
    expect(serviceDeployments![0]).toMatchObject({
      status: 'SUCCESSFUL',
      targetServiceRevisionArn: done.targetServiceRevision!.arn,
    });
    const createdAfter = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: CLUSTER,
        service: 'web',
        createdAt: { after: done.createdAt },
        status: ['SUCCESSFUL'],
      }),
    );
    expect(createdAfter.serviceDeployments!.map((deployment) => deployment.serviceDeploymentArn)).toEqual([
      arn,
    ]);
    const { serviceRevisions } = await ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [done.targetServiceRevision!.arn!] }),
    );
    expect(serviceRevisions![0]).toMatchObject({ taskDefinition: v2, launchType: 'FARGATE' });
    expect(serviceRevisions![0]!.containerImages).toEqual([{ containerName: 'app', image: 'web:2' }]);
  });

  it('stops a deployment still in flight when a newer one starts', async () => {
    await createService(await register('web:1'));
    await stepUntil(await latestDeploymentArn(), finished);
    await update(await register('web:2'));
    const superseded = await latestDeploymentArn();
    emulator.clock.advance(TICK_MS);
    await update(await register('web:3'));
    const latest = await latestDeploymentArn();
    expect(await describeDeployment(superseded)).toMatchObject({
      status: 'STOPPED',
      statusReason: 'Service deployment stopped: a newer service deployment started.',
    });
    expect((await stepUntil(latest, finished)).status).toBe('SUCCESSFUL');
    expect((await describeService()).taskDefinition).toMatch(/web:3$/);
  });

  it('describes unknown ARNs as MISSING failures and refuses an unknown service', async () => {
    await createService(await register('web:1'));
    const unknown = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/main/web/AAAAAAAAAAAAAAAAAAAAAA';
    const described = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [unknown] }),
    );
    expect(described).toMatchObject({
      serviceDeployments: [],
      failures: [{ arn: unknown, reason: 'MISSING' }],
    });
    const error = await ecs
      .send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'api' }))
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ name: 'ServiceNotFoundException' });
  });

  it('answers as an ECS without service deployments when told to', async () => {
    ecs.destroy();
    await emulator.close();
    await start({ ecs: { serviceDeployments: false } });
    await createService(await register('web:1'));
    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
    );
    expect(serviceDeployments).toEqual([]);
  });
});

describe('circuit breaker and failing tasks', () => {
  beforeEach(async () => {
    await start();
    emulator.clock.pause();
  });

  it('rolls back an image that cannot be pulled: ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL', async () => {
    await createService(await register('web:1'), {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const first = await stepUntil(await latestDeploymentArn(), finished);
    emulator.ecs.taskBehaviour({ image: 'web:broken' }, imagePullFailure('web:broken'));
    await update(await register('web:broken'));
    const arn = await latestDeploymentArn();
    const seen: string[] = [];
    const done = await stepUntil(arn, finished, seen);
    expect(seen).toEqual(['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(done).toMatchObject({
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3 },
      rollback: {
        reason: 'ECS deployment circuit breaker: tasks failed to start.',
        serviceRevisionArn: first.targetServiceRevision!.arn,
      },
    });
    expect(done.deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
    const service = await describeService();
    expect(service.taskDefinition).toMatch(/web:1$/);
    const messages = service.events!.map((event) => event.message);
    expect(messages[0]).toBe('(service web) has reached a steady state.');
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service web\) rolling back to deployment ecs-svc\/\d+\.$/),
    );
    const failed = (await serviceTasks('STOPPED')).filter((task) => task.stopCode === 'TaskFailedToStart');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]!.stoppedReason).toBe(
      'CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref web:broken: web:broken: not found',
    );
    expect(failed[0]!.containers![0]!.exitCode).toBeUndefined();
  });

  it('without rollback, stops the deployment when the essential container exits 1', async () => {
    await createService(await register('web:1'), {
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
    await stepUntil(await latestDeploymentArn(), finished);
    emulator.ecs.taskBehaviour({ image: 'web:2' }, essentialContainerExit(1));
    await update(await register('web:2'));
    const done = await stepUntil(await latestDeploymentArn(), finished);
    expect(done).toMatchObject({
      status: 'STOPPED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      deploymentCircuitBreaker: { status: 'TRIGGERED' },
    });
    expect(done.stoppedAt).toBeDefined();
    expect(done.rollback).toBeUndefined();
    const service = await describeService();
    expect(service.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED' });
    const exited = (await serviceTasks('STOPPED')).find(
      (task) => task.stopCode === 'EssentialContainerExited',
    )!;
    expect(exited.stoppedReason).toBe('Essential container in task exited');
    expect(exited.containers![0]!.exitCode).toBe(1);
    // The old revision keeps serving.
    expect((await serviceTasks('RUNNING')).map((task) => task.taskDefinitionArn)).toEqual([
      expect.stringMatching(/web:1$/),
      expect.stringMatching(/web:1$/),
    ]);
  });

  it('replaces tasks failing their container health check, and counts them for the breaker', async () => {
    await createService(await register('web:1', { healthCheck: true }), {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    await stepUntil(await latestDeploymentArn(), finished);
    expect((await serviceTasks('RUNNING'))[0]!.healthStatus).toBe('HEALTHY');
    emulator.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    await update(await register('web:2', { healthCheck: true }));
    const done = await stepUntil(await latestDeploymentArn(), finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    const unhealthy = (await serviceTasks('STOPPED')).filter((task) => task.healthStatus === 'UNHEALTHY');
    expect(unhealthy.length).toBeGreaterThanOrEqual(3);
    expect(unhealthy[0]).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      containers: [expect.objectContaining({ exitCode: 143, healthStatus: 'UNHEALTHY' })],
    });
    const messages = (await describeService()).events!.map((event) => event.message);
    expect(messages).toContain(
      `(service web) (task ${unhealthy[0]!.taskArn!.split('/').at(-1)}) failed container health checks.`,
    );
  });

  it('rolls back on StopServiceDeployment, and refuses to stop a finished or unknown deployment', async () => {
    await createService(await register('web:1'));
    const first = await stepUntil(await latestDeploymentArn(), finished);
    await update(await register('web:2'));
    const arn = await latestDeploymentArn();
    emulator.clock.advance(TICK_MS);
    expect((await describeDeployment(arn)).status).toBe('IN_PROGRESS');
    const stopped = await ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect(stopped.serviceDeploymentArn).toBe(arn);
    expect((await describeDeployment(arn)).status).toBe('ROLLBACK_REQUESTED');
    const seen: string[] = [];
    const done = await stepUntil(arn, finished, seen);
    expect(seen).toEqual(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(done.rollback).toMatchObject({
      reason: 'Service deployment rolled back by StopServiceDeployment.',
      serviceRevisionArn: first.targetServiceRevision!.arn,
    });
    expect((await describeService()).taskDefinition).toMatch(/web:1$/);
    for (const [serviceDeploymentArn, name] of [
      [arn, 'ConflictException'],
      [arn.replace(/[\w-]{22}$/, 'BBBBBBBBBBBBBBBBBBBBBB'), 'ServiceDeploymentNotFoundException'],
    ] as const) {
      const error = await ecs
        .send(new StopServiceDeploymentCommand({ serviceDeploymentArn }))
        .catch((caught: unknown) => caught as Error);
      expect(error).toMatchObject({ name });
    }
  });

  it('fails a rollback with nothing to return to', async () => {
    await createService(await register('web:1'));
    const arn = await latestDeploymentArn();
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }));
    const done = await stepUntil(arn, finished);
    expect(done).toMatchObject({
      status: 'ROLLBACK_FAILED',
      statusReason: 'No earlier service revision to roll back to.',
    });
  });
});

describe('deployment controllers', () => {
  beforeEach(() => start());

  it('refuses a new task definition through UpdateService for a CODE_DEPLOY service', async () => {
    const created = await createService(
      await register('web:1'),
      {},
      { deploymentController: { type: 'CODE_DEPLOY' } },
    );
    expect(created.deploymentController).toEqual({ type: 'CODE_DEPLOY' });
    const error = await update(await register('web:2')).catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    });
  });
});
