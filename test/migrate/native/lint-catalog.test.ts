import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import { prepareMigrations } from '../../../actions/migrate/src/native/commands/prepare.ts';
import { connect, type Connection } from '../../../actions/migrate/src/native/database/database.ts';
import type { Session } from '../../../actions/migrate/src/native/database/session.ts';
import type { Finding } from '../../../actions/migrate/src/native/sql/lint.ts';
import { loadSqlParser, type SqlParser } from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { usePostgres } from '../postgres-fixture.ts';
import { query } from '../project.ts';
import { migrationFile } from './helpers.ts';

/**
 * Lint with the database's answers, against a real server: which tables exist, what they are, how
 * large, a column's current type, which functions are volatile, the session's time zone. Every
 * verdict about a rewrite is checked against PostgreSQL itself: the statement runs in a transaction
 * that is rolled back, and the table was rewritten exactly when its relfilenode changed.
 */

const postgres = usePostgres();

/** users is small (1,000 rows); big is larger than the 10 MiB under which a rewrite is a notice. */
const SCHEMA = `
CREATE TABLE users (
  id int PRIMARY KEY, email varchar(50), code varchar(10), name varchar, bio text,
  amount numeric(10, 2), ratio numeric, flags varbit(8), created timestamp, created3 timestamp(3),
  seen timestamptz, n int, tags varchar(10)[], at3 time(3), handle varchar(20),
  status varchar(10) CHECK (status <> '')
);
CREATE INDEX users_created ON users (created);
CREATE INDEX users_code ON users (code);
CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
CREATE INDEX users_handled ON users (id) WHERE handle IS NOT NULL;
INSERT INTO users (id) SELECT generate_series(1, 1000);
CREATE TABLE big AS SELECT g AS id, repeat('x', 1000) AS payload, g::numeric(10, 2) AS amount FROM generate_series(1, 12000) g;
CREATE MATERIALIZED VIEW big_view AS SELECT id, payload FROM big;
CREATE MATERIALIZED VIEW small_view AS SELECT id FROM users;
CREATE TABLE events (id int, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE logs (id int, at date, payload text) PARTITION BY RANGE (at);
CREATE TABLE logs_2026 PARTITION OF logs FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY HASH (id);
CREATE TABLE logs_2026_0 PARTITION OF logs_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE logs_2026_1 PARTITION OF logs_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO logs SELECT g, '2026-03-01', repeat('x', 1000) FROM generate_series(1, 12000) g;
CREATE FUNCTION stable_code() RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FUNCTION volatile_code() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x'; END $$;
CREATE SCHEMA other;
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN small_positive AS positive CHECK (VALUE < 100);
CREATE DOMAIN required_int AS int NOT NULL DEFAULT 0;
CREATE DOMAIN other.positive AS int CHECK (VALUE > 0);
CREATE DOMAIN plain_int AS int;
ANALYZE;
CREATE TABLE fresh (id int, code varchar(5));
`;

let url: string;
let parser: SqlParser;
let session: Connection;
let writer: pg.Client;

function settingsOf(databaseUrl: string, options?: string): ConnectionSettings {
  const parsed = new URL(databaseUrl);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'disable',
    ca: undefined,
    options,
  };
}

beforeAll(async () => {
  url = await postgres.freshDatabase('lint_catalog');
  await query(url, SCHEMA);
  // Sessions of this database start in a time zone that is not UTC, as on many servers.
  await query(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET timezone = 'Europe/Paris'`);
  parser = await loadSqlParser();
  // The read-only session plan uses: the catalog query must work there.
  session = await connect(settingsOf(url), { readOnly: true, timeoutMs: 10_000 });
  writer = new pg.Client({ connectionString: url });
  await writer.connect();
});

afterAll(async () => {
  await session?.end();
  await writer?.end();
});

/** Lints `sql` as one file V2__change.sql, with the database's answers unless `database` is 'offline'. */
async function lint(sql: string, database: Session | 'offline' = session): Promise<Finding[]> {
  const migration = migrationFile('V2__change.sql', sql);
  const { findings } = await prepareMigrations(
    [{ migration, type: 'versioned' }],
    parser,
    session.serverVersion,
    { allowDestructive: false, ...(database === 'offline' ? {} : { database }) },
  );
  return findings;
}

async function rules(sql: string): Promise<string[]> {
  return (await lint(sql)).map((finding) => finding.rule);
}

type Rebuilt = 'table' | 'indexes' | 'nothing';

/**
 * Runs `sql` in a transaction that is rolled back: what it rebuilt of users, which gets a new
 * relfilenode (an index that is kept may get a new oid, but keeps its name and its file).
 */
async function rebuilt(sql: string): Promise<Rebuilt> {
  const filenodes = async (): Promise<{ name: string; node: string; table: boolean }[]> =>
    (
      await writer.query<{ name: string; node: string; table: boolean }>(
        `SELECT c.relname AS name, pg_relation_filenode(c.oid)::text AS node, c.relkind = 'r' AS table FROM pg_class c
         WHERE c.oid = 'users'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'users'::regclass) ORDER BY c.oid`,
      )
    ).rows;
  await writer.query('BEGIN');
  try {
    const before = await filenodes();
    await writer.query(sql);
    const after = new Map((await filenodes()).map(({ name, node }) => [name, node]));
    const changed = before.filter(({ name, node }) => after.get(name) !== node);
    if (changed.some(({ table }) => table)) return 'table';
    return changed.length > 0 ? 'indexes' : 'nothing';
  } finally {
    await writer.query('ROLLBACK');
  }
}

/** Statements on users, the findings lint gives with the database, and what PostgreSQL rebuilds. */
const REWRITE_CORPUS: [string, string[], Rebuilt][] = [
  // Changes that never rewrite: no finding.
  ['ALTER TABLE users ALTER COLUMN code TYPE varchar(20)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN code TYPE varchar', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN code TYPE text', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN code TYPE character varying(10)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN code TYPE varchar(20) USING code', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN name TYPE text', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN bio TYPE varchar', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN amount TYPE numeric(12, 2)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN amount TYPE numeric', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN amount TYPE decimal(10, 2)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN flags TYPE varbit(16)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN flags TYPE bit varying', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN created3 TYPE timestamp(6)', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN created3 TYPE timestamp', [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN at3 TYPE time(5)', [], 'nothing'],
  ["SET TIME ZONE 'Etc/UTC';\nALTER TABLE users ALTER COLUMN seen TYPE timestamp;", [], 'nothing'],
  ['ALTER TABLE users ALTER COLUMN name TYPE varchar COLLATE "C"', [], 'nothing'],
  // Changes that keep the table but rebuild the column's indexes: a finding.
  [
    "SET TIME ZONE 'UTC';\nALTER TABLE users ALTER COLUMN created TYPE timestamptz;",
    ['alter-column-type'],
    'indexes',
  ],
  ['ALTER TABLE users ALTER COLUMN code TYPE varchar(20) COLLATE "C"', ['alter-column-type'], 'indexes'],
  // An index on an expression of the column, or with a WHERE clause naming it, is built again on any type change.
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(100)', ['alter-column-type'], 'indexes'],
  ['ALTER TABLE users ALTER COLUMN email TYPE text', ['alter-column-type'], 'indexes'],
  ['ALTER TABLE users ALTER COLUMN handle TYPE varchar(30)', ['alter-column-type'], 'indexes'],
  // Changes that rewrite: a finding.
  ['ALTER TABLE users ALTER COLUMN code TYPE varchar(5)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN bio TYPE varchar(100)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN name TYPE varchar(100)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN amount TYPE numeric(12, 3)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN amount TYPE numeric(8, 2)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN ratio TYPE numeric(10, 2)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN flags TYPE varbit(4)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN created TYPE timestamp(3)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN at3 TYPE time(0)', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN at3 TYPE timetz', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN created TYPE timestamptz', ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN seen TYPE timestamp', ['alter-column-type'], 'table'],
  [
    "SET TIME ZONE 'UTC';\nRESET timezone;\nALTER TABLE users ALTER COLUMN created TYPE timestamptz;",
    ['alter-column-type'],
    'table',
  ],
  ['ALTER TABLE users ALTER COLUMN n TYPE bigint', ['alter-column-type'], 'table'],
  ["ALTER TABLE users ALTER COLUMN code TYPE varchar(20) USING code || ''", ['alter-column-type'], 'table'],
  ['ALTER TABLE users ALTER COLUMN tags TYPE varchar(20)[]', ['alter-column-type'], 'table'],
  // ADD COLUMN: only a value of its own for every row rewrites.
  ['ALTER TABLE users ADD COLUMN c text DEFAULT volatile_code()', ['add-column-volatile-default'], 'table'],
  ['ALTER TABLE users ADD COLUMN c text DEFAULT stable_code()', [], 'nothing'],
  ['ALTER TABLE users ADD COLUMN c timestamptz NOT NULL DEFAULT now()', [], 'nothing'],
  ['ALTER TABLE users ADD COLUMN c int NOT NULL DEFAULT 0', [], 'nothing'],
  ['ALTER TABLE users ADD COLUMN c uuid DEFAULT gen_random_uuid()', ['add-column-volatile-default'], 'table'],
  [
    'ALTER TABLE users ADD COLUMN c timestamptz DEFAULT clock_timestamp()',
    ['add-column-volatile-default'],
    'table',
  ],
  ['ALTER TABLE users ADD COLUMN c bigserial NOT NULL', ['add-column-volatile-default'], 'table'],
  ['ALTER TABLE users ADD COLUMN c smallserial', ['add-column-volatile-default'], 'table'],
  [
    'ALTER TABLE users ADD COLUMN c bigint GENERATED ALWAYS AS IDENTITY',
    ['add-column-volatile-default'],
    'table',
  ],
  [
    'ALTER TABLE users ADD COLUMN c int GENERATED ALWAYS AS (id * 2) STORED',
    ['add-generated-column'],
    'table',
  ],
  // A domain with constraints (CHECK or NOT NULL, its own or its base domain's) is checked by writing every row.
  ['ALTER TABLE users ADD COLUMN c positive', ['add-column-constrained-domain'], 'table'],
  ['ALTER TABLE users ADD COLUMN c small_positive DEFAULT 1', ['add-column-constrained-domain'], 'table'],
  ['ALTER TABLE users ADD COLUMN c required_int', ['add-column-constrained-domain'], 'table'],
  ['ALTER TABLE users ADD COLUMN c other.positive', ['add-column-constrained-domain'], 'table'],
  ['ALTER TABLE users ADD COLUMN c plain_int DEFAULT 1', [], 'nothing'],
  ['ALTER TABLE users ADD COLUMN c positive[]', [], 'nothing'],
  [
    'CREATE DOMAIN fresh_positive AS int CHECK (VALUE > 0);\nALTER TABLE users ADD COLUMN c fresh_positive;',
    ['add-column-constrained-domain'],
    'table',
  ],
  ['CREATE DOMAIN fresh_plain AS int;\nALTER TABLE users ADD COLUMN c fresh_plain DEFAULT 1;', [], 'nothing'],
  [
    "CREATE FUNCTION fresh_code() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'x' $$;\nALTER TABLE users ADD COLUMN c text DEFAULT fresh_code();",
    [],
    'nothing',
  ],
  [
    "CREATE FUNCTION fresh_code() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x'; END $$;\nALTER TABLE users ADD COLUMN c text DEFAULT fresh_code();",
    ['add-column-volatile-default'],
    'table',
  ],
];

describe('lint with the database: rewrites, checked against PostgreSQL', () => {
  it.each(REWRITE_CORPUS)('%s', async (sql, expected, what) => {
    expect(await rules(sql)).toEqual(expected);
    expect(await rebuilt(sql)).toBe(what);
  });
});

/** Statements whose findings depend on what exists in the database. */
const CORPUS: [string, string[]][] = [
  // A column the batch adds (or changes) is judged from the text: the database does not have it yet.
  [
    'ALTER TABLE users ADD COLUMN nick varchar(10);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(20);',
    [],
  ],
  [
    'ALTER TABLE users ALTER COLUMN code TYPE varchar(5);\nALTER TABLE users ALTER COLUMN code TYPE varchar(8);',
    ['alter-column-type'],
  ],
  [
    'ALTER TABLE users ALTER COLUMN code TYPE int USING code::int;\nALTER TABLE users ALTER COLUMN code TYPE varchar(30);',
    ['alter-column-type', 'alter-column-type'],
  ],
  // SET LOCAL outside a transaction block changes nothing (Gantry runs such a file statement by
  // statement), so the change still runs in the database's time zone and rewrites.
  [
    "-- gantry:no-transaction\nSET LOCAL TIME ZONE 'UTC';\nALTER TABLE users ALTER COLUMN seen TYPE timestamp;",
    ['no-transaction', 'alter-column-type'],
  ],
  ["SET LOCAL TIME ZONE 'UTC';\nALTER TABLE users ALTER COLUMN seen TYPE timestamp;", []],
  // CREATE TABLE IF NOT EXISTS: new when the database does not have the table.
  ['CREATE TABLE IF NOT EXISTS audit (id int);\nCREATE INDEX audit_id ON audit (id);', []],
  ['CREATE TABLE IF NOT EXISTS audit (id int);\nALTER TABLE audit ADD COLUMN n bigserial NOT NULL;', []],
  ['CREATE TABLE IF NOT EXISTS audit (id int);\nTRUNCATE audit;', []],
  ['CREATE TABLE IF NOT EXISTS other.audit (id int);\nCREATE INDEX audit_id ON other.audit (id);', []],
  ['CREATE TABLE IF NOT EXISTS "Audit Log" (id int);\nCREATE INDEX audit_id ON "Audit Log" (id);', []],
  [
    'CREATE SCHEMA IF NOT EXISTS reports;\nCREATE TABLE IF NOT EXISTS reports.audit (id int);\nCREATE INDEX audit_id ON reports.audit (id);',
    [],
  ],
  ['CREATE TABLE IF NOT EXISTS audit AS SELECT id FROM users;\nCREATE INDEX audit_id ON audit (id);', []],
  [
    'CREATE TABLE IF NOT EXISTS users (id int);\nCREATE INDEX users_email ON users (email);',
    ['create-index-non-concurrently'],
  ],
  ['CREATE TABLE IF NOT EXISTS public.users (id int);\nTRUNCATE public.users;', ['truncate']],
  // ... unless an existing table may have taken the name, or the name may resolve elsewhere.
  [
    'ALTER TABLE users RENAME TO audit;\nCREATE TABLE IF NOT EXISTS audit (id int);\nCREATE INDEX audit_id ON audit (id);',
    ['rename-table', 'create-index-non-concurrently'],
  ],
  [
    'SET search_path = other, public;\nCREATE TABLE IF NOT EXISTS audit (id int);\nCREATE INDEX audit_id ON audit (id);',
    ['create-index-non-concurrently'],
  ],
  // DROP TABLE IF EXISTS of a table the database does not have deletes nothing.
  ['DROP TABLE IF EXISTS gone;', []],
  ['DROP TABLE IF EXISTS other.users;', []],
  ['DROP TABLE IF EXISTS gone, users;', ['drop-table']],
  ['DROP TABLE IF EXISTS users;', ['drop-table']],
  ['DROP TABLE users;\nDROP TABLE IF EXISTS users;', ['drop-table']],
  ['DROP TABLE gone;', ['drop-table']],
  ['CREATE TABLE gone (id int);\nDROP TABLE IF EXISTS gone;', []],
  ['ALTER TABLE users RENAME TO gone;\nDROP TABLE IF EXISTS gone;', ['rename-table', 'drop-table']],
  ['SET search_path = other, public;\nDROP TABLE IF EXISTS gone;', ['drop-table']],
  // A table the batch makes in a way lint cannot read is still new: the database does not have it.
  ["DO $$ BEGIN EXECUTE 'CREATE TABLE made (id int)'; END $$;\nCREATE INDEX made_id ON made (id);", []],
  // Materialized views take no writes: an index on a small one is nothing to report.
  ['CREATE INDEX small_view_id ON small_view (id)', []],
  ['CREATE INDEX big_view_id ON big_view (id)', ['create-index-materialized-view']],
  ['CREATE INDEX CONCURRENTLY big_view_id ON big_view (id)', []],
  ['CREATE INDEX events_at ON events (at)', ['create-index-non-concurrently']],
  ['CREATE INDEX users_email ON users (email)', ['create-index-non-concurrently']],
];

describe('lint with the database: what exists', () => {
  it.each(CORPUS)('%s', async (sql, expected) => {
    expect(await rules(sql)).toEqual(expected);
  });
});

describe('findings with the database', () => {
  it('rank a rewrite by the size of the table: a notice when small, a warning when large', async () => {
    const [small] = await lint('ALTER TABLE users ALTER COLUMN amount TYPE numeric(8, 2)');
    expect(small).toMatchObject({ rule: 'alter-column-type', severity: 'notice', line: 1 });
    expect(small?.message).toContain('from numeric(10,2) to numeric(8, 2)');
    expect(small?.message).toMatch(/about 1000 rows, [\d.]+ KiB/);
    const [large] = await lint('ALTER TABLE big ALTER COLUMN amount TYPE numeric(8, 2)');
    expect(large).toMatchObject({ rule: 'alter-column-type', severity: 'warning' });
    expect(large?.message).toMatch(/about 12 thousand rows, [\d.]+ MiB/);
    const [serial] = await lint('ALTER TABLE big ADD COLUMN n bigserial');
    expect(serial).toMatchObject({ rule: 'add-column-volatile-default', severity: 'warning' });
    expect(serial?.message).toContain('nextval()');
  });

  it('keep a warning for a table never analysed, whose size the catalog does not know', async () => {
    const [finding] = await lint('ALTER TABLE fresh ALTER COLUMN code TYPE varchar(2)');
    expect(finding).toMatchObject({ rule: 'alter-column-type', severity: 'warning' });
    expect(finding?.message).toContain('(never analysed: its size is unknown)');
  });

  it('read the catalog without waiting behind a lock on the table', async () => {
    await writer.query('BEGIN');
    try {
      await writer.query('LOCK TABLE big IN ACCESS EXCLUSIVE MODE');
      const [finding] = await lint('ALTER TABLE big ALTER COLUMN amount TYPE numeric(8, 2)');
      expect(finding).toMatchObject({ rule: 'alter-column-type', severity: 'warning' });
    } finally {
      await writer.query('ROLLBACK');
    }
  });

  it('say why timestamp to timestamptz rewrites: the session time zone', async () => {
    const [finding] = await lint('ALTER TABLE users ALTER COLUMN created TYPE timestamptz');
    expect(finding?.message).toContain('the session time zone is Europe/Paris, not UTC');
  });

  it('read the time zone a session starts with, which a UTC server needs no SET for', async () => {
    const utc = await connect(settingsOf(url, '-c TimeZone=UTC'), { readOnly: true, timeoutMs: 10_000 });
    try {
      expect(await lint('ALTER TABLE users ALTER COLUMN seen TYPE timestamp', utc)).toEqual([]);
      expect(
        (await lint('ALTER TABLE users ALTER COLUMN created TYPE timestamptz', utc))[0]?.message,
      ).toContain(
        'keeps the table (the session time zone is UTC, so no value changes), but rebuilds the indexes on the column',
      );
    } finally {
      await utc.end();
    }
  });

  it('say what an index on a large materialized view blocks, and that CONCURRENTLY works there', async () => {
    const [finding] = await lint('CREATE INDEX big_view_id ON big_view (id)');
    expect(finding).toMatchObject({ severity: 'notice', line: 1, file: 'db/migrations/V2__change.sql' });
    expect(finding?.message).toContain('REFRESH MATERIALIZED VIEW waits');
    expect(finding?.message).toContain('CREATE INDEX CONCURRENTLY works on a materialized view');
    expect(finding?.message).not.toContain('every write');
  });

  it('say that a partitioned table takes its index partition by partition', async () => {
    const [finding] = await lint('CREATE INDEX events_at ON events (at)');
    expect(finding?.message).toContain('ON ONLY');
    // Its size is its partitions' (the parent itself holds no rows).
    expect(finding?.message).toContain('on events (about 0 rows, ');
  });

  it('say which indexes a type change that keeps the table builds again: those on an expression or with a WHERE', async () => {
    const [finding] = await lint('ALTER TABLE users ALTER COLUMN email TYPE varchar(100)');
    expect(finding).toMatchObject({ rule: 'alter-column-type', severity: 'notice', line: 1 });
    expect(finding?.message).toContain(
      'keeps the table (a longer limit (50 to 100) changes no value), but rebuilds the indexes on an expression of the column or with a WHERE clause naming it',
    );
  });

  it('say why a column of a domain with constraints rewrites the table', async () => {
    const [finding] = await lint('ALTER TABLE users ADD COLUMN c positive');
    expect(finding).toMatchObject({ rule: 'add-column-constrained-domain', severity: 'notice', line: 1 });
    expect(finding?.message).toContain('its type positive is a domain with constraints (CHECK or NOT NULL)');
  });

  it('say that a type change that keeps the table checks every row against a CHECK on the column', async () => {
    const sql = 'ALTER TABLE users ALTER COLUMN status TYPE varchar(20)';
    const [finding] = await lint(sql);
    expect(finding).toMatchObject({ rule: 'alter-column-type', severity: 'notice', line: 1 });
    expect(finding?.message).toContain(
      'keeps the table (a longer limit (10 to 20) changes no value), but checks every row against the CHECK constraints on the column',
    );
    // PostgreSQL agrees: no new relfilenode, but one more scan of the table.
    expect(await rebuilt(sql)).toBe('nothing');
    await writer.query('BEGIN');
    try {
      const scans = async (): Promise<number> =>
        Number(
          (await writer.query<{ n: string }>(`SELECT pg_stat_get_xact_numscans('users'::regclass) AS n`))
            .rows[0]?.n,
        );
      const before = await scans();
      await writer.query(sql);
      expect(await scans()).toBe(before + 1);
    } finally {
      await writer.query('ROLLBACK');
    }
  });

  it('count the rows and size of a partitioned table whose partitions are partitioned too', async () => {
    const [index] = await lint('CREATE INDEX logs_id ON logs (id)');
    expect(index?.message).toMatch(/on logs \(about 12 thousand rows, [\d.]+ MiB\)/);
    const [change] = await lint('ALTER TABLE logs ALTER COLUMN id TYPE bigint');
    expect(change).toMatchObject({ rule: 'alter-column-type', severity: 'warning' });
  });

  it('fall back to the conservative findings without the database', async () => {
    expect(
      (await lint('ALTER TABLE users ALTER COLUMN code TYPE text', 'offline')).map((f) => f.rule),
    ).toEqual(['alter-column-type']);
    expect(
      (
        await lint(
          'CREATE TABLE IF NOT EXISTS audit (id int);\nCREATE INDEX audit_id ON audit (id);',
          'offline',
        )
      ).map((f) => f.rule),
    ).toEqual(['create-index-non-concurrently']);
  });
});

describe('the catalog look-up', () => {
  /** A session that counts the queries sent through it. */
  function counting(): { session: Session; queries: string[] } {
    const queries: string[] = [];
    return {
      queries,
      session: {
        serverVersion: session.serverVersion,
        target: session.target,
        query: (sql, values) => {
          queries.push(sql);
          return session.query(sql, values);
        },
      },
    };
  }

  it('is one query for the whole batch, however many files name existing tables', async () => {
    const { session: counted, queries } = counting();
    const migrations = Array.from({ length: 50 }, (_, index) =>
      migrationFile(
        `V${index + 2}__change.sql`,
        `ALTER TABLE users ADD COLUMN c${index} text DEFAULT stable_code();\nCREATE INDEX i${index} ON big (id);\nALTER TABLE users ALTER COLUMN code TYPE varchar(${20 + index});`,
      ),
    );
    const { findings } = await prepareMigrations(
      migrations.map((migration) => ({ migration, type: 'versioned' as const })),
      parser,
      session.serverVersion,
      { allowDestructive: false, database: counted },
    );
    expect(queries).toHaveLength(1);
    expect(new Set(findings.map((finding) => finding.rule))).toEqual(
      new Set(['create-index-non-concurrently']),
    );
  });

  it('is not made when the batch names no existing table', async () => {
    const { session: counted, queries } = counting();
    const migration = migrationFile(
      'V2__create.sql',
      'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nINSERT INTO t VALUES (1);',
    );
    const { findings } = await prepareMigrations(
      [{ migration, type: 'versioned' }],
      parser,
      session.serverVersion,
      {
        allowDestructive: false,
        database: counted,
      },
    );
    expect(findings).toEqual([]);
    expect(queries).toEqual([]);
  });
});
