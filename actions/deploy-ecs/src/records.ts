import { describeTaskDefinition } from '../../../shared/src/ecs/task-definitions.ts';
import type { Ecs } from '../../../shared/src/ecs/client.ts';
import { errorMessage } from '../../../shared/src/errors.ts';
import { releasePayload } from '../../../shared/src/github/deployment-payload.ts';
import {
  deploymentRecords,
  type DeploymentRecord,
  type DeploymentRecords,
} from '../../../shared/src/github/deployment-records.ts';
import { restoredReleaseCommit } from '../../../shared/src/github/restored-commit.ts';
import { readRunContext } from '../../../shared/src/github/run-context.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { DeployEcsInputs } from './inputs.ts';
import type { DeployOutcome } from './service/deploy.ts';

/**
 * deploy-ecs's deployment records: the deploy's own, created once the task definition to deploy is
 * known (registered or reused), before the one-off task and the service update; in_progress, then
 * success or failure. When the failed deploy was rolled back (by ECS or by Gantry), the rollback
 * gets its own record, as the rollback action writes one: `rollback_of` the failed deploy, the
 * task definition the service is back on, the commit of the newest record that ran it. Only a
 * service deploy is recorded: a one-off task alone releases nothing. A dry run never reaches here.
 * Best effort: the first GitHub failure is one warning and nothing more is tried.
 */
export interface ServiceRecords {
  recorder: DeploymentRecords;
  inputs: Pick<DeployEcsInputs, 'record' | 'cluster'>;
  service: string;
  signal: AbortSignal;
}

const NOTHING_RECORDED: DeploymentRecord = { id: undefined, finish: async () => undefined };

export function serviceRecords(
  inputs: DeployEcsInputs,
  signal: AbortSignal,
  codeDeploy = false,
): ServiceRecords | undefined {
  if (inputs.service === undefined) {
    if (inputs.record.recordDeployment && inputs.record.environment)
      log.info('No deployment record: without a service, nothing is released.');
    return undefined;
  }
  if (codeDeploy && inputs.codedeploy.waitUntil === 'ready') {
    // Production traffic stays on the running release until promote, which records the release.
    if (inputs.record.recordDeployment && inputs.record.environment)
      log.info(
        'No deployment record yet: with codedeploy-wait-until: ready, the promote step records the release.',
      );
    return undefined;
  }
  return recorderFor(inputs, signal);
}

/** The records of the service's environment, for a deploy or a promote/abort. */
export function recorderFor(
  inputs: Pick<DeployEcsInputs, 'record' | 'cluster'> & { service?: string },
  signal: AbortSignal,
): ServiceRecords | undefined {
  if (inputs.service === undefined) return undefined;
  const recorder = deploymentRecords(
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
  return { recorder, inputs, service: inputs.service, signal };
}

export function startServiceRecord(
  records: ServiceRecords | undefined,
  release: { taskDefinitionArn: string; previous: string | undefined; images: string[] },
): Promise<DeploymentRecord> {
  if (!records) return Promise.resolve(NOTHING_RECORDED);
  return records.recorder.start({
    description: `Deploy ${shortName(release.taskDefinitionArn)} to ${records.service}`,
    payload: releasePayload({
      action: 'deploy-ecs',
      ecs: {
        cluster: records.inputs.cluster,
        service: records.service,
        task_definition: release.taskDefinitionArn,
        previous_task_definition: release.previous ?? null,
      },
      images: release.images,
      runUrl: readRunContext()?.runUrl,
    }),
  });
}

/** The rollback's own record, when the failed deploy left the service back on another task definition. */
export async function recordServiceRollback(
  records: ServiceRecords | undefined,
  ecs: Ecs,
  failed: DeploymentRecord,
  deployment: DeployOutcome | undefined,
  failedTaskDefinition: string,
): Promise<void> {
  const restored = deployment?.serviceTaskDefinition;
  if (!records || failed.id === undefined || !deployment?.rolledBack || !restored) return;
  if (restored === failedTaskDefinition) return;
  const record = await records.recorder.start({
    ref: await restoredReleaseCommit(
      records.inputs.record,
      (listed) => listed.find((entry) => entry.payload?.ecs?.task_definition === restored),
      { info: (message) => log.info(message), signal: records.signal },
    ),
    description: `Rollback of deployment ${failed.id}: service ${records.service} to ${shortName(restored)}`,
    payload: releasePayload({
      action: 'rollback',
      ecs: {
        cluster: records.inputs.cluster,
        service: records.service,
        task_definition: restored,
        previous_task_definition: failedTaskDefinition,
      },
      images: await imagesOf(ecs, restored, records.signal),
      runUrl: readRunContext()?.runUrl,
      rollbackOf: failed.id,
    }),
  });
  await record.finish('success', `Restored service ${records.service} to ${shortName(restored)}`);
}

/** The images of a task definition's containers; none when it cannot be read (the record says less, nothing fails). */
export async function imagesOf(ecs: Ecs, taskDefinition: string, signal: AbortSignal): Promise<string[]> {
  try {
    const described = await describeTaskDefinition(ecs, taskDefinition, signal);
    const containers = described?.taskDefinition.containerDefinitions;
    if (!Array.isArray(containers)) return [];
    return containers.flatMap((container: unknown) => {
      const image = (container as { image?: unknown }).image;
      return typeof image === 'string' ? [image] : [];
    });
  } catch (error) {
    if (signal.aborted) throw error;
    log.info(`The images of ${taskDefinition} are not known: ${errorMessage(error)}`);
    return [];
  }
}

/** `family:revision` of a task definition ARN, for descriptions within 140 characters. */
export function shortName(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').at(-1) ?? taskDefinitionArn;
}
