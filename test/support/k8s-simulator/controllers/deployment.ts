import { clone, isObject, numberAt, objectAt, objectsAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { CONTROLLER_MANAGER, DEPLOYMENTS, PODS, REPLICA_SETS, type ControllerContext } from './context.ts';
import {
  deploymentStatus,
  getCondition,
  REASONS,
  setCondition,
  type ProgressClock,
} from './deployment-status.ts';
import {
  annotationsOf,
  controlledBy,
  controllerReference,
  int,
  metadataOf,
  nameOf,
  namespaceOf,
  podIsActive,
  scaledValue,
  withAnnotations,
  writeObject,
  writeStatus,
} from './objects.ts';
import {
  newReplicaSetTarget,
  rollingUpdateSteps,
  type Fenceposts,
  type ReplicaSetCount,
} from './rolling-update.ts';
import { equalIgnoringHash, POD_TEMPLATE_HASH, templateHash } from './templates.ts';

/**
 * The Deployment controller: finds the ReplicaSet whose template equals the Deployment's (a
 * rollback reuses an old one and gives it the next revision) or creates `<name>-<hash>`, scales
 * new and old ReplicaSets as RollingUpdate (maxSurge/maxUnavailable) or Recreate allows, keeps
 * `deployment.kubernetes.io/revision` on both, prunes history past revisionHistoryLimit and
 * reports status and conditions.
 */

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Annotations the controller never copies from a Deployment to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);
const SOURCE = { component: 'deployment-controller' };

function revisionOf(object: JsonObject): number {
  return Number(annotationsOf(object)[REVISION] ?? 0) || 0;
}

/** ResolveFenceposts: surge rounds up, unavailability down, and both zero means one unavailable. */
function fenceposts(deployment: JsonObject, desired: number): Fenceposts {
  const rolling = objectAt(deployment, 'spec', 'strategy', 'rollingUpdate') ?? {};
  const maxSurge = scaledValue(rolling.maxSurge, desired, true, 0);
  let maxUnavailable = scaledValue(rolling.maxUnavailable, desired, false, 0);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

function isRollingUpdate(deployment: JsonObject): boolean {
  return objectAt(deployment, 'spec', 'strategy')?.type !== 'Recreate';
}

function byCreation(a: JsonObject, b: JsonObject): number {
  const time = (object: JsonObject): string => String(metadataOf(object).creationTimestamp ?? '');
  return time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : nameOf(a) < nameOf(b) ? -1 : 1;
}

class DeploymentSync {
  private readonly context: ControllerContext;
  private deployment: JsonObject;
  private readonly now: number;
  private readonly desired: number;
  private readonly posts: Fenceposts;
  /** The ReplicaSets as this sync leaves them, by name. */
  private readonly replicaSets = new Map<string, JsonObject>();

  constructor(context: ControllerContext, deployment: JsonObject, now: number) {
    this.context = context;
    this.deployment = deployment;
    this.now = now;
    this.desired = int(objectAt(deployment, 'spec')?.replicas, 1);
    this.posts = fenceposts(deployment, this.desired);
    for (const replicaSet of controlledBy(context, REPLICA_SETS, deployment))
      this.replicaSets.set(nameOf(replicaSet), replicaSet);
  }

  run(clock: ProgressClock): void {
    const template = objectAt(this.deployment, 'spec', 'template') ?? {};
    let newReplicaSet = [...this.replicaSets.values()].find((replicaSet) =>
      equalIgnoringHash(objectAt(replicaSet, 'spec', 'template'), template),
    );
    const uid = String(metadataOf(this.deployment).uid);
    let conditions = clone(objectsAt(this.deployment, 'status', 'conditions'));
    const paused = objectAt(this.deployment, 'spec')?.paused === true;
    const hasDeadline = typeof objectAt(this.deployment, 'spec')?.progressDeadlineSeconds === 'number';

    if (newReplicaSet) {
      newReplicaSet = this.syncRevision(newReplicaSet);
      if (hasDeadline && !getCondition(conditions, 'Progressing')) {
        conditions = setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'True',
            reason: REASONS.foundNewReplicaSet,
            message: `Found new replica set "${nameOf(newReplicaSet)}"`,
          },
          this.now,
        );
        clock.set(uid, { stamp: timestamp(this.now), at: this.now });
      }
    } else if (!paused) {
      newReplicaSet = this.createReplicaSet(template);
      if (!newReplicaSet) return;
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: REASONS.newReplicaSetCreated,
          message: `Created new replica set "${nameOf(newReplicaSet)}"`,
        },
        this.now,
      );
      clock.set(uid, { stamp: timestamp(this.now), at: this.now });
    }
    if (newReplicaSet) this.syncDeploymentRevision(newReplicaSet);

    if (paused) {
      conditions = setCondition(
        conditions,
        { type: 'Progressing', status: 'Unknown', reason: REASONS.paused, message: 'Deployment is paused' },
        this.now,
      );
    } else if (newReplicaSet) {
      if (isRollingUpdate(this.deployment)) this.rollingUpdate(nameOf(newReplicaSet));
      else this.recreate(nameOf(newReplicaSet));
      newReplicaSet = this.replicaSets.get(nameOf(newReplicaSet));
    }

    const all = [...this.replicaSets.values()];
    const status = deploymentStatus({
      deployment: this.deployment,
      allReplicaSets: all,
      newReplicaSet,
      conditions,
      maxUnavailable: isRollingUpdate(this.deployment)
        ? Math.min(this.posts.maxUnavailable, this.desired)
        : 0,
      clock,
      now: this.now,
      wake: (at) => this.context.wake(at),
    });
    this.deployment = writeStatus(this.context, DEPLOYMENTS, this.deployment, status, CONTROLLER_MANAGER);
    if (
      getCondition(objectsAt(status, 'conditions'), 'Progressing')?.reason === REASONS.newReplicaSetAvailable
    ) {
      this.cleanupHistory(newReplicaSet);
    }
  }

  private maxRevision(except?: JsonObject): number {
    return Math.max(0, ...[...this.replicaSets.values()].filter((rs) => rs !== except).map(revisionOf));
  }

  /** A ReplicaSet that becomes new again (a rollback) takes the next revision and remembers its old one. */
  private syncRevision(replicaSet: JsonObject): JsonObject {
    const next = this.maxRevision(replicaSet) + 1;
    const current = revisionOf(replicaSet);
    const annotations: JsonObject = { ...this.copiedAnnotations() };
    if (current < next) {
      annotations[REVISION] = String(next);
      if (current > 0) {
        const history = annotationsOf(replicaSet)[REVISION_HISTORY];
        annotations[REVISION_HISTORY] = history ? `${String(history)},${current}` : String(current);
      }
    }
    annotations[DESIRED_REPLICAS] = String(this.desired);
    annotations[MAX_REPLICAS] = String(
      this.desired + (isRollingUpdate(this.deployment) ? this.posts.maxSurge : 0),
    );
    const updated = writeObject(
      this.context,
      REPLICA_SETS,
      replicaSet,
      withAnnotations(replicaSet, annotations),
      CONTROLLER_MANAGER,
    );
    this.replicaSets.set(nameOf(updated), updated);
    return updated;
  }

  private copiedAnnotations(): JsonObject {
    const copied: JsonObject = {};
    for (const [key, value] of Object.entries(annotationsOf(this.deployment)))
      if (!NOT_COPIED.has(key)) copied[key] = value;
    return copied;
  }

  private syncDeploymentRevision(newReplicaSet: JsonObject): void {
    const revision = String(revisionOf(newReplicaSet));
    if (annotationsOf(this.deployment)[REVISION] === revision) return;
    this.deployment = writeObject(
      this.context,
      DEPLOYMENTS,
      this.deployment,
      withAnnotations(this.deployment, { [REVISION]: revision }),
      CONTROLLER_MANAGER,
    );
  }

  private createReplicaSet(template: JsonObject): JsonObject | undefined {
    const status = objectAt(this.deployment, 'status') ?? {};
    const collisionCount = int(status.collisionCount, 0);
    const hash = templateHash(template, collisionCount);
    const name = `${nameOf(this.deployment)}-${hash}`;
    if (this.context.objects.get(REPLICA_SETS, namespaceOf(this.deployment), name)) {
      // Another template already has this name: count the collision, so the next hash differs.
      this.deployment = writeStatus(
        this.context,
        DEPLOYMENTS,
        this.deployment,
        { ...status, collisionCount: collisionCount + 1 },
        CONTROLLER_MANAGER,
      );
      return undefined;
    }
    const podTemplate = clone(template);
    const templateMetadata = isObject(podTemplate.metadata)
      ? podTemplate.metadata
      : (podTemplate.metadata = {});
    templateMetadata.labels = {
      ...(isObject(templateMetadata.labels) ? templateMetadata.labels : {}),
      [POD_TEMPLATE_HASH]: hash,
    };
    const selector = clone(objectAt(this.deployment, 'spec', 'selector') ?? {});
    selector.matchLabels = {
      ...(isObject(selector.matchLabels) ? selector.matchLabels : {}),
      [POD_TEMPLATE_HASH]: hash,
    };
    const replicas = isRollingUpdate(this.deployment)
      ? newReplicaSetTarget(this.desired, this.posts, 0, this.totalReplicas())
      : 0;
    const minReadySeconds = objectAt(this.deployment, 'spec')?.minReadySeconds;
    const created = this.context.objects.create(
      REPLICA_SETS,
      {
        metadata: {
          name,
          namespace: namespaceOf(this.deployment),
          labels: clone(templateMetadata.labels),
          annotations: {
            ...this.copiedAnnotations(),
            [REVISION]: String(this.maxRevision() + 1),
            [DESIRED_REPLICAS]: String(this.desired),
            [MAX_REPLICAS]: String(
              this.desired + (isRollingUpdate(this.deployment) ? this.posts.maxSurge : 0),
            ),
          },
          ownerReferences: [controllerReference(this.deployment)],
        },
        spec: {
          replicas,
          ...(typeof minReadySeconds === 'number' ? { minReadySeconds } : {}),
          selector,
          template: podTemplate,
        },
      },
      { manager: CONTROLLER_MANAGER },
    );
    if (replicas > 0) {
      this.context.events.record(
        this.deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${name} from 0 to ${replicas}`,
        SOURCE,
      );
    }
    this.replicaSets.set(name, created);
    return created;
  }

  private replicasOf(name: string): number {
    return int(objectAt(this.replicaSets.get(name) ?? {}, 'spec')?.replicas, 0);
  }

  private totalReplicas(): number {
    return [...this.replicaSets.keys()].reduce((total, name) => total + this.replicasOf(name), 0);
  }

  private scale(name: string, replicas: number): void {
    const replicaSet = this.replicaSets.get(name)!;
    const before = this.replicasOf(name);
    if (before === replicas) return;
    const next = withAnnotations(replicaSet, {
      [DESIRED_REPLICAS]: String(this.desired),
      [MAX_REPLICAS]: String(this.desired + (isRollingUpdate(this.deployment) ? this.posts.maxSurge : 0)),
    });
    (next.spec as JsonObject).replicas = replicas;
    this.replicaSets.set(
      name,
      this.context.objects.update(REPLICA_SETS, next, { manager: CONTROLLER_MANAGER }),
    );
    const direction = replicas > before ? 'up' : 'down';
    this.context.events.record(
      this.deployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${name} from ${before} to ${replicas}`,
      SOURCE,
    );
  }

  private oldNames(newName: string): string[] {
    return [...this.replicaSets.values()]
      .filter((replicaSet) => nameOf(replicaSet) !== newName)
      .sort(byCreation)
      .map(nameOf);
  }

  private rollingUpdate(newName: string): void {
    const count = (name: string): ReplicaSetCount => ({
      name,
      replicas: this.replicasOf(name),
      available: numberAt(this.replicaSets.get(name)!, 'status', 'availableReplicas') ?? 0,
    });
    const steps = rollingUpdateSteps(
      this.desired,
      this.posts,
      count(newName),
      this.oldNames(newName).map(count),
    );
    for (const step of steps) this.scale(step.name, step.replicas);
  }

  /** Recreate: every old pod gone before the new ReplicaSet scales up. */
  private recreate(newName: string): void {
    const oldNames = this.oldNames(newName);
    for (const name of oldNames) this.scale(name, 0);
    const oldPodsRemain = oldNames.some((name) =>
      controlledBy(this.context, PODS, this.replicaSets.get(name)!).some(podIsActive),
    );
    if (!oldPodsRemain) this.scale(newName, this.desired);
  }

  /** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit, once the rollout is complete. */
  private cleanupHistory(newReplicaSet: JsonObject | undefined): void {
    const limit = int(objectAt(this.deployment, 'spec')?.revisionHistoryLimit, 10);
    const empty = [...this.replicaSets.values()]
      .filter(
        (replicaSet) =>
          replicaSet !== newReplicaSet &&
          this.replicasOf(nameOf(replicaSet)) === 0 &&
          (numberAt(replicaSet, 'status', 'replicas') ?? 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const replicaSet of empty.slice(0, Math.max(0, empty.length - limit))) {
      this.context.objects.delete(REPLICA_SETS, namespaceOf(replicaSet), nameOf(replicaSet));
      this.replicaSets.delete(nameOf(replicaSet));
    }
  }
}

export function reconcileDeployment(
  context: ControllerContext,
  deployment: JsonObject,
  now: number,
  clock: ProgressClock,
): void {
  new DeploymentSync(context, deployment, now).run(clock);
}
