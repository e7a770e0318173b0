import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import type { JsonObject } from '../../support/k8s-simulator/index.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, imageOf, story, webApp, writeFiles } from '../helpers.ts';
import { deploymentOf, selectorOf, until } from './helpers.ts';

/**
 * strategy: rolling while a canary or a blue-green release is pending: refused with nothing
 * written, since applying the Service and the route as the manifests have them would undo the
 * pending release's pin, weights or switch; with supersede: true the pending release is aborted
 * first (traffic back where it was), then the release rolls out.
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
  workspace = tempDir('gantry-rolling-over-pending-');
  writeFiles(workspace.path, {
    'k8s/web.yaml': webApp({ replicas: 3 }),
    'k8s/route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  rules:
  - backendRefs: [{name: web, port: 80}]
`,
    'app-only/web.yaml': webApp({ replicas: 3 }),
  });
});
afterEach(async () => {
  await simulator.close();
  workspace.remove();
});

const V2 = 'registry.example.com:5000/shop/web:2.0';
const V3 = 'registry.example.com:5000/shop/web:3.0';
const nonGets = (requests: KubernetesSimulator['requests']): unknown[] =>
  requests.filter((request) => request.method !== 'GET');
const backends = (): unknown =>
  (
    (
      simulator.objects.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'default', 'web')?.spec as {
        rules: { backendRefs: unknown }[];
      }
    ).rules[0] as { backendRefs: unknown }
  ).backendRefs;
const webImage = (): string | undefined =>
  imageOf(deploymentOf(simulator, 'web') as JsonObject, 'spec', 'template', 'spec', 'containers');

async function succeeds(inputs: Record<string, string>): Promise<void> {
  const done = await deploy(simulator, workspace.path, inputs);
  expect(done.run.exitCode === 0 ? '' : story(done.run)).toBe('');
}

describe('a rolling deploy over a pending release', () => {
  it('is refused while a traffic-weighted canary is pending, and aborts it first with supersede: true', async () => {
    await succeeds({ manifests: 'k8s' });
    await succeeds({ manifests: 'k8s', strategy: 'canary', 'traffic-weights': '20,100', images: V2 });

    const refused = await deploy(simulator, workspace.path, { manifests: 'k8s', images: V3 });
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain(
      'A canary release is pending: HTTPRoute/default/web (weights set for a canary), Service/default/web (pinned to the stable pods for a canary). A rolling deploy would apply these objects',
    );
    expect(refused.run.log).toContain('set supersede: true to abort it');
    expect(nonGets(refused.requests)).toEqual([]);
    expect(deploymentOf(simulator, 'web-canary')).toBeDefined();

    const superseding = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: V3,
      supersede: 'true',
    });
    expect(superseding.run.exitCode === 0 ? '' : story(superseding.run)).toBe('');
    expect(superseding.run.log).toContain('supersede: true: aborting the pending canary release');
    // The abort's route restore comes before any write of the rolling deploy.
    const writes = superseding.requests.filter(
      (request) => request.method !== 'GET' && request.query.dryRun !== 'All',
    );
    expect(writes[0]?.contentType).toBe('application/merge-patch+json');
    expect(backends()).toEqual([{ name: 'web', port: 80 }]);
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(webImage()).toBe(V3);
  });

  it('is refused while a replica-based canary is pending, found with one list per namespace, and aborts it first with supersede: true', async () => {
    await succeeds({ manifests: 'app-only' });
    await succeeds({ manifests: 'app-only', strategy: 'canary', images: V2 });
    expect(deploymentOf(simulator, 'web-canary')).toBeDefined();

    const refused = await deploy(simulator, workspace.path, { manifests: 'app-only', images: V3 });
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain(
      'A canary release is pending: Deployment/default/web-canary (a canary of web, pending). A rolling deploy would apply these objects',
    );
    expect(nonGets(refused.requests)).toEqual([]);
    const canaryLists = refused.requests.filter(
      (request) => request.query.labelSelector === 'gantry.dev/track=canary',
    );
    expect(canaryLists.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /apis/apps/v1/namespaces/default/deployments',
    ]);
    expect(webImage()).not.toBe(V3);

    const superseding = await deploy(simulator, workspace.path, {
      manifests: 'app-only',
      images: V3,
      supersede: 'true',
    });
    expect(superseding.run.exitCode === 0 ? '' : story(superseding.run)).toBe('');
    expect(superseding.run.log).toContain('supersede: true: aborting the pending canary release');
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(webImage()).toBe(V3);

    // Nothing pending any more: the next rolling deploy goes ahead, after the same one list.
    await succeeds({ manifests: 'app-only', images: V2 });
    expect(webImage()).toBe(V2);
  });

  it('is refused while a blue-green switch is pending, and switches back first with supersede: true', async () => {
    await succeeds({ manifests: 'app-only' });
    await succeeds({ manifests: 'app-only', strategy: 'blue-green', images: V2 });
    expect(selectorOf(simulator)).toEqual({ app: 'web', 'gantry.dev/colour': 'blue' });

    const refused = await deploy(simulator, workspace.path, { manifests: 'app-only', images: V3 });
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain(
      'A blue-green release is pending: Service/default/web (switched to web-blue, pending).',
    );
    expect(nonGets(refused.requests)).toEqual([]);

    const superseding = await deploy(simulator, workspace.path, {
      manifests: 'app-only',
      images: V3,
      supersede: 'true',
    });
    expect(superseding.run.exitCode === 0 ? '' : story(superseding.run)).toBe('');
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(webImage()).toBe(V3);
    expect((deploymentOf(simulator, 'web-blue')?.spec as JsonObject).replicas).toBe(0);
  });

  it('is refused while a blue-green switch through the HTTPRoute is pending, and switches the route back first with supersede: true', async () => {
    await succeeds({ manifests: 'k8s' });
    await succeeds({ manifests: 'k8s', strategy: 'blue-green', images: V2 });
    expect(backends()).toEqual([
      { name: 'web-blue', port: 80, weight: 100 },
      { name: 'web', port: 80, weight: 0 },
    ]);

    const refused = await deploy(simulator, workspace.path, { manifests: 'k8s', images: V3 });
    expect(refused.run.exitCode).toBe(1);
    expect(refused.run.log).toContain(
      'A blue-green release is pending: HTTPRoute/default/web (switched to web-blue, pending).',
    );
    expect(nonGets(refused.requests)).toEqual([]);

    const superseding = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      images: V3,
      supersede: 'true',
    });
    expect(superseding.run.exitCode === 0 ? '' : story(superseding.run)).toBe('');
    expect(superseding.run.summary).toContain('## deploy-k8s blue-green: abort (simulator)');
    expect(backends()).toEqual([{ name: 'web', port: 80 }]);
    expect((deploymentOf(simulator, 'web-blue')?.spec as JsonObject).replicas).toBe(0);
    expect(webImage()).toBe(V3);
  });

  it('goes ahead without a word when the last release was promoted', async () => {
    await succeeds({ manifests: 'k8s' });
    await succeeds({
      manifests: 'k8s',
      strategy: 'canary',
      'traffic-weights': '20,100',
      'auto-promote': 'true',
      images: V2,
    });
    const rolled = await deploy(simulator, workspace.path, { manifests: 'k8s', images: V3 });
    expect(rolled.run.exitCode === 0 ? '' : story(rolled.run)).toBe('');
    expect(rolled.run.log).not.toContain('release is pending');
    expect(rolled.run.log).not.toContain('supersede');
    expect(webImage()).toBe(V3);
  });
});
