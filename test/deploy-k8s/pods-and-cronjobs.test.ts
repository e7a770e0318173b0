import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';
import { deploy, story, writeFiles } from './helpers.ts';

/** Bare Pods are waited for until Ready or Succeeded; CronJobs are checked, not waited for. */

let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30, backOffMs: 50 });
  workspace = tempDir('gantry-deploy-k8s-pods-');
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const pod = (image: string): string => `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers:
  - name: main
    image: ${image}
`;

const cronJob = (suspend?: boolean): string => `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"${suspend === undefined ? '' : `\n  suspend: ${suspend}`}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: registry.example.com:5000/shop/report:1.0
`;

describe('bare Pods', () => {
  it('waits for a Pod to be Ready', async () => {
    writeFiles(workspace.path, { 'k8s/pod.yaml': pod('busybox:1') });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(run.log).toContain('Pod/default/debug: pod "debug" is ready');
    expect(run.summary).toMatch(/\| Pod\/default\/debug \| rolled out \| {2}\| {2}\|/);
    expect(JSON.parse(run.outputs.revision ?? '')).toEqual({});
  });

  it('fails when the Pod cannot start, and names the image', async () => {
    simulator.behaviour.unpullableImage('busybox:missing');
    writeFiles(workspace.path, { 'k8s/pod.yaml': pod('busybox:missing') });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain('cannot pull image "busybox:missing"');
  });
});

describe('CronJobs', () => {
  it('accepts a CronJob without waiting for a run', async () => {
    writeFiles(workspace.path, { 'k8s/cron.yaml': cronJob() });
    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 0 });
    expect(run.log).toContain('CronJob/default/nightly: cronjob "nightly" accepted: scheduled "0 3 * * *"');
  });

  it('fails when the CronJob is suspended on the cluster though the manifest does not ask for it', async () => {
    writeFiles(workspace.path, { 'k8s/cron.yaml': cronJob() });
    expect((await deploy(simulator, workspace.path, { manifests: 'k8s' })).run.exitCode).toBe(0);
    const live = simulator.objects.get('batch/v1', 'CronJob', 'default', 'nightly')!;
    simulator.objects.update({ ...live, spec: { ...(live.spec as object), suspend: true } }, 'kubectl-patch');

    const { run } = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: run.exitCode, story: story(run) }).toMatchObject({ exit: 1 });
    expect(run.log).toContain('cronjob "nightly" is suspended, so it will never run');

    writeFiles(workspace.path, { 'k8s/cron.yaml': cronJob(true) });
    const asked = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect({ exit: asked.run.exitCode, story: story(asked.run) }).toMatchObject({ exit: 0 });
    expect(asked.run.log).toContain('cronjob "nightly" accepted: suspended, as the manifest asks');
  });
});
