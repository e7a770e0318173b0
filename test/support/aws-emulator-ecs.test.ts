import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ECSClientConfig,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws-emulator/index.ts';

/** The ECS emulator through the real ECSClient: the API's answers, and the simulated tasks and services behind them. */

const ACCOUNT = '123456789012';
const CLUSTER = 'main';
const TICK_MS = 20;
const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d'],
    securityGroups: ['sg-0a1b2c3d'],
    assignPublicIp: 'DISABLED' as const,
  },
};

let emulator: AwsEmulator;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;

async function start(options: AwsEmulatorOptions = {}, config: ECSClientConfig = {}): Promise<void> {
  emulator = await startAwsEmulator(options);
  ecs = new ECSClient({ ...emulator.clientConfig(), ...config });
  logs = new CloudWatchLogsClient(emulator.clientConfig());
  emulator.ecs.addCluster(CLUSTER);
}

afterEach(async () => {
  ecs.destroy();
  logs.destroy();
  await emulator.close();
});

/** A Fargate task definition with one container, `app`, logging to `/ecs/<family>` under the prefix `ecs`. */
function fargateDefinition(
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

async function register(
  family: string,
  container?: Parameters<typeof fargateDefinition>[1],
): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand(fargateDefinition(family, container)),
  );
  return taskDefinition!.taskDefinitionArn!;
}

async function runTask(taskDefinition: string, input: Partial<RunTaskCommandInput> = {}): Promise<Task> {
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

async function describeTask(taskArn: string): Promise<Task> {
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }));
  return tasks![0]!;
}

async function describeService(name: string): Promise<Service> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }));
  return services![0]!;
}

/** Polls (as an action would) until `done` holds, or fails naming the last value seen. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
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
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call succeeded');
  return error as Error & { $metadata: { httpStatusCode?: number } };
}

const taskId = (taskArn: string): string => taskArn.split('/').at(-1)!;

describe('wire format', () => {
  beforeEach(() => start());

  it('records calls under the signing name ecs and refuses a signature scoped to another service', async () => {
    await ecs.send(new ListTaskDefinitionsCommand({}));
    expect(emulator.calls).toEqual([{ service: 'ecs', operation: 'ListTaskDefinitions', body: {} }]);
    const response = await fetch(emulator.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListTasks',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecr/aws4_request, SignedHeaders=host, Signature=ab12',
      },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
    });
  });
});

describe('clusters', () => {
  beforeEach(() => start());

  it('creates a cluster, again without error, and describes missing ones as MISSING failures', async () => {
    const created = await ecs.send(new CreateClusterCommand({ clusterName: 'staging' }));
    expect(created.cluster).toMatchObject({
      clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/staging`,
      clusterName: 'staging',
      status: 'ACTIVE',
      runningTasksCount: 0,
      activeServicesCount: 0,
    });
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'staging' }));
    expect(again.cluster!.clusterArn).toBe(created.cluster!.clusterArn);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['staging', 'nowhere'] }));
    expect(described.clusters!.map((cluster) => cluster.clusterName)).toEqual(['staging']);
    expect(described.failures).toEqual([
      { arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/nowhere`, reason: 'MISSING' },
    ]);
  });

  it('answers a call naming a missing cluster with ClusterNotFoundException', async () => {
    const arn = await register('migrate');
    for (const call of [
      ecs.send(new ListTasksCommand({ cluster: 'nowhere' })),
      ecs.send(new RunTaskCommand({ cluster: 'nowhere', taskDefinition: arn })),
      // Without a cluster, ECS means the one named `default`, which does not exist here.
      ecs.send(new ListTasksCommand({})),
    ]) {
      const error = await failure(call);
      expect(error.name).toBe('ClusterNotFoundException');
      expect(error.message).toBe('Cluster not found.');
    }
  });
});

describe('task definitions', () => {
  beforeEach(() => start());

  it('registers numbered revisions of a family, with the defaults ECS fills in', async () => {
    const first = await ecs.send(new RegisterTaskDefinitionCommand(fargateDefinition('web')));
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...fargateDefinition('web'),
        tags: [{ key: 'team', value: 'core' }],
      }),
    );
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:1`,
      family: 'web',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      registeredBy: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(first.taskDefinition!.containerDefinitions![0]).toMatchObject({
      name: 'app',
      cpu: 0,
      essential: true,
      environment: [],
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    });
    expect(first.taskDefinition!.registeredAt).toBeInstanceOf(Date);
    expect(second.taskDefinition!.revision).toBe(2);
    expect(second.tags).toEqual([{ key: 'team', value: 'core' }]);
  });

  it('describes by family (its latest revision), by family:revision and by ARN; tags on request', async () => {
    await register('web');
    await ecs.send(
      new RegisterTaskDefinitionCommand({ ...fargateDefinition('web'), tags: [{ key: 'v', value: '2' }] }),
    );
    const latest = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] }),
    );
    expect(latest.taskDefinition!.revision).toBe(2);
    expect(latest.tags).toEqual([{ key: 'v', value: '2' }]);
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(byRevision.taskDefinition!.revision).toBe(1);
    expect(byRevision.tags).toBeUndefined();
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: byRevision.taskDefinition!.taskDefinitionArn }),
    );
    expect(byArn.taskDefinition).toEqual(byRevision.taskDefinition);
    const missing = await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:9' })));
    expect(missing.name).toBe('ClientException');
    expect(missing.message).toBe('Unable to describe task definition.');
  });

  it('refuses what ECS refuses: no containers, Fargate without awsvpc or task cpu, EC2 without memory', async () => {
    const cases: [RegisterTaskDefinitionCommandInput, string][] = [
      [{ family: 'x', containerDefinitions: [] }, 'Container list cannot be empty.'],
      [{ ...fargateDefinition('x'), networkMode: 'bridge' }, 'Fargate only supports network mode ‘awsvpc’.'],
      [
        { ...fargateDefinition('x'), cpu: undefined },
        "Fargate requires that 'cpu' be defined at the task level.",
      ],
      [
        { family: 'x', containerDefinitions: [{ name: 'app', image: 'app:1' }] },
        "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
      ],
      [
        { family: 'x', containerDefinitions: [{ name: 'app', memory: 128 }] },
        'Container.image should not be null or empty.',
      ],
    ];
    for (const [input, message] of cases) {
      const error = await failure(ecs.send(new RegisterTaskDefinitionCommand(input)));
      expect([error.name, error.message]).toEqual(['ClientException', message]);
    }
    const invalid = await failure(
      ecs.send(new RegisterTaskDefinitionCommand({ ...fargateDefinition('bad name') })),
    );
    expect(invalid.name).toBe('InvalidParameterException');
  });

  it('deregisters a revision: INACTIVE, no longer the family default, describable but not runnable', async () => {
    await register('web');
    const second = await register('web');
    const { taskDefinition } = await ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: second }),
    );
    expect(taskDefinition).toMatchObject({ status: 'INACTIVE', revision: 2 });
    expect(taskDefinition!.deregisteredAt).toBeInstanceOf(Date);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition!.revision).toBe(1);
    const inactive = await failure(runTask(second));
    expect([inactive.name, inactive.message]).toEqual(['ClientException', 'TaskDefinition is inactive']);
    const bare = await failure(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' })));
    expect([bare.name, bare.message]).toEqual(['ClientException', 'Revision is missing.']);
  });

  it('lists ARNs by family prefix and status, in either order, page by page', async () => {
    for (const family of ['web', 'worker', 'migrate']) await register(family);
    await register('web');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'worker:1' }));
    const revision = (arn: string): string => arn.split('/')[1]!;
    const first = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'w', maxResults: 1 }));
    const second = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'w', maxResults: 1, nextToken: first.nextToken }),
    );
    expect([...first.taskDefinitionArns!, ...second.taskDefinitionArns!].map(revision)).toEqual([
      'web:1',
      'web:2',
    ]);
    expect(second.nextToken).toBeUndefined();
    const descending = await ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC' }));
    expect(descending.taskDefinitionArns!.map(revision)).toEqual(['web:2', 'web:1', 'migrate:1']);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns!.map(revision)).toEqual(['worker:1']);
  });
});

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

describe('simulated time', () => {
  beforeEach(async () => {
    await start({ ecs: { tickMs: 10 } });
    emulator.logs.addLogGroup('/ecs/migrate');
  });

  it('holds every task while paused; advance moves it on; resume lets real time move it again', async () => {
    emulator.clock.pause();
    const run = await runTask(await register('migrate'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await describeTask(run.taskArn!)).lastStatus).toBe('PROVISIONING');
    emulator.clock.advance(10);
    expect(emulator.ecs.task(run.taskArn!)!.lastStatus).toBe('PENDING');
    emulator.clock.resume();
    const stopped = await waitFor(
      () => describeTask(run.taskArn!),
      (task) => task.lastStatus === 'STOPPED',
    );
    expect(stopped.containers![0]!.exitCode).toBe(0);
  });
});

describe('faults', () => {
  it("lets the SDK's retries ride out ECS's ThrottlingException (400, as ECS sends it)", async () => {
    await start();
    emulator.faults.inject({
      operation: 'ListTasks',
      status: 400,
      errorType: 'ThrottlingException',
      times: 2,
    });
    const output = await ecs.send(new ListTasksCommand({ cluster: CLUSTER }));
    expect(output.$metadata.attempts).toBe(3);
    expect(emulator.callsTo('ListTasks')).toHaveLength(3);
  });

  it('answers an injected 5xx with ServerException, and a reset RunTask is retried without a second task', async () => {
    await start({}, { maxAttempts: 1 });
    emulator.faults.inject({ status: 500, times: 1 });
    const error = await failure(ecs.send(new ListTasksCommand({ cluster: CLUSTER })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ServerException', 500]);
    const retrying = new ECSClient(emulator.clientConfig());
    emulator.logs.addLogGroup('/ecs/migrate');
    const arn = await register('migrate');
    emulator.faults.inject({ operation: 'RunTask', resetConnection: true, times: 1 });
    const { tasks } = await retrying.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: arn,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    retrying.destroy();
    expect(tasks).toHaveLength(1);
    expect(emulator.ecs.tasks.size).toBe(1);
    expect(emulator.callsTo('RunTask')).toHaveLength(2);
  });
});
