import { ActionError } from '../../errors.ts';
import type { KubernetesClient } from '../client/client.ts';
import { currentRevisionOf, listHistory, type HistoryKind } from './history.ts';
import { KubernetesApiError } from '../client/api-error.ts';
import { selectorQuery } from '../label-selector.ts';
import { describeRef, field, isRecord, type KubeObject, type ObjectRef } from '../object.ts';
import {
  chooseByImages,
  chooseControllerRevision,
  chooseReplicaSet,
  controllerRevisionMatches,
  deploymentRollbackPatch,
  historyRevision,
  historyTemplate,
  templateImages,
  templatesEqualIgnoringHash,
  type Choice,
} from './rollback-plan.ts';

/**
 * `kubectl rollout undo`: a Deployment gets the template of the ReplicaSet of the previous (or a
 * given) revision, a StatefulSet or DaemonSet the template stored in its previous (or a given)
 * ControllerRevision. Skipped when the workload already runs that template, refused for a paused
 * Deployment, as kubectl does. In two steps, so that a caller can check every workload before it
 * changes any: `planRollback` only reads, `applyRollback` writes. The deploy-k8s and rollback
 * actions both use it.
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

/** Which revision to return to: kubectl's `--to-revision` (0: the previous), or the one running these images. */
export type RevisionWanted = { toRevision: number } | { images: Record<string, string> };

export interface RollbackOptions {
  /** 0 (the default) is the revision before the current one, as in kubectl. */
  toRevision?: number;
  /** Field manager of the patch; kubectl uses kubectl-rollout. */
  fieldManager: string;
  signal?: AbortSignal;
  /** Server-side dry run: everything is checked, nothing changes. */
  dryRun?: boolean;
}

export interface RollbackPlan {
  ref: RollbackTarget;
  /** The workload as read. */
  workload: KubeObject;
  /** The revision it is at, undefined while its controller has recorded none. */
  currentRevision: number | undefined;
  /** The revision chosen, numbered as listed before the rollback. */
  revision: number;
  /** The ReplicaSet or ControllerRevision whose template is restored. */
  source: KubeObject;
  /** False when the workload already runs that template: nothing to do. */
  changed: boolean;
  /** Container name -> image, now and after the rollback. */
  imagesBefore: Record<string, string>;
  imagesAfter: Record<string, string>;
  /** Every revision of its history, ascending. */
  available: number[];
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
  /** The workload as the patch left it; the plan's reading when nothing changed. */
  object: KubeObject;
}

export class RollbackError extends ActionError {
  constructor(ref: ObjectRef, reason: string) {
    super(`Cannot roll back ${describeRef(ref)}: ${reason}`);
    this.name = 'RollbackError';
  }
}

export function workloadPath(target: RollbackTarget): string {
  const plural = target.kind.toLowerCase() + 's';
  return `/apis/apps/v1/namespaces/${encodeURIComponent(target.namespace)}/${plural}/${encodeURIComponent(target.name)}`;
}

/** Reads the workload and its history and decides; changes nothing. Throws a RollbackError when it cannot. */
export async function planRollback(
  client: KubernetesClient,
  target: RollbackTarget,
  wanted: RevisionWanted,
  signal?: AbortSignal,
): Promise<RollbackPlan> {
  const workload = await client.getObject(workloadPath(target), {
    signal,
    what: `read ${describeRef(target)}`,
  });
  if (!workload) throw new RollbackError(target, 'it does not exist');
  if (target.kind === 'Deployment' && workload.spec?.paused === true) {
    throw new RollbackError(
      target,
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${target.name}' and try again`,
    );
  }
  const history = await listHistory(client, target.kind, workload, signal);
  const choice = choose(target.kind, history, wanted);
  if (!choice.ok) throw new RollbackError(target, choice.reason);
  const source = choice.value;
  const changed =
    target.kind === 'Deployment'
      ? !templatesEqualIgnoringHash(historyTemplate(source), workload.spec?.template)
      : !controllerRevisionMatches(workload, source);
  return {
    ref: target,
    workload,
    currentRevision: currentRevisionOf(target.kind, workload, history),
    revision: historyRevision(source),
    source,
    changed,
    imagesBefore: templateImages(workload.spec?.template),
    imagesAfter: templateImages(historyTemplate(source)),
    available: [...new Set(history.map(historyRevision))].sort((a, b) => a - b),
  };
}

function choose(kind: HistoryKind, history: KubeObject[], wanted: RevisionWanted): Choice<KubeObject> {
  if ('images' in wanted) return chooseByImages(history, wanted.images);
  return kind === 'Deployment'
    ? chooseReplicaSet(history, wanted.toRevision)
    : chooseControllerRevision(history, wanted.toRevision);
}

/** Restores the plan's template (nothing when the plan says it already runs). */
export async function applyRollback(
  client: KubernetesClient,
  plan: RollbackPlan,
  options: Omit<RollbackOptions, 'toRevision'>,
): Promise<RollbackOutcome> {
  const { ref: target, revision } = plan;
  if (!plan.changed) {
    return {
      ref: target,
      changed: false,
      revision,
      message: `skipped rollback (current template already matches revision ${revision})`,
      deletedPods: [],
      object: plan.workload,
    };
  }
  const query = { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
  const what = `roll back ${describeRef(target)} to revision ${revision}`;
  const object =
    target.kind === 'Deployment'
      ? await client.requestJson<KubeObject>({
          method: 'PATCH',
          path: workloadPath(target),
          query,
          contentType: 'application/json-patch+json',
          body: JSON.stringify(deploymentRollbackPatch(plan.workload, plan.source)),
          what,
          signal: options.signal,
        })
      : await client.requestJson<KubeObject>({
          method: 'PATCH',
          path: workloadPath(target),
          query,
          contentType: 'application/strategic-merge-patch+json',
          body: JSON.stringify(plan.source.data),
          what,
          signal: options.signal,
        });
  const deletedPods =
    target.kind === 'StatefulSet' && !options.dryRun
      ? await deleteStuckPods(client, plan.workload, plan.source.metadata?.name ?? '', options.signal)
      : [];
  const deleted =
    deletedPods.length > 0 ? `; deleted pod(s) stuck on the failed revision: ${deletedPods.join(', ')}` : '';
  return {
    ref: target,
    changed: true,
    revision,
    message: `rolled back to revision ${revision}${deleted}`,
    deletedPods,
    object,
  };
}

/** Plan and apply in one go, for a caller with a single workload to restore. */
export async function rollbackWorkload(
  client: KubernetesClient,
  target: RollbackTarget,
  options: RollbackOptions,
): Promise<RollbackOutcome> {
  const plan = await planRollback(client, target, { toRevision: options.toRevision ?? 0 }, options.signal);
  return applyRollback(client, plan, options);
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
