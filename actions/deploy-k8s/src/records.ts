import { releasePayload, type RecordedWorkload } from '../../../shared/src/github/deployment-payload.ts';
import { recordRunning } from '../../../shared/src/github/deployment-history.ts';
import {
  deploymentRecords,
  type DeploymentRecord,
  type DeploymentRecords,
} from '../../../shared/src/github/deployment-records.ts';
import type { RecordInputs } from '../../../shared/src/github/record-inputs.ts';
import { restoredReleaseCommit } from '../../../shared/src/github/restored-commit.ts';
import { readRunContext } from '../../../shared/src/github/run-context.ts';
import { isHistoryKind } from '../../../shared/src/kubernetes/rollback/history.ts';
import { describeRef } from '../../../shared/src/kubernetes/object.ts';
import { templateImages } from '../../../shared/src/kubernetes/rollback/rollback-plan.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { PlannedObject } from './apply/plan.ts';
import type { WorkloadReport } from './rollout.ts';

/**
 * deploy-k8s's deployment records: the deploy's own (created before the first write, in_progress,
 * then success or failure) and, when a failed deploy was rolled back automatically, the rollback's
 * (action `rollback`, `rollback_of` the failed deploy, the restored release's commit when a record
 * knows it) ending success, or failure when the rollback's own rollout failed. Best effort: the
 * first GitHub failure is the one warning and nothing more is tried.
 */
export interface DeployRecords {
  recorder: DeploymentRecords;
  settings: RecordInputs;
  context: string;
  signal: AbortSignal;
}

/** For a real deploy only: a dry run never reaches here, and records nothing. */
export function deployRecords(
  settings: RecordInputs,
  options: { context: string; signal: AbortSignal },
): DeployRecords {
  const recorder = deploymentRecords(
    {
      enabled: settings.recordDeployment,
      token: settings.token,
      environment: settings.environment,
      environmentUrl: settings.environmentUrl,
      transient: settings.transientEnvironment,
      production: settings.productionEnvironment,
    },
    {
      warning: (message) => log.warning(message),
      notice: (message) => log.notice(message),
      info: (message) => log.info(message),
      signal: options.signal,
    },
  );
  return { recorder, settings, context: options.context, signal: options.signal };
}

/** The release's workloads as the plan has them: images after substitution, revisions before the deploy. */
export function plannedWorkloads(
  plan: readonly PlannedObject[],
  previous: ReadonlyMap<PlannedObject, number | undefined>,
): RecordedWorkload[] {
  return plan.flatMap((planned) => {
    const { kind, name, namespace } = planned.ref;
    if (!isHistoryKind(kind) || !namespace) return [];
    return [
      {
        kind,
        name,
        namespace,
        // Not known until the controller has rolled the new template out; the final status says it.
        revision: null,
        previous_revision: previous.get(planned) ?? null,
        containers: templateImages(planned.manifest.object.spec?.template),
      },
    ];
  });
}

export function startDeployRecord(
  records: DeployRecords,
  workloads: RecordedWorkload[],
): Promise<DeploymentRecord> {
  const names = workloads.map((workload) => `${workload.kind}/${workload.name}`).join(', ');
  return records.recorder.start({
    description: `Deploy ${names || 'manifests'}`,
    payload: releasePayload({
      action: 'deploy-k8s',
      kubernetes: { context: records.context, workloads },
      runUrl: readRunContext()?.runUrl,
    }),
  });
}

/** One line for the final status: where each workload ended. */
export function describeOutcome(reports: readonly WorkloadReport[], failure: string | undefined): string {
  if (failure) return failure;
  const where = reports
    .filter((report) => report.revision !== undefined)
    .map((report) => `${describeRef(report.workload.ref)} revision ${report.revision}`);
  return where.length > 0 ? `Deployed ${where.join(', ')}` : 'Deployed';
}

/**
 * The automatic rollback's own record, when it put any workload back: what runs again, as the
 * rollback action records it. Its commit is that of the newest record that ran the same images.
 */
export async function recordAutomaticRollback(
  records: DeployRecords,
  failed: DeploymentRecord,
  reports: readonly WorkloadReport[],
): Promise<void> {
  const rolledBack = reports.filter((report) => report.rollback?.outcome?.changed);
  if (failed.id === undefined || rolledBack.length === 0) return;
  const workloads = rolledBack.map((report): RecordedWorkload => {
    const { kind, name, namespace } = report.workload.ref;
    return {
      kind: kind as RecordedWorkload['kind'],
      name,
      namespace,
      revision: report.revision ?? null,
      previous_revision: null,
      containers: templateImages(report.applied.before?.spec?.template),
    };
  });
  const record = await records.recorder.start({
    ref: await restoredReleaseCommit(records.settings, (listed) => recordRunning(listed, workloads), {
      info: (message) => log.info(message),
      signal: records.signal,
    }),
    description: `Rollback of deployment ${failed.id}: ${workloads.map((workload) => `${workload.kind}/${workload.name}`).join(', ')}`,
    payload: releasePayload({
      action: 'rollback',
      kubernetes: { context: records.context, workloads },
      runUrl: readRunContext()?.runUrl,
      rollbackOf: failed.id,
    }),
  });
  const stuck = rolledBack.filter(
    (report) => report.rollback?.result !== undefined && report.rollback.result.state !== 'complete',
  );
  await record.finish(
    stuck.length > 0 ? 'failure' : 'success',
    stuck.length > 0
      ? `The rollback of ${stuck.map((report) => describeRef(report.workload.ref)).join(', ')} did not complete`
      : `Restored ${rolledBack.map((report) => `${describeRef(report.workload.ref)} revision ${report.revision ?? 'unknown'}`).join(', ')}`,
  );
}
