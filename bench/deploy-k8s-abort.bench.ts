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
 * The point of blue-green: how soon traffic is back on the previous release after a bad one.
 * `abort` of a pending blue-green switch (deploy-k8s, strategy: blue-green, action: abort), timed
 * from the start of the step to the Service's selector observed back on the previous release,
 * against a `rollback` of a rolling Deployment (the rollback action, which returns the Deployment
 * to its previous revision; traffic is back on that release when its rollout completes, which is
 * when the step ends). Both are the committed bundles through the runner harness against one
 * simulator; each round first puts both back in their "bad release is live" state, untimed.
 * Rounds alternate which goes first; medians compared. Target: <= 0.2x.
 *
 * Pods take READY_DELAY_MS to become ready, a modest figure for a real service (readiness probes
 * usually wait longer): a rollback has to wait for new pods, an abort does not, which is the
 * difference measured. With the simulator's near-instant pods (30 ms) both are dominated by the
 * step's own start-up (about half a second of loading the bundle), and the ratio says little.
 */
const ROUNDS = 5;
const READY_DELAY_MS = 2000;
const V1 = 'registry.example.com:5000/shop/web:1.0';
const V2 = 'registry.example.com:5000/shop/web:2.0';
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: "${V1}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

const cluster = await startCluster({ readyDelayMs: READY_DELAY_MS });
const workspace = mkdtempSync(join(tmpdir(), 'gantry-abort-bench-'));
try {
  writeFileSync(join(workspace, 'web.yaml'), WEB);
  await step('deploy-k8s', { manifests: 'web.yaml' });
  await rollOut(cluster, deployment('api', V1, { replicas: 3 }));
  const abortMs: number[] = [];
  const rollbackMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const runs = [
      async () => {
        await step('deploy-k8s', { manifests: 'web.yaml', strategy: 'blue-green', images: V2 });
        abortMs.push(await timeAbort());
      },
      async () => {
        await rollOut(cluster, deployment('api', V2, { replicas: 3 }));
        rollbackMs.push(await timeRollback());
      },
    ];
    if (round % 2 === 1) runs.reverse();
    for (const run of runs) await run();
  }
  console.log(
    formatRatio(
      'blue-green abort to traffic back on the previous release vs a rollback of a rolling Deployment',
      median(abortMs) / median(rollbackMs),
      0.2,
      `median ${median(abortMs).toFixed(0)} ms vs ${median(rollbackMs).toFixed(0)} ms over ${ROUNDS} rounds each, pods ready ${READY_DELAY_MS} ms after they start`,
    ),
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await cluster.close();
}

/** From the step's start to the Service's selector observed back on {app: web}, read from the simulator's store. */
async function timeAbort(): Promise<number> {
  if (!JSON.stringify(serviceSelector()).includes('gantry.dev/colour')) {
    throw new Error('the blue-green deploy did not switch the Service: nothing to abort');
  }
  const started = performance.now();
  const running = step('deploy-k8s', {
    manifests: 'web.yaml',
    strategy: 'blue-green',
    images: V2,
    action: 'abort',
  });
  let switchedBack: number | undefined;
  while (switchedBack === undefined) {
    const selector = (cluster.simulator.objects.get('v1', 'Service', 'default', 'web')?.spec as KubeObject)
      ?.selector;
    if (JSON.stringify(selector) === '{"app":"web"}') switchedBack = performance.now() - started;
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await running;
  return switchedBack;
}

function serviceSelector(): unknown {
  return (cluster.simulator.objects.get('v1', 'Service', 'default', 'web')?.spec as KubeObject | undefined)
    ?.selector;
}

async function timeRollback(): Promise<number> {
  const started = performance.now();
  await step('rollback', { workloads: 'deployment/api' });
  const elapsed = performance.now() - started;
  const spec = JSON.stringify(cluster.simulator.objects.get('apps/v1', 'Deployment', 'default', 'api')?.spec);
  if (!spec.includes(V1)) throw new Error('the rollback did not restore release 1');
  return elapsed;
}

async function step(action: string, inputs: Record<string, string>): Promise<void> {
  const run = await runActionBundle({
    action,
    inputs: { kubeconfig: cluster.simulator.kubeconfig, timeout: '2m', ...inputs },
    cwd: workspace,
    timeoutMs: 180_000,
  });
  if (run.outcome !== 'success') throw new Error(`${action} failed:\n${run.log}`);
}

async function rollOut(target: SimulatedCluster, object: KubeObject): Promise<void> {
  const applied = await target.apply(object);
  const [result] = await waitForRollouts(
    target.client,
    [
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'default' },
        object: applied,
      },
    ],
    { deadline: new Deadline(60_000, 'the reset'), signal: new AbortController().signal, maxRestarts: 3 },
  );
  if (result?.state !== 'complete') throw new Error(`the reset rollout ended ${result?.state}`);
}
