import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, ListTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ACCOUNT,
  CLUSTER,
  TICK_MS,
  emulator,
  ecs,
  logs,
  start,
  stop,
  register,
  runTask,
  describeTask,
  waitFor,
  failure,
  taskId,
} from './aws-emulator-ecs-client.ts';

/** ECS standalone tasks through the real ECSClient: RunTask, the task lifecycle, logs, StopTask, ListTasks. */

afterEach(stop);

describe('RunTask and the task lifecycle', () => {
  beforeEach(async () => {
    await start();
    emulator.logs.addLogGroup('/ecs/migrate');
  });

  it('takes a task tick by tick through PROVISIONING, PENDING and RUNNING to STOPPED with exit code 0', async () => {
    emulator.clock.pause();
    emulator.ecs.taskBehaviour(
      { family: 'migrate' },
      { exitCode: 0, runMs: 2 * TICK_MS, logLines: ['up to date'] },
    );
    const run = await runTask(await register('migrate'));
    expect(run).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: 'family:migrate',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      overrides: { containerOverrides: [{ name: 'app' }] },
    });
    expect(run.taskArn).toMatch(
      new RegExp(`^arn:aws:ecs:eu-west-1:${ACCOUNT}:task/${CLUSTER}/[0-9a-f]{32}$`),
    );
    const seen: Task[] = [run];
    while (seen.at(-1)!.lastStatus !== 'STOPPED' && seen.length < 20) {
      emulator.clock.advance(TICK_MS);
      seen.push(await describeTask(run.taskArn!));
    }
    const statuses = seen
      .map((task) => task.lastStatus)
      .filter((status, index, all) => status !== all[index - 1]);
    expect(statuses).toEqual(['PROVISIONING', 'PENDING', 'RUNNING', 'DEPROVISIONING', 'STOPPED']);
    // As on Fargate, the outcome is known while the task is still deprovisioning.
    const stopping = seen.find((task) => task.lastStatus === 'DEPROVISIONING')!;
    expect(stopping.desiredStatus).toBe('STOPPED');
    expect(stopping.containers![0]!.exitCode).toBe(0);
    const stopped = seen.at(-1)!;
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 0 }],
      attachments: [{ type: 'ElasticNetworkInterface', status: 'DELETED' }],
    });
    expect(stopped.startedAt!.getTime()).toBeLessThan(stopped.stoppedAt!.getTime());
    expect(stopped.stoppingAt!.getTime() - stopped.startedAt!.getTime()).toBe(2 * TICK_MS);
    expect(emulator.logs.messages('/ecs/migrate', `ecs/app/${taskId(run.taskArn!)}`)).toEqual(['up to date']);
  });

  it('runs a command override to exit code 3, its log read through GetLogEvents until the token repeats', async () => {
    const lines = [
      'Running migration 001_users',
      'Running migration 002_orders',
      'ERROR: relation "orders" exists',
    ];
    emulator.ecs.taskBehaviour({ command: 'npm run migrate' }, { exitCode: 3, runMs: 100, logLines: lines });
    const arn = await register('migrate', { command: ['node', 'server.js'] });
    const run = await runTask(arn, {
      overrides: {
        containerOverrides: [
          {
            name: 'app',
            command: ['npm', 'run', 'migrate'],
            environment: [{ name: 'DRY_RUN', value: 'false' }],
          },
        ],
      },
    });
    expect(run.overrides!.containerOverrides).toEqual([
      { name: 'app', command: ['npm', 'run', 'migrate'], environment: [{ name: 'DRY_RUN', value: 'false' }] },
    ]);
    const stopped = await waitFor(
      () => describeTask(run.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    expect(stopped.containers![0]).toMatchObject({ exitCode: 3, lastStatus: 'STOPPED' });
    expect(stopped.stopCode).toBe('EssentialContainerExited');

    const read = (nextToken?: string) =>
      logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/migrate',
          logStreamName: `ecs/app/${taskId(run.taskArn!)}`,
          startFromHead: true,
          limit: 2,
          nextToken,
        }),
      );
    const messages: string[] = [];
    let page = await read();
    for (let token: string | undefined; page.nextForwardToken !== token; page = await read(token)) {
      messages.push(...page.events!.map((event) => event.message!));
      token = page.nextForwardToken;
    }
    expect(messages).toEqual(lines);
    // The end of the stream: no events, and the same forward token back.
    expect(page.events).toEqual([]);
  });

  it('writes log lines as the task prints them, so a follower sees them arrive', async () => {
    emulator.clock.pause();
    emulator.ecs.taskBehaviour(
      { family: 'migrate' },
      { runMs: 4 * TICK_MS, logLines: ['one', 'two', 'three', 'four'] },
    );
    const run = await runTask(await register('migrate'));
    emulator.clock.advance(2 * TICK_MS);
    const stream = { logGroupName: '/ecs/migrate', logStreamName: `ecs/app/${taskId(run.taskArn!)}` };
    let page = await logs.send(new GetLogEventsCommand({ ...stream, startFromHead: true }));
    const batches = [page.events!.map((event) => event.message)];
    for (let step = 0; step < 4; step += 1) {
      emulator.clock.advance(TICK_MS);
      page = await logs.send(
        new GetLogEventsCommand({ ...stream, startFromHead: true, nextToken: page.nextForwardToken }),
      );
      batches.push(page.events!.map((event) => event.message));
    }
    expect(batches).toEqual([['one'], ['two'], ['three'], ['four'], []]);
  });

  it('stops a task that fails to start with TaskFailedToStart and the reason, without exit codes', async () => {
    const reason = 'CannotPullContainerError: pull image manifest has been retried 7 time(s): not found';
    emulator.ecs.taskBehaviour({ image: /:broken$/ }, { failToStart: reason });
    const run = await runTask(await register('migrate', { image: 'migrate:broken' }));
    const stopped = await waitFor(
      () => describeTask(run.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    expect(stopped).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: reason,
      desiredStatus: 'STOPPED',
    });
    expect(stopped.containers![0]!.reason).toBe(reason);
    expect(stopped.containers![0]!.exitCode).toBeUndefined();
    expect(stopped.startedAt).toBeUndefined();
  });

  it('cannot start a task whose awslogs group is missing, unless the driver may create it', async () => {
    const missing = await runTask(await register('orphan'));
    const failed = await waitFor(
      () => describeTask(missing.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    expect(failed.stopCode).toBe('TaskFailedToStart');
    expect(failed.stoppedReason).toMatch(
      /^ResourceInitializationError: .*The specified log group does not exist/,
    );
    const creating = await runTask(
      await register('creates', {
        logOptions: {
          'awslogs-group': '/ecs/new',
          'awslogs-stream-prefix': 'p',
          'awslogs-create-group': 'true',
        },
      }),
    );
    const ran = await waitFor(
      () => describeTask(creating.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    expect(ran.stopCode).toBe('EssentialContainerExited');
    expect([...emulator.logs.group('/ecs/new')!.streams.keys()]).toEqual([`p/app/${taskId(ran.taskArn!)}`]);
  });

  it('refuses a Fargate task without awsvpc settings, an override of an unknown container, a missing definition', async () => {
    const arn = await register('migrate');
    const noNetwork = await failure(runTask(arn, { networkConfiguration: undefined }));
    expect([noNetwork.name, noNetwork.message]).toEqual([
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    ]);
    const noSubnets = await failure(
      runTask(arn, { networkConfiguration: { awsvpcConfiguration: { subnets: [] } } }),
    );
    expect(noSubnets.message).toBe('subnets can not be empty.');
    const unknown = await failure(
      runTask(arn, { overrides: { containerOverrides: [{ name: 'sidecar', command: ['x'] }] } }),
    );
    expect(unknown.name).toBe('InvalidParameterException');
    const missing = await failure(runTask('nothing:1'));
    expect([missing.name, missing.message]).toEqual(['ClientException', 'TaskDefinition not found.']);
  });

  it('stops a running task on request: UserInitiated, its containers ended by SIGTERM', async () => {
    emulator.ecs.taskBehaviour({ family: 'migrate' }, { runMs: 60_000 });
    const run = await runTask(await register('migrate'));
    await waitFor(
      () => describeTask(run.taskArn!),
      (task) => task.lastStatus === 'RUNNING',
    );
    const { task } = await ecs.send(
      new StopTaskCommand({ cluster: CLUSTER, task: run.taskArn, reason: 'deploy cancelled' }),
    );
    expect(task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'deploy cancelled',
    });
    const stopped = await waitFor(
      () => describeTask(run.taskArn!),
      (described) => described.lastStatus === 'STOPPED',
    );
    expect(stopped.containers![0]!.exitCode).toBe(143);
    const missing = await failure(ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: 'f'.repeat(32) })));
    expect([missing.name, missing.message]).toEqual([
      'InvalidParameterException',
      'The referenced task was not found.',
    ]);
  });

  it('describes tasks by id or ARN, missing ones as MISSING failures, and refuses an empty list', async () => {
    const run = await runTask(await register('migrate'));
    const { tasks, failures } = await ecs.send(
      new DescribeTasksCommand({
        cluster: CLUSTER,
        tasks: [taskId(run.taskArn!), 'a'.repeat(32)],
        include: ['TAGS'],
      }),
    );
    expect(tasks!.map((task) => task.taskArn)).toEqual([run.taskArn]);
    expect(failures).toEqual([
      { arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/${CLUSTER}/${'a'.repeat(32)}`, reason: 'MISSING' },
    ]);
    const empty = await failure(ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [] })));
    expect([empty.name, empty.message]).toEqual(['InvalidParameterException', 'Tasks cannot be empty.']);
  });

  it('lists running or stopped tasks by family and startedBy, page by page', async () => {
    emulator.ecs.taskBehaviour({ family: 'migrate' }, { runMs: 60_000 });
    const migrate = await register('migrate');
    const first = await runTask(migrate, { startedBy: 'gantry' });
    const second = await runTask(migrate);
    const done = await runTask(await register('seed', { logOptions: { 'awslogs-group': '/ecs/migrate' } }));
    await waitFor(
      () => describeTask(done.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    const page1 = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, maxResults: 1 }));
    const page2 = await ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, maxResults: 1, nextToken: page1.nextToken }),
    );
    expect([...page1.taskArns!, ...page2.taskArns!]).toEqual([first.taskArn, second.taskArn]);
    expect(page2.nextToken).toBeUndefined();
    const stopped = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns).toEqual([done.taskArn]);
    const byStarter = await ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, family: 'migrate', startedBy: 'gantry' }),
    );
    expect(byStarter.taskArns).toEqual([first.taskArn]);
  });
});
