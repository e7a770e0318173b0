import { randomBytes } from 'node:crypto';
import type { EcsDeployment, EcsService, ServiceDeployment, ServiceDeploymentStatus } from '../model.ts';
import { rollbackDeployment } from './deployments.ts';
import { addEvent } from './events.ts';

/**
 * The service deployment's own states, over the ECS deployments that do the work: PENDING until the
 * scheduler's next pass, IN_PROGRESS, then SUCCESSFUL when the target's rollout completes; a tripped
 * circuit breaker STOPS it, or with rollback takes it through ROLLBACK_IN_PROGRESS to
 * ROLLBACK_SUCCESSFUL (ROLLBACK_FAILED when the rollback's own tasks fail, or there is nothing to
 * return to). StopServiceDeployment asks for ROLLBACK_REQUESTED or STOP_REQUESTED, acted on at the
 * next pass. A new deployment of the service STOPs one still in flight.
 */

const IN_FLIGHT: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
];

export const BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
export const SUPERSEDED_REASON = 'Service deployment stopped: a newer service deployment started.';
export const USER_ROLLBACK_REASON = 'Service deployment rolled back by StopServiceDeployment.';
export const USER_STOP_REASON = 'Service deployment stopped by StopServiceDeployment.';
export const NOTHING_TO_ROLL_BACK_TO = 'No earlier service revision to roll back to.';

export function isInFlight(deployment: ServiceDeployment): boolean {
  return IN_FLIGHT.includes(deployment.status);
}

/** Records the service deployment of a new ECS deployment; the one still in flight, if any, stops. */
export function recordServiceDeployment(
  service: EcsService,
  target: EcsDeployment,
  at: number,
): ServiceDeployment {
  const current = service.serviceDeployments[0];
  if (current && isInFlight(current)) {
    // Its ECS deployment keeps its rollout state: the scheduler scales it in as an older one.
    Object.assign(current, { statusReason: SUPERSEDED_REASON, finishedAt: at, stoppedAt: at });
    setStatus(current, 'STOPPED', at);
  }
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  const record: ServiceDeployment = {
    id,
    arn: `${service.arn.replace(':service/', ':service-deployment/')}/${id}`,
    service,
    target,
    sources: service.deployments.filter((deployment) => deployment !== target),
    settings: service.deployment,
    status: 'PENDING',
    stageStartedAt: at,
    productionTraffic: 0,
    testTraffic: 0,
    createdAt: at,
    updatedAt: at,
  };
  service.serviceDeployments.unshift(record);
  return record;
}

export function finish(
  deployment: ServiceDeployment,
  status: ServiceDeploymentStatus,
  at: number,
  reason?: string,
): void {
  deployment.status = status;
  if (reason !== undefined) deployment.statusReason = reason;
  deployment.finishedAt = at;
  if (status === 'STOPPED') deployment.stoppedAt = at;
  deployment.updatedAt = at;
  if (deployment.target.rolloutState === 'IN_PROGRESS' && status !== 'SUCCESSFUL') {
    deployment.target.rolloutState = 'FAILED';
    deployment.target.rolloutStateReason = reason ?? status;
    deployment.target.updatedAt = at;
  }
}

export function setStatus(deployment: ServiceDeployment, status: ServiceDeploymentStatus, at: number): void {
  deployment.status = status;
  deployment.updatedAt = at;
}

/**
 * Returns the service to the revision it ran before: for traffic-shifting strategies the source
 * deployment still running takes the traffic back; otherwise a new deployment of the last completed
 * revision rolls out.
 */
export function startRollback(
  deployment: ServiceDeployment,
  cause: 'circuit breaker' | 'request',
  at: number,
): void {
  const reason = cause === 'request' ? USER_ROLLBACK_REASON : BREAKER_REASON;
  const service = deployment.service;
  const { target } = deployment;
  const held = deployment.sources.find((source) => service.deployments.includes(source));
  const revive = deployment.settings.strategy !== 'ROLLING' && held !== undefined;
  const to = revive ? held : service.lastCompleted;
  if (!to || to === target) {
    finish(deployment, 'ROLLBACK_FAILED', at, NOTHING_TO_ROLL_BACK_TO);
    return;
  }
  target.status = 'ACTIVE';
  if (target.rolloutState === 'IN_PROGRESS') {
    target.rolloutState = 'FAILED';
    target.rolloutStateReason = reason;
    target.updatedAt = at;
  }
  const rollbackReason = `ECS deployment ${cause === 'request' ? 'rollback requested' : 'circuit breaker'}: rolling back to deploymentId ${to.id}.`;
  let back: EcsDeployment;
  if (revive) {
    back = Object.assign(to, {
      status: 'PRIMARY' as const,
      desiredCount: service.desiredCount,
      rolloutState: 'IN_PROGRESS' as const,
      rolloutStateReason: rollbackReason,
      isRollback: true,
      updatedAt: at,
    });
    service.deployments = [to, ...service.deployments.filter((entry) => entry !== to)];
  } else {
    back = rollbackDeployment(service, to, at, rollbackReason);
    service.deployments.unshift(back);
  }
  deployment.productionTraffic = 0;
  deployment.testTraffic = 0;
  deployment.rollback = { reason, startedAt: at, to: back };
  deployment.statusReason = reason;
  setStatus(deployment, 'ROLLBACK_IN_PROGRESS', at);
  addEvent(service, `rolling back to deployment ${to.id}.`, at);
}

/** Ends a rollback or a rollout whose ECS deployment has reached its outcome. */
export function conclude(deployment: ServiceDeployment, at: number): void {
  if (deployment.status === 'ROLLBACK_IN_PROGRESS') {
    const back = deployment.rollback!.to;
    if (back.rolloutState === 'COMPLETED') finish(deployment, 'ROLLBACK_SUCCESSFUL', at);
    else if (back.rolloutState === 'FAILED')
      finish(deployment, 'ROLLBACK_FAILED', at, back.rolloutStateReason);
  } else if (deployment.status === 'IN_PROGRESS' && deployment.target.rolloutState === 'COMPLETED') {
    deployment.productionTraffic = 100;
    finish(deployment, 'SUCCESSFUL', at);
  }
}
