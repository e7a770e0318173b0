import { arrayAt, isObject, numberAt, objectAt, type JsonObject } from '../store/json.ts';
import { CONTROLLER_MANAGER, DAEMON_SETS, NODES, PODS, type ControllerContext } from './context.ts';
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
  scaledValue,
  writeStatus,
} from './objects.ts';
import { ensureRevision, pruneRevisions, revisionsOf } from './revisions.ts';
import { podFromTemplate } from './templates.ts';

/**
 * The DaemonSet controller: one pod per node, pinned with the node affinity the real controller
 * sets; a RollingUpdate deletes old pods (unavailable ones first, then up to maxUnavailable at a
 * time) and the next sync replaces them from the update revision.
 */

const REVISION_LABEL = 'controller-revision-hash';
const SOURCE = { component: 'daemonset-controller' };

/** The node a DaemonSet pod is meant for: its nodeName, or the matchFields term the controller wrote. */
export function targetNode(pod: JsonObject): string | undefined {
  const nodeName = objectAt(pod, 'spec')?.nodeName;
  if (typeof nodeName === 'string') return nodeName;
  const terms = arrayAt(
    pod,
    'spec',
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  ).filter(isObject);
  for (const term of terms) {
    for (const field of arrayAt(term, 'matchFields').filter(isObject)) {
      const values = arrayAt(field, 'values');
      if (field.key === 'metadata.name' && field.operator === 'In' && typeof values[0] === 'string')
        return values[0];
    }
  }
  return undefined;
}

function nodeAffinity(node: string): JsonObject {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
}

export function reconcileDaemonSet(context: ControllerContext, daemonSet: JsonObject, now: number): void {
  const spec = objectAt(daemonSet, 'spec') ?? {};
  const nodes = context.objects.list(NODES).map(nameOf);
  const update = ensureRevision(context, daemonSet, {});
  const generation = numberAt(daemonSet, 'metadata', 'generation') ?? 1;
  const minReadySeconds = int(spec.minReadySeconds, 0);
  const isAvailable = (pod: JsonObject): boolean => podIsAvailable(context, pod, minReadySeconds, now);
  const isUpdated = (pod: JsonObject): boolean => labelsOf(pod)[REVISION_LABEL] === update.hash;

  const byNode = new Map<string, JsonObject[]>();
  for (const pod of controlledBy(context, PODS, daemonSet).filter(podIsActive)) {
    const node = targetNode(pod) ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const remove = (pod: JsonObject): void => {
    context.objects.delete(PODS, namespaceOf(pod), nameOf(pod));
    const node = targetNode(pod) ?? '';
    byNode.set(
      node,
      (byNode.get(node) ?? []).filter((candidate) => candidate !== pod),
    );
    context.events.record(daemonSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`, SOURCE);
  };

  for (const node of nodes) {
    if ((byNode.get(node) ?? []).length > 0) continue;
    const pod = podFromTemplate(daemonSet, objectAt(spec, 'template') ?? {}, {
      labels: { [REVISION_LABEL]: update.hash, 'pod-template-generation': String(generation) },
      spec: {
        affinity: { ...(objectAt(spec, 'template', 'spec', 'affinity') ?? {}), ...nodeAffinity(node) },
      },
    });
    const created = context.objects.create(PODS, pod, { manager: CONTROLLER_MANAGER });
    byNode.set(node, [created]);
    context.events.record(daemonSet, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created)}`, SOURCE);
  }

  if (objectAt(spec, 'updateStrategy')?.type !== 'OnDelete') {
    const maxUnavailable = Math.max(
      1,
      scaledValue(objectAt(spec, 'updateStrategy', 'rollingUpdate')?.maxUnavailable, nodes.length, true, 1),
    );
    const current = nodes
      .map((node) => byNode.get(node)?.[0])
      .filter((pod): pod is JsonObject => pod !== undefined);
    for (const pod of current.filter((candidate) => !isUpdated(candidate) && !isAvailable(candidate)))
      remove(pod);
    let unavailable = nodes.filter((node) => !(byNode.get(node) ?? []).some(isAvailable)).length;
    for (const pod of current.filter((candidate) => !isUpdated(candidate) && isAvailable(candidate))) {
      if (unavailable >= maxUnavailable) break;
      remove(pod);
      unavailable += 1;
    }
  }

  const scheduled = nodes
    .map((node) => byNode.get(node)?.[0])
    .filter((pod): pod is JsonObject => pod !== undefined);
  const available = scheduled.filter(isAvailable).length;
  const status: JsonObject = {
    currentNumberScheduled: scheduled.length,
    numberMisscheduled: 0,
    desiredNumberScheduled: nodes.length,
    numberReady: scheduled.filter(podIsReady).length,
    observedGeneration: generation,
    updatedNumberScheduled: scheduled.filter(isUpdated).length,
    numberAvailable: available,
    numberUnavailable: nodes.length - available,
  };
  const podHashes = new Set(scheduled.map((pod) => String(labelsOf(pod)[REVISION_LABEL] ?? '')));
  const live = revisionsOf(context, daemonSet).filter((revision) => podHashes.has(revision.hash));
  pruneRevisions(context, daemonSet, new Set([update.name, ...live.map((revision) => revision.name)]));
  writeStatus(
    context,
    DAEMON_SETS,
    daemonSet,
    omitZero(status, [
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
    ]),
    CONTROLLER_MANAGER,
  );
}
