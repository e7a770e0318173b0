import { errorMessage } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { throwIfAborted } from '../../../../../shared/src/async/sleep.ts';
import type { ApplyResult } from '../database/apply.ts';
import type { Connection } from '../database/database.ts';
import { historyExists, readHistory, type HistoryRow, type HistoryTable } from '../database/history.ts';
import type { MigrateInputs } from '../../inputs.ts';
import { acquireMigrationLock } from '../database/lock.ts';
import type { MigrationSet } from '../files/migration-files.ts';
import { blockingDrift, outOfOrderProblems, pendingOf, type Outcome, type Problem } from './outcome.ts';
import { prepareMigrations, type Preparation } from './prepare.ts';
import { connectionLost, type Session } from '../database/session.ts';
import type { SqlParser } from '../sql/sql-script.ts';
import { analyse, type DatabaseState } from './state.ts';

/**
 * What every command starts from: the history as it stands, read once (after the lock, for the
 * writing commands), and the checks that need no SQL parsing.
 */

export interface CommandContext {
  inputs: MigrateInputs;
  migrations: MigrationSet;
  connection: Connection;
  parser: () => Promise<SqlParser>;
  signal: AbortSignal;
  runUrl: string | null;
  /**
   * The history as plan, validate and info read it while the files were still loading (see run.ts);
   * the writing commands read it after taking the lock, so they never have one.
   */
  earlyHistory?: Promise<HistoryRead>;
}

export type CommandHandler = (context: CommandContext) => Promise<Outcome>;

export interface HistoryRead {
  historyExisted: boolean;
  rows: HistoryRow[];
}

export interface Snapshot extends HistoryRead {
  state: DatabaseState;
}

export async function readHistoryTable(session: Session, history: HistoryTable): Promise<HistoryRead> {
  const historyExisted = await historyExists(session, history);
  return { historyExisted, rows: historyExisted ? await readHistory(session, history) : [] };
}

export async function snapshot(context: CommandContext): Promise<Snapshot> {
  const { historyExisted, rows } = await (context.earlyHistory ??
    readHistoryTable(context.connection, context.inputs.history));
  return { historyExisted, rows, state: analyse(context.migrations, rows) };
}

export function baseOutcome(context: CommandContext, { historyExisted, rows, state }: Snapshot): Outcome {
  return {
    command: context.inputs.command,
    target: context.connection.target,
    history: context.inputs.history,
    historyExisted,
    historyCreated: false,
    rows,
    state,
    applied: [],
    pending: pendingOf(state),
    currentVersion: state.currentVersion?.text,
    findings: [],
    drift: state.drift,
    problems: [],
  };
}

/** After a writing command: where the database stands now. */
export async function settle(context: CommandContext, outcome: Outcome): Promise<Outcome> {
  let rows: HistoryRow[];
  try {
    rows = await readHistory(context.connection, context.inputs.history);
  } catch (error) {
    // A migration failed because the connection was lost: its problem says so, and the outputs and
    // summary are still due, from the rows read at the start and what this run applied since.
    const lost = error instanceof Error && connectionLost(error.cause);
    if (!lost || !outcome.problems.some((problem) => problem.phase === 'run')) throw error;
    log.info(
      `The connection is gone, so the history table was not read again: pending-count and current-version come from what this run applied.`,
    );
    const lastId = outcome.rows.at(-1)?.id ?? 0;
    rows = [
      ...outcome.rows,
      ...outcome.applied.map((applied, index) => appliedRow(applied, lastId + index + 1)),
    ];
  }
  const after = analyse(context.migrations, rows);
  return { ...outcome, pending: pendingOf(after), currentVersion: after.currentVersion?.text };
}

/** The history row a migration this run applied wrote, as far as analyse() reads it. */
function appliedRow({ migration, type, executionMs }: ApplyResult, id: number): HistoryRow {
  return {
    id,
    version: migration.version?.text ?? null,
    description: migration.description,
    type,
    script: migration.script,
    checksum: migration.checksum,
    appliedBy: '',
    appliedAt: '',
    executionMs,
    success: true,
    error: null,
  };
}

export async function withLock(context: CommandContext, fn: () => Promise<Outcome>): Promise<Outcome> {
  const lock = await acquireMigrationLock(context.connection, context.inputs.history, {
    waitMs: context.inputs.lockWaitMs,
    signal: context.signal,
  });
  try {
    // A cancellation that came while the lock was being taken: nothing has started, nothing may.
    throwIfAborted(context.signal);
    return await fn();
  } finally {
    await lock
      .release()
      .catch((error: unknown) => log.debug(`releasing the migration lock: ${errorMessage(error)}`));
  }
}

/** Drift and out-of-order versions: what stops migrate, plan and validate. */
export function orderAndDriftProblems(context: CommandContext, state: DatabaseState): Problem[] {
  return [...blockingDrift(state.drift), ...(context.inputs.outOfOrder ? [] : outOfOrderProblems(state))];
}

/**
 * What plan and migrate both check before anything could run: the database's history against the
 * files (order, drift), and every pending file parsed and linted. Plan stops here; migrate goes on
 * only when nothing blocks, so plan fails on exactly what would stop migrate.
 */
export async function checkPending(
  context: CommandContext,
): Promise<{ before: Snapshot; outcome: Outcome; preparation: Preparation }> {
  const before = await snapshot(context);
  const outcome = baseOutcome(context, before);
  outcome.problems.push(...orderAndDriftProblems(context, before.state));
  // Nothing pending, nothing to parse: the parser's WebAssembly is not even loaded (plan starts
  // loading it only now, so a plan with nothing to do never pays for it).
  const preparation =
    outcome.pending.length === 0
      ? { prepared: [], findings: [], blocking: [] }
      : await prepareMigrations(outcome.pending, await context.parser(), context.connection.serverVersion, {
          allowDestructive: context.inputs.allowDestructive,
          database: context.connection,
        });
  outcome.findings = preparation.findings;
  return { before, outcome, preparation };
}
