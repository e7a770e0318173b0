import { beforeAll, describe, expect, it } from '@jest/globals';
import { lintScripts, type Finding } from '../../../actions/migrate/src/native/sql/lint.ts';
import {
  loadSqlParser,
  readScript,
  type SqlParser,
} from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { migrationFile } from './helpers.ts';

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

/** Lints `sql` as one file V2__change.sql applied to a database where every table already exists. */
function lint(sql: string, allowDestructive = false): Finding[] {
  const migration = migrationFile('V2__change.sql', sql);
  return lintScripts([{ migration, script: readScript(sql, parser, 150004) }], { allowDestructive });
}

function rules(sql: string): string[] {
  return lint(sql).map((finding) => finding.rule);
}

/** The corpus: each statement (or short file) with the findings it must produce, in order. */
const CORPUS: [string, string[]][] = [
  // Destructive
  ['DROP TABLE orders', ['drop-table']],
  ['DROP TABLE IF EXISTS app.orders CASCADE', ['drop-table']],
  ['DROP TABLE orders, order_lines', ['drop-table', 'drop-table']],
  ['DROP SCHEMA legacy CASCADE', ['drop-schema']],
  ['DROP DATABASE old_app', ['drop-database']],
  ['ALTER TABLE users DROP COLUMN legacy_flag', ['drop-column']],
  ['ALTER TABLE ONLY users DROP COLUMN IF EXISTS a, DROP COLUMN b', ['drop-column', 'drop-column']],
  ['TRUNCATE audit_log', ['truncate']],
  ['TRUNCATE TABLE a, b RESTART IDENTITY', ['truncate', 'truncate']],
  ['DELETE FROM sessions', ['delete-without-where']],
  ['DELETE FROM ONLY app.sessions', ['delete-without-where']],
  // Renames
  ['ALTER TABLE users RENAME TO customers', ['rename-table']],
  ['ALTER TABLE users RENAME COLUMN email TO email_address', ['rename-column']],
  // Locks and rewrites on existing tables
  ['ALTER TABLE users ALTER COLUMN email SET NOT NULL', ['set-not-null']],
  ['ALTER TABLE users ADD COLUMN age int NOT NULL', ['add-not-null-column']],
  ['ALTER TABLE users ADD COLUMN id2 bigint PRIMARY KEY', ['add-not-null-column', 'add-primary-key']],
  ['ALTER TABLE users ADD COLUMN handle text UNIQUE', ['add-unique-constraint']],
  ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)', ['add-unique-constraint']],
  ['ALTER TABLE users ADD PRIMARY KEY (id)', ['add-primary-key']],
  ['CREATE INDEX users_email ON users (email)', ['create-index-non-concurrently']],
  ['CREATE UNIQUE INDEX ON users (lower(email))', ['create-index-non-concurrently']],
  ['ALTER TABLE users ALTER COLUMN id TYPE bigint', ['alter-column-type']],
  ['ALTER TABLE users ALTER COLUMN code SET DATA TYPE varchar(20) USING code::text', ['alter-column-type']],
  [
    'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)',
    ['validating-constraint'],
  ],
  ['ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0)', ['validating-constraint']],
  // Transactions
  ['BEGIN;\nCREATE TABLE x (id int);\nCOMMIT;', ['transaction-control', 'transaction-control']],
  ['START TRANSACTION; SELECT 1; ROLLBACK;', ['transaction-control', 'transaction-control']],
  // Header and non-transactional files
  ['-- gantry:no-transction\nSELECT 1;', ['unknown-directive']],
  [
    'CREATE INDEX CONCURRENTLY i ON users (a);\nCREATE INDEX CONCURRENTLY j ON users (b);',
    ['no-transaction'],
  ],
  // Safe: no finding
  ['DELETE FROM sessions WHERE expires_at < now()', []],
  ['UPDATE users SET active = true', []],
  ["INSERT INTO settings (key, value) VALUES ('note', 'DROP TABLE users; TRUNCATE x')", []],
  ['-- DROP TABLE users;\nSELECT 1;', []],
  [
    'CREATE FUNCTION purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; DROP TABLE x; RETURN NULL; END $$',
    [],
  ],
  ['ALTER INDEX users_email RENAME TO users_email_idx', []],
  ['ALTER TABLE users RENAME CONSTRAINT a TO b', []],
  ['ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0', []],
  ['ALTER TABLE users ADD COLUMN nickname text', []],
  ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx', []],
  ['ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx', []],
  ['CREATE INDEX CONCURRENTLY users_email ON users (email)', []],
  ['ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID', []],
  ['ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID', []],
  ['ALTER TABLE orders VALIDATE CONSTRAINT orders_user', []],
  ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL', []],
  ["ALTER TABLE users ALTER COLUMN email SET DEFAULT ''", []],
  ['DROP INDEX CONCURRENTLY users_email', []],
  ['DROP VIEW IF EXISTS active_users', []],
  ['CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE active', []],
  ['SAVEPOINT s1; RELEASE SAVEPOINT s1', []],
  ['VACUUM ANALYZE users', []],
  // ADD COLUMN: serial and identity columns fill themselves, so NOT NULL is fine; but they, like a
  // volatile DEFAULT, give every existing row a value of its own, which rewrites the table.
  // A non-volatile DEFAULT (a constant, now(), CURRENT_TIMESTAMP: STABLE) is stored in the catalog.
  ['ALTER TABLE users ADD COLUMN n bigserial NOT NULL', ['add-column-volatile-default']],
  ['ALTER TABLE users ADD COLUMN n serial', ['add-column-volatile-default']],
  ['ALTER TABLE users ADD COLUMN n smallserial NOT NULL', ['add-column-volatile-default']],
  ['ALTER TABLE users ADD COLUMN n serial8 NOT NULL', ['add-column-volatile-default']],
  [
    'ALTER TABLE users ADD COLUMN id2 bigserial PRIMARY KEY',
    ['add-column-volatile-default', 'add-primary-key'],
  ],
  [
    'ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY',
    ['add-column-volatile-default'],
  ],
  ['ALTER TABLE users ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY', ['add-column-volatile-default']],
  [
    'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
    ['add-column-volatile-default'],
  ],
  ['ALTER TABLE users ADD COLUMN r float8 DEFAULT random()', ['add-column-volatile-default']],
  ['ALTER TABLE users ADD COLUMN at timestamptz DEFAULT clock_timestamp()', ['add-column-volatile-default']],
  ['ALTER TABLE users ADD COLUMN at text DEFAULT timeofday()', ['add-column-volatile-default']],
  ["ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('users_n_seq')", ['add-column-volatile-default']],
  [
    "ALTER TABLE users ADD COLUMN k text DEFAULT 'k-' || md5(random()::text)",
    ['add-column-volatile-default'],
  ],
  ['ALTER TABLE users ADD COLUMN total int GENERATED ALWAYS AS (id * 2) STORED', ['add-generated-column']],
  // A domain with constraints, created earlier in the batch (or in the database: lint-catalog.test.ts).
  [
    'CREATE DOMAIN positive AS int CHECK (VALUE > 0);\nALTER TABLE users ADD COLUMN n positive;',
    ['add-column-constrained-domain'],
  ],
  [
    'CREATE DOMAIN positive AS int CHECK (VALUE > 0);\nCREATE DOMAIN app.small AS positive;\nALTER TABLE users ADD COLUMN n app.small DEFAULT 1;',
    ['add-column-constrained-domain'],
  ],
  [
    'CREATE DOMAIN required AS int NOT NULL;\nALTER TABLE users ADD COLUMN n required;',
    ['add-column-constrained-domain'],
  ],
  ['CREATE DOMAIN plain AS int DEFAULT 0;\nALTER TABLE users ADD COLUMN n plain;', []],
  ['CREATE DOMAIN positive AS int CHECK (VALUE > 0);\nALTER TABLE users ADD COLUMN n positive[];', []],
  ['ALTER TABLE users ADD COLUMN at timestamptz NOT NULL DEFAULT now()', []],
  ['ALTER TABLE users ADD COLUMN at timestamp DEFAULT CURRENT_TIMESTAMP', []],
  ["ALTER TABLE users ADD COLUMN at date DEFAULT now() + interval '1 day'", []],
  // ... a function lint does not know is judged by the database (lint-catalog.test.ts), or by its
  // CREATE FUNCTION earlier in the batch, VOLATILE unless it says otherwise.
  ['ALTER TABLE users ADD COLUMN code text DEFAULT make_code()', []],
  [
    "CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;\nALTER TABLE users ADD COLUMN code text DEFAULT make_code();",
    ['add-column-volatile-default'],
  ],
  [
    "CREATE FUNCTION make_code() RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'x' $$;\nALTER TABLE users ADD COLUMN code text DEFAULT make_code();",
    [],
  ],
  [
    'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN n bigserial NOT NULL;\nALTER TABLE t ADD COLUMN r float8 DEFAULT random();',
    [],
  ],
  // ALTER COLUMN TYPE without the database: the column's current type is unknown, so the finding
  // stays; when the batch itself added or changed the column, its type is read from the text.
  ['ALTER TABLE users ALTER COLUMN name TYPE text', ['alter-column-type']],
  [
    'ALTER TABLE users ADD COLUMN nick varchar(10);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(20);',
    [],
  ],
  ['ALTER TABLE users ADD COLUMN nick varchar(10);\nALTER TABLE users ALTER COLUMN nick TYPE text;', []],
  [
    'ALTER TABLE users ADD COLUMN nick varchar(10);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(5);',
    ['alter-column-type'],
  ],
  [
    'ALTER TABLE users ADD COLUMN a numeric(10, 2);\nALTER TABLE users ALTER COLUMN a TYPE numeric(14, 2);',
    [],
  ],
  [
    'ALTER TABLE users ADD COLUMN a numeric(10, 2);\nALTER TABLE users ALTER COLUMN a TYPE numeric(14, 4);',
    ['alter-column-type'],
  ],
  [
    'ALTER TABLE users ALTER COLUMN code TYPE varchar(5);\nALTER TABLE users ALTER COLUMN code TYPE varchar(8);',
    ['alter-column-type'],
  ],
  [
    'ALTER TABLE users ADD COLUMN nick varchar(10);\nALTER TABLE users RENAME COLUMN nick TO handle;\nALTER TABLE users RENAME COLUMN email TO nick;\nALTER TABLE users ALTER COLUMN nick TYPE varchar(20);',
    ['rename-column', 'rename-column', 'alter-column-type'],
  ],
  // ... timestamp to timestamptz depends on the server version and the session's time zone: unknown here.
  [
    "ALTER TABLE users ADD COLUMN at timestamp;\nSET TIME ZONE 'UTC';\nALTER TABLE users ALTER COLUMN at TYPE timestamptz;",
    ['alter-column-type'],
  ],
  // CREATE TABLE IF NOT EXISTS and materialized views: only the database can tell a new table from
  // an existing one, or a materialized view from a table.
  [
    'CREATE TABLE IF NOT EXISTS audit (id int);\nCREATE INDEX audit_id ON audit (id);',
    ['create-index-non-concurrently'],
  ],
  ['CREATE INDEX ON daily_totals (day)', ['create-index-non-concurrently']],
  // Tables created earlier in the same batch are new and empty
  ['CREATE TABLE tmp (id int);\nDROP TABLE tmp;', []],
  ['CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nALTER TABLE t ADD COLUMN x int NOT NULL;', []],
  ['CREATE TABLE app.t (id int);\nALTER TABLE app.t ALTER COLUMN id TYPE bigint;\nTRUNCATE app.t;', []],
  ['CREATE TABLE app.t (id int);\nDROP TABLE other.t;', ['drop-table']],
  ['CREATE TABLE copy AS SELECT * FROM users;\nDELETE FROM copy;', []],
  ['BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (a);', ['no-transaction']],
  ['CREATE TEMP TABLE staging (id int) ON COMMIT DROP;\nTRUNCATE staging;', []],
  ['SET search_path = app;\nCREATE TABLE users (id int);\nTRUNCATE users;', []],
  // ... but only a table the batch surely created: IF NOT EXISTS may have found an existing one,
  // and a name resolves to that table only when written the same way, under the same search_path.
  [
    'CREATE TABLE IF NOT EXISTS orders (id int);\nALTER TABLE orders DROP COLUMN id;\nTRUNCATE orders;',
    ['drop-column', 'truncate'],
  ],
  ['CREATE TABLE IF NOT EXISTS copy AS SELECT * FROM users;\nDELETE FROM copy;', ['delete-without-where']],
  // ... unless the batch dropped the table first: then IF NOT EXISTS surely makes a new one.
  [
    'DROP TABLE orders;\nCREATE TABLE IF NOT EXISTS orders (id int);\nCREATE INDEX orders_id ON orders (id);\nTRUNCATE orders;',
    ['drop-table'],
  ],
  [
    'DROP TABLE orders;\nALTER TABLE archive RENAME TO orders;\nCREATE TABLE IF NOT EXISTS orders (id int);\nTRUNCATE orders;',
    ['drop-table', 'rename-table', 'truncate'],
  ],
  [
    'DROP TABLE orders;\nSET search_path = app;\nCREATE TABLE IF NOT EXISTS orders (id int);\nTRUNCATE orders;',
    ['drop-table', 'truncate'],
  ],
  ['CREATE TABLE app.users (id int);\nDROP TABLE users;', ['drop-table']],
  ['CREATE TABLE users (id int);\nDROP TABLE app.users;', ['drop-table']],
  ['CREATE TABLE users (id int);\nSET search_path = app;\nTRUNCATE users;', ['truncate']],
  ['CREATE TABLE users (id int);\nSET ROLE app_owner;\nDELETE FROM users;', ['delete-without-where']],
  [
    "CREATE TABLE users (id int);\nSELECT set_config('search_path', 'app', false);\nDROP TABLE users;",
    ['drop-table'],
  ],
  // set_config however it is spelled: the tree is walked for it whenever the text can name it.
  [
    "CREATE TABLE users (id int);\nSELECT SET_CONFIG('search_path', 'app', false);\nDROP TABLE users;",
    ['drop-table'],
  ],
  [
    "CREATE TABLE users (id int);\nSELECT pg_catalog.\"set_config\"('search_path', 'app', false);\nDROP TABLE users;",
    ['drop-table'],
  ],
  [
    "CREATE TABLE users (id int);\nSELECT U&\"set\\005fconfig\"('search_path', 'app', false);\nDROP TABLE users;",
    ['drop-table'],
  ],
  ["CREATE TABLE users (id int);\nSELECT current_setting('search_path');\nDROP TABLE users;", []],
  [
    'CREATE TABLE t2 (id int);\nDROP TABLE t2;\nALTER TABLE orders RENAME TO t2;\nTRUNCATE t2;',
    ['rename-table', 'truncate'],
  ],
  [
    'CREATE TABLE app.t (id int);\nALTER TABLE app.t RENAME TO t_new;\nALTER TABLE public.t SET SCHEMA app;\nTRUNCATE app.t;',
    ['truncate'],
  ],
  [
    '-- gantry:no-transaction\nCREATE TEMP TABLE staging (id int) ON COMMIT DROP;\nTRUNCATE staging;',
    ['no-transaction', 'truncate'],
  ],
];

describe('lint corpus', () => {
  it('has at least 30 statements', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CORPUS)('%s', (sql, expected) => {
    expect(rules(sql)).toEqual(expected);
  });
});

describe('findings', () => {
  it('point at the file and the lines of the statement', () => {
    const [finding] = lint(
      '-- Drops the old flag.\nSELECT 1;\n\nALTER TABLE users\n  DROP COLUMN legacy_flag;\n',
    );
    expect(finding).toMatchObject({
      rule: 'drop-column',
      script: 'V2__change.sql',
      file: 'db/migrations/V2__change.sql',
      line: 4,
      endLine: 5,
    });
    expect(finding?.message).toContain('users.legacy_flag');
  });

  it('make destructive statements errors unless allow-destructive is true', () => {
    expect(lint('DROP TABLE orders', false)[0]).toMatchObject({ severity: 'error', destructive: true });
    expect(lint('DROP TABLE orders', true)[0]).toMatchObject({ severity: 'warning', destructive: true });
  });

  it('keep other findings warnings, transaction control an error, and the no-transaction note a notice', () => {
    expect(lint('CREATE INDEX i ON users (a)')[0]?.severity).toBe('warning');
    expect(lint('COMMIT', true)[0]?.severity).toBe('error');
    expect(lint('VACUUM a;\nVACUUM b;')[0]?.severity).toBe('notice');
  });

  it('say what to do instead', () => {
    expect(lint('CREATE INDEX i ON users (a)')[0]?.message).toContain('CREATE INDEX CONCURRENTLY');
    expect(lint('ALTER TABLE users ALTER COLUMN e SET NOT NULL')[0]?.message).toContain('NOT VALID');
    expect(lint('ALTER TABLE users RENAME TO people')[0]?.message).toContain('in a later release');
    expect(lint('ALTER TABLE users ALTER COLUMN id TYPE varchar(20)')[0]?.message).toContain('varchar(20)');
  });

  it('track new tables across the files of one batch, in order', () => {
    const first = migrationFile('V3__create.sql', 'CREATE TABLE events (id int);');
    const second = migrationFile('V4__index.sql', 'CREATE INDEX events_id ON events (id);');
    const findings = lintScripts(
      [second, first].map((migration) => ({ migration, script: readScript(migration.sql, parser, 150004) })),
      { allowDestructive: false },
    );
    expect(findings.map((finding) => [finding.script, finding.rule])).toEqual([
      ['V4__index.sql', 'create-index-non-concurrently'],
    ]);
    const inOrder = lintScripts(
      [first, second].map((migration) => ({ migration, script: readScript(migration.sql, parser, 150004) })),
      { allowDestructive: false },
    );
    expect(inOrder).toEqual([]);
  });

  it('forget unqualified names at the end of a file that changed search_path, which the next file no longer has', () => {
    const findings = lintScripts(
      [
        migrationFile('V3__create.sql', 'SET search_path = app;\nCREATE TABLE users (id int);'),
        migrationFile('V4__drop.sql', 'DROP TABLE users;'),
      ].map((migration) => ({ migration, script: readScript(migration.sql, parser, 150004) })),
      { allowDestructive: false },
    );
    expect(findings.map((finding) => [finding.script, finding.rule])).toEqual([
      ['V4__drop.sql', 'drop-table'],
    ]);
  });

  it('forget temporary tables dropped at commit once their file is done', () => {
    const findings = lintScripts(
      [
        migrationFile('V3__stage.sql', 'CREATE TEMP TABLE orders (id int) ON COMMIT DROP;'),
        migrationFile('V4__purge.sql', 'TRUNCATE orders;'),
      ].map((migration) => ({ migration, script: readScript(migration.sql, parser, 150004) })),
      { allowDestructive: false },
    );
    expect(findings.map((finding) => [finding.script, finding.rule])).toEqual([
      ['V4__purge.sql', 'truncate'],
    ]);
  });
});
