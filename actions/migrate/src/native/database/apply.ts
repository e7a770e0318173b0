import { formatDuration } from '../../../../../shared/src/formats/duration.ts';
import { errorMessage } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { retry, type RetryVerdict } from '../../../../../shared/src/async/retry.ts';
import { failed, historyRow, LOCK_NOT_AVAILABLE, notRecorded } from './apply-failure.ts';
import { cancelOnAbort, type Connection } from './database.ts';
import {
  insertHistorySql,
  MARK_NEXT_MIGRATION_START,
  ownWriteTransaction,
  START_MARK_SETTING,
  type HistoryTable,
  type HistoryType,
} from './history.ts';
import { dropInvalidIndex } from './invalid-index.ts';
import type { MigrationFile } from '../files/migration-files.ts';
import { sqlState } from './session.ts';
import { opensBlock, retryUnits } from '../sql/retry-units.ts';
import { runBatches, type FailedAt, type MadeAttempt } from './run-batches.ts';
import { batchStatements, failedStatement, singleStatement, type Batch } from './statement-batches.ts';
import type { Script, Statement } from '../sql/sql-script.ts';
import { quoteLiteral } from '../sql/sql-quote.ts';

export { MigrationFailedError } from './apply-failure.ts';

/**
 * Runs one migration file and records it in the history table.
 *
 * In a transaction (the normal case): the statements and the history row commit together or not at
 * all, so a failure leaves nothing behind but a failed row written afterwards, and the next run
 * simply tries again. Outside a transaction (a file with CREATE INDEX CONCURRENTLY and the like):
 * statement by statement, each retried alone, and an index build that failed is cleaned up so that
 * the next attempt does not trip over the invalid index it left.
 *
 * Every migration starts from the session's defaults with lock_timeout and statement_timeout set, so
 * DDL that cannot get its lock gives up after lock-timeout instead of queueing behind a long
 * transaction while every query on the table queues behind it; such an attempt is retried with
 * backoff up to lock-retries times.
 */

export type MigrationType = Exclude<HistoryType, 'baseline'>;

export interface ApplySettings {
  history: HistoryTable;
  lockTimeoutMs: number;
  /** 0: no limit. */
  statementTimeoutMs: number;
  lockRetries: number;
  runUrl: string | null;
  signal?: AbortSignal;
  /** Backoff between attempts after a lock timeout. */
  retryDelay?: { initialMs: number; maxMs: number };
}

export interface ApplyResult {
  migration: MigrationFile;
  type: MigrationType;
  executionMs: number;
  attempts: number;
  inTransaction: boolean;
}

const DEFAULT_RETRY_DELAY = { initialMs: 1000, maxMs: 30_000 };

/**
 * `made`: the first attempt, made already with other migrations in one round trip (apply-group.ts);
 * it counts as attempt 1, and the attempts after it, if any, are made here as usual.
 */
export async function applyMigration(
  connection: Connection,
  migration: MigrationFile,
  script: Script,
  type: MigrationType,
  settings: ApplySettings,
  made?: MadeAttempt,
): Promise<ApplyResult> {
  return cancelOnAbort(connection, settings.signal, () =>
    script.outsideTransaction
      ? runOutsideTransaction(connection, migration, script, type, settings)
      : runInTransaction(connection, migration, script, type, settings, made),
  );
}

/**
 * Where a migration sits in a round trip of several (apply-group.ts); a migration sent alone has
 * none of this. Every COMMIT but the last does not wait for the disk, and the last one's waits as
 * the session's default says, whatever its file set, since its wait covers them all. A migration
 * after another measures its time from a mark the one before sets (MARK_NEXT_MIGRATION_START).
 */
export interface SharedRoundTrip {
  afterAnother: boolean;
  beforeAnother: boolean;
}

/**
 * A migration run in a transaction, as round trips: BEGIN, its statements, the history row, COMMIT,
 * and the next migration's session defaults in a transaction of their own, together where they can
 * be. The reset has its own transaction so that a BEGIN after it in the same text cannot take it into
 * its transaction: that transaction would start with the settings the file left (such as
 * default_transaction_read_only), and its rollback would undo the reset. READ COMMITTED, since the
 * file may have left serializable, read-only and deferrable as the default, which would make the
 * mark's SELECT wait for a safe snapshot.
 */
export function transactionBatches(
  connection: Connection,
  migration: MigrationFile,
  script: Script,
  type: MigrationType,
  settings: ApplySettings,
  shared?: SharedRoundTrip,
): Batch[] {
  const commitWait = shared ? [shared.beforeAnother ? ASYNC_COMMIT : SESSION_COMMIT] : [];
  return batchStatements(script.statements, {
    before: ['BEGIN'],
    after: [
      insertHistorySql(settings.history, historyRow(migration, type, 0, true, null), settings.runUrl, {
        measuredByServer: true,
        fromMark: shared?.afterAnother === true,
      }),
      ...commitWait,
      'COMMIT',
      'BEGIN ISOLATION LEVEL READ COMMITTED',
      // One statement per member: a member's index is then its statement's among those the server ran.
      ...sessionDefaultStatements(settings),
      ...(shared?.beforeAnother ? [MARK_NEXT_MIGRATION_START] : []),
      'COMMIT',
    ],
    oneByOne: settings.statementTimeoutMs > 0 && connection.serverVersion < STATEMENT_TIMEOUT_PER_STATEMENT,
  });
}

/**
 * Whether the file may clear the mark the migration before it sets (RESET ALL, or the mark's own
 * setting): it then goes first in a round trip, where now() is its start.
 */
export function clearsStartMark(script: Script): boolean {
  return script.statements.some(({ node }) => {
    if (!('VariableSetStmt' in node)) return false;
    const { kind, name } = node.VariableSetStmt;
    return kind === 'VAR_RESET_ALL' || name?.toLowerCase() === START_MARK_SETTING;
  });
}

/** The index of the history row's INSERT among a migration's results: after BEGIN and its statements. */
export function historyRowIndex(script: Script): number {
  return script.statements.length + 1;
}

async function runInTransaction(
  connection: Connection,
  migration: MigrationFile,
  script: Script,
  type: MigrationType,
  settings: ApplySettings,
  made: MadeAttempt | undefined,
): Promise<ApplyResult> {
  let attempts = 0;
  let failure: FailedAt | undefined;
  let started = 0;
  const batches = transactionBatches(connection, migration, script, type, settings);
  const attempt = async (number: number): Promise<number> => {
    attempts = number;
    failure = undefined;
    started = performance.now();
    let results: Record<string, unknown>[][];
    if (number === 1 && made) {
      if (!made.ok) {
        failure = made.at;
        started -= made.elapsedMs;
        throw made.error;
      }
      results = made.rows;
    } else {
      results = await runBatches(connection, batches, (at) => (failure = at));
    }
    const [inserted] = results[historyRowIndex(script)] ?? [];
    return Number(inserted?.execution_ms ?? performance.now() - started);
  };
  try {
    // An attempt made already that succeeded, or failed for good, is the outcome as it is: a
    // cancellation since then changes nothing about it.
    const final = made && (made.ok || !classifyStatementError(made.error).transient);
    if (made && !made.ok) {
      // A cancellation before the retry loop replays it still finds the attempt that was made.
      attempts = 1;
      failure = made.at;
      started = performance.now() - made.elapsedMs;
    }
    const executionMs = final
      ? await attempt(1)
      : await retry(
          attempt,
          retryOptions(migration, settings, () => failure?.statement),
        );
    return { migration, type, executionMs, attempts, inTransaction: true };
  } catch (error) {
    throw await failed(connection, migration, type, settings, {
      error,
      attempts,
      statement: failure?.statement,
      line: failure?.line,
      statements: script.statements,
      elapsedMs: performance.now() - started,
      leftApplied: 0,
      inTransaction: true,
    });
  }
}

async function runOutsideTransaction(
  connection: Connection,
  migration: MigrationFile,
  script: Script,
  type: MigrationType,
  settings: ApplySettings,
): Promise<ApplyResult> {
  const started = performance.now();
  let attempts = 0;
  let done = 0;
  for (const unit of retryUnits(script.statements)) {
    const block = opensBlock(unit[0] as Statement);
    let current = unit[0] as Statement;
    try {
      await retry(
        async (attempt) => {
          attempts = Math.max(attempts, attempt);
          try {
            for (const statement of unit) {
              current = statement;
              await dropInvalidIndex(connection, statement.node);
              if (statement.copyData) await connection.copyFrom(statement.sql, statement.copyData.bytes);
              else await connection.query(statement.sql);
            }
          } catch (error) {
            // The file's own transaction is aborted, with everything since its BEGIN: end it, so that
            // a retry can start it again.
            if (block) await connection.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
        retryOptions(migration, settings, () => current),
      );
    } catch (error) {
      await dropInvalidIndex(connection, current.node).catch((cleanup: unknown) =>
        log.warning(
          `Could not drop the invalid index left by the failed statement: ${errorMessage(cleanup)}`,
        ),
      );
      const at = failedStatement(singleStatement(current), error, 0);
      throw await failed(connection, migration, type, settings, {
        error,
        attempts,
        statement: current,
        line: at.line,
        statements: script.statements,
        elapsedMs: performance.now() - started,
        leftApplied: done,
        rolledBackFrom: block ? unit[0] : undefined,
        inTransaction: false,
      });
    }
    done += unit.length;
  }
  const executionMs = performance.now() - started;
  const insert = insertHistorySql(
    settings.history,
    historyRow(migration, type, executionMs, true, null),
    settings.runUrl,
  );
  try {
    await connection.query(`${ownWriteTransaction(insert)}; ${sessionDefaults(settings)}`);
  } catch (error) {
    // The history row's transaction is left aborted: what comes next (the summary's read) needs it gone.
    await connection.query(`ROLLBACK; ${sessionDefaults(settings)}`).catch(() => undefined);
    throw notRecorded(migration, settings.history, insert, error);
  }
  // A file without statements ran once all the same.
  return { migration, type, executionMs, attempts: Math.max(attempts, 1), inTransaction: false };
}

/**
 * The session state every migration starts from: the connection's defaults, with lock_timeout and
 * statement_timeout. Run once before the first migration and after each one that succeeded, in the
 * same round trip as its COMMIT; a rolled-back attempt needs nothing, since SET is transactional.
 */
export function sessionDefaults(settings: ApplySettings): string {
  return sessionDefaultStatements(settings).join('; ');
}

function sessionDefaultStatements(settings: ApplySettings): string[] {
  return [
    'RESET ALL',
    'RESET ROLE',
    `SET lock_timeout = ${quoteLiteral(`${settings.lockTimeoutMs}ms`)}`,
    `SET statement_timeout = ${quoteLiteral(`${settings.statementTimeoutMs}ms`)}`,
  ];
}

/** For this transaction only, and read when it commits: after the history row, before COMMIT. */
const ASYNC_COMMIT = 'SET LOCAL synchronous_commit TO off';
const SESSION_COMMIT = 'SET LOCAL synchronous_commit TO DEFAULT';

/** From PostgreSQL 13, statement_timeout applies to each statement of a simple query, not to all of it. */
const STATEMENT_TIMEOUT_PER_STATEMENT = 130000;
const DEADLOCK_DETECTED = '40P01';

function retryOptions(
  migration: MigrationFile,
  settings: ApplySettings,
  statement: () => Statement | undefined,
) {
  const delay = settings.retryDelay ?? DEFAULT_RETRY_DELAY;
  return {
    what: migration.script,
    attempts: settings.lockRetries + 1,
    initialDelayMs: delay.initialMs,
    maxDelayMs: delay.maxMs,
    signal: settings.signal,
    classify: classifyStatementError,
    onRetry: ({ attempt, delayMs, reason }: { attempt: number; delayMs: number; reason: string }) => {
      const line = statement()?.line;
      log.warning(
        `${migration.script}${line ? ` line ${line}` : ''}: ${reason} (attempt ${attempt} of ${settings.lockRetries + 1}); ` +
          `rolled back, retrying in ${formatDuration(delayMs)}.`,
        { file: migration.annotationPath, ...(line ? { startLine: line } : {}) },
      );
    },
  };
}

export function classifyStatementError(error: unknown): RetryVerdict {
  const state = sqlState(error);
  if (state === LOCK_NOT_AVAILABLE)
    return { transient: true, reason: 'lock-timeout expired waiting for a lock' };
  if (state === DEADLOCK_DETECTED) return { transient: true, reason: 'deadlock with another session' };
  return { transient: false };
}
