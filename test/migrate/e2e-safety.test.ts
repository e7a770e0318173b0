import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { historyTable } from '../../actions/migrate/src/native/database/history.ts';
import { lockKey } from '../../actions/migrate/src/native/database/lock.ts';
import { usePostgres } from './postgres-fixture.ts';
import {
  errorsOf,
  history,
  outcome,
  project,
  query,
  relationExists,
  versionsApplied,
  type Project,
} from './project.ts';

/** Concurrency, locks, read-only plans, baseline, order and undo, through the committed bundle. */

const postgres = usePostgres();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function checkout(files: Record<string, string>): Project {
  const created = project(files);
  cleanups.push(() => created.cleanup());
  return created;
}

async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL DEFAULT 0);\n';

describe('two runs at the same time', () => {
  it('apply the migrations exactly once: one applies, the other waits, then finds nothing pending', async () => {
    const url = await postgres.freshDatabase('concurrent');
    const repo = checkout({
      'V1__accounts.sql': V1,
      'V2__slow.sql': 'SELECT pg_sleep(1.5);\nCREATE TABLE slow (id int);\n',
    });
    const [a, b] = await Promise.all([repo.migrate(url), repo.migrate(url)]);
    for (const run of [a, b]) expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    const applied = [versionsApplied(a), versionsApplied(b)].sort((x, y) => y.length - x.length);
    expect(applied).toEqual([['1', '2'], []]);
    const waiter = versionsApplied(a).length === 0 ? a : b;
    expect(waiter.log).toMatch(
      /Another migration run holds the lock of public\.gantry_schema_history \(server process \d+/,
    );
    expect(waiter.log).toContain('is up to date at version 2');
    expect((await history(url)).map((row) => [row.version, row.success])).toEqual([
      ['1', true],
      ['2', true],
    ]);
  });

  it('fails clearly when the other run holds the lock longer than lock-wait', async () => {
    const url = await postgres.freshDatabase('lock_wait');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    const otherRun = await session(url);
    await otherRun.query('SELECT pg_advisory_lock($1::bigint)', [
      lockKey(historyTable('public', 'gantry_schema_history')),
    ]);
    const run = await repo.migrate(url, { 'lock-wait': '1s' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toMatch(
      /Another migration run held the lock of public\.gantry_schema_history for all of lock-wait \(1s\): server process \d+, user postgres/,
    );
    expect(await relationExists(url, 'accounts')).toBe(false);
  });
});

describe('a long transaction holding a lock', () => {
  it('makes the migration give up after lock-timeout, retry, and fail with who holds the lock', async () => {
    const url = await postgres.freshDatabase('lock_timeout');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    repo.write(
      'V2__add_column.sql',
      'CREATE TABLE side (id int);\nALTER TABLE accounts ADD COLUMN note text;\n',
    );
    const blocker = await session(url);
    await blocker.query("SET application_name = 'report-job'");
    await blocker.query('BEGIN');
    await blocker.query('SELECT count(*) FROM accounts');
    const [{ pid }] = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];

    const run = await repo.migrate(url, { 'lock-timeout': '200ms', 'lock-retries': '2' });
    expect(run.exitCode).toBe(1);
    const retries = run.annotations.filter((annotation) =>
      annotation.message.includes('lock-timeout expired'),
    );
    expect(retries.map((annotation) => [annotation.level, annotation.properties.line])).toEqual([
      ['warning', '2'],
      ['warning', '2'],
    ]);
    const [error] = errorsOf(run);
    expect(error?.message).toContain(
      'V2__add_column.sql could not get a lock at line 2 (statement 2 of 2) within lock-timeout (200ms) in 3 attempt(s)',
    );
    expect(error?.message).toContain(
      `server process ${pid} (user postgres, application "report-job", idle in transaction`,
    );
    expect(error?.message).toContain('AccessShareLock on accounts');
    expect(error?.message).toContain('Nothing of it was applied');
    expect(await relationExists(url, 'side')).toBe(false);
    expect((await history(url)).at(-1)).toMatchObject({ version: '2', success: false });

    await blocker.query('COMMIT');
    const retried = await repo.migrate(url, { 'lock-timeout': '200ms' });
    expect(outcome(retried)).toEqual({ exitCode: 0, log: retried.log });
    expect(versionsApplied(retried)).toEqual(['2']);
  });
});

describe("a lock timeout inside a no-transaction file's own BEGIN … COMMIT", () => {
  const OWN_TRANSACTION =
    '-- gantry:no-transaction\nCREATE TABLE side (id int);\nBEGIN;\nCREATE TABLE inside (id int);\nALTER TABLE accounts ADD COLUMN note text;\nCOMMIT;\n';

  async function blocked(url: string): Promise<pg.Client> {
    const blocker = await session(url);
    await blocker.query('BEGIN');
    await blocker.query('SELECT count(*) FROM accounts');
    return blocker;
  }

  it('retries the whole transaction from its BEGIN', async () => {
    const url = await postgres.freshDatabase('own_tx_retry');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    repo.write('V2__own.sql', OWN_TRANSACTION);
    const blocker = await blocked(url);
    const running = repo.migrate(url, { 'lock-timeout': '200ms', 'lock-retries': '5' });
    // Let the first attempt wait for the lock and time out, then let the next one have it. (Watched
    // from a session of its own: one inside a transaction sees pg_stat_activity as it first read it.)
    const watcher = await session(url);
    const waiting = async (): Promise<boolean> =>
      (
        await watcher.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'gantry-migrate' AND datname = current_database() AND wait_event_type = 'Lock'",
        )
      ).rows.length > 0;
    for (let poll = 0; poll < 200 && !(await waiting()); poll++) await sleep(50);
    await sleep(300);
    await blocker.query('COMMIT');
    const run = await running;
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(run.log).toContain('lock-timeout expired');
    expect(versionsApplied(run)).toEqual(['2']);
    expect(await relationExists(url, 'inside')).toBe(true);
  });

  it('fails saying that the transaction was rolled back and what before it stays applied', async () => {
    const url = await postgres.freshDatabase('own_tx_fail');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    repo.write('V2__own.sql', OWN_TRANSACTION);
    await blocked(url);
    const run = await repo.migrate(url, { 'lock-timeout': '200ms', 'lock-retries': '1' });
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error?.message).toContain(
      'V2__own.sql could not get a lock at line 5 (statement 4 of 5) within lock-timeout (200ms) in 2 attempt(s)',
    );
    expect(error?.message).toContain(
      "The file's own transaction from line 3 was rolled back; the 1 statement(s) before it ran outside a transaction and stay applied.",
    );
    expect(await relationExists(url, 'side')).toBe(true);
    expect(await relationExists(url, 'inside')).toBe(false);
  });
});

describe('statement-timeout', () => {
  it('stops a slow statement, which is not retried like a lock timeout', async () => {
    const url = await postgres.freshDatabase('statement_timeout');
    const repo = checkout({ 'V1__slow.sql': 'CREATE TABLE t (id int);\nSELECT pg_sleep(5);\n' });
    const run = await repo.migrate(url, { 'statement-timeout': '300ms' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(
      'V1__slow.sql failed at line 2 (statement 2 of 2): ERROR 57014: canceling statement due to statement timeout',
    );
    expect(run.log).not.toContain('retrying');
    expect(await relationExists(url, 't')).toBe(false);
  });
});

describe('cancellation', () => {
  it('cancels the running statement, rolls back and records it', async () => {
    const url = await postgres.freshDatabase('cancel');
    const repo = checkout({ 'V1__slow.sql': 'CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n' });
    // Cancelled once the slow statement runs, however long the bundle takes to get there.
    const ended = new AbortController();
    const run = await repo
      .migrate(url, {}, { signal: { when: sleepStarted(url, ended.signal), name: 'SIGTERM' } })
      .finally(() => ended.abort());
    expect(run.outcome).toBe('cancelled');
    expect(run.log).toContain('Cancelled by SIGTERM');
    expect(await relationExists(url, 't')).toBe(false);
    expect(await history(url)).toEqual([
      expect.objectContaining({ version: '1', success: false, error: expect.stringMatching(/^cancelled: /) }),
    ]);
    const sleeping = await query(url, SLEEPING_SESSIONS);
    expect(sleeping).toEqual([]);
  });
});

/** The migration's session while it runs the slow statement (which it may send with the rest of its file). */
const SLEEPING_SESSIONS =
  "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(60)%'";

/** Resolves once a session of the database at `url` runs the slow statement; rejects if the run ended first. */
async function sleepStarted(url: string, runEnded: AbortSignal): Promise<void> {
  while ((await query(url, SLEEPING_SESSIONS)).length === 0) {
    if (runEnded.aborted) throw new Error('the run ended before its slow statement started');
    await sleep(50);
  }
}

describe('a failure outside the migrations themselves', () => {
  it('a connection lost during a migration fails naming it, and still writes the outputs and the summary', async () => {
    const url = await postgres.freshDatabase('lost');
    const repo = checkout({ 'V1__accounts.sql': V1, 'V2__slow.sql': 'SELECT pg_sleep(5);\n' });
    const running = repo.migrate(url);
    const admin = await session(url);
    let terminated = false;
    for (let wait = 0; wait < 100 && !terminated; wait++) {
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'gantry-migrate' AND datname = current_database() AND query LIKE '%pg_sleep(5)%'",
      );
      terminated = rows.length > 0;
      if (!terminated) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(terminated).toBe(true);
    const run = await running;
    expect(run.exitCode).toBe(1);
    expect(run.log).not.toContain('a bug in Gantry');
    expect(errorsOf(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'V2__slow.sql failed at line 1 (statement 1 of 1): ERROR 57P01: terminating connection due to administrator command. Nothing of it was applied.',
        ),
        properties: expect.objectContaining({ file: 'db/migrations/V2__slow.sql', line: '1' }),
      }),
    ]);
    expect(errorsOf(run)[0]?.message).toContain('the connection to the database was lost');
    expect(versionsApplied(run)).toEqual(['1']);
    expect(run.outputs['current-version']).toBe('1');
    expect(run.outputs['pending-count']).toBe('1');
    expect(run.summary).toContain('V2\\_\\_slow.sql');
    expect((await history(url)).map((row) => [row.version, row.success])).toEqual([['1', true]]);
  });

  it('a user who may not read the history table gets the SQLSTATE and what to grant', async () => {
    const url = await postgres.freshDatabase('no_select');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    const role = `reader_${randomBytes(4).toString('hex')}`;
    await query(url, `CREATE ROLE ${role} LOGIN PASSWORD 'reader-pw'`);
    cleanups.push(async () => {
      await query(url, `DROP OWNED BY ${role}`);
      await query(url, `DROP ROLE ${role}`);
    });
    const asReader = new URL(url);
    asReader.username = role;
    asReader.password = 'reader-pw';
    const run = await repo.migrate(asReader.toString(), { command: 'plan' });
    expect(run.exitCode).toBe(1);
    expect(run.log).not.toContain('a bug in Gantry');
    expect(errorsOf(run)[0]?.message).toBe(
      'Reading the history table public.gantry_schema_history failed: ERROR 42501: permission denied for table gantry_schema_history. ' +
        `Hint: grant the user SELECT on public.gantry_schema_history (and INSERT, for migrate, undo and baseline), and USAGE on schema public`,
    );
  });

  it('a file run outside a transaction whose history row cannot be written is reported as applied but not recorded', async () => {
    const url = await postgres.freshDatabase('not_recorded');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    // The file itself stops its own row from being written, as a trigger or a policy could.
    repo.write(
      'V2__guard.sql',
      "-- gantry:no-transaction\nALTER TABLE gantry_schema_history ADD CONSTRAINT no_v2 CHECK (version <> '2') NOT VALID;\n",
    );
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(run.log).not.toContain('a bug in Gantry');
    const [error] = errorsOf(run);
    expect(error?.message).toContain(
      'V2__guard.sql ran to the end outside a transaction, but recording it in public.gantry_schema_history failed: ERROR 23514: ',
    );
    expect(error?.message).toContain(
      'It is applied but not recorded, so the next run would run it again. Hint: see the history with command: info; ' +
        'if the row is missing, record it by hand with INSERT INTO "public"."gantry_schema_history"',
    );
    expect(error?.properties.file).toBe('db/migrations/V2__guard.sql');
    expect(run.outputs['pending-count']).toBe('1');
  });
});

describe('plan', () => {
  it('changes nothing: no history table, no tables, a read-only session', async () => {
    const url = await postgres.freshDatabase('plan');
    const repo = checkout({
      'V1__accounts.sql': V1,
      'V2__index.sql': 'CREATE INDEX accounts_balance ON accounts (balance);\n',
      'R__view.sql': 'CREATE OR REPLACE VIEW rich AS SELECT * FROM accounts WHERE balance > 1000;\n',
    });
    const run = await repo.migrate(url, { command: 'plan' });
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(run.outputs['pending-count']).toBe('3');
    expect(run.outputs.applied).toBe('[]');
    expect(run.summary).toContain('Migration plan: 3 pending migrations');
    expect(run.summary).toContain('migrate would create public.gantry\\_schema\\_history');
    const [catalog] = await query<{ relations: number; history: string | null }>(
      url,
      "SELECT count(*)::int AS relations, to_regclass('public.gantry_schema_history')::text AS history FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );
    expect(catalog).toEqual({ relations: 0, history: null });
  });

  it('lints the pending migrations on an existing database and fails on what would stop migrate', async () => {
    const url = await postgres.freshDatabase('plan_lint');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    repo.write('V2__index.sql', 'CREATE INDEX accounts_balance ON accounts (balance);\n');
    repo.write('V3__drop.sql', 'DROP TABLE accounts;\n');
    const run = await repo.migrate(url, { command: 'plan' });
    expect(run.exitCode).toBe(1);
    expect(
      JSON.parse(run.outputs['lint-findings'] ?? '[]').map((finding: { rule: string; severity: string }) => [
        finding.rule,
        finding.severity,
      ]),
    ).toEqual([
      ['create-index-non-concurrently', 'warning'],
      ['drop-table', 'error'],
    ]);
    expect(run.summary).toContain('### Would apply');
    expect(await history(url)).toHaveLength(1);
  });
});

describe('baseline', () => {
  it('marks an existing database at a version, so only later migrations run, and only once', async () => {
    const url = await postgres.freshDatabase('baseline');
    await query(url, V1);
    const repo = checkout({
      'V1__accounts.sql': V1,
      'V2__seed.sql': 'INSERT INTO accounts VALUES (1, 10);\n',
      'V3__audit.sql': 'CREATE TABLE audit (id int);\n',
    });
    const baseline = await repo.migrate(url, { command: 'baseline', 'baseline-version': '2' });
    expect(outcome(baseline)).toEqual({ exitCode: 0, log: baseline.log });
    expect(baseline.outputs['current-version']).toBe('2');
    expect(baseline.outputs['pending-count']).toBe('1');
    expect(baseline.summary).toContain('2 migration file(s) at or below it will never run');
    const run = await repo.migrate(url);
    expect(versionsApplied(run)).toEqual(['3']);
    expect(await query(url, 'SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 0 }]);
    const again = await repo.migrate(url, { command: 'baseline', 'baseline-version': '5' });
    expect(again.exitCode).toBe(1);
    expect(errorsOf(again)[0]?.message).toContain('already records version 3');
  });
});

describe('out-of-order versions', () => {
  it('fail unless out-of-order is true', async () => {
    const url = await postgres.freshDatabase('out_of_order');
    const repo = checkout({ 'V1__accounts.sql': V1, 'V3__audit.sql': 'CREATE TABLE audit (id int);\n' });
    await repo.migrate(url);
    repo.write('V2__late_branch.sql', 'CREATE TABLE late (id int);\n');
    repo.write('V4__next.sql', 'CREATE TABLE next (id int);\n');
    const refused = await repo.migrate(url);
    expect(refused.exitCode).toBe(1);
    expect(errorsOf(refused)[0]).toMatchObject({
      message: expect.stringContaining(
        'V2__late_branch.sql (version 2) is lower than version 3, which is already applied',
      ),
      properties: expect.objectContaining({
        file: 'db/migrations/V2__late_branch.sql',
        title: 'Out-of-order migration',
      }),
    });
    expect(await relationExists(url, 'next')).toBe(false);
    const allowed = await repo.migrate(url, { 'out-of-order': 'true' });
    expect(outcome(allowed)).toEqual({ exitCode: 0, log: allowed.log });
    expect(versionsApplied(allowed)).toEqual(['2', '4']);
  });
});

describe('undo', () => {
  it('reverses the latest version with its U file, after which migrate applies it again', async () => {
    const url = await postgres.freshDatabase('undo');
    const repo = checkout({
      'V1__accounts.sql': V1,
      'V2__audit.sql': 'CREATE TABLE audit (id int);\n',
      'U2__audit.sql': 'DROP TABLE audit;\n',
    });
    await repo.migrate(url);
    const refused = await repo.migrate(url, { command: 'undo' });
    expect(refused.exitCode).toBe(1);
    expect(errorsOf(refused)[0]?.properties.title).toBe('drop-table');
    const undo = await repo.migrate(url, { command: 'undo', 'allow-destructive': 'true' });
    expect(outcome(undo)).toEqual({ exitCode: 0, log: undo.log });
    expect(versionsApplied(undo)).toEqual(['2']);
    expect(JSON.parse(undo.outputs.applied ?? '[]')[0]).toMatchObject({
      type: 'undo',
      script: 'U2__audit.sql',
    });
    expect(undo.outputs['current-version']).toBe('1');
    expect(undo.summary).toContain('Migration undo: undid version 2');
    expect(await relationExists(url, 'audit')).toBe(false);
    const again = await repo.migrate(url);
    expect(versionsApplied(again)).toEqual(['2']);
    expect(await relationExists(url, 'audit')).toBe(true);
  });

  it('fails clearly without a U file for the latest version', async () => {
    const url = await postgres.freshDatabase('undo_missing');
    const repo = checkout({ 'V1__accounts.sql': V1, 'V1_1__more.sql': 'CREATE TABLE more (id int);\n' });
    await repo.migrate(url);
    const run = await repo.migrate(url, { command: 'undo' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('no undo file for it: add U1_1__<description>.sql');
    expect(await relationExists(url, 'more')).toBe(true);
  });
});

describe('info', () => {
  it('shows the version, what is pending and the history, including failed attempts', async () => {
    const url = await postgres.freshDatabase('info');
    const repo = checkout({ 'V1__accounts.sql': V1, 'V2__broken.sql': 'SELECT * FROM nowhere;\n' });
    await repo.migrate(url);
    const run = await repo.migrate(url, { command: 'info' });
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(run.outputs['current-version']).toBe('1');
    expect(run.outputs['pending-count']).toBe('1');
    expect(run.summary).toContain('Migration status: version 1, 1 pending migration');
    expect(run.summary).toMatch(/\| 2 \| broken \| versioned \| failed \|/);
  });
});
