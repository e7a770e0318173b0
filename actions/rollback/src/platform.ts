import { ActionError } from '../../../shared/src/errors.ts';
import type { DeploymentPayload } from '../../../shared/src/github/deployment-payload.ts';

/**
 * The platforms a rollback can restore. Each has its own folder (`kubernetes/`) with a restore of
 * the same shape, so a platform is added by a folder and one entry here. When neither the input
 * nor the other inputs say, a deployment record's payload does.
 */
export const PLATFORMS = ['kubernetes'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function platformOfRecord(id: number, payload: DeploymentPayload): Platform {
  if (payload.platform === 'kubernetes') return 'kubernetes';
  throw new ActionError(
    `Deployment ${id} recorded a release on ${payload.platform}, which this version of the rollback action cannot restore (it restores ${PLATFORMS.join(', ')}).`,
  );
}
