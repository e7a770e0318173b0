import type { ResourceRegistry, ResourceType } from './resources.ts';
import { errors } from './status.ts';

/**
 * Request paths of the REST API: `/api/v1/namespaces/<ns>/pods/<name>/log`,
 * `/apis/apps/v1/deployments` (all namespaces), `/apis/apps/v1/watch/namespaces/<ns>/deployments`
 * (the legacy watch prefix)...
 */

export interface ResourcePath {
  type: ResourceType;
  /** Undefined for cluster-scoped types and for lists across all namespaces. */
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  /** The path used the `/watch/` prefix. */
  watchPrefix: boolean;
}

/** Group and version of an API path, and what follows them; undefined for a path outside `/api` and `/apis`. */
export function splitApiPath(
  pathname: string,
): { group: string; version: string | undefined; rest: string[] } | undefined {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  if (segments[0] === 'api') return { group: '', version: segments[1], rest: segments.slice(2) };
  if (segments[0] === 'apis') {
    if (segments.length === 1) return undefined;
    return { group: segments[1]!, version: segments[2], rest: segments.slice(3) };
  }
  return undefined;
}

export function parseResourcePath(
  registry: ResourceRegistry,
  group: string,
  version: string,
  rest: string[],
): ResourcePath {
  let segments = rest;
  const watchPrefix = segments[0] === 'watch';
  if (watchPrefix) segments = segments.slice(1);
  let namespace: string | undefined;
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    const nested = registry.byPath(group, version, segments[2]!);
    if (nested?.namespaced) {
      namespace = segments[1];
      segments = segments.slice(2);
    }
  }
  const [resource, name, subresource, ...extra] = segments;
  const type = resource === undefined ? undefined : registry.byPath(group, version, resource);
  if (!type || extra.length > 0) throw errors.unknownPath();
  if (!type.namespaced && namespace !== undefined) throw errors.unknownPath();
  if (type.namespaced && namespace === undefined && name !== undefined) throw errors.unknownPath();
  if (subresource !== undefined && !type.subresources.includes(subresource)) throw errors.unknownPath();
  return { type, namespace, name, subresource, watchPrefix };
}
