import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  startKubernetesSimulator,
  type JsonObject,
  type KubernetesSimulator,
} from '../../support/k8s-simulator/index.ts';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, story, webApp, writeFiles } from '../helpers.ts';
import {
  annotationsOf,
  deploymentOf,
  deploymentPath,
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
 * strategy: blue-green through the committed bundle against the simulator: a plain Deployment
 * adopted, the switch only once the new colour is ready, the instant switch back, promote and
 * abort from later runs, idempotency, and a deploy refused while a switch is pending.
 */
let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30 });
  workspace = tempDir('gantry-blue-green-');
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

async function plainRelease(): Promise<void> {
  const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
  expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
}

describe('blue-green', () => {
  it('adopts a plain Deployment, switches the Service only once the new colour is ready, then promotes from another run', async () => {
    await plainRelease();
    const plainHash = podLabelsOf(podsWith(simulator, { app: 'web' })[0] as JsonObject)['pod-template-hash'];
    // Held with one blue pod ready: the Service, pinned to web's pods, must not pick it.
    const during = holdAtFirstReadyPod(simulator, { 'gantry.dev/colour': 'blue' }, (pod) => {
      expect(selectorOf(simulator)).toEqual({ app: 'web', 'pod-template-hash': plainHash });
      expect(selectsLabels(selectorOf(simulator), podLabelsOf(pod))).toBe(false);
    });
    const deployed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }), { during });
    expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });
    expect(deployed.run.outputs['strategy-state']).toBe('pending');
    expect(deployed.run.outputs['active-colour']).toBe('blue');
    expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
    // Order of calls: the colour applied, its rollout watched to the end, then the one switch.
    const calls = deployed.requests.map(
      (request) => `${request.method} ${request.path}${request.query.watch ? ' watch' : ''}`,
    );
    const applyBlue = calls.indexOf(`PATCH ${deploymentPath('web-blue')}`);
    const switchAt = calls.lastIndexOf(`PATCH ${WEB_SERVICE}`);
    expect(applyBlue).toBeGreaterThan(-1);
    expect(switchAt).toBeGreaterThan(applyBlue);
    expect(deployed.requests[switchAt]?.contentType).toBe('application/merge-patch+json');
    expect(calls.slice(applyBlue, switchAt).some((call) => call.endsWith('watch'))).toBe(true);
    expect(writesTo(deployed.requests, WEB_SERVICE)).toHaveLength(2); // the apply (pinned), the switch
    // The previous release stays up for a switch back; the plain Deployment was never written.
    expect(replicasOf(simulator, 'web')).toBe(2);
    expect(writesTo(deployed.requests, deploymentPath('web'))).toEqual([]);
    expect(annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))).toMatchObject({
      'gantry.dev/strategy-state': 'pending',
      'gantry.dev/active-colour': 'blue',
      'gantry.dev/previous-workload': 'web',
      'gantry.dev/previous-selector': '{"app":"web"}',
    });
    expect(annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))).not.toHaveProperty(
      'gantry.dev/unpinned-selector',
    );

    const promoted = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'promote' }));
    expect({ exit: promoted.run.exitCode, story: story(promoted.run) }).toMatchObject({ exit: 0 });
    expect(promoted.run.outputs['strategy-state']).toBe('promoted');
    expect(promoted.run.outputs['active-colour']).toBe('blue');
    expect(replicasOf(simulator, 'web')).toBe(0);
    expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
    expect(promoted.run.summary).toContain('blue-green: promote');

    const again = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'promote' }));
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.run.outputs['strategy-state']).toBe('promoted');
    expect(again.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expectNoSecretLeaks(deployed.run, [simulator.token]);
  });

  it('switches back at once on abort, and scales the new colour down when the old selector would pick its pods', async () => {
    await plainRelease();
    const deployed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });

    const aborted = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'abort' }));
    expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
    expect(aborted.run.outputs['strategy-state']).toBe('aborted');
    expect(aborted.run.outputs['active-colour']).toBe('');
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    // The switch back is the first write: nothing waits before traffic returns.
    const writes = aborted.requests.filter((request) => request.method !== 'GET');
    expect(`${writes[0]?.method} ${writes[0]?.path}`).toBe(`PATCH ${WEB_SERVICE}`);
    // {app: web} also selects the blue pods, so blue goes to zero: only the previous release serves.
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
    await until(
      () => podsWith(simulator, { 'gantry.dev/colour': 'blue' }).length === 0,
      'the blue pods to go',
    );
    expect(podsWith(simulator, { app: 'web' })).toHaveLength(2);
    expect(writesTo(aborted.requests, deploymentPath('web'))).toEqual([]);

    const again = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'abort' }));
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.run.outputs['strategy-state']).toBe('aborted');
    expect(again.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('alternates colours, refuses a deploy while a switch is pending unless supersede, and switches back between colours', async () => {
    await plainRelease();
    const blue = await deploy(simulator, workspace.path, blueGreen({ images: V2, 'auto-promote': 'true' }));
    expect({ exit: blue.run.exitCode, story: story(blue.run) }).toMatchObject({ exit: 0 });
    expect(blue.run.outputs['strategy-state']).toBe('promoted');

    const green = await deploy(simulator, workspace.path, blueGreen({ images: V3 }));
    expect({ exit: green.run.exitCode, story: story(green.run) }).toMatchObject({ exit: 0 });
    expect(green.run.outputs['active-colour']).toBe('green');
    expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'green' });
    expect(replicasOf(simulator, 'web-blue')).toBe(2);

    const refused = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain('A blue-green switch is pending: Deployment/default/web-green serves');
    expect(refused.requests.filter((request) => request.method !== 'GET')).toEqual([]);

    const aborted = await deploy(simulator, workspace.path, blueGreen({ images: V3, action: 'abort' }));
    expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
    expect(aborted.run.outputs['active-colour']).toBe('blue');
    expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
    // Green's pods do not match blue's selector: green is left as it is, for a look at what went wrong.
    expect(replicasOf(simulator, 'web-green')).toBe(2);
    expect(annotationsOf(deploymentOf(simulator, 'web-green'))['gantry.dev/strategy-state']).toBe('aborted');

    const superseding = await deploy(
      simulator,
      workspace.path,
      blueGreen({ images: V3, 'keep-previous': 'false' }),
    );
    expect({ exit: superseding.run.exitCode, story: story(superseding.run) }).toMatchObject({ exit: 0 });
    expect(superseding.run.outputs['strategy-state']).toBe('promoted');
    expect(superseding.run.outputs['active-colour']).toBe('green');
    expect(replicasOf(simulator, 'web-blue')).toBe(0);

    const pendingAgain = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect({ exit: pendingAgain.run.exitCode, story: story(pendingAgain.run) }).toMatchObject({ exit: 0 });
    const superseded = await deploy(simulator, workspace.path, blueGreen({ images: V3, supersede: 'true' }));
    expect({ exit: superseded.run.exitCode, story: story(superseded.run) }).toMatchObject({ exit: 0 });
    expect(superseded.run.outputs['active-colour']).toBe('green');
    expect(
      annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))['gantry.dev/previous-workload'],
    ).toBe('web-blue');
  });

  it('never switches to a colour whose rollout fails, and scales it to zero', async () => {
    await plainRelease();
    simulator.behaviour.unpullableImage(V2);
    const failed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect(failed.run.exitCode).toBe(1);
    expect(failed.run.outputs['strategy-state']).toBe('aborted');
    expect(failed.run.outputs['active-colour']).toBe('');
    expect(failed.run.log).toContain('ImagePullBackOff');
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
    expect(replicasOf(simulator, 'web')).toBe(2);
    expect(writesTo(failed.requests, deploymentPath('web'))).toEqual([]);
    // The pin is undone with the colour: the Service is exactly as it was before the deploy.
    expect(annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))).not.toHaveProperty(
      'gantry.dev/unpinned-selector',
    );
  });
});
