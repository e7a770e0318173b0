import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deadline } from '../shared/src/async/deadline.ts';
import type { KubeObject } from '../shared/src/kubernetes/object.ts';
import { waitForRollouts } from '../shared/src/kubernetes/rollout/rollout-wait.ts';
import {
  deployment,
  startCluster,
  type SimulatedCluster,
} from '../test/shared/kubernetes/simulated-cluster.ts';
import { runActionBundle } from '../test/support/action-runner.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * Rollback speed: from the start of the rollback step to the restored release being ready (the
 * step ends when its rollout is complete), against the same rollout (the same Deployment going
 * from release 2 back to release 1) driven by a fresh deploy-k8s run of release 1's manifest. Both
 * are the committed bundles through the runner harness, against one simulator; before every run
 * the Deployment is put back on release 2 outside the timing. Rounds alternate which goes first;
 * medians compared. Target: the rollback is no slower (<= 1.0x).
 */
const ROUNDS = 9;
const RELEASE_1 = deployment('web', 'shop/web:1');
const RELEASE_2 = deployment('web', 'shop/web:2');

const cluster = await startCluster({ readyDelayMs: 30 });
const workspace = mkdtempSync(join(tmpdir(), 'gantry-rollback-bench-'));
try {
  writeFileSync(join(workspace, 'release-1.json'), JSON.stringify(RELEASE_1));
  await rollOut(cluster, RELEASE_1);
  const rollbackMs: number[] = [];
  const deployMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const runs = [
      async () => rollbackMs.push(await timed('rollback', { workloads: 'deployment/web' })),
      async () => deployMs.push(await timed('deploy-k8s', { manifests: 'release-1.json' })),
    ];
    if (round % 2 === 1) runs.reverse();
    for (const run of runs) {
      await rollOut(cluster, RELEASE_2);
      await run();
    }
  }
  console.log(
    formatRatio(
      'rollback step to ready vs a fresh deploy-k8s of the same release',
      median(rollbackMs) / median(deployMs),
      1.0,
      `median ${median(rollbackMs).toFixed(0)} ms vs ${median(deployMs).toFixed(0)} ms over ${ROUNDS} rounds each`,
    ),
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await cluster.close();
}

async function timed(action: string, inputs: Record<string, string>): Promise<number> {
  const started = performance.now();
  const run = await runActionBundle({
    action,
    inputs: { kubeconfig: cluster.simulator.kubeconfig, timeout: '2m', ...inputs },
    cwd: workspace,
    timeoutMs: 180_000,
  });
  const elapsed = performance.now() - started;
  if (run.outcome !== 'success') throw new Error(`${action} failed:\n${run.log}`);
  const image = JSON.stringify(
    cluster.simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.spec,
  );
  if (!image.includes('shop/web:1')) throw new Error(`${action} did not restore release 1`);
  return elapsed;
}

async function rollOut(target: SimulatedCluster, object: KubeObject): Promise<void> {
  const applied = await target.apply(object);
  const [result] = await waitForRollouts(
    target.client,
    [
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
        object: applied,
      },
    ],
    { deadline: new Deadline(60_000, 'the reset'), signal: new AbortController().signal, maxRestarts: 3 },
  );
  if (result?.state !== 'complete') throw new Error(`the reset rollout ended ${result?.state}`);
}
