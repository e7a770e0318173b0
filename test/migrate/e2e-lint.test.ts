import { afterEach, describe, expect, it } from '@jest/globals';
import { usePostgres } from './postgres-fixture.ts';
import { history, outcome, project, query, type Project } from './project.ts';

/**
 * Lint through the committed bundle, as plan and migrate run it: the pending files are judged with
 * the database's answers (which tables exist, a column's type, the table's size).
 */

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

const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(40), balance numeric(12, 2));\n';

interface LintFinding {
  file: string;
  line: number;
  rule: string;
  severity: string;
}

function findingsOf(outputs: Record<string, string>): [string, number, string, string][] {
  return (JSON.parse(outputs['lint-findings'] ?? '[]') as LintFinding[]).map(
    ({ file, line, rule, severity }) => [file, line, rule, severity],
  );
}

describe('lint with the database', () => {
  it('lets through what never rewrites or locks an existing table, and ranks what does by its size', async () => {
    const url = await postgres.freshDatabase('e2e_lint');
    const repo = checkout({ 'V1__accounts.sql': V1 });
    await repo.migrate(url);
    await query(
      url,
      "INSERT INTO accounts SELECT g, 'n', g FROM generate_series(1, 100) g; ANALYZE accounts",
    );
    repo.write(
      'V2__widen.sql',
      '-- Never rewrites: a longer varchar, a higher numeric precision.\n' +
        'ALTER TABLE accounts ALTER COLUMN name TYPE varchar(80);\n' +
        'ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(14, 2);\n' +
        'ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();\n',
    );
    repo.write(
      'V3__audit.sql',
      'CREATE TABLE IF NOT EXISTS audit (id bigint, account_id bigint);\nCREATE INDEX audit_account ON audit (account_id);\n',
    );
    repo.write('V4__token.sql', 'ALTER TABLE accounts\n  ADD COLUMN id2 bigserial NOT NULL;\n');
    const plan = await repo.migrate(url, { command: 'plan' });
    expect(outcome(plan)).toEqual({ exitCode: 0, log: plan.log });
    expect(findingsOf(plan.outputs)).toEqual([
      ['db/migrations/V4__token.sql', 1, 'add-column-volatile-default', 'notice'],
    ]);
    const [notice] = plan.annotations.filter((annotation) => annotation.level === 'notice');
    expect(notice?.message).toContain('rewrites accounts (about 100 rows, ');
    const applied = await repo.migrate(url);
    expect(outcome(applied)).toEqual({ exitCode: 0, log: applied.log });
    expect(findingsOf(applied.outputs)).toEqual(findingsOf(plan.outputs));
    expect(await history(url)).toHaveLength(4);
  });
});
