import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DeploymentPayload } from '../../shared/src/github/deployment-payload.ts';
import { deploymentRecords } from '../../shared/src/github/deployment-records.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { deployment } from '../shared/kubernetes/simulated-cluster.ts';
import { expectSuccess, liveImage, rollback, rollOut, startWorld, writes, type World } from './helpers.ts';

/** The rollback action and GitHub's deployment records: what it reads, what it writes, and GitHub failing. */

const SHAS = { '1': 'a'.repeat(40), '2': 'b'.repeat(40), '3': 'c'.repeat(40) } as const;
type Tag = keyof typeof SHAS;

let world: World;
/** The ids of the deploy records of web:1, web:2 and web:3, in order. */
let deployIds: number[];

beforeEach(async () => {
  world = await startWorld();
  deployIds = [];
  for (const tag of ['1', '2', '3'] as Tag[]) {
    await rollOut(world.cluster, [deployment('web', `shop/web:${tag}`)]);
    deployIds.push(await recordDeploy(tag, 'success'));
  }
});
afterEach(async () => {
  await world.close();
});

/** A deploy record as deploy-k8s writes one, with the same module. */
async function recordDeploy(tag: Tag, state: 'success' | 'failure'): Promise<number> {
  const payload: DeploymentPayload = {
    gantry: 1,
    action: 'deploy-k8s',
    platform: 'kubernetes',
    kubernetes: {
      workloads: [
        {
          kind: 'Deployment',
          name: 'web',
          namespace: 'default',
          revision: Number(tag),
          previous_revision: tag === '1' ? null : Number(tag) - 1,
          containers: { app: `shop/web:${tag}` },
        },
      ],
    },
    images: [`shop/web:${tag}`],
    run_url: null,
  };
  const ignore = (): void => undefined;
  const records = deploymentRecords(
    { enabled: true, token: world.github.token, environment: 'production' },
    { warning: ignore, notice: ignore, info: ignore, env: { ...world.github.env, GITHUB_SHA: SHAS[tag] } },
  );
  const record = await records.start({ description: `deploy web:${tag}`, payload });
  await record.finish(state, state);
  return record.id as number;
}

function warnings(run: { annotations: { level: string; message: string }[] }): string[] {
  return run.annotations
    .filter((annotation) => annotation.level === 'warning')
    .map((annotation) => annotation.message);
}

describe('rollback and deployment records', () => {
  it('records a manual rollback: its own deployment of the restored commit, rollback_of, success, the replaced one inactive', async () => {
    const [, second, third] = deployIds as [number, number, number];
    const { run, githubRequests } = await rollback(world, {
      workloads: 'deployment/web',
      environment: 'production',
      'environment-url': 'https://shop.example.com',
    });
    expectSuccess(run);
    const id = Number(run.outputs['deployment-id']);
    expect(world.github.callLog().slice(-githubRequests.length)).toEqual([
      'GET /deployments -> 200',
      'POST /deployments -> 201',
      `POST /deployments/${id}/statuses in_progress -> 201`,
      `POST /deployments/${id}/statuses success -> 201`,
      'GET /deployments -> 200',
      `GET /deployments/${third}/statuses -> 200`,
      `POST /deployments/${third}/statuses inactive -> 201`,
      `GET /deployments/${second}/statuses -> 200`,
    ]);
    const created = world.github.deployments().find((item) => item.id === id);
    expect(created).toMatchObject({
      sha: SHAS['2'],
      environment: 'production',
      payload: {
        gantry: 1,
        action: 'rollback',
        platform: 'kubernetes',
        rollback_of: third,
        images: ['shop/web:2'],
        run_url: 'https://github.com/gantry-dev/sample-service/actions/runs/9000000001',
        kubernetes: {
          workloads: [
            {
              kind: 'Deployment',
              name: 'web',
              namespace: 'default',
              revision: 2,
              previous_revision: 3,
              containers: { app: 'shop/web:2' },
            },
          ],
        },
      },
    });
    expect(githubRequests[1]?.body).toMatchObject({
      auto_merge: false,
      required_contexts: [],
      task: 'deploy',
    });
    expect(world.github.statuses(id).at(-1)).toMatchObject({
      state: 'success',
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/gantry-dev/sample-service/actions/runs/9000000001',
      description: 'Restored Deployment/default/web revision 2',
    });
    expect(run.summary).toContain(`Recorded as deployment ${id}, rollback of deployment ${third}.`);
    expect(warnings(run)).toEqual([]);
    expectNoSecretLeaks(run, [world.github.token]);
  });

  it('with only an environment, rolls back the workloads of its latest record, to a revision a person typed', async () => {
    const { run } = await rollback(
      world,
      { environment: 'production', 'to-revision': '1' },
      { kubeconfig: true },
    );
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:1');
    expect(run.log).toContain(`Deployment ${deployIds[2]} (production, commit cccccccccccc`);
    const created = world.github.deployments().at(-1);
    expect(created).toMatchObject({ sha: SHAS['1'], payload: { rollback_of: deployIds[2] } });
  });

  it('with only an environment, names the revisions that exist when the one typed does not', async () => {
    const { run, requests } = await rollback(world, { environment: 'production', 'to-revision': '7' });
    expect(run.outcome).toBe('failure');
    expect(run.log).toContain('revision 7 not found (available: 1, 2, 3)');
    expect(writes(requests)).toEqual([]);
    expect(world.github.deployments()).toHaveLength(3);
  });

  it('from-deployment restores exactly the images that deployment recorded, as its commit', async () => {
    const [first, , third] = deployIds as [number, number, number];
    const { run } = await rollback(world, { 'from-deployment': String(first) });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:1');
    expect(world.github.deployments().at(-1)).toMatchObject({
      sha: SHAS['1'],
      environment: 'production',
      payload: { rollback_of: third, images: ['shop/web:1'] },
    });
    // Revision 1 is now revision 4: the record is found again by its images, not its number.
    const again = await rollback(world, { 'from-deployment': String(third) });
    expectSuccess(again.run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:3');
    expect(again.run.outputs['restored-revision']).toBe('3');
  });

  it('refuses an environment whose records Gantry did not write, and a from-deployment that does not exist', async () => {
    const empty = await rollback(world, { environment: 'staging' });
    expect(empty.run.outcome).toBe('failure');
    expect(empty.run.log).toContain(
      "Environment staging has no deployment record of Gantry's to roll back (0 deployment(s) listed).",
    );
    const missing = await rollback(world, { 'from-deployment': '99999' });
    expect(missing.run.outcome).toBe('failure');
    expect(missing.run.log).toContain('Cannot read deployment 99999: Not Found');
    expect(writes([...empty.requests, ...missing.requests])).toEqual([]);
  });

  it('a dry run with only an environment reads the records and writes nowhere', async () => {
    const { run, requests, githubRequests } = await rollback(world, {
      environment: 'production',
      'dry-run': 'true',
    });
    expectSuccess(run);
    expect(writes(requests)).toEqual([]);
    expect(githubRequests.map((request) => request.method)).toEqual(['GET']);
    expect(run.outputs).toMatchObject({
      'restored-revision': '2',
      'replaced-revision': '3',
      'deployment-id': '',
    });
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:3');
  });

  it('a GitHub that is down is one warning: the rollback itself succeeds', async () => {
    world.github.faults.inject({ kind: 'reset', times: Infinity });
    const { run } = await rollback(world, { workloads: 'deployment/web', environment: 'production' });
    expectSuccess(run);
    expect(liveImage(world.cluster, 'Deployment', 'web')).toBe('shop/web:2');
    expect(warnings(run)).toEqual([expect.stringContaining('Deployment record not written')]);
    expect(run.outputs['deployment-id']).toBe('');
  }, 90_000);

  it('a token that may not write deployments (403) is one warning: the rollback itself succeeds', async () => {
    world.github.faults.inject({ kind: 'forbidden', method: 'POST', times: Infinity });
    const { run, githubRequests } = await rollback(world, {
      workloads: 'deployment/web',
      environment: 'production',
    });
    expectSuccess(run);
    expect(warnings(run)).toEqual([expect.stringContaining('Resource not accessible by integration')]);
    expect(githubRequests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'GET 200',
      'POST 403',
    ]);
    expectNoSecretLeaks(run, [world.github.token]);
  });

  it('without an environment, records nothing and says so', async () => {
    const { run, githubRequests } = await rollback(world, { workloads: 'deployment/web' });
    expectSuccess(run);
    expect(githubRequests).toEqual([]);
    expect(run.annotations.filter((annotation) => annotation.level === 'notice')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('No deployment record: no environment input was given'),
      }),
    ]);
  });
});
