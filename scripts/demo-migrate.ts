import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startPostgres } from '../test/support/postgres.ts';

/**
 * The migrate demo: a throwaway PostgreSQL cluster, and the committed migrate bundle run against it
 * through the runner harness exactly as GitHub would run it, on the sample migrations in
 * test/migrate/fixtures/demo: a plan first (read-only, with lint), then the migration, then a
 * second run that finds nothing to do, then the status; last, a new release whose migration drops a
 * column, which is refused before anything runs.
 */
const workspace = mkdtempSync(join(tmpdir(), 'gantry-demo-migrate-'));
cpSync(join(import.meta.dirname, '..', 'test', 'migrate', 'fixtures', 'demo'), workspace, {
  recursive: true,
});

console.log('Starting a throwaway PostgreSQL cluster...');
const server = await startPostgres();
let failed = false;
try {
  const url = await server.createDatabase('shop');
  const steps: [string, string, number][] = [
    ['plan', 'plan: what migrate would do, changing nothing', 0],
    ['migrate', 'migrate: apply the pending migrations', 0],
    ['migrate', 'migrate again: nothing left to do', 0],
    ['info', 'info: where the database stands', 0],
  ];
  for (const [command, title, expectedExit] of steps) {
    const run = await migrate(url, command, title);
    if (run.exitCode !== expectedExit) failed = true;
  }
  writeFileSync(
    join(workspace, 'migrations', 'V4__drop_order_placed_at.sql'),
    '-- The next release no longer reads placed_at.\nALTER TABLE orders DROP COLUMN placed_at;\n',
  );
  const refused = await migrate(url, 'migrate', 'a destructive migration: refused before anything runs');
  if (refused.exitCode !== 1) failed = true;
} finally {
  await server.close();
  rmSync(workspace, { recursive: true, force: true });
}
console.log(
  failed
    ? '\nDemo FAILED: a step did not end as expected.'
    : '\nDemo finished: every step ended as expected.',
);
process.exitCode = failed ? 1 : 0;

async function migrate(url: string, command: string, title: string): Promise<ActionRun> {
  console.log(`\n=== ${title} ===\n`);
  const run = await runActionBundle({
    action: 'migrate',
    cwd: workspace,
    inputs: { command, 'database-url': url, 'migrations-dir': 'migrations' },
  });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  console.log(
    `\n--- outputs ---\n${Object.entries(run.outputs)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')}`,
  );
  return run;
}
