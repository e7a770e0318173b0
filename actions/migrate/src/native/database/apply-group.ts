import { cancelOnAbort, type Connection } from './database.ts';
import type { MadeAttempt } from './run-batches.ts';
import { connectionLost, sqlState } from './session.ts';
import { joinBatches, positionIndex, statementAt, type SqlBatch } from './statement-batches.ts';

/**
 * Several small migrations in one simple query: each its own BEGIN … history row, COMMIT and session
 * reset, as it would be sent alone (transactionBatches), one after the other in the same text. The
 * server runs the statements in order and stops at the first error, so the migrations before the one
 * that failed are committed with their history rows, the failed one's transaction is aborted (and
 * rolled back here), and none after it runs: what one round trip per migration does, without the
 * round trip's cost, which with a fast disk is most of a small migration's.
 *
 * Every COMMIT but the last in the text is asynchronous (synchronous_commit off for that transaction):
 * it does not wait for the disk, yet the last one's, which does, flushes the write-ahead log up to
 * itself, and so every commit before it. The server answers only once the whole text has run, so no
 * migration is ever reported applied before it is on disk; a crash in between loses only commits
 * Gantry has not heard of, each with its history row, as one round trip per migration would lose its
 * last one. When one fails, the log is flushed before the ones before it are reported applied. With
 * fsync on, that is one wait for the disk per round trip rather than per migration.
 *
 * The result is each migration's first attempt, for applyMigration to take as made (a lock timeout
 * is then retried alone, as usual); undefined for those that did not run. One case runs none of
 * them: the server parses the whole text before it runs any of it, so a syntax error it finds in a
 * later migration (one its grammar refuses where Gantry's parser, of a newer version, did not)
 * fails them all before any ran. That error points past the statement the count of completed ones
 * names, and every migration comes back undefined, to be run alone.
 */

export interface GroupMember {
  /** The migration's one round trip (a SqlBatch of one statement per member). */
  batch: SqlBatch;
  /** The index among its statements of the history row's INSERT, whose RETURNING has execution_ms. */
  historyRow: number;
}

export async function runGroup(
  connection: Connection,
  members: readonly GroupMember[],
  signal: AbortSignal | undefined,
  /** The statements that put the session back to where every migration starts (apply.ts). */
  sessionDefaults: string,
): Promise<(MadeAttempt | undefined)[]> {
  const { batch, parts } = joinBatches(members.map((member) => member.batch));
  const started = performance.now();
  const result = await cancelOnAbort(connection, signal, () => connection.script(batch.text));
  if (result.ok) return parts.map((part) => ({ ok: true, rows: membersOf(result.rows, part) }));

  const elapsedMs = performance.now() - started;
  const { error, completed, rows } = result;
  await connection.query('ROLLBACK').catch(() => undefined);
  // The migration whose statement was running: the first with one that did not complete.
  const failing = Math.max(
    parts.findIndex((part) => completed < part.firstMember + part.members),
    0,
  );
  const part = parts[failing] as (typeof parts)[number];
  const index = positionIndex(batch.text, error);
  const elsewhere = index !== undefined && (index < part.start || index > part.end);
  if (elsewhere && completed === 0) return parts.map(() => undefined);

  if (failing > 0) {
    const flushed = await restoreAndFlush(connection, sessionDefaults);
    if (flushed !== true) return [{ ok: false, error: flushed, at: NOWHERE, elapsedMs }];
  }
  const made: (MadeAttempt | undefined)[] = [];
  let before = 0;
  for (const [number, each] of parts.slice(0, failing).entries()) {
    const memberRows = membersOf(rows, each);
    made.push({ ok: true, rows: memberRows });
    const [inserted] = memberRows[(members[number] as GroupMember).historyRow] ?? [];
    before += Number(inserted?.execution_ms ?? 0);
  }
  // A connection that broke without a word from the server may have got as far as the COMMIT.
  const unknown = sqlState(error) === undefined && connectionLost(error);
  const at = unknown ? NOWHERE : statementAt(batch, elsewhere ? undefined : index, completed);
  made.push({ ok: false, error, at, elapsedMs: Math.max(elapsedMs - before, 0) });
  return made;
}

function membersOf(
  rows: Record<string, unknown>[][],
  part: { firstMember: number; members: number },
): Record<string, unknown>[][] {
  return rows.slice(part.firstMember, part.firstMember + part.members);
}

/** No statement of the file: one of Gantry's own, or, on a connection lost, maybe the COMMIT. */
const NOWHERE = { statement: undefined, line: undefined };

/**
 * After a failure past the first migration: the session defaults again, then waits until the
 * asynchronous commits are on disk. The reset sent after the last migration that committed ran in
 * the failed one's transaction (a BEGIN takes the statements before it in the same text into its
 * transaction), so the rollback undid it, and the session is as that migration left it (its
 * search_path, its role): the failed one's retry, alone, must start as it would have. Then a
 * transaction with a transaction id commits synchronously (synchronous_commit is the default again),
 * which flushes the log up to its commit, and so every commit before it. The error, if that fails:
 * the connection is then lost, and whether the migrations were applied is unknown.
 */
async function restoreAndFlush(connection: Connection, sessionDefaults: string): Promise<true | unknown> {
  try {
    await connection.query(sessionDefaults);
    await connection.query('SELECT pg_catalog.txid_current()');
    return true;
  } catch (error) {
    return error;
  }
}
