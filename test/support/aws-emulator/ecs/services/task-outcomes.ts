import type { CircuitBreaker, EcsDeployment, EcsService, EcsTask } from '../model.ts';
import { requestStop } from '../tasks/lifecycle.ts';
import { addEvent } from './events.ts';
import { BREAKER_REASON, finish, isInFlight, startRollback } from './service-deployment.ts';

/**
 * What the scheduler learns from its tasks each pass: a task that stays up through the steady
 * period is healthy; one whose container health check fails is replaced; one that exits, fails to
 * start or fails its health check is a failure of its deployment. The deployment circuit breaker
 * counts those failures against ECS's threshold and fails the rollout (rolling back if asked).
 */

export const UNHEALTHY_REASON = 'Task failed container health checks';
const THROTTLE_AFTER = 3;

export function countOutcomes(service: EcsService, tasks: EcsTask[], at: number, steadyMs: number): void {
  const resets = service.deployment.circuitBreaker.resetOnHealthyTask !== false;
  const replaced: EcsTask[] = [];
  for (const task of tasks) {
    const deployment = task.deployment!;
    if (
      task.healthStatus === 'UNHEALTHY' &&
      requestStop(task, 'ServiceSchedulerInitiated', UNHEALTHY_REASON, at)
    ) {
      addEvent(service, `(task ${task.id}) failed container health checks.`, at);
      replaced.push(task);
    }
    if (!task.healthCounted && isHealthy(task, at, steadyMs)) {
      task.healthCounted = true;
      if (resets) deployment.consecutiveFailures = 0;
    }
    if (!task.endCounted && task.desiredStatus === 'STOPPED') {
      task.endCounted = true;
      if (
        task.stopCode === 'EssentialContainerExited' ||
        task.stopCode === 'TaskFailedToStart' ||
        task.healthStatus === 'UNHEALTHY'
      ) {
        deployment.failedTasks += 1;
        deployment.consecutiveFailures += 1;
        deployment.updatedAt = at;
        throttle(service, deployment, at, steadyMs);
      }
    }
  }
  if (replaced.length > 0) {
    const names = replaced.map((task) => `(task ${task.id})`).join(' ');
    addEvent(service, `has stopped ${replaced.length} running tasks: ${names}.`, at);
  }
}

/**
 * ECS's service throttle: after repeated failures to start, the scheduler waits longer and longer
 * between launches (doubling, here up to 16 steady periods), so a broken deployment without a
 * circuit breaker retries slowly instead of churning tasks.
 */
function throttle(service: EcsService, deployment: EcsDeployment, at: number, steadyMs: number): void {
  const beyond = deployment.consecutiveFailures - THROTTLE_AFTER;
  if (beyond < 0) return;
  deployment.throttledUntil = at + Math.min(2 ** beyond, 16) * steadyMs;
  if (beyond === 0) {
    addEvent(
      service,
      'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
      at,
    );
  }
}

export function tripCircuitBreaker(service: EcsService, at: number): void {
  const breaker = service.deployment.circuitBreaker;
  const primary = service.deployments[0]!;
  if (!breaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
  const failures = breaker.resetOnHealthyTask === false ? primary.failedTasks : primary.consecutiveFailures;
  if (failures < failureThreshold(breaker, service.desiredCount)) return;
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = BREAKER_REASON;
  primary.updatedAt = at;
  addEvent(service, `(deployment ${primary.id}) deployment failed: tasks failed to start.`, at);
  const record = service.serviceDeployments.find(
    (candidate) => candidate.target === primary || candidate.rollback?.to === primary,
  );
  if (!record || !isInFlight(record)) return;
  record.breakerTriggered = true;
  if (record.rollback?.to === primary) finish(record, 'ROLLBACK_FAILED', at, BREAKER_REASON);
  else if (breaker.rollback) startRollback(record, 'circuit breaker', at);
  else finish(record, 'STOPPED', at, BREAKER_REASON);
}

/**
 * The threshold as ECS documents it: by default (BOUNDED_PERCENT 50) half the desired count, at
 * least 3 and at most 200; UNBOUNDED_PERCENT without the bounds; COUNT as given.
 */
export function failureThreshold(breaker: CircuitBreaker, desiredCount: number): number {
  const { type, value } = breaker.thresholdConfiguration ?? { type: 'BOUNDED_PERCENT', value: 50 };
  if (type === 'COUNT') return value;
  const share = Math.ceil((value * desiredCount) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, share) : Math.min(200, Math.max(3, share));
}

export function isHealthy(task: EcsTask, at: number, steadyMs: number): boolean {
  return (
    task.desiredStatus === 'RUNNING' &&
    task.lastStatus === 'RUNNING' &&
    task.healthStatus !== 'UNHEALTHY' &&
    task.startedAt !== undefined &&
    at - task.startedAt >= steadyMs
  );
}
