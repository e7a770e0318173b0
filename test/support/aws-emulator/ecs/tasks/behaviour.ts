import type { EcsContainer, EcsTaskDefinition, TaskPlan } from '../model.ts';

/**
 * What simulated tasks do, as tests set it: which exit code a task's container ends with, after how
 * long, what it writes to its log, or that it never starts. Rules match by task definition family,
 * container image or container command; the newest matching rule wins, and each rule returns the function that
 * removes it. A task no rule matches exits 0 after one tick when run with RunTask, and keeps running
 * (a server) when a service started it.
 */

export interface TaskMatcher {
  /** The task definition's family: equal to a string, or matching a RegExp. */
  family?: string | RegExp;
  /** A container's image: equal to a string, or matching a RegExp (a deployment's broken new image). */
  image?: string | RegExp;
  /**
   * A container's command (the override's, else the definition's) joined with spaces: containing a
   * string, or matching a RegExp.
   */
  command?: string | RegExp;
}

export interface TaskBehaviour {
  /** The exit code of the container; default 0. */
  exitCode?: number;
  /** How long it runs once RUNNING; default one tick (a service's task: until stopped, unless `exitCode` is set). */
  runMs?: number;
  /** What it writes, spread evenly over `runMs`, to its awslogs stream. */
  logLines?: string[];
  /** It never starts: the task stops with TaskFailedToStart and this reason (e.g. `CannotPullContainerError: ...`). */
  failToStart?: string;
  /**
   * Its container health check fails once it runs (healthStatus UNHEALTHY): a service's scheduler
   * stops it with `Task failed container health checks`. It runs until stopped unless `runMs` says.
   */
  failHealthCheck?: boolean;
  /** How long it stays PENDING (pulling its image) before it runs or fails to start; Infinity: forever. */
  startMs?: number;
  /**
   * RunTask cannot place it: the call answers with this `failures[].reason` and no task
   * (`RESOURCE:MEMORY`, `Capacity is unavailable at this time...`). RunTask only.
   */
  placementFailure?: string;
}

export class TaskBehaviours {
  private readonly rules: { match: TaskMatcher; behaviour: TaskBehaviour }[] = [];

  add(match: TaskMatcher, behaviour: TaskBehaviour): () => void {
    const rule = { match, behaviour };
    this.rules.unshift(rule);
    return () => {
      const index = this.rules.indexOf(rule);
      if (index !== -1) this.rules.splice(index, 1);
    };
  }

  /** The plan of a task being launched: from the newest matching rule, else the defaults. */
  plan(
    definition: EcsTaskDefinition,
    containers: EcsContainer[],
    defaults: { runMs: number; startedByService: boolean },
  ): TaskPlan {
    const essential = Math.max(
      0,
      containers.findIndex((container) => container.spec.essential),
    );
    for (const { match, behaviour } of this.rules) {
      if (match.family !== undefined && !matches(match.family, definition.family, 'equal')) continue;
      // The container that matched is the one the behaviour applies to; by family, the essential one.
      const actor =
        match.image === undefined && match.command === undefined
          ? essential
          : containers.findIndex(
              (container) =>
                (match.image === undefined || matches(match.image, container.spec.image, 'equal')) &&
                (match.command === undefined ||
                  (container.command !== undefined &&
                    matches(match.command, container.command.join(' '), 'contain'))),
            );
      if (actor === -1) continue;
      return {
        actor,
        exitCode: behaviour.exitCode ?? 0,
        // A service's task is a server: it exits only when the rule gives it an exit code or a run time.
        runMs:
          behaviour.runMs ??
          (behaviour.failHealthCheck || (defaults.startedByService && behaviour.exitCode === undefined)
            ? Infinity
            : defaults.runMs),
        logLines: behaviour.logLines ?? [],
        ...(behaviour.failToStart !== undefined && { failToStart: behaviour.failToStart }),
        ...(behaviour.failHealthCheck === true && { failHealthCheck: true }),
        ...(behaviour.startMs !== undefined && { startMs: behaviour.startMs }),
        ...(behaviour.placementFailure !== undefined && { placementFailure: behaviour.placementFailure }),
      };
    }
    return {
      actor: essential,
      exitCode: 0,
      runMs: defaults.startedByService ? Infinity : defaults.runMs,
      logLines: [],
    };
  }
}

function matches(matcher: string | RegExp, value: string, mode: 'equal' | 'contain'): boolean {
  if (typeof matcher !== 'string') return matcher.test(value);
  return mode === 'equal' ? value === matcher : value.includes(matcher);
}
