import { clone, numberAt, objectAt, objectsAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { int, nameOf, omitZero } from './objects.ts';

/**
 * A Deployment's status from its ReplicaSets (calculateStatus) and its Progressing and Available
 * conditions (syncRolloutStatus), with the deployment controller's reasons and messages.
 */

export const REASONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
};

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** When each Deployment's Progressing condition was last updated, to the millisecond (the condition has seconds). */
export type ProgressClock = Map<string, { stamp: string; at: number }>;

export function getCondition(conditions: JsonObject[], type: string): JsonObject | undefined {
  return conditions.find((condition) => condition.type === type);
}

/**
 * SetDeploymentCondition: no change for the same status and reason; otherwise replaced (moved
 * last), keeping lastTransitionTime while the status stays the same.
 */
export function setCondition(conditions: JsonObject[], condition: Condition, now: number): JsonObject[] {
  const current = getCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason)
    return conditions;
  const stamp = timestamp(now);
  const next: JsonObject = {
    type: condition.type,
    status: condition.status,
    lastUpdateTime: stamp,
    lastTransitionTime:
      current && current.status === condition.status ? (current.lastTransitionTime ?? stamp) : stamp,
    reason: condition.reason,
    message: condition.message,
  };
  return [...conditions.filter((existing) => existing.type !== condition.type), next];
}

function sum(replicaSets: JsonObject[], read: (replicaSet: JsonObject) => number): number {
  return replicaSets.reduce((total, replicaSet) => total + read(replicaSet), 0);
}

const specReplicas = (replicaSet: JsonObject): number => int(objectAt(replicaSet, 'spec')?.replicas, 0);
const statusOf = (field: string) => (replicaSet: JsonObject) => numberAt(replicaSet, 'status', field) ?? 0;

export interface StatusInput {
  deployment: JsonObject;
  allReplicaSets: JsonObject[];
  newReplicaSet: JsonObject | undefined;
  /** Conditions after this sync's own changes (new ReplicaSet created or found). */
  conditions: JsonObject[];
  maxUnavailable: number;
  clock: ProgressClock;
  now: number;
  /** Asks to be synced again when the progress deadline passes. */
  wake(at: number): void;
}

export function deploymentStatus(input: StatusInput): JsonObject {
  const { deployment, allReplicaSets, newReplicaSet, now } = input;
  const old = objectAt(deployment, 'status') ?? {};
  const desired = int(objectAt(deployment, 'spec')?.replicas, 1);
  const available = sum(allReplicaSets, statusOf('availableReplicas'));
  const status: JsonObject = {
    observedGeneration: numberAt(deployment, 'metadata', 'generation') ?? 1,
    replicas: sum(allReplicaSets, statusOf('replicas')),
    updatedReplicas: newReplicaSet ? statusOf('replicas')(newReplicaSet) : 0,
    readyReplicas: sum(allReplicaSets, statusOf('readyReplicas')),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(allReplicaSets, specReplicas) - available),
  };
  if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;

  let conditions = clone(input.conditions);
  conditions =
    available >= desired - input.maxUnavailable
      ? setCondition(
          conditions,
          {
            type: 'Available',
            status: 'True',
            reason: REASONS.minimumReplicasAvailable,
            message: 'Deployment has minimum availability.',
          },
          now,
        )
      : setCondition(
          conditions,
          {
            type: 'Available',
            status: 'False',
            reason: REASONS.minimumReplicasUnavailable,
            message: 'Deployment does not have minimum availability.',
          },
          now,
        );
  conditions = progressConditions(input, status, conditions);
  status.conditions = conditions;
  return omitZero(status, [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
    'conditions',
  ]);
}

/** DeploymentComplete: every replica updated and available, and the latest generation observed. */
function complete(deployment: JsonObject, status: JsonObject): boolean {
  const desired = int(objectAt(deployment, 'spec')?.replicas, 1);
  return (
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired &&
    int(status.observedGeneration, 0) >= (numberAt(deployment, 'metadata', 'generation') ?? 1)
  );
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than last time. */
function progressing(deployment: JsonObject, status: JsonObject): boolean {
  const old = objectAt(deployment, 'status') ?? {};
  const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const oldOld = n(old.replicas) - n(old.updatedReplicas);
  const newOld = n(status.replicas) - n(status.updatedReplicas);
  return (
    n(status.updatedReplicas) > n(old.updatedReplicas) ||
    newOld < oldOld ||
    n(status.readyReplicas) > n(old.readyReplicas) ||
    n(status.availableReplicas) > n(old.availableReplicas)
  );
}

function progressConditions(input: StatusInput, status: JsonObject, conditions: JsonObject[]): JsonObject[] {
  const { deployment, newReplicaSet, clock, now } = input;
  const deadline = objectAt(deployment, 'spec')?.progressDeadlineSeconds;
  if (typeof deadline !== 'number') return conditions.filter((condition) => condition.type !== 'Progressing');
  const uid = String(objectAt(deployment, 'metadata')?.uid);
  const current = getCondition(objectsAt(deployment, 'status', 'conditions'), 'Progressing');
  const subject = newReplicaSet
    ? `ReplicaSet "${nameOf(newReplicaSet)}"`
    : `Deployment "${nameOf(deployment)}"`;
  const alreadyComplete =
    status.replicas === status.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  if (alreadyComplete) return conditions;

  if (complete(deployment, status)) {
    return setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: REASONS.newReplicaSetAvailable,
        message: `${subject} has successfully progressed.`,
      },
      now,
    );
  }
  if (progressing(deployment, status)) {
    // Unlike other updates, progress refreshes lastUpdateTime even when the reason stays the same.
    const stamp = timestamp(now);
    const latest = getCondition(conditions, 'Progressing');
    clock.set(uid, { stamp, at: now });
    return [
      ...conditions.filter((condition) => condition.type !== 'Progressing'),
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: stamp,
        lastTransitionTime: latest?.status === 'True' ? (latest.lastTransitionTime ?? stamp) : stamp,
        reason: REASONS.replicaSetUpdated,
        message: `${subject} is progressing.`,
      },
    ];
  }
  const latest = getCondition(conditions, 'Progressing');
  if (!latest || latest.reason === REASONS.newReplicaSetAvailable || latest.reason === REASONS.timedOut)
    return conditions;
  const remembered = clock.get(uid);
  const lastUpdate =
    remembered && remembered.stamp === latest.lastUpdateTime
      ? remembered.at
      : Date.parse(String(latest.lastUpdateTime));
  if (lastUpdate + deadline * 1000 >= now) {
    input.wake(lastUpdate + deadline * 1000 + 1);
    return conditions;
  }
  return setCondition(
    conditions,
    {
      type: 'Progressing',
      status: 'False',
      reason: REASONS.timedOut,
      message: `${subject} has timed out progressing.`,
    },
    now,
  );
}
