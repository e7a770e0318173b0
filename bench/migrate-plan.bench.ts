import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { writeAppliedHistory } from './support/applied-history.ts';
import { median } from './support/stats.ts';

/**
 * plan and validate with 10,000 applied versions: the committed bundle, run as the runner runs it,
 * reads 10,000 files, checksums them and compares them with 10,000 history rows (plus one pending
 * migration to parse and lint, for plan). Reports the median of the step itself (what runAction
 * times) and of the whole process, against issue 14's targets of 300 ms and 600 ms. Then plan once
 * more with nothing pending, which loads no SQL parser at all.
 *
 * Then plan on an empty database with 1,000, 5,000 and 10,000 pending files, every one parsed and
 * linted: the time per file should stay flat as the count grows.
 */
const APPLIED = 10_000;
const ROUNDS = 5;
const STEP_TARGET_MS = 300;
const WALL_TARGET_MS = 600;
const PENDING_COUNTS = [1000, 5000, 10_000];

const work = mkdtempSync(join(tmpdir(), 'gantry-bench-plan-'));
const server = await startPostgres();
try {
  const migrations = join(work, 'migrations');
  mkdirSync(migrations);
  const url = await server.createDatabase('ten_thousand');
  const created = await migrate(url, 'migrate', migrations);
  if (created.exitCode !== 0) throw new Error(`creating the history table failed:\n${created.log}`);

  await writeAppliedHistory(url, migrations, APPLIED);

  for (const command of ['plan', 'validate'] as const) {
    await migrate(url, command, migrations);
    const wall: number[] = [];
    const step: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const run = await migrate(url, command, migrations);
      wall.push(performance.now() - started);
      step.push(stepMs(run));
      if (run.exitCode !== 0 || run.outputs['pending-count'] !== '1') {
        throw new Error(`${command} did not see exactly 1 pending migration:\n${run.log.slice(-3000)}`);
      }
    }
    console.log(
      `migrate ${command} with ${APPLIED} applied versions: the step itself ${median(step).toFixed(0)} ms ` +
        `(target <= ${STEP_TARGET_MS} ms, ${verdict(median(step), STEP_TARGET_MS)}), the whole process ` +
        `${median(wall).toFixed(0)} ms (target <= ${WALL_TARGET_MS} ms, ${verdict(median(wall), WALL_TARGET_MS)}); median of ${ROUNDS} runs`,
    );
  }

  // The same database with nothing pending: plan then needs no SQL parser, so it never loads one.
  rmSync(join(migrations, `V${APPLIED + 1}__pending.sql`));
  await migrate(url, 'plan', migrations);
  const idleWall: number[] = [];
  const idleStep: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const run = await migrate(url, 'plan', migrations);
    idleWall.push(performance.now() - started);
    idleStep.push(stepMs(run));
    if (run.exitCode !== 0 || run.outputs['pending-count'] !== '0') {
      throw new Error(`plan did not see 0 pending migrations:\n${run.log.slice(-3000)}`);
    }
  }
  console.log(
    `migrate plan with ${APPLIED} applied versions and nothing pending: the step itself ${median(idleStep).toFixed(0)} ms ` +
      `(target <= ${STEP_TARGET_MS} ms, ${verdict(median(idleStep), STEP_TARGET_MS)}), the whole process ` +
      `${median(idleWall).toFixed(0)} ms (target <= ${WALL_TARGET_MS} ms, ${verdict(median(idleWall), WALL_TARGET_MS)}); median of ${ROUNDS} runs`,
  );

  const empty = await server.createDatabase('empty');
  for (const count of PENDING_COUNTS) {
    const pending = join(work, `pending-${count}`);
    mkdirSync(pending);
    for (let index = 1; index <= count; index++) {
      writeFileSync(
        join(pending, `V${index}__migration_${index}.sql`),
        `-- Migration ${index}.\nCREATE TABLE IF NOT EXISTS t_${index % 50} (id int);\nINSERT INTO t_${index % 50} VALUES (${index});\n`,
      );
    }
    await migrate(empty, 'plan', pending);
    const wall: number[] = [];
    const step: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const run = await migrate(empty, 'plan', pending);
      wall.push(performance.now() - started);
      step.push(stepMs(run));
      if (run.exitCode !== 0 || run.outputs['pending-count'] !== String(count)) {
        throw new Error(`plan did not see ${count} pending migrations:\n${run.log.slice(-3000)}`);
      }
    }
    console.log(
      `migrate plan with ${count} pending files on an empty database: the step itself ${median(step).toFixed(0)} ms ` +
        `(${((1000 * median(step)) / count).toFixed(0)} µs per file), the whole process ${median(wall).toFixed(0)} ms; median of ${ROUNDS} runs`,
    );
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

function migrate(url: string, command: string, dir: string): Promise<ActionRun> {
  return runActionBundle({
    action: 'migrate',
    cwd: work,
    inputs: { 'database-url': url, 'migrations-dir': path.relative(work, dir), command },
    timeoutMs: 300_000,
  });
}

function verdict(value: number, target: number): string {
  return value <= target ? 'meets' : 'MISSES';
}

/** What runAction reports: "Step finished in 412ms." */
function stepMs(run: ActionRun): number {
  const match = /Step finished in ([\d.]+)(ms|s)/.exec(run.log);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}
