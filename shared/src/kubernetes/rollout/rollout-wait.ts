import type { Deadline } from '../../async/deadline.ts';
import { errorMessage } from '../../errors.ts';
import { abortReason } from '../../async/sleep.ts';
import type { KubernetesClient } from '../client/client.ts';
import { Informer } from './informer.ts';
import { selectorQuery } from '../label-selector.ts';
import { describeRef, isOwnedBy, stringField, type KubeObject, type ObjectRef } from '../object.ts';
import { podProblems, type PodProblem } from './pod-problems.ts';
import { builtInResourceType, resourcePath } from '../resource-types.ts';
import {
  controllerRevisionMatches,
  controllerRevisionNumber,
  REVISION_ANNOTATION,
} from '../rollback/rollback-plan.ts';
import { rolloutStatus, type StatusExpectations, type WaitedKind } from './rollout-status.ts';

/**
 * Waits for workloads to finish rolling out, all at once under one deadline, with watches rather
 * than polling: per namespace one watch of each workload kind, one of pods and (for Deployments) one
 * of ReplicaSets, shared by every workload there. Each change re-reads kubectl's completion rules
 * and the pods of the new revision, so a rollout that cannot succeed fails as soon as that is known.
 */
export interface WorkloadToWait {
  ref: ObjectRef & { kind: WaitedKind; namespace: string };
  /** The object as applied: its uid and selector say which pods are its own. */
  object: KubeObject;
  /** What the manifest asks for that the rules cannot see in the object (a CronJob's suspend). */
  expectations?: StatusExpectations;
}

export type RolloutState = 'complete' | 'not-tracked' | 'failed' | 'timed-out' | 'aborted';

export interface RolloutResult {
  ref: WorkloadToWait['ref'];
  state: RolloutState;
  /** kubectl's status line, or why the rollout failed. */
  message: string;
  /** For a failure, its Kubernetes reason: ImagePullBackOff, ProgressDeadlineExceeded, BackoffLimitExceeded... */
  reason?: string;
  problems: PodProblem[];
  /** From the start of the wait to the verdict. */
  durationMs: number;
  /** The workload, its new ReplicaSet and its pods: whose events explain a failure. */
  relatedUids: string[];
  /** The workload as last seen. */
  object?: KubeObject;
}

export interface WaitOptions {
  deadline: Deadline;
  signal: AbortSignal;
  maxRestarts: number;
  /** Stop everything at the first rollout that cannot succeed. Default true. */
  failFast?: boolean;
  onProgress?: (ref: WorkloadToWait['ref'], message: string) => void;
  /** A watch of pods or ReplicaSets failed for good: waiting goes on without diagnosis. */
  onWarning?: (message: string) => void;
  now?: () => number;
}

interface Tracked {
  workload: WorkloadToWait;
  informer: Informer;
  result?: RolloutResult;
  lastMessage: string;
  problems: PodProblem[];
  relatedUids: string[];
  object?: KubeObject;
}

export async function waitForRollouts(
  client: KubernetesClient,
  workloads: readonly WorkloadToWait[],
  options: WaitOptions,
): Promise<RolloutResult[]> {
  const now = options.now ?? Date.now;
  const started = now();
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  const failFast = options.failFast ?? true;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const namespaces = groupBy(workloads, (workload) => workload.ref.namespace);
  const tracked: Tracked[] = [];
  const runs: Promise<void>[] = [];
  const fatal: unknown[] = [];
  const evaluateAll = (): void => {
    for (const entry of tracked) if (!entry.result) evaluate(entry);
    const failed = tracked.some((entry) => entry.result?.state === 'failed');
    if (tracked.every((entry) => entry.result) || (failFast && failed)) settle();
  };

  const evaluate = (entry: Tracked): void => {
    const { workload } = entry;
    const object = entry.informer.objects.get(`${workload.ref.namespace}/${workload.ref.name}`);
    if (!object) {
      report(
        entry,
        entry.informer.synced
          ? `${describeRef(workload.ref)} does not exist (deleted?)`
          : 'Waiting for the first status...',
      );
      return;
    }
    entry.object = object;
    const status = rolloutStatus(workload.ref.kind, object, workload.expectations);
    const scope = podsOf(workload.ref.kind, object, namespaceInformers.get(workload.ref.namespace));
    entry.relatedUids = [object.metadata?.uid ?? '', ...scope.uids].filter(Boolean);
    entry.problems = podProblems(scope.pods, { maxRestarts: options.maxRestarts });
    if (status.state === 'failed') return finish(entry, 'failed', status.message, status.reason);
    if (status.state === 'complete' || status.state === 'not-tracked')
      return finish(entry, status.state, status.message);
    const deadly = entry.problems.find((problem) => problem.fatal);
    if (failFast && deadly) return finish(entry, 'failed', deadly.message, deadly.reason);
    const worst = entry.problems[0];
    report(entry, worst ? `${status.message} (${worst.message})` : status.message);
  };

  const report = (entry: Tracked, message: string): void => {
    if (message === entry.lastMessage) return;
    entry.lastMessage = message;
    options.onProgress?.(entry.workload.ref, message);
  };

  const finish = (entry: Tracked, state: RolloutState, message: string, reason?: string): void => {
    entry.result = {
      ref: entry.workload.ref,
      state,
      message,
      reason,
      problems: entry.problems,
      durationMs: now() - started,
      relatedUids: entry.relatedUids,
      object: entry.object,
    };
    options.onProgress?.(entry.workload.ref, message);
  };

  const namespaceInformers = new Map<string, SideInformers>();
  for (const [namespace, members] of namespaces) {
    // With one workload in a namespace the server filters by its selector; with more, one watch
    // of the whole namespace serves them all.
    const selector = members.length === 1 ? selectorQuery(members[0]?.object.spec?.selector) : undefined;
    const side = (path: string): Informer =>
      new Informer(client, {
        path,
        labelSelector: selector,
        signal: controller.signal,
        onChange: evaluateAll,
      });
    const pods = side(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`);
    const replicaSets = members.some((member) => member.ref.kind === 'Deployment')
      ? side(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`)
      : undefined;
    // A DaemonSet's pods name their revision by hash; the newest ControllerRevision is the new one.
    const revisions = members.some((member) => member.ref.kind === 'DaemonSet')
      ? side(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`)
      : undefined;
    namespaceInformers.set(namespace, { pods, replicaSets, revisions });
    const names = new Map([
      [pods, 'pods'],
      [replicaSets, 'ReplicaSets'],
      [revisions, 'ControllerRevisions'],
    ]);
    for (const informer of [pods, replicaSets, revisions]) {
      if (!informer) continue;
      runs.push(
        informer.run().catch((error: unknown) => {
          if (!controller.signal.aborted) {
            options.onWarning?.(
              `Cannot watch ${names.get(informer) ?? 'pods'} in ${namespace} (${errorMessage(error)}): waiting without diagnosis.`,
            );
          }
        }),
      );
    }
    for (const [kind, ofKind] of groupBy(members, (member) => member.ref.kind)) {
      const type = builtInResourceType(ofKind[0]?.ref.apiVersion ?? '', kind);
      if (!type) throw new Error(`no resource type for ${kind}`);
      const informer = new Informer(client, {
        path: resourcePath(type, namespace),
        fieldSelector: ofKind.length === 1 ? `metadata.name=${ofKind[0]?.ref.name}` : undefined,
        signal: controller.signal,
        onChange: evaluateAll,
      });
      for (const workload of ofKind)
        tracked.push({ workload, informer, lastMessage: '', problems: [], relatedUids: [] });
      runs.push(
        informer.run().catch((error: unknown) => {
          if (controller.signal.aborted) return;
          fatal.push(error);
          settle();
        }),
      );
    }
  }

  const timer = setTimeout(settle, options.deadline.remaining());
  const onAbort = (): void => settle();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (tracked.length === 0) settle();
  try {
    await settled;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    options.signal.removeEventListener('abort', stop);
    controller.abort();
    await Promise.all(runs);
  }
  if (options.signal.aborted) throw abortReason(options.signal);
  if (fatal.length > 0) throw fatal[0];
  const anyFailed = tracked.some((entry) => entry.result?.state === 'failed');
  return tracked.map(
    (entry) =>
      entry.result ?? {
        ref: entry.workload.ref,
        state: anyFailed ? 'aborted' : 'timed-out',
        message: entry.lastMessage || 'no status was seen',
        problems: entry.problems,
        durationMs: now() - started,
        relatedUids: entry.relatedUids,
        object: entry.object,
      },
  );
}

/** What the watches of a namespace hold: pods, and the ReplicaSets or ControllerRevisions that own them. */
export interface SideInformers {
  pods: Pick<Informer, 'objects'>;
  replicaSets?: Pick<Informer, 'objects'>;
  revisions?: Pick<Informer, 'objects'>;
}

/** The pods of the revision being rolled out, and the uids of what owns them. */
export function podsOf(
  kind: WaitedKind,
  workload: KubeObject,
  informers: SideInformers | undefined,
): { pods: KubeObject[]; uids: string[] } {
  if (kind === 'Pod') return { pods: [workload], uids: [] };
  if (!informers || kind === 'CronJob') return { pods: [], uids: [] };
  // Until the controller has seen the spec, its status (and revision) describe the old one.
  const observed = (workload.status?.observedGeneration as number | undefined) ?? 0;
  if (kind !== 'Job' && observed < (workload.metadata?.generation ?? 0)) return { pods: [], uids: [] };
  const uid = workload.metadata?.uid;
  const all = [...informers.pods.objects.values()];
  if (kind === 'Deployment') {
    // The new ReplicaSet is the one with the Deployment's revision.
    const revision = workload.metadata?.annotations?.[REVISION_ANNOTATION];
    const newSet = [...(informers.replicaSets?.objects.values() ?? [])].find(
      (set) => isOwnedBy(set, uid) && set.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
    );
    const setUid = newSet?.metadata?.uid;
    const pods = all.filter((pod) => isOwnedBy(pod, setUid));
    return { pods, uids: [setUid ?? '', ...pods.map(uidOf)] };
  }
  let pods = all.filter((pod) => isOwnedBy(pod, uid));
  const updateRevision =
    kind === 'DaemonSet'
      ? newestRevisionHash(workload, informers.revisions)
      : stringField(workload, 'status', 'updateRevision');
  if ((kind === 'StatefulSet' || kind === 'DaemonSet') && updateRevision) {
    pods = pods.filter((pod) => pod.metadata?.labels?.[REVISION_HASH_LABEL] === updateRevision);
  } else if (kind === 'DaemonSet') {
    // Until the new revision is seen, no pod is known to be of it.
    pods = [];
  }
  return { pods, uids: pods.map(uidOf) };
}

const REVISION_HASH_LABEL = 'controller-revision-hash';

/**
 * A DaemonSet's update revision (its status does not name it): the newest of its ControllerRevisions
 * that holds its current template. Until the watch has seen that revision, none: the pods then
 * running are the old revision's, whose problems are not this rollout's.
 */
function newestRevisionHash(
  daemonSet: KubeObject,
  revisions: Pick<Informer, 'objects'> | undefined,
): string | undefined {
  const current = [...(revisions?.objects.values() ?? [])].filter(
    (revision) =>
      isOwnedBy(revision, daemonSet.metadata?.uid) && controllerRevisionMatches(daemonSet, revision),
  );
  const newest = current.reduce<KubeObject | undefined>(
    (best, revision) =>
      !best || controllerRevisionNumber(revision) > controllerRevisionNumber(best) ? revision : best,
    undefined,
  );
  // The DaemonSet controller labels its revisions with the pods' label; history's own label
  // (controller.kubernetes.io/hash) holds the same hash.
  const labels = newest?.metadata?.labels;
  return labels?.[REVISION_HASH_LABEL] ?? labels?.['controller.kubernetes.io/hash'];
}

function uidOf(object: KubeObject): string {
  return object.metadata?.uid ?? '';
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
