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
