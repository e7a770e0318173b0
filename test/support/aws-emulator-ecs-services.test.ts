import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  ACCOUNT,
  CLUSTER,
  TICK_MS,
  NETWORK,
  emulator,
  ecs,
  start,
  stop,
  register,
  describeService,
  waitFor,
  failure,
} from './aws-emulator-ecs-client.ts';

/** ECS services through the real ECSClient: creation, rolling updates, scaling, the circuit breaker. */

afterEach(stop);

describe('services', () => {
  beforeEach(async () => {
    await start();
    emulator.logs.addLogGroup('/ecs/web');
  });

  const createService = async (
    taskDefinition: string,
    desiredCount = 2,
    rollback?: boolean,
  ): Promise<Service> => {
    const { service } = await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition,
        desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        ...(rollback !== undefined && {
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } },
        }),
      }),
    );
    return service!;
  };
  const rolledOut = (state: 'COMPLETED' | 'FAILED') => (service: Service) =>
    service.deployments![0]!.rolloutState === state && service.deployments!.length === 1;

  it('creates a service whose tasks converge to the desired count, then reports a steady state', async () => {
    const arn = await register('web');
    const created = await createService(arn);
    expect(created).toMatchObject({
      serviceArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/${CLUSTER}/web`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      taskDefinition: arn,
      launchType: 'FARGATE',
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
    });
    expect(created.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        taskDefinition: arn,
        desiredCount: 2,
      }),
    ]);
    const deploymentId = created.deployments![0]!.id!;
    expect(deploymentId).toMatch(/^ecs-svc\/\d{19}$/);
    const steady = await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    expect(steady.runningCount).toBe(2);
    expect(steady.deployments![0]!.rolloutStateReason).toBe(`ECS deployment ${deploymentId} completed.`);
    expect(steady.events![0]!.message).toBe('(service web) has reached a steady state.');
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }));
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
    expect(tasks!.map((task) => [task.group, task.startedBy, task.lastStatus])).toEqual([
      ['service:web', deploymentId, 'RUNNING'],
      ['service:web', deploymentId, 'RUNNING'],
    ]);
  });

  it('rolls out a new task definition: a new PRIMARY deployment, the old one draining with capacity kept', async () => {
    const v1 = await register('web');
    await createService(v1);
    await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    const v2 = await register('web');
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: v2 }),
    );
    expect(
      service!.deployments!.map((deployment) => [
        deployment.status,
        deployment.taskDefinition,
        deployment.rolloutState,
      ]),
    ).toEqual([
      ['PRIMARY', v2, 'IN_PROGRESS'],
      ['ACTIVE', v1, 'COMPLETED'],
    ]);
    const running: number[] = [];
    const done = await waitFor(
      () => describeService('web'),
      (described) => {
        running.push(described.runningCount!);
        return rolledOut('COMPLETED')(described);
      },
    );
    // minimumHealthyPercent 100: never fewer than the desired count running during the rollout.
    expect(Math.min(...running)).toBeGreaterThanOrEqual(2);
    expect(done).toMatchObject({ taskDefinition: v2, runningCount: 2, pendingCount: 0 });
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }));
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
    expect(tasks!.map((task) => task.taskDefinitionArn)).toEqual([v2, v2]);
  });

  it('scales without a new deployment when only the desired count changes', async () => {
    await createService(await register('web'));
    const before = await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 3 }));
    const after = await waitFor(
      () => describeService('web'),
      (service) => service.runningCount === 3,
    );
    expect(after.deployments!.map((deployment) => deployment.id)).toEqual([before.deployments![0]!.id]);
  });

  it('fails a rollout whose tasks keep exiting and rolls back to the last completed deployment', async () => {
    const v1 = await register('web', { image: 'web:1' });
    await createService(v1, 2, true);
    await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    emulator.ecs.taskBehaviour({ image: 'web:2' }, { exitCode: 1, runMs: TICK_MS });
    const v2 = await register('web', { image: 'web:2' });
    // Tick by tick, so that the failed deployment is seen before it drains away.
    emulator.clock.pause();
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: v2 }),
    );
    const failedId = service!.deployments![0]!.id!;
    const completedId = service!.deployments![1]!.id!;
    let rolledBack = await describeService('web');
    for (let tick = 0; tick < 100 && rolledBack.deployments![0]!.id === failedId; tick += 1) {
      emulator.clock.advance(TICK_MS);
      rolledBack = await describeService('web');
    }
    emulator.clock.resume();
    const [primary, failed] = rolledBack.deployments!;
    expect(failed).toMatchObject({
      id: failedId,
      status: 'ACTIVE',
      taskDefinition: v2,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(failed!.failedTasks).toBeGreaterThanOrEqual(3);
    expect(primary).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: v1,
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`,
    });
    const settled = await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    expect(settled).toMatchObject({ taskDefinition: v1, runningCount: 2 });
    expect(settled.events!.map((event) => event.message)).toContain(
      `(service web) (deployment ${failedId}) deployment failed: tasks failed to start.`,
    );
  });

  it('without rollback, a failed rollout stops launching while the old tasks keep serving', async () => {
    await createService(await register('web', { image: 'web:1' }), 2, false);
    await waitFor(() => describeService('web'), rolledOut('COMPLETED'));
    emulator.ecs.taskBehaviour(
      { image: 'web:2' },
      { failToStart: 'CannotPullContainerError: web:2 not found' },
    );
    const v2 = await register('web', { image: 'web:2' });
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: v2 }));
    const failed = await waitFor(
      () => describeService('web'),
      (service) => service.deployments![0]!.rolloutState === 'FAILED',
    );
    expect(failed.deployments!.map((deployment) => [deployment.status, deployment.runningCount])).toEqual([
      ['PRIMARY', 0],
      ['ACTIVE', 2],
    ]);
    const failedTasks = failed.deployments![0]!.failedTasks;
    emulator.clock.advance(20 * TICK_MS);
    const later = await describeService('web');
    expect(later.deployments![0]!.failedTasks).toBe(failedTasks);
    expect(later.runningCount).toBe(2);
  });

  it('refuses a duplicate service, and updates of a missing or deleted one', async () => {
    const arn = await register('web');
    await createService(arn, 1);
    const duplicate = await failure(createService(arn, 1));
    expect([duplicate.name, duplicate.message]).toEqual([
      'InvalidParameterException',
      'Creation of service was not idempotent.',
    ]);
    const missing = await failure(
      ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'api', desiredCount: 1 })),
    );
    expect([missing.name, missing.message]).toEqual(['ServiceNotFoundException', 'Service not found.']);
    const scaled = await failure(ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'web' })));
    expect(scaled.message).toBe('The service cannot be stopped while it is scaled above 0.');
    const { service } = await ecs.send(
      new DeleteServiceCommand({ cluster: CLUSTER, service: 'web', force: true }),
    );
    expect(service!.status).toBe('DRAINING');
    const inactive = await failure(
      ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 1 })),
    );
    expect([inactive.name, inactive.message]).toEqual([
      'ServiceNotActiveException',
      'Service was not ACTIVE.',
    ]);
    await waitFor(
      () => describeService('web'),
      (described) => described.status === 'INACTIVE',
    );
    const { failures } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['api'] }));
    expect(failures).toEqual([
      { arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/${CLUSTER}/api`, reason: 'MISSING' },
    ]);
  });
});
