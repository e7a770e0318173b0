import { createHash } from 'node:crypto';
import { Deadline } from '../../../../../shared/src/async/deadline.ts';
import { formatDuration } from '../../../../../shared/src/formats/duration.ts';
import { ActionError } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { sleep } from '../../../../../shared/src/async/sleep.ts';
import type { HistoryTable } from './history.ts';
import { ownQuery, type Session } from './session.ts';

/**
 * One migration run at a time per history table: a session-level advisory lock, which the server
 * releases by itself when the session ends, so a killed run never leaves a lock row behind.
 *
 * The lock is polled with pg_try_advisory_lock rather than awaited with pg_advisory_lock. A waiting
 * pg_advisory_lock is a running statement holding a snapshot, and CREATE INDEX CONCURRENTLY in the
 * run that holds the lock waits for every older snapshot to go away: the two would wait for each
 * other until the server's deadlock detector cancelled the index build. A poll is over in a
 * millisecond and holds nothing in between.
 */

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  waitMs: number;
  pollMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_POLL_MS = 500;

/** A positive 63-bit key from the table's name, so different history tables never share a lock. */
export function lockKey(history: HistoryTable): string {
  const digest = createHash('sha256').update(`gantry-migrate:${history.sql}`).digest();
  return (digest.readBigUInt64BE(0) & 0x7fffffffffffffffn).toString();
}

export async function acquireMigrationLock(
  session: Session,
  history: HistoryTable,
  options: LockOptions,
): Promise<HeldLock> {
  const key = lockKey(history);
  const deadline = new Deadline(options.waitMs, `the migration lock of ${history.display}`);
  let announced = false;
  const what = `Taking the migration lock of ${history.display}`;
  for (;;) {
    const [row] = await ownQuery(what, () =>
      session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]),
    );
    if (row?.locked) {
      if (announced) log.info(`Got the migration lock of ${history.display}.`);
      return { release: () => release(session, key) };
    }
    const holder = await ownQuery(what, () => describeHolder(session, key));
    if (deadline.expired()) {
      throw new ActionError(
        `Another migration run held the lock of ${history.display} for all of lock-wait (${formatDuration(options.waitMs)})${holder ? `: ${holder}` : ''}.`,
        {
          hint: 'another workflow run is migrating this database: let it finish, give this step a longer lock-wait, or serialise the runs with a concurrency group',
        },
      );
    }
    if (!announced) {
      log.info(
        `Another migration run holds the lock of ${history.display}${holder ? ` (${holder})` : ''}: waiting up to ${formatDuration(options.waitMs)} (lock-wait).`,
      );
      announced = true;
    }
    await sleep(
      Math.min(options.pollMs ?? DEFAULT_POLL_MS, Math.max(deadline.remaining(), 1)),
      options.signal,
    );
  }
}

async function release(session: Session, key: string): Promise<void> {
  await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
}

interface Holder {
  pid: number;
  application_name: string;
  usename: string;
  seconds: number;
}

/** Who holds the lock, for the messages: a bigint advisory key is classid (high half) and objid (low half). */
async function describeHolder(session: Session, key: string): Promise<string | undefined> {
  const [holder] = await session.query<Holder>(
    `SELECT a.pid, a.application_name, a.usename, floor(extract(epoch FROM now() - a.backend_start))::int AS seconds
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid`,
    [key],
  );
  if (!holder) return undefined;
  return `server process ${holder.pid}, user ${holder.usename}, application "${holder.application_name}", connected for ${formatDuration(holder.seconds * 1000)}`;
}
