import { PatchStrategy, type KubernetesObject, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import type { JsonObject, KubernetesSimulator } from './index.ts';
import type { Clients } from './test-clients.ts';

/** Workload fixtures and readers shared by the controller tests. */

export function deploymentOf(
  name: string,
  image: string,
  spec: Partial<V1Deployment['spec']> = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...spec,
    },
  };
}

export function applyWith<T extends KubernetesObject>(
  clients: Clients,
  object: T,
  manager = 'gantry',
): Promise<T> {
  return clients.objects.patch(
    object,
    undefined,
    undefined,
    manager,
    undefined,
    PatchStrategy.ServerSideApply,
  );
}

/** The pods of an app, as stored (no API call), typed for reading. */
export function podsOf(simulator: KubernetesSimulator, app: string): V1Pod[] {
  return simulator.objects
    .list('v1', 'Pod', 'default')
    .filter(
      (pod) => (pod.metadata as { labels?: Record<string, string> }).labels?.app === app,
    ) as unknown as V1Pod[];
}

/** kubectl rollout status's rule for a Deployment: the latest generation observed, every replica updated and available. */
export function deploymentDone(simulator: KubernetesSimulator, name: string): boolean {
  const deployment = simulator.objects.get('apps/v1', 'Deployment', 'default', name) as unknown as
    V1Deployment | undefined;
  if (!deployment) return false;
  const status = deployment.status ?? {};
  const replicas = deployment.spec?.replicas ?? 1;
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 1) &&
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas
  );
}

export function annotation(object: JsonObject | undefined, key: string): string | undefined {
  return (object?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[key];
}

export function nameOf(object: JsonObject | KubernetesObject): string {
  return String((object.metadata as { name?: string }).name);
}
