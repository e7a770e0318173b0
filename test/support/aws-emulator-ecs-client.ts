import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ECSClientConfig,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws-emulator/index.ts';

/** What the ECS emulator tests driving tasks and services directly share: one emulator with cluster `main` and the real clients. */

export const ACCOUNT = '123456789012';
export const CLUSTER = 'main';
export const TICK_MS = 20;
export const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d'],
    securityGroups: ['sg-0a1b2c3d'],
    assignPublicIp: 'DISABLED' as const,
  },
};

export let emulator: AwsEmulator;
export let ecs: ECSClient;
export let logs: CloudWatchLogsClient;

export async function start(options: AwsEmulatorOptions = {}, config: ECSClientConfig = {}): Promise<void> {
  emulator = await startAwsEmulator(options);
  ecs = new ECSClient({ ...emulator.clientConfig(), ...config });
  logs = new CloudWatchLogsClient(emulator.clientConfig());
  emulator.ecs.addCluster(CLUSTER);
}

/** Closes what `start` opened: call it from each file's afterEach. */
export async function stop(): Promise<void> {
  ecs.destroy();
  logs.destroy();
  await emulator.close();
}

/** A Fargate task definition with one container, `app`, logging to `/ecs/<family>` under the prefix `ecs`. */
export function fargateDefinition(
  family: string,
  container: { image?: string; command?: string[]; logOptions?: Record<string, string> } = {},
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image: container.image ?? `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${family}:1`,
        ...(container.command && { command: container.command }),
        portMappings: [{ containerPort: 8080 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: container.logOptions ?? {
            'awslogs-group': `/ecs/${family}`,
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  };
}

export async function register(
  family: string,
  container?: Parameters<typeof fargateDefinition>[1],
): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand(fargateDefinition(family, container)),
  );
  return taskDefinition!.taskDefinitionArn!;
}

export async function runTask(
  taskDefinition: string,
  input: Partial<RunTaskCommandInput> = {},
): Promise<Task> {
  const { tasks } = await ecs.send(
    new RunTaskCommand({
      cluster: CLUSTER,
      taskDefinition,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...input,
    }),
  );
  return tasks![0]!;
}

export async function describeTask(taskArn: string): Promise<Task> {
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }));
  return tasks![0]!;
}

export async function describeService(name: string): Promise<Service> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }));
  return services![0]!;
}

/** Polls (as an action would) until `done` holds, or fails naming the last value seen. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still waiting after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The SDK's error for a failed call: its name is the error type the emulator sent. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call succeeded');
  return error as Error & { $metadata: { httpStatusCode?: number } };
}

export const taskId = (taskArn: string): string => taskArn.split('/').at(-1)!;
