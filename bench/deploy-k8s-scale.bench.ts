import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKubernetesClient } from '../shared/src/kubernetes/client/client.ts';
import { resolveKubeconfig } from '../shared/src/kubernetes/client/kubeconfig.ts';
import { deploymentStatus } from '../shared/src/kubernetes/rollout/rollout-status.ts';
import { runActionBundle } from '../test/support/action-runner.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../test/support/k8s-simulator/index.ts';

/**
 * Scale: a release of 200 manifests (50 Deployments, each with a Service, a ConfigMap and a
 * Secret) applied and waited for by the committed bundle, against the simulator. Reported: wall
 * time next to the time the simulated controllers alone need for the same rollouts (applied by a
 * bare client, completion read straight from the simulator's store), and the API calls made, by
 * verb, at two sizes, to show they grow linearly with the objects.
 */
const SIZES = [12, 50];

for (const deployments of SIZES) {
  const objects = deployments * 4;
  const baseline = await rolloutOnly(deployments);
  const { wallMs, calls } = await viaAction(deployments);
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  console.log(
    `scale deploy-k8s ${objects} manifests (${deployments} Deployments): ${(wallMs / 1000).toFixed(2)} s wall, ` +
      `${(wallMs / baseline).toFixed(2)}x the ${(baseline / 1000).toFixed(2)} s the simulated rollouts take alone; ` +
      `${total} API calls (${(total / objects).toFixed(2)} per object: ${Object.entries(calls)
        .map(([verb, count]) => `${count} ${verb}`)
        .join(', ')})`,
  );
}

async function viaAction(deployments: number): Promise<{ wallMs: number; calls: Record<string, number> }> {
  const simulator = await startKubernetesSimulator();
  const workspace = mkdtempSync(join(tmpdir(), 'gantry-scale-'));
  try {
    writeFileSync(
      join(workspace, 'release.yaml'),
      release(deployments)
        .map((object) => JSON.stringify(object))
        .join('\n---\n'),
    );
    const started = performance.now();
    const run = await runActionBundle({
      action: 'deploy-k8s',
      inputs: { kubeconfig: simulator.kubeconfig, manifests: 'release.yaml', timeout: '5m' },
      cwd: workspace,
      timeoutMs: 300_000,
    });
    const wallMs = performance.now() - started;
    if (run.exitCode !== 0) throw new Error(`the deploy failed:\n${run.log}`);
    return { wallMs, calls: countCalls(simulator) };
  } finally {
    await simulator.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The same release applied by a bare client, with completion read from the simulator's store: no watches, no action. */
async function rolloutOnly(deployments: number): Promise<number> {
  const simulator = await startKubernetesSimulator();
  const client = await createKubernetesClient(
    await resolveKubeconfig({ input: simulator.kubeconfig, env: {} }),
  );
  try {
    const started = performance.now();
    for (const object of release(deployments)) {
      const plural = {
        Deployment: 'deployments',
        Service: 'services',
        ConfigMap: 'configmaps',
        Secret: 'secrets',
      }[object.kind];
      const group = object.kind === 'Deployment' ? '/apis/apps/v1' : '/api/v1';
      await client.requestJson({
        method: 'PATCH',
        path: `${group}/namespaces/default/${plural}/${object.metadata.name}`,
        query: { fieldManager: 'bench' },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(object),
      });
    }
    while (!allComplete(simulator)) await sleep(5);
    return performance.now() - started;
  } finally {
    await client.close();
    await simulator.close();
  }
}

function allComplete(simulator: KubernetesSimulator): boolean {
  return simulator.objects
    .list('apps/v1', 'Deployment', 'default')
    .every((deployment) => deploymentStatus(deployment).state === 'complete');
}

function countCalls(simulator: KubernetesSimulator): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const request of simulator.requests) {
    const verb = request.query.watch === 'true' ? 'WATCH' : request.method;
    calls[verb] = (calls[verb] ?? 0) + 1;
  }
  return calls;
}

interface Manifest {
  apiVersion: string;
  kind: 'Deployment' | 'Service' | 'ConfigMap' | 'Secret';
  metadata: { name: string };
  [key: string]: unknown;
}

function release(deployments: number): Manifest[] {
  return Array.from({ length: deployments }, (_, index): Manifest[] => {
    const name = `svc-${String(index).padStart(2, '0')}`;
    const labels = { app: name };
    return [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { LOG_LEVEL: 'info' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { TOKEN: `token-${index}` } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { selector: labels, ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: `registry.example.com:5000/shop/${name}:1.0` }] },
          },
        },
      },
    ];
  }).flat();
}
