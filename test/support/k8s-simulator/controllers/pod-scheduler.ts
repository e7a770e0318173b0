import { clone, objectAt, objectsAt, stringAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { NODES, PODS, type ControllerContext } from './context.ts';
import { targetNode } from './daemon-set.ts';
import { nameOf, namespaceOf, podIsActive, writeStatus } from './objects.ts';

/**
 * kube-scheduler: binds each pending pod to a node (the one a DaemonSet pod is pinned to, else
 * the least loaded), or, for a pod the test made unschedulable, sets PodScheduled=False with
 * reason Unschedulable and records a FailedScheduling event with the scheduler's message.
 */

const MANAGER = 'kube-scheduler';
const SOURCE = { component: 'default-scheduler' };

function scheduledCondition(
  pod: JsonObject,
  status: string,
  now: number,
  reason?: string,
  message?: string,
): JsonObject {
  const previous = objectsAt(pod, 'status', 'conditions').find((entry) => entry.type === 'PodScheduled');
  const since = previous?.status === status ? previous.lastTransitionTime : undefined;
  return {
    type: 'PodScheduled',
    status,
    lastProbeTime: null,
    lastTransitionTime: since ?? timestamp(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

function withCondition(pod: JsonObject, condition: JsonObject): JsonObject {
  const status = clone(objectAt(pod, 'status') ?? {});
  status.conditions = [
    ...objectsAt(pod, 'status', 'conditions').filter((entry) => entry.type !== 'PodScheduled'),
    condition,
  ];
  return status;
}

export function schedulePods(context: ControllerContext, now: number): void {
  const pods = context.objects.list(PODS);
  const load = new Map<string, number>(context.objects.list(NODES).map((node) => [nameOf(node), 0]));
  for (const pod of pods) {
    const node = stringAt(pod, 'spec', 'nodeName');
    if (node && podIsActive(pod)) load.set(node, (load.get(node) ?? 0) + 1);
  }
  for (const pod of pods) {
    if (stringAt(pod, 'spec', 'nodeName') || !podIsActive(pod)) continue;
    const message = context.behaviour.unschedulableMessage(pod);
    if (message) {
      const status = withCondition(pod, scheduledCondition(pod, 'False', now, 'Unschedulable', message));
      if (writeStatus(context, PODS, pod, status, MANAGER) !== pod) {
        context.events.record(pod, 'Warning', 'FailedScheduling', message, SOURCE);
      }
      continue;
    }
    const node = targetNode(pod) ?? [...load].sort(([, a], [, b]) => a - b)[0]?.[0];
    if (!node) continue;
    load.set(node, (load.get(node) ?? 0) + 1);
    const bound = clone(pod);
    (bound.spec as JsonObject).nodeName = node;
    const updated = context.objects.update(PODS, bound, { manager: MANAGER });
    writeStatus(
      context,
      PODS,
      updated,
      withCondition(updated, scheduledCondition(updated, 'True', now)),
      MANAGER,
    );
    context.events.record(
      updated,
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespaceOf(pod)}/${nameOf(pod)} to ${node}`,
      SOURCE,
    );
  }
}
