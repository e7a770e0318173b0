import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import {
  essentialContainerExit,
  healthCheckFailure,
  imagePullFailure,
  type AwsEmulatorOptions,
} from './aws-emulator/index.ts';
import { CLUSTER, EcsServiceHarness, finished, TICK_MS } from './aws-emulator-ecs-harness.ts';

/**
 * ECS service deployments through the real ECSClient: their states under each strategy, the
 * circuit breaker, StopServiceDeployment, and tasks failing for a chosen reason. Time is stepped
 * with the paused clock, one scheduler pass (tick) at a time, so every state is seen.
 */

let h: EcsServiceHarness;

async function start(options: AwsEmulatorOptions = {}): Promise<void> {
  h = await EcsServiceHarness.start(options);
}

afterEach(() => h.close());

describe('rolling service deployments', () => {
  beforeEach(async () => {
    await start();
    h.emulator.clock.pause();
  });

  it('lists the newest first and describes one from PENDING through IN_PROGRESS to SUCCESSFUL', async () => {
    const v1 = await h.createService(await h.register('web:1'));
    const first = await h.latestDeploymentArn();
    await h.stepUntil(first, finished);
    const v2 = await h.register('web:2');
    const updated = await h.update(v2);
    const arn = await h.latestDeploymentArn();
    expect(arn).not.toBe(first);
    expect(arn).toMatch(/^arn:aws:ecs:eu-west-1:\d{12}:service-deployment\/main\/web\/[\w-]{22}$/);
    const pending = await h.describeDeployment(arn);
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
    const done = await h.stepUntil(arn, finished, seen);
    expect(seen).toEqual(['PENDING', 'IN_PROGRESS', 'SUCCESSFUL']);
    expect(done.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2 });
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    const service = await h.describeService();
    expect(service.deployments!.map((deployment) => deployment.rolloutState)).toEqual(['COMPLETED']);

    const { serviceDeployments } = await h.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
    );
    expect(serviceDeployments!.map((deployment) => deployment.serviceDeploymentArn)).toEqual([arn, first]);
    expect(serviceDeployments![0]).toMatchObject({
      status: 'SUCCESSFUL',
      targetServiceRevisionArn: done.targetServiceRevision!.arn,
    });
    const createdAfter = await h.ecs.send(
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
    const { serviceRevisions } = await h.ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [done.targetServiceRevision!.arn!] }),
    );
    expect(serviceRevisions![0]).toMatchObject({ taskDefinition: v2, launchType: 'FARGATE' });
    expect(serviceRevisions![0]!.containerImages).toEqual([{ containerName: 'app', image: 'web:2' }]);
  });

  it('stops a deployment still in flight when a newer one starts', async () => {
    await h.createService(await h.register('web:1'));
    await h.stepUntil(await h.latestDeploymentArn(), finished);
    await h.update(await h.register('web:2'));
    const superseded = await h.latestDeploymentArn();
    h.emulator.clock.advance(TICK_MS);
    await h.update(await h.register('web:3'));
    const latest = await h.latestDeploymentArn();
    expect(await h.describeDeployment(superseded)).toMatchObject({
      status: 'STOPPED',
      statusReason: 'Service deployment stopped: a newer service deployment started.',
    });
    expect((await h.stepUntil(latest, finished)).status).toBe('SUCCESSFUL');
    expect((await h.describeService()).taskDefinition).toMatch(/web:3$/);
  });

  it('describes unknown ARNs as MISSING failures and refuses an unknown service', async () => {
    await h.createService(await h.register('web:1'));
    const unknown = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/main/web/AAAAAAAAAAAAAAAAAAAAAA';
    const described = await h.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [unknown] }),
    );
    expect(described).toMatchObject({
      serviceDeployments: [],
      failures: [{ arn: unknown, reason: 'MISSING' }],
    });
    const error = await h.ecs
      .send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'api' }))
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ name: 'ServiceNotFoundException' });
  });

  it('answers as an ECS without service deployments when told to', async () => {
    await h.close();
    await start({ ecs: { serviceDeployments: false } });
    await h.createService(await h.register('web:1'));
    const { serviceDeployments } = await h.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
    );
    expect(serviceDeployments).toEqual([]);
  });
});

describe('circuit breaker and failing tasks', () => {
  beforeEach(async () => {
    await start();
    h.emulator.clock.pause();
  });

  it('rolls back an image that cannot be pulled: ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL', async () => {
    await h.createService(await h.register('web:1'), {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const first = await h.stepUntil(await h.latestDeploymentArn(), finished);
    h.emulator.ecs.taskBehaviour({ image: 'web:broken' }, imagePullFailure('web:broken'));
    await h.update(await h.register('web:broken'));
    const arn = await h.latestDeploymentArn();
    const seen: string[] = [];
    const done = await h.stepUntil(arn, finished, seen);
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
    const service = await h.describeService();
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
    const failed = (await h.serviceTasks('STOPPED')).filter((task) => task.stopCode === 'TaskFailedToStart');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]!.stoppedReason).toBe(
      'CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref web:broken: web:broken: not found',
    );
    expect(failed[0]!.containers![0]!.exitCode).toBeUndefined();
  });

  it('without rollback, stops the deployment when the essential container exits 1', async () => {
    await h.createService(await h.register('web:1'), {
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
    await h.stepUntil(await h.latestDeploymentArn(), finished);
    h.emulator.ecs.taskBehaviour({ image: 'web:2' }, essentialContainerExit(1));
    await h.update(await h.register('web:2'));
    const done = await h.stepUntil(await h.latestDeploymentArn(), finished);
    expect(done).toMatchObject({
      status: 'STOPPED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      deploymentCircuitBreaker: { status: 'TRIGGERED' },
    });
    expect(done.stoppedAt).toBeDefined();
    expect(done.rollback).toBeUndefined();
    const service = await h.describeService();
    expect(service.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED' });
    const exited = (await h.serviceTasks('STOPPED')).find(
      (task) => task.stopCode === 'EssentialContainerExited',
    )!;
    expect(exited.stoppedReason).toBe('Essential container in task exited');
    expect(exited.containers![0]!.exitCode).toBe(1);
    // The old revision keeps serving.
    expect((await h.serviceTasks('RUNNING')).map((task) => task.taskDefinitionArn)).toEqual([
      expect.stringMatching(/web:1$/),
      expect.stringMatching(/web:1$/),
    ]);
  });

  it('replaces tasks failing their container health check, and counts them for the breaker', async () => {
    await h.createService(await h.register('web:1', { healthCheck: true }), {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    await h.stepUntil(await h.latestDeploymentArn(), finished);
    expect((await h.serviceTasks('RUNNING'))[0]!.healthStatus).toBe('HEALTHY');
    h.emulator.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    await h.update(await h.register('web:2', { healthCheck: true }));
    const done = await h.stepUntil(await h.latestDeploymentArn(), finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    const unhealthy = (await h.serviceTasks('STOPPED')).filter((task) => task.healthStatus === 'UNHEALTHY');
    expect(unhealthy.length).toBeGreaterThanOrEqual(3);
    expect(unhealthy[0]).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      containers: [expect.objectContaining({ exitCode: 143, healthStatus: 'UNHEALTHY' })],
    });
    const messages = (await h.describeService()).events!.map((event) => event.message);
    expect(messages).toContain(
      `(service web) (task ${unhealthy[0]!.taskArn!.split('/').at(-1)}) failed container health checks.`,
    );
  });

  it('rolls back on StopServiceDeployment, and refuses to stop a finished or unknown deployment', async () => {
    await h.createService(await h.register('web:1'));
    const first = await h.stepUntil(await h.latestDeploymentArn(), finished);
    await h.update(await h.register('web:2'));
    const arn = await h.latestDeploymentArn();
    h.emulator.clock.advance(TICK_MS);
    expect((await h.describeDeployment(arn)).status).toBe('IN_PROGRESS');
    const stopped = await h.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect(stopped.serviceDeploymentArn).toBe(arn);
    expect((await h.describeDeployment(arn)).status).toBe('ROLLBACK_REQUESTED');
    const seen: string[] = [];
    const done = await h.stepUntil(arn, finished, seen);
    expect(seen).toEqual(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(done.rollback).toMatchObject({
      reason: 'Service deployment rolled back by StopServiceDeployment.',
      serviceRevisionArn: first.targetServiceRevision!.arn,
    });
    expect((await h.describeService()).taskDefinition).toMatch(/web:1$/);
    for (const [serviceDeploymentArn, name] of [
      [arn, 'ConflictException'],
      [arn.replace(/[\w-]{22}$/, 'BBBBBBBBBBBBBBBBBBBBBB'), 'ServiceDeploymentNotFoundException'],
    ] as const) {
      const error = await h.ecs
        .send(new StopServiceDeploymentCommand({ serviceDeploymentArn }))
        .catch((caught: unknown) => caught as Error);
      expect(error).toMatchObject({ name });
    }
  });

  it('stops without rolling back on StopServiceDeployment ABORT', async () => {
    await h.createService(await h.register('web:1'));
    await h.stepUntil(await h.latestDeploymentArn(), finished);
    await h.update(await h.register('web:2'));
    const arn = await h.latestDeploymentArn();
    await h.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));
    const seen: string[] = [];
    const done = await h.stepUntil(arn, finished, seen);
    expect(seen).toEqual(['STOP_REQUESTED', 'STOPPED']);
    expect(done).toMatchObject({ statusReason: 'Service deployment stopped by StopServiceDeployment.' });
    expect(done.rollback).toBeUndefined();
    expect((await h.describeService()).deployments![0]).toMatchObject({ rolloutState: 'FAILED' });
  });

  it('fails the rollback when the revision it returns to fails too', async () => {
    await h.createService(await h.register('web:1'), {
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    await h.stepUntil(await h.latestDeploymentArn(), finished);
    h.emulator.ecs.taskBehaviour({ family: 'web' }, essentialContainerExit(1));
    await h.update(await h.register('web:2'));
    const seen: string[] = [];
    const done = await h.stepUntil(await h.latestDeploymentArn(), finished, seen);
    expect(seen).toEqual(['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED']);
    expect(done.statusReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    const service = await h.describeService();
    expect(service.deployments![0]).toMatchObject({
      rolloutState: 'FAILED',
      taskDefinition: expect.stringMatching(/web:1$/),
    });
  });

  it('fails a rollback with nothing to return to', async () => {
    await h.createService(await h.register('web:1'));
    const arn = await h.latestDeploymentArn();
    await h.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }));
    const done = await h.stepUntil(arn, finished);
    expect(done).toMatchObject({
      status: 'ROLLBACK_FAILED',
      statusReason: 'No earlier service revision to roll back to.',
    });
  });
});

describe('deployment controllers', () => {
  beforeEach(() => start());

  it('refuses a new task definition through UpdateService for a CODE_DEPLOY service', async () => {
    const created = await h.createService(
      await h.register('web:1'),
      {},
      { deploymentController: { type: 'CODE_DEPLOY' } },
    );
    expect(created.deploymentController).toEqual({ type: 'CODE_DEPLOY' });
    const error = await h.update(await h.register('web:2')).catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    });
  });
});
