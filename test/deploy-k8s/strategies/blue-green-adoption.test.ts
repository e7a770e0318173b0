import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  startKubernetesSimulator,
  type JsonObject,
  type KubernetesSimulator,
} from '../../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, story, webApp, writeFiles } from '../helpers.ts';
import {
  annotationsOf,
  holdAtFirstReadyPod,
  podLabelsOf,
  podsWith,
  replicasOf,
  selectorOf,
  selectsLabels,
  until,
  WEB_SERVICE,
  writesTo,
} from './helpers.ts';

/**
 * The first blue-green deploy over a plain Deployment: the Service in front selects the new
 * colour's pods too, so it is pinned to the plain Deployment's pods (pod-template-hash) until the
 * switch; abort restores the selector it had exactly, from a second adoption too; a plain
 * Deployment mid-rollout is refused before any write.
 */
let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30 });
  workspace = tempDir('gantry-blue-green-adoption-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp() });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const V2 = 'registry.example.com:5000/shop/web:2.0';
const V3 = 'registry.example.com:5000/shop/web:3.0';
const blueGreen = (inputs: Record<string, string> = {}): Record<string, string> => ({
  manifests: 'k8s',
  strategy: 'blue-green',
  ...inputs,
});
const webService = (): JsonObject | undefined => simulator.objects.get('v1', 'Service', 'default', 'web');
const plainHash = (): string | undefined =>
  podLabelsOf(podsWith(simulator, { app: 'web' })[0] as JsonObject)['pod-template-hash'];

/** A blue-green deploy held with one blue pod ready, checked to be out of the Service's reach. */
async function adoptingDeploy(images: string): Promise<void> {
  const hash = plainHash();
  const seen: unknown[] = [];
  const during = holdAtFirstReadyPod(simulator, { 'gantry.dev/colour': 'blue' }, (pod) => {
    seen.push(selectorOf(simulator));
    expect(selectsLabels(selectorOf(simulator), podLabelsOf(pod))).toBe(false);
  });
  const deployed = await deploy(simulator, workspace.path, blueGreen({ images }), { during });
  expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });
  expect(seen).toEqual([{ app: 'web', 'pod-template-hash': hash }]);
  expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
  expect(annotationsOf(webService())['gantry.dev/previous-selector']).toBe('{"app":"web"}');
}

async function abortToPlain(): Promise<void> {
  const aborted = await deploy(simulator, workspace.path, blueGreen({ action: 'abort' }));
  expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
  expect(aborted.run.outputs['strategy-state']).toBe('aborted');
  expect(selectorOf(simulator)).toEqual({ app: 'web' });
  expect(annotationsOf(webService())).not.toHaveProperty('gantry.dev/unpinned-selector');
  expect(replicasOf(simulator, 'web-blue')).toBe(0);
  await until(() => podsWith(simulator, { 'gantry.dev/colour': 'blue' }).length === 0, 'the blue pods to go');
}

describe('blue-green over a plain Deployment', () => {
  it('keeps the new colour out of the Service until the switch, and abort restores the selector exactly, twice', async () => {
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');

    await adoptingDeploy(V2);
    await abortToPlain();
    // A second adoption, from the aborted state: pinned again, restored again.
    await adoptingDeploy(V3);
    await abortToPlain();
    expect(podsWith(simulator, { app: 'web' })).toHaveLength(2);

    const again = await deploy(simulator, workspace.path, blueGreen({ action: 'abort' }));
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.run.outputs['strategy-state']).toBe('aborted');
    expect(again.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
  });

  it('refuses to adopt a plain Deployment in the middle of a rollout, before any write', async () => {
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
    // A rolling update of web held with its new pods unschedulable: two ReplicaSets run pods.
    const hold = simulator.behaviour.unschedulable({ labels: { app: 'web' } });
    let refused: Awaited<ReturnType<typeof deploy>> | undefined;
    const rolling = await deploy(
      simulator,
      workspace.path,
      { manifests: 'k8s', images: V2 },
      {
        during: async () => {
          await until(() => podsWith(simulator, { app: 'web' }).length === 3, 'the new ReplicaSet pod');
          refused = await deploy(simulator, workspace.path, blueGreen({ images: V3 }));
          hold();
        },
      },
    );
    expect({ exit: rolling.run.exitCode, story: story(rolling.run) }).toMatchObject({ exit: 0 });
    const run = (refused as NonNullable<typeof refused>).run;
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /Deployment\/default\/web cannot be adopted as the live release: it is mid-rollout/,
    );
    expect(run.log).toContain('Nothing was changed.');
    const writes = (refused as NonNullable<typeof refused>).requests.filter(
      (request) => request.method !== 'GET' && request.query.dryRun !== 'All' && !request.query.watch,
    );
    expect(writes).toEqual([]);
    expect(writesTo(rolling.requests, WEB_SERVICE)).toHaveLength(1); // the rolling deploy's apply only
    expect(simulator.objects.get('apps/v1', 'Deployment', 'default', 'web-blue')).toBeUndefined();
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
  });
});
