import { afterEach, describe, expect, it } from '@jest/globals';
import { usePostgres } from './postgres-fixture.ts';
import {
  appliedOf,
  errorsOf,
  history,
  MIGRATIONS_DIR,
  outcome,
  project,
  query,
  relationExists,
  versionsApplied,
  type Project,
} from './project.ts';

/** The main paths, through the committed bundle against a real PostgreSQL. */

const postgres = usePostgres();

const projects: Project[] = [];
afterEach(() => {
  for (const each of projects.splice(0)) each.cleanup();
});

function checkout(files: Record<string, string>): Project {
  const created = project(files);
  projects.push(created);
  return created;
}

const V1 = 'CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\n';
const V2 =
  '-- Orders belong to users.\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n';
const R_VIEWS = 'CREATE OR REPLACE VIEW user_emails AS SELECT id, email FROM users;\n';

describe('a fresh database', () => {
  it('gets every migration, versioned in order then repeatable, each recorded', async () => {
    const url = await postgres.freshDatabase('fresh');
    const repo = checkout({ 'V2__orders.sql': V2, 'V1__users.sql': V1, 'R__views.sql': R_VIEWS });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(versionsApplied(run)).toEqual(['1', '2', null]);
    expect(run.outputs['current-version']).toBe('2');
    expect(run.outputs['pending-count']).toBe('0');
    expect(run.outputs['lint-findings']).toBe('[]');
    expect(await history(url)).toEqual([
      {
        version: '1',
        description: 'users',
        type: 'versioned',
        script: 'V1__users.sql',
        success: true,
        error: null,
      },
      {
        version: '2',
        description: 'orders',
        type: 'versioned',
        script: 'V2__orders.sql',
        success: true,
        error: null,
      },
      {
        version: null,
        description: 'views',
        type: 'repeatable',
        script: 'R__views.sql',
        success: true,
        error: null,
      },
    ]);
    expect(await relationExists(url, 'user_emails')).toBe(true);
    expect(run.summary).toContain('Database migrations: applied 3 migrations');
    expect(run.summary).toContain('(created by this run)');
    expect(run.summary).toMatch(/\| 2 \| orders \| versioned \| \d+ms \| 1 \| yes \|/);
  });

  it('records who applied it, when, how long it took, and the run', async () => {
    const url = await postgres.freshDatabase('recorded');
    const repo = checkout({ 'V1__users.sql': V1 });
    const run = await repo.migrate(url, {}, { env: { GITHUB_RUN_ID: '4242' } });
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    const [row] = await query<Record<string, unknown>>(url, 'SELECT * FROM gantry_schema_history');
    expect(row).toMatchObject({
      applied_by: 'postgres',
      success: true,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(row?.run_url).toMatch(/\/actions\/runs\/4242$/);
    expect(Number(row?.execution_ms)).toBeGreaterThanOrEqual(0);
    expect(row?.applied_at).toBeInstanceOf(Date);
  });
});

describe('the history table', () => {
  it('goes where schema and table say, with names quoted', async () => {
    const url = await postgres.freshDatabase('custom_history');
    const repo = checkout({ 'V1__users.sql': V1 });
    const run = await repo.migrate(url, { schema: 'Ops Data', table: 'Schema History' });
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await history(url, '"Ops Data"."Schema History"')).toHaveLength(1);
    expect(await relationExists(url, 'public.gantry_schema_history')).toBe(false);
    expect(versionsApplied(await repo.migrate(url, { schema: 'Ops Data', table: 'Schema History' }))).toEqual(
      [],
    );
  });
});

describe('session state', () => {
  it('does not leak from one migration into the next', async () => {
    const url = await postgres.freshDatabase('session_state');
    const repo = checkout({
      'V1__settings.sql': 'SET search_path = pg_catalog;\nSET default_transaction_read_only = on;\n',
      'V2__table.sql': 'CREATE TABLE after_reset (id int);\n',
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await relationExists(url, 'public.after_reset')).toBe(true);
  });
});

describe('incremental runs', () => {
  it('apply only what was added since, and nothing when up to date', async () => {
    const url = await postgres.freshDatabase('incremental');
    const repo = checkout({ 'V1__users.sql': V1 });
    expect(versionsApplied(await repo.migrate(url))).toEqual(['1']);
    repo.write('V2__orders.sql', V2);
    repo.write('V10__index.sql', 'CREATE INDEX orders_user ON orders (user_id);\n');
    const second = await repo.migrate(url);
    expect(outcome(second)).toEqual({ exitCode: 0, log: second.log });
    expect(versionsApplied(second)).toEqual(['2', '10']);
    expect(second.outputs['current-version']).toBe('10');
    const third = await repo.migrate(url);
    expect(versionsApplied(third)).toEqual([]);
    expect(third.summary).toContain('up to date');
    expect((await history(url)).length).toBe(3);
  });
});

describe('repeatable migrations', () => {
  it('run again when their checksum changes, and only then', async () => {
    const url = await postgres.freshDatabase('repeatable');
    const repo = checkout({ 'V1__users.sql': V1, 'R__views.sql': R_VIEWS });
    await repo.migrate(url);
    expect(versionsApplied(await repo.migrate(url))).toEqual([]);
    repo.write(
      'R__views.sql',
      'CREATE OR REPLACE VIEW user_emails AS SELECT id, email, lower(email) AS key FROM users;\n',
    );
    const changed = await repo.migrate(url);
    expect(appliedOf(changed).map((applied) => applied.script)).toEqual(['R__views.sql']);
    const columns = await query<{ column_name: string }>(
      url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'user_emails' ORDER BY ordinal_position",
    );
    expect(columns.map((column) => column.column_name)).toEqual(['id', 'email', 'key']);
  });
});

describe('checksum drift', () => {
  it('stops migrate before anything runs, with an error on the changed file', async () => {
    const url = await postgres.freshDatabase('drift');
    const repo = checkout({ 'V1__users.sql': V1, 'V2__orders.sql': V2 });
    await repo.migrate(url);
    repo.write('V2__orders.sql', V2.replace('PRIMARY KEY', 'PRIMARY KEY, total numeric'));
    repo.write('V3__later.sql', 'CREATE TABLE later (id int);\n');
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('V2__orders.sql was changed after it was applied as version 2'),
        properties: expect.objectContaining({
          file: `${MIGRATIONS_DIR}/V2__orders.sql`,
          title: 'Applied migration changed',
        }),
      }),
    ]);
    expect(JSON.parse(run.outputs.drift ?? '[]')).toEqual([
      { kind: 'changed', version: '2', script: 'V2__orders.sql' },
    ]);
    expect(await relationExists(url, 'later')).toBe(false);
    const validate = await repo.migrate(url, { command: 'validate' });
    expect(validate.exitCode).toBe(1);
    expect(validate.summary).toContain('| changed | 2 |');
  });

  it('does not see CRLF line endings as a change', async () => {
    const url = await postgres.freshDatabase('crlf');
    const repo = checkout({ 'V1__users.sql': V1, 'V2__orders.sql': V2 });
    await repo.migrate(url);
    repo.write('V1__users.sql', V1.replaceAll('\n', '\r\n'));
    repo.write('V2__orders.sql', `\uFEFF${V2.replaceAll('\n', '\r\n')}`);
    const validate = await repo.migrate(url, { command: 'validate' });
    expect(outcome(validate)).toEqual({ exitCode: 0, log: validate.log });
    expect(validate.outputs.drift).toBe('[]');
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(versionsApplied(run)).toEqual([]);
  });

  it('reports a deleted file as missing and a database ahead of the files as unknown', async () => {
    const url = await postgres.freshDatabase('missing');
    const repo = checkout({
      'V1__users.sql': V1,
      'V2__orders.sql': V2,
      'V3__later.sql': 'CREATE TABLE later (id int);\n',
    });
    await repo.migrate(url);
    repo.remove('V2__orders.sql');
    repo.remove('V3__later.sql');
    repo.write('V2_5__late.sql', 'SELECT 1;\n');
    const run = await repo.migrate(url, { command: 'validate' });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.drift ?? '[]')).toEqual([
      { kind: 'missing', version: '2', script: 'V2__orders.sql' },
      { kind: 'unknown', version: '3', script: 'V3__later.sql' },
    ]);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('the database is ahead of this checkout'),
      }),
    );
  });
});

describe('a failing migration', () => {
  it('is rolled back completely and recorded, then runs once fixed, with no repair step', async () => {
    const url = await postgres.freshDatabase('failing');
    const broken =
      'CREATE TABLE audit (id int);\nINSERT INTO audit VALUES (1);\n\nINSERT INTO missing_table VALUES (1);\n';
    const repo = checkout({
      'V1__users.sql': V1,
      'V2__audit.sql': broken,
      'V3__after.sql': 'CREATE TABLE after (id int);\n',
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(versionsApplied(run)).toEqual(['1']);
    expect(errorsOf(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'V2__audit.sql failed at line 4 (statement 3 of 3): ERROR 42P01: relation "missing_table" does not exist',
        ),
        properties: expect.objectContaining({ file: `${MIGRATIONS_DIR}/V2__audit.sql`, line: '4' }),
      }),
    ]);
    expect(run.log).toContain('Nothing of it was applied.');
    expect(await relationExists(url, 'audit')).toBe(false);
    expect(await relationExists(url, 'after')).toBe(false);
    expect((await history(url)).map((row) => [row.version, row.success])).toEqual([
      ['1', true],
      ['2', false],
    ]);
    expect((await history(url))[1]?.error).toContain('relation "missing_table" does not exist');
    expect(run.outputs['current-version']).toBe('1');
    expect(run.outputs['pending-count']).toBe('2');

    repo.write('V2__audit.sql', 'CREATE TABLE audit (id int);\nINSERT INTO audit VALUES (1);\n');
    const fixed = await repo.migrate(url);
    expect(outcome(fixed)).toEqual({ exitCode: 0, log: fixed.log });
    expect(versionsApplied(fixed)).toEqual(['2', '3']);
    expect(fixed.log).toContain('V2__audit.sql failed in an earlier run');
    const validate = await repo.migrate(url, { command: 'validate' });
    expect(outcome(validate)).toEqual({ exitCode: 0, log: validate.log });
  });

  it('is reported at the line of the error inside a multi-line statement', async () => {
    const url = await postgres.freshDatabase('error_line');
    const repo = checkout({
      'V1__users.sql': V1,
      'V2__seed.sql': '-- Seed data.\nINSERT INTO users (id, email)\nVALUES (1, missing_column);\n',
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatchObject({
      message: expect.stringContaining(
        'V2__seed.sql failed at line 3 (statement 1 of 1): ERROR 42703: column "missing_column" does not exist',
      ),
      properties: expect.objectContaining({ line: '3' }),
    });
  });
});

describe('CREATE INDEX CONCURRENTLY', () => {
  it('runs outside a transaction, statement by statement, and the index is valid', async () => {
    const url = await postgres.freshDatabase('concurrently');
    const repo = checkout({
      'V1__users.sql': `${V1}INSERT INTO users SELECT n, 'user' || n || '@example.com' FROM generate_series(1, 500) n;\n`,
      'V2__email_index.sql':
        'CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower ON users (lower(email));\n',
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(run.log).toContain('outside a transaction');
    expect(run.summary).toContain('no (statement by statement)');
    const indexes = await query<{ name: string; valid: boolean }>(
      url,
      "SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('users_email', 'users_lower') ORDER BY 1",
    );
    expect(indexes).toEqual([
      { name: 'users_email', valid: true },
      { name: 'users_lower', valid: true },
    ]);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        properties: expect.objectContaining({ title: 'no-transaction' }),
      }),
    );
  });

  it('that fails leaves no invalid index behind, so the fixed file runs', async () => {
    const url = await postgres.freshDatabase('concurrently_fail');
    const repo = checkout({
      'V1__users.sql': `${V1}INSERT INTO users VALUES (1, 'same@example.com'), (2, 'same@example.com');\n`,
      'V2__email_index.sql': 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n',
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('could not create unique index "users_email"');
    expect(await relationExists(url, 'users_email')).toBe(false);
    await query(url, 'DELETE FROM users WHERE id = 2');
    const fixed = await repo.migrate(url);
    expect(outcome(fixed)).toEqual({ exitCode: 0, log: fixed.log });
    const [index] = await query<{ valid: boolean }>(
      url,
      "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'users_email'::regclass",
    );
    expect(index?.valid).toBe(true);
  });
});

describe('lint', () => {
  it('stops destructive migrations before anything runs unless allow-destructive is true', async () => {
    const url = await postgres.freshDatabase('destructive');
    const repo = checkout({ 'V1__users.sql': V1 });
    await repo.migrate(url);
    repo.write('V2__add.sql', 'CREATE TABLE notes (id int);\n');
    repo.write('V3__cleanup.sql', '-- Drop the email column.\nALTER TABLE users\n  DROP COLUMN email;\n');
    const refused = await repo.migrate(url);
    expect(refused.exitCode).toBe(1);
    expect(errorsOf(refused)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('DROP COLUMN users.email'),
        properties: expect.objectContaining({
          file: `${MIGRATIONS_DIR}/V3__cleanup.sql`,
          line: '2',
          endLine: '3',
          title: 'drop-column',
        }),
      }),
    ]);
    expect(refused.log).toContain('Nothing was applied');
    expect(await relationExists(url, 'notes')).toBe(false);
    expect(JSON.parse(refused.outputs['lint-findings'] ?? '[]')).toEqual([
      expect.objectContaining({
        file: `${MIGRATIONS_DIR}/V3__cleanup.sql`,
        line: 2,
        rule: 'drop-column',
        severity: 'error',
      }),
    ]);

    const allowed = await repo.migrate(url, { 'allow-destructive': 'true' });
    expect(outcome(allowed)).toEqual({ exitCode: 0, log: allowed.log });
    expect(versionsApplied(allowed)).toEqual(['2', '3']);
    expect(allowed.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        properties: expect.objectContaining({ title: 'drop-column' }),
      }),
    );
  });

  it('stops a syntax error before anything runs, pointing at its line', async () => {
    const url = await postgres.freshDatabase('syntax');
    const repo = checkout({
      'V1__users.sql': V1,
      'V2__typo.sql': 'CREATE TABLE a (id int);\nCREAT TABLE b (id int);\n',
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('V2__typo.sql line 2, column 1: syntax error at or near "CREAT"'),
        properties: expect.objectContaining({ line: '2', title: 'syntax-error' }),
      }),
    ]);
    expect(await relationExists(url, 'users')).toBe(false);
  });
});
