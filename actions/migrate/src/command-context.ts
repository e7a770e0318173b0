import { errorMessage } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/log.ts';
import type { Connection } from './database.ts';
import { historyExists, readHistory, type HistoryRow } from './history.ts';
import type { MigrateInputs } from './inputs.ts';
import { acquireMigrationLock } from './lock.ts';
import type { MigrationSet } from './migration-files.ts';
import { blockingDrift, outOfOrderProblems, pendingOf, type Outcome, type Problem } from './outcome.ts';
import { prepareMigrations, type Preparation } from './prepare.ts';
import type { SqlParser } from './sql-script.ts';
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
}

export type CommandHandler = (context: CommandContext) => Promise<Outcome>;

export interface Snapshot {
  historyExisted: boolean;
  rows: HistoryRow[];
  state: DatabaseState;
}

export async function snapshot(context: CommandContext): Promise<Snapshot> {
  const historyExisted = await historyExists(context.connection, context.inputs.history);
  const rows = historyExisted ? await readHistory(context.connection, context.inputs.history) : [];
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
  const rows = await readHistory(context.connection, context.inputs.history);
  const after = analyse(context.migrations, rows);
  return { ...outcome, pending: pendingOf(after), currentVersion: after.currentVersion?.text };
}

export async function withLock(context: CommandContext, fn: () => Promise<Outcome>): Promise<Outcome> {
  const lock = await acquireMigrationLock(context.connection, context.inputs.history, {
    waitMs: context.inputs.lockWaitMs,
    signal: context.signal,
  });
  try {
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
  const preparation = prepareMigrations(
    outcome.pending,
    await context.parser(),
    context.connection.serverVersion,
    {
      allowDestructive: context.inputs.allowDestructive,
    },
  );
  outcome.findings = preparation.findings;
  return { before, outcome, preparation };
}
