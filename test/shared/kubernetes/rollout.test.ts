import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import { diagnose } from '../../../shared/src/kubernetes/rollout/diagnosis.ts';
import { workloadRevision } from '../../../shared/src/kubernetes/rollback/history.ts';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import { RollbackError, rollbackWorkload } from '../../../shared/src/kubernetes/rollback/rollback.ts';
import type { WaitedKind } from '../../../shared/src/kubernetes/rollout/rollout-status.ts';
import { waitForRollouts, type RolloutResult } from '../../../shared/src/kubernetes/rollout/rollout-wait.ts';
import {
  daemonSet,
  deployment,
  job,
  startCluster,
  statefulSet,
  type SimulatedCluster,
} from './simulated-cluster.ts';

/** Waiting, diagnosing and rolling back against the simulated controllers. */

let cluster: SimulatedCluster;
beforeEach(async () => {
  cluster = await startCluster({ readyDelayMs: 30, backOffMs: 50 });
});
afterEach(async () => {
  await cluster.close();
});

async function waitFor(
  objects: KubeObject[],
  options: { timeoutMs?: number; maxRestarts?: number } = {},
): Promise<RolloutResult[]> {
  return waitForRollouts(
    cluster.client,
    objects.map((object) => ({
      ref: {
        apiVersion: object.apiVersion ?? '',
        kind: object.kind as WaitedKind,
        name: object.metadata?.name ?? '',
        namespace: object.metadata?.namespace ?? 'default',
      },
      object,
    })),
    {
      deadline: new Deadline(options.timeoutMs ?? 10_000, 'the test rollouts'),
      signal: new AbortController().signal,
      maxRestarts: options.maxRestarts ?? 3,
    },
  );
}

describe('waitForRollouts', () => {
  it('waits for a Deployment, a StatefulSet, a DaemonSet and a Job together', async () => {
    const objects = await Promise.all([
      cluster.apply(deployment('web', 'registry.example.com:5000/shop/web:1')),
      cluster.apply(statefulSet('db', 'postgres:16')),
      cluster.apply(daemonSet('agent', 'fluent/fluent-bit:3')),
      cluster.apply(job('migrate', 'registry.example.com:5000/shop/migrate:1')),
    ]);
    const results = await waitFor(objects);
    expect(results.map((result) => [result.ref.kind, result.state])).toEqual([
      ['Deployment', 'complete'],
      ['StatefulSet', 'complete'],
      ['DaemonSet', 'complete'],
      ['Job', 'complete'],
    ]);
    expect(results[0]?.message).toBe('deployment "web" successfully rolled out');
    expect(cluster.simulator.controllerErrors).toEqual([]);
  });

  it('fails fast on ImagePullBackOff of the new revision and names the image', async () => {
    await waitFor([await cluster.apply(deployment('web', 'registry.example.com:5000/shop/web:1'))]);
    cluster.simulator.behaviour.unpullableImage('registry.example.com:5000/shop/web:broken');
    const updated = await cluster.apply(deployment('web', 'registry.example.com:5000/shop/web:broken'));
    const [result] = await waitFor([updated], { timeoutMs: 20_000 });
    expect(result?.state).toBe('failed');
    expect(result?.message).toContain(
      'cannot pull image "registry.example.com:5000/shop/web:broken" (ImagePullBackOff',
    );
    expect(result?.durationMs).toBeLessThan(10_000);
    const diagnosis = await diagnose(cluster.client, result!);
    expect(diagnosis.problems[0]).toContain('ImagePullBackOff');
  });

  it('rolls out a DaemonSet fixed after a crash-looping revision', async () => {
    cluster.simulator.behaviour.crashingImage('agent:crash', { exitCode: 1, log: 'old revision crashing\n' });
    const [broken] = await waitFor([await cluster.apply(daemonSet('agent', 'agent:crash'))], {
      maxRestarts: 1,
    });
    expect(broken?.state).toBe('failed');
    const [fixed] = await waitFor([await cluster.apply(daemonSet('agent', 'agent:2'))], {
      maxRestarts: 1,
      timeoutMs: 20_000,
    });
    expect({ state: fixed?.state, message: fixed?.message }).toEqual({
      state: 'complete',
      message: 'daemon set "agent" successfully rolled out',
    });
  });

  it('waits for a bare Pod to be Ready, and fails fast when its image cannot be pulled', async () => {
    const pod = (name: string, image: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'main', image }] },
    });
    const [ready] = await waitFor([await cluster.apply(pod('debug', 'busybox:1'))]);
    expect({ state: ready?.state, message: ready?.message }).toEqual({
      state: 'complete',
      message: 'pod "debug" is ready',
    });
    cluster.simulator.behaviour.unpullableImage('busybox:missing');
    const [failed] = await waitFor([await cluster.apply(pod('broken', 'busybox:missing'))], {
      timeoutMs: 20_000,
    });
    expect(failed?.state).toBe('failed');
    expect(failed?.message).toContain('cannot pull image "busybox:missing"');
  });

  it("fails a crash loop beyond max-restarts, with the crashed container's log", async () => {
    cluster.simulator.behaviour.crashingImage('shop/web:crash', {
      exitCode: 3,
      log: 'connecting to db\npanic: DATABASE_URL is not set\n',
    });
    const [result] = await waitFor(
      [await cluster.apply(deployment('web', 'shop/web:crash', { replicas: 1 }))],
      { maxRestarts: 1 },
    );
    expect(result?.state).toBe('failed');
    expect(result?.message).toMatch(
      /crash-looping \(CrashLoopBackOff, restarted \d+ times; last exit: Error, exit code 3\)/,
    );
    const diagnosis = await diagnose(cluster.client, result!);
    expect(diagnosis.logs[0]?.tail).toContain('panic: DATABASE_URL is not set');
    expect(diagnosis.logs[0]?.previous).toBe(true);
  });

  it('reports an unschedulable pod when the deadline passes, and the ProgressDeadlineExceeded that follows', async () => {
    cluster.simulator.behaviour.unschedulable({ labels: { app: 'web' } }, '2 Insufficient memory');
    const applied = await cluster.apply(deployment('web', 'shop/web:1', { replicas: 1 }));
    // Unschedulable is not a fail-fast problem, so this waits the whole deadline: long enough for a
    // loaded machine to create the pod and have the scheduler turn it down.
    const [timedOut] = await waitFor([applied], { timeoutMs: 3000 });
    expect(timedOut?.state).toBe('timed-out');
    expect(timedOut?.problems[0]?.message).toContain(
      'cannot be scheduled: 0/2 nodes are available: 2 Insufficient memory',
    );
    const diagnosis = await diagnose(cluster.client, timedOut!);
    expect(diagnosis.events.join('\n')).toContain('FailedScheduling');

    const withDeadline = await cluster.apply(
      deployment('web', 'shop/web:1', { replicas: 1, progressDeadlineSeconds: 1 }),
    );
    const [exceeded] = await waitFor([withDeadline], { timeoutMs: 10_000 });
    expect(exceeded?.state).toBe('failed');
    expect(exceeded?.message).toContain('exceeded its progress deadline');
  });

  it("reports a failed Job with its pod's exit code and log", async () => {
    cluster.simulator.behaviour.failJobs(
      { name: 'migrate' },
      { exitCode: 2, log: 'ERROR: relation "users" already exists\n' },
    );
    const [result] = await waitFor([await cluster.apply(job('migrate', 'shop/migrate:1'))]);
    expect(result?.state).toBe('failed');
    expect(result?.message).toContain('job "migrate" failed: BackoffLimitExceeded');
    const diagnosis = await diagnose(cluster.client, result!);
    expect(diagnosis.problems.join('\n')).toMatch(/exited with code 2/);
    expect(diagnosis.logs[0]?.tail).toContain('relation "users" already exists');
  });

  it('survives dropped watches and expired history mid-rollout', async () => {
    cluster.simulator.behaviour.pauseControllers();
    const applied = await cluster.apply(deployment('web', 'shop/web:1'));
    const waiting = waitFor([applied]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    cluster.simulator.faults.dropWatches();
    cluster.simulator.faults.expireWatchHistory();
    cluster.simulator.behaviour.resumeControllers();
    await new Promise((resolve) => setTimeout(resolve, 50));
    cluster.simulator.faults.dropWatches();
    const [result] = await waiting;
    expect(result?.state).toBe('complete');
  });
});

describe('rollbackWorkload (kubectl rollout undo)', () => {
  it("returns a Deployment to its previous ReplicaSet's template, or to a given revision", async () => {
    await waitFor([await cluster.apply(deployment('web', 'shop/web:1'))]);
    await waitFor([await cluster.apply(deployment('web', 'shop/web:2'))]);
    const third = await cluster.apply(deployment('web', 'shop/web:3'));
    await waitFor([third]);
    const target = { apiVersion: 'apps/v1', kind: 'Deployment' as const, name: 'web', namespace: 'default' };
    expect(await rollbackWorkload(cluster.client, target, { fieldManager: 'gantry-rollback' })).toEqual({
      ref: target,
      changed: true,
      revision: 2,
      message: 'rolled back to revision 2',
      deletedPods: [],
      object: expect.objectContaining({ kind: 'Deployment' }),
    });
    const [rolledBack] = await waitFor([third]);
    expect(rolledBack?.state).toBe('complete');
    const live = cluster.simulator.objects.get('apps/v1', 'Deployment', 'default', 'web');
    expect(
      (live?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
        ?.image,
    ).toBe('shop/web:2');
    expect(await workloadRevision(cluster.client, 'Deployment', live as KubeObject)).toBe(4);

    const toFirst = await rollbackWorkload(cluster.client, target, {
      fieldManager: 'gantry-rollback',
      toRevision: 1,
    });
    expect(toFirst.revision).toBe(1);
    // The controller gives revision 1's ReplicaSet the next revision (5) when it reconciles: wait for
    // that rollout before asking for revision 5, or a loaded machine sees no revision 5 yet.
    await waitFor([third]);
    const again = await rollbackWorkload(cluster.client, target, {
      fieldManager: 'gantry-rollback',
      toRevision: 5,
    });
    expect(again).toMatchObject({
      changed: false,
      message: 'skipped rollback (current template already matches revision 5)',
    });
    await expect(
      rollbackWorkload(cluster.client, target, { fieldManager: 'x', toRevision: 99 }),
    ).rejects.toThrow('Cannot roll back Deployment/default/web: revision 99 not found (available: 3, 4, 5)');
  });

  it('refuses a paused Deployment and one without history', async () => {
    await waitFor([await cluster.apply(deployment('web', 'shop/web:1'))]);
    const target = { apiVersion: 'apps/v1', kind: 'Deployment' as const, name: 'web', namespace: 'default' };
    await expect(rollbackWorkload(cluster.client, target, { fieldManager: 'x' })).rejects.toThrow(
      'no previous revision: revision 1 is the only one in the history',
    );
    await cluster.apply(deployment('web', 'shop/web:2', { paused: true }));
    await expect(
      rollbackWorkload(cluster.client, target, { fieldManager: 'x', toRevision: 1 }),
    ).rejects.toThrow(RollbackError);
    await expect(
      rollbackWorkload(cluster.client, target, { fieldManager: 'x', toRevision: 1 }),
    ).rejects.toThrow('you cannot rollback a paused deployment');
  });

  it.each<[string, (image: string) => KubeObject]>([
    ['StatefulSet', (image) => statefulSet('db', image)],
    ['DaemonSet', (image) => daemonSet('db', image)],
  ])('returns a %s to its previous ControllerRevision', async (kind, make) => {
    await waitFor([await cluster.apply(make('db:1'))]);
    const second = await cluster.apply(make('db:2'));
    await waitFor([second]);
    const target = { apiVersion: 'apps/v1', kind: kind as 'StatefulSet', name: 'db', namespace: 'default' };
    const outcome = await rollbackWorkload(cluster.client, target, { fieldManager: 'gantry-rollback' });
    expect(outcome).toMatchObject({ changed: true, revision: 1 });
    const [result] = await waitFor([second]);
    expect(result?.state).toBe('complete');
    const live = cluster.simulator.objects.get('apps/v1', kind, 'default', 'db') as KubeObject;
    expect(JSON.stringify(live.spec?.template)).toContain('"db:1"');
    expect(await workloadRevision(cluster.client, target.kind, live)).toBe(3);
  });
});
