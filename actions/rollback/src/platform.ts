import type { DeploymentPayload } from '../../../shared/src/github/deployment-payload.ts';

/**
 * The platforms a rollback can restore. Each has its own folder (`kubernetes/`, `ecs/`) with a
 * run of the same shape, so a platform is added by a folder and one entry here. When neither the
 * input nor the other inputs say, a deployment record's payload does.
 */
export const PLATFORMS = ['kubernetes', 'ecs'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function platformOfRecord(payload: DeploymentPayload): Platform {
  return payload.platform;
}
