import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApisApi,
  AppsApi,
  CoreApi,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { startKubernetesSimulator, type JsonObject, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, eventuallyFails, failure, type Clients } from './test-clients.ts';

/** The REST surface through the real client: discovery, authentication, Status errors, CRUD, patches, dry-run, faults. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeAll(async () => {
  simulator = await startKubernetesSimulator();
  clients = clientsFor(simulator);
});

afterAll(() => simulator.close());

function deployment(
  name: string,
  image = 'nginx:1.25',
  extra: Partial<V1Deployment['spec']> = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...extra,
    },
  };
}

function configMap(name: string, data: Record<string, string> = { key: 'value' }): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels: { set: 'a' } },
    data,
  };
}

describe('discovery', () => {
  it('lists the core version, the groups and the resources of each group version', async () => {
    const core = await clients.config.makeApiClient(CoreApi).getAPIVersions();
    expect(core.versions).toEqual(['v1']);
    const groups = await clients.config.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map((group) => group.name)).toEqual(
      expect.arrayContaining(['apps', 'batch', 'apiextensions.k8s.io']),
    );
    const apps = await clients.config.makeApiClient(AppsApi).getAPIGroup();
    expect(apps.preferredVersion?.groupVersion).toBe('apps/v1');

    const resources = await clients.apps.getAPIResources();
    expect(resources.groupVersion).toBe('apps/v1');
    const deployments = resources.resources.find((resource) => resource.name === 'deployments');
    expect(deployments).toMatchObject({ kind: 'Deployment', namespaced: true, shortNames: ['deploy'] });
    expect(deployments?.verbs).toEqual(
      expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
    );
    expect(resources.resources.map((resource) => resource.name)).toContain('deployments/status');

    const coreResources = await clients.core.getAPIResources();
    expect(coreResources.resources.find((resource) => resource.name === 'namespaces')).toMatchObject({
      namespaced: false,
    });
    expect(coreResources.resources.find((resource) => resource.name === 'pods/log')).toMatchObject({
      kind: 'Pod',
      verbs: ['get'],
    });
  });

  it('reports a server version', async () => {
    const version = await clients.config.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('lets KubernetesObjectApi map kinds to paths, caching the resource list of a group version', async () => {
    const before = simulator.requests.length;
    await clients.objects.list('apps/v1', 'Deployment', 'default');
    await clients.objects.list('apps/v1', 'StatefulSet', 'default');
    const sent = simulator.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(sent).toEqual([
      'GET /apis/apps/v1',
      'GET /apis/apps/v1/namespaces/default/deployments',
      'GET /apis/apps/v1/namespaces/default/statefulsets',
    ]);
  });
});

describe('authentication', () => {
  it('answers 401 with an Unauthorized Status to a request without the bearer token', async () => {
    const config = new KubeConfig();
    config.loadFromString(simulator.kubeconfig.replace(simulator.token, 'not-the-token'));
    // The generated clients drop the body of a 401; KubernetesObjectApi keeps it.
    expect((await failure(config.makeApiClient(CoreV1Api).listNamespace())).code).toBe(401);
    const error = await failure(KubernetesObjectApi.makeApiClient(config).list('v1', 'Namespace'));
    expect(error.code).toBe(401);
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(simulator.requests.at(-1)).toMatchObject({ path: '/api/v1', authenticated: false, status: 401 });
  });

  it('serves HTTPS with a certificate only the kubeconfig CA vouches for', async () => {
    const config = new KubeConfig();
    config.loadFromString(simulator.kubeconfig);
    expect(config.getCurrentCluster()?.server).toBe(simulator.server);
    expect(simulator.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(`${simulator.server}/version`)).rejects.toThrow();
  });
});

describe('Status errors', () => {
  it('answers 404 NotFound naming the resource and group', async () => {
    const error = await failure(
      clients.apps.readNamespacedDeployment({ name: 'missing', namespace: 'default' }),
    );
    expect(error.code).toBe(404);
    expect(error.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'deployments.apps "missing" not found',
      details: { name: 'missing', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('answers 404 for a namespace that does not exist', async () => {
    const body = { ...configMap('x'), metadata: { name: 'x', namespace: 'nowhere' } };
    const error = await failure(clients.core.createNamespacedConfigMap({ namespace: 'nowhere', body }));
    expect(error.status).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
      code: 404,
    });
  });

  it('answers 409 AlreadyExists and 409 Conflict for a stale resourceVersion', async () => {
    const created = await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('twice'),
    });
    const again = await failure(
      clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('twice') }),
    );
    expect(again.status).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "twice" already exists',
    });

    await clients.core.replaceNamespacedConfigMap({
      name: 'twice',
      namespace: 'default',
      body: { ...created, data: { key: 'new' } },
    });
    const stale = await failure(
      clients.core.replaceNamespacedConfigMap({
        name: 'twice',
        namespace: 'default',
        body: { ...created, data: { key: 'old' } },
      }),
    );
    expect(stale.status).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on configmaps "twice": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('answers 422 Invalid with a cause per field', async () => {
    const noImage = deployment('no-image');
    delete noImage.spec!.template.spec!.containers[0]!.image;
    const error = await failure(
      clients.apps.createNamespacedDeployment({ namespace: 'default', body: noImage }),
    );
    expect(error.code).toBe(422);
    expect(error.status).toMatchObject({
      reason: 'Invalid',
      message:
        'Deployment.apps "no-image" is invalid: spec.template.spec.containers[0].image: Required value',
      details: {
        name: 'no-image',
        group: 'apps',
        kind: 'Deployment',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.template.spec.containers[0].image',
          },
        ],
      },
    });

    const badName = await failure(
      clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('Bad_Name') }),
    );
    expect(badName.status.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
    });
    expect(badName.status.message).toContain(
      'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );

    const noName = await failure(
      clients.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: {}, data: {} } }),
    );
    expect(noName.status.message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );

    const mismatch = deployment('mismatch');
    mismatch.spec!.template.metadata!.labels = { app: 'other' };
    const selector = await failure(
      clients.apps.createNamespacedDeployment({ namespace: 'default', body: mismatch }),
    );
    expect(selector.status.message).toContain('`selector` does not match template `labels`');
  });
});

describe('objects', () => {
  it('keeps a cluster-wide resourceVersion and bumps generation only for spec changes', async () => {
    const created = await clients.apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('gen'),
    });
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const labelled = await clients.apps.patchNamespacedDeployment(
      { name: 'gen', namespace: 'default', body: { metadata: { labels: { extra: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelled.metadata?.generation).toBe(1);
    expect(Number(labelled.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    const scaled = await clients.apps.patchNamespacedDeployment(
      { name: 'gen', namespace: 'default', body: { spec: { replicas: 2 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.spec?.progressDeadlineSeconds).toBe(600);
    expect(scaled.spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(scaled.spec?.template.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
    });
  });

  it('lists with label and field selectors and refuses a field the kind does not support', async () => {
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('list-a') });
    await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { ...configMap('list-b'), metadata: { name: 'list-b', labels: { set: 'b' } } },
    });
    const bySet = await clients.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'set=b',
    });
    expect(bySet.items.map((item) => item.metadata?.name)).toEqual(['list-b']);
    const notA = await clients.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'set in (b),set!=a',
    });
    expect(notA.items.map((item) => item.metadata?.name)).toEqual(['list-b']);
    const byName = await clients.core.listNamespacedConfigMap({
      namespace: 'default',
      fieldSelector: 'metadata.name=list-a',
    });
    expect(byName.items.map((item) => item.metadata?.name)).toEqual(['list-a']);
    expect(Number(byName.metadata?.resourceVersion)).toBeGreaterThan(0);

    const error = await failure(
      clients.core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'data.key=value' }),
    );
    expect(error.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: data.key',
    });
  });

  it('pages a list with limit and continue', async () => {
    for (const name of ['page-1', 'page-2', 'page-3']) {
      await clients.core.createNamespace({ body: { metadata: { name } } });
    }
    const first = await clients.core.listNamespace({
      limit: 2,
      labelSelector: 'kubernetes.io/metadata.name in (page-1,page-2,page-3)',
    });
    expect(first.items.map((item) => item.metadata?.name)).toEqual(['page-1', 'page-2']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const rest = await clients.core.listNamespace({
      limit: 2,
      labelSelector: 'kubernetes.io/metadata.name in (page-1,page-2,page-3)',
      _continue: first.metadata?._continue,
    });
    expect(rest.items.map((item) => item.metadata?.name)).toEqual(['page-3']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('stores nothing on dryRun=All, yet validates and returns the result', async () => {
    const before = simulator.objects.list('v1', 'Pod', 'default').length;
    const dry = await clients.apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('dry'),
      dryRun: 'All',
    });
    expect(dry.metadata?.uid).toBeDefined();
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(dry.spec?.revisionHistoryLimit).toBe(10);
    await failure(clients.apps.readNamespacedDeployment({ name: 'dry', namespace: 'default' }));

    const applied = await clients.objects.patch(
      deployment('dry-apply'),
      undefined,
      'All',
      'gantry',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe('gantry');
    expect(simulator.objects.get('apps/v1', 'Deployment', 'default', 'dry-apply')).toBeUndefined();

    const invalid = deployment('dry-invalid');
    invalid.spec!.template.spec!.containers[0]!.image = '';
    const error = await failure(
      clients.apps.createNamespacedDeployment({ namespace: 'default', body: invalid, dryRun: 'All' }),
    );
    expect(error.code).toBe(422);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulator.objects.list('v1', 'Pod', 'default').length).toBe(before);
  });

  it('lets a test seed and change objects directly, through the same write path', async () => {
    const service = simulator.objects.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'seeded' },
      spec: { selector: { app: 'seeded' }, ports: [{ port: 80 }] },
    });
    expect(service.spec).toMatchObject({ type: 'ClusterIP', clusterIP: expect.stringMatching(/^10\.96\./) });
    const read = await clients.core.readNamespacedService({ name: 'seeded', namespace: 'default' });
    expect(read.spec?.ports?.[0]).toMatchObject({ port: 80, targetPort: 80, protocol: 'TCP' });
    expect(read.metadata?.managedFields?.[0]?.manager).toBe('simulator');

    const changed = simulator.objects.update(
      { ...service, metadata: { ...(service.metadata as object), labels: { edited: 'yes' } } },
      'someone-else',
    );
    expect(Number((changed.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(
      Number((service.metadata as { resourceVersion: string }).resourceVersion),
    );
    const balanced = simulator.objects.updateStatus({
      ...changed,
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
    });
    expect((balanced.metadata as { labels: unknown }).labels).toEqual({ edited: 'yes' });
    const status = await clients.core.readNamespacedServiceStatus({ name: 'seeded', namespace: 'default' });
    expect(status.status?.loadBalancer?.ingress?.[0]?.ip).toBe('203.0.113.10');
    simulator.objects.delete('v1', 'Service', 'default', 'seeded');
    expect(simulator.objects.get('v1', 'Service', 'default', 'seeded')).toBeUndefined();
  });

  it('deletes with propagation: dependents go by default and stay orphaned on request', async () => {
    await clients.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('cascade') });
    const replicaSet = await eventually('a ReplicaSet', () =>
      simulator.objects
        .list('apps/v1', 'ReplicaSet', 'default')
        .find((item) => item.metadata && (item.metadata as { name: string }).name.startsWith('cascade-')),
    );
    const status = await clients.apps.deleteNamespacedDeployment({ name: 'cascade', namespace: 'default' });
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'cascade', group: 'apps', kind: 'deployments' },
    });
    const name = (replicaSet.metadata as { name: string }).name;
    expect(simulator.objects.get('apps/v1', 'ReplicaSet', 'default', name)).toBeUndefined();

    await clients.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('orphans') });
    const kept = await eventually('a ReplicaSet', () =>
      simulator.objects
        .list('apps/v1', 'ReplicaSet', 'default')
        .find((item) => (item.metadata as { name: string }).name.startsWith('orphans-')),
    );
    await clients.apps.deleteNamespacedDeployment({
      name: 'orphans',
      namespace: 'default',
      propagationPolicy: 'Orphan',
    });
    const orphan = simulator.objects.get(
      'apps/v1',
      'ReplicaSet',
      'default',
      (kept.metadata as { name: string }).name,
    );
    expect((orphan?.metadata as { ownerReferences?: unknown[] }).ownerReferences).toEqual([]);
  });
});

describe('patches', () => {
  it('applies a JSON merge patch, where null deletes', async () => {
    await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('merge', { a: '1', b: '2' }),
    });
    const patched = await clients.core.patchNamespacedConfigMap(
      { name: 'merge', namespace: 'default', body: { data: { a: null, c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ b: '2', c: '3' });
    expect(simulator.requests.at(-1)?.contentType).toBe('application/merge-patch+json');
  });

  it('applies a JSON patch, the generated clients’ default patch type, and answers 422 when an operation fails', async () => {
    await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('json-patch', { a: '1' }),
    });
    const patched = await clients.core.patchNamespacedConfigMap({
      name: 'json-patch',
      namespace: 'default',
      body: [
        { op: 'add', path: '/data/b', value: '2' },
        { op: 'replace', path: '/data/a', value: 'one' },
      ],
    });
    expect(patched.data).toEqual({ a: 'one', b: '2' });
    expect(simulator.requests.at(-1)?.contentType).toBe('application/json-patch+json');
    const error = await failure(
      clients.core.patchNamespacedConfigMap({
        name: 'json-patch',
        namespace: 'default',
        body: [{ op: 'replace', path: '/data/missing', value: 'x' }],
      }),
    );
    expect(error.code).toBe(422);
  });

  it('applies a strategic merge patch that merges containers by name', async () => {
    const body = deployment('strategic');
    body.spec!.template.spec!.containers.push({ name: 'sidecar', image: 'busybox:1.36' });
    await clients.apps.createNamespacedDeployment({ namespace: 'default', body });
    const patched = await clients.apps.patchNamespacedDeployment(
      {
        name: 'strategic',
        namespace: 'default',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'app', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(
      patched.spec?.template.spec?.containers.map((container) => `${container.name}=${container.image}`),
    ).toEqual(['app=nginx:1.26', 'sidecar=busybox:1.36']);
    expect(patched.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'A', value: '1' }]);
    expect(patched.metadata?.generation).toBe(2);
  });

  it('refuses force on a patch that is not an apply, and an unknown patch type', async () => {
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('forced') });
    const forced = await failure(
      clients.core.patchNamespacedConfigMap(
        { name: 'forced', namespace: 'default', body: { data: { a: 'b' } }, force: true },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(forced.status.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
    const unknown = await failure(
      clients.core.patchNamespacedConfigMap(
        { name: 'forced', namespace: 'default', body: { data: { a: 'b' } } },
        setHeaderOptions('Content-Type', 'application/x-nonsense'),
      ),
    );
    expect(unknown.status).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
  });
});

describe('injected faults', () => {
  it('answers 429 with Retry-After for the next matching requests, then normally', async () => {
    simulator.faults.inject({
      path: /\/configmaps$/,
      method: 'GET',
      status: 429,
      retryAfterSeconds: 3,
      times: 2,
    });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failure(clients.core.listNamespacedConfigMap({ namespace: 'default' }));
      expect(error.code).toBe(429);
      expect(error.headers['retry-after']).toBe('3');
      expect(error.status).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
    }
    await clients.core.listNamespacedConfigMap({ namespace: 'default' });
    expect(simulator.requests.slice(-3).map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('answers only the requests whose query has the given parameters', async () => {
    simulator.faults.inject({ path: /\/configmaps$/, query: { labelSelector: 'tier=web' }, status: 403 });
    await clients.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier=db' });
    await clients.core.listNamespacedConfigMap({ namespace: 'default' });
    const refused = await failure(
      clients.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier=web' }),
    );
    expect(refused.code).toBe(403);
    await clients.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier=web' });
    expect(simulator.requests.slice(-4).map((request) => request.status)).toEqual([200, 200, 403, 200]);
  });

  it('answers 500 and 503, and resets connections', async () => {
    simulator.faults.inject({ status: 500 });
    expect((await failure(clients.core.listNamespace())).status).toMatchObject({
      code: 500,
      reason: 'InternalError',
    });
    simulator.faults.inject({ status: 503 });
    expect((await failure(clients.core.listNamespace())).status).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
    });
    simulator.faults.inject({ resetConnection: true });
    await expect(clients.core.listNamespace()).rejects.toThrow();
    await clients.core.listNamespace();
  });
});

describe('custom resources', () => {
  const definition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { status: {} },
        },
      ],
    },
  };

  it('serves a kind once its definition is established, and stops when it is deleted', async () => {
    await clients.objects.patch(
      definition,
      undefined,
      undefined,
      'gantry',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    const established = await eventually('the definition to be established', () => {
      const stored = simulator.objects.get(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        '',
        'widgets.example.com',
      );
      const conditions =
        (stored?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      return (
        conditions.some((condition) => condition.type === 'Established' && condition.status === 'True') &&
        stored
      );
    });
    expect((established.status as { acceptedNames: unknown }).acceptedNames).toMatchObject({
      kind: 'Widget',
      listKind: 'WidgetList',
    });

    const widget: KubernetesObject & { spec: JsonObject } = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'first', namespace: 'default' },
      spec: { size: 3, colours: ['red', 'blue'] },
    };
    const applied = await clients.objects.patch(
      widget,
      undefined,
      undefined,
      'gantry',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(applied).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 3 } });
    expect(applied.metadata?.generation).toBe(1);

    // With a status subresource, status is written only through /status, and does not bump generation.
    const withStatus = await clients.custom.patchNamespacedCustomObjectStatus(
      {
        group: 'example.com',
        version: 'v1',
        namespace: 'default',
        plural: 'widgets',
        name: 'first',
        body: { status: { ready: true } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(withStatus).toMatchObject({ status: { ready: true }, metadata: { generation: 1 } });
    const ignored = await clients.custom.patchNamespacedCustomObject(
      {
        group: 'example.com',
        version: 'v1',
        namespace: 'default',
        plural: 'widgets',
        name: 'first',
        body: { status: { ready: false }, spec: { size: 4 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(ignored).toMatchObject({
      status: { ready: true },
      spec: { size: 4 },
      metadata: { generation: 2 },
    });
    const listed = await clients.custom.listNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
    });
    expect((listed as { items: { kind: string }[] }).items.map((item) => item.kind)).toEqual(['Widget']);
    const resources = await clients.config.makeApiClient(ApisApi).getAPIVersions();
    expect(resources.groups.map((group) => group.name)).toContain('example.com');

    await clients.objects.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
    });
    const error = await eventuallyFails(() =>
      clients.custom.listNamespacedCustomObject({
        group: 'example.com',
        version: 'v1',
        namespace: 'default',
        plural: 'widgets',
      }),
    );
    expect(error.status).toMatchObject({ code: 404, reason: 'NotFound' });
    expect(simulator.objects.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toEqual([]);
  });
});

describe('Secrets', () => {
  it('fold stringData into base64 data and never return stringData, as the API server does', async () => {
    await clients.core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: { name: 'folded' },
        data: {
          kept: Buffer.from('old').toString('base64'),
          shared: Buffer.from('from-data').toString('base64'),
        },
        stringData: { plain: 's3cret', shared: 'from-stringData' },
      },
    });
    const secret = await clients.core.readNamespacedSecret({ name: 'folded', namespace: 'default' });
    expect(secret.stringData).toBeUndefined();
    const decoded = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
    expect(decoded).toEqual({ kept: 'old', plain: 's3cret', shared: 'from-stringData' });
  });
});
