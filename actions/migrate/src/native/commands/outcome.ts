import type { ApplyResult, MigrationType } from '../database/apply.ts';
import type { HistoryRow, HistoryTable } from '../database/history.ts';
import type { Command } from '../../inputs.ts';
import type { Finding } from '../sql/lint.ts';
import type { MigrationFile } from '../files/migration-files.ts';
import type { DatabaseState, Drift } from './state.ts';

/** What a command found and did: the one input of the outputs, the annotations and the job summary. */

/** A reason the step fails, annotated as an error (on the file and line when there is one). */
export interface Problem {
  /** Found by the checks that run before anything changes, or by running a migration. */
  phase: 'check' | 'run';
  title: string;
  message: string;
  file?: string;
  line?: number;
}

export interface PendingMigration {
  migration: MigrationFile;
  type: MigrationType;
}

export interface Outcome {
  command: Command;
  target: string;
  history: HistoryTable;
  /** Whether the history table existed when the command started, and whether the command created it. */
  historyExisted: boolean;
  historyCreated: boolean;
  /** The history rows the command started from, and what they mean against the files. */
  rows: HistoryRow[];
  state: DatabaseState;
  applied: ApplyResult[];
  /** What is still to apply after the command (for plan: what migrate would apply). */
  pending: PendingMigration[];
  /** The highest applied or baseline version once the command is done. */
  currentVersion: string | undefined;
  findings: Finding[];
  drift: Drift[];
  problems: Problem[];
  /** A line for the summary when the command did something other than apply (baseline). */
  note?: string;
}

export function pendingOf(state: DatabaseState): PendingMigration[] {
  return [
    ...state.pendingVersioned.map((migration) => ({ migration, type: 'versioned' as const })),
    ...state.pendingRepeatable.map((migration) => ({ migration, type: 'repeatable' as const })),
  ];
}

/** Drift that stops migrate, plan and validate: changed and missing files. A database ahead of the files only warns. */
export function blockingDrift(drift: readonly Drift[]): Problem[] {
  return drift
    .filter((item) => item.kind !== 'unknown')
    .map((item) => ({
      phase: 'check' as const,
      title: item.kind === 'changed' ? 'Applied migration changed' : 'Applied migration missing',
      message: item.message,
      ...(item.file ? { file: item.file, line: 1 } : {}),
    }));
}

export function outOfOrderProblems(state: DatabaseState): Problem[] {
  const highest = state.applied.at(-1)?.version.text;
  return state.outOfOrder.map((migration) => ({
    phase: 'check' as const,
    title: 'Out-of-order migration',
    message:
      `${migration.script} (version ${migration.version?.text}) is lower than version ${highest}, which is already applied: ` +
      'it was probably added on a branch merged after a later one. Renumber it above the latest version, or set out-of-order: true to apply it anyway.',
    file: migration.annotationPath,
    line: 1,
  }));
}
