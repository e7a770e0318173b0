import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import { resolveKubeconfig } from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';

/** `gatewayApi: true` installs the HTTPRoute CRD, which is then established and served like any other. */
let simulator: KubernetesSimulator | undefined;
let client: KubernetesClient | undefined;
afterEach(async () => {
  await client?.close();
  await simulator?.close();
});

const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes';

describe('Gateway API', () => {
  it('serves HTTPRoute once its definition is established: discovery, apply, merge patch', async () => {
    simulator = await startKubernetesSimulator({ gatewayApi: true });
    client = await createKubernetesClient(await resolveKubeconfig({ input: simulator.kubeconfig, env: {} }));
    const definition = simulator.objects.get(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      '',
      'httproutes.gateway.networking.k8s.io',
    );
    expect(definition).toBeDefined();
    let resources: { name: string; kind: string }[] = [];
    for (let attempt = 0; attempt < 500 && resources.length === 0; attempt++) {
      const list = await client.getObject('/apis/gateway.networking.k8s.io/v1');
      resources = (list?.resources as typeof resources | undefined) ?? [];
      if (resources.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(resources).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'httproutes', kind: 'HTTPRoute' })]),
    );

    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'default' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    };
    const applied = await client.requestJson({
      method: 'PATCH',
      path: `${ROUTES}/web`,
      query: { fieldManager: 'test' },
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(route),
    });
    expect(applied.metadata?.generation).toBe(1);
    const weighted = [
      {
        backendRefs: [
          { name: 'web', port: 80, weight: 90 },
          { name: 'web-canary', port: 80, weight: 10 },
        ],
      },
    ];
    const patched = await client.requestJson({
      method: 'PATCH',
      path: `${ROUTES}/web`,
      query: { fieldManager: 'test-strategy' },
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({
        metadata: { resourceVersion: applied.metadata?.resourceVersion },
        spec: { rules: weighted },
      }),
    });
    // A custom resource's lists are atomic: the merge patch replaces the rules whole.
    expect(patched.spec?.rules).toEqual(weighted);
    expect(patched.spec?.parentRefs).toEqual([{ name: 'gw' }]);
    expect(patched.metadata?.generation).toBe(2);
    // A stale resourceVersion is a conflict, which keeps a weight change from overwriting another.
    await expect(
      client.requestJson({
        method: 'PATCH',
        path: `${ROUTES}/web`,
        contentType: 'application/merge-patch+json',
        body: JSON.stringify({
          metadata: { resourceVersion: applied.metadata?.resourceVersion },
          spec: { rules: [] },
        }),
        retry: false,
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('is not served without the option', async () => {
    simulator = await startKubernetesSimulator();
    expect(() => simulator?.objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute')).toThrow(
      /serves no HTTPRoute/,
    );
  });
});
