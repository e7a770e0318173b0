import { KubernetesApiError } from '../../../../../shared/src/kubernetes/client/api-error.ts';
import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import { listHistory } from '../../../../../shared/src/kubernetes/rollback/history.ts';
import { replicaSetRevision } from '../../../../../shared/src/kubernetes/rollback/rollback-plan.ts';

/**
 * The strategies' own writes, each one request: a JSON merge patch (RFC 7386: a key set to null is
 * removed, so a selector can lose a key) guarded by the resourceVersion that was read, so a change
 * made by someone else in between is a 409 rather than silently overwritten; and a delete that
 * treats "already gone" as done, which keeps promote and abort idempotent.
 */
export interface WriteOptions {
  fieldManager: string;
  signal: AbortSignal;
}

export const DEPLOYMENTS_PATH = (namespace: string, name?: string): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
export const SERVICES_PATH = (namespace: string, name: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
export const HTTP_ROUTES_PATH = (namespace: string, name: string): string =>
  `/apis/gateway.networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/httproutes/${encodeURIComponent(name)}`;

/** A JSON merge patch: nested objects merge, null removes a key, anything else replaces. */
export type MergePatch = Record<string, unknown>;

export async function mergePatch(
  client: KubernetesClient,
  path: string,
  live: KubeObject,
  patch: MergePatch,
  what: string,
  options: WriteOptions,
): Promise<KubeObject> {
  const body = {
    ...patch,
    metadata: { ...(patch.metadata as object | undefined), resourceVersion: live.metadata?.resourceVersion },
  };
  return client.requestJson<KubeObject>({
    method: 'PATCH',
    path,
    query: { fieldManager: options.fieldManager },
    contentType: 'application/merge-patch+json',
    body: JSON.stringify(body),
    what,
    signal: options.signal,
  });
}

/** The `metadata` of a merge patch that sets `set` and removes each key of `remove`. */
export function annotationsPatch(
  set: Record<string, string>,
  remove: readonly string[] = [],
): Record<string, string | null> {
  return { ...Object.fromEntries(remove.map((key) => [key, null])), ...set };
}

/** A merge patch's value for a map that must become exactly `next`: keys of `previous` not in it set to null. */
export function replaceMap(
  previous: Record<string, string>,
  next: Record<string, string>,
): Record<string, string | null> {
  const removed = Object.keys(previous).filter((key) => !(key in next));
  return { ...Object.fromEntries(removed.map((key) => [key, null])), ...next };
}

export async function deleteIfPresent(
  client: KubernetesClient,
  path: string,
  what: string,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    await client.requestJson({
      method: 'DELETE',
      path,
      query: { propagationPolicy: 'Background' },
      what,
      signal,
    });
    return true;
  } catch (error) {
    if (error instanceof KubernetesApiError && error.status === 404) return false;
    throw error;
  }
}

export async function readDeployment(
  client: KubernetesClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  return client.getObject(DEPLOYMENTS_PATH(namespace, name), {
    signal,
    what: `read Deployment/${namespace}/${name}`,
  });
}

/** The pod-template-hash of the ReplicaSet at the Deployment's current revision: the label its pods carry. */
export async function currentPodTemplateHash(
  client: KubernetesClient,
  deployment: KubeObject,
  signal: AbortSignal,
): Promise<string | undefined> {
  const revision = replicaSetRevision(deployment);
  const replicaSets = await listHistory(client, 'Deployment', deployment, signal);
  const current = replicaSets.find((replicaSet) => replicaSetRevision(replicaSet) === revision);
  return current?.metadata?.labels?.['pod-template-hash'];
}
