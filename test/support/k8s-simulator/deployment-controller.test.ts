import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, failure, type Clients } from './test-clients.ts';
import { annotation, applyWith, deploymentDone, deploymentOf, nameOf, podsOf } from './test-workloads.ts';

/** The Deployment controller's visible behaviour: surge limits, Recreate, revisions and rollbacks, deadlines, pausing. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20, backOffMs: 40 });
  clients = clientsFor(simulator);
});

afterEach(async () => {
  expect(simulator.controllerErrors).toEqual([]);
  await simulator.close();
});

function replicaSetsOf(app: string): V1ReplicaSet[] {
  return simulator.objects
    .list('apps/v1', 'ReplicaSet', 'default')
    .filter((rs) => nameOf(rs).startsWith(`${app}-`)) as unknown as V1ReplicaSet[];
}

function revisions(app: string): Record<string, { image: string; replicas: number; history?: string }> {
  const result: Record<string, { image: string; replicas: number; history?: string }> = {};
  for (const rs of replicaSetsOf(app)) {
    const annotations = rs.metadata?.annotations ?? {};
    result[annotations['deployment.kubernetes.io/revision']!] = {
      image: rs.spec!.template!.spec!.containers[0]!.image!,
      replicas: rs.spec!.replicas!,
      ...(annotations['deployment.kubernetes.io/revision-history']
        ? { history: annotations['deployment.kubernetes.io/revision-history'] }
        : {}),
    };
  }
  return result;
}

/** Samples the pods every 2 ms (a tick is 10 ms) while `during` runs. */
async function sample<T>(
  app: string,
  during: () => Promise<unknown>,
  measure: (pods: ReturnType<typeof podsOf>) => T,
): Promise<T[]> {
  const samples: T[] = [];
  const timer = setInterval(() => samples.push(measure(podsOf(simulator, app))), 2);
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  return samples;
}

const isReady = (pod: ReturnType<typeof podsOf>[number]): boolean =>
  pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ??
  false;

describe('a rolling update', () => {
  it('stays within maxSurge and maxUnavailable', async () => {
    const spec = {
      replicas: 4,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    };
    await applyWith(clients, deploymentOf('web', 'web:1', spec));
    await eventually('the first rollout', () => deploymentDone(simulator, 'web'));
    const samples = await sample(
      'web',
      async () => {
        await applyWith(clients, deploymentOf('web', 'web:2', spec));
        await eventually('the second rollout', () => deploymentDone(simulator, 'web'), 10000);
      },
      (pods) => ({ total: pods.length, ready: pods.filter(isReady).length }),
    );
    expect(Math.max(...samples.map((entry) => entry.total))).toBe(5);
    expect(Math.min(...samples.map((entry) => entry.ready))).toBeGreaterThanOrEqual(4);
    expect(revisions('web')).toEqual({
      '1': { image: 'web:1', replicas: 0 },
      '2': { image: 'web:2', replicas: 4 },
    });
    const events = await clients.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=web',
    });
    expect(events.items.map((event) => event.reason)).toContain('ScalingReplicaSet');
    expect(events.items.map((event) => event.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Scaled down replica set web-\w+ from 1 to 0$/)]),
    );
  });

  it('removes every old pod before starting new ones with Recreate', async () => {
    const spec = { replicas: 2, strategy: { type: 'Recreate' } };
    await applyWith(clients, deploymentOf('web', 'web:1', spec));
    await eventually('the first rollout', () => deploymentDone(simulator, 'web'));
    const samples = await sample(
      'web',
      async () => {
        await applyWith(clients, deploymentOf('web', 'web:2', spec));
        await eventually('the second rollout', () => deploymentDone(simulator, 'web'));
      },
      (pods) => new Set(pods.map((pod) => pod.spec?.containers[0]?.image)).size,
    );
    expect(Math.max(...samples)).toBe(1);
  });
});

describe('revisions', () => {
  it('rolls back as kubectl rollout undo does: the old ReplicaSet comes back as the next revision', async () => {
    await applyWith(clients, deploymentOf('web', 'web:1', { replicas: 2 }));
    await eventually('revision 1', () => deploymentDone(simulator, 'web'));
    await applyWith(clients, deploymentOf('web', 'web:2', { replicas: 2 }));
    await eventually(
      'revision 2',
      () =>
        deploymentDone(simulator, 'web') &&
        annotation(
          simulator.objects.get('apps/v1', 'Deployment', 'default', 'web'),
          'deployment.kubernetes.io/revision',
        ) === '2',
    );

    // kubectl's DeploymentRollbacker: the revision's template without its hash label, as one JSON patch.
    const previous = replicaSetsOf('web').find(
      (rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1',
    )!;
    const template = structuredClone(previous.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const live = await clients.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    await clients.apps.patchNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      fieldManager: 'kubectl-rollout',
      body: [
        { op: 'replace', path: '/spec/template', value: template },
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: {
            'deployment.kubernetes.io/revision':
              live.metadata!.annotations!['deployment.kubernetes.io/revision']!,
          },
        },
      ],
    });
    await eventually(
      'the rollback',
      () =>
        deploymentDone(simulator, 'web') &&
        annotation(
          simulator.objects.get('apps/v1', 'Deployment', 'default', 'web'),
          'deployment.kubernetes.io/revision',
        ) === '3',
    );
    expect(revisions('web')).toEqual({
      '2': { image: 'web:2', replicas: 0 },
      '3': { image: 'web:1', replicas: 2, history: '1' },
    });
    expect(replicaSetsOf('web').map((rs) => rs.metadata!.name)).toContain(previous.metadata!.name);

    // The rollback took the image over: applying the broken release again is a conflict.
    const conflict = await failure(applyWith(clients, deploymentOf('web', 'web:2', { replicas: 2 })));
    expect(conflict.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-rollout" using apps/v1: .spec.template.spec.containers[name="app"].image',
    );
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    for (const tag of ['1', '2', '3', '4']) {
      await applyWith(clients, deploymentOf('web', `web:${tag}`, { revisionHistoryLimit: 1 }));
      await eventually(
        `revision ${tag}`,
        () => deploymentDone(simulator, 'web') && revisions('web')[tag]?.replicas === 1,
      );
    }
    await eventually('the history to be pruned', () => Object.keys(revisions('web')).length === 2);
    expect(Object.keys(revisions('web')).sort()).toEqual(['3', '4']);
  });
});

describe('progress', () => {
  it('reports ProgressDeadlineExceeded when the new ReplicaSet makes no progress in time, while the old pods stay available', async () => {
    simulator.behaviour.unpullableImage('web:broken');
    const spec = { replicas: 2, progressDeadlineSeconds: 1 };
    await applyWith(clients, deploymentOf('web', 'web:1', spec));
    await eventually('the first rollout', () => deploymentDone(simulator, 'web'));
    await applyWith(clients, deploymentOf('web', 'web:broken', spec));
    const stuck = await eventually(
      'the deadline',
      () => {
        const deployment = simulator.objects.get(
          'apps/v1',
          'Deployment',
          'default',
          'web',
        ) as unknown as V1Deployment;
        return (
          deployment.status?.conditions?.find(
            (condition) => condition.reason === 'ProgressDeadlineExceeded',
          ) && deployment
        );
      },
      4000,
    );
    const newSet = replicaSetsOf('web').find(
      (rs) => rs.spec?.template?.spec?.containers[0]?.image === 'web:broken',
    )!;
    expect(stuck.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }),
        expect.objectContaining({
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${newSet.metadata!.name}" has timed out progressing.`,
        }),
      ]),
    );
    expect(stuck.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 1,
      availableReplicas: 2,
      unavailableReplicas: 1,
    });
  });

  it('reports a new rollout as ReplicaSetUpdated while it progresses', async () => {
    simulator.behaviour.readyDelayMs = 300;
    await applyWith(clients, deploymentOf('web', 'web:1', { replicas: 2 }));
    const progressing = await eventually('progress', () => {
      const deployment = simulator.objects.get(
        'apps/v1',
        'Deployment',
        'default',
        'web',
      ) as unknown as V1Deployment;
      return deployment.status?.conditions?.find(
        (condition) => condition.type === 'Progressing' && condition.reason !== 'NewReplicaSetCreated',
      );
    });
    expect(progressing).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: expect.stringMatching(/^ReplicaSet "web-\w+" is progressing\.$/),
    });
  });
});

describe('the control plane', () => {
  it('does nothing while the controllers are paused, and catches up when resumed', async () => {
    simulator.behaviour.pauseControllers();
    await applyWith(clients, deploymentOf('web', 'web:1'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(replicaSetsOf('web')).toEqual([]);
    expect(simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.status).toBeUndefined();
    simulator.behaviour.resumeControllers();
    await eventually('the rollout', () => deploymentDone(simulator, 'web'));
  });

  it('writes status only through the status subresource: a client cannot set it on the main resource', async () => {
    await applyWith(clients, deploymentOf('web', 'web:1'));
    await eventually('the rollout', () => deploymentDone(simulator, 'web'));
    const patched = await clients.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { status: { replicas: 42 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status?.replicas).toBe(1);
    expect(podsOf(simulator, 'web')).toHaveLength(1);
  });
});
