import { getState, saveState } from '../../../../shared/src/runner/file-commands.ts';

/**
 * The CodeDeploy deployment a deploy is waiting for, saved for the post step: when the runner kills
 * the main step mid-wait (a cancelled job it did not get to handle), the post step stops it with
 * auto rollback. Cleared when the wait ends, however it ends (a deployment left at Ready on
 * purpose included).
 */

export interface CodeDeployInFlight {
  region: string;
  deploymentId: string;
}

const KEY = 'deploy-ecs-codedeploy-in-flight';

export function markCodeDeployInFlight(deployment: CodeDeployInFlight): void {
  saveState(KEY, JSON.stringify(deployment));
}

export function markCodeDeployFinished(): void {
  saveState(KEY, '');
}

export function codeDeployLeftInFlight(): CodeDeployInFlight | undefined {
  const raw = getState(KEY);
  return raw ? (JSON.parse(raw) as CodeDeployInFlight) : undefined;
}
