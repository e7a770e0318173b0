import type { EcsService, EcsTaskDefinition } from '../model.ts';
import { newDeployment } from './deployments.ts';
import { recordServiceDeployment } from './service-deployment.ts';

/**
 * What CodeDeploy does to a CODE_DEPLOY service when production traffic moves to a task set (or back
 * on a rollback): the service then runs that task definition. The emulator has no task sets, so it
 * is a new PRIMARY deployment, as UpdateService would start for an ECS-controlled service.
 */
export function switchServiceTaskDefinition(
  service: EcsService,
  definition: EcsTaskDefinition,
  at: number,
): void {
  const primary = service.deployments[0];
  if (primary?.taskDefinition === definition) return;
  if (primary) primary.status = 'ACTIVE';
  const deployment = newDeployment(service, definition, at);
  service.deployments.unshift(deployment);
  recordServiceDeployment(service, deployment, at);
}
