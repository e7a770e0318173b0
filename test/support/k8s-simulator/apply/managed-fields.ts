import { isObject, type JsonObject, type JsonValue } from '../store/json.ts';
import {
  allPaths,
  changedFields,
  fromFieldsV1,
  toFieldsV1,
  type FieldSet,
  type Schema,
} from './field-set.ts';

/**
 * `metadata.managedFields`: which manager owns which fields, per operation. Updates (create, PUT,
 * and the non-apply patches) take ownership of what they change from everyone else; applies are
 * handled by server-side-apply.ts, which replaces its manager's set as a whole.
 */

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  /** `status` for writes through the status subresource. */
  subresource?: string;
  fields: FieldSet;
}

/** Metadata the server owns: never part of anyone's managed fields. */
const SERVER_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
];

/**
 * The part of an object a write through `subresource` can own: the status alone through
 * `/status`; everything but apiVersion, kind, server metadata and (when the type has a status
 * subresource) the status otherwise.
 */
export function managedPart(
  object: JsonObject,
  statusSubresource: boolean,
  subresource?: string,
): JsonObject {
  if (subresource === 'status') return isObject(object.status) ? { status: object.status } : {};
  const part: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && statusSubresource) continue;
    if (key === 'metadata' && isObject(value)) {
      const metadata: JsonObject = {};
      for (const [field, inner] of Object.entries(value)) {
        if (!SERVER_METADATA.includes(field)) metadata[field] = inner;
      }
      if (Object.keys(metadata).length > 0) part.metadata = metadata;
      continue;
    }
    part[key] = value;
  }
  return part;
}

export function readManagers(object: JsonObject | undefined): ManagerEntry[] {
  const metadata = object?.metadata;
  const entries = isObject(metadata) && Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  return entries.filter(isObject).map((entry) => ({
    manager: String(entry.manager ?? ''),
    operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(entry.apiVersion ?? ''),
    time: String(entry.time ?? ''),
    ...(typeof entry.subresource === 'string' && entry.subresource ? { subresource: entry.subresource } : {}),
    fields: fromFieldsV1(entry.fieldsV1),
  }));
}

export function writeManagers(object: JsonObject, entries: ManagerEntry[]): void {
  const metadata = isObject(object.metadata) ? object.metadata : (object.metadata = {});
  const kept = entries.filter((entry) => entry.fields.size > 0);
  if (kept.length === 0) {
    delete metadata.managedFields;
    return;
  }
  metadata.managedFields = kept.map((entry) => {
    const encoded: JsonObject = {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: entry.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(entry.fields),
    };
    if (entry.subresource) encoded.subresource = entry.subresource;
    return encoded;
  });
}

/** Whether two entries are the same manager identity (an applier's identity ignores its apiVersion). */
export function sameIdentity(entry: ManagerEntry, other: Omit<ManagerEntry, 'fields' | 'time'>): boolean {
  return (
    entry.manager === other.manager &&
    entry.operation === other.operation &&
    (entry.subresource ?? '') === (other.subresource ?? '') &&
    (entry.operation === 'Apply' || entry.apiVersion === other.apiVersion)
  );
}

export interface UpdateWrite {
  manager: string;
  apiVersion: string;
  subresource?: string;
  schema: Schema;
  statusSubresource: boolean;
  now: string;
}

/** Managers after an Update from `before` (undefined for a create) to `after`. */
export function recordUpdate(
  entries: ManagerEntry[],
  before: JsonObject | undefined,
  after: JsonObject,
  write: UpdateWrite,
): ManagerEntry[] {
  const old = before ? managedPart(before, write.statusSubresource, write.subresource) : {};
  const next = managedPart(after, write.statusSubresource, write.subresource);
  const changed = changedFields(old, next, write.schema);
  const remaining = allPaths(next, write.schema);
  const removed = [...allPaths(old, write.schema)].filter((key) => !remaining.has(key));
  const result = entries.map((entry) => ({ ...entry, fields: new Set(entry.fields) }));
  for (const entry of result) {
    for (const key of changed) entry.fields.delete(key);
    for (const key of removed) entry.fields.delete(key);
  }
  if (changed.size === 0) return result;
  const identity = {
    manager: write.manager,
    operation: 'Update' as const,
    apiVersion: write.apiVersion,
    ...(write.subresource ? { subresource: write.subresource } : {}),
  };
  const own = result.find((entry) => sameIdentity(entry, identity));
  if (own) {
    for (const key of changed) own.fields.add(key);
    own.time = write.now;
  } else {
    result.push({ ...identity, time: write.now, fields: changed });
  }
  return result;
}

/** Managed fields compared without their timestamps: a write that changes nothing else is a no-op. */
export function withoutTimes(value: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(value) || !Array.isArray(value.managedFields)) return value;
  return {
    ...value,
    managedFields: value.managedFields.map((entry) => (isObject(entry) ? { ...entry, time: null } : entry)),
  };
}
