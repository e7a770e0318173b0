import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startKubernetesSimulator } from '../test/support/k8s-simulator/index.ts';

/**
 * The deploy-k8s demo: a sample service (namespace, config, Deployment, Service, a migration Job)
 * deployed to the Kubernetes API simulator by the committed bundle, run as GitHub would run it;
 * then a second release whose image cannot be pulled, to show the diagnosis and the automatic
 * rollback.
 */
const simulator = await startKubernetesSimulator({ readyDelayMs: 300 });
const workspace = mkdtempSync(join(tmpdir(), 'gantry-demo-deploy-k8s-'));
const REGISTRY = 'registry.example.com:5000/shop';

writeFileSync(
  join(workspace, 'shop.yaml'),
  `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {LOG_LEVEL: info}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${REGISTRY}/web:latest
        envFrom: [{configMapRef: {name: web-config}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
);
// A Job's pod template cannot change once created, so each release runs its own migration Job.
writeFileSync(
  join(workspace, 'migrate.yaml'),
  `apiVersion: batch/v1
kind: Job
metadata: {name: migrate-1}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: ${REGISTRY}/web:latest, args: [npm, run, migrate]}]
`,
);

try {
  const healthy = await release(
    'a healthy release',
    'shop.yaml, migrate.yaml',
    `${REGISTRY}/web@sha256:${'4'.repeat(64)}`,
  );
  simulator.behaviour.unpullableImage(`${REGISTRY}/web:2.0.0-rc1`);
  const broken = await release(
    'a release whose image cannot be pulled',
    'shop.yaml',
    `${REGISTRY}/web:2.0.0-rc1`,
  );
  const asExpected =
    healthy.exitCode === 0 && broken.exitCode === 1 && broken.outputs['rolled-back'] === 'true';
  console.log(
    asExpected
      ? '\nDemo finished: the healthy release rolled out; the broken one was diagnosed and rolled back.'
      : '\nDemo FAILED: unexpected results.',
  );
  process.exitCode = asExpected ? 0 : 1;
} finally {
  await simulator.close();
  rmSync(workspace, { recursive: true, force: true });
}

async function release(title: string, manifests: string, image: string): Promise<ActionRun> {
  console.log(`\n=== deploy-k8s: ${title} (${image}) ===\n`);
  const run = await runActionBundle({
    action: 'deploy-k8s',
    inputs: { kubeconfig: simulator.kubeconfig, manifests, namespace: 'shop', images: image, timeout: '2m' },
    cwd: workspace,
    timeoutMs: 180_000,
  });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  console.log('\n--- outputs ---');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`);
  return run;
}
