import type { EcsDeployment, EcsService, EcsTask, ServiceDeployment } from '../model.ts';
import { requestStop } from '../tasks/lifecycle.ts';
import { addEvent } from './events.ts';
import {
  conclude,
  finish,
  isInFlight,
  setStatus,
  startRollback,
  USER_STOP_REASON,
} from './service-deployment.ts';
import { advanceStage, firstStage, holdsSources, launchesTarget, shiftsTraffic } from './strategies.ts';
import { countOutcomes, isHealthy, tripCircuitBreaker } from './task-outcomes.ts';

/**
 * The service scheduler (the `ECS` deployment controller), one pass per tick: count task outcomes,
 * move the current service deployment on, launch the PRIMARY deployment's tasks (within
 * `maximumPercent` for ROLLING; the full count beside the old ones for traffic-shifting
 * strategies), stop older deployments' tasks while `minimumHealthyPercent` stays running (held
 * until CLEAN_UP when shifting traffic), retire drained deployments, and call the rollout COMPLETED
 * once only the PRIMARY is left with all its tasks running through the steady period.
 */

export interface SchedulerContext {
  /** Every task the service has started, stopped ones included. */
  tasksOf(service: EcsService): EcsTask[];
  launch(service: EcsService, deployment: EcsDeployment, at: number): EcsTask;
  /** How long a task must stay RUNNING to count as healthy, and a rollout as steady. */
  steadyMs: number;
}

export function stepService(service: EcsService, at: number, context: SchedulerContext): void {
  if (service.status === 'INACTIVE') return;
  const tasks = context.tasksOf(service);
  const current = service.serviceDeployments[0];
  countOutcomes(service, tasks, at, context.steadyMs);
  tripCircuitBreaker(service, at);
  if (current) advance(current, tasks, at, context.steadyMs);
  tasks.push(...launch(service, tasks, at, context, current));
  drain(service, tasks, at, context.steadyMs, current);
  service.deployments = service.deployments.filter(
    (deployment) =>
      deployment.status === 'PRIMARY' ||
      tasks.some((task) => task.deployment === deployment && task.lastStatus !== 'STOPPED'),
  );
  updateCounts(service, tasks, at);
  complete(service, tasks, at, context.steadyMs, current);
  if (current) conclude(current, at);
  if (service.status === 'DRAINING' && tasks.every((task) => task.lastStatus === 'STOPPED')) {
    service.status = 'INACTIVE';
  }
}

function advance(current: ServiceDeployment, tasks: EcsTask[], at: number, steadyMs: number): void {
  switch (current.status) {
    case 'PENDING':
      setStatus(current, 'IN_PROGRESS', at);
      current.startedAt = at;
      if (shiftsTraffic(current)) firstStage(current, at);
      return;
    case 'ROLLBACK_REQUESTED':
      return startRollback(current, 'request', at);
    case 'STOP_REQUESTED':
      return finish(current, 'STOPPED', at, USER_STOP_REASON);
    case 'IN_PROGRESS': {
      if (!shiftsTraffic(current)) return;
      const mine = live(tasks, current.target);
      const ready =
        mine.length === current.target.desiredCount && mine.every((task) => isHealthy(task, at, steadyMs));
      return advanceStage(current, ready, at);
    }
    default:
      return;
  }
}

function launch(
  service: EcsService,
  tasks: EcsTask[],
  at: number,
  context: SchedulerContext,
  current: ServiceDeployment | undefined,
): EcsTask[] {
  const primary = service.deployments[0]!;
  if (service.status !== 'ACTIVE' || primary.rolloutState === 'FAILED') return [];
  if (primary.throttledUntil !== undefined && at < primary.throttledUntil) return [];
  const shifting = current !== undefined && shiftsTraffic(current) && isInFlight(current);
  if (shifting && current.target === primary && !launchesTarget(current)) return [];
  const missing = primary.desiredCount - live(tasks, primary).length;
  const ceiling = Math.floor((service.deployment.maximumPercent * service.desiredCount) / 100);
  const allLive = tasks.filter((task) => task.desiredStatus === 'RUNNING').length;
  // Blue/green, linear and canary bring up the whole new revision beside the old one.
  const count = shifting ? missing : Math.min(missing, ceiling - allLive);
  const started = Array.from({ length: Math.max(0, count) }, () => context.launch(service, primary, at));
  if (started.length > 0) {
    addEvent(
      service,
      `has started ${started.length} tasks: ${started.map((task) => `(task ${task.id})`).join(' ')}.`,
      at,
    );
  }
  return started;
}

function drain(
  service: EcsService,
  tasks: EcsTask[],
  at: number,
  steadyMs: number,
  current: ServiceDeployment | undefined,
): void {
  const [primary, ...older] = service.deployments as [EcsDeployment, ...EcsDeployment[]];
  const floor = Math.ceil((service.deployment.minimumHealthyPercent * service.desiredCount) / 100);
  const holdOlder =
    current !== undefined && shiftsTraffic(current) && current.target === primary && holdsSources(current);
  // Only tasks through their steady period count toward minimumHealthyPercent, as ECS waits for health.
  let healthy = tasks.filter((task) => isHealthy(task, at, steadyMs)).length;
  const stopped: EcsTask[] = [];
  const stop = (task: EcsTask): void => {
    const counted = isHealthy(task, at, steadyMs);
    const reason = `Scaling activity initiated by (deployment ${primary.id})`;
    if (requestStop(task, 'ServiceSchedulerInitiated', reason, at)) {
      if (counted) healthy -= 1;
      stopped.push(task);
    }
  };
  // Tasks not running yet go first: stopping them costs no capacity.
  const notRunningFirst = (a: EcsTask, b: EcsTask): number =>
    Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING');
  const primaryLive = live(tasks, primary).sort(notRunningFirst);
  const surplus =
    service.status === 'DRAINING' ? primaryLive.length : primaryLive.length - primary.desiredCount;
  primaryLive.slice(0, Math.max(0, surplus)).forEach(stop);
  for (const deployment of holdOlder && service.status === 'ACTIVE' ? [] : older) {
    for (const task of live(tasks, deployment).sort(notRunningFirst)) {
      if (service.status === 'DRAINING' || !isHealthy(task, at, steadyMs) || healthy - 1 >= floor) stop(task);
    }
  }
  if (stopped.length > 0) {
    addEvent(
      service,
      `has stopped ${stopped.length} running tasks: ${stopped.map((task) => `(task ${task.id})`).join(' ')}.`,
      at,
    );
  }
}

function updateCounts(service: EcsService, tasks: EcsTask[], at: number): void {
  for (const deployment of service.deployments) {
    const mine = tasks.filter((task) => task.deployment === deployment);
    const running = mine.filter((task) => task.lastStatus === 'RUNNING').length;
    const pending = mine.filter(
      (task) =>
        task.desiredStatus === 'RUNNING' &&
        (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING'),
    ).length;
    // An older deployment's desired count falls as the scheduler scales it in.
    const desired =
      deployment.status === 'PRIMARY' ? deployment.desiredCount : live(tasks, deployment).length;
    if (
      running !== deployment.runningCount ||
      pending !== deployment.pendingCount ||
      desired !== deployment.desiredCount
    ) {
      Object.assign(deployment, {
        runningCount: running,
        pendingCount: pending,
        desiredCount: desired,
        updatedAt: at,
      });
    }
  }
}

function complete(
  service: EcsService,
  tasks: EcsTask[],
  at: number,
  steadyMs: number,
  current: ServiceDeployment | undefined,
): void {
  const primary = service.deployments[0]!;
  if (primary.rolloutState !== 'IN_PROGRESS' || service.deployments.length > 1 || service.status !== 'ACTIVE')
    return;
  // A traffic-shifting rollout completes only once it has been through its stages.
  if (current?.target === primary && current.status === 'IN_PROGRESS' && shiftsTraffic(current)) {
    if (current.lifecycleStage !== 'CLEAN_UP') return;
  }
  const mine = live(tasks, primary);
  if (mine.length !== primary.desiredCount || !mine.every((task) => isHealthy(task, at, steadyMs))) return;
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = at;
  service.lastCompleted = primary;
  addEvent(service, `(deployment ${primary.id}) deployment completed.`, at);
  addEvent(service, 'has reached a steady state.', at);
}

export function live(tasks: EcsTask[], deployment: EcsDeployment): EcsTask[] {
  return tasks.filter((task) => task.deployment === deployment && task.desiredStatus === 'RUNNING');
}
