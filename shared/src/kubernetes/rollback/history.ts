import type { KubernetesClient } from '../client/client.ts';
import { selectorQuery } from '../label-selector.ts';
import { stringField, type KubeObject } from '../object.ts';
import { controllerRevisionNumber, replicaSetRevision } from './rollback-plan.ts';

/**
 * A workload's rollout history as kubectl reads it: the ReplicaSets a Deployment controls, or the
 * ControllerRevisions of a StatefulSet or DaemonSet, listed by the workload's selector and kept only
 * when the workload is their controller (a selector can match another workload's objects).
 */
export type HistoryKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export function isHistoryKind(kind: string | undefined): kind is HistoryKind {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
}

export async function listHistory(
  client: KubernetesClient,
  kind: HistoryKind,
  workload: KubeObject,
  signal?: AbortSignal,
): Promise<KubeObject[]> {
  const namespace = encodeURIComponent(workload.metadata?.namespace ?? '');
  const plural = kind === 'Deployment' ? 'replicasets' : 'controllerrevisions';
  const list = await client.requestJson<{ items?: KubeObject[] }>({
    path: `/apis/apps/v1/namespaces/${namespace}/${plural}`,
    query: { labelSelector: selectorQuery(workload.spec?.selector) },
    what: `list the ${plural} of ${kind} ${workload.metadata?.name ?? ''}`,
    signal,
  });
  const uid = workload.metadata?.uid;
  return (list.items ?? []).filter((item) =>
    (item.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === uid),
  );
}

/**
 * The revision number a workload is at: a Deployment's revision annotation; for a StatefulSet the
 * number of its update revision; for a DaemonSet its newest ControllerRevision (DaemonSets report
 * no revision in their status). Undefined while the controller has not recorded one yet.
 */
export async function workloadRevision(
  client: KubernetesClient,
  kind: HistoryKind,
  workload: KubeObject,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const history = kind === 'Deployment' ? [] : await listHistory(client, kind, workload, signal);
  return currentRevisionOf(kind, workload, history);
}

/** `workloadRevision` from a history already read (unused for a Deployment). */
export function currentRevisionOf(
  kind: HistoryKind,
  workload: KubeObject,
  history: readonly KubeObject[],
): number | undefined {
  if (kind === 'Deployment') {
    return replicaSetRevision({ metadata: { annotations: workload.metadata?.annotations ?? {} } });
  }
  if (kind === 'StatefulSet') {
    const updateRevision = stringField(workload, 'status', 'updateRevision');
    const current = history.find((revision) => revision.metadata?.name === updateRevision);
    if (current) return controllerRevisionNumber(current);
  }
  const numbers = history.map(controllerRevisionNumber);
  return numbers.length > 0 ? Math.max(...numbers) : undefined;
}
