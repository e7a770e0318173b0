import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { errorMessage, ReportedFailure } from '../../../../shared/src/errors.ts';
import {
  deploymentRecords,
  type DeploymentRecord,
} from '../../../../shared/src/github/deployment-records.ts';
import { readRunContext } from '../../../../shared/src/github/run-context.ts';
import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../../shared/src/kubernetes/client/client.ts';
import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import { resolveKubernetesCluster, type RollbackInputs } from '../inputs.ts';
import { restoredCommit, rollbackOf, type RecordsContext } from '../records.ts';
import {
  describeRollback,
  recordedWorkloads,
  rollbackOutputs,
  rollbackPayload,
  rollbackSummary,
} from '../report.ts';
import { failureOf, planAll, restoreAll, type WorkloadRollback } from './restore.ts';
import { resolveTargets } from './targets.ts';

/** The Kubernetes rollback: targets -> plan (dry run stops here) -> record -> restore and wait -> report. */
export async function rollBackKubernetes(
  inputs: RollbackInputs,
  records: RecordsContext,
  { signal, startedAt }: { signal: AbortSignal; startedAt: number },
): Promise<void> {
  const cluster = inputs.cluster ?? (await resolveKubernetesCluster(process.env));
  const client = await createKubernetesClient(cluster, {
    onRetry: (message) => log.info(`Retrying: ${message}`),
  });
  try {
    const targets = await resolveTargets(client, inputs, records.source, signal);
    const rollbacks = await log.group(`Plan the rollback of ${targets.length} workload(s)`, async () => {
      const planned = await planAll(client, targets, signal);
      for (const { plan } of planned) {
        const images = Object.values(plan.imagesAfter).join(', ');
        log.info(
          plan.changed
            ? `${describeRef(plan.ref)}: revision ${plan.currentRevision ?? 'unknown'} -> revision ${plan.revision} (${images})`
            : `${describeRef(plan.ref)}: already runs revision ${plan.revision} (${images}); nothing to do`,
        );
      }
      return planned;
    });
    if (inputs.dryRun) {
      setOutputs(rollbackOutputs(rollbacks, undefined));
      await summarise(client, rollbacks, { dryRun: true, startedAt });
      return;
    }
    const record = await startRecord(inputs, records, client, rollbacks, signal);
    let stepError: unknown;
    await log.group('Roll back', async () => {
      try {
        await restoreAll(client, rollbacks, {
          deadline: new Deadline(inputs.timeoutMs, `the rollback of ${rollbacks.length} workload(s)`),
          signal,
          wait: inputs.wait,
          maxRestarts: inputs.maxRestarts,
          onProgress: (message) => log.info(message),
          onWarning: (message) => log.warning(message),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        stepError = error;
      }
    });
    const failed = rollbacks.filter((rollback) => failureOf(rollback) !== undefined);
    for (const rollback of failed) {
      log.error(`${describeRef(rollback.plan.ref)}: ${failureOf(rollback)}`, {
        title: `Rollback of ${describeRef(rollback.plan.ref)} failed`,
      });
    }
    const failure =
      stepError !== undefined
        ? errorMessage(stepError)
        : failed.length > 0
          ? `${failed.length} of ${rollbacks.length} rollback(s) failed: ${failed.map((rollback) => describeRef(rollback.plan.ref)).join(', ')}.`
          : undefined;
    setOutputs(rollbackOutputs(rollbacks, record.id));
    await record.finish(
      failure ? 'failure' : 'success',
      failure ??
        `Restored ${rollbacks.map((rollback) => `${describeRef(rollback.plan.ref)} revision ${rollback.plan.revision}`).join(', ')}`,
    );
    await summarise(client, rollbacks, {
      dryRun: false,
      startedAt,
      failure,
      record,
      rollbackOf: rollbackOf(records),
    });
    if (stepError !== undefined) throw stepError;
    if (failure) throw new ReportedFailure(failure);
  } finally {
    const { total, byVerb } = client.calls;
    const verbs = Object.entries(byVerb).map(([verb, count]) => `${count} ${verb}`);
    log.info(`Kubernetes API calls: ${total}${verbs.length ? ` (${verbs.join(', ')})` : ''}.`);
    await client.close();
  }
}

/** A rollback that changes nothing (every workload already there) is not recorded: nothing was deployed. */
async function startRecord(
  inputs: RollbackInputs,
  records: RecordsContext,
  client: KubernetesClient,
  rollbacks: readonly WorkloadRollback[],
  signal: AbortSignal,
): Promise<DeploymentRecord> {
  const changes = rollbacks.some((rollback) => rollback.plan.changed);
  if (!changes && records.recordable)
    log.info('No deployment record: every workload already runs the revision asked for.');
  const replaced = rollbackOf(records);
  const recorder = deploymentRecords(
    {
      enabled: records.recordable && changes,
      token: inputs.token,
      environment: records.environment,
      environmentUrl: inputs.environmentUrl,
      transient: inputs.transientEnvironment,
      production: inputs.productionEnvironment,
    },
    {
      warning: (message) => log.warning(message),
      notice: (message) => log.notice(message),
      info: (message) => log.info(message),
      signal,
    },
  );
  return recorder.start({
    ref: restoredCommit(records, recordedWorkloads(rollbacks), inputs.source.kind === 'from-deployment'),
    description: describeRollback(rollbacks, replaced),
    payload: rollbackPayload(rollbacks, client.context, readRunContext()?.runUrl, replaced),
  });
}

async function summarise(
  client: KubernetesClient,
  rollbacks: readonly WorkloadRollback[],
  facts: {
    dryRun: boolean;
    startedAt: number;
    failure?: string;
    record?: DeploymentRecord;
    rollbackOf?: number;
  },
): Promise<void> {
  await rollbackSummary({
    context: client.context,
    server: client.server,
    dryRun: facts.dryRun,
    durationMs: Date.now() - facts.startedAt,
    rollbacks,
    failure: facts.failure,
    deploymentId: facts.record?.id,
    rollbackOf: facts.record?.id === undefined ? undefined : facts.rollbackOf,
  }).write();
}
