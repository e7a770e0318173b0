import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  StopServiceDeploymentCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { healthCheckFailure } from './aws-emulator/index.ts';
import { EcsServiceHarness, finished, TICK_MS } from './aws-emulator-ecs-harness.ts';

/**
 * BLUE_GREEN, LINEAR and CANARY service deployments through their lifecycle stages, with bake
 * times passed by advancing the paused clock rather than waiting minutes.
 */

const MINUTE_MS = 60_000;

let h: EcsServiceHarness;

beforeEach(async () => {
  h = await EcsServiceHarness.start();
  h.emulator.clock.pause();
});

afterEach(() => h.close());

const targetTraffic = (deployment: ServiceDeployment): number | undefined =>
  deployment.targetServiceRevision!.requestedProductionTrafficWeight;

/** Steps through a deployment, a minute at a time while traffic shifts or bakes, noting the target's weight. */
async function trafficSteps(arn: string): Promise<{ weights: number[]; done: ServiceDeployment }> {
  const weights: number[] = [];
  for (let step = 0; step < 400; step += 1) {
    const deployment = await h.describeDeployment(arn);
    const weight = targetTraffic(deployment)!;
    if (weights.at(-1) !== weight) weights.push(weight);
    if (finished(deployment)) return { weights, done: deployment };
    const waiting = ['PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME'].includes(deployment.lifecycleStage!);
    h.emulator.clock.advance(waiting ? MINUTE_MS : TICK_MS);
  }
  throw new Error(`${arn} did not finish`);
}

/** A service on web:1 with this configuration, its first deployment done; then the update to web:2. */
async function deployOverBlue(
  configuration: DeploymentConfiguration,
): Promise<{ arn: string; blueTasks: string[] }> {
  await h.createService(await h.register('web:1'), configuration);
  await trafficSteps(await h.latestDeploymentArn());
  const blueTasks = (await h.serviceTasks('RUNNING')).map((task) => task.taskArn!);
  await h.update(await h.register('web:2'));
  return { arn: await h.latestDeploymentArn(), blueTasks };
}

describe('BLUE_GREEN', () => {
  const BLUE_GREEN = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 } as const;

  it('goes through every lifecycle stage, both revisions up through the bake time, then cleans up', async () => {
    const { arn, blueTasks } = await deployOverBlue(BLUE_GREEN);
    const seen: string[] = [];
    const baking = await h.stepUntil(arn, (deployment) => deployment.lifecycleStage === 'BAKE_TIME', seen);
    expect(baking.targetServiceRevision).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 100,
      requestedTestTrafficWeight: 100,
    });
    expect(baking.sourceServiceRevisions).toEqual([
      expect.objectContaining({ runningTaskCount: 2, requestedProductionTrafficWeight: 0 }),
    ]);
    expect(await h.serviceTasks('RUNNING')).toHaveLength(4);
    // Baking: nothing moves until the bake time has passed.
    h.emulator.clock.advance(14 * MINUTE_MS);
    expect((await h.describeDeployment(arn)).lifecycleStage).toBe('BAKE_TIME');
    expect((await h.describeService()).deployments!.map((deployment) => deployment.rolloutState)).toEqual([
      'IN_PROGRESS',
      'COMPLETED',
    ]);
    h.emulator.clock.advance(MINUTE_MS);
    const done = await h.stepUntil(arn, finished, seen);
    expect(seen).toEqual([
      'PENDING',
      'IN_PROGRESS PRE_SCALE_UP',
      'IN_PROGRESS SCALE_UP',
      'IN_PROGRESS POST_SCALE_UP',
      'IN_PROGRESS TEST_TRAFFIC_SHIFT',
      'IN_PROGRESS POST_TEST_TRAFFIC_SHIFT',
      'IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT',
      'IN_PROGRESS POST_PRODUCTION_TRAFFIC_SHIFT',
      'IN_PROGRESS BAKE_TIME',
      'IN_PROGRESS CLEAN_UP',
      'SUCCESSFUL CLEAN_UP',
    ]);
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBeGreaterThanOrEqual(15 * MINUTE_MS);
    const running = (await h.serviceTasks('RUNNING')).map((task) => task.taskArn!);
    expect(running).toHaveLength(2);
    expect(running.some((task) => blueTasks.includes(task))).toBe(false);
    const service = await h.describeService();
    expect(service.deploymentConfiguration).toMatchObject(BLUE_GREEN);
    expect(service.events![0]!.message).toBe('(service web) has reached a steady state.');
  });

  it('hands the traffic back to the blue tasks when green fails its health checks', async () => {
    const { arn, blueTasks } = await deployOverBlue({
      ...BLUE_GREEN,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    h.emulator.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    const seen: string[] = [];
    const done = await h.stepUntil(arn, finished, seen);
    expect(seen).toEqual([
      'PENDING',
      'IN_PROGRESS PRE_SCALE_UP',
      'IN_PROGRESS SCALE_UP',
      'ROLLBACK_IN_PROGRESS SCALE_UP',
      'ROLLBACK_SUCCESSFUL SCALE_UP',
    ]);
    expect(done.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED' });
    expect(targetTraffic(done)).toBe(0);
    // The blue tasks never stopped: a blue/green rollback is only a traffic switch.
    expect((await h.serviceTasks('RUNNING')).map((task) => task.taskArn).sort()).toEqual(
      [...blueTasks].sort(),
    );
  });

  it('rolls back on StopServiceDeployment during the bake time', async () => {
    const { arn, blueTasks } = await deployOverBlue(BLUE_GREEN);
    await h.stepUntil(arn, (deployment) => deployment.lifecycleStage === 'BAKE_TIME');
    await h.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const done = await h.stepUntil(arn, finished);
    expect(done).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'BAKE_TIME' });
    expect(done.sourceServiceRevisions![0]!.requestedProductionTrafficWeight).toBe(100);
    expect((await h.serviceTasks('RUNNING')).map((task) => task.taskArn).sort()).toEqual(
      [...blueTasks].sort(),
    );
    expect((await h.describeService()).taskDefinition).toMatch(/web:1$/);
  });

  it('lets a test pass the bake time the moment a polling client reaches it, in real time', async () => {
    h.emulator.clock.resume();
    await h.createService(await h.register('web:1'), BLUE_GREEN);
    const arn = await h.latestDeploymentArn();
    const stages: string[] = [];
    h.emulator.ecs.watchServiceDeployments((deployment) =>
      stages.push(deployment.lifecycleStage ?? deployment.status),
    );
    // A client polling as an action does; the test only steps in when the bake starts.
    const polled = (async (): Promise<ServiceDeployment> => {
      for (;;) {
        const deployment = await h.describeDeployment(arn);
        if (finished(deployment)) return deployment;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const baking = await h.emulator.ecs.serviceDeploymentReaches(
      (deployment) => deployment.arn === arn && deployment.lifecycleStage === 'BAKE_TIME',
    );
    expect(baking.status).toBe('IN_PROGRESS');
    h.emulator.clock.advance(15 * MINUTE_MS);
    expect((await polled).status).toBe('SUCCESSFUL');
    expect(stages).toEqual(expect.arrayContaining(['SCALE_UP', 'BAKE_TIME', 'CLEAN_UP']));
  });

  it('refuses BLUE_GREEN without a bake time, as ECS requires one', async () => {
    const error = await h
      .createService(await h.register('web:1'), { strategy: 'BLUE_GREEN' })
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('LINEAR and CANARY', () => {
  it('LINEAR shifts production traffic in equal steps, each followed by its bake', async () => {
    const linear = { stepPercent: 25, stepBakeTimeInMinutes: 2 };
    const { arn } = await deployOverBlue({ strategy: 'LINEAR', linearConfiguration: linear });
    const { weights, done } = await trafficSteps(arn);
    expect(weights).toEqual([0, 25, 50, 75, 100]);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.deploymentConfiguration).toMatchObject({ strategy: 'LINEAR', linearConfiguration: linear });
  });

  it('CANARY shifts its share first and the rest after the canary bake', async () => {
    const { arn } = await deployOverBlue({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    const { weights, done } = await trafficSteps(arn);
    expect(weights).toEqual([0, 10, 100]);
    expect(done.deploymentConfiguration!.canaryConfiguration).toEqual({
      canaryPercent: 10,
      canaryBakeTimeInMinutes: 10,
    });
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBeGreaterThanOrEqual(10 * MINUTE_MS);
  });
});
