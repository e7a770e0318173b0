import { afterEach, describe, expect, it } from '@jest/globals';
import { usePostgres } from './postgres-fixture.ts';
import {
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

/**
 * COPY … FROM STDIN with its rows in the migration file, as psql and pg_dump write it, through the
 * committed bundle against a real PostgreSQL.
 */

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

const TABLE = 'CREATE TABLE people (id int PRIMARY KEY, name text, note text);\n';

describe('COPY … FROM STDIN in text format', () => {
  it('loads tab-separated rows with \\N as NULL and backslash escapes, then runs the SQL after them', async () => {
    const url = await postgres.freshDatabase('copy_text');
    const repo = checkout({
      'V1__people.sql':
        TABLE +
        'COPY people (id, name, note) FROM stdin;\n' +
        '1\tAda\t\\N\n' +
        "2\tO'Brien; Jr.\tline one\\nline two\n" +
        '3\ttab\\there\tback\\\\slash\n' +
        '\\.\n' +
        "UPDATE people SET note = 'updated' WHERE id = 1;\n",
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await query(url, 'SELECT id, name, note FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ada', note: 'updated' },
      { id: 2, name: "O'Brien; Jr.", note: 'line one\nline two' },
      { id: 3, name: 'tab\there', note: 'back\\slash' },
    ]);
    expect(await history(url)).toEqual([expect.objectContaining({ version: '1', success: true })]);
  });

  it('reads a CRLF file, several COPY blocks and a COPY as the last statement without \\.', async () => {
    const url = await postgres.freshDatabase('copy_crlf');
    const repo = checkout({
      'V1__people.sql': `${TABLE}COPY people (id, name) FROM stdin;\r\n1\tAda\r\n\\.\r\nCOPY people (id, name) FROM STDIN;\r\n2\tGrace\r\n`,
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await query(url, 'SELECT id, name, note FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ada', note: null },
      { id: 2, name: 'Grace', note: null },
    ]);
  });
});

describe('COPY … FROM STDIN in CSV format', () => {
  it('honours quoting: commas, doubled quotes and line breaks inside quotes, empty string against NULL', async () => {
    const url = await postgres.freshDatabase('copy_csv');
    const repo = checkout({
      'V1__people.sql':
        TABLE +
        'COPY people (id, name, note) FROM stdin WITH (FORMAT csv);\n' +
        '1,"Lovelace, Ada","she said ""hi"""\n' +
        '2,"two\nlines",\n' +
        '3,"",x\n' +
        '\\.\n',
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await query(url, 'SELECT id, name, note FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Lovelace, Ada', note: 'she said "hi"' },
      { id: 2, name: 'two\nlines', note: null },
      { id: 3, name: '', note: 'x' },
    ]);
  });
});

describe('a bad row', () => {
  it('fails the migration at the file line of the row, and nothing of the file is applied', async () => {
    const url = await postgres.freshDatabase('copy_bad_row');
    const repo = checkout({
      'V1__people.sql': `${TABLE}COPY people (id, name) FROM stdin;\n1\tAda\n2\tGrace\nthree\tCharles\n\\.\n`,
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'V1__people.sql failed at line 5 (statement 2 of 2): ERROR 22P02: invalid input syntax for type integer: "three"',
        ),
        properties: expect.objectContaining({ file: `${MIGRATIONS_DIR}/V1__people.sql`, line: '5' }),
      }),
    ]);
    expect(run.log).toContain('Nothing of it was applied.');
    expect(await relationExists(url, 'people')).toBe(false);
    expect((await history(url)).map((row) => [row.version, row.success])).toEqual([['1', false]]);
  });
});

describe('the rows are part of the migration', () => {
  it('count in its checksum: a changed row is drift', async () => {
    const url = await postgres.freshDatabase('copy_checksum');
    const sql = `${TABLE}COPY people (id, name) FROM stdin;\n1\tAda\n\\.\n`;
    const repo = checkout({ 'V1__people.sql': sql });
    expect(versionsApplied(await repo.migrate(url))).toEqual(['1']);
    repo.write('V1__people.sql', sql.replace('Ada', 'Grace'));
    const run = await repo.migrate(url, { command: 'validate' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('V1__people.sql was changed after it was applied');
  });

  it('are not linted as SQL, while the statements around them are, at their lines', async () => {
    const url = await postgres.freshDatabase('copy_lint');
    const repo = checkout({ 'V1__people.sql': TABLE });
    expect(versionsApplied(await repo.migrate(url))).toEqual(['1']);
    repo.write(
      'V2__reload.sql',
      'COPY people (id, name) FROM stdin;\n1\tDROP TABLE people;\n\\.\nDELETE FROM people;\n',
    );
    const run = await repo.migrate(url, { command: 'plan' });
    expect(run.exitCode).toBe(1);
    const findings = JSON.parse(run.outputs['lint-findings'] ?? '[]') as { rule: string; line: number }[];
    expect(findings.map(({ rule, line }) => [rule, line])).toEqual([['delete-without-where', 4]]);
  });
});

describe('COPY from a file or a program on the database server', () => {
  it('is passed to the server, which reads the file itself', async () => {
    const url = await postgres.freshDatabase('copy_server_file');
    const repo = checkout({
      'V1__people.sql': `${TABLE}COPY people FROM '/nonexistent/gantry/people.csv' WITH (FORMAT csv);\n`,
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(
      'V1__people.sql failed at line 2 (statement 2 of 2): ERROR 58P01: could not open file "/nonexistent/gantry/people.csv" for reading',
    );
  });
});
