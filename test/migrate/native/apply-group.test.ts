import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import { CancelledError } from '../../../shared/src/errors.ts';
import { applyAll, type Grouping } from '../../../actions/migrate/src/native/commands/apply-all.ts';
import type { Outcome } from '../../../actions/migrate/src/native/commands/outcome.ts';
import { prepareMigrations } from '../../../actions/migrate/src/native/commands/prepare.ts';
import type { ApplySettings } from '../../../actions/migrate/src/native/database/apply.ts';
import { flushCommits, runGroup } from '../../../actions/migrate/src/native/database/apply-group.ts';
import { connect, type Connection } from '../../../actions/migrate/src/native/database/database.ts';
import { createHistoryTable, historyTable } from '../../../actions/migrate/src/native/database/history.ts';
import {
  batchStatements,
  type SqlBatch,
} from '../../../actions/migrate/src/native/database/statement-batches.ts';
import { loadSqlParser } from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { migrationFile } from './helpers.ts';
import { usePostgres } from '../postgres-fixture.ts';
import { history, query, relationExists } from '../project.ts';

/**
 * Several migrations in one round trip (apply-group.ts, apply-all.ts), in-process against a real
 * server, with the grouping forced (every round trip counts as quick), so that round trips of one,
 * two, then four migrations are certain: whatever happens in the middle of a round trip must end
 * exactly as when each migration goes alone.
 */

const postgres = usePostgres();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Round trips of 1, 2, 4 migrations: the fifth to the seventh go in the third. */
const FORCED: Grouping = { maxGroup: 16, quickMs: Number.POSITIVE_INFINITY };
const ONE_BY_ONE: Grouping = { maxGroup: 1, quickMs: Number.POSITIVE_INFINITY };
const HISTORY = historyTable('public', 'gantry_schema_history');

function settingsOf(url: string): ConnectionSettings {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'disable',
    ca: undefined,
    options: undefined,
  };
}

/** A session with the history table, keeping the texts of its simple queries of several statements. */
async function open(url: string): Promise<{ connection: Connection; texts: string[] }> {
  const connection = await connect(settingsOf(url), { readOnly: false, timeoutMs: 10_000 });
  cleanups.push(() => connection.end());
  await createHistoryTable(connection, HISTORY);
  const texts: string[] = [];
  const script = connection.script.bind(connection);
  connection.script = (sql) => {
    texts.push(sql);
    return script(sql);
  };
  return { connection, texts };
}

function settings(overrides: Partial<ApplySettings> = {}): ApplySettings {
  return {
    history: HISTORY,
    lockTimeoutMs: 5000,
    statementTimeoutMs: 0,
    lockRetries: 0,
    runUrl: null,
    retryDelay: { initialMs: 10, maxMs: 10 },
    ...overrides,
  };
}

const NAMES = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];

/** Seven migrations, each creating its table; `fifth` replaces the fifth one's SQL. */
function seven(fifth?: string) {
  return NAMES.map((name, index) =>
    migrationFile(
      `V${index + 1}__${name}.sql`,
      index === 4 && fifth !== undefined ? fifth : `CREATE TABLE ${name} (id int PRIMARY KEY);\n`,
    ),
  );
}

async function apply(
  url: string,
  files: ReturnType<typeof seven>,
  grouping: Grouping,
  overrides: Partial<ApplySettings> = {},
): Promise<{ outcome: Pick<Outcome, 'applied' | 'problems'>; scripts: number; texts: string[] }> {
  const { connection, texts } = await open(url);
  const preparation = await prepareMigrations(
    files.map((migration) => ({ migration, type: 'versioned' as const })),
    await loadSqlParser(),
    connection.serverVersion,
    { allowDestructive: false },
  );
  expect(preparation.blocking).toEqual([]);
  const outcome: Pick<Outcome, 'applied' | 'problems'> = { applied: [], problems: [] };
  await applyAll(connection, settings(overrides), preparation.prepared, outcome, grouping);
  return { outcome, scripts: texts.length, texts };
}

/** Calls `then` once a line containing `text` is written to stdout. */
function onLine(text: string, then: () => void): void {
  const write = process.stdout.write.bind(process.stdout);
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    if (String(chunk).includes(text)) then();
    return write(chunk);
  });
  cleanups.push(() => spy.mockRestore());
}

async function executionTimes(url: string): Promise<number[]> {
  const rows = await query<{ execution_ms: number }>(
    url,
    'SELECT execution_ms FROM gantry_schema_history ORDER BY id',
  );
  return rows.map((row) => row.execution_ms);
}

describe('migrations sent together', () => {
  it('are each applied and recorded with their own history row and execution time', async () => {
    const url = await postgres.freshDatabase('group_all');
    const files = seven('CREATE TABLE five (id int);\nSELECT pg_sleep(0.2);\n');
    const { outcome, scripts, texts } = await apply(url, files, FORCED);
    expect(scripts).toBe(3);
    // Every COMMIT of a round trip but its last does not wait for the disk; alone, none.
    const asyncCommits = (text: string) => text.split('SET LOCAL synchronous_commit TO off').length - 1;
    expect(texts.map(asyncCommits)).toEqual([0, 1, 3]);
    // The last one's waits for the disk, whatever its file set: that wait covers the others.
    const lastCommits = (text: string) => text.split('SET LOCAL synchronous_commit TO DEFAULT').length - 1;
    expect(texts.map(lastCommits)).toEqual([0, 1, 1]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.applied.map((result) => [result.migration.script, result.attempts])).toEqual(
      files.map((file) => [file.script, 1]),
    );
    expect((await history(url)).map((row) => [row.script, row.success])).toEqual(
      files.map((file) => [file.script, true]),
    );
    const times = await executionTimes(url);
    expect(outcome.applied.map((result) => result.executionMs)).toEqual(times);
    expect(times[4]).toBeGreaterThanOrEqual(200);
    // Each from its own BEGIN, not from when the server received the round trip (now()).
    expect(times[5]).toBeLessThan(200);
    expect(times[6]).toBeLessThan(200);
    const appliedAt = await query<{ after: boolean }>(
      url,
      "SELECT applied_at >= (SELECT applied_at FROM gantry_schema_history WHERE id = 5) + interval '200 ms' AS after FROM gantry_schema_history WHERE id = 6",
    );
    expect(appliedAt).toEqual([{ after: true }]);
    for (const name of NAMES) expect(await relationExists(url, name)).toBe(true);
  });

  it('stop at one that fails as one by one does: those before applied, it recorded at its line, none after run', async () => {
    const failing = 'CREATE TABLE five (id int);\nINSERT INTO five (id,\n  nope)\n  VALUES (1, 2);\n';
    const grouped = await postgres.freshDatabase('group_failure');
    const alone = await postgres.freshDatabase('group_failure_alone');
    const together = await apply(grouped, seven(failing), FORCED);
    const oneByOne = await apply(alone, seven(failing), ONE_BY_ONE);
    expect(together.scripts).toBe(3);
    expect(oneByOne.scripts).toBe(5);

    const expected =
      'V5__five.sql failed at line 3 (statement 2 of 2): ERROR 42703: column "nope" of relation "five" does not exist';
    expect(oneByOne.outcome.problems).toHaveLength(1);
    expect(oneByOne.outcome.problems[0]?.message).toContain(expected);
    expect(oneByOne.outcome.problems[0]?.line).toBe(3);
    expect(together.outcome.problems).toEqual([
      {
        ...oneByOne.outcome.problems[0],
        message: oneByOne.outcome.problems[0]?.message.replace(
          ' Nothing of it was applied.',
          ' Nothing of it was applied. V6__six.sql, V7__seven.sql, sent in the same round trip after it, did not run.',
        ),
      },
    ]);
    const scripts = (outcome: Pick<Outcome, 'applied'>) =>
      outcome.applied.map((result) => result.migration.script);
    expect(scripts(together.outcome)).toEqual([
      'V1__one.sql',
      'V2__two.sql',
      'V3__three.sql',
      'V4__four.sql',
    ]);
    expect(scripts(together.outcome)).toEqual(scripts(oneByOne.outcome));
    const rows = await history(grouped);
    expect(rows.map((row) => [row.script, row.success])).toEqual([
      ['V1__one.sql', true],
      ['V2__two.sql', true],
      ['V3__three.sql', true],
      ['V4__four.sql', true],
      ['V5__five.sql', false],
    ]);
    expect(rows).toEqual(await history(alone));
    for (const [name, exists] of NAMES.map((name, index) => [name, index < 4] as const)) {
      expect(await relationExists(grouped, name)).toBe(exists);
    }
  });

  it('name the statement of an error without a position from the count of those that completed', async () => {
    const url = await postgres.freshDatabase('group_no_position');
    const failing =
      'CREATE TABLE five (id int PRIMARY KEY);\nINSERT INTO five VALUES (1);\n\nINSERT INTO five\n  VALUES (1);\n';
    const { outcome } = await apply(url, seven(failing), FORCED);
    expect(outcome.problems[0]?.message).toContain(
      'V5__five.sql failed at line 4 (statement 3 of 3): ERROR 23505: duplicate key value violates unique constraint "five_pkey"',
    );
    expect(outcome.applied).toHaveLength(4);
  });

  it('retry one that met a lock timeout alone, then go on with those after it', async () => {
    const url = await postgres.freshDatabase('group_lock');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('CREATE TABLE held (id int)');
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
    // The lock is let go once the first attempt has given up on it.
    onLine('rolled back, retrying', () => void holder.query('COMMIT'));
    const { outcome, scripts } = await apply(url, seven('ALTER TABLE held ADD COLUMN five int;\n'), FORCED, {
      lockTimeoutMs: 200,
      lockRetries: 3,
    });
    expect(outcome.problems).toEqual([]);
    expect(outcome.applied.map((result) => [result.migration.script, result.attempts])).toEqual(
      seven().map((file, index) => [file.script, index === 4 ? 2 : 1]),
    );
    expect((await history(url)).map((row) => [row.script, row.success])).toEqual(
      seven().map((file) => [file.script, true]),
    );
    // 1, 2, then 4 up to the fifth, which failed; the fifth again alone; then the sixth and the seventh.
    expect(scripts).toBe(6);
  });

  it('retry one alone from the session defaults, though its rollback undid their reset after the one before', async () => {
    const url = await postgres.freshDatabase('group_lock_session');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('CREATE TABLE held (id int)');
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
    onLine('rolled back, retrying', () => void holder.query('COMMIT'));
    // The fourth leaves its session on another schema; the fifth, in the same round trip, must not see it.
    const files = seven('ALTER TABLE held ADD COLUMN five int;\n');
    files[3] = migrationFile(
      'V4__four.sql',
      'CREATE SCHEMA elsewhere;\nCREATE TABLE elsewhere.held (id int);\nSET search_path = elsewhere;\n',
    );
    const { outcome } = await apply(url, files, FORCED, { lockTimeoutMs: 200, lockRetries: 3 });
    expect(outcome.problems).toEqual([]);
    expect(outcome.applied.map((result) => result.attempts)).toEqual([1, 1, 1, 1, 2, 1, 1]);
    const columns = await query<{ schema: string }>(
      url,
      "SELECT table_schema AS schema FROM information_schema.columns WHERE column_name = 'five'",
    );
    expect(columns).toEqual([{ schema: 'public' }]);
  });

  it('start each from the session defaults, though the one before changed the defaults of transactions', async () => {
    const url = await postgres.freshDatabase('group_read_only');
    const files = seven();
    files[3] = migrationFile(
      'V4__four.sql',
      'CREATE TABLE four (id int);\nSET default_transaction_read_only = on;\nSET default_transaction_isolation = serializable;\n',
    );
    const { outcome, scripts } = await apply(url, files, FORCED);
    expect(scripts).toBe(3);
    expect(outcome.problems).toEqual([]);
    for (const name of NAMES) expect(await relationExists(url, name)).toBe(true);
  });

  it('report the ones before a failure applied when the flush of their commits is cut short by a cancellation', async () => {
    const url = await postgres.freshDatabase('group_flush_cancel');
    const { connection } = await open(url);
    const query = connection.query.bind(connection);
    connection.query = (async (sql: string, values?: unknown[]) => {
      if (sql.includes('pg_current_wal_flush_lsn')) {
        throw Object.assign(new Error('canceling statement due to user request'), { code: '57014' });
      }
      return query(sql, values);
    }) as typeof connection.query;
    const preparation = await prepareMigrations(
      seven('CREATE TABLE five (id int);\nSELECT 1 / 0;\n').map((migration) => ({
        migration,
        type: 'versioned' as const,
      })),
      await loadSqlParser(),
      connection.serverVersion,
      { allowDestructive: false },
    );
    const outcome: Pick<Outcome, 'applied' | 'problems'> = { applied: [], problems: [] };
    await applyAll(connection, settings(), preparation.prepared, outcome, FORCED);
    expect(outcome.applied.map((result) => result.migration.script)).toEqual([
      'V1__one.sql',
      'V2__two.sql',
      'V3__three.sql',
      'V4__four.sql',
    ]);
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]?.message).toContain(
      'V5__five.sql failed at line 2 (statement 2 of 2): ERROR 22012',
    );
  });

  it('run each alone when the server refuses the text before running any of it, naming the one it cannot take', async () => {
    const admin = new pg.Client({ connectionString: postgres.url() });
    await admin.connect();
    cleanups.push(() => admin.end());
    const name = `group_latin1_${process.pid}_${Date.now()}`;
    await admin.query(
      `CREATE DATABASE ${name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
    );
    const url = new URL(postgres.url());
    url.pathname = `/${name}`;
    const { outcome } = await apply(
      url.toString(),
      seven("CREATE TABLE five (note text DEFAULT '\u{1F600}');\n"),
      FORCED,
    );
    expect(outcome.applied.map((result) => result.migration.script)).toEqual([
      'V1__one.sql',
      'V2__two.sql',
      'V3__three.sql',
      'V4__four.sql',
    ]);
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]?.title).toBe('Migration failed: V5__five.sql');
    expect(outcome.problems[0]?.message).toContain('ERROR 22P05');
    expect((await history(url.toString())).map((row) => [row.script, row.success])).toEqual([
      ['V1__one.sql', true],
      ['V2__two.sql', true],
      ['V3__three.sql', true],
      ['V4__four.sql', true],
      ['V5__five.sql', false],
    ]);
  });

  it('leave the transaction to the file until its first statement: SET TRANSACTION still comes first', async () => {
    const url = await postgres.freshDatabase('group_set_transaction');
    const files = seven('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE five (id int);\n');
    files[5] = migrationFile(
      'V6__six.sql',
      'SET TRANSACTION READ WRITE, NOT DEFERRABLE;\nCREATE TABLE six (id int);\n',
    );
    const { outcome } = await apply(url, files, FORCED);
    expect(outcome.problems).toEqual([]);
    for (const name of NAMES) expect(await relationExists(url, name)).toBe(true);
  });

  it('measure each whatever extra_float_digits the database sets', async () => {
    const url = await postgres.freshDatabase('group_float_digits');
    await query(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET extra_float_digits = -15`);
    const { outcome } = await apply(
      url,
      seven('CREATE TABLE five (id int);\nSELECT pg_sleep(0.1);\n'),
      FORCED,
    );
    expect(outcome.problems).toEqual([]);
    const times = await executionTimes(url);
    expect(times[4]).toBeGreaterThanOrEqual(100);
    for (const time of times) expect(time).toBeGreaterThanOrEqual(0);
    expect(Math.max(...times)).toBeLessThan(10_000);
  });

  it('send one whose file runs RESET ALL first in a round trip, where its time needs no mark', async () => {
    const url = await postgres.freshDatabase('group_reset_all');
    const files = seven('CREATE TABLE five (id int);\nSELECT pg_sleep(0.3);\n');
    files[5] = migrationFile('V6__six.sql', 'CREATE TABLE six (id int);\nRESET ALL;\n');
    const { outcome, scripts } = await apply(url, files, FORCED);
    expect(outcome.problems).toEqual([]);
    // 1, 2 and 3, 4 and 5, then 6 and 7.
    expect(scripts).toBe(4);
    const times = await executionTimes(url);
    expect(times[4]).toBeGreaterThanOrEqual(300);
    expect(times[5]).toBeLessThan(300);
  });

  it('cancelled in the middle: the running migration rolls back and is recorded, none after it runs', async () => {
    const url = await postgres.freshDatabase('group_cancel');
    const controller = new AbortController();
    const running = apply(url, seven('CREATE TABLE five (id int);\nSELECT pg_sleep(60);\n'), FORCED, {
      signal: controller.signal,
    });
    const sleeping = async (): Promise<boolean> =>
      (
        await query(
          url,
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gantry-migrate' AND wait_event = 'PgSleep'",
        )
      ).length > 0;
    for (let wait = 0; wait < 300 && !(await sleeping()); wait++) await sleep(100);
    controller.abort(new CancelledError('Cancelled by SIGTERM.'));
    await expect(running).rejects.toThrow(CancelledError);
    const rows = await history(url);
    expect(rows.map((row) => [row.script, row.success])).toEqual([
      ['V1__one.sql', true],
      ['V2__two.sql', true],
      ['V3__three.sql', true],
      ['V4__four.sql', true],
      ['V5__five.sql', false],
    ]);
    expect(rows[4]?.error).toMatch(/^cancelled: V5__five.sql failed at line 2/);
    for (const name of ['five', 'six', 'seven']) expect(await relationExists(url, name)).toBe(false);
  });
});

describe('a migration run outside a transaction', () => {
  it('is recorded though it left transactions read-only, and the next starts from the defaults', async () => {
    const url = await postgres.freshDatabase('outside_read_only');
    const files = seven();
    files[3] = migrationFile(
      'V4__four.sql',
      '-- gantry:no-transaction\nCREATE TABLE four (id int);\nSET default_transaction_read_only = on;\n',
    );
    const { outcome } = await apply(url, files, FORCED);
    expect(outcome.problems).toEqual([]);
    expect((await history(url)).map((row) => [row.script, row.success])).toEqual(
      files.map((file) => [file.script, true]),
    );
  });

  it('has its failure recorded though it left transactions read-only', async () => {
    const url = await postgres.freshDatabase('outside_read_only_failure');
    const files = seven();
    files[3] = migrationFile(
      'V4__four.sql',
      '-- gantry:no-transaction\nSET default_transaction_read_only = on;\nCREATE TABLE four (id int);\n',
    );
    const { outcome } = await apply(url, files, FORCED);
    expect(outcome.problems[0]?.message).toContain('V4__four.sql failed at line 3');
    expect((await history(url)).map((row) => [row.script, row.success])).toEqual([
      ['V1__one.sql', true],
      ['V2__two.sql', true],
      ['V3__three.sql', true],
      ['V4__four.sql', false],
    ]);
  });
});

describe('the flush of asynchronous commits', () => {
  it('returns once the log is on disk past them', async () => {
    const url = await postgres.freshDatabase('group_flush');
    const { connection } = await open(url);
    await connection.query(
      'BEGIN; SET LOCAL synchronous_commit TO off; CREATE TABLE flushed (id int); COMMIT',
    );
    const [inserted] = await connection.query<{ lsn: string }>(
      'SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn',
    );
    expect(await flushCommits(connection, undefined)).toBe(true);
    const [flush] = await connection.query<{ behind: string }>(
      'SELECT pg_catalog.pg_wal_lsn_diff($1::pg_lsn, pg_catalog.pg_current_wal_flush_lsn()) AS behind',
      [inserted?.lsn],
    );
    // At most a page header short of the insert position, where the flush stops at a page's start.
    expect(Number(flush?.behind)).toBeLessThanOrEqual(40);
  });
});

describe('a round trip the server refuses to parse', () => {
  it('runs none of its migrations, so each can be run alone', async () => {
    const url = await postgres.freshDatabase('group_parse');
    const { connection } = await open(url);
    const batch = (statements: string[]): SqlBatch =>
      batchStatements([], { before: statements, after: [], oneByOne: false })[0] as SqlBatch;
    // The server parses the whole text first: a statement its grammar refuses fails every one.
    const made = await runGroup(
      connection,
      [
        { batch: batch(['BEGIN', 'CREATE TABLE first (id int)', 'COMMIT']), historyRow: 1 },
        { batch: batch(['BEGIN', 'SELEC 1', 'COMMIT']), historyRow: 1 },
      ],
      undefined,
    );
    expect(made).toEqual([undefined, undefined]);
    expect(await relationExists(url, 'first')).toBe(false);
    expect(await connection.query('SELECT 1 AS still')).toEqual([{ still: 1 }]);
  });
});
