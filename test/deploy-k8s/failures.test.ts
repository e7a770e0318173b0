import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';
import { deploy, errors, imageOf, story, webApp, writeFiles } from './helpers.ts';

/** Rollouts that fail, time out, or meet a flaky API: diagnosed, rolled back, and still correct. */

let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30, backOffMs: 50 });
  workspace = tempDir('gantry-deploy-k8s-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp() });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const GOOD = 'registry.example.com:5000/shop/web:1.0';
const liveImage = (): string | undefined =>
  imageOf(
    simulator.objects.get('apps/v1', 'Deployment', 'default', 'web'),
    'spec',
    'template',
    'spec',
    'containers',
  );

async function firstDeploy(): Promise<void> {
  const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
  expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
}

describe('a broken release', () => {
  it('ImagePullBackOff: fails fast, names the image, rolls back, and the next good deploy takes its fields back', async () => {
    await firstDeploy();
    const broken = 'registry.example.com:5000/shop/web:2.0-broken';
    simulator.behaviour.unpullableImage(broken);
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: broken,
      timeout: '5m',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const [annotation] = errors(run);
    expect(annotation?.properties.title).toBe('Rollout of Deployment/default/web failed');
    expect(annotation?.message).toContain(`FAILED: pod web-`);
    expect(annotation?.message).toContain(`cannot pull image "${broken}" (ImagePullBackOff`);
    expect(run.summary).not.toContain('TIMED OUT');
    expect(run.summary).toContain('| Deployment/default/web | FAILED: ImagePullBackOff | 3 | 1 |');
    // The diagnosis states each problem once.
    expect(run.summary.split('cannot pull image').length - 1).toBe(1);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(JSON.parse(run.outputs['previous-revision'] ?? '')).toEqual({ 'Deployment/default/web': 1 });
    expect(JSON.parse(run.outputs.revision ?? '')).toEqual({ 'Deployment/default/web': 3 });
    expect(run.summary).toMatch(/\| Deployment\/default\/web \| rolled back to revision 1; rolled out in /);
    expect(run.log).toContain(
      '1 of 1 rollout(s) failed: Deployment/default/web. Rolled back Deployment/default/web.',
    );
    expect(liveImage()).toBe(GOOD);

    // The rollback's field manager owns the image now; the next deploy of gantry takes it back.
    const fixed = 'registry.example.com:5000/shop/web:2.1';
    const next = await deploy(simulator, workspace.path, { manifests: 'k8s', images: fixed });
    expect({ exit: next.run.exitCode, story: story(next.run) }).toMatchObject({ exit: 0 });
    // Once, though the validating dry run met the same conflict before the apply.
    expect(
      next.run.annotations.filter(
        (item) => item.level === 'notice' && item.message.includes('gantry-rollback'),
      ),
    ).toHaveLength(1);
    expect(liveImage()).toBe(fixed);
    expectNoSecretLeaks(run, [simulator.token]);
  });

  it("CrashLoopBackOff beyond max-restarts: the crashed container's log tail is in the message", async () => {
    await firstDeploy();
    const crashing = 'registry.example.com:5000/shop/web:2.0';
    simulator.behaviour.crashingImage(crashing, {
      exitCode: 78,
      log: 'loading config\nFATAL: missing environment variable DATABASE_URL\n',
    });
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: crashing,
      'max-restarts': '1',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const message = errors(run)[0]?.message ?? '';
    expect(message).toMatch(
      /is crash-looping \(CrashLoopBackOff, restarted \d+ times; last exit: Error, exit code 78\)/,
    );
    expect(message).toContain('FATAL: missing environment variable DATABASE_URL');
    expect(run.summary).toContain('FATAL: missing environment variable DATABASE_URL');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(liveImage()).toBe(GOOD);
  });

  it("ProgressDeadlineExceeded fails the rollout before the step's own timeout", async () => {
    await firstDeploy();
    writeFiles(workspace.path, {
      'k8s/web.yaml': webApp({
        image: 'registry.example.com:5000/shop/web:3.0',
        extraSpec: 'progressDeadlineSeconds: 1',
      }),
    });
    simulator.behaviour.unschedulable({ labels: { app: 'web' } }, '2 Insufficient memory');
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s', timeout: '5m' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const message = errors(run)[0]?.message ?? '';
    expect(message).toContain('deployment "web" exceeded its progress deadline');
    expect(message).toContain('cannot be scheduled: 0/2 nodes are available: 2 Insufficient memory');
    expect(run.outputs['rolled-back']).toBe('true');
  });

  it('a timeout reports what it was waiting for and why, then rolls back', async () => {
    await firstDeploy();
    simulator.behaviour.unschedulable({ labels: { app: 'web' } });
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: 'registry.example.com:5000/shop/web:4.0',
      timeout: '5s',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const message = errors(run)[0]?.message ?? '';
    expect(message).toContain('TIMED OUT: Waiting for deployment "web" rollout to finish');
    expect(message).toContain('cannot be scheduled: 0/2 nodes are available: 2 Insufficient cpu');
    expect(message).toContain('Warning FailedScheduling');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(liveImage()).toBe(GOOD);
  });

  it('a conflict with another field manager stops the deploy and says how to resolve it', async () => {
    await firstDeploy();
    const live = simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')!;
    (live.spec as { replicas: number }).replicas = 5;
    simulator.objects.update(live, 'kubectl-edit');
    writeFiles(workspace.path, { 'k8s/web.yaml': webApp({ replicas: 3 }) });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const message = errors(run)[0]?.message ?? '';
    expect(message).toContain('conflicts with another field manager');
    expect(message).toContain('kubectl-edit');
    expect(message).toContain('set force-conflicts: true');
    const forced = await deploy(simulator, workspace.path, { manifests: 'k8s', 'force-conflicts': 'true' });
    expect({ exit: forced.run.exitCode, story: story(forced.run) }).toMatchObject({ exit: 0 });
    expect(
      (simulator.objects.get('apps/v1', 'Deployment', 'default', 'web')?.spec as { replicas: number })
        .replicas,
    ).toBe(3);
  });
});

describe('Jobs', () => {
  const migration =
    'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: migrate, image: "registry.example.com:5000/shop/web:1.0"}]\n';

  it('waits for a Job to complete', async () => {
    writeFiles(workspace.path, { 'k8s/job.yaml': migration });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(run.summary).toMatch(/\| Job\/default\/migrate \| rolled out \|/);
    expect(JSON.parse(run.outputs.revision ?? '')).toEqual({ 'Deployment/default/web': 1 });
  });

  it("reports a failed Job with its pod's exit code and log, and rolls back the Deployment it came with", async () => {
    await firstDeploy();
    simulator.behaviour.failJobs(
      { name: 'migrate' },
      { exitCode: 3, log: 'ERROR: column "email" already exists\n' },
    );
    writeFiles(workspace.path, { 'k8s/job.yaml': migration });
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: 'registry.example.com:5000/shop/web:2.0',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    const message = errors(run)
      .map((annotation) => annotation.message)
      .join('\n');
    expect(message).toContain('job "migrate" failed: BackoffLimitExceeded');
    expect(message).toMatch(/container "migrate" exited with code 3/);
    expect(message).toContain('ERROR: column "email" already exists');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(liveImage()).toBe(GOOD);
  });
});

describe('a flaky API', () => {
  it('watches dropped mid-rollout, back after the history expired, still see the rollout finish', async () => {
    simulator.behaviour.pauseControllers();
    const { run, requests } = await deploy(
      simulator,
      workspace.path,
      { manifests: 'k8s' },
      {
        during: async () => {
          await until(() => simulator.openWatches() >= 3);
          // The three watches reconnect late: the rollout goes on meanwhile, and by the time they are
          // back their resourceVersion has been compacted away (410 Gone): only a relist sees the end.
          simulator.faults.inject({
            method: 'GET',
            path: /\/(deployments|pods|replicasets)$/,
            delayMs: 300,
            times: 3,
          });
          simulator.faults.dropWatches();
          simulator.behaviour.resumeControllers();
          await new Promise((resolve) => setTimeout(resolve, 150));
          simulator.faults.expireWatchHistory();
        },
      },
    );
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(run.summary).toMatch(/\| Deployment\/default\/web \| rolled out \|/);
    const lists = requests.filter(
      (request) =>
        request.path === '/apis/apps/v1/namespaces/default/deployments' &&
        request.query.fieldSelector === 'metadata.name=web' &&
        request.query.watch !== 'true',
    );
    // The rollout's first list, and its relist after the stale watch was answered 410 Expired (the
    // list of pending canaries before any write is not the rollout's).
    expect(lists).toHaveLength(2);
  });

  it('an API refusal that ends the wait still rolls the release back, with outputs and summary', async () => {
    await firstDeploy();
    // The apply is allowed, watching the Deployment is not: the wait cannot go on.
    simulator.faults.inject({
      method: 'GET',
      path: /\/deployments$/,
      query: { fieldSelector: 'metadata.name=web' },
      status: 403,
    });
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: 'registry.example.com:5000/shop/web:2.0',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toMatch(/403 Forbidden/);
    expect(run.log).not.toContain('bug in Gantry');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(JSON.parse(run.outputs['previous-revision'] ?? '')).toEqual({ 'Deployment/default/web': 1 });
    expect(run.summary).toMatch(/\| Deployment\/default\/web \| rolled back to revision 1; rolled out in /);
    expect(liveImage()).toBe(GOOD);
  });

  it('429 on apply is retried after Retry-After', async () => {
    simulator.faults.inject({
      method: 'PATCH',
      path: /deployments\/web$/,
      status: 429,
      retryAfterSeconds: 1,
    });
    const { run, requests } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    const applies = requests.filter(
      (request) => request.method === 'PATCH' && request.path.endsWith('/deployments/web'),
    );
    // The validating dry run meets the 429 first; the write after it goes through.
    expect(applies.map((request) => [request.query.dryRun ?? 'write', request.status])).toEqual([
      ['All', 429],
      ['All', 201],
      ['write', 201],
    ]);
    expect(run.log).toMatch(
      /Retrying: dry-run apply Deployment\/default\/web: 429 TooManyRequests; attempt 2 in 1\d{3} ms/,
    );
  });

  it('a base64 kubeconfig works, and its token appears nowhere', async () => {
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      kubeconfig: Buffer.from(simulator.kubeconfig).toString('base64'),
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(run.masks).toContain(simulator.token);
    expectNoSecretLeaks(run, [simulator.token, Buffer.from(simulator.kubeconfig).toString('base64')]);
  });
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the simulator never reached the expected state');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('StatefulSets', () => {
  const database = (image: string): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "${image}"}]
`;

  it('a crashing release goes back to the previous ControllerRevision', async () => {
    writeFiles(workspace.path, { 'k8s/web.yaml': database('registry.example.com:5000/shop/db:16.1') });
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: first.run.exitCode, story: story(first.run) }).toMatchObject({ exit: 0 });
    expect(JSON.parse(first.run.outputs.revision ?? '')).toEqual({ 'StatefulSet/default/db': 1 });

    simulator.behaviour.crashingImage('registry.example.com:5000/shop/db:16.2', {
      log: 'FATAL: data directory has wrong version\n',
    });
    const { run } = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: 'registry.example.com:5000/shop/db:16.2',
      'max-restarts': '0',
    });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(errors(run)[0]?.message).toContain('FATAL: data directory has wrong version');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(JSON.parse(run.outputs['previous-revision'] ?? '')).toEqual({ 'StatefulSet/default/db': 1 });
    expect(JSON.parse(run.outputs.revision ?? '')).toEqual({ 'StatefulSet/default/db': 3 });
    // The broken pod blocks a StatefulSet rollback until it is deleted (a "forced rollback").
    expect(run.summary).toMatch(
      /\| StatefulSet\/default\/db \| rolled back to revision 1; deleted pod\(s\) stuck on the failed revision: db-1; rolled out in /,
    );
    expect(
      imageOf(
        simulator.objects.get('apps/v1', 'StatefulSet', 'default', 'db'),
        'spec',
        'template',
        'spec',
        'containers',
      ),
    ).toBe('registry.example.com:5000/shop/db:16.1');
  });
});
