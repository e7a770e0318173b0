import { KubernetesApiError } from '../../../../../shared/src/kubernetes/client/api-error.ts';
import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import { listHistory } from '../../../../../shared/src/kubernetes/rollback/history.ts';
import { replicaSetRevision } from '../../../../../shared/src/kubernetes/rollback/rollback-plan.ts';

/**
 * The strategies' own writes: a JSON merge patch (RFC 7386: a key set to null is removed, so a
 * selector can lose a key) computed from the object just read and guarded by its resourceVersion,
 * so a change made in between (a controller's status update, another run) is a 409 and the patch
 * is computed again from the new state rather than written over it; and a delete that treats
 * "already gone" as done, which keeps promote and abort idempotent.
 */
const CONFLICT_ATTEMPTS = 5;
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

/**
 * Reads the object, builds the patch from it (undefined: nothing to change) and sends it guarded
 * by the resourceVersion read; on a 409, reads and builds again. The object as the patch left it,
 * or undefined when nothing was written (the object does not exist, or there was nothing to change).
 */
export async function patchLatest(
  client: KubernetesClient,
  path: string,
  what: string,
  build: (live: KubeObject) => MergePatch | undefined,
  options: WriteOptions,
): Promise<KubeObject | undefined> {
  for (let attempt = 1; ; attempt++) {
    const live = await client.getObject(path, { signal: options.signal });
    if (!live) return undefined;
    const patch = build(live);
    if (!patch) return undefined;
    try {
      return await mergePatch(client, path, live, patch, what, options);
    } catch (error) {
      if (!(error instanceof KubernetesApiError && error.status === 409) || attempt >= CONFLICT_ATTEMPTS)
        throw error;
    }
  }
}

async function mergePatch(
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
