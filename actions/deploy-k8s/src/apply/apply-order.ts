/**
 * The order objects are applied in, so each finds what it depends on: namespaces and
 * CustomResourceDefinitions first, then Helm's install order (policies, service accounts, secrets
 * and config before the workloads that mount them, services before workloads, webhooks last so they
 * cannot block the objects of their own release), and custom resources after everything built in.
 * Objects of one rank have no order among them and are applied in parallel.
 */
const ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

/**
 * The ranks of Namespaces and CustomResourceDefinitions (the first two): what other objects of a
 * deploy may need to exist before the API server can even check them.
 */
export const FOUNDATION_RANK = ORDER.indexOf('CustomResourceDefinition');

/**
 * Built-in kinds not listed come after the listed ones, custom resources last; a custom kind that
 * happens to share a built-in name (Knative's Service) is a custom resource all the same.
 */
export function applyRank(kind: string, builtIn: boolean): number {
  const index = ORDER.indexOf(kind);
  if (builtIn && index >= 0) return index;
  return ORDER.length + (builtIn ? 0 : 1);
}

/** The items in ranks, each rank in manifest order; ranks in apply order. */
export function applyStages<T>(items: readonly T[], rank: (item: T) => number): T[][] {
  const stages = new Map<number, T[]>();
  for (const item of items) {
    const key = rank(item);
    const stage = stages.get(key);
    if (stage) stage.push(item);
    else stages.set(key, [item]);
  }
  return [...stages.entries()].sort(([a], [b]) => a - b).map(([, stage]) => stage);
}
