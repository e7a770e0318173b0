import { formatDuration } from '../../../shared/src/formats/duration.ts';
import { isHistoryKind } from '../../../shared/src/kubernetes/rollback/history.ts';
import { describeRef } from '../../../shared/src/kubernetes/object.ts';
import type { RolloutResult } from '../../../shared/src/kubernetes/rollout/rollout-wait.ts';
import { escapeInline, JobSummary } from '../../../shared/src/runner/summary.ts';
import type { AppliedObject } from './apply/apply.ts';
import { stateOutput, type ObjectState, type ObjectStatus } from './apply/object-states.ts';
import type { WorkloadReport } from './rollout.ts';

/**
 * The step's outputs and job summary: what was applied and how (created / configured / unchanged),
 * each rollout with its revision and time, and, when something failed, the diagnosis and what the
 * rollback did.
 */
export interface DeployOutputs {
  /** JSON: `{"Deployment/shop/web": 4}` — the revision each workload is at when the step ends. */
  revision: Record<string, number | null>;
  /** JSON: the revision before this deploy; null for workloads this deploy created. */
  'previous-revision': Record<string, number | null>;
  'rolled-back': boolean;
  /** JSON list of `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  applied: string[];
  /** JSON: where each object stands, `{"Job/shop/migrate": "not-applied"}`; see object-states.ts. */
  'object-states': Record<string, ObjectState>;
}

export function deployOutputs(
  applied: readonly AppliedObject[],
  reports: readonly WorkloadReport[],
  statuses: readonly ObjectStatus[],
): DeployOutputs {
  const revision: Record<string, number | null> = {};
  const previous: Record<string, number | null> = {};
  for (const report of reports) {
    if (!isHistoryKind(report.workload.ref.kind)) continue;
    const key = describeRef(report.workload.ref);
    revision[key] = report.revision ?? null;
    previous[key] = report.previousRevision ?? null;
  }
  return {
    revision,
    'previous-revision': previous,
    'rolled-back': reports.some((report) => report.rollback?.outcome?.changed),
    applied: applied.map((item) => describeRef(item.planned.ref)),
    'object-states': stateOutput(statuses),
  };
}

export interface DeploySummaryFacts {
  context: string;
  /**
   * A part of a strategy's section (the canary's rollout, then the stable Deployment's at promote):
   * its own heading one level down, under the strategy's one heading for the step.
   */
  part?: string;
  server: string;
  durationMs: number;
  applied: readonly AppliedObject[];
  /** Every object of the manifests, applied or not. */
  statuses: readonly ObjectStatus[];
  reports: readonly WorkloadReport[];
  /** The API server's warnings, each once. */
  warnings: readonly { object: string; text: string }[];
  /** Why the deploy failed, when it did. */
  failure?: string;
}

const STATE_WORDS: Record<ObjectState, string> = {
  applied: 'applied',
  unchanged: 'unchanged',
  'rolled-back': 'rolled back',
  'not-applied': 'not applied',
};

export function deploySummary(facts: DeploySummaryFacts): JobSummary {
  const level = facts.part ? 3 : 2;
  const sub = (level + 1) as 3 | 4;
  const summary = new JobSummary().heading(facts.part ?? `deploy-k8s: ${facts.context}`, level);
  const counts = countOutcomes(facts.applied);
  summary.paragraph(
    `${facts.failure ? '**Failed.** ' : ''}Applied ${facts.applied.length} object(s) (${counts}) to ${escapeInline(facts.server)} in ${formatDuration(facts.durationMs)}.` +
      (facts.failure ? `\n\n${escapeInline(facts.failure)}` : ''),
  );
  summary.table(
    ['Object', 'Result', 'State'],
    facts.statuses.map((status) => [
      describeRef(status.planned.ref),
      status.applied?.outcome ?? '',
      STATE_WORDS[status.state],
    ]),
  );
  if (facts.warnings.length > 0) {
    summary
      .heading('Kubernetes API warnings', sub)
      .list(facts.warnings.map((warning) => escapeInline(`${warning.object}: ${warning.text}`)));
  }
  const waited = facts.reports.filter((report) => report.result);
  if (waited.length > 0) {
    summary.heading('Rollouts', sub).table(
      ['Workload', 'Result', 'Revision', 'Previous', 'Time'],
      waited.map((report) => [
        describeRef(report.workload.ref),
        shortVerdict(report.result as RolloutResult),
        report.revision ?? '',
        !isHistoryKind(report.workload.ref.kind)
          ? ''
          : (report.previousRevision ?? (report.applied.before ? '' : 'new')),
        formatDuration((report.result as RolloutResult).durationMs),
      ]),
    );
  }
  for (const report of facts.reports) {
    if (!report.diagnosis) continue;
    summary.heading(`Diagnosis: ${describeRef(report.workload.ref)}`, sub);
    summary.list(diagnosisLines(report).map(escapeInline));
    for (const log of report.diagnosis.logs) {
      summary.paragraph(
        `Last lines of the log of ${escapeInline(log.pod)}, container ${escapeInline(log.container)}${log.previous ? ' (the instance that crashed)' : ''}:`,
      );
      summary.code(log.tail || '(empty)');
    }
    if (report.diagnosis.events.length > 0) {
      summary.paragraph('Recent Warning events:').list(report.diagnosis.events.map(escapeInline));
    }
  }
  const rollbacks = facts.reports.filter((report) => report.rollback);
  if (rollbacks.length > 0) {
    summary.heading('Rollback', sub).table(
      ['Workload', 'Result'],
      rollbacks.map((report) => [describeRef(report.workload.ref), rollbackVerdict(report)]),
    );
  }
  return summary;
}

/** The verdict, then each problem the verdict does not already state. */
export function diagnosisLines(report: WorkloadReport): string[] {
  const message = report.result?.message ?? '';
  return [message, ...(report.diagnosis?.problems ?? []).filter((problem) => !message.includes(problem))];
}

/** For the rollouts table: the verdict in a word or two; the diagnosis below has the details. */
function shortVerdict(result: RolloutResult): string {
  switch (result.state) {
    case 'complete':
      return 'rolled out';
    case 'not-tracked':
      return 'not waited for (OnDelete)';
    case 'failed':
      return `FAILED: ${result.reason ?? 'see below'}`;
    case 'timed-out':
      return 'TIMED OUT';
    case 'aborted':
      return 'stopped: another rollout failed';
  }
}

export function verdict(result: RolloutResult): string {
  switch (result.state) {
    case 'complete':
      return 'rolled out';
    case 'not-tracked':
      return `not waited for: ${result.message}`;
    case 'failed':
      return `FAILED: ${result.message}`;
    case 'timed-out':
      return `TIMED OUT: ${result.message}`;
    case 'aborted':
      return `stopped (another rollout failed): ${result.message}`;
  }
}

function rollbackVerdict(report: WorkloadReport): string {
  const rollback = report.rollback;
  if (!rollback) return '';
  if (rollback.error) return `FAILED: ${rollback.error}`;
  const outcome = rollback.outcome?.message ?? '';
  const result = rollback.result;
  if (!result) return outcome;
  return `${outcome}; ${result.state === 'complete' ? `rolled out in ${formatDuration(result.durationMs)}` : verdict(result)}`;
}

function countOutcomes(applied: readonly AppliedObject[]): string {
  const counts = { created: 0, configured: 0, unchanged: 0 };
  for (const item of applied) counts[item.outcome]++;
  return `${counts.created} created, ${counts.configured} configured, ${counts.unchanged} unchanged`;
}

export interface DryRunEntry {
  applied: AppliedObject;
  diff: string;
}

export function dryRunSummary(context: string, server: string, entries: readonly DryRunEntry[]): JobSummary {
  const summary = new JobSummary().heading(`deploy-k8s dry run: ${context}`);
  const would = { created: 'would be created', configured: 'would be configured', unchanged: 'unchanged' };
  summary.paragraph(
    `Nothing was changed. Server-side dry run of ${entries.length} object(s) against ${escapeInline(server)} (${countOutcomes(entries.map((entry) => entry.applied))}).`,
  );
  summary.table(
    ['Object', 'Result'],
    entries.map(({ applied }) => [
      describeRef(applied.planned.ref),
      `${would[applied.outcome]}${applied.notValidated ? ` (not validated by the server: ${applied.notValidated})` : ''}`,
    ]),
  );
  for (const entry of entries) {
    if (entry.diff)
      summary.details(
        `${describeRef(entry.applied.planned.ref)}: ${entry.applied.outcome}`,
        fenced(entry.diff, 'diff'),
      );
  }
  return summary;
}

/** A code block whose fence no run of backticks in the text can close early. */
function fenced(text: string, language: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
