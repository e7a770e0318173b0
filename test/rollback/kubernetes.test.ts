import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { daemonSet, deployment, statefulSet } from '../shared/kubernetes/simulated-cluster.ts';
import { expectSuccess, liveImage, rollback, rollOut, startWorld, writes, type World } from './helpers.ts';

/** kubectl rollout undo, by the rollback action, against the simulated cluster. */

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const versions = (...tags: string[]) => tags.map((tag) => deployment('web', `shop/web:${tag}`));

describe('rollback on Kubernetes', () => {
  it('returns a Deployment to its previous revision and waits for it', async () => {
    await rollOut(world.cluster, versions('1', '2', '3'));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web' });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:2');
    expect(run.outputs).toMatchObject({
      'restored-revision': '2',
      'replaced-revision': '3',
      images: 'shop/web:2',
      'deployment-id': '',
    });
    expect(
      writes(requests).map((request) => `${request.method} ${request.path} ${request.contentType}`),
    ).toEqual(['PATCH /apis/apps/v1/namespaces/default/deployments/web application/json-patch+json']);
    expect(run.log).toContain('Deployment/default/web: rolled back to revision 2');
    expect(run.log).toContain('Deployment/default/web: deployment "web" successfully rolled out');
    expect(run.summary).toContain('| Workload | Before | After | Result |');
    expect(run.summary).toMatch(
      /revision 3<br>app: shop\/web:3 \| revision 2<br>app: shop\/web:2 \| rolled back to revision 2; rolled out in/,
    );
  });

  it('returns to a given revision', async () => {
    await rollOut(world.cluster, versions('1', '2', '3'));
    const { run } = await rollback(world, { workloads: 'deploy/web', 'to-revision': '1' });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:1');
    expect(run.outputs['restored-revision']).toBe('1');
  });

  it('says which revisions exist when the one asked for does not, and changes nothing', async () => {
    await rollOut(world.cluster, versions('1', '2', '3'));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web', 'to-revision': '7' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain(
      'Cannot roll back Deployment/default/web: revision 7 not found (available: 1, 2, 3). Nothing was changed.',
    );
    expect(writes(requests)).toEqual([]);
  });

  it('says there is no previous revision for a Deployment with one revision', async () => {
    await rollOut(world.cluster, versions('1'));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain('no previous revision: revision 1 is the only one in the history');
    expect(writes(requests)).toEqual([]);
  });

  it('refuses a paused Deployment, as kubectl does', async () => {
    await rollOut(world.cluster, versions('1', '2'));
    await world.cluster.apply(deployment('web', 'shop/web:2', { paused: true }));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again",
    );
    expect(writes(requests)).toEqual([]);
  });

  it("does nothing, with kubectl's message, when the Deployment already runs the revision asked for", async () => {
    await rollOut(world.cluster, versions('1', '2', '3'));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web', 'to-revision': '3' });
    expectSuccess(run);
    expect(run.log).toContain('skipped rollback (current template already matches revision 3)');
    expect(writes(requests)).toEqual([]);
    expect(run.outputs).toMatchObject({ 'restored-revision': '3', 'replaced-revision': '3' });
  });

  it('rolls back a StatefulSet and a DaemonSet through their ControllerRevisions, outputs keyed by kind/name', async () => {
    await rollOut(world.cluster, [statefulSet('db', 'shop/db:1'), statefulSet('db', 'shop/db:2')]);
    await rollOut(world.cluster, [daemonSet('agent', 'shop/agent:1'), daemonSet('agent', 'shop/agent:2')]);
    const { run, requests } = await rollback(world, { workloads: 'statefulset/db\nds/agent' });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'StatefulSet', 'db')).toBe('shop/db:1');
    expect(liveImage(world.cluster, 'DaemonSet', 'agent')).toBe('shop/agent:1');
    expect(JSON.parse(run.outputs['restored-revision'] ?? '')).toEqual({
      'statefulset/db': 1,
      'daemonset/agent': 1,
    });
    expect(JSON.parse(run.outputs['replaced-revision'] ?? '')).toEqual({
      'statefulset/db': 2,
      'daemonset/agent': 2,
    });
    expect(run.outputs.images?.split('\n').sort()).toEqual(['shop/agent:1', 'shop/db:1']);
    expect(writes(requests).map((request) => request.contentType)).toEqual([
      'application/strategic-merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
  });

  it('rolls back every workload a label selector matches', async () => {
    const labelled = (name: string, tag: string) => ({
      ...deployment(name, `shop/${name}:${tag}`),
      metadata: { name, namespace: 'default', labels: { tier: 'front' } },
    });
    await rollOut(world.cluster, [labelled('web', '1'), labelled('web', '2')]);
    await rollOut(world.cluster, [labelled('api', '1'), labelled('api', '2')]);
    await rollOut(world.cluster, [deployment('other', 'shop/other:1'), deployment('other', 'shop/other:2')]);
    const { run } = await rollback(world, { selector: 'tier=front' });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:1');
    expect(liveImage(world.cluster, 'Deployment', 'api')).toBe('shop/api:1');
    expect(liveImage(world.cluster, 'Deployment', 'other')).toBe('shop/other:2');
    expect(Object.keys(JSON.parse(run.outputs['restored-revision'] ?? '')).sort()).toEqual([
      'deployment/api',
      'deployment/web',
    ]);
  });

  it('changes nothing when one of several workloads cannot be rolled back', async () => {
    await rollOut(world.cluster, versions('1', '2'));
    const { run, requests } = await rollback(world, { workloads: 'deployment/web\ndeployment/missing' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain(
      'Cannot roll back Deployment/default/missing: it does not exist. Nothing was changed.',
    );
    expect(writes(requests)).toEqual([]);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:2');
  });

  it('a dry run reports what would be restored and sends no write to the cluster or GitHub', async () => {
    await rollOut(world.cluster, versions('1', '2', '3'));
    const { run, requests, githubRequests } = await rollback(world, {
      workloads: 'deployment/web',
      'dry-run': 'true',
      environment: 'production',
    });
    expectSuccess(run);
    expect(writes(requests)).toEqual([]);
    expect(githubRequests).toEqual([]);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:3');
    expect(run.outputs).toMatchObject({
      'restored-revision': '2',
      'replaced-revision': '3',
      images: 'shop/web:2',
    });
    expect(run.summary).toContain('Nothing was changed');
    expect(run.summary).toContain('would roll back to revision 2');
  });

  it('reports a rollback whose own rollout fails, with the diagnosis, and does not roll back again', async () => {
    await rollOut(world.cluster, versions('1', '2'));
    world.cluster.simulator.behaviour.unpullableImage('shop/web:1');
    const { run, requests } = await rollback(world, { workloads: 'deployment/web' });
    expect(run.outcome).toBe('failure');
    expect(writes(requests)).toHaveLength(1);
    const errors = run.annotations.filter((annotation) => annotation.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('Deployment/default/web: the restored revision did not roll out');
    expect(errors[0]?.message).toContain('shop/web:1');
    expect(run.log).toContain('1 of 1 rollback(s) failed: Deployment/default/web.');
    expect(run.summary).toContain('Diagnosis: Deployment/default/web');
  }, 60_000);
});
