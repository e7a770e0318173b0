import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle } from '../test/support/action-runner.ts';
import { serverBinDir, startPostgres, type PostgresServer } from '../test/support/postgres.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * migrate against psql: 1,000 small migrations applied to an empty database by the committed bundle
 * (run as the runner runs it: process start, parsing and lint of every file, the history table, one
 * transaction per file) and by psql applying the same files in one session, each file in its own
 * transaction. Alternating rounds on fresh databases; medians compared. Measured twice: on a server
 * with fsync on, as production runs, and with fsync off, where the commit costs nothing and Gantry's
 * own work weighs the most. Targets from issue 14: at most 1.2x psql with fsync off, at most 1.0x with
 * fsync on.
 */
const MIGRATIONS = 1000;
const ROUNDS = 5;
const TARGETS = { durable: 1.0, fast: 1.2 };

const work = mkdtempSync(join(tmpdir(), 'gantry-bench-migrate-'));
try {
  const migrations = join(work, 'migrations');
  mkdirSync(migrations);
  const driver: string[] = ['\\set ON_ERROR_STOP on'];
  for (let index = 1; index <= MIGRATIONS; index++) {
    const name = `V${index}__table_${index}.sql`;
    writeFileSync(
      join(migrations, name),
      `-- Migration ${index}.\nCREATE TABLE t_${index} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL DEFAULT ''\n);\n` +
        `INSERT INTO t_${index} (id, name) VALUES (1, 'row; one');\n`,
    );
    driver.push('BEGIN;', `\\i ${join(migrations, name)}`, 'COMMIT;');
  }
  const script = join(work, 'psql-driver.sql');
  writeFileSync(script, `${driver.join('\n')}\n`);

  for (const durable of [true, false]) {
    const server = await startPostgres({ durable });
    try {
      await psql(server, await server.createDatabase('warmup_psql'), script);
      await gantry(await server.createDatabase('warmup_gantry'), work);
      const psqlTimes: number[] = [];
      const gantryTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        psqlTimes.push(await psql(server, await server.createDatabase(`psql_${round}`), script));
        gantryTimes.push(await gantry(await server.createDatabase(`gantry_${round}`), work));
      }
      console.log(
        formatRatio(
          `migrate ${MIGRATIONS} migrations, fsync ${durable ? 'on' : 'off'}`,
          median(gantryTimes) / median(psqlTimes),
          durable ? TARGETS.durable : TARGETS.fast,
          `median ${median(gantryTimes).toFixed(0)} ms vs psql ${median(psqlTimes).toFixed(0)} ms over ${ROUNDS} rounds`,
        ),
      );
    } finally {
      await server.close();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function gantry(url: string, workspace: string): Promise<number> {
  const started = performance.now();
  const run = await runActionBundle({
    action: 'migrate',
    cwd: workspace,
    inputs: { 'database-url': url, 'migrations-dir': 'migrations' },
    timeoutMs: 300_000,
  });
  const elapsed = performance.now() - started;
  const applied = JSON.parse(run.outputs.applied ?? '[]') as unknown[];
  if (run.exitCode !== 0 || applied.length !== MIGRATIONS) {
    throw new Error(
      `migrate applied ${applied.length} of ${MIGRATIONS} migrations:\n${run.log.slice(-3000)}`,
    );
  }
  return elapsed;
}

function psql(server: PostgresServer, url: string, script: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(join(serverBinDir(), 'psql'), ['-X', '-q', '-d', url, '-f', script], {
      env: { ...process.env, PGPASSWORD: server.password },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`psql exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}
