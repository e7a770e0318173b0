import { field, isRecord, numberField, stringField, type KubeObject } from '../object.ts';

/**
 * When a rollout is finished, by kubectl's rules exactly (kubectl/pkg/polymorphichelpers/
 * rollout_status.go), plus Jobs by their Complete and Failed conditions (what `kubectl wait
 * --for=condition=complete` checks), bare Pods when Ready or Succeeded (`kubectl wait
 * --for=condition=Ready`, or a pod that ran to completion), and CronJobs once accepted, unless
 * suspended without the manifest asking for it (then nothing would ever run). Pure: it reads one
 * object's spec and status and nothing else.
 */
export type RolloutStatus =
  | { state: 'progressing'; message: string }
  | { state: 'complete'; message: string }
  /** kubectl answers with an error: the rollout cannot finish. */
  | { state: 'failed'; message: string; reason: string }
  /** kubectl cannot tell (an OnDelete update strategy): nothing to wait for. */
  | { state: 'not-tracked'; message: string };

export const WAITED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod', 'CronJob'] as const;
export type WaitedKind = (typeof WAITED_KINDS)[number];

export function isWaitedKind(kind: string | undefined): kind is WaitedKind {
  return (WAITED_KINDS as readonly string[]).includes(kind ?? '');
}

export interface StatusExpectations {
  /** The manifest asks for the CronJob to be suspended (`spec.suspend: true`). */
  suspend?: boolean;
}

export function rolloutStatus(
  kind: WaitedKind,
  object: KubeObject,
  expectations: StatusExpectations = {},
): RolloutStatus {
  switch (kind) {
    case 'Deployment':
      return deploymentStatus(object);
    case 'StatefulSet':
      return statefulSetStatus(object);
    case 'DaemonSet':
      return daemonSetStatus(object);
    case 'Job':
      return jobStatus(object);
    case 'Pod':
      return podStatus(object);
    case 'CronJob':
      return cronJobStatus(object, expectations.suspend === true);
  }
}

export function podStatus(pod: KubeObject): RolloutStatus {
  const name = pod.metadata?.name ?? '';
  const phase = stringField(pod, 'status', 'phase') ?? 'Pending';
  if (phase === 'Succeeded') return { state: 'complete', message: `pod "${name}" succeeded` };
  if (phase === 'Failed') {
    const reason = stringField(pod, 'status', 'reason') ?? 'Failed';
    const detail = stringField(pod, 'status', 'message');
    return {
      state: 'failed',
      reason,
      message: `pod "${name}" failed: ${reason}${detail ? ` (${detail})` : ''}`,
    };
  }
  if (condition(pod, 'Ready')?.status === 'True')
    return { state: 'complete', message: `pod "${name}" is ready` };
  return progressing(`Waiting for pod "${name}" to be ready (phase ${phase})...`);
}

/** A CronJob has nothing to roll out: accepted (it exists) is done, unless it can never run. */
export function cronJobStatus(cronJob: KubeObject, suspendExpected: boolean): RolloutStatus {
  const name = cronJob.metadata?.name ?? '';
  const schedule = stringField(cronJob, 'spec', 'schedule') ?? '';
  if (field(cronJob, 'spec', 'suspend') === true && !suspendExpected) {
    return {
      state: 'failed',
      reason: 'Suspended',
      message: `cronjob "${name}" is suspended, so it will never run: spec.suspend is true on the cluster (set by another field manager?) though the manifest does not ask for it`,
    };
  }
  const state = suspendExpected ? 'suspended, as the manifest asks' : `scheduled "${schedule}"`;
  return { state: 'complete', message: `cronjob "${name}" accepted: ${state}` };
}

export function deploymentStatus(deployment: KubeObject): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  const observed = numberField(status, 'observedGeneration') ?? 0;
  if (generation > observed) return progressing('Waiting for deployment spec update to be observed...');
  const progressingCondition = condition(deployment, 'Progressing');
  if (progressingCondition?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: `deployment "${name}" exceeded its progress deadline${progressingCondition.message ? ` (${progressingCondition.message})` : ''}`,
    };
  }
  const replicas = numberField(deployment, 'spec', 'replicas');
  const updated = numberField(status, 'updatedReplicas') ?? 0;
  const current = numberField(status, 'replicas') ?? 0;
  const available = numberField(status, 'availableReplicas') ?? 0;
  if (replicas !== undefined && updated < replicas) {
    return progressing(
      `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
    );
  }
  if (current > updated) {
    return progressing(
      `Waiting for deployment "${name}" rollout to finish: ${current - updated} old replicas are pending termination...`,
    );
  }
  if (available < updated) {
    return progressing(
      `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  }
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

export function statefulSetStatus(set: KubeObject): RolloutStatus {
  const strategy = stringField(set, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') {
    return {
      state: 'not-tracked',
      message: `rollout status is only available for RollingUpdate strategy type, not ${strategy}`,
    };
  }
  const status = set.status ?? {};
  const observed = numberField(status, 'observedGeneration') ?? 0;
  if (observed === 0 || (set.metadata?.generation ?? 0) > observed) {
    return progressing('Waiting for statefulset spec update to be observed...');
  }
  const replicas = numberField(set, 'spec', 'replicas');
  const ready = numberField(status, 'readyReplicas') ?? 0;
  const updated = numberField(status, 'updatedReplicas') ?? 0;
  if (replicas !== undefined && ready < replicas) {
    return progressing(`Waiting for ${replicas - ready} pods to be ready...`);
  }
  const rollingUpdate = field(set, 'spec', 'updateStrategy', 'rollingUpdate');
  if (isRecord(rollingUpdate)) {
    const partition = numberField(rollingUpdate, 'partition');
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return progressing(
        `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      );
    }
    return {
      state: 'complete',
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
    };
  }
  const updateRevision = stringField(status, 'updateRevision');
  const currentRevision = stringField(status, 'currentRevision');
  if (updateRevision !== currentRevision) {
    return progressing(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision ?? ''}...`,
    );
  }
  const currentReplicas = numberField(status, 'currentReplicas') ?? 0;
  return {
    state: 'complete',
    message: `statefulset rolling update complete ${currentReplicas} pods at revision ${currentRevision ?? ''}...`,
  };
}

export function daemonSetStatus(daemon: KubeObject): RolloutStatus {
  const name = daemon.metadata?.name ?? '';
  const strategy = stringField(daemon, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') {
    return {
      state: 'not-tracked',
      message: `rollout status is only available for RollingUpdate strategy type, not ${strategy}`,
    };
  }
  const status = daemon.status ?? {};
  if ((daemon.metadata?.generation ?? 0) > (numberField(status, 'observedGeneration') ?? 0)) {
    return progressing('Waiting for daemon set spec update to be observed...');
  }
  const desired = numberField(status, 'desiredNumberScheduled') ?? 0;
  const updated = numberField(status, 'updatedNumberScheduled') ?? 0;
  const available = numberField(status, 'numberAvailable') ?? 0;
  if (updated < desired) {
    return progressing(
      `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    );
  }
  if (available < desired) {
    return progressing(
      `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
    );
  }
  return { state: 'complete', message: `daemon set "${name}" successfully rolled out` };
}

export function jobStatus(job: KubeObject): RolloutStatus {
  const name = job.metadata?.name ?? '';
  const failed = condition(job, 'Failed');
  if (failed?.status === 'True') {
    const reason = failed.reason ?? 'Failed';
    return {
      state: 'failed',
      reason,
      message: `job "${name}" failed: ${reason}${failed.message ? ` (${failed.message})` : ''}`,
    };
  }
  if (condition(job, 'Complete')?.status === 'True') {
    return { state: 'complete', message: `job "${name}" completed` };
  }
  if (field(job, 'spec', 'suspend') === true) {
    return progressing(`Waiting for job "${name}": it is suspended`);
  }
  const status = job.status ?? {};
  const completions = numberField(job, 'spec', 'completions') ?? 1;
  const succeeded = numberField(status, 'succeeded') ?? 0;
  const active = numberField(status, 'active') ?? 0;
  const podFailures = numberField(status, 'failed') ?? 0;
  return progressing(
    `Waiting for job "${name}" to complete: ${succeeded} of ${completions} succeeded, ${active} active, ${podFailures} failed...`,
  );
}

interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
}

function condition(object: KubeObject, type: string): Condition | undefined {
  const conditions = field(object, 'status', 'conditions');
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((entry): entry is Condition => isRecord(entry) && entry.type === type);
}

function progressing(message: string): RolloutStatus {
  return { state: 'progressing', message };
}
