import { describe, expect, it } from '@jest/globals';
import { insertHistorySql, historyTable } from '../../../actions/migrate/src/native/database/history.ts';
import { quoteIdentifier, quoteLiteral } from '../../../actions/migrate/src/native/sql/sql-quote.ts';

describe('quoteIdentifier', () => {
  it.each([
    ['gantry_schema_history', '"gantry_schema_history"'],
    ['Ops Data', '"Ops Data"'],
    ['we"ird', '"we""ird"'],
  ])('%s -> %s', (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted);
  });
});

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["both \\ and '", "E'both \\\\ and '''"],
    ['', "''"],
  ])('%j -> %s', (value, quoted) => {
    expect(quoteLiteral(value)).toBe(quoted);
  });

  it('writes numbers, booleans and null as SQL', () => {
    expect([quoteLiteral(12), quoteLiteral(true), quoteLiteral(null)]).toEqual(['12', 'true', 'NULL']);
  });
});

describe('insertHistorySql', () => {
  it('writes every value as a literal, the error cut to 4000 characters', () => {
    const sql = insertHistorySql(
      historyTable('public', 'gantry_schema_history'),
      {
        version: '1.2',
        description: "user's table",
        type: 'versioned',
        script: 'V1_2__users.sql',
        checksum: 'abc',
        executionMs: 12.6,
        success: false,
        error: 'x'.repeat(5000),
      },
      null,
    );
    expect(sql).toBe(
      'INSERT INTO "public"."gantry_schema_history" (version, description, type, script, checksum, execution_ms, success, error, run_url) ' +
        `VALUES ('1.2', 'user''s table', 'versioned', 'V1_2__users.sql', 'abc', 13, false, '${'x'.repeat(4000)}', NULL)`,
    );
  });
});
