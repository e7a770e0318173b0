import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AwsLogsDriver } from './awslogs.ts';
import type { TaskBehaviours } from './behaviour.ts';
import {
  ecsArn,
  type EcsCluster,
  type EcsContainer,
  type EcsDeployment,
  type EcsService,
  type EcsTask,
  type EcsTaskDefinition,
  type StopCode,
  type TaskStatus,
} from '../model.ts';
import type { JsonObject } from '../../core/protocol.ts';

/**
 * A task's life, one step per tick: PROVISIONING → PENDING → RUNNING → DEPROVISIONING → STOPPED,
 * or from PENDING straight to DEPROVISIONING when it fails to start. The decision to stop
 * (`desiredStatus` STOPPED, `stopCode`, `stoppedReason`, containers' exit codes) is visible one tick
 * before `lastStatus` is STOPPED, as on Fargate, where a stopping task lingers a while.
 */

/** A container that ECS stops (StopTask, the scheduler, an essential sibling's exit) ends by SIGTERM. */
const SIGTERM_EXIT_CODE = 143;

export interface TaskLaunch {
  cluster: EcsCluster;
  taskDefinition: EcsTaskDefinition;
  region: string;
  accountId: string;
  launchType: string;
  group: string;
  startedBy?: string;
  overrides: JsonObject;
  networkConfiguration?: JsonObject;
  tags: JsonObject[];
  service?: EcsService;
  deployment?: EcsDeployment;
}

export function createTask(
  launch: TaskLaunch,
  behaviours: TaskBehaviours,
  timing: { now: number; tickMs: number },
): EcsTask {
  const id = randomBytes(16).toString('hex');
  const commandOverrides = new Map(
    ((launch.overrides.containerOverrides ?? []) as JsonObject[]).map((override) => [
      override.name,
      override.command,
    ]),
  );
  const containers: EcsContainer[] = launch.taskDefinition.containers.map((spec) => {
    const override = commandOverrides.get(spec.name);
    const command = Array.isArray(override) ? (override as string[]) : spec.command;
    return {
      spec,
      arn: ecsArn(launch.region, launch.accountId, `container/${launch.cluster.name}/${id}/${randomUUID()}`),
      runtimeId: `${id}-${randomInt(1_000_000_000, 9_999_999_999)}`,
      ...(command !== undefined && { command }),
    };
  });
  return {
    id,
    arn: ecsArn(launch.region, launch.accountId, `task/${launch.cluster.name}/${id}`),
    cluster: launch.cluster,
    taskDefinition: launch.taskDefinition,
    region: launch.region,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: launch.launchType,
    group: launch.group,
    ...(launch.startedBy !== undefined && { startedBy: launch.startedBy }),
    overrides: launch.overrides,
    ...(launch.networkConfiguration && { networkConfiguration: launch.networkConfiguration }),
    tags: launch.tags,
    containers,
    plan: behaviours.plan(launch.taskDefinition, containers, {
      runMs: timing.tickMs,
      startedByService: launch.service !== undefined,
    }),
    linesWritten: 0,
    healthStatus: 'UNKNOWN',
    logStreams: new Map(),
    privateIp: `10.0.${randomInt(0, 256)}.${randomInt(1, 255)}`,
    version: 1,
    createdAt: timing.now,
    ...(launch.service && { service: launch.service, deployment: launch.deployment }),
  };
}

/** Asks a task to stop; false when it is already stopping. */
export function requestStop(task: EcsTask, stopCode: StopCode, reason: string, at: number): boolean {
  if (task.desiredStatus === 'STOPPED') return false;
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = at;
  task.version += 1;
  return true;
}

export function stepTask(task: EcsTask, at: number, awslogs: AwsLogsDriver): void {
  switch (task.lastStatus) {
    case 'PROVISIONING':
      if (task.desiredStatus === 'STOPPED') return moveTo(task, 'DEPROVISIONING');
      task.pullStartedAt = at;
      return moveTo(task, 'PENDING');
    case 'PENDING': {
      if (task.desiredStatus === 'STOPPED') return moveTo(task, 'DEPROVISIONING');
      if (at < task.pullStartedAt! + (task.plan.startMs ?? 0)) return;
      const failure = task.plan.failToStart ?? awslogs.start(task);
      if (failure !== undefined) {
        requestStop(task, 'TaskFailedToStart', failure, at);
        for (const container of task.containers) container.reason = failure;
        task.executionStoppedAt = at;
        return moveTo(task, 'DEPROVISIONING');
      }
      task.pullStoppedAt = at;
      task.startedAt = at;
      if (task.containers.some((container) => container.spec.essential && container.spec.healthCheck)) {
        task.healthStatus = 'HEALTHY';
      }
      moveTo(task, 'RUNNING');
      return writeDueLines(task, at, awslogs);
    }
    case 'RUNNING': {
      writeDueLines(task, at, awslogs);
      // The health check's first verdict comes one tick after the start.
      if (task.plan.failHealthCheck && task.healthStatus !== 'UNHEALTHY') {
        task.healthStatus = 'UNHEALTHY';
        task.version += 1;
      }
      const startedAt = task.startedAt ?? at;
      if (task.desiredStatus === 'RUNNING' && at < startedAt + task.plan.runMs) return;
      if (task.desiredStatus === 'RUNNING') {
        writeDueLines(task, Infinity, awslogs);
        requestStop(task, 'EssentialContainerExited', 'Essential container in task exited', at);
        task.containers[task.plan.actor]!.exitCode = task.plan.exitCode;
      }
      for (const container of task.containers) container.exitCode ??= SIGTERM_EXIT_CODE;
      task.executionStoppedAt = at;
      return moveTo(task, 'DEPROVISIONING');
    }
    case 'DEPROVISIONING':
      task.stoppedAt = at;
      return moveTo(task, 'STOPPED');
    case 'STOPPED':
      return;
  }
}

/** When line `index` of a running task's output is printed: line i of n at `runMs * i / n` after the start. */
function dueAt(task: EcsTask, index: number): number {
  const { logLines, runMs } = task.plan;
  return task.startedAt! + (Number.isFinite(runMs) ? Math.floor((runMs * index) / logLines.length) : 0);
}

/** When its next log line is due; Infinity once all are written. */
export function lineDueAt(task: EcsTask): number {
  return task.linesWritten < task.plan.logLines.length ? dueAt(task, task.linesWritten) : Infinity;
}

/** Writes the log lines due by `until`. */
function writeDueLines(task: EcsTask, until: number, awslogs: AwsLogsDriver): void {
  const { logLines, actor } = task.plan;
  const lines: { timestamp: number; message: string }[] = [];
  while (task.linesWritten < logLines.length && dueAt(task, task.linesWritten) <= until) {
    lines.push({ timestamp: dueAt(task, task.linesWritten), message: logLines[task.linesWritten]! });
    task.linesWritten += 1;
  }
  awslogs.write(task, task.containers[actor]!, lines);
}

function moveTo(task: EcsTask, status: TaskStatus): void {
  task.lastStatus = status;
  task.version += 1;
}
