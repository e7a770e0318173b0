import { formatDuration } from '../../../shared/src/formats/duration.ts';
import {
  releasePayload,
  type DeploymentPayload,
  type RecordedWorkload,
} from '../../../shared/src/github/deployment-payload.ts';
import { describeRef } from '../../../shared/src/kubernetes/object.ts';
import { escapeInline, JobSummary, link } from '../../../shared/src/runner/summary.ts';
import { outputKey } from './kubernetes/workload-refs.ts';
import { failureOf, type WorkloadRollback } from './kubernetes/restore.ts';

/**
 * The step's outputs, job summary and deployment record, all read from the same rollbacks: for
 * each workload the revision and images before and after, and what happened.
 */
export interface RollbackOutputs {
  /** A bare number for one workload; `{"deployment/api": 3}` for several. */
  'restored-revision': string;
  /** The same form; null inside the object (empty when bare) while unknown. */
  'replaced-revision': string;
  /** One image per line, each once. */
  images: string;
  'deployment-id': string;
}

export function rollbackOutputs(
  rollbacks: readonly WorkloadRollback[],
  deploymentId: number | undefined,
): RollbackOutputs {
  return {
    'restored-revision': perWorkload(rollbacks, (rollback) => rollback.plan.revision),
    'replaced-revision': perWorkload(rollbacks, (rollback) => rollback.plan.currentRevision ?? null),
    images: imagesOf(rollbacks).join('\n'),
    'deployment-id': deploymentId === undefined ? '' : String(deploymentId),
  };
}

function perWorkload(
  rollbacks: readonly WorkloadRollback[],
  value: (rollback: WorkloadRollback) => number | null,
): string {
  if (rollbacks.length === 1) return String(value(rollbacks[0] as WorkloadRollback) ?? '');
  return JSON.stringify(
    Object.fromEntries(rollbacks.map((rollback) => [outputKey(rollback.plan.ref), value(rollback)])),
  );
}

export function imagesOf(rollbacks: readonly WorkloadRollback[]): string[] {
  return [...new Set(rollbacks.flatMap((rollback) => Object.values(rollback.plan.imagesAfter)))];
}

export function recordedWorkloads(rollbacks: readonly WorkloadRollback[]): RecordedWorkload[] {
  return rollbacks.map(({ plan }) => ({
    kind: plan.ref.kind,
    name: plan.ref.name,
    namespace: plan.ref.namespace,
    revision: plan.revision,
    previous_revision: plan.currentRevision ?? null,
    containers: plan.imagesAfter,
  }));
}

export function rollbackPayload(
  rollbacks: readonly WorkloadRollback[],
  context: string,
  runUrl: string | undefined,
  rollbackOf: number | undefined,
): DeploymentPayload {
  return releasePayload({
    action: 'rollback',
    kubernetes: { context, workloads: recordedWorkloads(rollbacks) },
    runUrl,
    rollbackOf,
  });
}

/** One line for the deployment's description (cut to GitHub's 140 characters by the recorder). */
export function describeRollback(
  rollbacks: readonly WorkloadRollback[],
  rollbackOf: number | undefined,
): string {
  const what = rollbacks
    .map((rollback) => `${outputKey(rollback.plan.ref)} to revision ${rollback.plan.revision}`)
    .join(', ');
  return `Rollback${rollbackOf === undefined ? '' : ` of deployment ${rollbackOf}`}: ${what}`;
}

export interface SummaryFacts {
  context: string;
  server: string;
  dryRun: boolean;
  durationMs: number;
  rollbacks: readonly WorkloadRollback[];
  failure?: string;
  deploymentId?: number;
  deploymentUrl?: string;
  rollbackOf?: number;
}

export function rollbackSummary(facts: SummaryFacts): JobSummary {
  const summary = new JobSummary().heading(`rollback${facts.dryRun ? ' (dry run)' : ''}: ${facts.context}`);
  const lead = facts.dryRun
    ? 'Nothing was changed: this is what a rollback would restore.'
    : facts.failure
      ? `**Failed.** ${escapeInline(facts.failure)}`
      : `Rolled back ${facts.rollbacks.length} workload(s) in ${formatDuration(facts.durationMs)}.`;
  const record =
    facts.deploymentId === undefined
      ? ''
      : ` Recorded as deployment ${facts.deploymentUrl ? link(String(facts.deploymentId), facts.deploymentUrl) : facts.deploymentId}${facts.rollbackOf === undefined ? '' : `, rollback of deployment ${facts.rollbackOf}`}.`;
  summary.paragraph(`${lead} Cluster ${escapeInline(facts.server)}.${record}`);
  summary.table(
    ['Workload', 'Before', 'After', 'Result'],
    facts.rollbacks.map((rollback) => [
      describeRef(rollback.plan.ref),
      state(rollback.plan.currentRevision, rollback.plan.imagesBefore),
      state(rollback.plan.revision, rollback.plan.imagesAfter),
      result(rollback, facts.dryRun),
    ]),
  );
  for (const rollback of facts.rollbacks) {
    if (!rollback.diagnosis) continue;
    summary.heading(`Diagnosis: ${describeRef(rollback.plan.ref)}`, 3);
    summary.list(rollback.diagnosis.problems.map(escapeInline));
    for (const log of rollback.diagnosis.logs) {
      summary.paragraph(
        `Last lines of the log of ${escapeInline(log.pod)}, container ${escapeInline(log.container)}:`,
      );
      summary.code(log.tail || '(empty)');
    }
    if (rollback.diagnosis.events.length > 0) {
      summary.paragraph('Recent Warning events:').list(rollback.diagnosis.events.map(escapeInline));
    }
  }
  return summary;
}

function state(revision: number | undefined, images: Record<string, string>): string {
  const lines = Object.entries(images).map(([container, image]) => `${container}: ${image}`);
  return [`revision ${revision ?? 'unknown'}`, ...lines].join('\n');
}

function result(rollback: WorkloadRollback, dryRun: boolean): string {
  if (dryRun)
    return rollback.plan.changed
      ? `would roll back to revision ${rollback.plan.revision}`
      : 'already there: nothing to do';
  const failure = failureOf(rollback);
  if (failure) return `FAILED: ${failure}`;
  const outcome = rollback.outcome?.message ?? '';
  return rollback.result
    ? `${outcome}; rolled out in ${formatDuration(rollback.result.durationMs)}`
    : outcome;
}
