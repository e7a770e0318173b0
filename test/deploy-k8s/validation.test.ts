import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import type { RecordedRequest } from '../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';
import { deploy, imageOf, story, webApp, writeFiles } from './helpers.ts';

/**
 * Bad input changes nothing: the whole release is dry-run by the API server before the first write,
 * and a write that still fails part-way rolls back what it changed and says where every object is.
 */

let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30, backOffMs: 50 });
  workspace = tempDir('gantry-deploy-k8s-validation-');
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const V1 = 'registry.example.com:5000/shop/web:1.0';
const V2 = 'registry.example.com:5000/shop/web:2.0';

const SUPPORT = `apiVersion: v1
kind: Secret
metadata: {name: db}
data: {password: c2VjcmV0LXBhc3N3b3Jk}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: production}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
`;

const job = (podSpec = ''): string => `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:${podSpec}
      containers:
      - name: migrate
        image: registry.example.com:5000/shop/migrate:1.0
`;

/** Requests that could have changed something: writes that are not dry runs. */
function writes(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((request) => request.method !== 'GET' && request.query.dryRun !== 'All')
    .map((request) => `${request.method} ${request.path}`);
}

const liveImage = (): string | undefined =>
  imageOf(
    simulator.objects.get('apps/v1', 'Deployment', 'default', 'web'),
    'spec',
    'template',
    'spec',
    'containers',
  );

async function firstRelease(): Promise<void> {
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp({ image: V1 }) });
  const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
  expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
}

describe('a release the API server refuses changes nothing', () => {
  it('a Job without restartPolicy: refused by the dry run, no write sent, every object not applied', async () => {
    await firstRelease();
    const generation = simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.metadata;
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V2 }),
      'k8s/support.yaml': SUPPORT,
      'k8s/job.yaml': job(),
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain(
      'The API server rejected Job/default/migrate (k8s/job.yaml, document 1): spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
    expect(run.summary).toContain('Nothing was changed.');
    expect(writes(requests)).toEqual([]);
    expect(liveImage()).toBe(V1);
    expect(simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.metadata).toEqual(generation);
    expect(simulator.objects.get('v1', 'Secret', 'default', 'db')).toBeUndefined();
    expect(
      simulator.objects.get('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'web'),
    ).toBeUndefined();
    expect(run.outputs['rolled-back']).toBe('false');
    expect(JSON.parse(run.outputs['object-states'] ?? '')).toEqual({
      'Secret/default/db': 'not-applied',
      'ConfigMap/default/settings': 'not-applied',
      'Service/default/web': 'not-applied',
      'Deployment/default/web': 'not-applied',
      'HorizontalPodAutoscaler/default/web': 'not-applied',
      'Job/default/migrate': 'not-applied',
    });
    expect(run.summary).toMatch(/\| Job\/default\/migrate \| {2}\| not applied \|/);
  });

  it('a ConfigMap in a namespace nothing creates: 404 from the dry run names the namespace', async () => {
    await firstRelease();
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V2 }),
      'k8s/cfg.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: nowhere}\ndata: {a: b}\n',
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain(
      'Cannot apply ConfigMap/nowhere/cfg (k8s/cfg.yaml, document 1): namespaces "nowhere" not found',
    );
    expect(run.log).toContain('create namespace nowhere first, or add a Namespace to the manifests');
    expect(writes(requests)).toEqual([]);
    expect(liveImage()).toBe(V1);
  });

  it('a volumeMount naming no volume: 422 from the dry run, the Deployment left as it was', async () => {
    await firstRelease();
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V2 }).replace(
        'ports: [{containerPort: 8080}]',
        'ports: [{containerPort: 8080}]\n        volumeMounts: [{name: config, mountPath: /etc/web}]',
      ),
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain('spec.template.spec.containers[0].volumeMounts[0].name: Not found: "config"');
    expect(writes(requests)).toEqual([]);
    expect(liveImage()).toBe(V1);
  });

  it('Secret data that is not base64: refused before any request, naming the file and key, not the value', async () => {
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V2 }),
      'k8s/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: plain-text-password}\n',
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain(
      'Manifest k8s/secret.yaml, document 1: Secret "db" data.password is not base64, so the API server would refuse the Secret.',
    );
    expect(run.log).not.toContain('plain-text-password');
    expect(requests).toEqual([]);
  });

  it('objects in a namespace the release creates are dry-run once it exists, before anything else is written', async () => {
    writeFiles(workspace.path, {
      'k8s/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
      'k8s/web.yaml': webApp({ image: V1, namespace: 'shop' }),
      'k8s/job.yaml': job().replace(
        'metadata: {name: migrate}',
        'metadata: {name: migrate, namespace: shop}',
      ),
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain('The API server rejected Job/shop/migrate');
    expect(writes(requests)).toEqual(['PATCH /api/v1/namespaces/shop']);
    expect(run.summary).toContain(
      'Only Namespace/shop was applied, which the refused objects needed to be checked.',
    );
    expect(simulator.objects.list('apps/v1', 'Deployment', 'shop')).toEqual([]);
    expect(JSON.parse(run.outputs['object-states'] ?? '')).toEqual({
      'Namespace/shop': 'applied',
      'Service/shop/web': 'not-applied',
      'Deployment/shop/web': 'not-applied',
      'Job/shop/migrate': 'not-applied',
    });
  });
});

describe('a kind the cluster does not know', () => {
  it('names the kind and the manifest file, and sends no write', async () => {
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V1 }),
      'k8s/vpa.yaml': `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: web}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
`,
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain(
      'Manifest k8s/vpa.yaml, document 1: VerticalPodAutoscaler "web" (autoscaling.k8s.io/v1) is a kind the cluster does not know: it does not serve autoscaling.k8s.io/v1 at all, and no CustomResourceDefinition in the manifests defines VerticalPodAutoscaler.',
    );
    expect(writes(requests)).toEqual([]);
  });
});

describe('a write that fails part-way', () => {
  it('rolls back the workloads it changed and reports each object as applied, rolled back or not applied', async () => {
    await firstRelease();
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: V2 }),
      'k8s/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
    });
    // The dry run passes; the write of the Ingress, after the Deployment's, is refused.
    simulator.faults.inject({ method: 'PATCH', path: /ingresses\/web$/, status: 403, writesOnly: true });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain('Not allowed to apply Ingress/default/web');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(JSON.parse(run.outputs['object-states'] ?? '')).toEqual({
      'Service/default/web': 'unchanged',
      'Deployment/default/web': 'rolled-back',
      'Ingress/default/web': 'not-applied',
    });
    expect(run.summary).toMatch(/\| Deployment\/default\/web \| configured \| rolled back \|/);
    expect(liveImage()).toBe(V1);
    expect(simulator.objects.get('networking.k8s.io/v1', 'Ingress', 'default', 'web')).toBeUndefined();
  });
});

describe('what the API server and the manifests warn about', () => {
  it('shows each API warning once, naming the object, and warns of ${VAR} left in a manifest', async () => {
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({ image: 'registry.example.com:5000/shop/web:${IMAGE_TAG}' }),
      'k8s/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {kubernetes.io/ingress.class: nginx}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
    });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s', wait: 'false' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    const warnings = run.annotations.filter((annotation) => annotation.level === 'warning');
    const api = warnings.filter((annotation) => annotation.properties.title === 'Kubernetes API warning');
    expect(api.map((annotation) => annotation.message)).toEqual([
      `Ingress/default/web (k8s/ingress.yaml, document 1): annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`,
    ]);
    const placeholders = warnings.filter(
      (annotation) => annotation.properties.title === 'Unsubstituted placeholder',
    );
    expect(placeholders.map((annotation) => annotation.message)).toEqual([
      'Deployment/default/web (k8s/web.yaml, document 1) still holds ${IMAGE_TAG}: did an envsubst step not run?',
    ]);
    expect(run.summary).toContain('Kubernetes API warnings');
  });
});
