import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { patchLatest } from '../../../actions/deploy-k8s/src/strategies/state/cluster-writes.ts';
import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import { resolveKubeconfig } from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';

/** The strategies' guarded merge patch against the simulator: a change in between is never overwritten. */
let simulator: KubernetesSimulator;
let client: KubernetesClient;
beforeEach(async () => {
  simulator = await startKubernetesSimulator();
  client = await createKubernetesClient(await resolveKubeconfig({ input: simulator.kubeconfig, env: {} }));
  simulator.objects.seed({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations: { owner: 'team-a' } },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
});
afterEach(async () => {
  await client.close();
  await simulator.close();
});

const PATH = '/api/v1/namespaces/default/services/web';
const options = (): { fieldManager: string; signal: AbortSignal } => ({
  fieldManager: 'gantry-strategy',
  signal: new AbortController().signal,
});

describe('patchLatest', () => {
  it('computes the patch again from the new state when the object changed after it was read', async () => {
    const seen: string[] = [];
    const patched = await patchLatest(
      client,
      PATH,
      'switch Service/default/web',
      (live) => {
        seen.push(String(live.metadata?.annotations?.owner));
        if (seen.length === 1) {
          // Someone else writes between this read and the patch: the patch must not go over it.
          const current = simulator.objects.get('v1', 'Service', 'default', 'web');
          (current?.metadata as { annotations: Record<string, string> }).annotations.owner = 'team-b';
          simulator.objects.update(current ?? {});
        }
        return { spec: { selector: { app: 'web', 'gantry.dev/colour': 'blue' } } };
      },
      options(),
    );
    expect(seen).toEqual(['team-a', 'team-b']);
    expect(patched?.spec?.selector).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
    expect(patched?.metadata?.annotations?.owner).toBe('team-b');
    const patches = simulator.requests.filter((request) => request.method === 'PATCH');
    expect(patches.map((request) => request.status)).toEqual([409, 200]);
    expect(patches.every((request) => request.contentType === 'application/merge-patch+json')).toBe(true);
  });

  it('writes nothing when there is nothing to change or no object', async () => {
    expect(await patchLatest(client, PATH, 'nothing', () => undefined, options())).toBeUndefined();
    expect(
      await patchLatest(
        client,
        '/api/v1/namespaces/default/services/gone',
        'nothing',
        () => ({ spec: {} }),
        options(),
      ),
    ).toBeUndefined();
    expect(simulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });
});
