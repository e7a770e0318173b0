import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import type { JsonObject } from '../../support/k8s-simulator/index.ts';
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
 * strategy: blue-green through a Gateway API HTTPRoute the simulator serves: the route's ref to the
 * Service in front of the Deployment becomes weighted refs to per-colour Services, moved in one
 * patch only once the new colour is ready; the switch back is abort's first write; promote and
 * abort work from later runs and change nothing the second time; the Service's selector is never
 * the strategy's. The route comes from the manifests or is named by the route input.
 */
let simulator: KubernetesSimulator;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30, gatewayApi: true });
  await until(() => {
    try {
      simulator.objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute');
      return true;
    } catch {
      return false;
    }
  }, 'the HTTPRoute CRD to be established');
  workspace = tempDir('gantry-blue-green-route-');
  writeFiles(workspace.path, {
    'k8s/web.yaml': webApp(),
    'k8s/route.yaml': route('web', 'web'),
    'app-only/web.yaml': webApp(),
  });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

function route(name: string, backend: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs: [{name: public-gateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: ${backend}, port: 80}]
`;
}

const V2 = 'registry.example.com:5000/shop/web:2.0';
const V3 = 'registry.example.com:5000/shop/web:3.0';
const ROUTE_PATH = '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/web';
const OWN_REFS = [{ name: 'web', port: 80 }];
const blueGreen = (inputs: Record<string, string> = {}): Record<string, string> => ({
  manifests: 'k8s',
  strategy: 'blue-green',
  ...inputs,
});
const liveRoute = (name = 'web'): JsonObject | undefined =>
  simulator.objects.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'default', name);
const backends = (name = 'web'): unknown =>
  ((liveRoute(name)?.spec as { rules: { backendRefs: unknown }[] }).rules[0] as { backendRefs: unknown })
    .backendRefs;
const nonGets = (requests: KubernetesSimulator['requests']): unknown[] =>
  requests.filter((request) => request.method !== 'GET');

async function plainRelease(manifests = 'k8s'): Promise<void> {
  const first = await deploy(simulator, workspace.path, { manifests });
  expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
}

describe('blue-green through an HTTPRoute in the manifests', () => {
  it('moves the route to the new colour only once it is ready, then promotes from another run', async () => {
    await plainRelease();
    const plainHash = podLabelsOf(podsWith(simulator, { app: 'web' })[0] as JsonObject)['pod-template-hash'];
    // Held with one blue pod ready: the route still sends everything to web, pinned to web's pods.
    const during = holdAtFirstReadyPod(simulator, { 'gantry.dev/colour': 'blue' }, (pod) => {
      expect(backends()).toEqual(OWN_REFS);
      expect(selectorOf(simulator)).toEqual({ app: 'web', 'pod-template-hash': plainHash });
      expect(selectsLabels(selectorOf(simulator), podLabelsOf(pod))).toBe(false);
    });
    const deployed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }), { during });
    expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });
    expect(deployed.run.outputs['strategy-state']).toBe('pending');
    expect(deployed.run.outputs['active-colour']).toBe('blue');
    expect(backends()).toEqual([
      { name: 'web-blue', port: 80, weight: 100 },
      { name: 'web', port: 80, weight: 0 },
    ]);
    // The colour's own Service selects only its pods; the front Service is the manifests' own.
    expect(selectorOf(simulator, 'web-blue')).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))).not.toHaveProperty(
      'gantry.dev/strategy',
    );
    // Order of calls: the colour applied, its rollout watched, then the one merge patch of the route.
    const calls = deployed.requests.map(
      (request) => `${request.method} ${request.path}${request.query.watch ? ' watch' : ''}`,
    );
    const applyBlue = calls.indexOf(`PATCH ${deploymentPath('web-blue')}`);
    const switchAt = calls.lastIndexOf(`PATCH ${ROUTE_PATH}`);
    expect(applyBlue).toBeGreaterThan(-1);
    expect(switchAt).toBeGreaterThan(applyBlue);
    expect(deployed.requests[switchAt]?.contentType).toBe('application/merge-patch+json');
    expect(calls.slice(applyBlue, switchAt).some((call) => call.endsWith('watch'))).toBe(true);
    expect(writesTo(deployed.requests, ROUTE_PATH)).toHaveLength(2); // the apply (rules unchanged), the switch
    // The apply (pinned), then, after the switch, the manifests' selector back.
    expect(writesTo(deployed.requests, WEB_SERVICE)).toHaveLength(2);
    expect(calls.lastIndexOf(`PATCH ${WEB_SERVICE}`)).toBeGreaterThan(switchAt);
    expect(writesTo(deployed.requests, deploymentPath('web'))).toEqual([]);
    expect(replicasOf(simulator, 'web')).toBe(2);
    expect(annotationsOf(liveRoute())).toMatchObject({
      'gantry.dev/strategy': 'blue-green',
      'gantry.dev/strategy-state': 'pending',
      'gantry.dev/colours': JSON.stringify({ web: { active: 'web-blue', previous: 'web' } }),
      'gantry.dev/stable-rules': JSON.stringify([
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: OWN_REFS },
      ]),
    });

    const promoted = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'promote' }));
    expect({ exit: promoted.run.exitCode, story: story(promoted.run) }).toMatchObject({ exit: 0 });
    expect(promoted.run.outputs['strategy-state']).toBe('promoted');
    expect(promoted.run.outputs['active-colour']).toBe('blue');
    expect(replicasOf(simulator, 'web')).toBe(0);
    expect(backends()).toEqual([
      { name: 'web-blue', port: 80, weight: 100 },
      { name: 'web', port: 80, weight: 0 },
    ]);
    expect(annotationsOf(liveRoute())['gantry.dev/strategy-state']).toBe('promoted');

    const again = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'promote' }));
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.run.outputs['strategy-state']).toBe('promoted');
    expect(nonGets(again.requests)).toEqual([]);
  });

  it('switches the route back as the first write of abort, and puts its own rules back after an adopted Deployment', async () => {
    await plainRelease();
    const deployed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });

    const aborted = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'abort' }));
    expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
    expect(aborted.run.outputs['strategy-state']).toBe('aborted');
    expect(aborted.run.outputs['active-colour']).toBe('');
    const writes = aborted.requests.filter((request) => request.method !== 'GET');
    expect(`${writes[0]?.method} ${writes[0]?.path}`).toBe(`PATCH ${ROUTE_PATH}`);
    expect(backends()).toEqual(OWN_REFS);
    // The Service taking the traffic back, {app: web}, also selects blue's pods: blue goes to zero.
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
    await until(
      () => podsWith(simulator, { 'gantry.dev/colour': 'blue' }).length === 0,
      'the blue pods to go',
    );
    expect(writesTo(aborted.requests, deploymentPath('web'))).toEqual([]);

    const again = await deploy(simulator, workspace.path, blueGreen({ images: V2, action: 'abort' }));
    expect({ exit: again.run.exitCode, story: story(again.run) }).toMatchObject({ exit: 0 });
    expect(again.run.outputs['strategy-state']).toBe('aborted');
    expect(nonGets(again.requests)).toEqual([]);
    expect(selectorOf(simulator)).toEqual({ app: 'web' });

    // A second adoption from the aborted state: web pinned again until the switch, restored after.
    const hash = podLabelsOf(podsWith(simulator, { app: 'web' })[0] as JsonObject)['pod-template-hash'];
    const during = holdAtFirstReadyPod(simulator, { 'gantry.dev/colour': 'blue' }, (pod) => {
      expect(backends()).toEqual(OWN_REFS);
      expect(selectorOf(simulator)).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(selectsLabels(selectorOf(simulator), podLabelsOf(pod))).toBe(false);
    });
    const second = await deploy(simulator, workspace.path, blueGreen({ images: V3 }), { during });
    expect({ exit: second.run.exitCode, story: story(second.run) }).toMatchObject({ exit: 0 });
    const abortedAgain = await deploy(simulator, workspace.path, blueGreen({ action: 'abort' }));
    expect({ exit: abortedAgain.run.exitCode, story: story(abortedAgain.run) }).toMatchObject({ exit: 0 });
    expect(backends()).toEqual(OWN_REFS);
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(annotationsOf(simulator.objects.get('v1', 'Service', 'default', 'web'))).not.toHaveProperty(
      'gantry.dev/unpinned-selector',
    );
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
  });

  it('alternates colours, keeps the live refs while the manifests are applied, and switches back between colours', async () => {
    await plainRelease();
    const blue = await deploy(simulator, workspace.path, blueGreen({ images: V2, 'auto-promote': 'true' }));
    expect({ exit: blue.run.exitCode, story: story(blue.run) }).toMatchObject({ exit: 0 });
    expect(blue.run.outputs['strategy-state']).toBe('promoted');

    const hold = simulator.behaviour.unschedulable({ labels: { 'gantry.dev/colour': 'green' } });
    const green = await deploy(simulator, workspace.path, blueGreen({ images: V3 }), {
      during: async () => {
        await until(
          () => podsWith(simulator, { 'gantry.dev/colour': 'green' }).length === 2,
          'the green pods',
        );
        // The route of the manifests was applied with the live refs: blue still takes the traffic.
        expect(backends()).toEqual([
          { name: 'web-blue', port: 80, weight: 100 },
          { name: 'web', port: 80, weight: 0 },
        ]);
        hold();
      },
    });
    expect({ exit: green.run.exitCode, story: story(green.run) }).toMatchObject({ exit: 0 });
    expect(green.run.outputs['active-colour']).toBe('green');
    expect(backends()).toEqual([
      { name: 'web-green', port: 80, weight: 100 },
      { name: 'web-blue', port: 80, weight: 0 },
    ]);
    expect(replicasOf(simulator, 'web-blue')).toBe(2);

    const refused = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain('A blue-green switch is pending: Deployment/default/web-green serves');
    expect(nonGets(refused.requests)).toEqual([]);

    const aborted = await deploy(simulator, workspace.path, blueGreen({ images: V3, action: 'abort' }));
    expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
    expect(aborted.run.outputs['active-colour']).toBe('blue');
    expect(backends()).toEqual([
      { name: 'web-blue', port: 80, weight: 100 },
      { name: 'web-green', port: 80, weight: 0 },
    ]);
    // web-blue's selector does not pick green's pods: green is left running, idle.
    expect(replicasOf(simulator, 'web-green')).toBe(2);
    expect(annotationsOf(deploymentOf(simulator, 'web-green'))['gantry.dev/strategy-state']).toBe('aborted');
  });

  it('sends a route created with the first release straight to blue, with nothing to keep', async () => {
    const first = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect({ exit: first.run.exitCode, story: story(first.run) }).toMatchObject({ exit: 0 });
    expect(first.run.outputs['strategy-state']).toBe('promoted');
    expect(first.run.outputs['active-colour']).toBe('blue');
    expect(backends()).toEqual([{ name: 'web-blue', port: 80, weight: 100 }]);
    expect(deploymentOf(simulator, 'web')).toBeUndefined();
    expect(annotationsOf(liveRoute())['gantry.dev/colours']).toBe(
      JSON.stringify({ web: { active: 'web-blue' } }),
    );
  });

  it('never moves the route to a colour whose rollout fails', async () => {
    await plainRelease();
    simulator.behaviour.unpullableImage(V2);
    const failed = await deploy(simulator, workspace.path, blueGreen({ images: V2 }));
    expect(failed.run.exitCode).toBe(1);
    expect(failed.run.outputs['strategy-state']).toBe('aborted');
    expect(backends()).toEqual(OWN_REFS);
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
    expect(writesTo(failed.requests, ROUTE_PATH)).toHaveLength(1); // the apply only
    // The pin on web is undone with the colour: its selector is the manifests' own again.
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
  });
});

describe('blue-green through a live HTTPRoute named by the route input', () => {
  it('switches it, and promote and abort find it from later runs', async () => {
    await plainRelease();
    const deployed = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'web', images: V2 }),
    );
    expect({ exit: deployed.run.exitCode, story: story(deployed.run) }).toMatchObject({ exit: 0 });
    expect(backends()).toEqual([
      { name: 'web-blue', port: 80, weight: 100 },
      { name: 'web', port: 80, weight: 0 },
    ]);
    expect(writesTo(deployed.requests, ROUTE_PATH)).toHaveLength(1); // the switch: the route is not applied

    const aborted = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'web', action: 'abort' }),
    );
    expect({ exit: aborted.run.exitCode, story: story(aborted.run) }).toMatchObject({ exit: 0 });
    expect(backends()).toEqual(OWN_REFS);

    const redeployed = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'web', images: V3, 'keep-previous': 'false' }),
    );
    expect({ exit: redeployed.run.exitCode, story: story(redeployed.run) }).toMatchObject({ exit: 0 });
    expect(redeployed.run.outputs['strategy-state']).toBe('promoted');
    expect(redeployed.run.outputs['active-colour']).toBe('blue');
    expect(replicasOf(simulator, 'web')).toBe(0);
    expect(annotationsOf(liveRoute())['gantry.dev/colours']).toBe(
      JSON.stringify({ web: { active: 'web-blue' } }),
    );
  });

  it('refuses a route that does not exist or does not reference the Service, before any write', async () => {
    await plainRelease();
    writeFiles(workspace.path, { 'other/route.yaml': route('other', 'api') });
    const other = await deploy(simulator, workspace.path, { manifests: 'other' });
    expect(other.run.exitCode === 0 ? '' : story(other.run)).toBe('');

    const missing = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'nowhere', images: V2 }),
    );
    expect(missing.run.exitCode).toBe(1);
    expect(missing.run.log).toContain(
      'Input "route" is "nowhere", and HTTPRoute/default/nowhere does not exist, so blue-green has no route to switch.',
    );
    expect(nonGets(missing.requests)).toEqual([]);

    const unrelated = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'other', images: V2 }),
    );
    expect(unrelated.run.exitCode).toBe(1);
    expect(unrelated.run.log).toContain(
      'Input "route" is "other": HTTPRoute default/other has no backendRef to a Service in front of Deployment web (its rules reference api)',
    );
    expect(nonGets(unrelated.requests)).toEqual([]);

    const nothing = await deploy(
      simulator,
      workspace.path,
      blueGreen({ manifests: 'app-only', route: 'web', action: 'promote' }),
    );
    expect(nothing.run.exitCode).toBe(1);
    expect(nothing.run.log).toContain(
      'Nothing to promote for Deployment/default/web: no blue-green switch is pending (HTTPRoute/default/web carries no blue-green state for it).',
    );
    expect(nonGets(nothing.requests)).toEqual([]);
  });
});
