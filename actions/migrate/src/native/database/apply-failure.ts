import { formatDuration } from '../../../../../shared/src/formats/duration.ts';
import { ActionError, errorMessage } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { RetryExhaustedError } from '../../../../../shared/src/async/retry.ts';
import { redact } from '../../../../../shared/src/runner/secrets.ts';
import { abortReason } from '../../../../../shared/src/async/sleep.ts';
import type { ApplySettings, MigrationType } from './apply.ts';
import { describeBlockers } from './blockers.ts';
import type { Connection } from './database.ts';
import { insertHistorySql, ownWriteTransaction, type HistoryTable, type NewHistoryRow } from './history.ts';
import type { MigrationFile } from '../files/migration-files.ts';
import { CONNECTION_LOST_HINT, connectionLost, sqlState, type PostgresError } from './session.ts';
import type { Statement } from '../sql/sql-script.ts';

/**
 * How a migration that failed is reported: the error that names the file, the line and the cause,
 * and the history row of the failed attempt.
 */

export const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';

export class MigrationFailedError extends ActionError {
  readonly migration: MigrationFile;
  /** The line of the statement that failed (of the error inside it, when the server says where). */
  readonly line: number | undefined;

  constructor(migration: MigrationFile, line: number | undefined, message: string, hint?: string) {
    super(message, hint === undefined ? {} : { hint });
    this.name = 'MigrationFailedError';
    this.migration = migration;
    this.line = line;
  }
}

/** A file run outside a transaction is applied for good, whether or not its history row is written. */
export function notRecorded(
  migration: MigrationFile,
  history: HistoryTable,
  insert: string,
  error: unknown,
): MigrationFailedError {
  const lost = connectionLost(error);
  return new MigrationFailedError(
    migration,
    undefined,
    `${migration.script} ran to the end outside a transaction, but recording it in ${history.display} failed: ${describeError(error)} ` +
      (lost
        ? 'The connection was lost, so whether its history row was written is unknown.'
        : 'It is applied but not recorded, so the next run would run it again.'),
    `see the history with command: info; if the row is missing, record it by hand with ${insert}, or make the file's statements safe to repeat (IF NOT EXISTS) and run the step again`,
  );
}

export interface Failure {
  error: unknown;
  attempts: number;
  statement: Statement | undefined;
  /** The file's line of the error: in the statement, where the server says, or its first line. */
  line: number | undefined;
  statements: Statement[];
  elapsedMs: number;
  /** Statements that ran outside a transaction before the failing one (or its transaction), and stay applied. */
  leftApplied: number;
  /** The BEGIN of the file's own transaction that the failure rolled back. */
  rolledBackFrom?: Statement | undefined;
  inTransaction: boolean;
}

/** Records the failed attempt and builds the error that names the file, the line and the cause. */
export async function failed(
  connection: Connection,
  migration: MigrationFile,
  type: MigrationType,
  settings: ApplySettings,
  failure: Failure,
): Promise<Error> {
  const cause = failure.error instanceof RetryExhaustedError ? failure.error.lastError : failure.error;
  const cancelled = settings.signal?.aborted && (sqlState(cause) === QUERY_CANCELED || !sqlState(cause));
  const statement = failure.statement;
  const line = statement ? (failure.line ?? statement.line) : undefined;
  const where = statement
    ? `line ${line} (statement ${failure.statements.indexOf(statement) + 1} of ${failure.statements.length})`
    : 'recording it in the history table';
  const state = sqlState(cause);
  const lost = connectionLost(cause);
  let message = `${migration.script} failed at ${where}: ${describeError(cause)}`;
  let hint = lost ? CONNECTION_LOST_HINT : undefined;
  if (state === LOCK_NOT_AVAILABLE && statement) {
    const blockers = await describeBlockers(connection, statement.node).catch(() => undefined);
    message =
      `${migration.script} could not get a lock at ${where} within lock-timeout (${formatDuration(settings.lockTimeoutMs)}) ` +
      `in ${failure.attempts} attempt(s)${blockers ? `: ${blockers}` : ''}.`;
    hint =
      'a long-running transaction holds a lock this migration needs: let it finish or end it, then re-run; raise lock-timeout only if the table may stay blocked for that long';
  }
  const stayApplied = `${failure.leftApplied} statement(s) before it ran outside a transaction and stay applied.`;
  if (failure.rolledBackFrom) {
    message += ` The file's own transaction from line ${failure.rolledBackFrom.line} was rolled back${failure.leftApplied > 0 ? `; the ${stayApplied}` : ', so nothing of it was applied.'}`;
  } else if (failure.leftApplied > 0) {
    message += ` The ${stayApplied}`;
  } else if (lost && failure.inTransaction && !statement) {
    // The COMMIT was sent with the history row: the row is there exactly when the migration is.
    message +=
      ' The connection was lost before the server confirmed the COMMIT, so whether it was applied is unknown: its row in the history table (command: info) says.';
  } else {
    message += ' Nothing of it was applied.';
  }
  // No row for an attempt that never started (cancelled before it), nor on a connection that is gone.
  if (failure.attempts > 0 && !lost) {
    const row = historyRow(
      migration,
      type,
      failure.elapsedMs,
      false,
      cancelled ? `cancelled: ${message}` : message,
    );
    await connection
      .query(ownWriteTransaction(insertHistorySql(settings.history, row, settings.runUrl)))
      .catch(async (error: unknown) => {
        await connection.query('ROLLBACK').catch(() => undefined);
        log.warning(`Could not record the failure in ${settings.history.display}: ${errorMessage(error)}`);
      });
  }
  if (cancelled && settings.signal) return abortReason(settings.signal);
  return new MigrationFailedError(migration, line, message, hint);
}

export function historyRow(
  migration: MigrationFile,
  type: MigrationType,
  executionMs: number,
  success: boolean,
  error: string | null,
): NewHistoryRow {
  return {
    version: migration.version?.text ?? null,
    description: migration.description,
    type,
    script: migration.script,
    checksum: migration.checksum,
    executionMs,
    success,
    error: error === null ? null : redact(error),
  };
}

function describeError(error: unknown): string {
  const pgError = error as PostgresError;
  const state = sqlState(error);
  const parts = [`${state ? `ERROR ${state}: ` : ''}${errorMessage(error)}`];
  if (pgError.detail) parts.push(`DETAIL: ${pgError.detail}`);
  if (pgError.hint) parts.push(`HINT: ${pgError.hint}`);
  if (pgError.where) parts.push(`CONTEXT: ${pgError.where}`);
  return `${parts.join('. ')}.`;
}
