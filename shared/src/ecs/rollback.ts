import { Deadline } from '../async/deadline.ts';
import { errorMessage } from '../errors.ts';
import * as log from '../runner/log.ts';
import { ecsCall, type Ecs } from './client.ts';
import { DeploymentTracker, type TrackResult } from './deployment-tracker.ts';
import { ServiceActivity } from './service-activity.ts';

/**
 * Rolls a service back after a failed, timed-out or cancelled deployment: a service deployment
 * still in flight is stopped with ROLLBACK (ECS returns to the source revision itself); otherwise
 * the service is updated back to the task definition it ran before. Either way the same tracker
 * waits for the rollback, under its own deadline. Used by deploy-ecs and the rollback action.
 */

export interface RollbackRequest {
  cluster: string;
  service: string;
  /** Our service deployment, when one was found. */
  serviceDeploymentArn: string | undefined;
  /** Whether it was still running when the wait ended. */
  inFlight: boolean;
  previousTaskDefinition: string;
  pollIntervalMs: number;
  timeoutMs: number;
  /** Whether to wait for the rollback to finish (a cancelled job has seconds left: it only starts it). */
  wait: boolean;
  signal: AbortSignal;
}

export interface RollbackResult {
  how: 'stop-with-rollback' | 'update-to-previous';
  /** Undefined when not waited for. */
  tracked: TrackResult | undefined;
  activity: ServiceActivity;
}

export async function rollBackService(ecs: Ecs, request: RollbackRequest): Promise<RollbackResult> {
  const since = new Date();
  const activity = new ServiceActivity(since);
  const started = await startRollback(ecs, request);
  if (!request.wait) return { how: started.how, tracked: undefined, activity };
  const tracker = new DeploymentTracker(ecs, {
    cluster: request.cluster,
    service: request.service,
    since,
    deploymentId: started.deploymentId,
    ...(started.how === 'stop-with-rollback' && { serviceDeploymentArn: request.serviceDeploymentArn }),
    expect: started.how === 'stop-with-rollback' ? 'rollback' : 'deploy',
    pollIntervalMs: request.pollIntervalMs,
    deadline: new Deadline(request.timeoutMs, `the rollback of service ${request.service} to finish`),
    signal: request.signal,
    activity,
  });
  return { how: started.how, tracked: await tracker.track(), activity };
}

async function startRollback(
  ecs: Ecs,
  request: RollbackRequest,
): Promise<{ how: RollbackResult['how']; deploymentId: string | undefined }> {
  const arn = request.serviceDeploymentArn;
  if (request.inFlight && arn !== undefined) {
    try {
      await ecsCall('StopServiceDeployment', () =>
        ecs.client.send(
          new ecs.sdk.StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
        ),
      );
      log.info(`Rolling back: stopped service deployment ${arn} with ROLLBACK.`);
      return { how: 'stop-with-rollback', deploymentId: undefined };
    } catch (error) {
      // It may have ended meanwhile: updating back to the previous revision still works.
      log.info(
        `StopServiceDeployment did not take (${errorMessage(error)}); updating the service back instead.`,
      );
    }
  }
  const answer = await ecsCall('UpdateService', () =>
    ecs.client.send(
      new ecs.sdk.UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.previousTaskDefinition,
      }),
    ),
  );
  const primary = answer.service?.deployments?.find((entry) => entry.status === 'PRIMARY');
  log.info(`Rolling back: updated service ${request.service} back to ${request.previousTaskDefinition}.`);
  return { how: 'update-to-previous', deploymentId: primary?.id };
}
