import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNames, repoRoot } from '../scripts/actions.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * Cold start: time from process start to the first input read, for each committed bundle, against a
 * bundle of only @actions/core built by ncc the same way and reading an input first thing. Runs
 * alternate (baseline, action, baseline, ...) so machine noise hits both alike; medians compared.
 */
const ROUNDS = 25;
/** The targets the issues set; other actions have their ratio reported only. */
const TARGETS: Record<string, number> = {
  'smoke-test': 1.2,
  'build-push': 1.5,
  'deploy-ecs': 1.5,
  rollback: 1.5,
};
const probe = join(import.meta.dirname, 'support', 'first-input-probe.mjs');

const work = mkdtempSync(join(tmpdir(), 'gantry-cold-start-'));
try {
  const source = join(import.meta.dirname, 'support', 'core-only.ts');
  const baselineDir = join(work, 'core-only');
  const build = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      source,
      '--out',
      baselineDir,
      '--target',
      'es2024',
      '--quiet',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('building the @actions/core-only baseline bundle failed');
  const baseline = join(baselineDir, 'index.js');

  for (const name of actionNames(repoRoot)) {
    const bundle = join(repoRoot, 'dist', name, 'index.js');
    const baselineTimes: number[] = [];
    const actionTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselineTimes.push(firstInputMs(baseline));
      actionTimes.push(firstInputMs(bundle));
    }
    const ratio = median(actionTimes) / median(baselineTimes);
    console.log(
      formatRatio(
        `cold start ${name}`,
        ratio,
        TARGETS[name],
        `median ${median(actionTimes).toFixed(1)} ms vs @actions/core only ${median(baselineTimes).toFixed(1)} ms over ${ROUNDS} runs each`,
      ),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function firstInputMs(bundle: string): number {
  const run = spawnSync(process.execPath, ['--import', probe, bundle], { encoding: 'utf8', cwd: work });
  const match = /first-input-ms=([\d.]+)/.exec(run.stdout);
  if (!match) throw new Error(`${bundle} never read an input:\n${run.stdout}\n${run.stderr}`);
  return Number(match[1]);
}
