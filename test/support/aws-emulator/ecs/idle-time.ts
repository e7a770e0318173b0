import type { EcsCluster, EcsTask } from './model.ts';
import { lineDueAt } from './tasks/lifecycle.ts';

/**
 * Skipping simulated time that nothing happens in. A scheduler pass that changes nothing (same
 * fingerprint before and after) will change nothing on the following passes either, until one of
 * the timers below comes due: a task done pulling or done running, its next log line, its steady
 * period ending, a throttled launch, a bake time. So the clock can jump to the earliest of them,
 * and `clock.advance(15 * 60_000)` through a bake costs a handful of passes, not 45,000.
 */

export function fingerprint(tasks: Iterable<EcsTask>, clusters: Iterable<EcsCluster>): string {
  const parts: (string | number | undefined)[] = [];
  for (const task of tasks) {
    parts.push(task.version, task.linesWritten, Number(task.healthCounted), Number(task.endCounted));
  }
  for (const cluster of clusters) {
    for (const service of cluster.services.values()) {
      parts.push(service.status, service.events[0]?.id);
      for (const deployment of service.deployments) {
        parts.push(
          deployment.id,
          deployment.status,
          deployment.rolloutState,
          deployment.desiredCount,
          deployment.runningCount,
          deployment.pendingCount,
          deployment.failedTasks,
          deployment.consecutiveFailures,
          deployment.throttledUntil,
        );
      }
      for (const record of service.serviceDeployments.slice(0, 2)) {
        parts.push(record.status, record.lifecycleStage, record.productionTraffic, record.waitUntil);
      }
    }
  }
  return parts.join('|');
}

/** The earliest time after `at` at which a pass could change something; Infinity if never. */
export function nextTimer(
  tasks: Iterable<EcsTask>,
  clusters: Iterable<EcsCluster>,
  at: number,
  steadyMs: number,
): number {
  const due: number[] = [];
  for (const task of tasks) {
    if (task.desiredStatus !== 'RUNNING') continue;
    if (task.lastStatus === 'PENDING') due.push(task.pullStartedAt! + (task.plan.startMs ?? 0));
    if (task.lastStatus === 'RUNNING') {
      due.push(task.startedAt! + task.plan.runMs, lineDueAt(task));
      if (!task.healthCounted) due.push(task.startedAt! + steadyMs);
    }
  }
  for (const cluster of clusters) {
    for (const service of cluster.services.values()) {
      for (const deployment of service.deployments) due.push(deployment.throttledUntil ?? Infinity);
      due.push(service.serviceDeployments[0]?.waitUntil ?? Infinity);
    }
  }
  return Math.min(Infinity, ...due.filter((time) => time > at));
}
