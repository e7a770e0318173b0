import { formatDuration } from '../../../../shared/src/formats/duration.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { Finding } from './sql/lint.ts';
import type { Outcome } from './commands/outcome.ts';
import { HISTORY_ROWS_DETAILED } from './database/history.ts';

/** The outputs, annotations and job summary of a command, all from its Outcome. */

export interface MigrateOutputs {
  applied: {
    version: string | null;
    description: string;
    type: string;
    script: string;
    'execution-ms': number;
  }[];
  'pending-count': number;
  'current-version': string;
  'lint-findings': { file: string; line: number; rule: string; severity: string; message: string }[];
  drift: { kind: string; version: string; script: string }[];
}

export function writeOutputs(outcome: Outcome): void {
  setOutputs<MigrateOutputs>({
    applied: outcome.applied.map((result) => ({
      version: result.migration.version?.text ?? null,
      description: result.migration.description,
      type: result.type,
      script: result.migration.script,
      'execution-ms': Math.round(result.executionMs),
    })),
    'pending-count': outcome.pending.length,
    'current-version': outcome.currentVersion ?? '',
    'lint-findings': outcome.findings.map((finding) => ({
      file: finding.file,
      line: finding.line,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
    })),
    drift: outcome.drift.map((item) => ({ kind: item.kind, version: item.version, script: item.script })),
  });
}

export function annotate(outcome: Outcome): void {
  for (const finding of outcome.findings) {
    const location = {
      title: `${finding.rule}`,
      file: finding.file,
      startLine: finding.line,
      endLine: finding.endLine,
    };
    if (finding.severity === 'error') log.error(finding.message, location);
    else if (finding.severity === 'warning') log.warning(finding.message, location);
    else log.notice(finding.message, location);
  }
  if (outcome.command !== 'migrate') {
    for (const row of outcome.state.failed) {
      log.warning(
        `${row.script} failed in its last attempt (${row.appliedAt}): ${firstLine(row.error ?? 'no error recorded')} migrate will try it again.`,
        { title: 'Failed migration' },
      );
    }
  }
  for (const item of outcome.drift.filter((drift) => drift.kind === 'unknown')) {
    log.warning(item.message, { title: 'Database ahead of the migration files' });
  }
  for (const problem of outcome.problems) {
    log.error(problem.message, {
      title: problem.title,
      ...(problem.file ? { file: problem.file } : {}),
      ...(problem.line ? { startLine: problem.line } : {}),
    });
  }
}

const TITLES: Record<Outcome['command'], string> = {
  migrate: 'Database migrations',
  plan: 'Migration plan',
  validate: 'Migration validation',
  baseline: 'Migration baseline',
  undo: 'Migration undo',
  info: 'Migration status',
};

export function buildSummary(outcome: Outcome, elapsedMs: number): JobSummary {
  const summary = new JobSummary().heading(`${TITLES[outcome.command]}: ${headline(outcome)}`);
  const before = outcome.state.currentVersion?.text;
  summary.paragraph(
    [
      `Database \`${escapeCode(outcome.target)}\`, history table \`${escapeCode(outcome.history.display)}\`${historyNote(outcome)}.`,
      `Version ${before ?? 'none'}${outcome.currentVersion !== before ? ` → ${outcome.currentVersion ?? 'none'}` : ''}, in ${formatDuration(elapsedMs)}.`,
      ...(outcome.note ? [escapeInline(outcome.note)] : []),
    ].join(' '),
  );
  if (outcome.applied.length > 0) {
    summary.heading(outcome.command === 'undo' ? 'Undone' : 'Applied', 3).table(
      ['Version', 'Description', 'Type', 'Took', 'Attempts', 'Transaction'],
      outcome.applied.map((result) => [
        result.migration.version?.text ?? '',
        escapeInline(result.migration.description),
        result.type,
        formatDuration(result.executionMs),
        result.attempts,
        result.inTransaction ? 'yes' : 'no (statement by statement)',
      ]),
    );
  }
  if (outcome.problems.length > 0) {
    summary.heading('Problems', 3).list(outcome.problems.map((problem) => escapeInline(problem.message)));
  }
  if (outcome.pending.length > 0) {
    summary.heading(outcome.command === 'plan' ? 'Would apply' : 'Pending', 3).table(
      ['Version', 'Description', 'Type', 'File'],
      outcome.pending.map(({ migration, type }) => [
        migration.version?.text ?? '',
        escapeInline(migration.description),
        type,
        `\`${escapeCode(migration.script)}\``,
      ]),
    );
  }
  if (outcome.findings.length > 0) {
    summary.heading('Lint findings', 3).table(
      ['Where', 'Rule', 'Severity', 'Finding'],
      outcome.findings.map((finding) => [
        `\`${escapeCode(finding.script)}:${finding.line}\``,
        finding.rule,
        severityLabel(finding),
        escapeInline(finding.message),
      ]),
    );
  }
  if (outcome.drift.length > 0) {
    summary.heading('Drift', 3).table(
      ['Kind', 'Version', 'Script', 'Detail'],
      outcome.drift.map((item) => [
        item.kind,
        item.version,
        `\`${escapeCode(item.script)}\``,
        escapeInline(item.message),
      ]),
    );
  }
  if (outcome.command === 'info') addHistory(summary, outcome);
  return summary;
}

function historyNote(outcome: Outcome): string {
  if (outcome.historyCreated) return ' (created by this run)';
  return outcome.historyExisted ? '' : ' (not created yet)';
}

function headline(outcome: Outcome): string {
  const failed =
    outcome.problems.length > 0 || outcome.findings.some((finding) => finding.severity === 'error');
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  switch (outcome.command) {
    case 'migrate':
      if (failed) {
        return outcome.applied.length === 0
          ? 'stopped before applying anything'
          : `failed after applying ${count(outcome.applied.length, 'migration')}`;
      }
      return outcome.applied.length === 0
        ? 'up to date'
        : `applied ${count(outcome.applied.length, 'migration')}`;
    case 'plan':
      return `${count(outcome.pending.length, 'pending migration')}${failed ? ', and problems that stop migrate' : ''}`;
    case 'validate':
      return failed
        ? `${count(outcome.problems.length, 'problem')}`
        : 'the applied migrations match the files';
    case 'baseline':
      return failed ? 'refused' : `marked at version ${outcome.currentVersion}`;
    case 'undo':
      return failed ? 'failed' : `undid version ${outcome.applied[0]?.migration.version?.text}`;
    case 'info':
      return `version ${outcome.currentVersion ?? 'none'}, ${count(outcome.pending.length, 'pending migration')}`;
  }
}

/** The last rows of the history table, newest first: those readHistory reads in full. */
function addHistory(summary: JobSummary, outcome: Outcome): void {
  const rows = outcome.rows.slice(-HISTORY_ROWS_DETAILED).reverse();
  if (rows.length === 0) return;
  summary.heading(`History (latest ${rows.length} of ${outcome.rows.length})`, 3).table(
    ['Version', 'Description', 'Type', 'Result', 'Applied at', 'By', 'Took'],
    rows.map((row) => [
      row.version ?? '',
      escapeInline(row.description),
      row.type,
      row.success ? 'success' : 'failed',
      row.appliedAt ?? '',
      escapeInline(row.appliedBy ?? ''),
      row.executionMs === null ? '' : formatDuration(row.executionMs),
    ]),
  );
}

function severityLabel(finding: Finding): string {
  if (finding.severity === 'error') return finding.destructive ? 'error (destructive)' : 'error';
  return finding.destructive ? `${finding.severity} (destructive, allowed)` : finding.severity;
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}

/** Inside a code span only a backtick can end it early. */
function escapeCode(text: string): string {
  return text.replaceAll('`', "'");
}
