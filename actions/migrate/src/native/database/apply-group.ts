import { Deadline } from '../../../../../shared/src/async/deadline.ts';
import { sleep } from '../../../../../shared/src/async/sleep.ts';
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
 * it does not wait for the disk, yet the last one's, which does (synchronous_commit back to the
 * session's default for it, whatever its file set), flushes the write-ahead log up to itself, and so
 * every commit before it. The server answers only once the whole text has run, so no migration is
 * reported applied before it is on disk; a crash in between loses only commits Gantry has not heard
 * of, each with its history row, as one round trip per migration would lose its last one. When one
 * fails, the ones before it are reported applied once the server has flushed the log past them
 * (flushCommits). With fsync on, that is one wait for the disk per round trip rather than per
 * migration.
 *
 * The result is each migration's first attempt, for applyMigration to take as made (a lock timeout
 * is then retried alone, as usual); undefined for those that did not run. When the server stopped
 * before the first statement completed, none ran, and every migration comes back undefined, to be
 * run alone: the server parses the whole text before it runs any of it, so a syntax error it finds
 * in a later migration (one its grammar refuses where Gantry's parser, of a newer version, did not)
 * fails them all, and so does a text it cannot convert to the database's encoding, an error that
 * names no statement.
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
): Promise<(MadeAttempt | undefined)[]> {
  const { batch, parts } = joinBatches(members.map((member) => member.batch));
  const started = performance.now();
  const result = await cancelOnAbort(connection, signal, () => connection.script(batch.text));
  if (result.ok) return parts.map((part) => ({ ok: true, rows: membersOf(result.rows, part) }));

  const elapsedMs = performance.now() - started;
  const { error, completed, rows } = result;
  // A connection that broke without a word from the server may have got further than it told.
  const unknown = sqlState(error) === undefined && connectionLost(error);
  if (completed === 0 && !connectionLost(error)) return parts.map(() => undefined);
  await connection.query('ROLLBACK').catch(() => undefined);
  // The migration whose statement was running: the first with one that did not complete.
  const failing = Math.max(
    parts.findIndex((part) => completed < part.firstMember + part.members),
    0,
  );
  const part = parts[failing] as (typeof parts)[number];
  const index = positionIndex(batch.text, error);
  const elsewhere = index !== undefined && (index < part.start || index > part.end);

  if (failing > 0) {
    const flushed = await flushCommits(connection, signal);
    // Lost now: whether the commits before reached the disk is unknown, as for the first of them.
    if (flushed !== true && connectionLost(flushed)) {
      return [{ ok: false, error: flushed, at: NOWHERE, elapsedMs }];
    }
  }
  const made: (MadeAttempt | undefined)[] = [];
  let before = 0;
  for (const [number, each] of parts.slice(0, failing).entries()) {
    const memberRows = membersOf(rows, each);
    made.push({ ok: true, rows: memberRows });
    const [inserted] = memberRows[(members[number] as GroupMember).historyRow] ?? [];
    before += Number(inserted?.execution_ms ?? 0);
  }
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
 * Waits until the server has flushed the write-ahead log past the asynchronous commits, before they
 * count as applied. A transaction of Gantry's own that writes nothing would commit without a flush,
 * and one that writes needs a privilege or leaves a trace; the WAL writer flushes asynchronous
 * commits within three times wal_writer_delay (600 ms by default), so the flush position is read
 * until it reaches the end of the commits: the insert position, less the page header it may sit
 * just after (the flush stops at the page's start, and the next record may be long in coming). The
 * error, if that fails, is cancelled, or the deadline passes: a lost connection makes the commits'
 * fate unknown; with any other, they stay as the server acknowledged them, and the failed
 * migration's row, committed synchronously next, flushes them.
 */
export async function flushCommits(
  connection: Connection,
  signal: AbortSignal | undefined,
): Promise<true | unknown> {
  const deadline = new Deadline(
    FLUSH_DEADLINE_MS,
    'the server to flush the migrations committed before the one that failed',
  );
  try {
    const [end] = await connection.query<{ lsn: string; header: number }>(END_OF_COMMITS);
    for (let delayMs = 2; ; delayMs = Math.min(delayMs * 2, 50)) {
      const [flush] = await connection.query<{ flushed: boolean }>(
        'SELECT pg_catalog.pg_wal_lsn_diff($1::pg_lsn, pg_catalog.pg_current_wal_flush_lsn()) <= $2 AS flushed',
        [end?.lsn, end?.header],
      );
      if (flush?.flushed) return true;
      if (deadline.expired()) throw deadline.error();
      await sleep(Math.min(delayMs, deadline.remaining()), signal);
    }
  } catch (error) {
    return error;
  }
}

/**
 * The insert position, and the size of the page header it sits just after, if it does: a segment's
 * first page has a long one (40 bytes), every other page a short one (24).
 */
const END_OF_COMMITS = `SELECT inserted.lsn::text AS lsn,
  CASE WHEN page.file_offset = 40 THEN 40
       WHEN page.file_offset >= page.block AND page.file_offset % page.block = 24 THEN 24
       ELSE 0 END AS header
FROM pg_catalog.pg_current_wal_insert_lsn() AS inserted(lsn),
  LATERAL (SELECT (pg_catalog.pg_walfile_name_offset(inserted.lsn)).file_offset,
                  pg_catalog.current_setting('wal_block_size')::int AS block) AS page`;

/** Three times the longest wal_writer_delay (10 s), and then some. */
const FLUSH_DEADLINE_MS = 45_000;
