import { getState, saveState } from '../../../../shared/src/runner/file-commands.ts';

/**
 * What the post step needs to roll back a deployment the main step could not finish with (the
 * runner killed it mid-wait): saved when the wait starts, cleared when it ends one way or another.
 */

export interface InFlightDeployment {
  region: string;
  cluster: string;
  service: string;
  /** Our ECS deployment. */
  deploymentId: string | undefined;
  previous: { id: string | undefined; taskDefinition: string | undefined };
  since: Date;
}

const KEY = 'deploy-ecs-in-flight';

export function markDeploymentInFlight(deployment: InFlightDeployment): void {
  saveState(KEY, JSON.stringify({ ...deployment, since: deployment.since.toISOString() }));
}

export function markDeploymentFinished(): void {
  saveState(KEY, '');
}

export function deploymentLeftInFlight(): InFlightDeployment | undefined {
  const raw = getState(KEY);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Omit<InFlightDeployment, 'since'> & { since: string };
  return { ...parsed, since: new Date(parsed.since) };
}
