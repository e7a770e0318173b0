import { Deadline } from '../async/deadline.ts';
import * as log from '../runner/log.ts';
import { classifyThrottling, codeDeployCall, errorCode, type CodeDeploy } from './client.ts';
import { DeploymentWatch } from './watch.ts';

/**
 * StopDeployment with auto rollback, and the wait until the original task set serves again: the
 * stopped deployment's rollback deployment (rollbackInfo.rollbackDeploymentId) succeeds. Retried only
 * when throttled: another failure may or may not have stopped it, so it is reported as it is.
 */

export interface StopResult {
  /** The original task set serves again (the rollback deployment succeeded, or traffic never moved). */
  restored: boolean;
  /** The stopped deployment's final status. */
  status: string;
  rollbackDeploymentId: string | undefined;
  detail: string;
  events: string[];
}

export async function stopWithRollback(
  cd: CodeDeploy,
  deploymentId: string,
  options: { pollIntervalMs: number; timeoutMs: number; wait: boolean; signal: AbortSignal },
): Promise<StopResult> {
  const deadline = new Deadline(options.timeoutMs, `deployment ${deploymentId} to stop and roll back`);
  try {
    await codeDeployCall(
      'StopDeployment',
      () =>
        cd.writer.send(new cd.sdk.StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }), {
          abortSignal: options.signal,
        }),
      { deadline, signal: options.signal, classify: classifyThrottling },
    );
    log.info(`Stopped CodeDeploy deployment ${deploymentId} with auto rollback.`);
  } catch (error) {
    // Ended meanwhile (failed and rolled back, or succeeded): what it became is read below.
    if (errorCode(error) !== 'DeploymentAlreadyCompletedException') throw error;
    log.info(`CodeDeploy deployment ${deploymentId} had already ended.`);
  }
  if (!options.wait) {
    return {
      restored: false,
      status: 'Stopping',
      rollbackDeploymentId: undefined,
      detail: 'stop requested',
      events: [],
    };
  }
  const watch = new DeploymentWatch(cd, {
    deploymentId,
    pollIntervalMs: options.pollIntervalMs,
    deadline,
    signal: options.signal,
  });
  const stopped = await watch.until(
    (info) => info.status === 'Stopped' || info.status === 'Failed' || info.status === 'Succeeded',
    'stop',
  );
  const status = stopped.info.status ?? 'unknown';
  if (stopped.verdict === 'timed-out') {
    return {
      restored: false,
      status,
      rollbackDeploymentId: undefined,
      detail: stopped.reason ?? 'timed out',
      events: stopped.events,
    };
  }
  if (status === 'Succeeded') {
    return {
      restored: false,
      status,
      rollbackDeploymentId: undefined,
      detail: 'it had already succeeded',
      events: stopped.events,
    };
  }
  return {
    ...(await waitForRollback(cd, stopped.info.rollbackInfo?.rollbackDeploymentId, deadline, options)),
    status,
    events: stopped.events,
  };
}

/** The rollback deployment CodeDeploy started for a stopped or failed deployment, to its end. */
export async function waitForRollback(
  cd: CodeDeploy,
  rollbackDeploymentId: string | undefined,
  deadline: Deadline,
  options: { pollIntervalMs: number; signal: AbortSignal },
): Promise<{ restored: boolean; rollbackDeploymentId: string | undefined; detail: string }> {
  if (!rollbackDeploymentId) {
    return { restored: false, rollbackDeploymentId, detail: 'CodeDeploy started no rollback deployment' };
  }
  log.info(
    `Waiting for rollback deployment ${rollbackDeploymentId}: the original task set serves again when it succeeds.`,
  );
  const watch = new DeploymentWatch(cd, {
    deploymentId: rollbackDeploymentId,
    pollIntervalMs: options.pollIntervalMs,
    deadline,
    signal: options.signal,
  });
  const result = await watch.until((info) => info.status === 'Succeeded', 'finish the rollback');
  return {
    restored: result.verdict === 'reached',
    rollbackDeploymentId,
    detail:
      result.verdict === 'reached'
        ? `rollback deployment ${rollbackDeploymentId} succeeded`
        : `rollback deployment ${rollbackDeploymentId} ${result.verdict}: ${result.reason ?? result.info.status}`,
  };
}
