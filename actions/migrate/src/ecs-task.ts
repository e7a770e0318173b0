import type * as CloudWatchLogsModule from '@aws-sdk/client-cloudwatch-logs';
import type * as EcsModule from '@aws-sdk/client-ecs';
import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import { awsActionError, awsClientConfig } from '../../../shared/src/aws.ts';
import { Deadline } from '../../../shared/src/deadline.ts';
import { ActionError, ConfigurationError, errorMessage } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/log.ts';
import { sleep } from '../../../shared/src/sleep.ts';
import { TaskLogs, type AwslogsStream } from './ecs-logs.ts';
import type { EcsTaskInputs } from './in-cluster-inputs.ts';
import { LogTail } from './log-tail.ts';
import type { RunResult } from './run-result.ts';

/**
 * mode: ecs-task. Runs the task definition once with the command as a container override, polls
 * DescribeTasks (one call per poll, at `poll-interval`) until the task is STOPPED, copies the
 * container's awslogs stream to the step log meanwhile, and reads the exit code. A task still
 * running at the deadline, or when the run is cancelled, is stopped.
 */

type Ecs = typeof EcsModule;
type Logs = typeof CloudWatchLogsModule;

export async function runEcsTask(inputs: EcsTaskInputs, signal: AbortSignal): Promise<RunResult> {
  const startedAt = Date.now();
  const [ecsSdk, logsSdk] = await Promise.all([
    import('@aws-sdk/client-ecs'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const config = awsClientConfig({ region: inputs.region });
  const ecs = new ecsSdk.ECSClient(config);
  let cloudwatch: InstanceType<Logs['CloudWatchLogsClient']> | undefined;
  try {
    const definition = await call('DescribeTaskDefinition', () =>
      ecs.send(new ecsSdk.DescribeTaskDefinitionCommand({ taskDefinition: inputs.taskDefinition }), {
        abortSignal: signal,
      }),
    );
    const containers = definition.taskDefinition?.containerDefinitions ?? [];
    const container = chooseContainer(containers, inputs);
    const task = await runTask(
      ecsSdk,
      ecs,
      inputs,
      container.name as string,
      definition.taskDefinition?.taskDefinitionArn,
      signal,
    );
    const taskArn = task.taskArn as string;
    const where = `task ${taskArn} of ${definition.taskDefinition?.family}:${definition.taskDefinition?.revision} on cluster ${inputs.cluster}`;
    log.info(`Started ${where}${inputs.command ? `: ${inputs.command.join(' ')}` : ''}.`);
    const tail = new LogTail();
    const stream = awslogsStream(container, taskArn, config.region);
    // The log group may live in another region than the cluster (awslogs-region).
    if (stream)
      cloudwatch = new logsSdk.CloudWatchLogsClient({ ...config, region: stream.region ?? config.region });
    const logs =
      stream && cloudwatch ? new TaskLogs(cloudwatch, logsSdk.GetLogEventsCommand, stream, tail) : undefined;
    if (!stream)
      log.info(`Container ${container.name} does not log with awslogs: its output cannot be shown here.`);
    const ending = await waitForStop(ecsSdk, ecs, inputs, taskArn, logs, signal);
    await logs
      ?.poll()
      .catch((error: unknown) => log.warning(`Could not read the task's log: ${String(error)}`));
    return {
      mode: 'ecs-task',
      where,
      id: taskArn,
      command: inputs.command,
      ...('stopped' in ending
        ? verdict(ending.stopped, container.name as string, taskArn, inputs)
        : { exitCode: undefined, failure: ending.failure }),
      tail,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    ecs.destroy();
    cloudwatch?.destroy();
  }
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw awsActionError(operation, error);
  }
}

function chooseContainer(containers: ContainerDefinition[], inputs: EcsTaskInputs): ContainerDefinition {
  const names = containers.map((container) => container.name).join(', ');
  if (inputs.container !== undefined) {
    const found = containers.find((container) => container.name === inputs.container);
    if (!found) {
      throw new ConfigurationError(
        `Input "container" is "${inputs.container}", which is not a container of task definition ${inputs.taskDefinition}: it has ${names || 'none'}.`,
        { input: 'container' },
      );
    }
    return found;
  }
  if (containers.length === 1) return containers[0] as ContainerDefinition;
  throw new ConfigurationError(
    `Task definition ${inputs.taskDefinition} has ${containers.length} containers (${names}): input "container" must say which one runs the migration.`,
    { input: 'container' },
  );
}

async function runTask(
  sdk: Ecs,
  ecs: InstanceType<Ecs['ECSClient']>,
  inputs: EcsTaskInputs,
  container: string,
  taskDefinitionArn: string | undefined,
  signal: AbortSignal,
): Promise<Task> {
  const answer = await call('RunTask', () =>
    ecs.send(
      new sdk.RunTaskCommand({
        cluster: inputs.cluster,
        // The revision just described, so a registration meanwhile cannot change what runs.
        taskDefinition: taskDefinitionArn ?? inputs.taskDefinition,
        count: 1,
        launchType: inputs.launchType,
        startedBy: 'gantry-migrate',
        ...(inputs.network && {
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: inputs.network.subnets,
              ...(inputs.network.securityGroups.length > 0 && {
                securityGroups: inputs.network.securityGroups,
              }),
              assignPublicIp: inputs.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
            },
          },
        }),
        ...(inputs.command && {
          overrides: { containerOverrides: [{ name: container, command: inputs.command }] },
        }),
      }),
      { abortSignal: signal },
    ),
  );
  const task = answer.tasks?.[0];
  if (!task?.taskArn) {
    const failure = answer.failures?.[0];
    throw new ActionError(
      `RunTask started no task on cluster ${inputs.cluster}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
    );
  }
  return task;
}

function awslogsStream(
  container: ContainerDefinition,
  taskArn: string,
  region: string,
): AwslogsStream | undefined {
  const options = container.logConfiguration;
  if (options?.logDriver !== 'awslogs') return undefined;
  const group = options.options?.['awslogs-group'];
  const prefix = options.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  const taskId = taskArn.split('/').at(-1) as string;
  return {
    group,
    stream: `${prefix}/${container.name}/${taskId}`,
    region: options.options?.['awslogs-region'] ?? region,
  };
}

/** The stopped task, or why the wait ended first (the timeout, a cancellation), the task stopped then. */
type Ending = { stopped: Task } | { failure: string };

async function waitForStop(
  sdk: Ecs,
  ecs: InstanceType<Ecs['ECSClient']>,
  inputs: EcsTaskInputs,
  taskArn: string,
  logs: TaskLogs | undefined,
  signal: AbortSignal,
): Promise<Ending> {
  const deadline = new Deadline(inputs.timeoutMs, `ECS task ${taskArn} to stop`);
  const status = { last: 'PROVISIONING' };
  /** Stops the task, saying how that went: the failure message is written either way. */
  const stop = async (reason: string): Promise<string> => {
    try {
      await call('StopTask', () =>
        ecs.send(new sdk.StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason })),
      );
      return 'has been stopped';
    } catch (error) {
      return `could not be stopped (${errorMessage(error)})`;
    }
  };
  try {
    const stopped = await pollUntilStopped(sdk, ecs, inputs, taskArn, logs, deadline, status, signal);
    if (stopped) return { stopped };
    const outcome = await stop('gantry migrate: timeout');
    return { failure: deadline.error(`the task was ${status.last}, and ${outcome}`).message };
  } catch (error) {
    if (!signal.aborted) throw error;
    // A cancelled job must not leave the migration running unwatched.
    const outcome = await stop('gantry migrate: the workflow run was cancelled');
    return {
      failure: `The run was cancelled while task ${taskArn.split('/').at(-1)} was ${status.last}: it ${outcome}.`,
    };
  }
}

/** The stopped task, or undefined at the deadline. */
async function pollUntilStopped(
  sdk: Ecs,
  ecs: InstanceType<Ecs['ECSClient']>,
  inputs: EcsTaskInputs,
  taskArn: string,
  logs: TaskLogs | undefined,
  deadline: Deadline,
  status: { last: string },
  signal: AbortSignal,
): Promise<Task | undefined> {
  for (;;) {
    const answer = await call('DescribeTasks', () =>
      ecs.send(new sdk.DescribeTasksCommand({ cluster: inputs.cluster, tasks: [taskArn] }), {
        abortSignal: signal,
      }),
    );
    const task = answer.tasks?.[0];
    if (!task) throw new ActionError(`DescribeTasks does not know task ${taskArn} any more.`);
    if (task.lastStatus && task.lastStatus !== status.last) {
      status.last = task.lastStatus;
      log.info(`Task is ${status.last}.`);
    }
    if (status.last === 'STOPPED') return task;
    await logs?.poll(signal).catch((error: unknown) => log.debug(`Reading the task's log: ${String(error)}`));
    if (deadline.remaining() <= 0) return undefined;
    await sleep(Math.min(inputs.pollIntervalMs, deadline.remaining()), signal);
  }
}

function verdict(
  task: Task,
  container: string,
  taskArn: string,
  inputs: EcsTaskInputs,
): { exitCode: number | undefined; failure: string | undefined } {
  const state = task.containers?.find((entry) => entry.name === container);
  const exitCode = state?.exitCode;
  const taskId = taskArn.split('/').at(-1);
  if (task.stopCode === 'TaskFailedToStart') {
    const reason = [...new Set([task.stoppedReason, state?.reason].filter(Boolean))].join('; ');
    return {
      exitCode,
      failure: `Migration task ${taskId} on cluster ${inputs.cluster} failed to start: ${reason || 'no reason given'}.`,
    };
  }
  if (exitCode === 0) return { exitCode, failure: undefined };
  if (exitCode === undefined || exitCode === null) {
    return {
      exitCode: undefined,
      failure: `Migration task ${taskId} stopped before container ${container} ran to the end: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${state?.reason ? ` (${state.reason})` : ''}.`,
    };
  }
  return {
    exitCode,
    failure: `Migration task ${taskId} failed: container ${container} exited with code ${exitCode}.`,
  };
}
