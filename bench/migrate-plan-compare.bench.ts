import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { unpackBaselineDist } from './support/baseline-dist.ts';
import { writeAppliedHistory } from './support/applied-history.ts';
import { median } from './support/stats.ts';

/**
 * plan and validate with 10,000 applied versions and one pending, a baseline migrate bundle against
 * the current dist/migrate, alternating run by run in the same script so that the load of a shared
 * machine falls on both alike. For each: the step (what runAction times), the whole process, and the
 * process's CPU time (user + system, read from /proc as this process's reaped children).
 *
 * The baseline is dist/migrate as committed on a git ref (`node bench/migrate-plan-compare.bench.ts
 * <ref>`, main by default), or a bundle directory named by GANTRY_BASELINE_BUNDLE.
 */
const APPLIED = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const baselineRef = process.argv[2] ?? 'main';

const work = mkdtempSync(join(tmpdir(), 'gantry-bench-plan-compare-'));
const baselineBundle =
  process.env.GANTRY_BASELINE_BUNDLE ??
  join(unpackBaselineDist(join(import.meta.dirname, '..'), baselineRef, work), 'migrate');
// The baseline as an action directory of its own: action.yml's runs.main is ../../dist/migrate/index.js.
const baselineAction = join(work, 'baseline', 'actions', 'migrate');
mkdirSync(baselineAction, { recursive: true });
cpSync(
  join(import.meta.dirname, '..', 'actions', 'migrate', 'action.yml'),
  join(baselineAction, 'action.yml'),
);
cpSync(baselineBundle, join(work, 'baseline', 'dist', 'migrate'), { recursive: true });

const server = await startPostgres();
try {
  const migrations = join(work, 'migrations');
  mkdirSync(migrations);
  const url = await server.createDatabase('ten_thousand');
  const created = await migrate(url, 'migrate', undefined);
  if (created.exitCode !== 0) throw new Error(`creating the history table failed:\n${created.log}`);
  await writeAppliedHistory(url, migrations, APPLIED);

  for (const command of ['plan', 'validate'] as const) {
    const figures = { baseline: newFigures(), current: newFigures() };
    await migrate(url, command, baselineAction);
    await migrate(url, command, undefined);
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2
        ? (['current', 'baseline'] as const)
        : (['baseline', 'current'] as const)) {
        const cpuBefore = childrenCpuMs();
        const started = performance.now();
        const run = await migrate(url, command, which === 'baseline' ? baselineAction : undefined);
        figures[which].wall.push(performance.now() - started);
        figures[which].cpu.push(childrenCpuMs() - cpuBefore);
        figures[which].step.push(stepMs(run));
        if (run.exitCode !== 0 || run.outputs['pending-count'] !== '1') {
          throw new Error(
            `${which} ${command} did not see exactly 1 pending migration:\n${run.log.slice(-3000)}`,
          );
        }
      }
    }
    for (const which of ['baseline', 'current'] as const) {
      const { step, wall, cpu } = figures[which];
      console.log(
        `${command} ${which}: step ${median(step).toFixed(0)} ms, whole process ${median(wall).toFixed(0)} ms, ` +
          `process CPU ${median(cpu).toFixed(0)} ms (medians of ${ROUNDS})`,
      );
    }
    const ratio = (key: 'step' | 'wall' | 'cpu'): string =>
      (median(figures.current[key]) / median(figures.baseline[key])).toFixed(2);
    console.log(
      `${command} current/baseline: step ${ratio('step')}x, whole process ${ratio('wall')}x, CPU ${ratio('cpu')}x; ` +
        `load average ${loadavg()
          .map((load) => load.toFixed(2))
          .join(' ')}`,
    );
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

function newFigures(): { step: number[]; wall: number[]; cpu: number[] } {
  return { step: [], wall: [], cpu: [] };
}

function migrate(url: string, command: string, actionDir: string | undefined): Promise<ActionRun> {
  return runActionBundle({
    action: 'migrate',
    actionDir,
    cwd: work,
    inputs: { 'database-url': url, 'migrations-dir': 'migrations', command },
    timeoutMs: 300_000,
  });
}

/** CPU time (user + system) of this process's children that have exited and been reaped. */
function childrenCpuMs(): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of the line, in clock ticks (100 a second on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** What runAction reports: "Step finished in 412ms." */
function stepMs(run: ActionRun): number {
  const match = /Step finished in ([\d.]+)(ms|s)/.exec(run.log);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}
