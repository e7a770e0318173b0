import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNames, repoRoot, ROOT_ACTION_BUNDLE } from '../scripts/actions.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * Cold start through the root action (`uses: <owner>/gantry@v1` with `action: <name>`) against the
 * same action used directly: time from process start until the action's own bundle reads its first
 * input, both ways, in alternating order so machine noise hits both alike; medians compared. The issue's
 * target is 1.1x. Wall time is what a user waits; CPU time (user + system) is the work the root adds,
 * and stays steady when other work shares the machine, so both are reported.
 */
const ROUNDS = 40;
const TARGET = 1.1;
const probe = join(import.meta.dirname, 'support', 'action-input-probe.mjs');
const rootBundle = join(repoRoot, 'dist', ROOT_ACTION_BUNDLE.name, 'index.js');

const work = mkdtempSync(join(tmpdir(), 'gantry-root-cold-start-'));
try {
  for (const name of actionNames(repoRoot)) {
    const bundleDir = join(repoRoot, 'dist', name);
    const directTimes: Sample[] = [];
    const rootTimes: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const direct = (): Sample => firstInputMs(join(bundleDir, 'index.js'), bundleDir, {});
      const root = (): Sample => firstInputMs(rootBundle, bundleDir, { INPUT_ACTION: name });
      // Each pair in turn order (direct, root), then (root, direct): a drift in load hits both alike.
      if (round % 2 === 0) {
        directTimes.push(direct());
        rootTimes.push(root());
      } else {
        rootTimes.push(root());
        directTimes.push(direct());
      }
    }
    for (const measure of ['wallMs', 'cpuMs'] as const) {
      const rootMedian = median(rootTimes.map((sample) => sample[measure]));
      const directMedian = median(directTimes.map((sample) => sample[measure]));
      console.log(
        formatRatio(
          `cold start through the root action, ${name} (${measure === 'wallMs' ? 'wall' : 'CPU'} time)`,
          rootMedian / directMedian,
          TARGET,
          `median ${rootMedian.toFixed(1)} ms vs direct ${directMedian.toFixed(1)} ms over ${ROUNDS} runs each`,
        ),
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function firstInputMs(bundle: string, actionBundleDir: string, env: Record<string, string>): Sample {
  const run = spawnSync(process.execPath, ['--import', probe, bundle], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, ...env, PROBE_BUNDLE_DIR: actionBundleDir },
  });
  const match = /first-input-ms=([\d.]+) cpu-ms=([\d.]+)/.exec(run.stdout);
  if (!match)
    throw new Error(
      `${bundle} never reached an input read of ${actionBundleDir}:\n${run.stdout}\n${run.stderr}`,
    );
  return { wallMs: Number(match[1]), cpuMs: Number(match[2]) };
}
