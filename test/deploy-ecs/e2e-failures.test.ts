import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  essentialContainerExit,
  healthCheckFailure,
  imagePullFailure,
} from '../support/aws-emulator/index.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture } from './fixture.ts';

/**
 * deploy-ecs when the deployment fails: circuit breaker with and without ECS's rollback, Gantry's
 * own rollback (StopServiceDeployment, or the previous revision), timeouts, cancellation, BLUE_GREEN.
 */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

const deployWeb = (
  image: string,
  extra: Record<string, string> = {},
  options: Parameters<EcsFixture['deploy']>[1] = {},
): ReturnType<EcsFixture['deploy']> =>
  f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image, ...extra }, options);

/** Resolves once `condition` holds, checked as the emulator answers calls. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('circuit breaker', () => {
  it('with ECS rollback: fails, watches the rollback to its end, and names the stopped reason', async () => {
    await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: true } });
    f.aws.ecs.taskBehaviour({ image: 'web:broken' }, imagePullFailure('web:broken'));
    const run = await deployWeb('web:broken');
    expect(run.outcome).toBe('failure');
    expect(run.outputs).toMatchObject({
      'rollout-state': 'ROLLBACK_SUCCESSFUL',
      'rolled-back': 'true',
      deployed: 'true',
    });
    const [error] = run.annotations.filter((annotation) => annotation.level === 'error');
    expect(error?.message).toMatch(
      /ECS rolled it back: ECS deployment circuit breaker: tasks failed to start/,
    );
    expect(error?.message).toContain('CannotPullContainerError');
    expect(run.summary).toContain('CannotPullContainerError');
    expect(run.summary).toContain('by ECS, to web:1');
    // ECS rolled back itself: Gantry neither stopped the deployment nor updated the service again.
    expect(f.aws.callsTo('StopServiceDeployment')).toHaveLength(0);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(1);
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('without ECS rollback: fails, and Gantry updates the service back to the previous definition', async () => {
    await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: false } });
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, essentialContainerExit(1));
    const run = await deployWeb('web:2');
    expect(run.outcome).toBe('failure');
    expect(run.outputs).toMatchObject({ 'rollout-state': 'STOPPED', 'rolled-back': 'true' });
    const updates = f.aws.callsTo('UpdateService');
    expect(updates).toHaveLength(2);
    expect(updates[1]?.body).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: run.outputs['previous-task-definition-arn'],
    });
    expect(run.annotations.find((annotation) => annotation.level === 'error')?.message).toMatch(
      /it was stopped: ECS deployment circuit breaker.*Stopped tasks: .*app exited 1.*Gantry rolled back \(update-to-previous\): succeeded/,
    );
    expect(run.summary).toContain('by Gantry (update-to-previous)');
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
  });

  it('without ECS rollback and rollback-on-failure false: fails and leaves the service alone', async () => {
    await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: false } });
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, essentialContainerExit(1));
    const run = await deployWeb('web:2', { 'rollback-on-failure': 'false' });
    expect(run.outcome).toBe('failure');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(f.aws.callsTo('UpdateService')).toHaveLength(1);
  });
});

describe("Gantry's rollback", () => {
  it('a timeout fails the step and stops the deployment in flight with ROLLBACK', async () => {
    await f.createService();
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    const run = await deployWeb('web:2', { 'wait-for-minutes': '0.05' });
    expect(run.outcome).toBe('failure');
    expect(run.annotations.find((annotation) => annotation.level === 'error')?.message).toMatch(
      /Deployment of service web timed out: Timed out after 3s waiting for deployment ecs-svc\/\d+ of service web to finish: our deployment was IN_PROGRESS/,
    );
    const [stop] = f.aws.callsTo('StopServiceDeployment');
    expect(stop?.body).toEqual({
      serviceDeploymentArn: run.outputs['service-deployment-arn'],
      stopType: 'ROLLBACK',
    });
    expect(run.outputs).toMatchObject({ 'rolled-back': 'true', 'rollout-state': 'ROLLBACK_SUCCESSFUL' });
    expect(run.summary).toContain('by Gantry (stop-with-rollback)');
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
  });

  it('a cancelled job rolls the deployment in flight back', async () => {
    await f.createService();
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    // The deployment never finishes; the signal comes once the action tracks it, in flight.
    const run = await deployWeb(
      'web:2',
      {},
      { signal: { afterLine: /^Tracking service deployment arn:/, name: 'SIGINT' } },
    );
    expect(run.outcome).toBe('cancelled');
    const [stop] = f.aws.callsTo('StopServiceDeployment');
    expect(stop?.body).toMatchObject({ stopType: 'ROLLBACK' });
    expect(run.outputs['rollout-state']).toBe('IN_PROGRESS');
    expect(run.summary).toContain('started (the job was cancelled)');
    // The main step started the rollback: the post step has nothing left to do.
    expect(run.post?.log ?? '').not.toContain('did not finish');
    await f.settled();
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
  });
});

describe('BLUE_GREEN', () => {
  it('waits through every lifecycle stage and the bake time, then succeeds', async () => {
    await f.createService({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    const running = deployWeb('web:2');
    await f.aws.ecs.serviceDeploymentReaches(
      (deployment) =>
        deployment.lifecycleStage === 'BAKE_TIME' && deployment.target.taskDefinition.revision === 2,
    );
    // Once the action has polled during the bake, the bake minute passes.
    const polls = f.aws.callsTo('DescribeServiceDeployments').length;
    await until(() => f.aws.callsTo('DescribeServiceDeployments').length > polls);
    f.aws.clock.advance(60_000);
    const run = await running;
    expect(run.outcome).toBe('success');
    expect(run.outputs['rollout-state']).toBe('SUCCESSFUL');
    // Stages are seen at each poll: the emulator runs the short ones within one, the bake lasts.
    expect(run.log).toContain('Lifecycle stage: BAKE_TIME.');
    expect(run.log.indexOf('Lifecycle stage: BAKE_TIME.')).toBeLessThan(
      run.log.indexOf('Service deployment is SUCCESSFUL.'),
    );
    expect(run.summary).toMatch(/lifecycle stages \| .*BAKE_TIME/);
  });

  it('fails when the green tasks fail, and ECS returns to blue', async () => {
    await f.createService({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, healthCheckFailure());
    const run = await deployWeb('web:2');
    expect(run.outcome).toBe('failure');
    expect(run.outputs).toMatchObject({ 'rolled-back': 'true' });
    expect(run.outputs['rollout-state']).toMatch(/^ROLLBACK_/);
    expect(run.summary).toContain('Task failed container health checks');
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
  });

  it.each([
    ['LINEAR', { linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 0 } }],
    ['CANARY', { canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 } }],
  ] as const)('%s is waited through to SUCCESSFUL', async (strategy, settings) => {
    await f.createService({ strategy, bakeTimeInMinutes: 0, ...settings });
    const run = await deployWeb('web:2');
    expect(run.outcome).toBe('success');
    expect(run.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect((await f.service()).taskDefinition).toMatch(/web:2$/);
  });
});
