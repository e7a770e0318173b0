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
 * target is 1.1x.
 */
const ROUNDS = 25;
const TARGET = 1.1;
const probe = join(import.meta.dirname, 'support', 'action-input-probe.mjs');
const rootBundle = join(repoRoot, 'dist', ROOT_ACTION_BUNDLE.name, 'index.js');

const work = mkdtempSync(join(tmpdir(), 'gantry-root-cold-start-'));
try {
  for (const name of actionNames(repoRoot)) {
    const bundleDir = join(repoRoot, 'dist', name);
    const directTimes: number[] = [];
    const rootTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const direct = (): number => firstInputMs(join(bundleDir, 'index.js'), bundleDir, {});
      const root = (): number => firstInputMs(rootBundle, bundleDir, { INPUT_ACTION: name });
      // Each pair in turn order (direct, root), then (root, direct): a drift in load hits both alike.
      if (round % 2 === 0) {
        directTimes.push(direct());
        rootTimes.push(root());
      } else {
        rootTimes.push(root());
        directTimes.push(direct());
      }
    }
    const ratio = median(rootTimes) / median(directTimes);
    console.log(
      formatRatio(
        `cold start through the root action, ${name}`,
        ratio,
        TARGET,
        `median ${median(rootTimes).toFixed(1)} ms vs direct ${median(directTimes).toFixed(1)} ms over ${ROUNDS} runs each`,
      ),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function firstInputMs(bundle: string, actionBundleDir: string, env: Record<string, string>): number {
  const run = spawnSync(process.execPath, ['--import', probe, bundle], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, ...env, PROBE_BUNDLE_DIR: actionBundleDir },
  });
  const match = /first-input-ms=([\d.]+)/.exec(run.stdout);
  if (!match)
    throw new Error(
      `${bundle} never reached an input read of ${actionBundleDir}:\n${run.stdout}\n${run.stderr}`,
    );
  return Number(match[1]);
}
