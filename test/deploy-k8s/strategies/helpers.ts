import type { JsonObject, KubernetesSimulator, RecordedRequest } from '../../support/k8s-simulator/index.ts';

/** What the strategy tests read back from the simulator. */

export function selectorOf(simulator: KubernetesSimulator, name = 'web', namespace = 'default'): unknown {
  return (simulator.objects.get('v1', 'Service', namespace, name)?.spec as JsonObject | undefined)?.selector;
}

export function annotationsOf(object: JsonObject | undefined): Record<string, string> {
  return ((object?.metadata as JsonObject | undefined)?.annotations ?? {}) as Record<string, string>;
}

export function deploymentOf(
  simulator: KubernetesSimulator,
  name: string,
  namespace = 'default',
): JsonObject | undefined {
  return simulator.objects.get('apps/v1', 'Deployment', namespace, name);
}

export function replicasOf(simulator: KubernetesSimulator, name: string, namespace = 'default'): unknown {
  return (deploymentOf(simulator, name, namespace)?.spec as JsonObject | undefined)?.replicas;
}

/** The pods whose labels include all of `labels`, by name. */
export function podsWith(
  simulator: KubernetesSimulator,
  labels: Record<string, string>,
  namespace = 'default',
): JsonObject[] {
  return simulator.objects.list('v1', 'Pod', namespace).filter((pod) => {
    const own = ((pod.metadata as JsonObject).labels ?? {}) as Record<string, string>;
    const deleting = (pod.metadata as JsonObject).deletionTimestamp !== undefined;
    return !deleting && Object.entries(labels).every(([key, value]) => own[key] === value);
  });
}

/** Writes (anything but GET and watches) to one object's path, as `METHOD path`. */
export function writesTo(requests: readonly RecordedRequest[], path: string): string[] {
  return requests
    .filter((request) => request.method !== 'GET' && request.path === path && request.query.dryRun !== 'All')
    .map((request) => `${request.method} ${request.path}`);
}

/** Resolves once `condition` holds, checking on every simulator tick; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const WEB_SERVICE = '/api/v1/namespaces/default/services/web';
export const deploymentPath = (name: string): string =>
  `/apis/apps/v1/namespaces/default/deployments/${name}`;

export function isReady(pod: JsonObject): boolean {
  const conditions = ((pod.status as JsonObject | undefined)?.conditions ?? []) as JsonObject[];
  return conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

export function podLabelsOf(pod: JsonObject): Record<string, string> {
  return ((pod.metadata as JsonObject).labels ?? {}) as Record<string, string>;
}

/** Whether a Service's selector (equality only) picks a pod with these labels. */
export function selectsLabels(selector: unknown, labels: Record<string, string>): boolean {
  const pairs = Object.entries((selector ?? {}) as Record<string, string>);
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

/**
 * Holds a rollout at the moment one of its pods is ready and the others are not: every pod with
 * `labels` is unschedulable from now on; once two exist, the first is let through alone, and when
 * it is ready `inspect` sees it while the Deployment is still rolling out (so nothing that waits
 * for the rollout has happened yet); then the rest are let through. Use as `deploy`'s `during`.
 */
export function holdAtFirstReadyPod(
  simulator: KubernetesSimulator,
  labels: Record<string, string>,
  inspect: (pod: JsonObject) => void,
): () => Promise<void> {
  const holdAll = simulator.behaviour.unschedulable({ labels });
  return async () => {
    await until(() => podsWith(simulator, labels).length >= 2, 'the new pods');
    const [first, ...rest] = podsWith(simulator, labels) as [JsonObject, ...JsonObject[]];
    const holdRest = rest.map((pod) =>
      simulator.behaviour.unschedulable({ name: String((pod.metadata as JsonObject).name) }),
    );
    holdAll();
    const name = String((first.metadata as JsonObject).name);
    let ready: JsonObject | undefined;
    await until(() => {
      ready = podsWith(simulator, labels).find(
        (pod) => (pod.metadata as JsonObject).name === name && isReady(pod),
      );
      return ready !== undefined;
    }, `pod ${name} to be ready`);
    try {
      inspect(ready as JsonObject);
    } finally {
      for (const release of holdRest) release();
    }
  };
}
