import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { createEcs, type Ecs } from '../../../../shared/src/ecs/client.ts';
import { ActionError, ConfigurationError } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { StrategyInputs } from './strategy-inputs.ts';
import { imagesOf } from '../records.ts';
import { checkCluster, checkService, primaryDeployment } from '../service/target.ts';
import { deployedAppSpec } from '../../../../shared/src/codedeploy/revision.ts';
import {
  codeDeployCall,
  createCodeDeploy,
  errorCode,
  type CodeDeploy,
} from '../../../../shared/src/codedeploy/client.ts';
import type { StrategyState } from './deploy.ts';
import { continueDeployment } from '../../../../shared/src/codedeploy/continue.ts';
import { stopWithRollback, waitForRollback } from '../../../../shared/src/codedeploy/stop.ts';
import {
  activeDeployments,
  recentDeployments,
  resolveTarget,
  type CodeDeployTarget,
} from '../../../../shared/src/codedeploy/target.ts';
import { DeploymentWatch } from '../../../../shared/src/codedeploy/watch.ts';

/**
 * `action: promote` and `action: abort` on a CODE_DEPLOY service, from the same run as the deploy or
 * another one. The deployment is `codedeploy-deployment-id`, else the group's deployment in flight,
 * else (so that a repeated promote or abort is a notice, not an error) the group's newest one.
 *
 * promote: Ready -> ContinueDeployment READY_WAIT (production traffic moves to green); in the
 * termination wait (traffic moved, blue still up) -> ContinueDeployment TERMINATION_WAIT (blue goes
 * now); not Ready yet -> wait for Ready first. Then wait: `complete` until Succeeded, `ready` until
 * production traffic is on green (blue may stay up for the group's termination wait: an abort in
 * that window still switches back). abort: StopDeployment with auto rollback, then wait until the
 * rollback deployment succeeded, so the original task set serves again.
 */

export interface StrategyOutcome {
  deploymentId: string | undefined;
  target: CodeDeployTarget;
  status: string;
  strategyState: StrategyState;
  /** The deployment's task definition (the green one), and its images. */
  taskDefinitionArn: string | undefined;
  images: string[];
  /** What the service ran when the step started, and when it ended. */
  serviceBefore: string | undefined;
  serviceAfter: string | undefined;
  /** Production traffic had moved to green when the abort started. */
  trafficHadMoved: boolean;
  /** Promote or abort did something (not a notice about one already done). */
  acted: boolean;
  failure: string | undefined;
  events: string[];
  rollbackDeploymentId: string | undefined;
}

export async function runStrategy(
  inputs: StrategyInputs,
  signal: AbortSignal,
  beforeChange: (outcome: StrategyOutcome) => Promise<void>,
): Promise<StrategyOutcome> {
  const ecs = await createEcs(inputs.region);
  let cd: CodeDeploy | undefined;
  try {
    const before = await checkCodeDeployService(ecs, inputs, signal);
    cd = await createCodeDeploy(inputs.region);
    const target = await resolveTarget(
      cd,
      {
        application: inputs.codedeploy.application,
        group: inputs.codedeploy.group,
        cluster: inputs.cluster,
        service: inputs.service,
      },
      signal,
    );
    const info = await findDeployment(cd, inputs, target, signal);
    const appSpec = await deployedAppSpec(
      cd,
      info,
      new Deadline(60_000, `the AppSpec of ${info.deploymentId}`),
      signal,
    );
    const taskDefinitionArn = appSpec?.taskDefinition;
    const outcome: StrategyOutcome = {
      deploymentId: info.deploymentId,
      target,
      status: info.status ?? 'unknown',
      strategyState: '',
      taskDefinitionArn,
      images: taskDefinitionArn ? await imagesOf(ecs, taskDefinitionArn, signal) : [],
      serviceBefore: before,
      serviceAfter: before,
      trafficHadMoved: info.instanceTerminationWaitTimeStarted === true || info.status === 'Succeeded',
      acted: false,
      failure: undefined,
      events: [],
      rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
    };
    await (inputs.action === 'promote'
      ? promote(cd, inputs, info, outcome, beforeChange, signal)
      : abort(cd, inputs, info, outcome, beforeChange, signal));
    outcome.serviceAfter = primaryDeployment(
      await checkService(ecs, inputs.cluster, inputs.service, signal),
    ).taskDefinition;
    return outcome;
  } finally {
    cd?.destroy();
    ecs.client.destroy();
  }
}

/** The service exists and CodeDeploy deploys it; what it runs now. */
async function checkCodeDeployService(
  ecs: Ecs,
  inputs: StrategyInputs,
  signal: AbortSignal,
): Promise<string | undefined> {
  await checkCluster(ecs, inputs.cluster, signal);
  const service = await checkService(ecs, inputs.cluster, inputs.service, signal);
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'CODE_DEPLOY') {
    throw new ConfigurationError(
      `Input "action" is "${inputs.action}", which promotes or aborts a CodeDeploy deployment, and service ${inputs.service} uses the ${controller} deployment controller: accepted for it is "deploy" only. Nothing was changed.`,
      { input: 'action', hint: 'to return an ECS service to an earlier revision, use the rollback action' },
    );
  }
  return primaryDeployment(service).taskDefinition;
}

async function findDeployment(
  cd: CodeDeploy,
  inputs: StrategyInputs,
  target: CodeDeployTarget,
  signal: AbortSignal,
): Promise<DeploymentInfo> {
  const id = inputs.codedeploy.deploymentId;
  if (id !== undefined) {
    const { deploymentInfo } = await codeDeployCall(
      'GetDeployment',
      () => cd.client.send(new cd.sdk.GetDeploymentCommand({ deploymentId: id }), { abortSignal: signal }),
      { deadline: new Deadline(60_000, `deployment ${id}`), signal },
    ).catch((error: unknown) => {
      if (errorCode(error) === 'DeploymentDoesNotExistException') {
        throw new ActionError(
          `CodeDeploy deployment ${id} (input "codedeploy-deployment-id") does not exist in ${cd.region}.`,
        );
      }
      throw error;
    });
    if (
      deploymentInfo?.applicationName !== target.application ||
      deploymentInfo?.deploymentGroupName !== target.group
    ) {
      throw new ActionError(
        `CodeDeploy deployment ${id} belongs to ${deploymentInfo?.applicationName}/${deploymentInfo?.deploymentGroupName}, not to ${target.application}/${target.group} (service ${inputs.service}). Nothing was changed.`,
      );
    }
    return deploymentInfo;
  }
  // CodeDeploy's own rollback deployments are not what a user promotes or aborts: the deployment
  // they undo is (and its rollback is waited for).
  const ours = (info: DeploymentInfo): boolean => info.creator !== 'codeDeployRollback';
  const active = (await activeDeployments(cd, target, signal)).find(ours);
  if (active) return active;
  const newest = (await recentDeployments(cd, target, signal)).find(ours);
  if (newest) return newest;
  throw new ActionError(
    `Deployment group ${target.application}/${target.group} has no deployment to ${inputs.action}: deploy first (action: deploy).`,
  );
}

async function promote(
  cd: CodeDeploy,
  inputs: StrategyInputs,
  info: DeploymentInfo,
  outcome: StrategyOutcome,
  beforeChange: (outcome: StrategyOutcome) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const id = info.deploymentId as string;
  if (info.status === 'Succeeded') {
    log.notice(`CodeDeploy deployment ${id} has already succeeded: nothing to promote.`);
    outcome.strategyState = 'promoted';
    return;
  }
  if (info.status === 'Failed' || info.status === 'Stopped') {
    outcome.strategyState = 'aborted';
    outcome.failure = `CodeDeploy deployment ${id} ended ${info.status}: there is nothing to promote${info.errorInformation?.message ? ` (${info.errorInformation.message})` : ''}`;
    return;
  }
  const deadline = new Deadline(inputs.waitMs, `the promotion of deployment ${id}`);
  const watch = new DeploymentWatch(cd, {
    deploymentId: id,
    pollIntervalMs: inputs.pollIntervalMs,
    deadline,
    signal,
  });
  const ready = await watch.until(
    (current) => current.status === 'Ready' || current.instanceTerminationWaitTimeStarted === true,
    'reach Ready',
  );
  if (ready.verdict !== 'reached' || ready.info.status === 'Succeeded') {
    return settle(outcome, ready.info, ready.verdict === 'reached' ? undefined : ready.reason, watch.events);
  }
  outcome.acted = true;
  await beforeChange(outcome);
  const waitType = ready.info.status === 'Ready' ? 'READY_WAIT' : 'TERMINATION_WAIT';
  await continueDeployment(cd, id, waitType, deadline, signal);
  log.info(
    waitType === 'READY_WAIT'
      ? `Promoted ${id}: production traffic moves to ${outcome.taskDefinitionArn ?? 'the green task set'}.`
      : `Promoted ${id}: the original task set is terminated now rather than at the end of the termination wait.`,
  );
  const done = await watch.until(
    (current) =>
      current.status === 'Succeeded' ||
      (inputs.codedeploy.waitUntil === 'ready' && current.instanceTerminationWaitTimeStarted === true),
    inputs.codedeploy.waitUntil === 'ready' ? 'shift production traffic' : 'succeed',
  );
  settle(outcome, done.info, done.verdict === 'reached' ? undefined : done.reason, watch.events);
}

function settle(
  outcome: StrategyOutcome,
  info: DeploymentInfo,
  reason: string | undefined,
  events: string[],
): void {
  outcome.status = info.status ?? outcome.status;
  outcome.events = events;
  outcome.rollbackDeploymentId = info.rollbackInfo?.rollbackDeploymentId;
  if (reason === undefined) {
    outcome.strategyState = 'promoted';
    return;
  }
  outcome.failure = `CodeDeploy deployment ${outcome.deploymentId} did not complete its promotion: ${reason}`;
  if (info.status === 'Failed' || info.status === 'Stopped') outcome.strategyState = 'aborted';
}

async function abort(
  cd: CodeDeploy,
  inputs: StrategyInputs,
  info: DeploymentInfo,
  outcome: StrategyOutcome,
  beforeChange: (outcome: StrategyOutcome) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const id = info.deploymentId as string;
  if (info.status === 'Succeeded') {
    outcome.strategyState = 'promoted';
    outcome.failure = `CodeDeploy deployment ${id} has already succeeded: production traffic is on it, and there is nothing to abort; to go back, run the rollback action (it deploys the previous task definition through CodeDeploy) or deploy the previous revision`;
    return;
  }
  const options = { pollIntervalMs: inputs.pollIntervalMs, signal };
  if (info.status === 'Failed' || info.status === 'Stopped') {
    log.notice(`CodeDeploy deployment ${id} has already ended (${info.status}): nothing to abort.`);
    const rollback = await waitForRollback(
      cd,
      info.rollbackInfo?.rollbackDeploymentId,
      new Deadline(inputs.waitMs, `the rollback of deployment ${id}`),
      options,
    );
    outcome.strategyState = 'aborted';
    outcome.rollbackDeploymentId = rollback.rollbackDeploymentId;
    return;
  }
  outcome.acted = true;
  await beforeChange(outcome);
  const stopped = await stopWithRollback(cd, id, { ...options, timeoutMs: inputs.waitMs, wait: true });
  outcome.status = stopped.status;
  outcome.events = stopped.events;
  outcome.rollbackDeploymentId = stopped.rollbackDeploymentId;
  // A deployment stopped before the traffic shift left production on the original task set.
  const restored = stopped.restored || (!outcome.trafficHadMoved && stopped.status === 'Stopped');
  if (restored) {
    outcome.strategyState = 'aborted';
    log.info(`Aborted ${id}: ${stopped.detail}; the original task set serves production traffic.`);
    return;
  }
  outcome.failure = `Abort of CodeDeploy deployment ${id} did not finish: ${stopped.detail} (status ${stopped.status})`;
}
