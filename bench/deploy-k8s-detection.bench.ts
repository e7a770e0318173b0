import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadline } from '../shared/src/async/deadline.ts';
import { createKubernetesClient } from '../shared/src/kubernetes/client/client.ts';
import { resolveKubeconfig } from '../shared/src/kubernetes/client/kubeconfig.ts';
import type { KubeObject } from '../shared/src/kubernetes/object.ts';
import { deploymentStatus } from '../shared/src/kubernetes/rollout/rollout-status.ts';
import { waitForRollouts } from '../shared/src/kubernetes/rollout/rollout-wait.ts';
import { runActionBundle } from '../test/support/action-runner.ts';
import { startKubernetesSimulator } from '../test/support/k8s-simulator/index.ts';
import { median } from './support/stats.ts';

/**
 * Detection latency: how long after the cluster reports a rollout complete deploy-k8s notices.
 * With the simulator's controllers paused, the Deployment's status is written complete at a known
 * instant; measured from there (1) to the exit of the committed bundle, which waits with watches,
 * and, in-process, (2) to the verdict of the same watch-based wait and (3) to the verdict of a
 * wait polling every 2 s, as `kubectl rollout status`-in-a-loop scripts and most actions do.
 */
const ROUNDS = 5;
const POLL_INTERVAL_MS = 2000;
const TARGET_MS = 250;

const simulator = await startKubernetesSimulator();
const workspace = mkdtempSync(join(tmpdir(), 'gantry-detection-'));
const client = await createKubernetesClient(
  await resolveKubeconfig({ input: simulator.kubeconfig, env: {} }),
);
try {
  simulator.behaviour.pauseControllers();
  const action: number[] = [];
  const watch: number[] = [];
  const polling: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    action.push(await actionLatency(`bundle-${round}`));
    watch.push(await inProcessLatency(`watch-${round}`, watchUntilComplete));
    polling.push(await inProcessLatency(`poll-${round}`, pollUntilComplete));
  }
  const exit = median(action);
  console.log(
    `detection latency deploy-k8s: ${exit.toFixed(0)} ms from rollout complete to the action's exit (median of ${ROUNDS}; target < ${TARGET_MS} ms, ${exit < TARGET_MS ? 'meets' : 'MISSES'}) — ` +
      `in-process verdict: watch ${median(watch).toFixed(1)} ms vs polling every 2 s ${median(polling).toFixed(0)} ms ` +
      `(rounds: action ${action.map((ms) => ms.toFixed(0)).join('/')}, polling ${polling.map((ms) => ms.toFixed(0)).join('/')})`,
  );
} finally {
  await client.close();
  await simulator.close();
  rmSync(workspace, { recursive: true, force: true });
}

async function actionLatency(name: string): Promise<number> {
  writeFileSync(join(workspace, `${name}.yaml`), deploymentYaml(name));
  const watchesBefore = simulator.openWatches();
  const running = runActionBundle({
    action: 'deploy-k8s',
    inputs: { kubeconfig: simulator.kubeconfig, manifests: `${name}.yaml`, timeout: '1m' },
    cwd: workspace,
  });
  // The action waits once its watches (Deployments, pods, ReplicaSets) are open.
  await until(() => simulator.openWatches() >= watchesBefore + 3);
  const marked = markComplete(name);
  const run = await running;
  const latency = performance.now() - marked;
  if (run.exitCode !== 0) throw new Error(`the deploy failed:\n${run.log}`);
  return latency;
}

async function inProcessLatency(
  name: string,
  wait: (applied: KubeObject, stop: AbortSignal) => Promise<void>,
): Promise<number> {
  const applied = await client.requestJson<KubeObject>({
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/default/deployments/${name}`,
    query: { fieldManager: 'bench' },
    contentType: 'application/apply-patch+yaml',
    body: JSON.stringify(deploymentObject(name)),
  });
  const stop = new AbortController();
  const waiting = wait(applied, stop.signal);
  // A random moment in the poll cycle, as in real life; the watch is open long before.
  await sleep(200 + Math.random() * POLL_INTERVAL_MS);
  const marked = markComplete(name);
  await waiting;
  const latency = performance.now() - marked;
  stop.abort();
  return latency;
}

async function watchUntilComplete(applied: KubeObject, signal: AbortSignal): Promise<void> {
  const name = applied.metadata?.name ?? '';
  const [result] = await waitForRollouts(
    client,
    [{ ref: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'default' }, object: applied }],
    { deadline: new Deadline(60_000, name), signal, maxRestarts: 3 },
  );
  if (result?.state !== 'complete') throw new Error(`${name}: ${result?.message}`);
}

async function pollUntilComplete(applied: KubeObject, signal: AbortSignal): Promise<void> {
  const path = `/apis/apps/v1/namespaces/default/deployments/${applied.metadata?.name}`;
  for (;;) {
    const live = await client.getObject(path, { signal });
    if (live && deploymentStatus(live).state === 'complete') return;
    await sleep(POLL_INTERVAL_MS, undefined, { signal });
  }
}

/** The status the Deployment controller writes when the rollout is done; returns the instant. */
function markComplete(name: string): number {
  const live = simulator.objects.get('apps/v1', 'Deployment', 'default', name);
  if (!live) throw new Error(`${name} was not applied`);
  const generation = (live.metadata as { generation: number }).generation;
  simulator.objects.updateStatus({
    ...live,
    status: {
      observedGeneration: generation,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  });
  return performance.now();
}

function deploymentObject(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'shop/web:1' }] },
      },
    },
  };
}

function deploymentYaml(name: string): string {
  return JSON.stringify(deploymentObject(name));
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the action never started waiting');
    await sleep(2);
  }
}
