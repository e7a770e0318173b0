import { randomInt } from 'node:crypto';
import type { EcsDeployment, EcsService, EcsTaskDefinition } from '../model.ts';

/**
 * ECS deployments, the entries of a service's `deployments`: one per change of what the service
 * runs, `ecs-svc/<19 digits>`, whose service revision shares its number.
 */

type Placement = Pick<EcsService, 'desiredCount' | 'launchType' | 'platformVersion' | 'networkConfiguration'>;

export function newDeployment(
  service: Pick<EcsService, 'arn'> & Placement,
  taskDefinition: EcsTaskDefinition,
  at: number,
  reason?: string,
): EcsDeployment {
  const digits = Array.from({ length: 19 }, (_, index) => randomInt(index === 0 ? 1 : 0, 10)).join('');
  const id = `ecs-svc/${digits}`;
  return {
    id,
    revisionArn: `${service.arn.replace(':service/', ':service-revision/')}/${digits}`,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    consecutiveFailures: 0,
    launchType: service.launchType,
    ...(service.platformVersion !== undefined && { platformVersion: service.platformVersion }),
    ...(service.networkConfiguration && { networkConfiguration: service.networkConfiguration }),
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
    createdAt: at,
    updatedAt: at,
  };
}

/** A deployment that returns the service to `to`'s revision, with `to`'s placement. */
export function rollbackDeployment(
  service: EcsService,
  to: EcsDeployment,
  at: number,
  reason: string,
): EcsDeployment {
  return {
    ...newDeployment(
      { ...service, ...to, arn: service.arn, desiredCount: service.desiredCount },
      to.taskDefinition,
      at,
      reason,
    ),
    revisionArn: to.revisionArn,
    isRollback: true,
  };
}
