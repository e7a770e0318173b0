import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1ControllerRevision,
  type V1DaemonSet,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, type Clients } from './test-clients.ts';
import { applyWith, podsOf } from './test-workloads.ts';

/** StatefulSet and DaemonSet rollouts, their ControllerRevisions, and rollbacks the way kubectl rollout undo sends them. */

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

function statefulSet(image: string, partition = 0): V1StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] } },
    },
  };
}

function daemonSet(image: string): V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image }] } },
    },
  };
}

function stored<T>(kind: string, name: string): T {
  return simulator.objects.get('apps/v1', kind, 'default', name) as unknown as T;
}

function revisionsOf(owner: string): V1ControllerRevision[] {
  return (
    simulator.objects.list('apps/v1', 'ControllerRevision', 'default') as unknown as V1ControllerRevision[]
  )
    .filter((revision) => revision.metadata?.ownerReferences?.[0]?.name === owner)
    .sort((a, b) => a.revision - b.revision);
}

/** kubectl rollout status's rule for a StatefulSet. */
function statefulSetDone(partitioned = 0): boolean {
  const set = stored<V1StatefulSet>('StatefulSet', 'db');
  const status = set.status;
  if (!status || (status.observedGeneration ?? 0) < (set.metadata?.generation ?? 1)) return false;
  if ((status.readyReplicas ?? 0) < set.spec!.replicas!) return false;
  if (partitioned > 0) return (status.updatedReplicas ?? 0) >= set.spec!.replicas! - partitioned;
  return status.updateRevision === status.currentRevision && status.updatedReplicas === set.spec!.replicas;
}

/** kubectl rollout status's rule for a DaemonSet. */
function daemonSetDone(): boolean {
  const set = stored<V1DaemonSet>('DaemonSet', 'agent');
  const status = set.status;
  return (
    !!status &&
    (status.observedGeneration ?? 0) >= (set.metadata?.generation ?? 1) &&
    (status.updatedNumberScheduled ?? 0) === status.desiredNumberScheduled &&
    (status.numberAvailable ?? 0) === status.desiredNumberScheduled
  );
}

function imagesByPod(app: string): Record<string, string> {
  return Object.fromEntries(
    podsOf(simulator, app).map((pod) => [pod.metadata!.name!, pod.spec!.containers[0]!.image!]),
  );
}

describe('a StatefulSet', () => {
  it('creates ordered pods, updates down to the partition, then all, recording ControllerRevisions', async () => {
    const created: string[] = [];
    const watching = setInterval(() => {
      for (const pod of podsOf(simulator, 'db'))
        if (!created.includes(pod.metadata!.name!)) created.push(pod.metadata!.name!);
    }, 2);
    await applyWith(clients, statefulSet('db:1'));
    await eventually('the first rollout', () => statefulSetDone());
    clearInterval(watching);
    expect(created).toEqual(['db-0', 'db-1', 'db-2']);
    const [first] = revisionsOf('db');
    expect(first).toMatchObject({ revision: 1, metadata: { name: expect.stringMatching(/^db-\w+$/) } });
    expect((first!.data as { spec: { template: Record<string, unknown> } }).spec.template).toMatchObject({
      $patch: 'replace',
    });
    const status = stored<V1StatefulSet>('StatefulSet', 'db').status!;
    expect(status).toMatchObject({
      currentRevision: first!.metadata!.name,
      updateRevision: first!.metadata!.name,
      replicas: 3,
      availableReplicas: 3,
    });

    await applyWith(clients, statefulSet('db:2', 1));
    await eventually(
      'the partitioned rollout',
      () => statefulSetDone(1) && stored<V1StatefulSet>('StatefulSet', 'db').status?.updatedReplicas === 2,
    );
    const second = revisionsOf('db')[1]!;
    expect(imagesByPod('db')).toEqual({ 'db-0': 'db:1', 'db-1': 'db:2', 'db-2': 'db:2' });
    expect(stored<V1StatefulSet>('StatefulSet', 'db').status).toMatchObject({
      currentRevision: first!.metadata!.name,
      updateRevision: second.metadata!.name,
      currentReplicas: 1,
      updatedReplicas: 2,
    });
    for (const pod of podsOf(simulator, 'db')) {
      const expected = pod.metadata!.name === 'db-0' ? first!.metadata!.name : second.metadata!.name;
      expect(pod.metadata!.labels!['controller-revision-hash']).toBe(expected);
    }

    await applyWith(clients, statefulSet('db:2', 0));
    await eventually('the full rollout', () => statefulSetDone());
    expect(imagesByPod('db')).toEqual({ 'db-0': 'db:2', 'db-1': 'db:2', 'db-2': 'db:2' });
    expect(stored<V1StatefulSet>('StatefulSet', 'db').status?.currentRevision).toBe(second.metadata!.name);
  });

  it('rolls back by the previous revision’s data as a strategic merge patch, renumbering that revision', async () => {
    await applyWith(clients, statefulSet('db:1'));
    await eventually('revision 1', () => statefulSetDone());
    await applyWith(clients, statefulSet('db:2'));
    await eventually('revision 2', () => statefulSetDone() && revisionsOf('db').length === 2);
    const [previous] = revisionsOf('db');
    await clients.apps.patchNamespacedStatefulSet(
      { name: 'db', namespace: 'default', body: previous!.data, fieldManager: 'kubectl-rollout' },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await eventually(
      'the rollback',
      () =>
        statefulSetDone() &&
        stored<V1StatefulSet>('StatefulSet', 'db').status?.currentRevision === previous!.metadata!.name,
    );
    expect(imagesByPod('db')).toEqual({ 'db-0': 'db:1', 'db-1': 'db:1', 'db-2': 'db:1' });
    expect(revisionsOf('db').map((revision) => [revision.metadata!.name, revision.revision])).toEqual([
      [revisionsOf('db')[0]!.metadata!.name, 2],
      [previous!.metadata!.name, 3],
    ]);
  });
});

describe('a DaemonSet', () => {
  it('runs one pod per node and rolls a new template out one node at a time', async () => {
    await applyWith(clients, daemonSet('agent:1'));
    await eventually('the first rollout', () => daemonSetDone());
    const pods = podsOf(simulator, 'agent');
    expect(pods.map((pod) => pod.spec?.nodeName).sort()).toEqual(['sim-node-1', 'sim-node-2']);
    expect(stored<V1DaemonSet>('DaemonSet', 'agent').status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
    });

    const available: number[] = [];
    const watching = setInterval(() => {
      available.push(
        podsOf(simulator, 'agent').filter((pod) =>
          pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length,
      );
    }, 2);
    await applyWith(clients, daemonSet('agent:2'));
    await eventually(
      'the second rollout',
      () => daemonSetDone() && Object.values(imagesByPod('agent')).every((image) => image === 'agent:2'),
    );
    clearInterval(watching);
    expect(Math.min(...available)).toBe(1);
    const revisions = revisionsOf('agent');
    expect(revisions.map((revision) => revision.revision)).toEqual([1, 2]);
    const hash = revisions[1]!.metadata!.labels!['controller.kubernetes.io/hash'];
    for (const pod of podsOf(simulator, 'agent'))
      expect(pod.metadata!.labels!['controller-revision-hash']).toBe(hash);
  });
});
