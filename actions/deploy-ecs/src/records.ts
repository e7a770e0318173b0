import { releasePayload } from '../../../shared/src/github/deployment-payload.ts';
import { deploymentRecords, type DeploymentRecord } from '../../../shared/src/github/deployment-records.ts';
import { readRunContext } from '../../../shared/src/github/run-context.ts';
import * as log from '../../../shared/src/log.ts';
import type { DeployEcsInputs } from './inputs.ts';

/**
 * deploy-ecs's deployment record: created once the task definition to deploy is known (registered
 * or reused), before the one-off task and the service update; in_progress, then success or failure.
 * Only a service deploy is recorded: a one-off task alone releases nothing. A dry run never
 * reaches here. Best effort: a GitHub failure is one warning.
 */
const NOTHING_RECORDED: DeploymentRecord = { id: undefined, finish: async () => undefined };

export async function startServiceRecord(
  inputs: DeployEcsInputs,
  release: { taskDefinitionArn: string; previous: string | undefined; images: string[] },
  signal: AbortSignal,
): Promise<DeploymentRecord> {
  if (inputs.service === undefined) {
    if (inputs.record.recordDeployment && inputs.record.environment)
      log.info('No deployment record: without a service, nothing is released.');
    return NOTHING_RECORDED;
  }
  const records = deploymentRecords(
    {
      enabled: inputs.record.recordDeployment,
      token: inputs.record.token,
      environment: inputs.record.environment,
      environmentUrl: inputs.record.environmentUrl,
      transient: inputs.record.transientEnvironment,
      production: inputs.record.productionEnvironment,
    },
    {
      warning: (message) => log.warning(message),
      notice: (message) => log.notice(message),
      info: (message) => log.info(message),
      signal,
    },
  );
  return records.start({
    description: `Deploy ${shortName(release.taskDefinitionArn)} to ${inputs.service}`,
    payload: releasePayload({
      action: 'deploy-ecs',
      ecs: {
        cluster: inputs.cluster,
        service: inputs.service,
        task_definition: release.taskDefinitionArn,
        previous_task_definition: release.previous ?? null,
      },
      images: release.images,
      runUrl: readRunContext()?.runUrl,
    }),
  });
}

/** `family:revision` of a task definition ARN, for descriptions within 140 characters. */
export function shortName(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').at(-1) ?? taskDefinitionArn;
}
