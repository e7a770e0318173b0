import * as log from '../../../../../shared/src/runner/log.ts';
import {
  applyMigration,
  clearsStartMark,
  historyRowIndex,
  MigrationFailedError,
  sessionDefaults,
  transactionBatches,
  type ApplySettings,
  type MigrationType,
} from '../database/apply.ts';
import { runGroup, type GroupMember } from '../database/apply-group.ts';
import type { Connection } from '../database/database.ts';
import type { MadeAttempt } from '../database/run-batches.ts';
import type { SqlBatch } from '../database/statement-batches.ts';
import { connectionLost, ownQuery, sqlState } from '../database/session.ts';
import type { MigrationFile } from '../files/migration-files.ts';
import type { Outcome, Problem } from './outcome.ts';
import type { PreparedMigration } from './prepare.ts';

/**
 * Applies the prepared migrations in order, stopping at the first that fails.
 *
 * Small migrations travel together (apply-group.ts): once a round trip has come back quickly, the
 * next one carries twice as many migrations, up to GROUPING.maxGroup; one that takes a while brings
 * it back to one migration per round trip. A file run outside a transaction, one with COPY rows, and
 * a server that needs statements one by one always go alone. Each migration's line is logged as it
 * is sent, so while a round trip of several runs, the log names the last of them.
 */

export interface Grouping {
  /** Migrations in one round trip at most. */
  maxGroup: number;
  /**
   * A round trip back within this time per migration doubles the next one's migrations; a slower
   * one resets it to one, so a migration that runs a while rarely has many others sent after it.
   */
  quickMs: number;
}

/**
 * Up to 64 a round trip: applying 1,000 small migrations with fsync on took 0.97-1.01x psql's time
 * with at most 16, 0.84-0.89x with 64 (bench/migrate-apply.bench.ts), each round trip's last COMMIT
 * being one wait for the disk.
 */
export const GROUPING: Grouping = { maxGroup: 64, quickMs: 25 };
/** The text of a round trip of several migrations stays under this size. */
const MAX_GROUP_CHARS = 64 * 1024;

export async function applyAll(
  connection: Connection,
  settings: ApplySettings,
  prepared: readonly PreparedMigration[],
  outcome: Pick<Outcome, 'applied' | 'problems'>,
  grouping: Grouping = GROUPING,
): Promise<void> {
  if (prepared.length > 0) {
    await ownQuery('Setting lock_timeout and statement_timeout for the migrations', () =>
      connection.query(sessionDefaults(settings)),
    );
  }
  let size = 1;
  // Migrations whose line is logged already: they were sent once with others and did not run.
  let announced = 0;
  for (let next = 0; next < prepared.length;) {
    const started = performance.now();
    const group = collectGroup(connection, settings, prepared, next, size);
    const count = Math.max(group.length, 1);
    announce(prepared, Math.max(announced, next), next + count);
    announced = Math.max(announced, next + count);
    const made: (MadeAttempt | undefined)[] =
      group.length > 1 && !settings.signal?.aborted ? await runGroup(connection, group, settings.signal) : [];
    for (let offset = 0; offset < count; offset++) {
      const attempt = made[offset];
      // Sent with the one before it, which failed: it did not run, and goes in a later round trip.
      if (offset > 0 && attempt === undefined) break;
      const { migration, type, script } = prepared[next] as PreparedMigration;
      try {
        outcome.applied.push(await applyMigration(connection, migration, script, type, settings, attempt));
      } catch (error) {
        if (!(error instanceof MigrationFailedError)) throw error;
        const lost =
          attempt?.ok === false && sqlState(attempt.error) === undefined && connectionLost(attempt.error);
        outcome.problems.push(
          failureProblem(error, sentAfter(prepared, next + 1, next - offset + count), lost),
        );
        return;
      }
      next++;
    }
    const all = made.length > 0 && made.every((attempt) => attempt?.ok);
    const quick = performance.now() - started < grouping.quickMs * count;
    size = quick && (count === 1 || all) ? Math.min(size * 2, grouping.maxGroup) : 1;
  }
}

/**
 * The next migrations to send together, from `next`: up to `size`, as long as each is one round
 * trip in a transaction. An empty group: the migration at `next` goes alone.
 */
function collectGroup(
  connection: Connection,
  settings: ApplySettings,
  prepared: readonly PreparedMigration[],
  next: number,
  size: number,
): GroupMember[] {
  const group: GroupMember[] = [];
  let chars = 0;
  for (const { migration, type, script } of prepared.slice(next, next + (size > 1 ? size : 0))) {
    if (script.outsideTransaction || (group.length > 0 && clearsStartMark(script))) break;
    const shared = { afterAnother: group.length > 0, beforeAnother: true };
    const [batch, ...more] = transactionBatches(connection, migration, script, type, settings, shared);
    if (batch?.kind !== 'sql' || more.length > 0 || chars + batch.text.length > MAX_GROUP_CHARS) break;
    chars += batch.text.length;
    group.push({ batch, historyRow: historyRowIndex(script) });
  }
  if (group.length < 2) return [];
  // The last one's COMMIT waits for the disk, and sets no mark (see apply-group.ts).
  const { migration, type, script } = prepared[next + group.length - 1] as PreparedMigration;
  const shared = { afterAnother: true, beforeAnother: false };
  const [last] = transactionBatches(connection, migration, script, type, settings, shared) as [SqlBatch];
  return [...group.slice(0, -1), { batch: last, historyRow: historyRowIndex(script) }];
}

/**
 * The lines of the migrations from `from` up to `to` (excluded), in one write: one line each (how
 * long each took is in the summary), so a run of a thousand migrations stays readable.
 */
function announce(prepared: readonly PreparedMigration[], from: number, to: number): void {
  const lines = prepared
    .slice(from, to)
    .map(
      ({ migration, type, script }, offset) =>
        `[${from + offset + 1}/${prepared.length}] ${label(migration, type)}${script.outsideTransaction ? ', outside a transaction' : ''}`,
    );
  if (lines.length > 0) log.info(lines.join('\n'));
}

function label(migration: MigrationFile, type: MigrationType): string {
  const what =
    type === 'repeatable'
      ? 'repeatable migration'
      : `${type === 'undo' ? 'undo of version' : 'version'} ${migration.version?.text}`;
  return `Applying ${what} "${migration.description}" (${migration.script})`;
}

/** The migrations from `from` up to `to` (excluded): sent in the same round trip after the one that failed. */
function sentAfter(prepared: readonly PreparedMigration[], from: number, to: number): string[] {
  return prepared.slice(from, to).map(({ migration }) => migration.script);
}

/**
 * `lost`: the connection broke without a word from the server, which may have run the migrations
 * sent after the failed one before it did.
 */
function failureProblem(error: MigrationFailedError, after: string[], lost: boolean): Problem {
  const others = after.join(', ');
  const note =
    after.length === 0
      ? ''
      : lost
        ? ` ${others}, sent in the same round trip after it, may have been applied too: their rows in the history table (command: info) say.`
        : ` ${others}, sent in the same round trip after it, did not run.`;
  return {
    phase: 'run',
    title: `Migration failed: ${error.migration.script}`,
    message: `${error.message}${note}${error.hint ? ` Hint: ${error.hint}` : ''}`,
    file: error.migration.annotationPath,
    ...(error.line ? { line: error.line } : {}),
  };
}
