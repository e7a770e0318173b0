import { describe, expect, it } from '@jest/globals';
import { authorizationOf } from './rbac-attributes.ts';
import type { RecordedRequest } from './server/requests.ts';

/** RBAC's view of a request, as the API server's RequestInfo resolver builds it. */

function request(method: string, url: string, extra: Partial<RecordedRequest> = {}): RecordedRequest {
  const parsed = new URL(url, 'https://cluster.invalid');
  return {
    method,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    contentType: undefined,
    body: '',
    status: 200,
    authenticated: true,
    ...extra,
  };
}

const APPLY = 'application/apply-patch+yaml';

describe('authorizationOf', () => {
  it.each([
    [
      'GET',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      'apps',
      'deployments',
      undefined,
      'shop',
      'web',
      'get',
    ],
    ['HEAD', '/api/v1/namespaces/shop/pods/web-1', '', 'pods', undefined, 'shop', 'web-1', 'get'],
    [
      'GET',
      '/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb',
      '',
      'pods',
      undefined,
      'shop',
      '',
      'list',
    ],
    ['GET', '/api/v1/namespaces/shop/pods?watch=true', '', 'pods', undefined, 'shop', '', 'watch'],
    ['GET', '/api/v1/namespaces/shop/pods?watch=1', '', 'pods', undefined, 'shop', '', 'watch'],
    ['GET', '/api/v1/namespaces/shop/pods?watch=false', '', 'pods', undefined, 'shop', '', 'list'],
    [
      'GET',
      '/apis/apps/v1/watch/namespaces/shop/deployments',
      'apps',
      'deployments',
      undefined,
      'shop',
      '',
      'watch',
    ],
    ['GET', '/apis/apps/v1/deployments', 'apps', 'deployments', undefined, '', '', 'list'],
    [
      'GET',
      '/apis/apps/v1/namespaces/shop/deployments?fieldSelector=metadata.name%3Dweb&watch=true',
      'apps',
      'deployments',
      undefined,
      'shop',
      'web',
      'watch',
    ],
    ['GET', '/api/v1/namespaces/shop/pods/web-1/log', '', 'pods', 'log', 'shop', 'web-1', 'get'],
    [
      'PUT',
      '/apis/apps/v1/namespaces/shop/deployments/web/scale',
      'apps',
      'deployments',
      'scale',
      'shop',
      'web',
      'update',
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web/status',
      'apps',
      'deployments',
      'status',
      'shop',
      'web',
      'patch',
    ],
    ['POST', '/apis/batch/v1/namespaces/shop/jobs', 'batch', 'jobs', undefined, 'shop', '', 'create'],
    [
      'DELETE',
      '/apis/batch/v1/namespaces/shop/jobs/migrate',
      'batch',
      'jobs',
      undefined,
      'shop',
      'migrate',
      'delete',
    ],
    [
      'DELETE',
      '/api/v1/namespaces/shop/pods?labelSelector=a%3Db',
      '',
      'pods',
      undefined,
      'shop',
      '',
      'deletecollection',
    ],
    ['GET', '/api/v1/namespaces/shop', '', 'namespaces', undefined, 'shop', 'shop', 'get'],
    ['PUT', '/api/v1/namespaces/shop/finalize', '', 'namespaces', 'finalize', 'shop', 'shop', 'update'],
    ['POST', '/api/v1/namespaces', '', 'namespaces', undefined, '', '', 'create'],
    [
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
      'apiextensions.k8s.io',
      'customresourcedefinitions',
      undefined,
      '',
      'widgets.example.com',
      'get',
    ],
  ])(
    '%s %s is %s %s/%s in "%s" named "%s": %s',
    (method, url, apiGroup, resource, subresource, namespace, name, verb) => {
      expect(authorizationOf(request(method, url))).toEqual({
        resourceRequest: true,
        checks: [{ apiGroup, resource, subresource, namespace, name, verb }],
      });
    },
  );

  it('a server-side apply that created the object is also checked as create; one that changed it is not', () => {
    const path = '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=gantry';
    const verbs = (status: number): string[] => {
      const authorization = authorizationOf(request('PATCH', path, { contentType: APPLY, status }));
      return authorization.resourceRequest ? authorization.checks.map((check) => check.verb) : [];
    };
    expect(verbs(201)).toEqual(['patch', 'create']);
    expect(verbs(200)).toEqual(['patch']);
    const merge = authorizationOf(
      request('PATCH', path, { contentType: 'application/merge-patch+json', status: 201 }),
    );
    expect(merge.resourceRequest && merge.checks.map((check) => check.verb)).toEqual(['patch']);
  });

  it.each(['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v2'])(
    'GET %s is a non-resource request',
    (path) => {
      expect(authorizationOf(request('GET', path))).toEqual({ resourceRequest: false, path, verb: 'get' });
    },
  );
});
