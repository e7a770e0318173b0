import type { EcsDeployment, EcsService } from '../model.ts';
import type { JsonObject } from '../../core/protocol.ts';
import { seconds } from '../shapes.ts';
import { describeSettings } from './deployment-settings.ts';

/** A service and its deployments as DescribeServices (and CreateService, UpdateService...) answer. */

export function describeService(service: EcsService, withTags: boolean): JsonObject {
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
    deploymentConfiguration: describeSettings(service.deployment),
    deployments: service.deployments.map(describeDeployment),
    events: service.events.map((event) => ({ ...event, createdAt: seconds(event.createdAt) })),
    createdAt: seconds(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: service.deploymentController },
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
