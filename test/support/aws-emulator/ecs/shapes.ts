import type { EcsCluster, EcsTask, EcsTaskDefinition } from './model.ts';
import type { JsonObject } from '../core/protocol.ts';

/**
 * ECS's answers, field by field as the API reference names them. Times go out as epoch seconds;
 * fields without a value are left out (JSON.stringify drops `undefined`), as ECS leaves them out.
 */

/** Epoch milliseconds as the wire's epoch seconds; undefined stays undefined (left out). */
export const seconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;

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
