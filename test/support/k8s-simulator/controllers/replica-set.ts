import { numberAt, objectAt, type JsonObject } from '../store/json.ts';
import { CONTROLLER_MANAGER, PODS, REPLICA_SETS, type ControllerContext } from './context.ts';
import {
  controlledBy,
  int,
  labelsOf,
  metadataOf,
  nameOf,
  namespaceOf,
  omitZero,
  podIsActive,
  podIsAvailable,
  podIsReady,
  writeStatus,
} from './objects.ts';
import { podFromTemplate } from './templates.ts';

/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods (creating from the template,
 * deleting the least useful first) and reports replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas and observedGeneration.
 */

const SOURCE = { component: 'replicaset-controller' };

/** Deletion order of controller.ActivePods: unscheduled, then pending, then not ready, then newest. */
function deletionRank(pod: JsonObject): number[] {
  const spec = objectAt(pod, 'spec') ?? {};
  const created = Date.parse(String(metadataOf(pod).creationTimestamp ?? '')) || 0;
  return [
    spec.nodeName ? 1 : 0,
    objectAt(pod, 'status')?.phase === 'Running' ? 1 : 0,
    podIsReady(pod) ? 1 : 0,
    -created,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return 0;
}

export function reconcileReplicaSet(context: ControllerContext, replicaSet: JsonObject, now: number): void {
  const desired = int(objectAt(replicaSet, 'spec')?.replicas, 1);
  const template = objectAt(replicaSet, 'spec', 'template') ?? {};
  let pods = controlledBy(context, PODS, replicaSet).filter(podIsActive);
  if (pods.length < desired) {
    for (let count = pods.length; count < desired; count += 1) {
      const created = context.objects.create(PODS, podFromTemplate(replicaSet, template, {}), {
        manager: CONTROLLER_MANAGER,
      });
      context.events.record(
        replicaSet,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${nameOf(created)}`,
        SOURCE,
      );
      pods.push(created);
    }
  } else if (pods.length > desired) {
    const doomed = [...pods]
      .sort((a, b) => compareRanks(deletionRank(a), deletionRank(b)))
      .slice(0, pods.length - desired);
    for (const pod of doomed) {
      context.objects.delete(PODS, namespaceOf(pod), nameOf(pod));
      context.events.record(replicaSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`, SOURCE);
    }
    pods = pods.filter((pod) => !doomed.includes(pod));
  }

  const minReadySeconds = int(objectAt(replicaSet, 'spec')?.minReadySeconds, 0);
  const templateLabels = objectAt(template, 'metadata', 'labels') ?? {};
  const status: JsonObject = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((pod) =>
      Object.entries(templateLabels).every(([key, value]) => labelsOf(pod)[key] === value),
    ).length,
    readyReplicas: pods.filter(podIsReady).length,
    availableReplicas: pods.filter((pod) => podIsAvailable(context, pod, minReadySeconds, now)).length,
    observedGeneration: numberAt(replicaSet, 'metadata', 'generation') ?? 1,
  };
  writeStatus(
    context,
    REPLICA_SETS,
    replicaSet,
    omitZero(status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
    CONTROLLER_MANAGER,
  );
}
