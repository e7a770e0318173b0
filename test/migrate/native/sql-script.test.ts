import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  loadSqlParser,
  readScript,
  SqlSyntaxError,
  type Script,
  type SqlParser,
} from '../../../actions/migrate/src/native/sql/sql-script.ts';

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

const PG15 = 150004;
const PG11 = 110022;

function read(sql: string, serverVersion = PG15): Script {
  return readScript(sql, parser, serverVersion);
}

describe('splitting statements with the PostgreSQL parser', () => {
  it('keeps semicolons inside dollar quotes, strings, quoted names and comments', () => {
    const sql = [
      '-- a comment; with a semicolon',
      "INSERT INTO notes VALUES ('it''s; fine', E'back\\\\slash;');",
      '/* block; comment */ CREATE TABLE "odd;name" (id int);',
      'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$',
      'BEGIN',
      '  NEW.updated_at := now(); -- inside the body;',
      '  RETURN NEW;',
      'END',
      '$body$;',
      'DO $$ BEGIN PERFORM 1; END $$',
    ].join('\n');
    const script = read(sql);
    expect(script.statements.map((statement) => [statement.kind, statement.line, statement.endLine])).toEqual(
      [
        ['InsertStmt', 2, 2],
        ['CreateStmt', 3, 3],
        ['CreateFunctionStmt', 4, 9],
        ['DoStmt', 10, 10],
      ],
    );
    expect(script.statements[0]?.sql).toBe("INSERT INTO notes VALUES ('it''s; fine', E'back\\\\slash;')");
    expect(script.statements[2]?.sql).toContain('NEW.updated_at := now(); -- inside the body;');
    expect(script.statements[2]?.sql.endsWith('$body$')).toBe(true);
    expect(script.outsideTransaction).toBeUndefined();
  });

  it('counts lines in characters, not bytes, after multi-byte text', () => {
    const script = read("-- naïve café ☕\nINSERT INTO t VALUES ('日本語');\n\nSELECT 'ü';");
    expect(script.statements.map((statement) => [statement.line, statement.sql])).toEqual([
      [2, "INSERT INTO t VALUES ('日本語')"],
      [4, "SELECT 'ü'"],
    ]);
  });

  it('reads CRLF files with the same lines', () => {
    const script = read('SELECT 1;\r\n\r\nSELECT 2;\r\n');
    expect(script.statements.map((statement) => statement.line)).toEqual([1, 3]);
  });

  it('has no statements in an empty or comment-only file', () => {
    expect(read('').statements).toEqual([]);
    expect(read('  \n\n').statements).toEqual([]);
    expect(read('-- nothing yet\n/* still nothing */\n').statements).toEqual([]);
  });

  it('takes a last statement without a semicolon', () => {
    expect(read('SELECT 1;\nSELECT 2').statements.map((statement) => statement.sql)).toEqual([
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  it('reports a syntax error with its line and column', () => {
    let error: unknown;
    try {
      read('CREATE TABLE a (id int);\n\nALTER TABLE a ADD COLUMN;\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect(error).toMatchObject({ line: 3, column: 25, message: 'syntax error at or near ";"' });
  });

  it('rejects psql meta-commands, which are not SQL', () => {
    expect(() => read('\\set ON_ERROR_STOP on\nSELECT 1;')).toThrow(SqlSyntaxError);
  });
});

describe('statements that cannot run in a transaction', () => {
  it.each([
    ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['DROP INDEX CONCURRENTLY i', 'DROP INDEX CONCURRENTLY'],
    ['REINDEX INDEX CONCURRENTLY i', 'REINDEX CONCURRENTLY'],
    ['REINDEX DATABASE app', 'REINDEX DATABASE'],
    ['VACUUM t', 'VACUUM'],
    ['VACUUM (ANALYZE) t', 'VACUUM'],
    ['CLUSTER', 'CLUSTER without a table'],
    ['CREATE DATABASE other', 'CREATE DATABASE'],
    ['DROP DATABASE other', 'DROP DATABASE'],
    ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', 'DETACH PARTITION CONCURRENTLY'],
  ])('%s', (sql, reason) => {
    expect(read(`SELECT 1;\n${sql};`).outsideTransaction).toEqual({ reason, line: 2 });
  });

  it.each([
    'CREATE INDEX i ON t (a)',
    'ANALYZE t',
    'CLUSTER t USING i',
    'REINDEX INDEX i',
    'DROP INDEX i',
    "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'VACUUM'",
    "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'",
    '-- CREATE INDEX CONCURRENTLY i ON t (a)\nSELECT 1',
  ])('%s runs in a transaction', (sql) => {
    expect(read(sql).outsideTransaction).toBeUndefined();
  });

  it('knows ALTER TYPE … ADD VALUE runs in a transaction from PostgreSQL 12 on', () => {
    const sql = "ALTER TYPE mood ADD VALUE 'meh'";
    expect(read(sql, PG15).outsideTransaction).toBeUndefined();
    expect(read(sql, PG11).outsideTransaction?.reason).toContain('ADD VALUE');
  });

  it('honours the -- gantry:no-transaction header', () => {
    const script = read(
      '-- Adds the orders table.\n--   gantry:no-transaction\nCREATE TABLE orders (id int);',
    );
    expect(script.outsideTransaction).toEqual({ reason: 'the "-- gantry:no-transaction" header', line: 2 });
  });

  it('reads directives only in the comment block that opens the file', () => {
    expect(read('SELECT 1;\n-- gantry:no-transaction\nSELECT 2;').outsideTransaction).toBeUndefined();
    expect(read('/* header */\n-- gantry:no-transaction\nSELECT 1;').outsideTransaction).toBeUndefined();
  });

  it('reports unknown directives', () => {
    expect(read('-- gantry:no-transactions\nSELECT 1;').unknownDirectives).toEqual([
      { directive: 'no-transactions', line: 1 },
    ]);
  });
});
