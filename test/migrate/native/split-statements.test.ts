import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrationChecksum, rawChecksum } from '../../../actions/migrate/src/native/files/checksum.ts';
import { loadMigrations } from '../../../actions/migrate/src/native/files/migration-files.ts';
import {
  cannotRunInTransaction,
  loadSqlParser,
  readScript,
  SqlSyntaxError,
  type SqlParser,
} from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { tempDir } from '../../shared/helpers.ts';

/**
 * The faster paths against the plain ones they replace: statements split by one parse of the whole
 * file (as before COPY … FROM STDIN support), checksums of the text as it was normalised before,
 * and files read as bytes then decoded. Then the rows of COPY … FROM STDIN.
 */

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

const PG15 = 150004;

/** The lint corpus's SQL (test/migrate/native/lint.test.ts), and files with the shapes that split hard. */
const FILES: string[] = [
  'DROP TABLE orders',
  'DROP TABLE IF EXISTS app.orders CASCADE',
  'DROP TABLE orders, order_lines',
  'DROP SCHEMA legacy CASCADE',
  'DROP DATABASE old_app',
  'ALTER TABLE users DROP COLUMN legacy_flag',
  'ALTER TABLE ONLY users DROP COLUMN IF EXISTS a, DROP COLUMN b',
  'TRUNCATE audit_log',
  'TRUNCATE TABLE a, b RESTART IDENTITY',
  'DELETE FROM sessions',
  'ALTER TABLE users RENAME TO customers',
  'ALTER TABLE users RENAME COLUMN email TO email_address',
  'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
  'ALTER TABLE users ADD COLUMN id2 bigint PRIMARY KEY',
  'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
  'CREATE UNIQUE INDEX ON users (lower(email))',
  'ALTER TABLE users ALTER COLUMN code SET DATA TYPE varchar(20) USING code::text',
  'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)',
  'BEGIN;\nCREATE TABLE x (id int);\nCOMMIT;',
  'START TRANSACTION; SELECT 1; ROLLBACK;',
  '-- gantry:no-transction\nSELECT 1;',
  'CREATE INDEX CONCURRENTLY i ON users (a);\nCREATE INDEX CONCURRENTLY j ON users (b);',
  "INSERT INTO settings (key, value) VALUES ('note', 'DROP TABLE users; TRUNCATE x')",
  '-- DROP TABLE users;\nSELECT 1;',
  'CREATE FUNCTION purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; DROP TABLE x; RETURN NULL; END $$',
  'SAVEPOINT s1; RELEASE SAVEPOINT s1',
  'VACUUM ANALYZE users',
  'CREATE TEMP TABLE staging (id int) ON COMMIT DROP;\nTRUNCATE staging;',
  "CREATE TABLE users (id int);\nSELECT set_config('search_path', 'app', false);\nDROP TABLE users;",
  'BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (a);',
  '-- gantry:no-transaction\nCREATE TEMP TABLE staging (id int) ON COMMIT DROP;\nTRUNCATE staging;',
  // Dollar quotes, comments, BEGIN … COMMIT blocks, multi-byte text, CRLF.
  'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n  NEW.at := now(); -- ;\n  RETURN NEW;\nEND\n$body$;\nDO $$ BEGIN PERFORM 1; END $$;\n',
  "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $q$ SELECT 'a;b' $q$;\nSELECT $x$;$x$, $$\\.$$;\n",
  '/* block; /* nested; */ comment */ CREATE TABLE "odd;name" (id int);\n-- trailing; comment\n',
  'SELECT 1 -- the semicolon is on the next line\n;\nSELECT 2;\n',
  '-- gantry:no-transaction\nCREATE TABLE side (id int);\nBEGIN;\nCREATE TABLE inside (id int);\nCOMMIT;\nBEGIN;\nSELECT 1;\nROLLBACK;\n',
  "-- naïve café ☕\nINSERT INTO t VALUES ('日本語', '😀');\n\nSELECT 'ü';",
  'SELECT 1;\r\n\r\nBEGIN;\r\nSELECT 2;\r\nCOMMIT;\r\n',
  'CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;\nCALL p();\n',
  '',
  '-- only a comment\n',
];

/** The plain split: one parse of the whole file, every statement located by its byte offsets. */
function plainSplit(sql: string): { kind: string; line: number; endLine: number; sql: string }[] {
  if (sql.trim() === '') return [];
  const bytes = Buffer.from(sql, 'utf8');
  const lineOf = (offset: number): number => bytes.subarray(0, offset).toString('latin1').split('\n').length;
  return (parser.parse(sql).stmts ?? []).map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8').trimEnd();
    return {
      kind: Object.keys(raw.stmt ?? {})[0] as string,
      line: lineOf(start),
      endLine: lineOf(start + Buffer.byteLength(text, 'utf8') - 1),
      sql: text,
    };
  });
}

describe('statements of files without COPY … FROM STDIN', () => {
  it.each(FILES.map((sql) => [JSON.stringify(sql).slice(0, 70), sql]))(
    '%s: the same statements, lines and classification as one plain parse',
    (_label, sql) => {
      const script = readScript(sql, parser, PG15);
      expect(
        script.statements.map(({ kind, line, endLine, sql: text }) => ({ kind, line, endLine, sql: text })),
      ).toEqual(plainSplit(sql));
      const plainNodes = sql.trim() === '' ? [] : (parser.parse(sql).stmts ?? []).map((raw) => raw.stmt);
      expect(script.statements.map((statement) => statement.node)).toEqual(plainNodes);
      const plainReason = plainNodes
        .map((node) => (node ? cannotRunInTransaction(node, PG15) : undefined))
        .find((reason) => reason !== undefined);
      if (!/gantry:no-transaction/.test(sql)) expect(script.outsideTransaction?.reason).toBe(plainReason);
      expect(script.statements.every((statement) => statement.copyData === undefined)).toBe(true);
    },
  );
});

describe('checksums', () => {
  /** The normalisation as it was written first: two regular expression replaces. */
  const plainNormalised = (text: string): string => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const plainChecksum = (text: string): string =>
    createHash('sha256').update(plainNormalised(text)).digest('hex');

  it.each([...FILES, '\uFEFFSELECT 1;\r\n', 'a\rb\r\nc\n', '\uFEFF', '\r', 'x\uFEFF'])(
    'of %j are the same as before',
    (text) => {
      expect(migrationChecksum(text)).toBe(plainChecksum(text));
    },
  );

  /** Bytes that must not be hashed as they are, or only just may: the fast path must agree. */
  const TRICKY_BYTES: Buffer[] = [
    Buffer.from('\uFEFFSELECT 1;\r\n', 'utf8'),
    Buffer.from('\uFEFF\uFEFFSELECT 1;\n', 'utf8'),
    Buffer.from('\uFEFF', 'utf8'),
    Buffer.from('SELECT 1;\rSELECT 2;\r', 'utf8'),
    Buffer.from('SELECT 1;\n\uFEFF', 'utf8'),
    Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0xc3, 0x28, 0xff, 0x27, 0x3b]),
    // An encoded surrogate, an overlong slash, a sequence cut off at the end of the file.
    Buffer.from([0x53, 0x27, 0xed, 0xa0, 0x80, 0x27, 0x3b]),
    Buffer.from([0x53, 0x27, 0xc0, 0xaf, 0x27, 0x3b]),
    Buffer.from([0x53, 0x45, 0x4c, 0xe2, 0x98]),
    Buffer.from([0xef, 0xbb]),
    Buffer.from("SELECT '日本語', '😀';\n", 'utf8'),
  ];

  it.each([...FILES.map((sql) => Buffer.from(sql, 'utf8')), ...TRICKY_BYTES].map((bytes) => [bytes]))(
    'of bytes %#, when taken as they are, are those of the decoded text',
    (bytes) => {
      const raw = rawChecksum(bytes);
      const sql = bytes.toString('utf8').replace(/^\uFEFF/, '');
      if (raw !== undefined) expect(raw).toBe(plainChecksum(sql));
      // Only text that normalising and decoding leave unchanged is taken as it is.
      expect(raw !== undefined).toBe(Buffer.from(plainNormalised(sql), 'utf8').equals(bytes));
    },
  );

  const dir = tempDir('gantry-migrate-read-');
  afterAll(() => dir.remove());

  it('of files read straight to text are those of files read as bytes and decoded', async () => {
    const migrations = join(dir.path, 'migrations');
    mkdirSync(migrations);
    const contents: Buffer[] = [
      ...FILES.map((sql) => Buffer.from(sql, 'utf8')),
      ...TRICKY_BYTES,
      // Larger than the reader's chunk, exactly as large, and enough multi-byte files that many
      // start in one chunk and end in the next.
      Buffer.from(`INSERT INTO t VALUES ${Array.from({ length: 60_000 }, (_, n) => `(${n})`).join(', ')};\n`),
      Buffer.alloc(256 * 1024, 'x'),
      ...Array.from({ length: 400 }, (_, n) =>
        Buffer.from(`-- ${n} naïve ☕ 😀\n${'SELECT 1;\n'.repeat(n % 170)}`, 'utf8'),
      ),
    ];
    contents.forEach((bytes, index) => writeFileSync(join(migrations, `V${index + 1}__file.sql`), bytes));
    const set = await loadMigrations(migrations, dir.path);
    expect(set.versioned.map((file) => [file.sql, file.checksum])).toEqual(
      contents.map((bytes) => {
        const sql = bytes.toString('utf8').replace(/^\uFEFF/, '');
        return [sql, plainChecksum(sql)];
      }),
    );
  });
});

describe('COPY … FROM STDIN', () => {
  function split(sql: string): [string, number, string | undefined, number | undefined][] {
    return readScript(sql, parser, PG15).statements.map((statement) => [
      statement.sql,
      statement.line,
      statement.copyData?.bytes.toString('utf8'),
      statement.copyData?.line,
    ]);
  }

  it('takes the lines up to \\. as rows of the COPY, and parses the SQL after them', () => {
    expect(
      split('CREATE TABLE t (a int, b text);\nCOPY t (a, b) FROM stdin;\n1\tfoo\n2\t\\N\n\\.\nSELECT 1;\n'),
    ).toEqual([
      ['CREATE TABLE t (a int, b text)', 1, undefined, undefined],
      ['COPY t (a, b) FROM stdin', 2, '1\tfoo\n2\t\\N\n', 3],
      ['SELECT 1', 6, undefined, undefined],
    ]);
  });

  it('keeps rows that look like SQL, or hold quotes, semicolons and comment marks, as rows', () => {
    expect(
      split(
        'COPY t FROM stdin;\nselect\t1\nO\'Brien\t/* x\n\\.\nCOPY t FROM STDIN WITH (FORMAT csv); -- rows follow\n1,"a;b"\n2,"x\n\\.y"\n\\.\nSELECT \'after\';',
      ),
    ).toEqual([
      ['COPY t FROM stdin', 1, "select\t1\nO'Brien\t/* x\n", 2],
      ['COPY t FROM STDIN WITH (FORMAT csv)', 5, '1,"a;b"\n2,"x\n\\.y"\n', 6],
      ["SELECT 'after'", 10, undefined, undefined],
    ]);
  });

  it('reads CRLF rows, and rows that run to the end of the file without \\.', () => {
    expect(split('COPY t FROM stdin;\r\n1\tx\r\n\\.\r\nCOPY u FROM stdin;\r\n2\r\n')).toEqual([
      ['COPY t FROM stdin', 1, '1\tx\r\n', 2],
      ['COPY u FROM stdin', 4, '2\r\n', 5],
    ]);
    expect(split('COPY t FROM stdin;')).toEqual([['COPY t FROM stdin', 1, '', 1]]);
  });

  it('leaves COPY from a server file or a program, and COPY TO, to the server', () => {
    expect(split("COPY t FROM '/tmp/t.csv';\nCOPY t FROM PROGRAM 'cat /tmp/t';\nCOPY t TO stdout;")).toEqual([
      ["COPY t FROM '/tmp/t.csv'", 1, undefined, undefined],
      ["COPY t FROM PROGRAM 'cat /tmp/t'", 2, undefined, undefined],
      ['COPY t TO stdout', 3, undefined, undefined],
    ]);
  });

  it.each([
    [
      'a syntax error before the COPY',
      'SELECT 1;\nALTER TABLE a ADD COLUMN;\nCOPY t FROM stdin;\n1\n\\.\n',
      2,
    ],
    ['a syntax error after the rows', 'COPY t FROM stdin;\n1\n\\.\nSELECT FROM WHERE;\n', 4],
    ['rows after a COPY without a semicolon', 'COPY t FROM stdin\n1\n\\.\n', 2],
    ['rows on the line of the COPY', 'COPY t FROM stdin; 1\t2\n\\.\n', 1],
  ])('reports %s at its line', (_label, sql, line) => {
    let error: unknown;
    try {
      readScript(sql, parser, PG15);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).line).toBe(line);
  });

  it('counts the column of a syntax error in characters after multi-byte text', () => {
    let error: unknown;
    try {
      readScript("SELECT 'é😀' FROM;", parser, PG15);
    } catch (caught) {
      error = caught;
    }
    // The semicolon is the 17th code point, and the 18th JavaScript character (😀 takes two).
    expect(error).toMatchObject({ line: 1, column: 18 });
  });
});
