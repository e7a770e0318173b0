import type { ObjectService } from './api/object-service.ts';
import { splitApiVersion, type ResourceType } from './api/resources.ts';
import { clone, type JsonObject } from './store/json.ts';

/**
 * Direct access to the simulator's objects for tests: read what a client did without going
 * through the API, and seed or change objects (a live Deployment "someone else" edited) through
 * the same write path clients use, so resourceVersion, generation and managed fields stay true.
 */

export interface ObjectAccess {
  get(apiVersion: string, kind: string, namespace: string, name: string): JsonObject | undefined;
  /** Objects of a kind, in one namespace or (without it) all, sorted by namespace and name. */
  list(apiVersion: string, kind: string, namespace?: string): JsonObject[];
  /** Creates an object as given, status included, recorded under field manager `manager` (default `simulator`). */
  seed(object: JsonObject, manager?: string): JsonObject;
  /** Replaces an object (status is kept, as a PUT to the main resource does). */
  update(object: JsonObject, manager?: string): JsonObject;
  /** Replaces an object's status, as a controller does through `/status`. */
  updateStatus(object: JsonObject, manager?: string): JsonObject;
  delete(apiVersion: string, kind: string, namespace: string, name: string): void;
}

export function objectAccess(objects: ObjectService): ObjectAccess {
  const typeOf = (apiVersion: string, kind: string): ResourceType => {
    const type =
      objects.registry.byKind(apiVersion, kind) ??
      objects.registry.byGroupKind(splitApiVersion(apiVersion).group, kind);
    if (!type) throw new Error(`the simulator serves no ${kind} in ${apiVersion}`);
    return type;
  };
  const typeOfObject = (object: JsonObject): ResourceType =>
    typeOf(String(object.apiVersion), String(object.kind));
  const defaultNamespace = (type: ResourceType, object: JsonObject): JsonObject => {
    const copy = clone(object);
    const metadata = (copy.metadata ?? {}) as JsonObject;
    if (type.namespaced && metadata.namespace === undefined) metadata.namespace = 'default';
    copy.metadata = metadata;
    return copy;
  };
  return {
    get: (apiVersion, kind, namespace, name) => {
      const found = objects.get(typeOf(apiVersion, kind), namespace, name);
      return found && clone(found);
    },
    list: (apiVersion, kind, namespace) =>
      objects.list(typeOf(apiVersion, kind), namespace).map((object) => clone(object)),
    seed: (object, manager = 'simulator') => {
      const type = typeOfObject(object);
      return clone(objects.create(type, defaultNamespace(type, object), { manager, keepStatus: true }));
    },
    update: (object, manager = 'simulator') => {
      const type = typeOfObject(object);
      return clone(objects.update(type, defaultNamespace(type, object), { manager }));
    },
    updateStatus: (object, manager = 'simulator') => {
      const type = typeOfObject(object);
      return clone(objects.update(type, defaultNamespace(type, object), { manager, subresource: 'status' }));
    },
    delete: (apiVersion, kind, namespace, name) => {
      objects.delete(typeOf(apiVersion, kind), namespace, name);
    },
  };
}
