import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntries, repoRoot } from '../scripts/actions.ts';
import { unpackBaselineDist } from './support/baseline-dist.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * Action start-up: the whole process time of a trivial run of each bundle (no inputs at all, so each
 * action stops at its first missing input, before any network or disk work) for the bundles in
 * dist/ against main's committed bundles (`git archive main dist`) in the same run. Runs alternate
 * (main, dist, main, ...) so machine noise hits both alike; medians compared. The two runs of a pair
 * must print the same log, or they are not the same path and the figure would mean nothing.
 * `node bench/action-start.bench.ts [BASELINE_REF]` (main by default); run `npm run bundle` first.
 */
const ROUNDS = 7;
/**
 * Preloaded into each run: prints the process's CPU time as it exits. Wall time is the figure the
 * issue asks for, but on a machine shared with other work CPU time is the steadier one.
 */
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs';" +
    "process.on('exit', () => { const cpu = process.cpuUsage();" +
    ' writeSync(2, `\\ncpu-ms=${(cpu.user + cpu.system) / 1000}\\n`); });',
)}`;
const baselineRef = process.argv[2] ?? 'main';
/** The root action with a chosen action: the dispatcher, then smoke-test's bundle. */
const RUNS = [
  ...bundleEntries(repoRoot).map((entry) => ({ label: entry.name, bundle: entry.name, env: {} })),
  { label: 'gantry → smoke-test', bundle: 'gantry', env: { INPUT_ACTION: 'smoke-test' } },
];

const work = mkdtempSync(join(tmpdir(), 'gantry-action-start-'));
try {
  const baselineRoot = join(work, 'baseline');
  const emptyCwd = join(work, 'cwd');
  mkdirSync(baselineRoot);
  mkdirSync(emptyCwd);
  unpackBaselineDist(repoRoot, baselineRef, baselineRoot);

  for (const run of RUNS) {
    const current = join(repoRoot, 'dist', run.bundle, 'index.js');
    const baseline = join(baselineRoot, 'dist', run.bundle, 'index.js');
    if (!existsSync(current)) throw new Error(`${current} is missing: run npm run bundle first`);
    if (!existsSync(baseline)) {
      console.log(`action start ${run.label}: no bundle on ${baselineRef}, skipped`);
      continue;
    }
    const baselineLog = trivialRun(baseline, run.env, emptyCwd);
    const currentLog = trivialRun(current, run.env, emptyCwd);
    if (baselineLog.log !== currentLog.log) {
      throw new Error(
        `${run.label}: the two bundles took different paths:\n${baselineLog.log}\n---\n${currentLog.log}`,
      );
    }
    const baselineRuns: Timing[] = [];
    const currentRuns: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselineRuns.push(trivialRun(baseline, run.env, emptyCwd));
      currentRuns.push(trivialRun(current, run.env, emptyCwd));
    }
    const wall = (runs: Timing[]): number => median(runs.map((timing) => timing.ms));
    const cpu = (runs: Timing[]): number => median(runs.map((timing) => timing.cpuMs));
    console.log(
      formatRatio(
        `action start ${run.label}`,
        wall(currentRuns) / wall(baselineRuns),
        undefined,
        `whole process median ${wall(currentRuns).toFixed(0)} ms vs ${baselineRef}'s bundle ` +
          `${wall(baselineRuns).toFixed(0)} ms over ${ROUNDS} rounds; CPU time ` +
          `${(cpu(currentRuns) / cpu(baselineRuns)).toFixed(2)}x (${cpu(currentRuns).toFixed(0)} ms vs ` +
          `${cpu(baselineRuns).toFixed(0)} ms)`,
      ),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

interface Timing {
  ms: number;
  cpuMs: number;
  log: string;
}

/** One run with nothing but the given inputs, as a runner without file commands would start it. */
function trivialRun(bundle: string, inputs: Record<string, string>, cwd: string): Timing {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...inputs };
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', CPU_PROBE, bundle], { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (!result.stdout.includes('::error::')) {
    throw new Error(`${bundle} did not stop at a bad input:\n${result.stdout}\n${result.stderr}`);
  }
  const cpu = /cpu-ms=([\d.]+)/.exec(result.stderr);
  if (!cpu) throw new Error(`${bundle} did not report its CPU time:\n${result.stderr}`);
  // The step's own duration differs from run to run; everything else must match.
  return {
    ms,
    cpuMs: Number(cpu[1]),
    log: result.stdout.replace(/finished in [\d.]+\s*m?s/g, 'finished in …'),
  };
}
