import { randomInt, randomUUID } from 'node:crypto';
import type { CircuitBreaker, EcsDeployment, EcsService, EcsTask, EcsTaskDefinition } from '../model.ts';
import { requestStop } from '../tasks/lifecycle.ts';

/**
 * The service scheduler's rolling update (the `ECS` deployment controller), one step per tick:
 * launch the PRIMARY deployment's tasks within `maximumPercent`, stop older deployments' tasks while
 * `minimumHealthyPercent` stays running, retire drained deployments, and call the rollout COMPLETED
 * once only the PRIMARY is left with all its tasks running through the steady period. Tasks that
 * exit or fail to start count as failures; with the circuit breaker on, enough of them make the
 * rollout FAILED (and roll back to the last completed deployment when asked).
 */

export interface SchedulerContext {
  /** Every task the service has started, stopped ones included. */
  tasksOf(service: EcsService): EcsTask[];
  launch(service: EcsService, deployment: EcsDeployment, at: number): EcsTask;
  /** How long a task must stay RUNNING to count as healthy, and a rollout as steady. */
  steadyMs: number;
}

const MAX_EVENTS = 100;

export function newDeployment(
  service: Pick<EcsService, 'desiredCount' | 'launchType' | 'platformVersion' | 'networkConfiguration'>,
  taskDefinition: EcsTaskDefinition,
  at: number,
  reason?: string,
): EcsDeployment {
  const id = `ecs-svc/${Array.from({ length: 19 }, (_, index) => randomInt(index === 0 ? 1 : 0, 10)).join('')}`;
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    consecutiveFailures: 0,
    launchType: service.launchType,
    ...(service.platformVersion !== undefined && { platformVersion: service.platformVersion }),
    ...(service.networkConfiguration && { networkConfiguration: service.networkConfiguration }),
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
    createdAt: at,
    updatedAt: at,
  };
}

function addEvent(service: EcsService, message: string, at: number): void {
  service.events.unshift({
    id: randomUUID(),
    createdAt: at,
    message: `(service ${service.name}) ${message}`,
  });
  service.events.length = Math.min(service.events.length, MAX_EVENTS);
}

export function stepService(service: EcsService, at: number, context: SchedulerContext): void {
  if (service.status === 'INACTIVE') return;
  const tasks = context.tasksOf(service);
  countOutcomes(service, tasks, at, context.steadyMs);
  tripCircuitBreaker(service, at);
  tasks.push(...launch(service, tasks, at, context));
  drain(service, tasks, at);
  service.deployments = service.deployments.filter(
    (deployment) =>
      deployment.status === 'PRIMARY' ||
      tasks.some((task) => task.deployment === deployment && task.lastStatus !== 'STOPPED'),
  );
  updateCounts(service, tasks, at);
  complete(service, tasks, at, context.steadyMs);
  if (service.status === 'DRAINING' && tasks.every((task) => task.lastStatus === 'STOPPED')) {
    service.status = 'INACTIVE';
  }
}

/** Nothing the scheduler does next tick would change anything: time can skip ahead. */
export function serviceIsSettled(service: EcsService, tasks: EcsTask[]): boolean {
  if (service.status === 'INACTIVE') return true;
  const primary = service.deployments[0]!;
  return (
    service.status === 'ACTIVE' &&
    service.deployments.length === 1 &&
    primary.rolloutState !== 'IN_PROGRESS' &&
    tasks.every((task) => (task.desiredStatus === 'STOPPED' ? task.endCounted : task.healthCounted)) &&
    (primary.rolloutState === 'FAILED' || live(tasks, primary).length === primary.desiredCount)
  );
}

function countOutcomes(service: EcsService, tasks: EcsTask[], at: number, steadyMs: number): void {
  const resets = service.deployment.circuitBreaker.resetOnHealthyTask !== false;
  for (const task of tasks) {
    const deployment = task.deployment!;
    if (!task.healthCounted && isHealthy(task, at, steadyMs)) {
      task.healthCounted = true;
      if (resets) deployment.consecutiveFailures = 0;
    }
    if (!task.endCounted && task.desiredStatus === 'STOPPED') {
      task.endCounted = true;
      if (task.stopCode === 'EssentialContainerExited' || task.stopCode === 'TaskFailedToStart') {
        deployment.failedTasks += 1;
        deployment.consecutiveFailures += 1;
        deployment.updatedAt = at;
      }
    }
  }
}

function tripCircuitBreaker(service: EcsService, at: number): void {
  const breaker = service.deployment.circuitBreaker;
  const primary = service.deployments[0]!;
  if (!breaker.enable || primary.rolloutState !== 'IN_PROGRESS') return;
  const failures = breaker.resetOnHealthyTask === false ? primary.failedTasks : primary.consecutiveFailures;
  if (failures < failureThreshold(breaker, service.desiredCount)) return;
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  primary.updatedAt = at;
  addEvent(service, `(deployment ${primary.id}) deployment failed: tasks failed to start.`, at);
  const target = service.lastCompleted;
  if (!breaker.rollback || !target) return;
  primary.status = 'ACTIVE';
  service.deployments.unshift(
    newDeployment(
      { ...service, ...target, desiredCount: service.desiredCount },
      target.taskDefinition,
      at,
      `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`,
    ),
  );
}

/** The documented threshold: by default half the desired count, at least 3 and at most 200. */
function failureThreshold(breaker: CircuitBreaker, desiredCount: number): number {
  const { type, value } = breaker.thresholdConfiguration ?? { type: 'BOUNDED_PERCENT', value: 50 };
  if (type === 'COUNT') return value;
  const share = Math.ceil((value * desiredCount) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, share) : Math.min(200, Math.max(3, share));
}

function launch(service: EcsService, tasks: EcsTask[], at: number, context: SchedulerContext): EcsTask[] {
  const primary = service.deployments[0]!;
  if (service.status !== 'ACTIVE' || primary.rolloutState === 'FAILED') return [];
  const ceiling = Math.floor((service.deployment.maximumPercent * service.desiredCount) / 100);
  const allLive = tasks.filter((task) => task.desiredStatus === 'RUNNING').length;
  const count = Math.min(primary.desiredCount - live(tasks, primary).length, ceiling - allLive);
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

function drain(service: EcsService, tasks: EcsTask[], at: number): void {
  const [primary, ...older] = service.deployments as [EcsDeployment, ...EcsDeployment[]];
  const floor = Math.ceil((service.deployment.minimumHealthyPercent * service.desiredCount) / 100);
  let healthy = tasks.filter(
    (task) => task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING',
  ).length;
  const stopped: EcsTask[] = [];
  const stop = (task: EcsTask): void => {
    if (
      requestStop(
        task,
        'ServiceSchedulerInitiated',
        `Scaling activity initiated by (deployment ${primary.id})`,
        at,
      )
    ) {
      stopped.push(task);
      if (task.lastStatus === 'RUNNING') healthy -= 1;
    }
  };
  // Tasks not running yet go first: stopping them costs no capacity.
  const notRunningFirst = (a: EcsTask, b: EcsTask): number =>
    Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING');
  const primaryLive = live(tasks, primary).sort(notRunningFirst);
  const surplus =
    service.status === 'DRAINING' ? primaryLive.length : primaryLive.length - primary.desiredCount;
  primaryLive.slice(0, Math.max(0, surplus)).forEach(stop);
  for (const deployment of older) {
    for (const task of live(tasks, deployment).sort(notRunningFirst)) {
      if (service.status === 'DRAINING' || task.lastStatus !== 'RUNNING' || healthy - 1 >= floor) stop(task);
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

function complete(service: EcsService, tasks: EcsTask[], at: number, steadyMs: number): void {
  const primary = service.deployments[0]!;
  if (primary.rolloutState !== 'IN_PROGRESS' || service.deployments.length > 1 || service.status !== 'ACTIVE')
    return;
  const mine = live(tasks, primary);
  if (mine.length !== primary.desiredCount || !mine.every((task) => isHealthy(task, at, steadyMs))) return;
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = at;
  service.lastCompleted = primary;
  addEvent(service, `(deployment ${primary.id}) deployment completed.`, at);
  addEvent(service, 'has reached a steady state.', at);
}

function live(tasks: EcsTask[], deployment: EcsDeployment): EcsTask[] {
  return tasks.filter((task) => task.deployment === deployment && task.desiredStatus === 'RUNNING');
}

function isHealthy(task: EcsTask, at: number, steadyMs: number): boolean {
  return (
    task.desiredStatus === 'RUNNING' &&
    task.lastStatus === 'RUNNING' &&
    task.startedAt !== undefined &&
    at - task.startedAt >= steadyMs
  );
}
