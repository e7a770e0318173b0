import type { LogBook } from '../store/log-book.ts';
import { coreVersions, group, groupList, resourceList, versionDocument } from './discovery.ts';
import { json, type ApiRequest, type ApiResponse } from './exchange.ts';
import type { ObjectService } from './object-service.ts';
import { parseResourcePath, splitApiPath } from './paths.ts';
import { ResourceHandler } from './resource-handler.ts';
import type { ResourceRegistry } from './resources.ts';
import { errors } from './status.ts';
import type { WatchHub } from './watch.ts';

/**
 * The REST API's routes: `/version` and the health endpoints, discovery (`/api`, `/apis`, each
 * group and group version), then every resource path to a ResourceHandler.
 */

export interface RestContext {
  registry: ResourceRegistry;
  objects: ObjectService;
  watches: WatchHub;
  logs: LogBook;
}

export function handleApiRequest(context: RestContext, request: ApiRequest): ApiResponse {
  const { pathname } = request;
  if (pathname === '/version' || pathname === '/version/') return json(200, versionDocument());
  if (['/healthz', '/livez', '/readyz'].includes(pathname))
    return { status: 200, body: 'ok', contentType: 'text/plain' };
  const split = splitApiPath(pathname);
  if (pathname === '/apis' || pathname === '/apis/') return json(200, groupList(context.registry));
  if (!split) throw errors.unknownPath();
  if (split.version === undefined) {
    const document = split.group === '' ? coreVersions(request.host) : group(context.registry, split.group);
    if (!document) throw errors.unknownPath();
    return json(200, document);
  }
  if (split.rest.length === 0) {
    const document = resourceList(context.registry, split.group, split.version);
    if (!document || request.method !== 'GET') throw errors.unknownPath();
    return json(200, document);
  }
  const path = parseResourcePath(context.registry, split.group, split.version, split.rest);
  return new ResourceHandler(context, request, path).handle();
}
