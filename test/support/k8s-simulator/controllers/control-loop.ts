import type { ResourceRegistry, ResourceType } from '../api/resources.ts';
import type { JsonObject } from '../store/json.ts';
import {
  CONTROLLER_REVISIONS,
  DAEMON_SETS,
  DEPLOYMENTS,
  JOBS,
  NODES,
  PODS,
  REPLICA_SETS,
  STATEFUL_SETS,
  type ControllerContext,
} from './context.ts';
import { reconcileDaemonSet } from './daemon-set.ts';
import { reconcileDeployment } from './deployment.ts';
import type { ProgressClock } from './deployment-status.ts';
import { syncDefinitions } from './definitions.ts';
import { reconcileJob } from './job.ts';
import { Kubelet } from './kubelet.ts';
import { schedulePods } from './pod-scheduler.ts';
import { reconcileReplicaSet } from './replica-set.ts';
import { reconcileStatefulSet } from './stateful-set.ts';

/**
 * Runs the simulated control plane: CRD establishment always, and unless paused the workload
 * controllers, the scheduler and the kubelet, in the order a change flows through them. It checks
 * every tick but syncs only when something can have changed: an object was written (by a client
 * or by the last sync), a test changed the behaviour, or a controller asked to be woken (a
 * container due to become ready, a back-off or a deadline ending). So a quiet cluster costs
 * nothing, as a real one would. A controller that throws on one object is recorded in `errors`
 * and the others go on, as a real controller requeues one key.
 */

export interface ControlLoop {
  /** Errors controllers hit (a simulator bug or a race with a test's own writes), newest last. */
  readonly errors: Error[];
  stop(): void;
}

const MAX_ERRORS = 100;

/** The resourceVersions of what a controller reads for one object: when none changed, neither would its sync. */
function versions(objects: JsonObject[]): string {
  return objects.map((object) => String((object.metadata as JsonObject).resourceVersion)).join(',');
}

export function startControlLoop(
  base: Omit<ControllerContext, 'wake'>,
  registry: ResourceRegistry,
  tickMs: number,
): ControlLoop {
  const errors: Error[] = [];
  /** The earliest time any controller asked to run again. */
  let wakeAt = Number.POSITIVE_INFINITY;
  /** The earliest time the object being synced asked for. */
  let objectWakeAt = Number.POSITIVE_INFINITY;
  let syncedRevision = -1;
  let behaviourVersion = 0;
  let syncedBehaviour = -1;
  base.behaviour.onChange(() => (behaviourVersion += 1));
  const context: ControllerContext = {
    ...base,
    wake: (at) => {
      wakeAt = Math.min(wakeAt, at);
      objectWakeAt = Math.min(objectWakeAt, at);
    },
  };
  const objects = context.objects;
  const store = objects.store;
  const kubelet = new Kubelet(context);
  const clock: ProgressClock = new Map();
  /** Per object: what its last successful sync read, and when it asked to be woken. */
  const synced = new Map<string, { inputs: string; wakeAt: number }>();
  /** The objects this sync saw, so the entries of deleted ones are dropped. */
  const seen = new Set<string>();

  const attempt = (work: () => void): boolean => {
    try {
      work();
      return true;
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      if (errors.length > MAX_ERRORS) errors.shift();
      return false;
    }
  };
  /** Syncs each object whose inputs changed or whose wake-up is due; the others are skipped. */
  const each = (
    list: JsonObject[],
    inputs: (object: JsonObject) => string,
    reconcile: (object: JsonObject) => void,
    now: number,
  ): void => {
    for (const object of list) {
      const uid = String((object.metadata as JsonObject).uid);
      seen.add(uid);
      const read = `${behaviourVersion}|${inputs(object)}`;
      const last = synced.get(uid);
      if (last && last.inputs === read && now < last.wakeAt) {
        wakeAt = Math.min(wakeAt, last.wakeAt);
        continue;
      }
      objectWakeAt = Number.POSITIVE_INFINITY;
      if (attempt(() => reconcile(object))) synced.set(uid, { inputs: read, wakeAt: objectWakeAt });
    }
  };
  const owned = (object: JsonObject, ...types: ResourceType[]): string =>
    versions([
      object,
      ...types.flatMap((type) => store.ownedBy(type, String((object.metadata as JsonObject).uid))),
    ]);

  const sync = (now: number): void => {
    attempt(() => syncDefinitions(context, registry, now));
    if (context.behaviour.paused) return;
    each(
      objects.list(DEPLOYMENTS),
      (deployment) => owned(deployment, REPLICA_SETS),
      (deployment) => reconcileDeployment(context, deployment, now, clock),
      now,
    );
    each(
      objects.list(REPLICA_SETS),
      (replicaSet) => owned(replicaSet, PODS),
      (replicaSet) => reconcileReplicaSet(context, replicaSet, now),
      now,
    );
    each(
      objects.list(STATEFUL_SETS),
      (statefulSet) => owned(statefulSet, PODS, CONTROLLER_REVISIONS),
      (statefulSet) => reconcileStatefulSet(context, statefulSet, now),
      now,
    );
    each(
      objects.list(DAEMON_SETS),
      (daemonSet) => `${owned(daemonSet, PODS, CONTROLLER_REVISIONS)}|${versions(objects.list(NODES))}`,
      (daemonSet) => reconcileDaemonSet(context, daemonSet, now),
      now,
    );
    each(
      objects.list(JOBS),
      (job) => owned(job, PODS),
      (job) => reconcileJob(context, job, now),
      now,
    );
    attempt(() => schedulePods(context, now));
    each(
      kubelet.podsToRun(),
      (pod) => versions([pod]),
      (pod) => kubelet.syncPod(pod, now),
      now,
    );
    for (const uid of synced.keys()) if (!seen.has(uid)) synced.delete(uid);
    seen.clear();
  };

  const tick = (): void => {
    const now = Date.now();
    const revision = store.revision;
    if (revision === syncedRevision && behaviourVersion === syncedBehaviour && now < wakeAt) return;
    syncedRevision = revision;
    syncedBehaviour = behaviourVersion;
    wakeAt = Number.POSITIVE_INFINITY;
    sync(now);
  };

  const timer = setInterval(tick, tickMs);
  timer.unref();
  return { errors, stop: () => clearInterval(timer) };
}
