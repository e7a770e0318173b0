import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { imagePullFailure } from './aws-emulator/index.ts';
import { CLUSTER, EcsServiceHarness, TICK_MS } from './aws-emulator-ecs-harness.ts';

/**
 * Tasks that never get going: stuck pulling (a deployment that outlives any wait), RunTask unable to
 * place them, and the service throttle that slows relaunching of tasks failing to start.
 */

const MINUTE_MS = 60_000;
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } };

let h: EcsServiceHarness;

beforeEach(async () => {
  h = await EcsServiceHarness.start();
  h.emulator.clock.pause();
});

afterEach(() => h.close());

describe('tasks that never get going', () => {
  it('keeps a task PENDING for its startMs (Infinity: until stopped)', async () => {
    const definition = await h.register('web:1');
    h.emulator.ecs.taskBehaviour({ family: 'web' }, { startMs: Infinity });
    const { tasks } = await h.ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: definition,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const taskArn = tasks![0]!.taskArn!;
    h.emulator.clock.advance(30 * MINUTE_MS);
    const describe = async (): Promise<string> => {
      const { tasks: described } = await h.ecs.send(
        new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }),
      );
      return `${described![0]!.lastStatus} ${described![0]!.stopCode ?? ''}`.trim();
    };
    expect(await describe()).toBe('PENDING');
    await h.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn }));
    h.emulator.clock.advance(3 * TICK_MS);
    expect(await describe()).toBe('STOPPED UserInitiated');
  });

  it('leaves a rollout IN_PROGRESS while its tasks stay PENDING', async () => {
    await h.createService(await h.register('web:1'));
    h.emulator.ecs.taskBehaviour({ family: 'web' }, { startMs: 20 * MINUTE_MS });
    const arn = await h.latestDeploymentArn();
    h.emulator.clock.advance(10 * MINUTE_MS);
    expect(await h.describeDeployment(arn)).toMatchObject({ status: 'IN_PROGRESS' });
    expect((await h.describeService()).pendingCount).toBe(2);
    h.emulator.clock.advance(10 * MINUTE_MS);
    expect((await h.stepUntil(arn, (deployment) => deployment.status !== 'IN_PROGRESS')).status).toBe(
      'SUCCESSFUL',
    );
  });

  it('answers RunTask with a failure and no task when the task cannot be placed', async () => {
    const definition = await h.register('web:1');
    h.emulator.ecs.taskBehaviour({ family: 'web' }, { placementFailure: 'RESOURCE:MEMORY' });
    const output = await h.ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: definition,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    expect(output.tasks).toEqual([]);
    expect(output.failures).toEqual([
      { arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/main', reason: 'RESOURCE:MEMORY' },
    ]);
    expect(h.emulator.ecs.tasks.size).toBe(0);
  });
});

describe('the service throttle', () => {
  it('relaunches tasks that keep failing to start less and less often, and says so', async () => {
    await h.createService(await h.register('web:1'));
    h.emulator.ecs.taskBehaviour({ image: 'web:1' }, imagePullFailure('web:1'));
    const arn = await h.latestDeploymentArn();
    const launchTimes: number[] = [];
    for (let tick = 0; tick < 600; tick += 1) {
      h.emulator.clock.advance(TICK_MS);
      const service = h.emulator.ecs.service(CLUSTER, 'web')!;
      const started = service.events.filter((event) => event.message.includes('has started'));
      if (started.length > launchTimes.length) launchTimes.push(started[0]!.createdAt);
    }
    const gaps = launchTimes.slice(1).map((time, index) => time - launchTimes[index]!);
    // Without a circuit breaker it never gives up, but the gaps between launches grow.
    expect(gaps.at(-1)!).toBeGreaterThan(4 * gaps[0]!);
    expect(launchTimes.length).toBeLessThan(20);
    const messages = (await h.describeService()).events!.map((event) => event.message);
    expect(messages).toContain(
      '(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect((await h.describeDeployment(arn)).status).toBe('IN_PROGRESS');
  });
});
