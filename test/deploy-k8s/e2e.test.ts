import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';
import { deploy, errors, imageOf, story, webApp, writeFiles } from './helpers.ts';

/** First deploys, updates and no-ops through the committed bundle against the Kubernetes API simulator. */

let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30 });
  workspace = tempDir('gantry-deploy-k8s-');
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

describe('a first deploy, an image update and a no-op', () => {
  it('creates, then configures, then leaves everything unchanged', async () => {
    writeFiles(workspace.path, { 'k8s/00-namespace.yaml': NAMESPACE, 'k8s/web.yaml': webApp() });

    const first = await deploy(simulator, workspace.path, { manifests: 'k8s', namespace: 'shop' });
    expect({ exit: first.run.exitCode, story: story(first.run) }).toMatchObject({ exit: 0 });
    expect(JSON.parse(first.run.outputs.applied ?? '')).toEqual([
      'Namespace/shop',
      'Service/shop/web',
      'Deployment/shop/web',
    ]);
    expect(JSON.parse(first.run.outputs.revision ?? '')).toEqual({ 'Deployment/shop/web': 1 });
    expect(JSON.parse(first.run.outputs['previous-revision'] ?? '')).toEqual({ 'Deployment/shop/web': null });
    expect(first.run.outputs['rolled-back']).toBe('false');
    expect(first.run.summary).toMatch(/\| Deployment\/shop\/web \| created \|/);
    expect(first.run.summary).toMatch(/\| Deployment\/shop\/web \| rolled out \| 1 \| new \|/);
    // The whole release dry-run first (the objects in the new namespace after it exists), then
    // namespaces, then the Service before the Deployment that it fronts.
    const patches = first.requests
      .filter((request) => request.method === 'PATCH')
      .map((request) => `${request.query.dryRun === 'All' ? 'dry-run ' : ''}${request.path}`);
    expect(patches).toEqual([
      'dry-run /api/v1/namespaces/shop',
      'dry-run /api/v1/namespaces/shop/services/web',
      'dry-run /apis/apps/v1/namespaces/shop/deployments/web',
      '/api/v1/namespaces/shop',
      'dry-run /api/v1/namespaces/shop/services/web',
      'dry-run /apis/apps/v1/namespaces/shop/deployments/web',
      '/api/v1/namespaces/shop/services/web',
      '/apis/apps/v1/namespaces/shop/deployments/web',
    ]);
    expect(first.requests.find((request) => request.method === 'PATCH')?.query).toMatchObject({
      fieldManager: 'gantry',
    });
    expect(JSON.parse(first.run.outputs['object-states'] ?? '')).toEqual({
      'Namespace/shop': 'applied',
      'Service/shop/web': 'applied',
      'Deployment/shop/web': 'applied',
    });
    const live = simulator.objects.get('apps/v1', 'Deployment', 'shop', 'web');
    expect((live?.metadata as { annotations: Record<string, string> }).annotations).toMatchObject({
      'gantry.dev/commit': '3f786850e387550fdab836ed7e6dc881de23001b',
      'gantry.dev/run-url': 'https://github.com/gantry-dev/sample-service/actions/runs/9000000001',
      'gantry.dev/ref': 'refs/heads/main',
      'kubernetes.io/change-cause': expect.stringContaining(
        'gantry deploy-k8s 3f786850e387 from main by gantry-bot',
      ),
    });

    const digest = `registry.example.com:5000/shop/web@sha256:${'c'.repeat(64)}`;
    const second = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      namespace: 'shop',
      images: digest,
    });
    expect({ exit: second.run.exitCode, story: story(second.run) }).toMatchObject({ exit: 0 });
    expect(second.run.summary).toMatch(/\| Deployment\/shop\/web \| configured \|/);
    expect(second.run.summary).toMatch(/\| Service\/shop\/web \| unchanged \|/);
    expect(JSON.parse(second.run.outputs.revision ?? '')).toEqual({ 'Deployment/shop/web': 2 });
    expect(JSON.parse(second.run.outputs['previous-revision'] ?? '')).toEqual({ 'Deployment/shop/web': 1 });
    expect(
      imageOf(
        simulator.objects.get('apps/v1', 'Deployment', 'shop', 'web'),
        'spec',
        'template',
        'spec',
        'containers',
      ),
    ).toBe(digest);

    const third = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      namespace: 'shop',
      images: digest,
    });
    expect({ exit: third.run.exitCode, story: story(third.run) }).toMatchObject({ exit: 0 });
    expect(third.run.summary).toContain('0 created, 0 configured, 3 unchanged');
    expect(JSON.parse(third.run.outputs.revision ?? '')).toEqual({ 'Deployment/shop/web': 2 });
    expectNoSecretLeaks(first.run, [simulator.token]);
    expectNoSecretLeaks(second.run, [simulator.token]);
  });
});

describe('without waiting', () => {
  it('reports the revision the controller has recorded, and null while it has not seen the change', async () => {
    writeFiles(workspace.path, { 'k8s/web.yaml': webApp() });
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s', wait: 'false' });
    expect({ exit: first.run.exitCode, story: story(first.run) }).toMatchObject({ exit: 0 });

    // A controller that lags: the apply's answer still carries revision 1 of the old template.
    simulator.behaviour.pauseControllers();
    const lagging = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      wait: 'false',
      images: 'registry.example.com:5000/shop/web:2.0',
    });
    expect({ exit: lagging.run.exitCode, story: story(lagging.run) }).toMatchObject({ exit: 0 });
    expect(JSON.parse(lagging.run.outputs.revision ?? '')).toEqual({ 'Deployment/default/web': null });

    simulator.behaviour.resumeControllers();
    const observed = (): boolean => {
      const live = simulator.objects.get('apps/v1', 'Deployment', 'default', 'web') as {
        metadata: { generation: number };
        status?: { observedGeneration?: number };
      };
      return live.status?.observedGeneration === live.metadata.generation;
    };
    const giveUpAt = Date.now() + 10_000;
    while (!observed()) {
      if (Date.now() > giveUpAt) throw new Error('the controller never observed the new template');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const again = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      wait: 'false',
      images: 'registry.example.com:5000/shop/web:2.0',
    });
    expect(JSON.parse(again.run.outputs.revision ?? '')).toEqual({ 'Deployment/default/web': 2 });
  });
});

describe('rendering', () => {
  it('substitutes images in CronJobs and init containers on a registry with a port, and defaults namespaces across several', async () => {
    writeFiles(workspace.path, {
      'k8s/jobs.yaml': `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers: [{name: wait, image: "registry.example.com:5000/shop/web:1.0"}]
          containers: [{name: report, image: "registry.example.com:5000/shop/web:1.0"}]
`,
      'k8s/other.yaml': webApp({
        name: 'api',
        namespace: 'payments',
        image: 'registry.example.com/shop/web:1.0',
      }),
      'k8s/ns.yaml': `${NAMESPACE}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n`,
    });
    const image = 'registry.example.com:5000/shop/web:2.0';
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s/*.yaml',
      namespace: 'shop',
      images: image,
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    const cron = simulator.objects.get('batch/v1', 'CronJob', 'shop', 'nightly');
    const podSpec = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    expect(imageOf(cron, ...podSpec, 'containers')).toBe(image);
    expect(imageOf(cron, ...podSpec, 'initContainers')).toBe(image);
    // Another registry (no port) is another image: left alone.
    expect(
      imageOf(
        simulator.objects.get('apps/v1', 'Deployment', 'payments', 'api'),
        'spec',
        'template',
        'spec',
        'containers',
      ),
    ).toBe('registry.example.com/shop/web:1.0');
    // In the order applied: namespaces, then the Service before its Deployment, CronJobs after.
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([
      'Namespace/shop',
      'Namespace/payments',
      'Service/payments/api',
      'Deployment/payments/api',
      'CronJob/shop/nightly',
    ]);
  });

  it('applies a CustomResourceDefinition, waits until it is established, then its custom resource', async () => {
    writeFiles(workspace.path, {
      'crd.yaml': `apiVersion: example.com/v1
kind: Widget
metadata: {name: gizmo}
spec: {size: 3, colour: blue}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
`,
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'crd.yaml' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    const writes = requests
      .filter((request) => request.method === 'PATCH' && request.query.dryRun !== 'All')
      .map((request) => request.path);
    expect(writes).toEqual([
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
      '/apis/example.com/v1/namespaces/default/widgets/gizmo',
    ]);
    expect(simulator.objects.get('example.com/v1', 'Widget', 'default', 'gizmo')?.spec).toEqual({
      size: 3,
      colour: 'blue',
    });

    // Again: the CRD now exists, so a custom resource of it alone is found by discovery.
    writeFiles(workspace.path, {
      'cr.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: other}\nspec: {size: 1}\n',
    });
    const again = await deploy(simulator, workspace.path, { manifests: 'cr.yaml' });
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.requests.some((request) => request.path === '/apis/example.com/v1')).toBe(true);
  });
});

describe('dry run', () => {
  it('shows a diff per object with Secret values masked, and changes nothing', async () => {
    const secret = (value: string): string =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: ${value}}\n`;
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp(),
      'k8s/secret.yaml': secret('first-password-value'),
    });
    expect((await deploy(simulator, workspace.path, { manifests: 'k8s' })).run.exitCode).toBe(0);
    const before = simulator.objects.get('apps/v1', 'Deployment', 'default', 'web');

    writeFiles(workspace.path, {
      'k8s/secret.yaml': secret('second-password-value'),
      'k8s/new.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {a: b}\n',
    });
    const { run, requests } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      'dry-run': 'true',
      images: 'registry.example.com:5000/shop/web:2.0',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(
      requests
        .filter((request) => request.method === 'PATCH')
        .every((request) => request.query.dryRun === 'All'),
    ).toBe(true);
    expect(simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.metadata).toEqual(
      before?.metadata,
    );
    expect(simulator.objects.get('v1', 'ConfigMap', 'default', 'extra')).toBeUndefined();
    expect(run.summary).toContain('Nothing was changed.');
    expect(run.summary).toMatch(/\| Deployment\/default\/web \| would be configured \|/);
    expect(run.summary).toMatch(/\| ConfigMap\/default\/extra \| would be created \|/);
    expect(run.summary).toMatch(/\| Service\/default\/web \| unchanged \|/);
    expect(run.summary).toMatch(
      /\n- +image: registry.example.com:5000\/shop\/web:1.0\n\+ +image: registry.example.com:5000\/shop\/web:2.0\n/,
    );
    expect(run.summary).toContain('*** (before)');
    expect(run.summary).not.toContain('managedFields');
    expect(run.log).toMatch(/\+ +image: registry.example.com:5000\/shop\/web:2.0/);
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([]);
    // Secret values in the manifests are masked as soon as they are read, and never printed.
    expect(run.masks).toContain('second-password-value');
    expectNoSecretLeaks(run, ['first-password-value', 'second-password-value', simulator.token]);
  });
});

describe('bad inputs through the bundle', () => {
  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    [
      'broken YAML',
      { manifests: 'bad.yaml' },
      { 'bad.yaml': 'kind: [\n' },
      /Invalid configuration: Manifest bad.yaml, document 1: it is not valid YAML/,
    ],
    [
      'an unknown kind',
      { manifests: 'bad.yaml' },
      { 'bad.yaml': 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n' },
      /did you mean Deployment/,
    ],
    [
      'a bad duration',
      { manifests: 'ok.yaml', timeout: '5 mins' },
      { 'ok.yaml': webApp() },
      /Input "timeout" has an invalid value "5 mins"/,
    ],
    [
      'a kubeconfig that is not one',
      { manifests: 'ok.yaml', kubeconfig: 'just some text' },
      { 'ok.yaml': webApp() },
      /Input "kubeconfig" is neither kubeconfig YAML nor base64 of it/,
    ],
    [
      'a kubeconfig naming a missing context',
      { manifests: 'ok.yaml', context: 'prod' },
      { 'ok.yaml': webApp() },
      /Input "context" names "prod", which is not a context/,
    ],
  ])('%s: a clear error, nothing sent', async (_name, inputs, files, message) => {
    writeFiles(workspace.path, files);
    const { run, requests } = await deploy(simulator, workspace.path, inputs);
    expect(run.exitCode).toBe(1);
    expect(
      errors(run)
        .map((annotation) => annotation.message)
        .join('\n'),
    ).toMatch(message);
    expect(requests).toEqual([]);
    expect(run.log).not.toMatch(/\n\s+at /);
  });
});
