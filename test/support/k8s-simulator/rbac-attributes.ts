import type { RecordedRequest } from './server/requests.ts';

/**
 * What Kubernetes' RBAC authorizer is asked about a recorded request, worked out as the API
 * server's RequestInfo resolver does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 *
 * - the verb from the method (POST create, GET/HEAD get, PUT update, PATCH patch, DELETE delete),
 *   then a GET without a name is `list`, or `watch` with `?watch=true` or the `/watch/` prefix, and
 *   a DELETE without a name is `deletecollection`;
 * - `/namespaces/<ns>/<resource>/...` sets the namespace, and the parts after the resource are
 *   name and subresource (`pods/log`, `deployments/scale`); a list or watch with the field selector
 *   `metadata.name=<name>` is of that name;
 * - paths outside `/api/<v>/<resource>` and `/apis/<group>/<v>/<resource>` (discovery, `/version`,
 *   `/openapi`) are non-resource requests, which the default `system:discovery` role grants.
 *
 * And one more check the server makes itself: a server-side apply that creates the object
 * (answered 201) is also authorized as `create` (handlers/patch.go, createAuthorizerAttributes).
 */
export interface RbacAttributes {
  /** `""` for the core group. */
  apiGroup: string;
  resource: string;
  subresource: string | undefined;
  /** Empty for cluster-scoped resources and for requests across all namespaces. */
  namespace: string;
  name: string;
  verb: RbacVerb;
}

export type RbacVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export type RequestAuthorization =
  | { resourceRequest: true; checks: RbacAttributes[] }
  | { resourceRequest: false; path: string; verb: string };

const METHOD_VERBS: Record<string, RbacVerb> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Subresources of a namespace itself (`/api/v1/namespaces/<ns>/status`), not resources in it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const APPLY_PATCH = 'application/apply-patch+yaml';

export function authorizationOf(request: RecordedRequest): RequestAuthorization {
  const nonResource = {
    resourceRequest: false as const,
    path: request.path,
    verb: request.method.toLowerCase(),
  };
  let parts = request.path.split('/').filter((part) => part !== '');
  const prefix = parts[0];
  if (parts.length < 3 || (prefix !== 'api' && prefix !== 'apis')) return nonResource;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0] ?? '';
    parts = parts.slice(1);
  }
  parts = parts.slice(1); // the version
  let verb: RbacVerb | undefined = METHOD_VERBS[request.method];
  if (parts[0] === 'watch') {
    verb = 'watch';
    parts = parts.slice(1);
  }
  if (verb === undefined) return nonResource;
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }
  const [resource = '', name = '', subresource] = parts;
  let named = name;
  if (name === '' && verb === 'get') verb = isTrue(request.query.watch) ? 'watch' : 'list';
  // A list or watch of one object by field selector names it, for rules with resourceNames.
  if (verb === 'list' || verb === 'watch')
    named = /^metadata\.name==?([^,]+)$/.exec(request.query.fieldSelector ?? '')?.[1] ?? name;
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  const check: RbacAttributes = { apiGroup, resource, subresource, namespace, name: named, verb };
  const createdByApply =
    request.method === 'PATCH' &&
    request.contentType?.startsWith(APPLY_PATCH) === true &&
    request.status === 201;
  return { resourceRequest: true, checks: createdByApply ? [check, { ...check, verb: 'create' }] : [check] };
}

/** As Go's strconv.ParseBool, which decodes the `watch` query parameter. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}
