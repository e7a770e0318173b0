import { ApiError, type StatusCause } from '../api/status.ts';
import { clone, isObject, type JsonObject, type JsonValue } from '../store/json.ts';
import {
  changedFields,
  describePath,
  fieldsOf,
  itemElement,
  ownsWithin,
  removePath,
  type Schema,
} from './field-set.ts';
import {
  managedPart,
  readManagers,
  sameIdentity,
  writeManagers,
  type ManagerEntry,
} from './managed-fields.ts';
import { isAtomicMap, listSemantics } from './schema.ts';

/**
 * Server-side apply (`application/apply-patch+yaml`), after sigs.k8s.io/structured-merge-diff:
 * the applied configuration is merged into the live object; fields this manager applied before
 * and left out now are removed unless someone else owns them; a field another manager owns and
 * this apply would change is a conflict (409) unless `force`, which takes it over. The manager's
 * Apply entry becomes exactly what it applied.
 */

export interface ApplyRequest {
  /** The stored object, or undefined when the apply creates it. */
  live: JsonObject | undefined;
  applied: JsonObject;
  manager: string;
  force: boolean;
  schema: Schema;
  /** The type has a status subresource, so an apply to the main resource ignores `status`. */
  statusSubresource: boolean;
  subresource?: string;
  now: string;
}

/** The merged object, with its managed fields updated; the caller stores it. */
export function serverSideApply(request: ApplyRequest): JsonObject {
  const { schema } = request;
  const appliedPart = managedPart(request.applied, request.statusSubresource, request.subresource);
  const appliedSet = fieldsOf(appliedPart, schema);
  const entries = readManagers(request.live);
  const identity = {
    manager: request.manager,
    operation: 'Apply' as const,
    apiVersion: String(request.applied.apiVersion ?? ''),
    ...(request.subresource ? { subresource: request.subresource } : {}),
  };
  const ownIndex = entries.findIndex((entry) => sameIdentity(entry, identity));
  const previous = ownIndex >= 0 ? entries[ownIndex]!.fields : new Set<string>();
  const others = entries.filter((_, index) => index !== ownIndex);

  const merged: JsonObject = request.live
    ? clone(request.live)
    : {
        apiVersion: request.applied.apiVersion ?? null,
        kind: request.applied.kind ?? null,
        metadata: pick(request.applied.metadata, ['name', 'namespace', 'generateName']),
      };

  const ownedByOthers = (key: string): boolean => others.some((entry) => ownsWithin(entry.fields, key));
  for (const key of previous) {
    if (appliedSet.has(key) || ownsWithin(appliedSet, key) || ownedByOthers(key)) continue;
    removePath(merged, key, schema, (emptied) => ownedByOthers(emptied) || appliedSet.has(emptied));
  }
  overlay(merged, appliedPart, schema, []);

  const changed = changedFields(
    request.live ? managedPart(request.live, request.statusSubresource, request.subresource) : {},
    managedPart(merged, request.statusSubresource, request.subresource),
    schema,
  );
  const conflicts = others.flatMap((entry) =>
    [...changed].filter((key) => entry.fields.has(key)).map((key) => ({ entry, key })),
  );
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  for (const { entry, key } of conflicts) entry.fields.delete(key);

  const own: ManagerEntry = { ...identity, time: request.now, fields: appliedSet };
  const updated = [...entries];
  if (ownIndex >= 0) updated[ownIndex] = own;
  else updated.push(own);
  writeManagers(merged, updated);
  return merged;
}

function pick(value: JsonValue | undefined, keys: string[]): JsonObject {
  const picked: JsonObject = {};
  if (!isObject(value)) return picked;
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key]!;
  return picked;
}

/** Writes the applied values over the object: maps merge key by key, keyed lists item by item. */
function overlay(target: JsonObject, source: JsonObject, schema: Schema, names: string[]): void {
  for (const [key, value] of Object.entries(source)) {
    const path = [...names, key];
    const existing = target[key];
    if (value === null) {
      delete target[key];
    } else if (isObject(value) && !isAtomicMap(schema.custom, path) && isObject(existing)) {
      overlay(existing, value, schema, path);
    } else if (Array.isArray(value) && Array.isArray(existing)) {
      target[key] = mergeList(existing, value, schema, path);
    } else {
      target[key] = clone(value);
    }
  }
}

function mergeList(
  existing: JsonValue[],
  applied: JsonValue[],
  schema: Schema,
  names: string[],
): JsonValue[] {
  const semantics = listSemantics(schema.kind, schema.custom, names);
  if (semantics.type === 'atomic') return clone(applied);
  const result = [...existing];
  for (const item of applied) {
    const element = itemElement(item, semantics);
    const index = result.findIndex((candidate) => itemElement(candidate, semantics) === element);
    if (index < 0) {
      result.push(clone(item));
    } else if (semantics.type === 'map' && isObject(item) && isObject(result[index])) {
      const merged = clone(result[index] as JsonObject);
      overlay(merged, item, schema, names);
      result[index] = merged;
    }
  }
  return result;
}

function printManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${text} using ${entry.apiVersion}` : text;
}

function conflictError(conflicts: { entry: ManagerEntry; key: string }[]): ApiError {
  const causes: StatusCause[] = conflicts.map(({ entry, key }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(entry)}`,
    field: describePath(key),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts;
    message = `Apply failed with 1 conflict: conflict with ${printManager(only!.entry)}: ${describePath(only!.key)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { entry, key } of conflicts) {
      const name = printManager(entry);
      byManager.set(name, [...(byManager.get(name) ?? []), describePath(key)]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((name) => [`conflicts with ${name}:`, ...byManager.get(name)!.map((path) => `- ${path}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}
