import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubernetesApiError } from '../../../shared/src/kubernetes/client/api-error.ts';
import { startCluster, type SimulatedCluster } from '../../shared/kubernetes/simulated-cluster.ts';

/**
 * What a real API server refuses in a deploy (with its status codes and Status bodies), dry runs
 * that store nothing, and the `Warning` headers it adds, read through Gantry's own client.
 */
let cluster: SimulatedCluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(() => cluster.close());

interface Sent {
  status: number;
  reason: string;
  message: string;
  causes: { field?: string; message?: string }[];
}

async function applyAt(path: string, object: object, dryRun = false): Promise<Sent | 'ok'> {
  try {
    await cluster.client.requestJson({
      method: 'PATCH',
      path,
      query: { fieldManager: 'test', dryRun: dryRun ? 'All' : undefined },
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(object),
      retry: false,
    });
    return 'ok';
  } catch (error) {
    if (!(error instanceof KubernetesApiError)) throw error;
    return { status: error.status, reason: error.reason, message: error.serverMessage, causes: error.causes };
  }
}

const job = (spec: object): object => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate', namespace: 'default' },
  spec: { template: { spec: { containers: [{ name: 'm', image: 'migrate:1' }], ...spec } } },
});

describe('refusals', () => {
  it('refuses a Job whose pod template has no restartPolicy (defaulted to Always): 422 Invalid', async () => {
    const answer = await applyAt('/apis/batch/v1/namespaces/default/jobs/migrate', job({}));
    expect(answer).toEqual({
      status: 422,
      reason: 'Invalid',
      message: expect.stringContaining(
        'Job.batch "migrate" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
      ),
      causes: [expect.objectContaining({ field: 'spec.template.spec.restartPolicy' })],
    });
  });

  it('refuses an object in a namespace that does not exist: 404 NotFound naming the namespace', async () => {
    const answer = await applyAt('/api/v1/namespaces/nowhere/configmaps/cfg', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'nowhere' },
    });
    expect(answer).toMatchObject({
      status: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });

  it('refuses Secret data that is not base64: 400 BadRequest with the offset, as Go decodes it', async () => {
    const answer = await applyAt('/api/v1/namespaces/default/secrets/db', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      data: { user: 'YWRtaW4=', password: 'admin' },
    });
    expect(answer).toEqual({
      status: 400,
      reason: 'BadRequest',
      message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
      causes: [],
    });
  });

  it.each([
    ['a missing padding', 'YWRtaW4', 4],
    ['a character outside the alphabet', 'YW$taW4=', 2],
    ['garbage after the padding', 'YQ==YQ==', 4],
  ])('finds the corrupt byte of %s', async (_label, value, offset) => {
    const answer = await applyAt('/api/v1/namespaces/default/secrets/db', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      data: { value },
    });
    expect(answer).toMatchObject({
      status: 400,
      message: expect.stringMatching(new RegExp(`input byte ${offset}$`)),
    });
  });

  it('refuses a volumeMount that names no volume of the pod: 422 with the field', async () => {
    const answer = await applyAt('/apis/batch/v1/namespaces/default/jobs/migrate', {
      ...job({ restartPolicy: 'Never' }),
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'm', image: 'migrate:1', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] },
            ],
          },
        },
      },
    });
    expect(answer).toMatchObject({
      status: 422,
      message: expect.stringContaining(
        'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "cfg"',
      ),
    });
  });

  it('stores nothing for any of them', () => {
    expect(cluster.simulator.objects.get('batch/v1', 'Job', 'default', 'migrate')).toBeUndefined();
    expect(cluster.simulator.objects.get('v1', 'Secret', 'default', 'db')).toBeUndefined();
  });
});

describe('dry runs', () => {
  it('validates and answers with the object, storing nothing', async () => {
    const answer = await applyAt(
      '/api/v1/namespaces/default/configmaps/dry',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' } },
      true,
    );
    expect(answer).toBe('ok');
    expect(cluster.simulator.objects.get('v1', 'ConfigMap', 'default', 'dry')).toBeUndefined();
  });

  it('refuses in a dry run what a write would refuse', async () => {
    const answer = await applyAt('/apis/batch/v1/namespaces/default/jobs/migrate', job({}), true);
    expect(answer).toMatchObject({ status: 422 });
  });
});

describe('Warning headers', () => {
  it('warns that the kubernetes.io/ingress.class annotation is deprecated, on a dry run too', async () => {
    const warnings: string[] = [];
    for (const dryRun of ['All', undefined]) {
      await cluster.client.requestJson({
        method: 'PATCH',
        path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web',
        query: { fieldManager: 'test', dryRun },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: {
            name: 'web',
            namespace: 'default',
            annotations: { 'kubernetes.io/ingress.class': 'nginx' },
          },
          spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
        }),
        onWarning: (text) => warnings.push(text),
      });
    }
    const text = `annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`;
    expect(warnings).toEqual([text, text]);
  });

  it("sends a deprecated CustomResourceDefinition version's warning with every request to it", async () => {
    await cluster.client.requestJson({
      method: 'PATCH',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
      query: { fieldManager: 'test' },
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', kind: 'Widget' },
          versions: [
            { name: 'v1beta1', served: true, storage: false, deprecated: true },
            { name: 'v1', served: true, storage: true },
          ],
        },
      }),
    });
    const warnings: string[] = [];
    const list = (): Promise<unknown> =>
      cluster.client.requestJson({
        path: '/apis/example.com/v1beta1/namespaces/default/widgets',
        onWarning: (text) => warnings.push(text),
      });
    for (
      let attempt = 0;
      attempt < 200 &&
      (await list().then(
        () => false,
        () => true,
      ));
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(warnings.at(-1)).toBe('example.com/v1beta1 Widget is deprecated');
  });
});
