import type { EcsContainer, EcsTask, TaskStatus } from '../model.ts';
import type { JsonObject } from '../../core/protocol.ts';
import { seconds } from '../shapes.ts';

/** A task and its containers as RunTask, DescribeTasks and StopTask answer. */

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
    healthStatus: task.healthStatus,
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
    healthStatus: containerHealth(task, container),
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

/** A container's own health: the task's for the one whose check fails, else known only with a check. */
function containerHealth(task: EcsTask, container: EcsContainer): string {
  if (task.plan.failHealthCheck && task.containers[task.plan.actor] === container) return task.healthStatus;
  return container.spec.healthCheck ? task.healthStatus : 'UNKNOWN';
}
