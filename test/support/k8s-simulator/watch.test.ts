import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, type Clients } from './test-clients.ts';

/** Watch streams through the real client's Watch: rollouts to completion, 410 Expired, bookmarks, drops, selectors. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20, bookmarkIntervalMs: 40 });
  clients = clientsFor(simulator);
});

afterEach(async () => {
  expect(simulator.controllerErrors).toEqual([]);
  await simulator.close();
});

interface Seen {
  type: string;
  object: Record<string, unknown> & { metadata?: { name?: string; resourceVersion?: string } };
}

/** Starts a watch that records every event; `ended` settles with done's argument. */
async function record(path: string, query: Record<string, string | boolean | number>) {
  const events: Seen[] = [];
  let finish: (error: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await clients.watch.watch(
    path,
    query,
    (type, object) => events.push({ type, object: object as Seen['object'] }),
    (error) => finish(error),
  );
  return { events, ended, stop: () => controller.abort() };
}

const configMaps = '/api/v1/namespaces/default/configmaps';

function configMap(name: string, labels: Record<string, string> = {}): V1ConfigMap {
  return { metadata: { name, namespace: 'default', labels }, data: { a: '1' } };
}

describe('watch', () => {
  it('follows a rollout from a list’s resourceVersion to completion, with no polling', async () => {
    const list = await clients.apps.listNamespacedDeployment({
      namespace: 'default',
      fieldSelector: 'metadata.name=web',
    });
    const before = simulator.requests.length;
    let resolveDone: (deployment: V1Deployment) => void = () => undefined;
    const done = new Promise<V1Deployment>((resolve) => (resolveDone = resolve));
    const types: string[] = [];
    const controller = await clients.watch.watch(
      '/apis/apps/v1/namespaces/default/deployments',
      {
        resourceVersion: list.metadata!.resourceVersion!,
        fieldSelector: 'metadata.name=web',
        allowWatchBookmarks: true,
      },
      (type, object: V1Deployment) => {
        if (type !== 'BOOKMARK') types.push(type);
        const status = object.status;
        if (
          type === 'MODIFIED' &&
          (status?.observedGeneration ?? 0) >= (object.metadata?.generation ?? 1) &&
          status?.updatedReplicas === 2 &&
          status.availableReplicas === 2 &&
          status.replicas === 2
        ) {
          resolveDone(object);
        }
      },
      () => undefined,
    );
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'web:1' }] },
        },
      },
    };
    await clients.objects.patch(
      deployment,
      undefined,
      undefined,
      'gantry',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    const complete = await done;
    controller.abort();
    expect(types[0]).toBe('ADDED');
    expect(types).toContain('MODIFIED');
    expect(complete.status?.conditions?.find((condition) => condition.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
    const sent = simulator.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    // Besides discovery and the apply, the watch was the only request: nothing polled.
    expect(sent).toEqual([
      'GET /apis/apps/v1/namespaces/default/deployments',
      'GET /apis/apps/v1',
      'PATCH /apis/apps/v1/namespaces/default/deployments/web',
    ]);
    expect(simulator.requests[before]?.query).toMatchObject({
      watch: 'true',
      fieldSelector: 'metadata.name=web',
    });
  });

  it('starts with the current objects as ADDED when no resourceVersion is given', async () => {
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('existing') });
    const watch = await record(configMaps, {});
    await eventually('the initial event', () => watch.events.length === 1);
    expect(watch.events[0]).toMatchObject({
      type: 'ADDED',
      object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'existing' } },
    });
    watch.stop();
  });

  it('ends with an ERROR event carrying a 410 Expired Status when the resourceVersion is too old', async () => {
    const created = await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('old'),
    });
    await clients.core.patchNamespacedConfigMap(
      { name: 'old', namespace: 'default', body: { data: { a: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    simulator.faults.expireWatchHistory();
    const watch = await record(configMaps, { resourceVersion: created.metadata!.resourceVersion! });
    expect(await watch.ended).toBeNull();
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]!.type).toBe('ERROR');
    expect(watch.events[0]!.object).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(String(watch.events[0]!.object.message)).toMatch(/^too old resource version: \d+ \(\d+\)$/);

    // A watch from the current resourceVersion still works.
    const list = await clients.core.listNamespacedConfigMap({ namespace: 'default' });
    const fresh = await record(configMaps, { resourceVersion: list.metadata!.resourceVersion! });
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('new') });
    await eventually('the new object', () =>
      fresh.events.find((event) => event.object.metadata?.name === 'new'),
    );
    fresh.stop();
  });

  it('can answer a watch with a plain HTTP 410 when a test injects it', async () => {
    simulator.faults.inject({ path: /\/configmaps$/, status: 410 });
    const watch = await record(configMaps, { resourceVersion: '1' });
    expect(await watch.ended).toMatchObject({ statusCode: 410 });
    expect(simulator.requests.at(-1)).toMatchObject({ query: { watch: 'true' }, status: 410 });
  });

  it('expires history beyond its size on its own', async () => {
    await simulator.close();
    simulator = await startKubernetesSimulator({ watchHistorySize: 3 });
    clients = clientsFor(simulator);
    const first = await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('first'),
    });
    for (const name of ['b', 'c', 'd', 'e'])
      await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap(name) });
    const watch = await record(configMaps, { resourceVersion: first.metadata!.resourceVersion! });
    await watch.ended;
    expect(watch.events.map((event) => event.type)).toEqual(['ERROR']);
  });

  it('sends bookmarks only when they are allowed', async () => {
    const list = await clients.core.listNamespacedConfigMap({ namespace: 'default' });
    const withBookmarks = await record(configMaps, {
      resourceVersion: list.metadata!.resourceVersion!,
      allowWatchBookmarks: true,
    });
    const without = await record(configMaps, { resourceVersion: list.metadata!.resourceVersion! });
    const bookmark = await eventually('a bookmark', () =>
      withBookmarks.events.find((event) => event.type === 'BOOKMARK'),
    );
    expect(bookmark.object).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    expect(without.events).toEqual([]);
    withBookmarks.stop();
    without.stop();
  });

  it('marks the end of initial events with a bookmark when asked to send them', async () => {
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('initial') });
    const watch = await record(configMaps, {
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
    });
    const end = await eventually('the initial-events-end bookmark', () =>
      watch.events.find((event) => event.type === 'BOOKMARK'),
    );
    expect(watch.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'initial' } } });
    expect(end.object.metadata).toMatchObject({ annotations: { 'k8s.io/initial-events-end': 'true' } });
    watch.stop();
  });

  it('loses nothing across a dropped connection when resumed from the last resourceVersion seen', async () => {
    const list = await clients.core.listNamespacedConfigMap({ namespace: 'default' });
    const watch = await record(configMaps, { resourceVersion: list.metadata!.resourceVersion! });
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('before-drop') });
    await eventually('the first event', () => watch.events.length === 1);
    expect(simulator.openWatches()).toBe(1);
    simulator.faults.dropWatches();
    expect(await watch.ended).toBeInstanceOf(Error);
    expect(simulator.openWatches()).toBe(0);

    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('during-drop') });
    const resumed = await record(configMaps, {
      resourceVersion: watch.events[0]!.object.metadata!.resourceVersion!,
    });
    await eventually('the missed event', () => resumed.events.length === 1);
    expect(resumed.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'during-drop' } } });
    resumed.stop();
  });

  it('reports an object leaving a label selector as DELETED', async () => {
    await clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('labelled', { watched: 'yes' }),
    });
    const watch = await record(configMaps, { labelSelector: 'watched=yes' });
    await eventually('the initial event', () => watch.events.length === 1);
    await clients.core.patchNamespacedConfigMap(
      { name: 'labelled', namespace: 'default', body: { metadata: { labels: { watched: 'no' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('unrelated') });
    await eventually('the DELETED event', () => watch.events.length === 2);
    expect(watch.events.map((event) => event.type)).toEqual(['ADDED', 'DELETED']);
    watch.stop();
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const started = Date.now();
    const watch = await record(configMaps, { timeoutSeconds: 1 });
    expect(await watch.ended).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends open watches when the simulator closes', async () => {
    const watch = await record(configMaps, {});
    await eventually('the watch to be open', () => simulator.openWatches() === 1);
    await simulator.close();
    expect(await watch.ended).toBeNull();
    simulator = await startKubernetesSimulator();
  });
});
