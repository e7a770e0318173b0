import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import {
  ACCOUNT,
  CLUSTER,
  NETWORK,
  emulator,
  ecs,
  start,
  stop,
  fargateDefinition,
  register,
  runTask,
  describeTask,
  waitFor,
  failure,
} from './aws-emulator-ecs-client.ts';

/** The ECS emulator through the real ECSClient: wire format, clusters, task definitions, time and faults. */

afterEach(stop);

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
