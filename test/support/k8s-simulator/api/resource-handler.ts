import { serverSideApply } from '../apply/server-side-apply.ts';
import { isObject, objectAt, type JsonObject, type JsonValue } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { mediaType, parseJsonBody, parseYamlBody } from './bodies.ts';
import { json, type ApiRequest, type ApiResponse } from './exchange.ts';
import { podLog } from './logs.ts';
import { APPLY, applyPatch, checkPatchType } from './patch-types.ts';
import type { PropagationPolicy } from './object-service.ts';
import type { ResourcePath } from './paths.ts';
import { listItem, presentAs } from './presentation.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { errors, fieldErrors, successStatus, type ApiError, type FieldError } from './status.ts';
import type { RestContext } from './router.ts';
import { withWarnings } from './warnings.ts';

/**
 * The verbs on one resource path: get, list, watch, create (POST), replace (PUT), patch and
 * delete, with their query parameters (dryRun, fieldManager, force, labelSelector, fieldSelector,
 * limit/continue, propagationPolicy) and the status and log subresources.
 */
export class ResourceHandler {
  private readonly context: RestContext;
  private readonly request: ApiRequest;
  private readonly path: ResourcePath;
  private readonly type: ResourceType;
  private readonly query: URLSearchParams;

  constructor(context: RestContext, request: ApiRequest, path: ResourcePath) {
    this.context = context;
    this.request = request;
    this.path = path;
    this.type = path.type;
    this.query = request.query;
  }

  handle(): ApiResponse {
    return withWarnings(this.type, this.request.method, this.route());
  }

  private route(): ApiResponse {
    const { method } = this.request;
    const { name, subresource } = this.path;
    const watch = this.path.watchPrefix || ['true', '1'].includes(this.query.get('watch') ?? '');
    if (method === 'GET' && watch) return this.watch();
    if (this.path.watchPrefix) throw errors.methodNotAllowed();
    if (subresource === 'log') {
      if (method !== 'GET') throw errors.methodNotAllowed();
      return this.log();
    }
    if (name === undefined) {
      if (method === 'GET') return this.list();
      if (method === 'POST') return this.create();
      if (method === 'DELETE') return this.deleteCollection();
      throw errors.methodNotAllowed();
    }
    switch (method) {
      case 'GET':
        return json(200, presentAs(this.type, this.context.objects.require(this.type, this.namespace, name)));
      case 'PUT':
        return this.replace(name);
      case 'PATCH':
        return this.patch(name);
      case 'DELETE':
        if (subresource) throw errors.methodNotAllowed();
        return this.delete(name);
      default:
        throw errors.methodNotAllowed();
    }
  }

  private get namespace(): string {
    return this.path.namespace ?? '';
  }

  private get dryRun(): boolean {
    const values = this.query.getAll('dryRun');
    for (const value of values) {
      if (value !== 'All') {
        throw optionsInvalid(this.optionsKind(), [fieldErrors.notSupported('dryRun[0]', value, ['All'])]);
      }
    }
    return values.length > 0;
  }

  private optionsKind(): string {
    const kinds: Record<string, string> = {
      POST: 'CreateOptions',
      PUT: 'UpdateOptions',
      PATCH: 'PatchOptions',
    };
    return kinds[this.request.method] ?? 'DeleteOptions';
  }

  /** The request's field manager: `fieldManager`, else the User-Agent's product, as the API server derives it. */
  private manager(required: boolean): string {
    const given = this.query.get('fieldManager');
    if (given !== null) {
      if (given.length > 128) {
        throw optionsInvalid(this.optionsKind(), [
          fieldErrors.invalid('fieldManager', given, 'must be at most 128 characters'),
        ]);
      }
      return given;
    }
    if (required) {
      throw optionsInvalid('PatchOptions', [
        fieldErrors.required('fieldManager', 'is required for apply patch'),
      ]);
    }
    return (this.request.userAgent ?? 'unknown').split('/')[0] || 'unknown';
  }

  private watch(): ApiResponse {
    // Selectors are checked before the stream starts, so a bad one is an ordinary 400.
    parseLabelSelector(this.query.get('labelSelector') ?? undefined);
    parseFieldSelector(this.type.kind, this.query.get('fieldSelector') ?? undefined);
    return { stream: (response) => this.context.watches.serve(this.path, this.query, response) };
  }

  private list(): ApiResponse {
    const matchesLabels = parseLabelSelector(this.query.get('labelSelector') ?? undefined);
    const matchesFields = parseFieldSelector(this.type.kind, this.query.get('fieldSelector') ?? undefined);
    const all = this.context.objects
      .list(this.type, this.path.namespace)
      .filter(
        (object) => matchesLabels(objectAt(object, 'metadata', 'labels') ?? {}) && matchesFields(object),
      );
    const revision = String(this.context.objects.store.revision);
    const start = decodeContinue(this.query.get('continue'));
    const limit = Number(this.query.get('limit') ?? '0');
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const metadata: JsonObject = { resourceVersion: revision };
    const next = start + page.length;
    if (limit > 0 && next < all.length) {
      metadata.continue = Buffer.from(
        JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(revision), start: next }),
      ).toString('base64');
      metadata.remainingItemCount = all.length - next;
    }
    return json(200, {
      kind: `${this.type.kind}List`,
      apiVersion: apiVersionOf(this.type),
      metadata,
      items: page.map((object) => listItem(this.type, object)),
    });
  }

  private log(): ApiResponse {
    const pod = this.context.objects.require(this.type, this.namespace, this.path.name!);
    return { status: 200, body: podLog(pod, this.query, this.context.logs), contentType: 'text/plain' };
  }

  /** The body as an object of this resource type, with the URL's namespace. */
  private bodyObject(value: JsonValue): JsonObject {
    if (!isObject(value)) throw errors.badRequest("Object 'Kind' is missing in the request body");
    const expected = apiVersionOf(this.type);
    if (value.apiVersion !== undefined && value.apiVersion !== expected) {
      throw errors.badRequest(
        `the API version in the data (${String(value.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
    if (value.kind !== undefined && value.kind !== this.type.kind) {
      throw errors.badRequest(
        `the kind in the data (${String(value.kind)}) does not match the expected kind (${this.type.kind})`,
      );
    }
    const metadata = isObject(value.metadata) ? value.metadata : (value.metadata = {});
    if (this.type.namespaced) {
      if (
        metadata.namespace !== undefined &&
        metadata.namespace !== '' &&
        metadata.namespace !== this.namespace
      ) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = this.namespace;
    }
    return value;
  }

  private checkName(object: JsonObject, name: string): void {
    const given = objectAt(object, 'metadata')?.name;
    if (given !== undefined && given !== name) {
      throw errors.badRequest(
        `the name of the object (${String(given)}) does not match the name on the URL (${name})`,
      );
    }
    (object.metadata as JsonObject).name = name;
  }

  private create(): ApiResponse {
    const dryRun = this.dryRun;
    const manager = this.manager(false);
    const body = mediaType(this.request.contentType).includes('yaml')
      ? parseYamlBody(this.request.body)
      : parseJsonBody(this.request.body);
    const object = this.bodyObject(body);
    const created = this.context.objects.create(this.type, object, { manager, dryRun });
    return json(201, presentAs(this.type, created));
  }

  private replace(name: string): ApiResponse {
    const dryRun = this.dryRun;
    const manager = this.manager(false);
    const object = this.bodyObject(parseJsonBody(this.request.body));
    this.checkName(object, name);
    const subresource = this.path.subresource;
    const updated = this.context.objects.update(this.type, object, {
      manager,
      dryRun,
      ...(subresource ? { subresource } : {}),
    });
    return json(200, presentAs(this.type, updated));
  }

  private patch(name: string): ApiResponse {
    const type = mediaType(this.request.contentType);
    checkPatchType(this.type, type);
    const dryRun = this.dryRun;
    const force = this.query.get('force');
    if (type !== APPLY && force !== null) {
      throw optionsInvalid('PatchOptions', [
        fieldErrors.forbidden('force', 'may not be specified for non-apply patch'),
      ]);
    }
    const subresource = this.path.subresource;
    const options = { dryRun, ...(subresource ? { subresource } : {}) };
    if (type === APPLY) return this.apply(name, force === 'true', options);

    const manager = this.manager(false);
    const live = this.context.objects.require(this.type, this.namespace, name);
    const object = this.bodyObject(applyPatch(this.type, type, live, this.request.body));
    this.checkName(object, name);
    const updated = this.context.objects.update(this.type, object, { manager, ...options });
    return json(200, presentAs(this.type, updated));
  }

  private apply(
    name: string,
    force: boolean,
    options: { dryRun: boolean; subresource?: string },
  ): ApiResponse {
    const manager = this.manager(true);
    const applied = parseYamlBody(this.request.body);
    if (!isObject(applied) || typeof applied.apiVersion !== 'string' || typeof applied.kind !== 'string') {
      const value = isObject(applied) ? applied : {};
      throw errors.badRequest(
        `invalid object type: ${String(value.apiVersion ?? '')}, Kind=${String(value.kind ?? '')}`,
      );
    }
    const object = this.bodyObject(applied);
    this.checkName(object, name);
    const live = this.context.objects.get(this.type, this.namespace, name);
    if (!live && options.subresource) throw errors.notFound(this.type, name);
    // A resourceVersion in an applied configuration is an optimistic lock, as in an update.
    const expected = objectAt(object, 'metadata')?.resourceVersion;
    if (
      typeof expected === 'string' &&
      expected !== '' &&
      expected !== objectAt(live, 'metadata')?.resourceVersion
    ) {
      throw errors.conflict(this.type, name);
    }
    const merged = serverSideApply({
      live,
      applied: object,
      manager,
      force,
      schema: { kind: this.type.kind, custom: this.type.custom },
      statusSubresource: this.type.subresources.includes('status'),
      ...(options.subresource ? { subresource: options.subresource } : {}),
      now: timestamp(),
    });
    const write = { manager, managedFieldsComputed: true, ...options };
    if (!live) return json(201, presentAs(this.type, this.context.objects.create(this.type, merged, write)));
    return json(200, presentAs(this.type, this.context.objects.update(this.type, merged, write)));
  }

  private deleteOptions(): { dryRun: boolean; propagationPolicy?: PropagationPolicy } {
    const body = this.request.body.trim() === '' ? {} : parseJsonBody(this.request.body);
    const fromBody = isObject(body) ? body : {};
    const policy = this.query.get('propagationPolicy') ?? fromBody.propagationPolicy;
    if (
      policy !== undefined &&
      policy !== null &&
      !['Orphan', 'Background', 'Foreground'].includes(String(policy))
    ) {
      throw optionsInvalid('DeleteOptions', [
        fieldErrors.notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']),
      ]);
    }
    const dryRunInBody = Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All');
    return {
      dryRun: this.dryRun || dryRunInBody,
      ...(typeof policy === 'string' ? { propagationPolicy: policy as PropagationPolicy } : {}),
    };
  }

  private delete(name: string): ApiResponse {
    const options = this.deleteOptions();
    const deleted = this.context.objects.delete(this.type, this.namespace, name, options);
    // Pods terminate gracefully and namespaces finalize: both answer with the object being deleted.
    if (
      this.type.kind === 'Pod' ||
      this.type.kind === 'Namespace' ||
      options.propagationPolicy === 'Foreground'
    ) {
      if (this.type.kind === 'Namespace') (deleted.status as JsonObject).phase = 'Terminating';
      return json(200, presentAs(this.type, deleted));
    }
    const metadata = deleted.metadata as JsonObject;
    return json(
      200,
      successStatus({
        name,
        ...(this.type.group ? { group: this.type.group } : {}),
        kind: this.type.resource,
        uid: String(metadata.uid),
      }),
    );
  }

  private deleteCollection(): ApiResponse {
    const options = this.deleteOptions();
    const matchesLabels = parseLabelSelector(this.query.get('labelSelector') ?? undefined);
    const matchesFields = parseFieldSelector(this.type.kind, this.query.get('fieldSelector') ?? undefined);
    const doomed = this.context.objects
      .list(this.type, this.path.namespace)
      .filter(
        (object) => matchesLabels(objectAt(object, 'metadata', 'labels') ?? {}) && matchesFields(object),
      );
    const items = doomed.map((object) => {
      const metadata = object.metadata as JsonObject;
      return listItem(
        this.type,
        this.context.objects.delete(
          this.type,
          String(metadata.namespace ?? ''),
          String(metadata.name),
          options,
        ),
      );
    });
    return json(200, {
      kind: `${this.type.kind}List`,
      apiVersion: apiVersionOf(this.type),
      metadata: { resourceVersion: String(this.context.objects.store.revision) },
      items,
    });
  }
}

function decodeContinue(token: string | null): number {
  if (!token) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start?: unknown };
    if (typeof decoded.start === 'number' && decoded.start >= 0) return decoded.start;
  } catch {
    // Falls through to the same answer as a token that decodes to nonsense.
  }
  throw errors.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** An invalid option (`PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: ...`). */
function optionsInvalid(kind: string, causes: FieldError[]): ApiError {
  return errors.invalid({ group: 'meta.k8s.io', resource: kind.toLowerCase(), kind }, '', causes);
}
