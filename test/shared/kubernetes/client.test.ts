import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { KubernetesApiError } from '../../../shared/src/kubernetes/client/api-error.ts';
import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import { Informer } from '../../../shared/src/kubernetes/rollout/informer.ts';
import { resolveKubeconfig } from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { capture, type Captured } from '../helpers.ts';

/** The client factory against the Kubernetes API simulator, through the real @kubernetes/client-node. */

let simulator: KubernetesSimulator;
let client: KubernetesClient;
let stdout: Captured;
const retries: string[] = [];

beforeAll(async () => {
  stdout = capture();
  simulator = await startKubernetesSimulator();
  const source = await resolveKubeconfig({ input: simulator.kubeconfig, env: {} });
  client = await createKubernetesClient(source, { onRetry: (message) => retries.push(message) });
});
afterAll(async () => {
  await client.close();
  await simulator.close();
  stdout.restore();
});
afterEach(() => {
  simulator.faults.clear();
  retries.length = 0;
});

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

function apply(object: KubeObject): Promise<KubeObject> {
  return client.requestJson({
    method: 'PATCH',
    path: `/api/v1/namespaces/default/configmaps/${object.metadata?.name}`,
    query: { fieldManager: 'gantry-test' },
    contentType: 'application/apply-patch+yaml',
    body: JSON.stringify(object),
  });
}

describe('requests', () => {
  it('authenticates with the kubeconfig token over TLS and reads JSON', async () => {
    const list = await client.requestJson<{ items: KubeObject[] }>({ path: '/api/v1/namespaces' });
    expect(list.items.map((item) => item.metadata?.name)).toContain('default');
    expect(simulator.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/namespaces',
      authenticated: true,
    });
    expect(client.context).toBe('simulator');
    expect(client.server).toBe(simulator.server);
  });

  it('sends the body exactly as given: no typed model in between', async () => {
    const object = configMap('raw', { key: 'value' });
    const applied = await apply(object);
    expect(applied.metadata?.resourceVersion).toBeDefined();
    const request = simulator.requests.at(-1);
    expect(request?.contentType).toBe('application/apply-patch+yaml');
    expect(request?.body).toBe(JSON.stringify(object));
  });

  it('answers undefined for a missing object and throws the Status for other errors', async () => {
    expect(await client.getObject('/api/v1/namespaces/default/configmaps/missing')).toBeUndefined();
    const error = await client
      .requestJson({
        method: 'PATCH',
        path: '/api/v1/namespaces/default/configmaps/bad',
        contentType: 'application/apply-patch+yaml',
        body: '{"kind":"ConfigMap"}',
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect((error as KubernetesApiError).status).toBeGreaterThanOrEqual(400);
  });

  it('retries 429 honouring Retry-After, 500 and reset connections', async () => {
    simulator.faults.inject({ method: 'GET', path: /configmaps\/raw$/, status: 429, retryAfterSeconds: 1 });
    simulator.faults.inject({ method: 'GET', path: /configmaps\/raw$/, status: 500 });
    simulator.faults.inject({ method: 'GET', path: /configmaps\/raw$/, resetConnection: true });
    const started = Date.now();
    const object = await client.getObject('/api/v1/namespaces/default/configmaps/raw');
    expect(object?.data).toEqual({ key: 'value' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(retries).toHaveLength(3);
    expect(retries[0]).toMatch(/429 TooManyRequests; attempt 2 in 1\d{3} ms/);
  });

  it('does not retry answers that will not change', async () => {
    const before = simulator.requests.length;
    await expect(
      client.requestJson({
        method: 'PATCH',
        path: '/api/v1/namespaces/nope/configmaps/x',
        query: { fieldManager: 'gantry-test' },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify({ ...configMap('x', {}), metadata: { name: 'x', namespace: 'nope' } }),
      }),
    ).rejects.toThrow(/404 NotFound/);
    expect(simulator.requests.length - before).toBe(1);
  });

  it('counts its calls by verb', async () => {
    const before = client.calls.byVerb.GET ?? 0;
    await client.getObject('/api/v1/namespaces/default');
    expect(client.calls.byVerb.GET).toBe(before + 1);
  });
});

describe('a wrong credential', () => {
  it("is refused with the API server's 401", async () => {
    const source = await resolveKubeconfig({
      input: simulator.kubeconfig.replace(simulator.token, 'not-the-token'),
      env: {},
    });
    const stranger = await createKubernetesClient(source);
    try {
      await expect(stranger.requestJson({ path: '/api/v1/namespaces' })).rejects.toThrow(/401 Unauthorized/);
    } finally {
      await stranger.close();
    }
  });
});

describe('Informer', () => {
  const valueOf = (informer: Informer, key: string): unknown =>
    (informer.objects.get(key)?.data as Record<string, string> | undefined)?.n;

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('lists, then follows changes; resumes after dropped connections and relists after 410 Gone', async () => {
    const controller = new AbortController();
    let changes = 0;
    const informer = new Informer(client, {
      path: '/api/v1/namespaces/default/configmaps',
      labelSelector: 'watched=yes',
      signal: controller.signal,
      onChange: () => changes++,
      sleep: () => Promise.resolve(),
    });
    const running = informer.run();
    try {
      await apply({
        ...configMap('w1', { n: '1' }),
        metadata: { name: 'w1', namespace: 'default', labels: { watched: 'yes' } },
      });
      await until(() => valueOf(informer, 'default/w1') === '1', 'w1 to be seen');

      simulator.faults.dropWatches();
      await apply({
        ...configMap('w1', { n: '2' }),
        metadata: { name: 'w1', namespace: 'default', labels: { watched: 'yes' } },
      });
      await until(() => valueOf(informer, 'default/w1') === '2', 'the change after a dropped watch');
      expect(informer.stats.reconnects).toBeGreaterThanOrEqual(1);

      // The next watch arrives late, after a change and a compaction: its resourceVersion is gone.
      simulator.faults.inject({ method: 'GET', path: /configmaps$/, delayMs: 300 });
      simulator.faults.dropWatches();
      await apply({
        ...configMap('w2', { n: '1' }),
        metadata: { name: 'w2', namespace: 'default', labels: { watched: 'yes' } },
      });
      simulator.faults.expireWatchHistory();
      await until(() => informer.objects.has('default/w2'), 'w2 after a relist');
      expect(informer.stats.relists).toBeGreaterThanOrEqual(1);
      expect(informer.objects.has('default/raw')).toBe(false);
      expect(changes).toBeGreaterThanOrEqual(3);
    } finally {
      controller.abort();
      await running;
    }
  });

  it('keeps listing through more failures than one request retries, as long as its signal lasts', async () => {
    // The client alone gives a request 6 attempts; a control plane restarting fails more than that.
    simulator.faults.inject({
      method: 'GET',
      path: /\/namespaces\/default\/secrets$/,
      status: 503,
      times: 10,
    });
    const controller = new AbortController();
    const informer = new Informer(client, {
      path: '/api/v1/namespaces/default/secrets',
      signal: controller.signal,
      onChange: () => undefined,
      sleep: () => Promise.resolve(),
    });
    const running = informer.run();
    try {
      await until(() => informer.synced, 'the list to succeed');
      expect(informer.stats.lists).toBe(11);
    } finally {
      controller.abort();
      await running;
    }
  });

  it('stops the watch connection when aborted, and close() ends any left', async () => {
    const controller = new AbortController();
    const informer = new Informer(client, {
      path: '/api/v1/namespaces/default/pods',
      signal: controller.signal,
      onChange: () => undefined,
    });
    const running = informer.run();
    await until(() => simulator.openWatches() > 0, 'a watch to open');
    controller.abort();
    await running;
    await until(() => simulator.openWatches() === 0, 'the watch to close');
  });
});
