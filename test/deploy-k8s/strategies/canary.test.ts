import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, imageOf, story, webApp, writeFiles } from '../helpers.ts';
import {
  annotationsOf,
  deploymentOf,
  deploymentPath,
  podsWith,
  replicasOf,
  until,
  writesTo,
} from './helpers.ts';

/**
 * strategy: canary (replica-based) through the committed bundle against the simulator: the canary
 * beside the stable Deployment, which is not written until promote; promote and abort from later
 * runs, both idempotent; a second canary refused while one is pending, unless supersede.
 */
let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30 });
  workspace = tempDir('gantry-canary-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp({ replicas: 4 }) });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const V1 = 'registry.example.com:5000/shop/web:1.0';
const V2 = 'registry.example.com:5000/shop/web:2.0';
const V3 = 'registry.example.com:5000/shop/web:3.0';
const canary = (inputs: Record<string, string> = {}): Record<string, string> => ({
  manifests: 'k8s',
  strategy: 'canary',
  ...inputs,
});
const stableImage = (): string | undefined =>
  imageOf(deploymentOf(simulator, 'web'), 'spec', 'template', 'spec', 'containers');

async function expectSuccess(run: Awaited<ReturnType<typeof deploy>>): Promise<void> {
  expect(run.run.exitCode === 0 ? '' : story(run.run)).toBe('');
}

describe('canary', () => {
  it('deploys the first release as a rolling update: there is nothing to compare a canary with', async () => {
    const first = await deploy(simulator, workspace.path, canary());
    await expectSuccess(first);
    expect(first.run.outputs['strategy-state']).toBe('promoted');
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(first.run.log).toContain('nothing to compare a canary with');
  });

  it('runs a canary beside the stable Deployment, warns once about the overlapping selector, and promotes from another run', async () => {
    await expectSuccess(await deploy(simulator, workspace.path, canary()));
    const deployed = await deploy(
      simulator,
      workspace.path,
      canary({ images: V2, 'canary-percentage': '30%' }),
    );
    await expectSuccess(deployed);
    expect(deployed.run.outputs['strategy-state']).toBe('pending');
    expect(deployed.run.outputs['canary-replicas']).toBe('2'); // 30% of 4, rounded up
    expect(replicasOf(simulator, 'web-canary')).toBe(2);
    expect(imageOf(deploymentOf(simulator, 'web-canary'), 'spec', 'template', 'spec', 'containers')).toBe(V2);
    expect(podsWith(simulator, { app: 'web', 'gantry.dev/track': 'canary' })).toHaveLength(2);
    expect(annotationsOf(deploymentOf(simulator, 'web-canary'))).toMatchObject({
      'gantry.dev/strategy': 'canary',
      'gantry.dev/strategy-state': 'pending',
      'gantry.dev/canary-of': 'web',
    });
    // The stable Deployment is neither written nor annotated before promote.
    expect(writesTo(deployed.requests, deploymentPath('web'))).toEqual([]);
    expect(stableImage()).toBe(V1);
    expect(annotationsOf(deploymentOf(simulator, 'web'))['gantry.dev/strategy-state']).toBeUndefined();
    const overlapWarnings = deployed.run.annotations.filter(
      (annotation) => annotation.properties.title === 'Overlapping selectors',
    );
    expect(overlapWarnings).toHaveLength(1);
    expect(overlapWarnings[0]?.message).toContain('track label');

    const promoted = await deploy(simulator, workspace.path, canary({ images: V2, action: 'promote' }));
    await expectSuccess(promoted);
    expect(promoted.run.outputs['strategy-state']).toBe('promoted');
    expect(stableImage()).toBe(V2);
    expect(replicasOf(simulator, 'web')).toBe(4);
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    const template = (deploymentOf(simulator, 'web')?.spec as { template: { metadata: { labels: object } } })
      .template;
    expect(template.metadata.labels).toEqual({ app: 'web' });
    expect(promoted.run.summary).toContain('canary: promote');
    await until(
      () => podsWith(simulator, { 'gantry.dev/track': 'canary' }).length === 0,
      'the canary pods to go',
    );

    const again = await deploy(simulator, workspace.path, canary({ images: V2, action: 'promote' }));
    await expectSuccess(again);
    expect(again.run.outputs['strategy-state']).toBe('promoted');
    expect(again.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('aborts from another run without ever writing the stable Deployment, idempotently', async () => {
    await expectSuccess(await deploy(simulator, workspace.path, canary()));
    const stableBefore = deploymentOf(simulator, 'web');
    const deployed = await deploy(simulator, workspace.path, canary({ images: V2, 'canary-replicas': '1' }));
    await expectSuccess(deployed);
    expect(deployed.run.outputs['canary-replicas']).toBe('1');

    const aborted = await deploy(simulator, workspace.path, canary({ images: V2, action: 'abort' }));
    await expectSuccess(aborted);
    expect(aborted.run.outputs['strategy-state']).toBe('aborted');
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    for (const run of [deployed, aborted]) expect(writesTo(run.requests, deploymentPath('web'))).toEqual([]);
    expect((deploymentOf(simulator, 'web')?.metadata as { resourceVersion: string }).resourceVersion).toBe(
      (stableBefore?.metadata as { resourceVersion: string }).resourceVersion,
    );
    await until(
      () => podsWith(simulator, { 'gantry.dev/track': 'canary' }).length === 0,
      'the canary pods to go',
    );
    expect(podsWith(simulator, { app: 'web' }).every((pod) => JSON.stringify(pod).includes(V1))).toBe(true);

    const again = await deploy(simulator, workspace.path, canary({ images: V2, action: 'abort' }));
    await expectSuccess(again);
    expect(again.run.outputs['strategy-state']).toBe('aborted');
    expect(again.requests.filter((request) => request.method !== 'GET')).toEqual([]);

    // Promote after an abort has nothing to finish, and says so.
    const promote = await deploy(simulator, workspace.path, canary({ images: V2, action: 'promote' }));
    expect(promote.run.exitCode).toBe(1);
    expect(promote.run.log).toContain('Nothing to promote: no canary of Deployment/default/web is pending');
  });

  it('refuses a second canary while one is pending, and replaces it with supersede: true', async () => {
    await expectSuccess(await deploy(simulator, workspace.path, canary()));
    await expectSuccess(await deploy(simulator, workspace.path, canary({ images: V2 })));

    const refused = await deploy(simulator, workspace.path, canary({ images: V3 }));
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain('A canary is already pending: Deployment/default/web-canary');
    expect(refused.run.log).toContain('supersede: true');
    expect(refused.requests.filter((request) => request.method !== 'GET')).toEqual([]);

    const superseded = await deploy(simulator, workspace.path, canary({ images: V3, supersede: 'true' }));
    await expectSuccess(superseded);
    expect(superseded.run.outputs['strategy-state']).toBe('pending');
    expect(imageOf(deploymentOf(simulator, 'web-canary'), 'spec', 'template', 'spec', 'containers')).toBe(V3);
    expect(stableImage()).toBe(V1);
  });

  it('promotes in the same step with auto-promote, and removes a canary whose rollout failed', async () => {
    await expectSuccess(await deploy(simulator, workspace.path, canary()));
    const auto = await deploy(simulator, workspace.path, canary({ images: V2, 'auto-promote': 'true' }));
    await expectSuccess(auto);
    expect(auto.run.outputs['strategy-state']).toBe('promoted');
    expect(stableImage()).toBe(V2);
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    // One section for the step: the canary's rollout and the stable one's are parts of it, in order.
    const sections = auto.run.summary.split('\n').filter((line) => line.startsWith('## '));
    expect(sections).toEqual(['## deploy-k8s canary: deploy (simulator)']);
    expect(auto.run.summary.indexOf('### Applied (1): web-canary')).toBeGreaterThan(-1);
    expect(auto.run.summary.indexOf('### Applied (2): web')).toBeGreaterThan(
      auto.run.summary.indexOf('### Applied (1): web-canary'),
    );
    expect(auto.run.summary).toContain('#### Rollouts');

    simulator.behaviour.unpullableImage(V3);
    const failed = await deploy(simulator, workspace.path, canary({ images: V3, timeout: '20s' }));
    expect(failed.run.exitCode).toBe(1);
    expect(failed.run.outputs['strategy-state']).toBe('aborted');
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(stableImage()).toBe(V2);
    expect(writesTo(failed.requests, deploymentPath('web'))).toEqual([]);
  });

  it('runs one canary per Deployment of the manifests and promotes them together', async () => {
    writeFiles(workspace.path, { 'k8s/api.yaml': webApp({ name: 'api', replicas: 2 }) });
    await expectSuccess(await deploy(simulator, workspace.path, canary()));
    const deployed = await deploy(
      simulator,
      workspace.path,
      canary({ images: V2, 'canary-percentage': '50' }),
    );
    await expectSuccess(deployed);
    expect(JSON.parse(deployed.run.outputs['canary-replicas'] ?? '')).toEqual({
      'web-canary': 2,
      'api-canary': 1,
    });
    const promoted = await deploy(simulator, workspace.path, canary({ images: V2, action: 'promote' }));
    await expectSuccess(promoted);
    for (const name of ['web', 'api']) {
      expect(imageOf(deploymentOf(simulator, name), 'spec', 'template', 'spec', 'containers')).toBe(V2);
      expect(deploymentOf(simulator, `${name}-canary`)).toBeUndefined();
    }
  });
});
