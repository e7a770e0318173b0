import type * as CloudWatchLogsModule from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { Deadline } from '../async/deadline.ts';
import { ActionError, ConfigurationError, errorMessage } from '../errors.ts';
import * as log from '../runner/log.ts';
import { LogTail } from '../process/log-tail.ts';
import { sleep } from '../async/sleep.ts';
import { createEcs, ecsCall, type Ecs } from './client.ts';
import { TaskLogs, type AwslogsStream } from './task-logs.ts';

/**
 * A one-off ECS task (a migration, a job): RunTask with the command and environment as container
 * overrides, DescribeTasks at a steady `pollIntervalMs` (one call per poll) until the task is
 * STOPPED, the container's awslogs stream copied to the step log meanwhile, and a verdict from the
 * exit codes. A task still running at the deadline, or when the run is cancelled, is stopped.
 */

type Logs = typeof CloudWatchLogsModule;

export interface TaskNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

export interface OneOffTaskOptions {
  region: string | undefined;
  cluster: string;
  /** A family, family:revision or ARN; it is described once and that revision's ARN runs. */
  taskDefinition: string;
  /** The container the overrides and the log stream are for; undefined when there is only one. */
  container: string | undefined;
  /** The action input that names the container, for messages: `container`, `container-name`. */
  containerInput: string;
  launchType?: string | undefined;
  /** A capacity provider strategy of one provider; RunTask takes it instead of a launch type. */
  capacityProvider?: string | undefined;
  network: TaskNetwork | undefined;
  command: string[] | undefined;
  environment?: Record<string, string>;
  timeoutMs: number;
  pollIntervalMs: number;
  /** RunTask's startedBy: `gantry-migrate`; its spaced form starts StopTask reasons. */
  startedBy: string;
  /** What the task is, for messages: `Migration task`, `Task`. */
  noun: string;
  /** What runs, for the container question: `the migration`, `the command`. */
  purpose: string;
  /**
   * Whose exit code decides: the chosen container's (a migration is one container's command), or
   * every essential container's (any non-zero exit among them fails the task).
   */
  verdictOf: 'container' | 'essential-containers';
}

export interface OneOffTaskResult {
  /** `task <arn> of shop:7 on cluster prod`. */
  where: string;
  taskArn: string;
  /** The deciding exit code (see verdictOf); undefined when the container never ran to the end. */
  exitCode: number | undefined;
  /** Why it failed; undefined on success. */
  failure: string | undefined;
  tail: LogTail;
  durationMs: number;
}

export async function runOneOffTask(
  options: OneOffTaskOptions,
  signal: AbortSignal,
  ecs?: Ecs,
): Promise<OneOffTaskResult> {
  const startedAt = Date.now();
  const own = ecs === undefined;
  const aws = ecs ?? (await createEcs(options.region));
  const { sdk, client, config } = aws;
  let cloudwatch: InstanceType<Logs['CloudWatchLogsClient']> | undefined;
  try {
    const definition = await ecsCall('DescribeTaskDefinition', () =>
      client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: options.taskDefinition }), {
        abortSignal: signal,
      }),
    );
    const taskDefinition = definition.taskDefinition ?? {};
    const container = chooseContainer(taskDefinition.containerDefinitions ?? [], options);
    const task = await startTask(aws, options, container.name as string, taskDefinition, signal);
    const taskArn = task.taskArn as string;
    const where = `task ${taskArn} of ${taskDefinition.family}:${taskDefinition.revision} on cluster ${options.cluster}`;
    log.info(`Started ${where}${options.command ? `: ${options.command.join(' ')}` : ''}.`);
    const tail = new LogTail();
    const stream = awslogsStream(container, taskArn, config.region);
    let logs: TaskLogs | undefined;
    if (stream) {
      const logsSdk = await import('@aws-sdk/client-cloudwatch-logs');
      // The log group may live in another region than the cluster (awslogs-region).
      cloudwatch = new logsSdk.CloudWatchLogsClient({ ...config, region: stream.region ?? config.region });
      logs = new TaskLogs(cloudwatch, logsSdk.GetLogEventsCommand, stream, tail);
    } else {
      log.info(`Container ${container.name} does not log with awslogs: its output cannot be shown here.`);
    }
    const ending = await waitForStop(aws, options, taskArn, logs, signal);
    await logs
      ?.poll()
      .catch((error: unknown) => log.warning(`Could not read the task's log: ${String(error)}`));
    return {
      where,
      taskArn,
      ...('stopped' in ending
        ? verdict(ending.stopped, container.name as string, taskDefinition, options)
        : { exitCode: undefined, failure: ending.failure }),
      tail,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    if (own) client.destroy();
    cloudwatch?.destroy();
  }
}

function chooseContainer(containers: ContainerDefinition[], options: OneOffTaskOptions): ContainerDefinition {
  const names = containers.map((container) => container.name).join(', ');
  const input = options.containerInput;
  if (options.container !== undefined) {
    const found = containers.find((container) => container.name === options.container);
    if (!found) {
      throw new ConfigurationError(
        `Input "${input}" is "${options.container}", which is not a container of task definition ${options.taskDefinition}: it has ${names || 'none'}.`,
        { input },
      );
    }
    return found;
  }
  if (containers.length === 1) return containers[0] as ContainerDefinition;
  throw new ConfigurationError(
    `Task definition ${options.taskDefinition} has ${containers.length} containers (${names}): input "${input}" must say which one runs ${options.purpose}.`,
    { input },
  );
}

async function startTask(
  { sdk, client }: Ecs,
  options: OneOffTaskOptions,
  container: string,
  definition: TaskDefinition,
  signal: AbortSignal,
): Promise<Task> {
  const environment = Object.entries(options.environment ?? {}).map(([name, value]) => ({ name, value }));
  const override = {
    name: container,
    ...(options.command && { command: options.command }),
    ...(environment.length > 0 && { environment }),
  };
  const answer = await ecsCall('RunTask', () =>
    client.send(
      new sdk.RunTaskCommand({
        cluster: options.cluster,
        // The revision just described, so a registration meanwhile cannot change what runs.
        taskDefinition: definition.taskDefinitionArn ?? options.taskDefinition,
        count: 1,
        ...(options.capacityProvider
          ? { capacityProviderStrategy: [{ capacityProvider: options.capacityProvider, weight: 1 }] }
          : options.launchType && { launchType: options.launchType as 'FARGATE' }),
        startedBy: options.startedBy,
        ...(options.network && {
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: options.network.subnets,
              ...(options.network.securityGroups.length > 0 && {
                securityGroups: options.network.securityGroups,
              }),
              assignPublicIp: options.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
            },
          },
        }),
        ...((options.command || environment.length > 0) && {
          overrides: { containerOverrides: [override] },
        }),
      }),
      { abortSignal: signal },
    ),
  );
  const task = answer.tasks?.[0];
  if (!task?.taskArn) {
    const failure = answer.failures?.[0];
    throw new ActionError(
      `RunTask started no task on cluster ${options.cluster}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
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
  ecs: Ecs,
  options: OneOffTaskOptions,
  taskArn: string,
  logs: TaskLogs | undefined,
  signal: AbortSignal,
): Promise<Ending> {
  const deadline = new Deadline(options.timeoutMs, `ECS task ${taskArn} to stop`);
  const status = { last: 'PROVISIONING' };
  const actor = options.startedBy.replace(/-/g, ' ');
  /** Stops the task, saying how that went: the failure message is written either way. */
  const stop = async (reason: string): Promise<string> => {
    try {
      await ecsCall('StopTask', () =>
        ecs.client.send(new ecs.sdk.StopTaskCommand({ cluster: options.cluster, task: taskArn, reason })),
      );
      return 'has been stopped';
    } catch (error) {
      return `could not be stopped (${errorMessage(error)})`;
    }
  };
  try {
    const stopped = await pollUntilStopped(ecs, options, taskArn, logs, deadline, status, signal);
    if (stopped) return { stopped };
    const outcome = await stop(`${actor}: timeout`);
    return { failure: deadline.error(`the task was ${status.last}, and ${outcome}`).message };
  } catch (error) {
    if (!signal.aborted) throw error;
    // A cancelled job must not leave the task running unwatched.
    const outcome = await stop(`${actor}: the workflow run was cancelled`);
    return {
      failure: `The run was cancelled while task ${taskArn.split('/').at(-1)} was ${status.last}: it ${outcome}.`,
    };
  }
}

/** The stopped task, or undefined at the deadline. */
async function pollUntilStopped(
  { sdk, client }: Ecs,
  options: OneOffTaskOptions,
  taskArn: string,
  logs: TaskLogs | undefined,
  deadline: Deadline,
  status: { last: string },
  signal: AbortSignal,
): Promise<Task | undefined> {
  for (;;) {
    const answer = await ecsCall('DescribeTasks', () =>
      client.send(new sdk.DescribeTasksCommand({ cluster: options.cluster, tasks: [taskArn] }), {
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
    await sleep(Math.min(options.pollIntervalMs, deadline.remaining()), signal);
  }
}

function verdict(
  task: Task,
  container: string,
  definition: TaskDefinition,
  options: OneOffTaskOptions,
): { exitCode: number | undefined; failure: string | undefined } {
  const state = task.containers?.find((entry) => entry.name === container);
  const taskId = task.taskArn?.split('/').at(-1);
  const noun = `${options.noun} ${taskId}`;
  if (task.stopCode === 'TaskFailedToStart') {
    const reason = [...new Set([task.stoppedReason, state?.reason].filter(Boolean))].join('; ');
    return {
      exitCode: state?.exitCode ?? undefined,
      failure: `${noun} on cluster ${options.cluster} failed to start: ${reason || 'no reason given'}.`,
    };
  }
  const judged =
    options.verdictOf === 'container'
      ? [container]
      : (definition.containerDefinitions ?? [])
          .filter((entry) => entry.essential !== false)
          .map((entry) => entry.name as string);
  const exits = judged.map((name) => ({
    name,
    state: task.containers?.find((entry) => entry.name === name),
  }));
  const unfinished = exits.find(({ state }) => state?.exitCode === undefined || state.exitCode === null);
  const failed = exits.find(({ state }) => typeof state?.exitCode === 'number' && state.exitCode !== 0);
  if (failed) {
    return {
      exitCode: failed.state?.exitCode as number,
      failure: `${noun} failed: container ${failed.name} exited with code ${failed.state?.exitCode}.`,
    };
  }
  if (unfinished) {
    return {
      exitCode: undefined,
      failure: `${noun} stopped before container ${unfinished.name} ran to the end: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${unfinished.state?.reason ? ` (${unfinished.state.reason})` : ''}.`,
    };
  }
  return { exitCode: 0, failure: undefined };
}
