import { afterEach, describe, expect, it } from '@jest/globals';
import { usePostgres } from './postgres-fixture.ts';
import { appliedOf, errorsOf, history, outcome, project, query, type Project } from './project.ts';

/**
 * A migration's statements travel to the server together, in one round trip with the history row
 * and the COMMIT: what that must not change, through the committed bundle against a real PostgreSQL.
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

describe('statements sent together', () => {
  it('keep a statement whose text ends in a comment apart from the next one', async () => {
    const url = await postgres.freshDatabase('trailing_comment');
    const repo = checkout({
      'V1__comments.sql':
        'CREATE TABLE t (id int) -- the semicolon is on the next line\n;\nINSERT INTO t VALUES (1) /* block */;\nINSERT INTO t VALUES (2) -- last, no semicolon',
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await query(url, 'SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('record the execution time the server measured, in the history row and the outputs alike', async () => {
    const url = await postgres.freshDatabase('execution_ms');
    const repo = checkout({ 'V1__slow.sql': 'CREATE TABLE t (id int);\nSELECT pg_sleep(0.3);\n' });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    const [row] = await query<{ execution_ms: number }>(
      url,
      'SELECT execution_ms FROM gantry_schema_history',
    );
    expect(row?.execution_ms).toBeGreaterThanOrEqual(300);
    expect(appliedOf(run)[0]?.['execution-ms']).toBe(row?.execution_ms);
  });

  it('name the statement of an error that has no position in the text, from those that completed', async () => {
    const url = await postgres.freshDatabase('no_position');
    const repo = checkout({
      'V1__dup.sql':
        'CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\n\nINSERT INTO t\n  VALUES (1);\n',
    });
    const run = await repo.migrate(url);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(
      'V1__dup.sql failed at line 5 (statement 4 of 4): ERROR 23505: duplicate key value violates unique constraint "t_pkey"',
    );
    expect((await history(url)).map((entry) => [entry.version, entry.success])).toEqual([['1', false]]);
  });
});

describe('a file run outside a transaction', () => {
  it('streams COPY … FROM STDIN rows too', async () => {
    const url = await postgres.freshDatabase('copy_outside');
    const repo = checkout({
      'V1__load.sql':
        '-- gantry:no-transaction\nCREATE TABLE t (id int, name text);\nCOPY t FROM stdin;\n1\tone\n2\t\\N\n\\.\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n',
    });
    const run = await repo.migrate(url);
    expect(outcome(run)).toEqual({ exitCode: 0, log: run.log });
    expect(await query(url, 'SELECT id, name FROM t ORDER BY id')).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: null },
    ]);
  });
});
