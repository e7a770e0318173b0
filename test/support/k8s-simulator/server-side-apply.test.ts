import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { Agent } from 'undici';
import { startKubernetesSimulator, type JsonObject, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, failure, type Clients } from './test-clients.ts';

/** Server-side apply through the real client: create, no-op re-apply, rollouts, conflicts, force, field removal. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20 });
  clients = clientsFor(simulator);
});

afterEach(async () => {
  expect(simulator.controllerErrors).toEqual([]);
  await simulator.close();
});

function web(image: string, replicas = 3): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

function apply<T extends KubernetesObject>(object: T, manager = 'gantry', force?: boolean): Promise<T> {
  return clients.objects.patch(object, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);
}

function stored(kind: string, name: string): JsonObject {
  const apiVersion = kind === 'Pod' || kind === 'ConfigMap' ? 'v1' : 'apps/v1';
  const object = simulator.objects.get(apiVersion, kind, 'default', name);
  if (!object) throw new Error(`no ${kind} ${name}`);
  return object;
}

function replicaSets(): { name: string; revision: string; replicas: number; image: string }[] {
  return simulator.objects.list('apps/v1', 'ReplicaSet', 'default').map((replicaSet) => {
    const rs = replicaSet as unknown as {
      metadata: { name: string; annotations: Record<string, string> };
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    return {
      name: rs.metadata.name,
      revision: rs.metadata.annotations['deployment.kubernetes.io/revision']!,
      replicas: rs.spec.replicas,
      image: rs.spec.template.spec.containers[0]!.image,
    };
  });
}

function rolledOut(deployment: JsonObject): boolean {
  const status = (deployment.status ?? {}) as Record<string, number>;
  const spec = deployment.spec as { replicas: number };
  const generation = (deployment.metadata as { generation: number }).generation;
  return (
    status.observedGeneration! >= generation &&
    status.updatedReplicas === spec.replicas &&
    status.replicas === spec.replicas &&
    status.availableReplicas === spec.replicas
  );
}

describe('server-side apply', () => {
  it('creates, leaves an unchanged re-apply alone, and rolls out a new image as a new ReplicaSet', async () => {
    const created = await apply(web('registry.example.com:5000/web:1'));
    expect(simulator.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/default/deployments/web',
      query: { fieldManager: 'gantry' },
      contentType: 'application/apply-patch+yaml',
      status: 201,
    });
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'gantry',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
      }),
    ]);
    await eventually('the first rollout', () => rolledOut(stored('Deployment', 'web')));
    const first = stored('Deployment', 'web');
    expect(
      (first.metadata as { annotations: Record<string, string> }).annotations[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('1');

    const again = await apply(web('registry.example.com:5000/web:1'));
    expect(again.metadata?.resourceVersion).toBe(
      (first.metadata as { resourceVersion: string }).resourceVersion,
    );
    expect(again.metadata?.generation).toBe(1);

    const updated = await apply(web('registry.example.com:5000/web:2'));
    expect(updated.metadata?.generation).toBe(2);
    await eventually('the second rollout', () => {
      const deployment = stored('Deployment', 'web');
      return (
        rolledOut(deployment) &&
        (deployment.status as { observedGeneration: number }).observedGeneration === 2
      );
    });
    const sets = replicaSets().sort((a, b) => a.revision.localeCompare(b.revision));
    expect(sets.map(({ revision, replicas, image }) => ({ revision, replicas, image }))).toEqual([
      { revision: '1', replicas: 0, image: 'registry.example.com:5000/web:1' },
      { revision: '2', replicas: 3, image: 'registry.example.com:5000/web:2' },
    ]);
    for (const set of sets) expect(set.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const pods = simulator.objects.list('v1', 'Pod', 'default');
    expect(pods).toHaveLength(3);
    const hash = sets[1]!.name.slice('web-'.length);
    for (const pod of pods)
      expect((pod.metadata as { labels: Record<string, string> }).labels['pod-template-hash']).toBe(hash);
    const deployment = stored('Deployment', 'web');
    expect(
      (deployment.metadata as { annotations: Record<string, string> }).annotations[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('2');
    expect((deployment.status as { conditions: unknown[] }).conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }),
        expect.objectContaining({
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${sets[1]!.name}" has successfully progressed.`,
        }),
      ]),
    );
  });

  it('answers 409 naming the manager and field another manager owns with a different value, and takes it over with force', async () => {
    await apply(web('web:1'));
    await clients.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 5 } }, fieldManager: 'kubectl-edit' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const conflict = await failure(apply(web('web:1', 3)));
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-edit" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
    expect((stored('Deployment', 'web').spec as { replicas: number }).replicas).toBe(5);

    // The same value is no conflict: both managers own the field.
    await apply(web('web:1', 5));
    const forced = await apply(web('web:1', 3), 'gantry', true);
    expect(forced.spec?.replicas).toBe(3);
    // kubectl-edit owned nothing else, so its entry is gone with the field.
    const owners = (forced.metadata?.managedFields ?? [])
      .filter(
        (entry) => (entry.fieldsV1 as { 'f:spec'?: Record<string, unknown> })?.['f:spec']?.['f:replicas'],
      )
      .map((entry) => entry.manager);
    expect(owners).toEqual(['gantry']);
    expect(forced.metadata?.managedFields?.map((entry) => entry.manager)).not.toContain('kubectl-edit');
  });

  it('lists every conflict by manager when there are several', async () => {
    const other = web('web:1', 4);
    other.spec!.template.spec!.containers[0]!.image = 'web:other';
    await apply(other, 'other-tool');
    const error = await failure(apply(web('web:mine', 2)));
    expect(error.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "other-tool":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
    expect(error.status.details?.causes?.map((cause) => cause.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="app"].image',
    ]);
  });

  it('removes a field the manager applied before and leaves out now, unless another manager owns it', async () => {
    const withLabels = web('web:1');
    withLabels.metadata!.labels = { app: 'web', team: 'a', tier: 'front' };
    await apply(withLabels);
    // An update that changes a value takes the field over; one that writes the same value would not.
    await clients.apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { metadata: { labels: { tier: 'back' } } },
        fieldManager: 'labeller',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await apply(web('web:1'));
    expect((stored('Deployment', 'web').metadata as { labels: unknown }).labels).toEqual({
      app: 'web',
      tier: 'back',
    });
  });

  it('records an Update manager for other writes, and the controller’s own', async () => {
    await apply(web('web:1'));
    await eventually('the rollout', () => rolledOut(stored('Deployment', 'web')));
    await clients.apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { metadata: { annotations: { note: 'hi' } } },
        fieldManager: 'annotator',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const entries = (stored('Deployment', 'web').metadata as { managedFields: JsonObject[] }).managedFields;
    expect(
      entries.map(
        (entry) => `${String(entry.manager)}/${String(entry.operation)}/${String(entry.subresource ?? '')}`,
      ),
    ).toEqual([
      'gantry/Apply/',
      'kube-controller-manager/Update/',
      'kube-controller-manager/Update/status',
      'annotator/Update/',
    ]);
    expect(entries[1]!.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
    });
    expect(entries[3]!.fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { 'f:note': {} } } });
  });

  it('treats a resourceVersion in the applied configuration as an optimistic lock', async () => {
    const created = await apply(web('web:1'));
    await apply(web('web:2'));
    const stale = web('web:3');
    stale.metadata!.resourceVersion = created.metadata!.resourceVersion!;
    const error = await failure(apply(stale));
    expect(error.status).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(error.status.message).toContain('the object has been modified');
  });

  it('names an update without fieldManager after the client’s User-Agent, as the API server does', async () => {
    await apply(web('web:1'));
    await clients.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { metadata: { labels: { by: 'client' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const managers = (stored('Deployment', 'web').metadata as { managedFields: { manager: string }[] })
      .managedFields;
    expect(managers.map((entry) => entry.manager)).toContain('kubernetes-client-javascript');
  });

  it('requires a field manager', async () => {
    const error = await failure(
      clients.objects.patch(
        web('web:1'),
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(error.status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
  });
});

describe('unknown fields', () => {
  const withFuture = (): JsonObject => {
    const object = web('web:1') as unknown as JsonObject;
    (object.spec as JsonObject).futureField = { nested: [1, 'two', { three: true }] };
    (object.spec as { template: { spec: JsonObject } }).template.spec.futureSpec = 'kept';
    return object;
  };

  it('are dropped by KubernetesObjectApi’s typed serialisation before they reach the server (kubernetes-client/javascript#2962)', async () => {
    await apply(withFuture() as unknown as V1Deployment);
    const sent = JSON.parse(simulator.requests.at(-1)!.body) as JsonObject;
    expect((sent.spec as JsonObject).futureField).toBeUndefined();
  });

  it('reach the server and are kept exactly as sent when the body is not typed', async () => {
    const applied = await clients.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: withFuture(), fieldManager: 'gantry' },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(simulator.requests.at(-1)?.contentType).toBe('application/apply-patch+yaml');
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe('gantry');
    const spec = stored('Deployment', 'web').spec as JsonObject;
    expect(spec.futureField).toEqual({ nested: [1, 'two', { three: true }] });
    expect((spec.template as { spec: JsonObject }).spec.futureSpec).toBe('kept');
  });

  it('come through a YAML apply body too, decoded with YAML 1.1 rules', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: settings',
      '  namespace: default',
      'data:',
      '  quoted: "yes"',
      'extra:',
      '  enabled: yes',
    ].join('\n');
    const dispatcher = new Agent({ connect: { ca: simulator.caCertificate } });
    const response = await fetch(
      `${simulator.server}/api/v1/namespaces/default/configmaps/settings?fieldManager=gantry`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${simulator.token}`,
          'content-type': 'application/apply-patch+yaml',
        },
        body: yaml,
        // @ts-expect-error Node's fetch takes an undici dispatcher.
        dispatcher,
      },
    );
    await dispatcher.close();
    expect(response.status).toBe(201);
    const body = (await response.json()) as JsonObject;
    expect(body.data).toEqual({ quoted: 'yes' });
    expect(body.extra).toEqual({ enabled: true });
  });
});
