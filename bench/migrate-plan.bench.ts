import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrationChecksum } from '../actions/migrate/src/native/files/checksum.ts';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { median } from './support/stats.ts';

/**
 * plan and validate with 10,000 applied versions: the committed bundle, run as the runner runs it,
 * reads 10,000 files, checksums them and compares them with 10,000 history rows (plus one pending
 * migration to parse and lint, for plan). Reports the median wall time of the whole step, process
 * start included, against the 1 s target.
 */
const APPLIED = 10_000;
const ROUNDS = 5;
const TARGET_MS = 1000;

const work = mkdtempSync(join(tmpdir(), 'gantry-bench-plan-'));
const server = await startPostgres();
try {
  const migrations = join(work, 'migrations');
  mkdirSync(migrations);
  const url = await server.createDatabase('ten_thousand');
  const created = await migrate(url, 'migrate');
  if (created.exitCode !== 0) throw new Error(`creating the history table failed:\n${created.log}`);

  const rows = {
    version: [] as string[],
    description: [] as string[],
    script: [] as string[],
    checksum: [] as string[],
  };
  for (let index = 1; index <= APPLIED; index++) {
    const script = `V${index}__migration_${index}.sql`;
    const sql = `-- Migration ${index}.\nCREATE TABLE IF NOT EXISTS t_${index % 50} (id int);\n`;
    writeFileSync(join(migrations, script), sql);
    rows.version.push(String(index));
    rows.description.push(`migration ${index}`);
    rows.script.push(script);
    rows.checksum.push(migrationChecksum(sql));
  }
  writeFileSync(
    join(migrations, `V${APPLIED + 1}__pending.sql`),
    'CREATE INDEX CONCURRENTLY t_0_id ON t_0 (id);\n',
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO gantry_schema_history (version, description, type, script, checksum, execution_ms, success)
     SELECT v, d, 'versioned', s, c, 1, true FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(v, d, s, c)`,
    [rows.version, rows.description, rows.script, rows.checksum],
  );
  await client.end();

  for (const command of ['plan', 'validate'] as const) {
    await migrate(url, command);
    const wall: number[] = [];
    const step: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const run = await migrate(url, command);
      wall.push(performance.now() - started);
      step.push(stepMs(run));
      if (run.exitCode !== 0 || run.outputs['pending-count'] !== '1') {
        throw new Error(`${command} did not see exactly 1 pending migration:\n${run.log.slice(-3000)}`);
      }
    }
    const verdict = median(wall) <= TARGET_MS ? 'meets' : 'MISSES';
    console.log(
      `migrate ${command} with ${APPLIED} applied versions: ${median(wall).toFixed(0)} ms (target < ${TARGET_MS} ms, ${verdict}) — ` +
        `the step itself ${median(step).toFixed(0)} ms, the rest is process start; median of ${ROUNDS} runs`,
    );
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

function migrate(url: string, command: string): Promise<ActionRun> {
  return runActionBundle({
    action: 'migrate',
    cwd: work,
    inputs: { 'database-url': url, 'migrations-dir': 'migrations', command },
    timeoutMs: 120_000,
  });
}

/** What runAction reports: "Step finished in 412ms." */
function stepMs(run: ActionRun): number {
  const match = /Step finished in ([\d.]+)(ms|s)/.exec(run.log);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}
