import type {
  EcsCluster,
  EcsContainer,
  EcsDeployment,
  EcsService,
  EcsTask,
  EcsTaskDefinition,
  TaskStatus,
} from './ecs-model.ts';
import type { JsonObject } from './protocol.ts';

/**
 * ECS's answers, field by field as the API reference names them. Times go out as epoch seconds;
 * fields without a value are left out (JSON.stringify drops `undefined`), as ECS leaves them out.
 */

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

export function describeCluster(cluster: EcsCluster, tasks: EcsTask[], withTags: boolean): JsonObject {
  const live = tasks.filter((task) => task.cluster === cluster && task.lastStatus !== 'STOPPED');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: live.filter((task) => task.lastStatus === 'RUNNING').length,
    pendingTasksCount: live.filter(
      (task) => task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING',
    ).length,
    activeServicesCount: [...cluster.services.values()].filter((service) => service.status === 'ACTIVE')
      .length,
    statistics: [],
    ...(withTags && { tags: cluster.tags }),
    settings: cluster.settings,
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

export function describeTaskDefinition(definition: EcsTaskDefinition): JsonObject {
  return {
    taskDefinitionArn: definition.arn,
    ...definition.body,
    family: definition.family,
    revision: definition.revision,
    status: definition.status,
    compatibilities: definition.compatibilities,
    requiresAttributes: [],
    registeredAt: seconds(definition.registeredAt),
    registeredBy: definition.registeredBy,
    deregisteredAt: seconds(definition.deregisteredAt),
  };
}

export function describeService(service: EcsService, withTags: boolean): JsonObject {
  const { circuitBreaker, maximumPercent, minimumHealthyPercent } = service.deployment;
  const primary = service.deployments[0]!;
  const sum = (field: 'runningCount' | 'pendingCount'): number =>
    service.deployments.reduce((total, deployment) => total + deployment[field], 0);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: sum('runningCount'),
    pendingCount: sum('pendingCount'),
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    platformFamily: service.launchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: primary.taskDefinition.arn,
    deploymentConfiguration: {
      deploymentCircuitBreaker: circuitBreaker,
      maximumPercent,
      minimumHealthyPercent,
    },
    deployments: service.deployments.map(describeDeployment),
    events: service.events.map((event) => ({ ...event, createdAt: seconds(event.createdAt) })),
    createdAt: seconds(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    ...service.echoed,
    ...(withTags && { tags: service.tags }),
  };
}

function describeDeployment(deployment: EcsDeployment): JsonObject {
  return {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinition.arn,
    desiredCount: deployment.desiredCount,
    pendingCount: deployment.pendingCount,
    runningCount: deployment.runningCount,
    failedTasks: deployment.failedTasks,
    createdAt: seconds(deployment.createdAt),
    updatedAt: seconds(deployment.updatedAt),
    launchType: deployment.launchType,
    platformVersion: deployment.platformVersion,
    networkConfiguration: deployment.networkConfiguration,
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  };
}

export function describeTask(task: EcsTask, withTags: boolean): JsonObject {
  const fargate = task.launchType === 'FARGATE';
  const awsvpc = task.taskDefinition.networkMode === 'awsvpc';
  const attachmentId = uuidShaped(task.id);
  const body = task.taskDefinition.body;
  return {
    attachments: awsvpc
      ? [
          {
            id: attachmentId,
            type: 'ElasticNetworkInterface',
            status: ATTACHMENT_STATUS[task.lastStatus],
            details: [
              { name: 'subnetId', value: firstSubnet(task) },
              { name: 'privateIPv4Address', value: task.privateIp },
            ],
          },
        ]
      : [],
    availabilityZone: `${task.region}a`,
    clusterArn: task.cluster.arn,
    connectivity: task.pullStartedAt === undefined ? undefined : 'CONNECTED',
    connectivityAt: seconds(task.pullStartedAt),
    containers: task.containers.map((container) =>
      describeContainer(task, container, awsvpc ? attachmentId : undefined),
    ),
    cpu: (task.overrides.cpu as string | undefined) ?? body.cpu,
    createdAt: seconds(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    executionStoppedAt: seconds(task.executionStoppedAt),
    group: task.group,
    healthStatus: 'UNKNOWN',
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: (task.overrides.memory as string | undefined) ?? body.memory,
    overrides: task.overrides,
    platformVersion: fargate ? '1.4.0' : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: seconds(task.stoppingAt),
    ...(withTags && { tags: task.tags }),
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinition.arn,
    version: task.version,
  };
}

const ATTACHMENT_STATUS: Record<TaskStatus, string> = {
  PROVISIONING: 'PRECREATED',
  PENDING: 'ATTACHED',
  RUNNING: 'ATTACHED',
  DEPROVISIONING: 'DETACHING',
  STOPPED: 'DELETED',
};

const CONTAINER_STATUS: Record<TaskStatus, string> = {
  PROVISIONING: 'PENDING',
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  DEPROVISIONING: 'STOPPED',
  STOPPED: 'STOPPED',
};

function describeContainer(
  task: EcsTask,
  container: EcsContainer,
  attachmentId: string | undefined,
): JsonObject {
  return {
    containerArn: container.arn,
    taskArn: task.arn,
    name: container.spec.name,
    image: container.spec.image,
    runtimeId: task.startedAt === undefined ? undefined : container.runtimeId,
    lastStatus: CONTAINER_STATUS[task.lastStatus],
    exitCode: container.exitCode,
    reason: container.reason,
    networkBindings: [],
    networkInterfaces: attachmentId ? [{ attachmentId, privateIpv4Address: task.privateIp }] : [],
    healthStatus: 'UNKNOWN',
    cpu: String(container.spec.cpu),
    memory: container.spec.memory === undefined ? undefined : String(container.spec.memory),
  };
}

function firstSubnet(task: EcsTask): string | undefined {
  const vpc = task.networkConfiguration?.awsvpcConfiguration as { subnets?: string[] } | undefined;
  return vpc?.subnets?.[0];
}

/** ECS names the ENI attachment by a UUID; the task's own id gives one that is stable per task. */
function uuidShaped(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
