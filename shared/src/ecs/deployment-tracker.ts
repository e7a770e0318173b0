import type { Deployment, Service, ServiceDeployment, ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { awsErrorName } from '../aws.ts';
import type { Deadline } from '../async/deadline.ts';
import { ActionError } from '../errors.ts';
import * as log from '../runner/log.ts';
import { sleep } from '../async/sleep.ts';
import { ecsCall, type Ecs, type EcsRetry } from './client.ts';
import type { ServiceActivity } from './service-activity.ts';

/**
 * Tracks OUR deployment, not the service: the service deployment our UpdateService created
 * (ListServiceDeployments from the update on, then DescribeServiceDeployments), polled at a steady
 * interval with one call per poll, plus DescribeServices for events and the deployment list.
 * Success only on SUCCESSFUL; failure as soon as it is STOPPED, ROLLBACK_*, its ECS deployment has a
 * FAILED rolloutState, or another deployment replaced it. When ECS rolls back by itself the wait
 * goes on under the same deadline until that rollback ends, so the caller knows which revision the
 * service is left on. A service without service deployments is judged by its deployments:
 * PRIMARY with rolloutState COMPLETED, or running = desired with no other deployment.
 */

export interface TrackOptions {
  cluster: string;
  service: string;
  /** When our update was sent: a service deployment created from then on is ours. */
  since: Date;
  /** The ECS deployment (`ecs-svc/...`) our update made PRIMARY. */
  deploymentId: string | undefined;
  /** A service deployment known already (one Gantry stopped with ROLLBACK). */
  serviceDeploymentArn?: string;
  /** `deploy`: SUCCESSFUL is success. `rollback`: our stop-with-rollback, ROLLBACK_SUCCESSFUL is. */
  expect: 'deploy' | 'rollback';
  pollIntervalMs: number;
  deadline: Deadline;
  signal: AbortSignal;
  activity: ServiceActivity;
}

export interface TrackResult {
  verdict: 'succeeded' | 'failed' | 'timed-out';
  /** The service deployment's last status, or the ECS deployment's rolloutState without one. */
  state: string;
  reason: string | undefined;
  serviceDeploymentArn: string | undefined;
  /** ECS rolled our deployment back by itself, to the end. */
  rolledBackByEcs: boolean;
  /** Still running when the wait ended: a rollback must stop it. */
  inFlight: boolean;
  /** The task definition of the service's PRIMARY deployment when the wait ended. */
  serviceTaskDefinition: string | undefined;
  stages: string[];
}

const TERMINAL = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);
const ROLLING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
/** Polls without a service deployment before the service is judged by its deployments alone. */
const LIST_ATTEMPTS = 3;
/** Clock skew allowed between this runner and ECS when matching creation times. */
const SKEW_MS = 5000;

/**
 * Ours is the one whose target service revision is our ECS deployment (both carry the same number:
 * `ecs-svc/123` targets `service-revision/<cluster>/<service>/123`); failing that, the first one
 * created since our update (anything created after it replaced it).
 */
export function ownServiceDeployment(
  listed: ServiceDeploymentBrief[],
  options: Pick<TrackOptions, 'deploymentId' | 'since'>,
): ServiceDeploymentBrief | undefined {
  const number = options.deploymentId?.split('/').at(-1);
  const byRevision = listed.find((entry) => number && entry.targetServiceRevisionArn?.endsWith(`/${number}`));
  if (byRevision) return byRevision;
  return listed
    .filter((entry) => (entry.createdAt?.getTime() ?? 0) >= options.since.getTime())
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
}

export class DeploymentTracker {
  private readonly ecs: Ecs;
  private readonly options: TrackOptions;
  private readonly retrying: EcsRetry;
  private arn: string | undefined;
  private legacy = false;
  private listAttempts = 0;
  private lastStatus = 'PENDING';
  private lastStage: string | undefined;
  private failure: string | undefined;
  private readonly stages: string[] = [];
  private primaryTaskDefinition: string | undefined;

  constructor(ecs: Ecs, options: TrackOptions) {
    this.ecs = ecs;
    this.options = options;
    this.retrying = { deadline: options.deadline, signal: options.signal };
    this.arn = options.serviceDeploymentArn;
  }

  /** What is known so far: read after a cancellation, when `track` did not return. */
  get serviceDeploymentArn(): string | undefined {
    return this.arn;
  }

  get inFlight(): boolean {
    return !TERMINAL.has(this.lastStatus);
  }

  async track(): Promise<TrackResult> {
    const { deadline, signal, pollIntervalMs } = this.options;
    for (;;) {
      const deployment = await this.readServiceDeployment();
      const service = await this.describeService();
      await this.options.activity.observe(this.ecs, this.options.cluster, service, signal);
      const verdict = this.judge(deployment, service);
      if (verdict?.verdict === 'failed' && this.options.activity.stoppedTasks.length === 0) {
        await this.options.activity.readStoppedTasks(
          this.ecs,
          this.options.cluster,
          this.options.service,
          signal,
        );
      }
      if (verdict) return verdict;
      if (deadline.remaining() <= 0) {
        return this.result('timed-out', deadline.error(`our deployment was ${this.describeState()}`).message);
      }
      await sleep(Math.min(pollIntervalMs, deadline.remaining()), signal);
    }
  }

  private async readServiceDeployment(): Promise<ServiceDeployment | undefined> {
    if (this.legacy) return undefined;
    const { cluster, service, signal } = this.options;
    if (this.arn === undefined) {
      try {
        const listed = await ecsCall(
          'ListServiceDeployments',
          () =>
            this.ecs.client.send(
              new this.ecs.sdk.ListServiceDeploymentsCommand({
                cluster,
                service,
                createdAt: { after: new Date(this.options.since.getTime() - SKEW_MS) },
              }),
              { abortSignal: signal },
            ),
          this.retrying,
        );
        const ours = ownServiceDeployment(listed.serviceDeployments ?? [], this.options);
        if (ours?.serviceDeploymentArn) {
          this.arn = ours.serviceDeploymentArn;
          log.info(`Tracking service deployment ${this.arn}.`);
        } else if (++this.listAttempts >= LIST_ATTEMPTS) {
          this.useDeployments('no service deployment was created by the update');
        }
      } catch (error) {
        const name = awsErrorName((error as { cause?: unknown }).cause);
        if (name !== 'InvalidParameterException' && name !== 'UnknownOperationException') throw error;
        this.useDeployments(`ListServiceDeployments is not available (${name})`);
      }
      return undefined;
    }
    const arn = this.arn;
    const described = await ecsCall(
      'DescribeServiceDeployments',
      () =>
        this.ecs.client.send(
          new this.ecs.sdk.DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
          { abortSignal: signal },
        ),
      this.retrying,
    );
    const deployment = described.serviceDeployments?.[0];
    if (!deployment) {
      throw new ActionError(
        `DescribeServiceDeployments does not know ${arn}: ${described.failures?.[0]?.reason ?? 'no reason given'}.`,
      );
    }
    return deployment;
  }

  private useDeployments(why: string): void {
    this.legacy = true;
    log.info(`Judging the deployment by the service's deployments: ${why}.`);
  }

  private async describeService(): Promise<Service> {
    const { cluster, service, signal } = this.options;
    const answer = await ecsCall(
      'DescribeServices',
      () =>
        this.ecs.client.send(new this.ecs.sdk.DescribeServicesCommand({ cluster, services: [service] }), {
          abortSignal: signal,
        }),
      this.retrying,
    );
    const found = answer.services?.[0];
    if (!found)
      throw new ActionError(`Service ${service} disappeared from cluster ${cluster} during the deployment.`);
    return found;
  }

  private judge(deployment: ServiceDeployment | undefined, service: Service): TrackResult | undefined {
    const deployments = service.deployments ?? [];
    const primary = deployments.find((entry) => entry.status === 'PRIMARY');
    this.primaryTaskDefinition = primary?.taskDefinition;
    const ours = deployments.find((entry) => entry.id === this.options.deploymentId);
    if (deployment) return this.judgeServiceDeployment(deployment, ours);
    if (this.legacy) return this.judgeDeployments(ours, primary, deployments);
    return undefined;
  }

  private judgeServiceDeployment(
    deployment: ServiceDeployment,
    ours: Deployment | undefined,
  ): TrackResult | undefined {
    const status = deployment.status ?? 'PENDING';
    if (status !== this.lastStatus) {
      log.info(
        `Service deployment is ${status}${deployment.statusReason ? `: ${deployment.statusReason.replace(/\.$/, '')}` : ''}.`,
      );
      this.lastStatus = status;
    }
    const stage = deployment.lifecycleStage;
    if (stage && stage !== this.lastStage) {
      this.lastStage = stage;
      this.stages.push(stage);
      log.info(`Lifecycle stage: ${stage}.`);
    }
    const reason = deployment.rollback?.reason ?? deployment.statusReason;
    if (this.options.expect === 'rollback') {
      if (status === 'ROLLBACK_SUCCESSFUL') return this.result('succeeded', reason);
      if (status === 'ROLLBACK_FAILED' || status === 'STOPPED' || status === 'SUCCESSFUL') {
        return this.result('failed', `the rollback ended ${status}${reason ? `: ${reason}` : ''}`);
      }
      return undefined;
    }
    if (status === 'SUCCESSFUL') return this.result('succeeded', undefined);
    if (ROLLING_BACK.has(status)) {
      this.noteFailure(`ECS is rolling it back: ${reason ?? status}`);
      return undefined;
    }
    if (status === 'ROLLBACK_SUCCESSFUL') {
      return this.result('failed', `ECS rolled it back${reason ? `: ${reason}` : ''}`, true);
    }
    if (status === 'ROLLBACK_FAILED')
      return this.result('failed', `ECS could not roll it back${reason ? `: ${reason}` : ''}`);
    if (status === 'STOPPED') return this.result('failed', `it was stopped${reason ? `: ${reason}` : ''}`);
    if (ours?.rolloutState === 'FAILED' && status !== 'STOP_REQUESTED') {
      return this.result('failed', ours.rolloutStateReason ?? 'its rollout failed');
    }
    return undefined;
  }

  private judgeDeployments(
    ours: Deployment | undefined,
    primary: Deployment | undefined,
    deployments: Deployment[],
  ): TrackResult | undefined {
    const state = ours?.rolloutState ?? (ours ? 'IN_PROGRESS' : 'REPLACED');
    if (state !== this.lastStatus) {
      log.info(
        `Deployment ${this.options.deploymentId} is ${state}${ours?.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}.`,
      );
      this.lastStatus = state;
    }
    if (ours && ours === primary) {
      if (ours.rolloutState === 'COMPLETED') return this.result('succeeded', undefined);
      if (
        ours.rolloutState === undefined &&
        deployments.length === 1 &&
        ours.runningCount === ours.desiredCount
      ) {
        return this.result('succeeded', undefined);
      }
    }
    if (ours?.rolloutState === 'FAILED' || (this.failure && ours !== primary)) {
      this.noteFailure(ours?.rolloutStateReason ?? 'its rollout failed');
      // The circuit breaker's rollback made another deployment PRIMARY: watch it to the end.
      if (primary && primary !== ours && primary.rolloutState !== 'COMPLETED') return undefined;
      const back = primary !== undefined && primary !== ours;
      return this.result('failed', this.failure, back);
    }
    if (!ours) return this.result('failed', 'another deployment replaced it');
    return undefined;
  }

  private noteFailure(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    log.info(`Our deployment failed: ${reason}. Watching until ECS finishes with it.`);
  }

  private describeState(): string {
    return `${this.lastStatus}${this.lastStage ? ` (stage ${this.lastStage})` : ''}`;
  }

  private result(
    verdict: TrackResult['verdict'],
    reason: string | undefined,
    rolledBackByEcs = false,
  ): TrackResult {
    const failure = this.failure && reason !== this.failure ? `${this.failure}; ${reason}` : reason;
    return {
      verdict,
      state: this.lastStatus,
      reason: verdict === 'failed' ? failure : reason,
      serviceDeploymentArn: this.arn,
      rolledBackByEcs,
      // Only a service deployment that has not ended can be stopped with a rollback.
      inFlight: verdict !== 'succeeded' && this.arn !== undefined && !TERMINAL.has(this.lastStatus),
      serviceTaskDefinition: this.primaryTaskDefinition,
      stages: this.stages,
    };
  }
}
