import { describe, expect, it } from '@jest/globals';
import {
  builtInResourceType,
  explainUnknownBuiltIn,
  isBuiltInGroup,
  resourcePath,
} from '../../../shared/src/kubernetes/resource-types.ts';

describe('resource types', () => {
  it.each<[string, string, string, string | undefined, string]>([
    ['v1', 'Service', 'shop', 'web', '/api/v1/namespaces/shop/services/web'],
    ['apps/v1', 'Deployment', 'shop', undefined, '/apis/apps/v1/namespaces/shop/deployments'],
    ['v1', 'Namespace', 'ignored', 'shop', '/api/v1/namespaces/shop'],
    [
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      '',
      'widgets.example.com',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    ],
    ['batch/v1', 'CronJob', 'jobs', 'nightly', '/apis/batch/v1/namespaces/jobs/cronjobs/nightly'],
  ])('%s %s', (apiVersion, kind, namespace, name, path) => {
    const type = builtInResourceType(apiVersion, kind);
    expect(type).toBeDefined();
    expect(resourcePath(type!, namespace || undefined, name)).toBe(path);
  });

  it('escapes names in paths', () => {
    expect(
      resourcePath(
        builtInResourceType('rbac.authorization.k8s.io/v1', 'ClusterRole')!,
        undefined,
        'system:aggregate',
      ),
    ).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aaggregate');
  });

  it.each<[string, string, string]>([
    ['apps/v1', 'Deploymnet', 'apps/v1 has no kind "Deploymnet" (did you mean Deployment of apps/v1?)'],
    ['v1', 'service', 'v1 has no kind "service" (did you mean Service of v1?)'],
    ['extensions/v1beta1', 'Deployment', 'Deployment is served as apps/v1, not extensions/v1beta1'],
    [
      'autoscaling/v3',
      'HorizontalPodAutoscaler',
      'HorizontalPodAutoscaler is served as autoscaling/v1 or autoscaling/v2, not autoscaling/v3',
    ],
    ['v1', 'Frobnicator', 'v1 has no kind "Frobnicator"'],
  ])('explains %s %s', (apiVersion, kind, reason) => {
    expect(explainUnknownBuiltIn(apiVersion, kind)).toBe(reason);
  });

  it('knows built-in groups from custom ones', () => {
    expect(isBuiltInGroup('apps/v1')).toBe(true);
    expect(isBuiltInGroup('v1')).toBe(true);
    expect(isBuiltInGroup('gateway.networking.k8s.io/v1')).toBe(false);
    expect(isBuiltInGroup('example.com/v1')).toBe(false);
  });
});

describe('removed API versions', () => {
  it('treats the extensions group as built-in, so its old Deployments are refused before anything is sent', () => {
    expect(isBuiltInGroup('extensions/v1beta1')).toBe(true);
    expect(builtInResourceType('extensions/v1beta1', 'Ingress')).toBeUndefined();
    expect(explainUnknownBuiltIn('extensions/v1beta1', 'Ingress')).toBe(
      'Ingress is served as networking.k8s.io/v1, not extensions/v1beta1',
    );
  });
});
