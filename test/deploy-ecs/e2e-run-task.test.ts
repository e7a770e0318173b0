import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { essentialContainerExit, imagePullFailure } from '../support/aws-emulator/index.ts';
import { EcsFixture } from './fixture.ts';

/** run-task: the rendered revision once as a one-off task, before the service when there is one. */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

const oneOff = (extra: Record<string, string> = {}): ReturnType<EcsFixture['deploy']> =>
  f.deploy({
    'task-definition': 'task-definition.json',
    image: 'web:2',
    'run-task': 'true',
    'run-task-subnets': 'subnet-0abc12345def67890',
    'run-task-command': 'npm run migrate',
    ...extra,
  });

describe('run-task', () => {
  it('runs the task, prints its log as it runs and outputs its ARN and exit code 0', async () => {
    f.aws.ecs.taskBehaviour(
      { command: 'npm run migrate' },
      { runMs: 600, logLines: ['Migrating...', 'Applied 3 migrations'] },
    );
    const run = await oneOff({ 'run-task-environment': 'LOG_LEVEL=debug' });
    expect(run.outcome).toBe('success');
    expect(run.outputs['task-arn']).toMatch(/:task\/prod\/\w+$/);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.log).toMatch(/^Migrating\.\.\.$[\s\S]*^Applied 3 migrations$/m);
    const [runTask] = f.aws.callsTo('RunTask');
    expect(runTask?.body).toMatchObject({
      cluster: 'prod',
      launchType: 'FARGATE',
      startedBy: 'gantry-deploy-ecs',
      // The revision just registered (the family's first), image web:2.
      taskDefinition: expect.stringMatching(/task-definition\/web:1$/),
      overrides: {
        containerOverrides: [
          {
            name: 'app',
            command: ['npm', 'run', 'migrate'],
            environment: [{ name: 'LOG_LEVEL', value: 'debug' }],
          },
        ],
      },
    });
    expect(run.summary).toContain('Applied 3 migrations');
  });

  it('fails on a non-zero exit, with its exit code and its log lines', async () => {
    f.aws.ecs.taskBehaviour(
      { command: 'npm run migrate' },
      { ...essentialContainerExit(3), logLines: ['ERROR: duplicate column "email"'] },
    );
    const run = await oneOff();
    expect(run.outcome).toBe('failure');
    expect(run.outputs['exit-code']).toBe('3');
    const error = run.annotations.find((annotation) => annotation.level === 'error')?.message ?? '';
    expect(error).toMatch(/^Task \w+ failed: container app exited with code 3\./);
    expect(error).toContain('ERROR: duplicate column "email"');
  });

  it('fails on a task that never started, with the reason', async () => {
    f.aws.ecs.taskBehaviour({ image: 'web:2' }, imagePullFailure('web:2'));
    const run = await oneOff();
    expect(run.outcome).toBe('failure');
    expect(run.outputs['exit-code']).toBe('');
    expect(run.annotations.find((annotation) => annotation.level === 'error')?.message).toMatch(
      /failed to start: CannotPullContainerError/,
    );
  });

  it("runs the task first, on the service's network, and updates the service only after it succeeded", async () => {
    await f.createService();
    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:2',
      'run-task': 'true',
    });
    expect(run.outcome).toBe('success');
    const order = f.aws.calls
      .map((call) => call.operation)
      .filter((name) => name === 'RunTask' || name === 'UpdateService');
    expect(order).toEqual(['RunTask', 'UpdateService']);
    expect(f.aws.callsTo('RunTask')[0]?.body).toMatchObject({
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e'], securityGroups: ['sg-0a1b2c3d4e'] },
      },
    });
  });

  it('leaves the service alone when the task fails', async () => {
    await f.createService();
    f.aws.ecs.taskBehaviour({ family: 'web', command: 'npm run migrate' }, essentialContainerExit(1));
    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:2',
      'run-task': 'true',
      'run-task-command': 'npm run migrate',
    });
    expect(run.outcome).toBe('failure');
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    expect((await f.service()).taskDefinition).toMatch(/web:1$/);
  });
});
