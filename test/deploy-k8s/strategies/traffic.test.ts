import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import type { JsonObject } from '../../support/k8s-simulator/index.ts';
import { startPrometheus } from '../../support/prometheus.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, imageOf, story, webApp, writeFiles } from '../helpers.ts';
import { annotationsOf, deploymentOf, deploymentPath, selectorOf, until, writesTo } from './helpers.ts';

/**
 * A traffic-weighted canary through a Gateway API HTTPRoute the simulator serves (its CRD installed
 * as in a real cluster): the weights stepped in order, the stable Service pinned to the stable pods
 * while the canary runs, and everything put back on promote and on abort.
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
  workspace = tempDir('gantry-traffic-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp({ replicas: 3 }), 'k8s/route.yaml': ROUTE });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs: [{name: public-gateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: web, port: 80}]
`;
const V2 = 'registry.example.com:5000/shop/web:2.0';
const ROUTE_PATH = '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/web';
const traffic = (inputs: Record<string, string> = {}): Record<string, string> => ({
  manifests: 'k8s',
  strategy: 'canary',
  'traffic-weights': '10,50,100',
  ...inputs,
});
const backends = (route: JsonObject | undefined): unknown =>
  ((route?.spec as { rules: { backendRefs: unknown }[] }).rules[0] as { backendRefs: unknown }).backendRefs;
const liveRoute = (): JsonObject | undefined =>
  simulator.objects.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'default', 'web');

describe('traffic-weighted canary', () => {
  it('steps the HTTPRoute weights, pins the stable Service to the stable pods, and promotes from another run', async () => {
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');

    const deployed = await deploy(simulator, workspace.path, traffic({ images: V2 }));
    expect(deployed.run.exitCode === 0 ? '' : story(deployed.run)).toBe('');
    expect(deployed.run.outputs['strategy-state']).toBe('pending');
    // Each step is one merge patch of the route's rules, in order; 100 is promote's.
    const weights = deployed.requests
      .filter(
        (request) => request.path === ROUTE_PATH && request.contentType === 'application/merge-patch+json',
      )
      .map((request) => JSON.parse(request.body).spec.rules[0].backendRefs);
    expect(weights).toEqual([
      [
        { name: 'web', port: 80, weight: 90 },
        { name: 'web-canary', port: 80, weight: 10 },
      ],
      [
        { name: 'web', port: 80, weight: 50 },
        { name: 'web-canary', port: 80, weight: 50 },
      ],
    ]);
    expect(backends(liveRoute())).toEqual(weights[1]);
    // The stable Service selects only the stable pods; the canary Service only the canary's.
    const hash = (selectorOf(simulator) as Record<string, string>)['pod-template-hash'];
    expect(hash).toEqual(expect.any(String));
    expect(selectorOf(simulator, 'web-canary')).toEqual({ app: 'web', 'gantry.dev/track': 'canary' });
    expect(annotationsOf(deploymentOf(simulator, 'web-canary'))['gantry.dev/route']).toBe('web');
    expect(writesTo(deployed.requests, deploymentPath('web'))).toEqual([]);

    // Another run, inputs as a person would give them after an approval.
    const promoted = await deploy(simulator, workspace.path, traffic({ images: V2, action: 'promote' }));
    expect(promoted.run.exitCode === 0 ? '' : story(promoted.run)).toBe('');
    expect(promoted.run.outputs['strategy-state']).toBe('promoted');
    const routeWrites = promoted.requests.filter(
      (request) => request.path === ROUTE_PATH && request.method === 'PATCH',
    );
    expect(JSON.parse(routeWrites[0]?.body ?? '{}').spec.rules[0].backendRefs).toEqual([
      { name: 'web', port: 80, weight: 0 },
      { name: 'web-canary', port: 80, weight: 100 },
    ]);
    // The stable's rollout happens while the canary takes all the traffic, then the route is restored.
    const calls = promoted.requests.map((request) => `${request.method} ${request.path}`);
    const stableApply = calls.lastIndexOf(`PATCH ${deploymentPath('web')}`);
    expect(calls.indexOf(`PATCH ${ROUTE_PATH}`)).toBeLessThan(stableApply);
    expect(calls.lastIndexOf(`PATCH ${ROUTE_PATH}`)).toBeGreaterThan(stableApply);
    expect(backends(liveRoute())).toEqual([{ name: 'web', port: 80 }]);
    expect(annotationsOf(liveRoute())['gantry.dev/stable-rules']).toBeUndefined();
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(simulator.objects.get('v1', 'Service', 'default', 'web-canary')).toBeUndefined();
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(imageOf(deploymentOf(simulator, 'web'), 'spec', 'template', 'spec', 'containers')).toBe(V2);

    // The next ordinary deploy of the same manifests meets no field-manager conflict.
    const after = await deploy(simulator, workspace.path, { manifests: 'k8s', images: V2 });
    expect(after.run.exitCode === 0 ? '' : story(after.run)).toBe('');
  });

  it('puts the route and the Service back on abort, without writing the stable Deployment', async () => {
    const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
    expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
    const deployed = await deploy(
      simulator,
      workspace.path,
      traffic({ images: V2, 'traffic-weights': '20,100' }),
    );
    expect(deployed.run.exitCode === 0 ? '' : story(deployed.run)).toBe('');

    const aborted = await deploy(simulator, workspace.path, traffic({ images: V2, action: 'abort' }));
    expect(aborted.run.exitCode === 0 ? '' : story(aborted.run)).toBe('');
    expect(aborted.run.outputs['strategy-state']).toBe('aborted');
    const writes = aborted.requests.filter((request) => request.method !== 'GET');
    // Traffic back on the stable Service first, then the canary goes.
    expect(`${writes[0]?.method} ${writes[0]?.path}`).toBe(`PATCH ${ROUTE_PATH}`);
    expect(backends(liveRoute())).toEqual([{ name: 'web', port: 80 }]);
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(simulator.objects.get('v1', 'Service', 'default', 'web-canary')).toBeUndefined();
    for (const run of [deployed, aborted]) expect(writesTo(run.requests, deploymentPath('web'))).toEqual([]);
  });

  it('runs the analysis after each step and aborts at the step where it fails', async () => {
    const prometheus = await startPrometheus();
    try {
      prometheus.answer('error_rate{canary="web-canary",weight="10"}', { vector: [{ value: 0.001 }] });
      prometheus.answer('error_rate{canary="web-canary",weight="50"}', { vector: [{ value: 0.3 }] });
      const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
      expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
      const run = await deploy(
        simulator,
        workspace.path,
        traffic({
          images: V2,
          'auto-promote': 'true',
          analysis: `interval: 0s
count: 1
checks:
  - name: errors
    prometheus:
      address: ${prometheus.address}
      query: 'error_rate{canary="\${canary}",weight="\${weight}"}'
      success-condition: result < 0.01
`,
        }),
      );
      expect(run.run.exitCode).toBe(1);
      expect(run.run.outputs['strategy-state']).toBe('aborted');
      expect(prometheus.queries.map((query) => query.query)).toEqual([
        'error_rate{canary="web-canary",weight="10"}',
        'error_rate{canary="web-canary",weight="50"}',
      ]);
      const decisions = (
        JSON.parse(run.run.outputs.analysis ?? '[]') as { step: string; decision: string }[]
      ).map((item) => `${item.step}: ${item.decision}`);
      expect(decisions).toEqual([
        'canary at 10% of the traffic (web-canary): passed',
        'canary at 50% of the traffic (web-canary): failed',
      ]);
      // The 50% step was reached, then everything put back.
      const weights = run.requests
        .filter(
          (request) =>
            request.path === ROUTE_PATH && request.method === 'PATCH' && request.query.dryRun !== 'All',
        )
        .map((request) => JSON.stringify(JSON.parse(request.body).spec?.rules?.[0]?.backendRefs ?? null));
      expect(weights.slice(-3)).toEqual([
        JSON.stringify([
          { name: 'web', port: 80, weight: 90 },
          { name: 'web-canary', port: 80, weight: 10 },
        ]),
        JSON.stringify([
          { name: 'web', port: 80, weight: 50 },
          { name: 'web-canary', port: 80, weight: 50 },
        ]),
        JSON.stringify([{ name: 'web', port: 80 }]),
      ]);
      expect(backends(liveRoute())).toEqual([{ name: 'web', port: 80 }]);
      expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
      expect(writesTo(run.requests, deploymentPath('web'))).toEqual([]);
      expect(run.run.summary).toContain('canary at 50% of the traffic (web-canary): failed');
    } finally {
      await prometheus.close();
    }
  });
});
