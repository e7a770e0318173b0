import { describe, expect, it } from '@jest/globals';
import { applyRank, applyStages } from '../../actions/deploy-k8s/src/apply/apply-order.ts';
import type { Manifest } from '../../actions/deploy-k8s/src/manifests/manifest.ts';
import { labelValueProblem, qualifiedNameProblem } from '../../shared/src/kubernetes/metadata-keys.ts';
import { planObjects } from '../../actions/deploy-k8s/src/apply/plan.ts';
import { addMetadata } from '../../actions/deploy-k8s/src/manifests/render.ts';
import { resolveLocally } from '../../actions/deploy-k8s/src/apply/resource-resolution.ts';
import { traceabilityAnnotations } from '../../actions/deploy-k8s/src/manifests/traceability.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';

function manifest(
  apiVersion: string,
  kind: string,
  name: string,
  extra: Record<string, unknown> = {},
): Manifest {
  const { metadata, ...rest } = extra;
  return {
    object: { apiVersion, kind, ...rest, metadata: { name, ...(metadata as object) } } as Manifest['object'],
    source: `${kind.toLowerCase()}.yaml, document 1`,
  };
}

const crd = manifest('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1', served: true, storage: true },
      { name: 'v1alpha1', served: false },
    ],
  },
});

describe('traceability annotations', () => {
  it('come from the runner environment alone', () => {
    expect(
      traceabilityAnnotations({
        GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'gantry-dev/shop',
        GITHUB_RUN_ID: '42',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_ACTOR: 'octocat',
      }),
    ).toEqual({
      'gantry.dev/commit': '3f786850e387550fdab836ed7e6dc881de23001b',
      'gantry.dev/run-url': 'https://github.com/gantry-dev/shop/actions/runs/42',
      'gantry.dev/ref': 'refs/heads/main',
      'kubernetes.io/change-cause':
        'gantry deploy-k8s 3f786850e387 from main by octocat (https://github.com/gantry-dev/shop/actions/runs/42)',
    });
  });

  it('are absent outside a runner', () => {
    expect(traceabilityAnnotations({})).toEqual({});
  });
});

describe('metadata', () => {
  it('adds labels and annotations to the object metadata, not to pod templates', () => {
    const deployment = manifest('apps/v1', 'Deployment', 'web', {
      metadata: { labels: { app: 'web', team: 'old' } },
      spec: { template: { metadata: { labels: { app: 'web' } } } },
    });
    addMetadata([deployment], { team: 'shop' }, { 'gantry.dev/commit': 'abc' });
    expect(deployment.object.metadata).toEqual({
      name: 'web',
      labels: { app: 'web', team: 'shop' },
      annotations: { 'gantry.dev/commit': 'abc' },
    });
    expect(deployment.object.spec).toEqual({ template: { metadata: { labels: { app: 'web' } } } });
  });

  it.each<[string, string | undefined]>([
    ['app', undefined],
    ['app.kubernetes.io/part-of', undefined],
    ['example.com/a_b.c-d', undefined],
    ['Example.com/x', 'the prefix before "/" must be a DNS subdomain (lowercase letters, digits, - and .)'],
    ['-app', 'the name must be letters, digits, -, _ and ., starting and ending with a letter or digit'],
    ['', 'the name must be 1 to 63 characters'],
    [`${'a'.repeat(64)}`, 'the name must be 1 to 63 characters'],
  ])('key %s', (key, problem) => {
    expect(qualifiedNameProblem(key)).toBe(problem);
  });

  it.each<[string, boolean]>([
    ['', true],
    ['v1.2.3', true],
    ['has space', false],
    ['a'.repeat(64), false],
  ])('label value %j valid: %s', (value, valid) => {
    expect(labelValueProblem(value) === undefined).toBe(valid);
  });
});

describe('order', () => {
  it('applies namespaces and CRDs first, workloads after their config, webhooks and custom resources last', () => {
    const kinds: [string, boolean][] = [
      ['Widget', false],
      ['ValidatingWebhookConfiguration', true],
      ['Deployment', true],
      ['Service', false],
      ['ConfigMap', true],
      ['Service', true],
      ['CustomResourceDefinition', true],
      ['Lease', true],
      ['Namespace', true],
    ];
    const stages = applyStages(kinds, ([kind, builtIn]) => applyRank(kind, builtIn));
    expect(
      stages.map((stage) => stage.map(([kind, builtIn]) => `${kind}${builtIn ? '' : '*'}`).join('+')),
    ).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'ConfigMap',
      'Service',
      'Deployment',
      'ValidatingWebhookConfiguration',
      'Lease',
      'Widget*+Service*',
    ]);
  });
});

describe('resolution and plan', () => {
  it("finds built-in kinds in the table and custom kinds in the manifests' CRDs, leaving the rest to discovery", () => {
    const widget = manifest('example.com/v1', 'Widget', 'w');
    const gadget = manifest('other.io/v1', 'Gadget', 'g');
    const service = manifest('v1', 'Service', 'web');
    const resolution = resolveLocally([crd, widget, gadget, service]);
    expect(resolution.types.get(widget)).toEqual({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
    expect(resolution.types.get(service)?.plural).toBe('services');
    expect(resolution.unresolved).toEqual([gadget]);
  });

  it.each<[string, Manifest[], RegExp]>([
    [
      'a typo in a built-in kind',
      [manifest('apps/v1', 'Deploymnet', 'web')],
      /apps\/v1 has no kind "Deploymnet" \(did you mean Deployment of apps\/v1\?\)/,
    ],
    [
      'a removed apiVersion',
      [manifest('extensions/v1beta1', 'Deployment', 'web')],
      /Deployment is served as apps\/v1, not extensions\/v1beta1/,
    ],
    [
      'a version the CRD does not serve',
      [crd, manifest('example.com/v1alpha1', 'Widget', 'w')],
      /serves example.com\/v1, not example.com\/v1alpha1/,
    ],
    [
      'an incomplete CRD',
      [
        manifest('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x.example.com', {
          spec: { group: 'example.com', names: { kind: 'X' } },
        }),
      ],
      /is incomplete: spec.names.plural is missing/,
    ],
  ])('refuses %s', (_name, manifests, message) => {
    expect(() => resolveLocally(manifests)).toThrow(message);
  });

  it('defaults namespaces, keeps given ones, and refuses cluster-scoped objects with one and duplicates', () => {
    const defaulted = manifest('v1', 'ConfigMap', 'a');
    const kept = manifest('v1', 'ConfigMap', 'b', { metadata: { namespace: 'other' } });
    const namespace = manifest('v1', 'Namespace', 'shop');
    const manifests = [defaulted, kept, namespace];
    const plan = planObjects(manifests, resolveLocally(manifests).types, 'shop');
    expect(plan.map((planned) => planned.path)).toEqual([
      '/api/v1/namespaces/shop/configmaps/a',
      '/api/v1/namespaces/other/configmaps/b',
      '/api/v1/namespaces/shop',
    ]);
    const scoped = [manifest('v1', 'Namespace', 'x', { metadata: { namespace: 'shop' } })];
    expect(() => planObjects(scoped, resolveLocally(scoped).types, 'shop')).toThrow(
      'Manifest namespace.yaml, document 1: Namespace "x" is cluster-scoped and cannot have metadata.namespace ("shop").',
    );
    const twice = [
      manifest('v1', 'ConfigMap', 'a'),
      manifest('v1', 'ConfigMap', 'a', { metadata: { namespace: 'shop' } }),
    ];
    expect(() => planObjects(twice, resolveLocally(twice).types, 'shop')).toThrow(ConfigurationError);
    expect(() => planObjects(twice, resolveLocally(twice).types, 'shop')).toThrow(
      'ConfigMap/shop/a is in the manifests twice',
    );
  });
});
