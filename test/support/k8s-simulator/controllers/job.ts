import { clone, objectAt, objectsAt, stringAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { CONTROLLER_MANAGER, JOBS, PODS, type ControllerContext } from './context.ts';
import {
  controlledBy,
  int,
  nameOf,
  namespaceOf,
  omitZero,
  podIsActive,
  podIsReady,
  podPhase,
  writeStatus,
} from './objects.ts';
import { podFromTemplate } from './templates.ts';

/**
 * The Job controller: runs up to `parallelism` pods until `completions` succeeded (conditions
 * SuccessCriteriaMet then Complete, reason CompletionsReached), or until more than `backoffLimit`
 * failed (FailureTarget then Failed, reason BackoffLimitExceeded), or past activeDeadlineSeconds
 * (DeadlineExceeded). Failed pods are replaced at once: the real exponential back-off is not
 * simulated.
 */

const SOURCE = { component: 'job-controller' };

function condition(type: string, reason: string, message: string, now: number): JsonObject {
  const stamp = timestamp(now);
  return { type, status: 'True', lastProbeTime: stamp, lastTransitionTime: stamp, reason, message };
}

function finished(job: JsonObject): boolean {
  return objectsAt(job, 'status', 'conditions').some(
    (entry) => (entry.type === 'Complete' || entry.type === 'Failed') && entry.status === 'True',
  );
}

export function reconcileJob(context: ControllerContext, job: JsonObject, now: number): void {
  if (finished(job)) return;
  const spec = objectAt(job, 'spec') ?? {};
  const old = objectAt(job, 'status') ?? {};
  const pods = controlledBy(context, PODS, job);
  const succeeded = pods.filter((pod) => podPhase(pod) === 'Succeeded').length;
  const failed = pods.filter((pod) => podPhase(pod) === 'Failed').length;
  let active = pods.filter(podIsActive);
  const completions = int(spec.completions, 1);
  const parallelism = int(spec.parallelism, 1);
  const startTime = stringAt(old, 'startTime') ?? timestamp(now);
  const conditions = clone(objectsAt(job, 'status', 'conditions'));
  const deadline = spec.activeDeadlineSeconds;
  let completionTime: string | undefined;

  const fail = (reason: string, message: string): void => {
    for (const pod of active) context.objects.delete(PODS, namespaceOf(pod), nameOf(pod));
    active = [];
    conditions.push(
      condition('FailureTarget', reason, message, now),
      condition('Failed', reason, message, now),
    );
    context.events.record(job, 'Warning', reason, message, SOURCE);
  };

  if (spec.suspend === true) {
    // A suspended Job keeps its pods' record but runs none.
  } else if (failed > int(spec.backoffLimit, 6)) {
    fail('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  } else if (typeof deadline === 'number' && Date.parse(startTime) + deadline * 1000 <= now) {
    fail('DeadlineExceeded', 'Job was active longer than specified deadline');
  } else if (succeeded >= completions) {
    const message = 'Reached expected number of succeeded pods';
    conditions.push(
      condition('SuccessCriteriaMet', 'CompletionsReached', message, now),
      condition('Complete', 'CompletionsReached', message, now),
    );
    completionTime = timestamp(now);
    context.events.record(job, 'Normal', 'Completed', 'Job completed', SOURCE);
  } else {
    if (typeof deadline === 'number') context.wake(Date.parse(startTime) + deadline * 1000);
    const wanted = Math.min(parallelism, completions - succeeded);
    for (let count = active.length; count < wanted; count += 1) {
      const created = context.objects.create(
        PODS,
        podFromTemplate(job, objectAt(spec, 'template') ?? {}, {}),
        {
          manager: CONTROLLER_MANAGER,
        },
      );
      active.push(created);
      context.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created)}`, SOURCE);
    }
  }

  const status: JsonObject = {
    ...(spec.suspend === true ? {} : { startTime }),
    ...(completionTime ? { completionTime } : {}),
    active: active.length,
    ready: active.filter(podIsReady).length,
    succeeded,
    failed,
    terminating: 0,
    uncountedTerminatedPods: {},
    conditions,
  };
  writeStatus(
    context,
    JOBS,
    job,
    omitZero(status, ['active', 'succeeded', 'failed', 'conditions']),
    CONTROLLER_MANAGER,
  );
}
