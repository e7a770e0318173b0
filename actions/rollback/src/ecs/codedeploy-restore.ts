import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import type { CodeDeploy } from '../../../../shared/src/codedeploy/client.ts';
import { continueDeployment } from '../../../../shared/src/codedeploy/continue.ts';
import { createDeployment } from '../../../../shared/src/codedeploy/create.ts';
import { appSpecRevision, type DeployedAppSpec } from '../../../../shared/src/codedeploy/revision.ts';
import { ecsServiceAppSpec } from '../../../../shared/src/codedeploy/ecs-service-appspec.ts';
import { stopWithRollback, waitForRollback } from '../../../../shared/src/codedeploy/stop.ts';
import type { CodeDeployTarget } from '../../../../shared/src/codedeploy/target.ts';
import { DeploymentWatch, type WatchResult } from '../../../../shared/src/codedeploy/watch.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { CodeDeployHistory } from './codedeploy-history.ts';
import { shortName } from './task-definition-ref.ts';

/**
 * The rollback of a CODE_DEPLOY service, which refuses UpdateService. A deployment in flight is
 * stopped with auto rollback: CodeDeploy gives production traffic back to the original task set
 * (its own rollback deployment is waited for; one already running is only waited for). Otherwise a
 * new CodeDeploy deployment of the previous task definition: the live AppSpec (container name,
 * port, network and platform settings) with that task definition and without its hooks, which
 * validate the release being rolled out, not the one being returned to. A group that waits at Ready
 * is continued at once (rolling back is the decision to move production traffic); the wait ends
 * when production traffic is on the previous task definition (Succeeded, or the termination wait
 * started: the bad task set is kept by the group's own setting, not by Gantry).
 */

export type CodeDeployHow = 'codedeploy-stop' | 'codedeploy-deployment';

export interface CodeDeployRestore {
  how: CodeDeployHow;
  /** The deployment stopped, or the one created. */
  deploymentId: string;
  /** Undefined when not waited for. */
  tracked:
    { verdict: 'succeeded' | 'failed' | 'timed-out'; state: string; reason: string | undefined } | undefined;
}

export interface RestoreOptions {
  service: string;
  pollIntervalMs: number;
  timeoutMs: number;
  wait: boolean;
  signal: AbortSignal;
}

type InFlight = NonNullable<CodeDeployHistory['inFlight']>;

export async function stopInFlight(
  cd: CodeDeploy,
  inFlight: InFlight,
  options: RestoreOptions,
): Promise<CodeDeployRestore> {
  const { deploymentId } = inFlight;
  const how = 'codedeploy-stop';
  if (inFlight.isRollback) {
    log.info(`CodeDeploy is already rolling back with deployment ${deploymentId}: waiting for it.`);
    if (!options.wait) return { how, deploymentId, tracked: undefined };
    const deadline = new Deadline(options.timeoutMs, `rollback deployment ${deploymentId}`);
    const rollback = await waitForRollback(cd, deploymentId, deadline, options);
    return {
      how,
      deploymentId,
      tracked: {
        verdict: rollback.restored ? 'succeeded' : 'failed',
        state: rollback.restored ? 'Succeeded' : 'not restored',
        reason: rollback.restored ? undefined : rollback.detail,
      },
    };
  }
  const stopped = await stopWithRollback(cd, deploymentId, options);
  if (!options.wait) return { how, deploymentId, tracked: undefined };
  // Stopped before the traffic shift and no rollback deployment: production never left the original task set.
  const restored =
    stopped.restored ||
    (stopped.status === 'Stopped' && !inFlight.trafficMoved && stopped.rollbackDeploymentId === undefined);
  return {
    how,
    deploymentId,
    tracked: {
      verdict: restored ? 'succeeded' : 'failed',
      state: stopped.status,
      reason: restored ? undefined : stopped.detail,
    },
  };
}

export async function deployPrevious(
  cd: CodeDeploy,
  target: CodeDeployTarget,
  appSpec: Record<string, unknown>,
  taskDefinition: string,
  options: RestoreOptions,
): Promise<CodeDeployRestore> {
  const withoutHooks = { ...appSpec };
  delete withoutHooks.Hooks;
  const deadline = new Deadline(options.timeoutMs, `the CodeDeploy rollback of service ${options.service}`);
  const deploymentId = await createDeployment(
    cd,
    {
      applicationName: target.application,
      deploymentGroupName: target.group,
      revision: appSpecRevision(withoutHooks, taskDefinition),
      description: `Gantry rollback of service ${options.service} to ${shortName(taskDefinition)}`,
    },
    target,
    deadline,
    options.signal,
  );
  log.info(
    `Rolling back: created CodeDeploy deployment ${deploymentId} of ${shortName(taskDefinition)} (${target.application}/${target.group}): https://console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${cd.region}`,
  );
  const how = 'codedeploy-deployment';
  if (!options.wait) return { how, deploymentId, tracked: undefined };
  const watch = new DeploymentWatch(cd, {
    deploymentId,
    pollIntervalMs: options.pollIntervalMs,
    deadline,
    signal: options.signal,
  });
  const what = 'shift production traffic back';
  let result = await watch.until((info) => info.status === 'Ready' || trafficMoved(info), what);
  if (result.verdict === 'reached' && result.info.status === 'Ready') {
    await continueDeployment(cd, deploymentId, 'READY_WAIT', deadline, options.signal);
    log.info(`Deployment ${deploymentId} was Ready: continued, production traffic moves back.`);
    result = await watch.until(trafficMoved, what);
  }
  return { how, deploymentId, tracked: tracked(result) };
}

/** The AppSpec to reuse: the live one, else one built from the service's load balancer. */
export function rollbackAppSpec(
  live: DeployedAppSpec | undefined,
  loadBalancer: { containerName?: string; containerPort?: number } | undefined,
  where: string,
): Record<string, unknown> {
  if (live) return live.document;
  if (loadBalancer?.containerName && loadBalancer.containerPort) {
    return ecsServiceAppSpec({ name: loadBalancer.containerName, port: loadBalancer.containerPort });
  }
  throw new ActionError(
    `Cannot roll back through CodeDeploy: no succeeded deployment of ${where} has an AppSpec to reuse, and the service names no load balancer container and port.`,
  );
}

function trafficMoved(info: DeploymentInfo): boolean {
  return info.status === 'Succeeded' || info.instanceTerminationWaitTimeStarted === true;
}

function tracked(result: WatchResult): CodeDeployRestore['tracked'] {
  const status = result.info.status ?? 'unknown';
  const state =
    status === 'InProgress' && result.info.instanceTerminationWaitTimeStarted
      ? 'InProgress (traffic shifted; termination wait)'
      : status;
  if (result.verdict === 'reached') return { verdict: 'succeeded', state, reason: undefined };
  return {
    verdict: result.verdict === 'timed-out' ? 'timed-out' : 'failed',
    state,
    reason: result.reason,
  };
}
