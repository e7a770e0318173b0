import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { runEcsTask } from '../../../actions/migrate/src/in-cluster/ecs-task.ts';
import type { EcsTaskInputs } from '../../../actions/migrate/src/in-cluster/inputs.ts';
import { startAwsEmulator, type AwsEmulator } from '../../support/aws-emulator/index.ts';
import { capture, setEnv, type Captured } from '../../shared/helpers.ts';

/** mode: ecs-task in-process, through the real ECS and CloudWatch Logs clients against the AWS emulator. */

let aws: AwsEmulator;
let stdout: Captured;
let restoreEnv: () => void;
beforeEach(async () => {
  aws = await startAwsEmulator();
  const config = aws.clientConfig();
  restoreEnv = setEnv({
    AWS_REGION: config.region,
    AWS_ENDPOINT_URL: config.endpoint,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
  });
  aws.ecs.addCluster('prod');
  aws.logs.addLogGroup('/ecs/shop');
  const ecs = new ECSClient(config);
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'shop',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: 'shop:2',
          essential: true,
          command: ['node', 'server.js'],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/shop',
              'awslogs-region': config.region,
              'awslogs-stream-prefix': 'shop',
            },
          },
        },
      ],
    }),
  );
  ecs.destroy();
  stdout = capture();
});
afterEach(async () => {
  stdout.restore();
  restoreEnv();
  await aws.close();
});

function taskInputs(overrides: Partial<EcsTaskInputs> = {}): EcsTaskInputs {
  return {
    mode: 'ecs-task',
    region: undefined,
    cluster: 'prod',
    taskDefinition: 'shop',
    launchType: 'FARGATE',
    network: {
      subnets: ['subnet-0abc12345def67890'],
      securityGroups: ['sg-0abc12345def67890'],
      assignPublicIp: false,
    },
    command: ['npm', 'run', 'migrate'],
    container: undefined,
    timeoutMs: 20_000,
    pollIntervalMs: 100,
    ...overrides,
  };
}

describe('mode ecs-task', () => {
  it('runs the command as a one-off task, copies its awslogs stream, and polls at a steady pace', async () => {
    aws.ecs.taskBehaviour(
      { command: 'npm run migrate' },
      // Long enough for several 100 ms polls even when a loaded machine stretches each one.
      { runMs: 1500, logLines: ['Migrating...', 'Applied 3 migrations'] },
    );
    const result = await runEcsTask(taskInputs(), new AbortController().signal);

    expect(result).toMatchObject({ mode: 'ecs-task', exitCode: 0, failure: undefined });
    expect(result.id).toMatch(/^arn:aws:ecs:eu-west-1:\d{12}:task\/prod\/\w+$/);
    expect(result.tail.text()).toBe('Migrating...\nApplied 3 migrations');
    // Streamed while the task runs: the lines come between the task's status changes.
    expect(stdout.text()).toMatch(
      /^Migrating\.\.\.$[\s\S]*^Applied 3 migrations$[\s\S]*^Task is STOPPED\.$/m,
    );
    const [run] = aws.callsTo('RunTask');
    expect(run?.body).toMatchObject({
      cluster: 'prod',
      launchType: 'FARGATE',
      startedBy: 'gantry-migrate',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0abc12345def67890'],
          securityGroups: ['sg-0abc12345def67890'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: { containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate'] }] },
    });
    // One DescribeTasks per poll: about one per poll-interval while the task ran, not a burst.
    const polls = aws.callsTo('DescribeTasks').length;
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(Math.ceil(result.durationMs / 100) + 1);
  });

  it('fails with the exit code and the log tail', async () => {
    aws.ecs.taskBehaviour(
      { family: 'shop' },
      { exitCode: 2, logLines: ['Migrating...', 'ERROR: duplicate column "email"'] },
    );
    const result = await runEcsTask(taskInputs(), new AbortController().signal);
    expect(result.exitCode).toBe(2);
    expect(result.failure).toMatch(/^Migration task \w+ failed: container app exited with code 2\.$/);
    expect(result.tail.describe()).toContain('ERROR: duplicate column "email"');
  });

  it('fails with the reason when the task cannot start', async () => {
    aws.ecs.taskBehaviour(
      { family: 'shop' },
      { failToStart: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' },
    );
    const result = await runEcsTask(taskInputs(), new AbortController().signal);
    expect(result.exitCode).toBeUndefined();
    expect(result.failure).toMatch(/failed to start: .*CannotPullContainerError: pull image manifest/);
  });

  it('stops the task at the timeout and says so, with the task for the outputs', async () => {
    aws.ecs.taskBehaviour({ family: 'shop' }, { runMs: 60_000 });
    const result = await runEcsTask(taskInputs({ timeoutMs: 1000 }), new AbortController().signal);
    expect(result.id).toMatch(/^arn:aws:ecs:.*:task\/prod\/\w+$/);
    expect(result.exitCode).toBeUndefined();
    expect(result.failure).toMatch(
      /^Timed out after 1s waiting for ECS task .* to stop: the task was RUNNING, and has been stopped\.$/,
    );
    expect(aws.callsTo('StopTask')).toHaveLength(1);
  });

  it('stops the task when the run is cancelled, with the task for the outputs', async () => {
    aws.ecs.taskBehaviour({ family: 'shop' }, { runMs: 60_000 });
    const cancel = new AbortController();
    // Cancelled once the task is running, however long a loaded machine takes to start it.
    const started = setInterval(() => {
      if (aws.callsTo('DescribeTasks').length > 0) cancel.abort();
    }, 20);
    const result = await runEcsTask(taskInputs(), cancel.signal).finally(() => clearInterval(started));
    expect(result.failure).toMatch(/^The run was cancelled while task \w+ was \w+: it has been stopped\.$/);
    expect(result.id).toMatch(/^arn:aws:ecs:/);
    expect(aws.callsTo('StopTask')[0]?.body).toMatchObject({
      reason: 'gantry migrate: the workflow run was cancelled',
    });
  });

  it('names the containers when the container input is not one of them', async () => {
    await expect(
      runEcsTask(taskInputs({ container: 'worker' }), new AbortController().signal),
    ).rejects.toThrow(
      'Input "container" is "worker", which is not a container of task definition shop: it has app.',
    );
    expect(aws.callsTo('RunTask')).toHaveLength(0);
  });
});
