import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import { resolveKubeconfig } from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import { builtInResourceType, resourcePath } from '../../../shared/src/kubernetes/resource-types.ts';
import {
  startKubernetesSimulator,
  type KubernetesSimulator,
  type KubernetesSimulatorOptions,
} from '../../support/k8s-simulator/index.ts';

/** A simulator and a Gantry client for it, and the few manifests the core library's tests apply. */
export interface SimulatedCluster {
  simulator: KubernetesSimulator;
  client: KubernetesClient;
  /** Server-side apply, as deploy-k8s does it; returns the applied object. */
  apply(object: KubeObject): Promise<KubeObject>;
  close(): Promise<void>;
}

export async function startCluster(options: KubernetesSimulatorOptions = {}): Promise<SimulatedCluster> {
  const simulator = await startKubernetesSimulator(options);
  const client = await createKubernetesClient(
    await resolveKubeconfig({ input: simulator.kubeconfig, env: {} }),
  );
  return {
    simulator,
    client,
    apply: (object) => {
      const type = builtInResourceType(object.apiVersion ?? '', object.kind ?? '');
      if (!type) throw new Error(`no type for ${object.kind}`);
      return client.requestJson({
        method: 'PATCH',
        path: resourcePath(type, object.metadata?.namespace ?? 'default', object.metadata?.name),
        query: { fieldManager: 'gantry', force: 'true' },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(object),
      });
    },
    close: async () => {
      await client.close();
      await simulator.close();
    },
  };
}

export function deployment(name: string, image: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...spec,
    },
  };
}

export function statefulSet(name: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 2,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image }] } },
    },
  };
}

export function daemonSet(name: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image }] } },
    },
  };
}

export function job(name: string, image: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      backoffLimit: 1,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'task', image }] } },
    },
  };
}
