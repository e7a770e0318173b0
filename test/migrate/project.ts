import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runActionBundle, type ActionRun, type RunOptions } from '../support/action-runner.ts';
import { tempDir } from '../shared/helpers.ts';

/**
 * End-to-end support: a repository checkout with its migrations in db/migrations, the committed
 * migrate bundle run in it as the runner runs it, and plain SQL against the database to check what
 * the run did.
 */

export const MIGRATIONS_DIR = 'db/migrations';

export interface Project {
  /** The workspace (GITHUB_WORKSPACE). */
  readonly root: string;
  write(name: string, sql: string): void;
  remove(name: string): void;
  /** Runs the migrate bundle against `url` with these inputs (migrations-dir and database-url preset). */
  migrate(url: string, inputs?: Record<string, string>, options?: Partial<RunOptions>): Promise<ActionRun>;
  cleanup(): void;
}

export function project(files: Record<string, string> = {}): Project {
  const dir = tempDir('gantry-migrate-project-');
  const migrations = join(dir.path, MIGRATIONS_DIR);
  mkdirSync(migrations, { recursive: true });
  const write = (name: string, sql: string): void => {
    mkdirSync(join(migrations, name, '..'), { recursive: true });
    writeFileSync(join(migrations, name), sql);
  };
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  return {
    root: dir.path,
    write,
    remove: (name) => rmSync(join(migrations, name)),
    migrate: (url, inputs = {}, options = {}) =>
      runActionBundle({
        action: 'migrate',
        cwd: dir.path,
        timeoutMs: 30_000,
        ...options,
        inputs: { 'migrations-dir': MIGRATIONS_DIR, 'database-url': url, ...inputs },
      }),
    cleanup: () => dir.remove(),
  };
}

export async function query<Row extends object = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

export interface HistoryEntry {
  version: string | null;
  description: string;
  type: string;
  script: string;
  success: boolean;
  error: string | null;
}

export function history(url: string, table = 'public.gantry_schema_history'): Promise<HistoryEntry[]> {
  return query<HistoryEntry>(
    url,
    `SELECT version, description, type, script, success, error FROM ${table} ORDER BY id`,
  );
}

/** Whether a table (or any relation) exists, by catalog lookup. */
export async function relationExists(url: string, name: string): Promise<boolean> {
  const [row] = await query<{ exists: boolean }>(url, 'SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
  return row?.exists === true;
}

export interface AppliedOutput {
  version: string | null;
  description: string;
  type: string;
  script: string;
  'execution-ms': number;
}

export function appliedOf(run: ActionRun): AppliedOutput[] {
  return JSON.parse(run.outputs.applied ?? 'null') as AppliedOutput[];
}

export function versionsApplied(run: ActionRun): (string | null)[] {
  return appliedOf(run).map((applied) => applied.version);
}

/** For expectations on a run: the exit code with the log alongside, so a failure shows why. */
export function outcome(run: ActionRun): { exitCode: number | null; log: string } {
  return { exitCode: run.exitCode, log: run.log };
}

export function errorsOf(run: ActionRun): ActionRun['annotations'] {
  return run.annotations.filter((annotation) => annotation.level === 'error');
}
