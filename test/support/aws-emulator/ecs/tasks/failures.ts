import type { TaskBehaviour } from './behaviour.ts';

/**
 * The ways a task fails that a deployment test needs, as `taskBehaviour` rules, with the reasons
 * ECS reports: `emulator.ecs.taskBehaviour({ image: 'web:2' }, imagePullFailure('web:2'))`.
 */

/** The image cannot be pulled: stopCode TaskFailedToStart, no exit code, CannotPullContainerError. */
export function imagePullFailure(image: string): TaskBehaviour {
  return {
    failToStart:
      `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: ` +
      `${image}: not found`,
  };
}

/** The essential container exits with `exitCode` (default 1) after `runMs`: EssentialContainerExited. */
export function essentialContainerExit(exitCode = 1, runMs?: number): TaskBehaviour {
  return { exitCode, ...(runMs !== undefined && { runMs }) };
}

/** The container health check fails: a service replaces the task, `Task failed container health checks`. */
export function healthCheckFailure(): TaskBehaviour {
  return { failHealthCheck: true };
}
