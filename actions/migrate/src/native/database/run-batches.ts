import type { Connection } from './database.ts';
import { connectionLost, sqlState } from './session.ts';
import { failedStatement, type Batch } from './statement-batches.ts';
import type { Statement } from '../sql/sql-script.ts';

/** Where a migration failed: one of its statements and the file's line, or undefined for Gantry's own. */
export interface FailedAt {
  statement: Statement | undefined;
  line: number | undefined;
}

/**
 * An attempt made already, with other migrations in the same round trip (apply-group.ts): its
 * statements' rows, or the error, where it happened, and how long it ran (already rolled back).
 */
export type MadeAttempt =
  | { ok: true; rows: Record<string, unknown>[][] }
  | { ok: false; error: unknown; at: FailedAt; elapsedMs: number };

/**
 * Runs the batches of one transaction in turn, each statement's rows in order. On an error the
 * transaction is rolled back and `onFailure` learns where it happened.
 */
export async function runBatches(
  connection: Connection,
  batches: Batch[],
  onFailure: (at: FailedAt) => void,
): Promise<Record<string, unknown>[][]> {
  const rows: Record<string, unknown>[][] = [];
  for (const batch of batches) {
    let error: unknown;
    let completed = 0;
    if (batch.kind === 'copy') {
      try {
        await connection.copyFrom(batch.statement.sql, batch.statement.copyData.bytes);
        rows.push([]);
        continue;
      } catch (copyError) {
        error = copyError;
      }
    } else {
      const result = await connection.script(batch.text);
      if (result.ok) {
        rows.push(...result.rows);
        continue;
      }
      ({ error, completed } = result);
    }
    // A connection that broke without a word from the server may have got as far as the COMMIT.
    const unknown = batch === batches.at(-1) && sqlState(error) === undefined && connectionLost(error);
    onFailure(unknown ? { statement: undefined, line: undefined } : failedStatement(batch, error, completed));
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return rows;
}
