import { ActionError } from '../errors.ts';
import type { KubernetesClient } from './client.ts';
import { listHistory, type HistoryKind } from './history.ts';
import { KubernetesApiError } from './api-error.ts';
import { selectorQuery } from './label-selector.ts';
import { describeRef, field, isRecord, type KubeObject, type ObjectRef } from './object.ts';
import {
  chooseControllerRevision,
  chooseReplicaSet,
  controllerRevisionMatches,
  controllerRevisionNumber,
  deploymentRollbackPatch,
  replicaSetRevision,
  templatesEqualIgnoringHash,
} from './rollback-plan.ts';

/**
 * `kubectl rollout undo`: a Deployment gets the template of the ReplicaSet of the previous (or a
 * given) revision, a StatefulSet or DaemonSet the template stored in its previous (or a given)
 * ControllerRevision. Skipped when the workload already runs that template, refused for a paused
 * Deployment, as kubectl does. The deploy-k8s and rollback actions both use it.
 *
 * One step more than kubectl, for StatefulSets: their controller waits for a broken pod to become
 * Ready before it replaces it, even after the template is reverted, so a rollback alone never
 * finishes (the "forced rollback" of the Kubernetes documentation). The pods of other revisions
 * that are not Ready are deleted, and the controller recreates them from the restored one.
 */
export interface RollbackTarget extends ObjectRef {
  kind: HistoryKind;
  namespace: string;
}

export interface RollbackOptions {
  /** 0 (the default) is the revision before the current one, as in kubectl. */
  toRevision?: number;
  /** Field manager of the patch; kubectl uses kubectl-rollout. */
  fieldManager: string;
  signal?: AbortSignal;
  /** Server-side dry run: everything is checked, nothing changes. */
  dryRun?: boolean;
}

export interface RollbackOutcome {
  ref: RollbackTarget;
  /** False when skipped: the workload already runs the template of that revision. */
  changed: boolean;
  /** The revision whose template the workload now has. */
  revision: number;
  message: string;
  /** StatefulSet pods stuck on another revision, deleted so the controller can replace them. */
  deletedPods: string[];
}

export class RollbackError extends ActionError {
  constructor(ref: ObjectRef, reason: string) {
    super(`Cannot roll back ${describeRef(ref)}: ${reason}`);
    this.name = 'RollbackError';
  }
}

export async function rollbackWorkload(
  client: KubernetesClient,
  target: RollbackTarget,
  options: RollbackOptions,
): Promise<RollbackOutcome> {
  const plural = target.kind.toLowerCase() + 's';
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(target.namespace)}/${plural}/${encodeURIComponent(target.name)}`;
  const workload = await client.getObject(path, {
    signal: options.signal,
    what: `read ${describeRef(target)}`,
  });
  if (!workload) throw new RollbackError(target, 'it does not exist');
  const toRevision = options.toRevision ?? 0;
  const history = await listHistory(client, target.kind, workload, options.signal);
  const query = { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
  if (target.kind === 'Deployment') {
    const choice = chooseReplicaSet(history, toRevision, target.name);
    if (!choice.ok) throw new RollbackError(target, choice.reason);
    const revision = replicaSetRevision(choice.value) ?? 0;
    if (workload.spec?.paused === true) {
      throw new RollbackError(
        target,
        `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${target.name}' and try again`,
      );
    }
    if (templatesEqualIgnoringHash(choice.value.spec?.template, workload.spec?.template)) {
      return skipped(target, revision);
    }
    await client.requestJson({
      method: 'PATCH',
      path,
      query,
      contentType: 'application/json-patch+json',
      body: JSON.stringify(deploymentRollbackPatch(workload, choice.value)),
      what: `roll back ${describeRef(target)} to revision ${revision}`,
      signal: options.signal,
    });
    return {
      ref: target,
      changed: true,
      revision,
      message: `rolled back to revision ${revision}`,
      deletedPods: [],
    };
  }
  const choice = chooseControllerRevision(history, toRevision);
  if (!choice.ok) throw new RollbackError(target, choice.reason);
  const revision = controllerRevisionNumber(choice.value);
  if (controllerRevisionMatches(workload, choice.value)) return skipped(target, revision);
  await client.requestJson<KubeObject>({
    method: 'PATCH',
    path,
    query,
    contentType: 'application/strategic-merge-patch+json',
    body: JSON.stringify(choice.value.data),
    what: `roll back ${describeRef(target)} to revision ${revision}`,
    signal: options.signal,
  });
  const deletedPods =
    target.kind === 'StatefulSet' && !options.dryRun
      ? await deleteStuckPods(client, workload, choice.value.metadata?.name ?? '', options.signal)
      : [];
  const deleted =
    deletedPods.length > 0 ? `; deleted pod(s) stuck on the failed revision: ${deletedPods.join(', ')}` : '';
  return {
    ref: target,
    changed: true,
    revision,
    message: `rolled back to revision ${revision}${deleted}`,
    deletedPods,
  };
}

async function deleteStuckPods(
  client: KubernetesClient,
  set: KubeObject,
  revisionName: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const namespace = encodeURIComponent(set.metadata?.namespace ?? '');
  const pods = await client.requestJson<{ items?: KubeObject[] }>({
    path: `/api/v1/namespaces/${namespace}/pods`,
    query: { labelSelector: selectorQuery(set.spec?.selector) },
    what: `list the pods of StatefulSet ${set.metadata?.name ?? ''}`,
    signal,
  });
  const stuck = (pods.items ?? []).filter(
    (pod) =>
      (pod.metadata?.ownerReferences ?? []).some(
        (owner) => owner.controller === true && owner.uid === set.metadata?.uid,
      ) &&
      pod.metadata?.labels?.['controller-revision-hash'] !== revisionName &&
      !isReady(pod),
  );
  for (const pod of stuck) {
    const name = pod.metadata?.name ?? '';
    await client
      .requestJson({
        method: 'DELETE',
        path: `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(name)}`,
        what: `delete pod ${name}`,
        signal,
      })
      .catch((error: unknown) => {
        // Already gone is what was wanted.
        if (!(error instanceof KubernetesApiError && error.status === 404)) throw error;
      });
  }
  return stuck.map((pod) => pod.metadata?.name ?? '');
}

function isReady(pod: KubeObject): boolean {
  const conditions = field(pod, 'status', 'conditions');
  return (
    Array.isArray(conditions) &&
    conditions.some(
      (condition) => isRecord(condition) && condition.type === 'Ready' && condition.status === 'True',
    )
  );
}

function skipped(target: RollbackTarget, revision: number): RollbackOutcome {
  return {
    ref: target,
    changed: false,
    revision,
    message: `skipped rollback (current template already matches revision ${revision})`,
    deletedPods: [],
  };
}
