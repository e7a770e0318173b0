import type { Service } from '@aws-sdk/client-ecs';
import { ecsCall, type Ecs } from '../../../../shared/src/ecs/client.ts';
import {
  DeploymentTracker,
  ownServiceDeployment,
  type TrackResult,
} from '../../../../shared/src/ecs/deployment-tracker.ts';
import { rollBackService, type RollbackResult } from '../../../../shared/src/ecs/rollback.ts';
import { ServiceActivity } from '../../../../shared/src/ecs/service-activity.ts';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { CodeDeployOutcome } from '../codedeploy/deploy.ts';
import type { DeployEcsInputs } from '../inputs.ts';
import { markDeploymentFinished, markDeploymentInFlight } from './post-state.ts';
import { nothingToDeploy, updateRequest } from './update.ts';
import { primaryDeployment } from './target.ts';

/**
 * update -> track our deployment -> roll back when it failed, timed out or was cancelled. The step
 * fails whenever the deployment did not succeed, rolled back or not.
 */

export interface DeployOutcome {
  deployed: boolean;
  previousTaskDefinition: string | undefined;
  serviceDeploymentArn: string | undefined;
  deploymentId: string | undefined;
  rolloutState: string;
  /** The service ended on the previous revision, rolled back by ECS or by Gantry. */
  rolledBack: boolean;
  /** Why it failed; undefined on success (and with nothing to deploy, or wait: false). */
  failure: string | undefined;
  /** From the update to the end of the wait. */
  durationMs: number;
  activity: ServiceActivity;
  stages: string[];
  rollback:
    | { how: RollbackResult['how']; by: 'gantry'; outcome: string }
    | { by: 'ecs' }
    | { by: 'codedeploy'; outcome: string }
    | undefined;
  /** The task definition the service runs when the step ends. */
  serviceTaskDefinition: string | undefined;
  cancelled: boolean;
  /** A CODE_DEPLOY service's deployment. */
  codedeploy?: CodeDeployOutcome;
}

export async function deployToService(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  service: Service,
  taskDefinition: string,
  signal: AbortSignal,
): Promise<DeployOutcome> {
  const name = inputs.service as string;
  const previous = primaryDeployment(service);
  const since = new Date();
  const activity = new ServiceActivity(since);
  const base: DeployOutcome = {
    deployed: false,
    previousTaskDefinition: previous.taskDefinition,
    serviceDeploymentArn: undefined,
    deploymentId: undefined,
    rolloutState: '',
    rolledBack: false,
    failure: undefined,
    durationMs: 0,
    activity,
    stages: [],
    rollback: undefined,
    serviceTaskDefinition: previous.taskDefinition,
    cancelled: false,
  };
  if (nothingToDeploy(service, previous.taskDefinition, taskDefinition, inputs.settings)) {
    log.info(
      `Nothing to deploy: service ${name} already runs ${taskDefinition} and no service setting changes.`,
    );
    return base;
  }
  const answer = await ecsCall('UpdateService', () =>
    ecs.client.send(
      new ecs.sdk.UpdateServiceCommand(updateRequest(inputs.cluster, name, taskDefinition, inputs.settings)),
      {
        abortSignal: signal,
      },
    ),
  );
  const primary = primaryDeployment(answer.service ?? {});
  if (primary.id !== undefined && primary.id === previous.id) {
    log.info(
      `Nothing to deploy: ECS started no deployment for service ${name} (it already runs ${taskDefinition}).`,
    );
    return base;
  }
  log.info(`Updated service ${name} to ${taskDefinition}: deployment ${primary.id ?? '(no id)'}.`);
  const outcome: DeployOutcome = {
    ...base,
    deployed: true,
    deploymentId: primary.id,
    rolloutState: 'IN_PROGRESS',
  };
  if (!inputs.wait) return outcome;
  const tracker = new DeploymentTracker(ecs, {
    cluster: inputs.cluster,
    service: name,
    since,
    deploymentId: primary.id,
    expect: 'deploy',
    pollIntervalMs: inputs.pollIntervalMs,
    deadline: new Deadline(inputs.waitMs, `deployment ${primary.id ?? ''} of service ${name} to finish`),
    signal,
    activity,
  });
  markDeploymentInFlight({
    region: ecs.config.region,
    cluster: inputs.cluster,
    service: name,
    deploymentId: primary.id,
    previous,
    since,
  });
  let tracked: TrackResult;
  try {
    tracked = await tracker.track();
  } catch (error) {
    if (!signal.aborted) throw error;
    return cancelled(ecs, inputs, outcome, tracker, since);
  } finally {
    outcome.durationMs = Date.now() - since.getTime();
  }
  markDeploymentFinished();
  return finish(ecs, inputs, outcome, tracked, signal);
}

async function finish(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  outcome: DeployOutcome,
  tracked: TrackResult,
  signal: AbortSignal,
): Promise<DeployOutcome> {
  outcome.serviceDeploymentArn = tracked.serviceDeploymentArn;
  outcome.rolloutState = tracked.state;
  outcome.stages = tracked.stages;
  outcome.serviceTaskDefinition = tracked.serviceTaskDefinition;
  if (tracked.verdict === 'succeeded') return outcome;
  outcome.failure = `Deployment of service ${inputs.service} ${tracked.verdict === 'timed-out' ? 'timed out' : 'failed'}: ${tracked.reason ?? tracked.state}`;
  if (tracked.rolledBackByEcs) {
    outcome.rolledBack = true;
    outcome.rollback = { by: 'ecs' };
    return outcome;
  }
  const previous = outcome.previousTaskDefinition;
  if (!inputs.rollbackOnFailure || previous === undefined) return outcome;
  const rollback = await rollBackService(ecs, {
    cluster: inputs.cluster,
    service: inputs.service as string,
    serviceDeploymentArn: tracked.serviceDeploymentArn,
    inFlight: tracked.inFlight,
    previousTaskDefinition: previous,
    pollIntervalMs: inputs.pollIntervalMs,
    timeoutMs: inputs.waitMs,
    wait: true,
    signal,
  });
  const result = rollback.tracked;
  outcome.activity.events.push(...rollback.activity.events);
  outcome.activity.stoppedTasks.push(...rollback.activity.stoppedTasks);
  outcome.rollback = {
    how: rollback.how,
    by: 'gantry',
    outcome: result
      ? `${result.verdict} (${result.state})${result.reason && result.verdict !== 'succeeded' ? `: ${result.reason}` : ''}`
      : 'started',
  };
  outcome.rolledBack = result?.verdict === 'succeeded';
  if (result) {
    outcome.rolloutState = rollback.how === 'stop-with-rollback' ? result.state : outcome.rolloutState;
    outcome.serviceTaskDefinition = result.serviceTaskDefinition;
  }
  return outcome;
}

/** A cancelled job has seconds before the runner kills it: start the rollback, do not wait for it. */
async function cancelled(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  outcome: DeployOutcome,
  tracker: DeploymentTracker,
  since: Date,
): Promise<DeployOutcome> {
  outcome.cancelled = true;
  outcome.serviceDeploymentArn = tracker.serviceDeploymentArn;
  outcome.failure = `The run was cancelled while deployment ${outcome.deploymentId ?? ''} of service ${inputs.service} was in flight`;
  const previous = outcome.previousTaskDefinition;
  if (!inputs.rollbackOnFailure || previous === undefined) return outcome;
  const rollback = await rollBackService(ecs, {
    cluster: inputs.cluster,
    service: inputs.service as string,
    serviceDeploymentArn:
      tracker.serviceDeploymentArn ?? (await findServiceDeployment(ecs, inputs, outcome.deploymentId, since)),
    inFlight: true,
    previousTaskDefinition: previous,
    pollIntervalMs: inputs.pollIntervalMs,
    timeoutMs: inputs.waitMs,
    wait: false,
    signal: new AbortController().signal,
  });
  markDeploymentFinished();
  outcome.rollback = { how: rollback.how, by: 'gantry', outcome: 'started (the job was cancelled)' };
  return outcome;
}

async function findServiceDeployment(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  deploymentId: string | undefined,
  since: Date,
): Promise<string | undefined> {
  const listed = await ecsCall('ListServiceDeployments', () =>
    ecs.client.send(
      new ecs.sdk.ListServiceDeploymentsCommand({
        cluster: inputs.cluster,
        service: inputs.service,
        createdAt: { after: new Date(since.getTime() - 5000) },
      }),
    ),
  ).catch(() => undefined);
  return ownServiceDeployment(listed?.serviceDeployments ?? [], { deploymentId, since })
    ?.serviceDeploymentArn;
}
