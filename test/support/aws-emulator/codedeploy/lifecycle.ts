import { switchServiceTaskDefinition } from '../ecs/services/task-set-switch.ts';
import { HOOKABLE_EVENTS, isActive, type CodeDeployDeployment, type LifecycleEvent } from './model.ts';

/**
 * One step of an ECS blue/green deployment per tick: each lifecycle event in turn, with its effect —
 * Install creates the green task set, AllowTestTraffic points the test listener at it, AllowTraffic
 * moves production traffic (the service then runs green's task definition), and after the
 * termination wait the blue task set goes. Hooks answer what the test programmed (default
 * Succeeded); a failed hook fails the deployment and, with auto rollback, gives traffic back to blue.
 */

export interface LifecycleContext {
  tickMs: number;
  hookResult(functionName: string): 'Succeeded' | 'Failed';
  /** A rollback deployment undoing `deployment`, created by CodeDeploy itself. */
  startRollback(deployment: CodeDeployDeployment, at: number): void;
}

const MINUTE_MS = 60_000;

export function stepDeployment(
  deployment: CodeDeployDeployment,
  at: number,
  context: LifecycleContext,
): void {
  if (deployment.creator === 'codeDeployRollback') return stepRollback(deployment, at, context);
  if (deployment.waiting) return endWait(deployment, at, context);
  if (deployment.status === 'Created') {
    Object.assign(deployment, { status: 'InProgress', startedAt: at });
    deployment.nextStepAt = at + context.tickMs;
    return;
  }
  const event = deployment.events.find((candidate) => candidate.status === 'Pending');
  if (!event) return finish(deployment, at);
  event.startedAt = at;
  event.endedAt = at;
  if (!runEvent(deployment, event, at, context)) return;
  deployment.nextStepAt = at + context.tickMs;
  if (
    event.name === 'AfterAllowTestTraffic' &&
    deployment.group.readyOption.actionOnTimeout === 'STOP_DEPLOYMENT'
  ) {
    deployment.status = 'Ready';
    deployment.waiting = 'READY_WAIT';
    deployment.waitUntil = at + deployment.group.readyOption.waitTimeInMinutes * MINUTE_MS;
    deployment.nextStepAt = deployment.waitUntil;
  }
  if (event.name === 'AfterAllowTraffic' && deployment.group.terminationWaitTimeInMinutes > 0) {
    deployment.waiting = 'TERMINATION_WAIT';
    deployment.instanceTerminationWaitTimeStarted = true;
    deployment.waitUntil = at + deployment.group.terminationWaitTimeInMinutes * MINUTE_MS;
    deployment.nextStepAt = deployment.waitUntil;
  }
}

/** Runs one event; false when it failed the deployment. */
function runEvent(
  deployment: CodeDeployDeployment,
  event: LifecycleEvent,
  at: number,
  context: LifecycleContext,
): boolean {
  if (HOOKABLE_EVENTS.includes(event.name)) {
    const hook = deployment.appSpec.hooks[event.name];
    if (hook === undefined) {
      event.status = 'Skipped';
      return true;
    }
    if (context.hookResult(hook) === 'Succeeded') {
      event.status = 'Succeeded';
      return true;
    }
    event.status = 'Failed';
    event.diagnostics = {
      errorCode: 'ScriptFailed',
      scriptName: '',
      message: `The lifecycle event hook ${hook} returned Failed.`,
      logTail: '',
    };
    fail(
      deployment,
      at,
      {
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because a specified lifecycle event hook (${event.name}: ${hook}) failed.`,
      },
      context,
    );
    return false;
  }
  if (event.name === 'Install') {
    if (!deployment.green) {
      event.status = 'Failed';
      event.diagnostics = {
        errorCode: 'UnknownError',
        scriptName: '',
        message: 'TaskDefinition not found.',
        logTail: '',
      };
      fail(
        deployment,
        at,
        {
          code: 'ECS_UPDATE_ERROR',
          message: `The ECS service cannot be updated due to an error. Error message: TaskDefinition not found: ${deployment.appSpec.taskDefinition}.`,
        },
        context,
      );
      return false;
    }
  }
  if (event.name === 'AllowTestTraffic') deployment.test = 100;
  if (event.name === 'AllowTraffic') {
    deployment.production = 100;
    switchServiceTaskDefinition(deployment.service, deployment.green!, at);
  }
  event.status = 'Succeeded';
  return true;
}

function endWait(deployment: CodeDeployDeployment, at: number, context: LifecycleContext): void {
  const waiting = deployment.waiting;
  deployment.waiting = undefined;
  deployment.waitUntil = undefined;
  if (waiting === 'READY_WAIT') {
    // Nobody continued it in time: CodeDeploy stops it (STOP_DEPLOYMENT's timeout).
    stop(
      deployment,
      at,
      {
        code: 'TIMEOUT',
        message: `The deployment was stopped because traffic was not rerouted within ${deployment.group.readyOption.waitTimeInMinutes} minutes.`,
      },
      context,
      deployment.group.autoRollback,
    );
    return;
  }
  finish(deployment, at);
}

function finish(deployment: CodeDeployDeployment, at: number): void {
  Object.assign(deployment, { status: 'Succeeded', completedAt: at, nextStepAt: undefined });
}

function fail(
  deployment: CodeDeployDeployment,
  at: number,
  error: { code: string; message: string },
  context: LifecycleContext,
): void {
  end(deployment, 'Failed', at, error);
  if (deployment.group.autoRollback) context.startRollback(deployment, at);
}

/** Stopped, by StopDeployment or by the ready wait's timeout; with rollback, traffic goes back to blue. */
export function stop(
  deployment: CodeDeployDeployment,
  at: number,
  error: { code: string; message: string },
  context: LifecycleContext,
  rollback: boolean,
): void {
  end(deployment, 'Stopped', at, error);
  if (rollback) context.startRollback(deployment, at);
}

function end(
  deployment: CodeDeployDeployment,
  status: 'Failed' | 'Stopped',
  at: number,
  error: { code: string; message: string },
): void {
  for (const event of deployment.events) {
    if (event.status === 'Pending') event.status = 'Skipped';
  }
  Object.assign(deployment, {
    status,
    completedAt: at,
    nextStepAt: undefined,
    waiting: undefined,
    waitUntil: undefined,
    errorInformation: error,
  });
}

/** A rollback: InProgress for one tick, then traffic back on blue and the green task set gone. */
function stepRollback(deployment: CodeDeployDeployment, at: number, context: LifecycleContext): void {
  if (deployment.status === 'Created') {
    Object.assign(deployment, { status: 'InProgress', startedAt: at, nextStepAt: at + context.tickMs });
    return;
  }
  const undone = deployment.rollbackOf!;
  undone.production = 0;
  undone.test = 0;
  switchServiceTaskDefinition(deployment.service, deployment.blue, at);
  for (const event of deployment.events) {
    event.status = 'Succeeded';
    event.startedAt = event.endedAt = at;
  }
  finish(deployment, at);
}

export function isWaiting(
  deployment: CodeDeployDeployment,
  type: 'READY_WAIT' | 'TERMINATION_WAIT',
): boolean {
  return isActive(deployment) && deployment.waiting === type;
}
