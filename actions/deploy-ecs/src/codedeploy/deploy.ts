import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { ServiceActivity } from '../../../../shared/src/ecs/service-activity.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { DeployEcsInputs } from '../inputs.ts';
import type { DeployOutcome } from '../service/deploy.ts';
import type { AppSpecDocument } from './appspec.ts';
import { appSpecRevision } from '../../../../shared/src/codedeploy/revision.ts';
import type { CodeDeploy } from '../../../../shared/src/codedeploy/client.ts';
import { createDeployment } from '../../../../shared/src/codedeploy/create.ts';
import { markCodeDeployFinished, markCodeDeployInFlight } from './post-state.ts';
import { stopWithRollback, waitForRollback } from '../../../../shared/src/codedeploy/stop.ts';
import type { CodeDeployTarget } from '../../../../shared/src/codedeploy/target.ts';
import { DeploymentWatch, type WatchResult } from '../../../../shared/src/codedeploy/watch.ts';

/**
 * A deploy to a CODE_DEPLOY service: CreateDeployment with the AppSpec (the task definition filled
 * in), then the wait to `codedeploy-wait-until`: `ready` ends when the deployment waits in Ready (the
 * test listener serves the green task set, production still blue), `complete` when it succeeded.
 * A failed or stopped deployment fails the step at once; CodeDeploy's own rollback (the group's
 * auto rollback) is waited for. A timeout or a cancelled job stops it with auto rollback when
 * rollback-on-failure is set.
 */

export type StrategyState = 'pending' | 'promoted' | 'aborted' | '';

export interface CodeDeployOutcome {
  deploymentId: string | undefined;
  application: string;
  group: string;
  /** CodeDeploy's status when the step ended. */
  status: string;
  strategyState: StrategyState;
  /** `Event: Status` lines, in the order seen. */
  events: string[];
  rollbackDeploymentId: string | undefined;
}

export interface CodeDeployPlan {
  target: CodeDeployTarget;
  appSpec: AppSpecDocument;
}

export async function deployWithCodeDeploy(
  cd: CodeDeploy,
  inputs: DeployEcsInputs,
  plan: CodeDeployPlan,
  previousTaskDefinition: string | undefined,
  taskDefinitionArn: string,
  signal: AbortSignal,
): Promise<DeployOutcome> {
  const since = new Date();
  const { target } = plan;
  const codedeploy: CodeDeployOutcome = {
    deploymentId: undefined,
    application: target.application,
    group: target.group,
    status: '',
    strategyState: '',
    events: [],
    rollbackDeploymentId: undefined,
  };
  const outcome: DeployOutcome = {
    deployed: false,
    previousTaskDefinition,
    serviceDeploymentArn: undefined,
    deploymentId: undefined,
    rolloutState: '',
    rolledBack: false,
    failure: undefined,
    durationMs: 0,
    activity: new ServiceActivity(since),
    stages: [],
    rollback: undefined,
    serviceTaskDefinition: previousTaskDefinition,
    cancelled: false,
    codedeploy,
  };
  if (taskDefinitionArn === previousTaskDefinition) {
    // As for an ECS service: the same revision again starts no deployment.
    log.info(`Nothing to deploy: service ${inputs.service} already runs ${taskDefinitionArn}.`);
    return outcome;
  }
  const deadline = new Deadline(inputs.waitMs, `CodeDeploy deployment of service ${inputs.service}`);
  const { codedeploy: cdInputs } = inputs;
  const deploymentId = await createDeployment(
    cd,
    {
      applicationName: target.application,
      deploymentGroupName: target.group,
      revision: appSpecRevision(plan.appSpec.document, taskDefinitionArn),
      ...(cdInputs.description !== undefined && { description: cdInputs.description }),
      ...(cdInputs.deploymentConfig !== undefined && { deploymentConfigName: cdInputs.deploymentConfig }),
    },
    target,
    deadline,
    signal,
  );
  log.info(
    `Created CodeDeploy deployment ${deploymentId} of ${taskDefinitionArn} (${target.application}/${target.group}): https://console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${cd.region}`,
  );
  Object.assign(outcome, { deployed: true, rolloutState: 'Created' });
  Object.assign(codedeploy, { deploymentId, status: 'Created', strategyState: 'pending' });
  if (!inputs.wait) return outcome;
  const watch = new DeploymentWatch(cd, {
    deploymentId,
    pollIntervalMs: inputs.pollIntervalMs,
    deadline,
    signal,
  });
  if (inputs.rollbackOnFailure) markCodeDeployInFlight({ region: cd.region, deploymentId });
  let result: WatchResult;
  try {
    result =
      cdInputs.waitUntil === 'ready'
        ? await watch.until(
            (info) => info.status === 'Ready' || info.status === 'Succeeded',
            'wait for traffic rerouting (Ready)',
          )
        : await watch.until((info) => info.status === 'Succeeded', 'succeed');
  } catch (error) {
    if (!signal.aborted) throw error;
    return cancelled(cd, inputs, outcome, watch.events);
  } finally {
    outcome.durationMs = Date.now() - since.getTime();
  }
  markCodeDeployFinished();
  codedeploy.events = result.events;
  outcome.stages = result.events;
  return finish(cd, inputs, outcome, result, taskDefinitionArn, deadline, signal);
}

async function finish(
  cd: CodeDeploy,
  inputs: DeployEcsInputs,
  outcome: DeployOutcome,
  result: WatchResult,
  taskDefinitionArn: string,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<DeployOutcome> {
  const codedeploy = outcome.codedeploy as CodeDeployOutcome;
  const status = result.info.status ?? 'unknown';
  codedeploy.status = status;
  outcome.rolloutState = status;
  if (result.verdict === 'reached') {
    if (status === 'Succeeded') {
      codedeploy.strategyState = 'promoted';
      outcome.serviceTaskDefinition = taskDefinitionArn;
    } else {
      log.info(
        `Deployment ${codedeploy.deploymentId} is Ready: the test listener serves ${taskDefinitionArn}, production traffic is still on ${outcome.previousTaskDefinition ?? 'the original task set'}. Promote (action: promote) or abort (action: abort) it in a later step.`,
      );
    }
    return outcome;
  }
  const what = result.verdict === 'timed-out' ? 'timed out' : result.verdict;
  outcome.failure = `CodeDeploy deployment ${codedeploy.deploymentId} of service ${inputs.service} ${what}: ${result.reason ?? status}`;
  if (result.verdict === 'timed-out') {
    if (!inputs.rollbackOnFailure) return outcome;
    const stopped = await stopWithRollback(cd, codedeploy.deploymentId as string, {
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutMs: inputs.waitMs,
      wait: true,
      signal,
    });
    return rolledBack(
      outcome,
      stopped.restored,
      stopped.rollbackDeploymentId,
      `Gantry stopped it: ${stopped.detail}`,
      stopped.status,
    );
  }
  const rollback = await waitForRollback(
    cd,
    result.info.rollbackInfo?.rollbackDeploymentId,
    rollbackDeadline(deadline, inputs),
    {
      pollIntervalMs: inputs.pollIntervalMs,
      signal,
    },
  );
  return rolledBack(outcome, rollback.restored, rollback.rollbackDeploymentId, rollback.detail, status);
}

/** The rollback gets what is left of the wait, or the whole wait again when nothing is left. */
function rollbackDeadline(deadline: Deadline, inputs: DeployEcsInputs): Deadline {
  return deadline.remaining() > 0
    ? deadline
    : new Deadline(inputs.waitMs, `the rollback of service ${inputs.service}`);
}

function rolledBack(
  outcome: DeployOutcome,
  restored: boolean,
  rollbackDeploymentId: string | undefined,
  detail: string,
  status: string,
): DeployOutcome {
  const codedeploy = outcome.codedeploy as CodeDeployOutcome;
  Object.assign(codedeploy, { rollbackDeploymentId, status });
  outcome.rolloutState = status;
  outcome.rollback = { by: 'codedeploy', outcome: detail };
  outcome.rolledBack = restored;
  if (restored) codedeploy.strategyState = 'aborted';
  return outcome;
}

/** A cancelled job has seconds left: ask for the stop with rollback, do not wait for it. */
async function cancelled(
  cd: CodeDeploy,
  inputs: DeployEcsInputs,
  outcome: DeployOutcome,
  events: string[],
): Promise<DeployOutcome> {
  const codedeploy = outcome.codedeploy as CodeDeployOutcome;
  codedeploy.events = events;
  outcome.cancelled = true;
  outcome.failure = `The run was cancelled while CodeDeploy deployment ${codedeploy.deploymentId} of service ${inputs.service} was in flight`;
  if (!inputs.rollbackOnFailure) return outcome;
  markCodeDeployFinished();
  await stopWithRollback(cd, codedeploy.deploymentId as string, {
    pollIntervalMs: inputs.pollIntervalMs,
    timeoutMs: 10_000,
    wait: false,
    signal: new AbortController().signal,
  });
  outcome.rollback = { by: 'codedeploy', outcome: 'stop with rollback requested (the job was cancelled)' };
  return outcome;
}
