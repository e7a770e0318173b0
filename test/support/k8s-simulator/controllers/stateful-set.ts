import { numberAt, objectAt, stringAt, type JsonObject } from '../store/json.ts';
import {
  CONTROLLER_MANAGER,
  CONTROLLER_REVISIONS,
  PODS,
  STATEFUL_SETS,
  type ControllerContext,
} from './context.ts';
import {
  controlledBy,
  int,
  labelsOf,
  nameOf,
  namespaceOf,
  omitZero,
  podIsActive,
  podIsAvailable,
  podIsReady,
  writeStatus,
} from './objects.ts';
import { ensureRevision, pruneRevisions, templateOf } from './revisions.ts';
import { podFromTemplate } from './templates.ts';

/**
 * The StatefulSet controller: pods `<name>-0` to `<name>-(n-1)`, created in order (OrderedReady
 * waits for each to be ready; Parallel does not), removed from the highest ordinal; a
 * RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time,
 * each from the update revision; `currentRevision` catches up with `updateRevision` once every
 * pod is updated and ready.
 */

export const REVISION_LABEL = 'controller-revision-hash';
const SOURCE = { component: 'statefulset-controller' };

function ordinalOf(statefulSet: JsonObject, pod: JsonObject): number {
  const suffix = nameOf(pod).slice(nameOf(statefulSet).length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
}

export function reconcileStatefulSet(context: ControllerContext, statefulSet: JsonObject, now: number): void {
  const spec = objectAt(statefulSet, 'spec') ?? {};
  const replicas = int(spec.replicas, 1);
  const name = nameOf(statefulSet);
  const update = ensureRevision(context, statefulSet);
  const status = objectAt(statefulSet, 'status') ?? {};
  const currentName = stringAt(status, 'currentRevision') || update.name;
  const rolling = objectAt(spec, 'updateStrategy')?.type !== 'OnDelete';
  const partition = rolling ? int(objectAt(spec, 'updateStrategy', 'rollingUpdate')?.partition, 0) : 0;
  const ordered = spec.podManagementPolicy !== 'Parallel';

  const pods = new Map<number, JsonObject>();
  for (const pod of controlledBy(context, PODS, statefulSet)) {
    if (podIsActive(pod)) pods.set(ordinalOf(statefulSet, pod), pod);
  }
  const revisionOfPod = (pod: JsonObject): string => String(labelsOf(pod)[REVISION_LABEL] ?? '');
  const createPod = (ordinal: number): void => {
    const revisionName = ordinal < partition ? currentName : update.name;
    const revision =
      context.objects.get(CONTROLLER_REVISIONS, namespaceOf(statefulSet), revisionName) ?? update.object;
    const podName = `${name}-${ordinal}`;
    const pod = podFromTemplate(statefulSet, templateOf(revision), {
      name: podName,
      labels: {
        [REVISION_LABEL]: revisionName,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
      spec: {
        hostname: podName,
        ...(typeof spec.serviceName === 'string' ? { subdomain: spec.serviceName } : {}),
      },
    });
    pods.set(ordinal, context.objects.create(PODS, pod, { manager: CONTROLLER_MANAGER }));
    context.events.record(
      statefulSet,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${podName} in StatefulSet ${name} successful`,
      SOURCE,
    );
  };
  const deletePod = (ordinal: number): void => {
    const pod = pods.get(ordinal)!;
    context.objects.delete(PODS, namespaceOf(pod), nameOf(pod));
    pods.delete(ordinal);
    context.events.record(
      statefulSet,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${nameOf(pod)} in StatefulSet ${name} successful`,
      SOURCE,
    );
  };

  let waiting = false;
  for (let ordinal = 0; ordinal < replicas && !waiting; ordinal += 1) {
    const pod = pods.get(ordinal);
    if (!pod) {
      createPod(ordinal);
      waiting = ordered;
    } else if (ordered && !podIsReady(pod)) {
      waiting = true;
    }
  }
  const surplus = [...pods.keys()]
    .filter((ordinal) => ordinal >= replicas || ordinal < 0)
    .sort((a, b) => b - a);
  const allReady = [...pods.values()].every(podIsReady);
  if (surplus.length > 0 && (!ordered || allReady)) {
    for (const ordinal of ordered ? surplus.slice(0, 1) : surplus) deletePod(ordinal);
  } else if (rolling && !waiting && allReady && pods.size === replicas) {
    for (let ordinal = replicas - 1; ordinal >= partition; ordinal -= 1) {
      const pod = pods.get(ordinal);
      if (pod && revisionOfPod(pod) !== update.name) {
        deletePod(ordinal);
        break;
      }
    }
  }

  const active = [...pods.values()];
  const minReadySeconds = int(spec.minReadySeconds, 0);
  const next: JsonObject = {
    observedGeneration: numberAt(statefulSet, 'metadata', 'generation') ?? 1,
    replicas: active.length,
    readyReplicas: active.filter(podIsReady).length,
    currentReplicas: active.filter((pod) => revisionOfPod(pod) === currentName).length,
    updatedReplicas: active.filter((pod) => revisionOfPod(pod) === update.name).length,
    currentRevision: currentName,
    updateRevision: update.name,
    collisionCount: int(status.collisionCount, 0),
    availableReplicas: active.filter((pod) => podIsAvailable(context, pod, minReadySeconds, now)).length,
  };
  if (
    next.updatedReplicas === next.replicas &&
    next.readyReplicas === next.replicas &&
    replicas === active.length
  ) {
    next.currentRevision = update.name;
    next.currentReplicas = next.updatedReplicas as number;
  }
  pruneRevisions(
    context,
    statefulSet,
    new Set([String(next.currentRevision), update.name, ...active.map(revisionOfPod)]),
  );
  writeStatus(
    context,
    STATEFUL_SETS,
    statefulSet,
    omitZero(next, ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas']),
    CONTROLLER_MANAGER,
  );
}
