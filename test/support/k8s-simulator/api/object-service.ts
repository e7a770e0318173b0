import { readManagers, recordUpdate, withoutTimes, writeManagers } from '../apply/managed-fields.ts';
import { clone, deepEqual, isObject, objectAt, type JsonObject } from '../store/json.ts';
import { newUid, randomSuffix } from '../store/names.ts';
import type { ObjectStore } from '../store/store.ts';
import { timestamp } from '../store/time.ts';
import { keepAllocated, prepareForCreate } from './admission.ts';
import { applyDefaults } from './defaults.ts';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './resources.ts';
import { checkSecretData } from './secret-data.ts';
import { errors } from './status.ts';
import { validateObject } from './validation.ts';

/**
 * Every write goes through here, from a client or from a simulated controller: admission,
 * defaulting, validation, server-owned metadata (uid, creationTimestamp, generation,
 * resourceVersion), managed fields, dry-run, no-op detection and cascading deletion.
 */

export interface WriteOptions {
  /** The field manager the write is recorded under. */
  manager: string;
  dryRun?: boolean;
  /** `status` for a write through the status subresource. */
  subresource?: string;
  /** The object's managed fields were already computed (server-side apply) and are kept as they are. */
  managedFieldsComputed?: boolean;
  /** Keep the status given on create (seeding a test's fixture), instead of starting from none. */
  keepStatus?: boolean;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace' };

export class ObjectService {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  private nextServiceAddress = 10;

  constructor(registry: ResourceRegistry, store: ObjectStore) {
    this.registry = registry;
    this.store = store;
  }

  get(type: ResourceType, namespace: string, name: string): JsonObject | undefined {
    return this.store.get(type, type.namespaced ? namespace : '', name);
  }

  require(type: ResourceType, namespace: string, name: string): JsonObject {
    const found = this.get(type, namespace, name);
    if (!found) throw errors.notFound(type, name);
    return found;
  }

  list(type: ResourceType, namespace?: string): JsonObject[] {
    return this.store.list(type, type.namespaced ? namespace : undefined);
  }

  create(type: ResourceType, object: JsonObject, options: WriteOptions): JsonObject {
    checkSecretData(type.kind, object);
    const created = clone(object);
    created.apiVersion = apiVersionOf(type);
    created.kind = type.kind;
    const metadata = isObject(created.metadata) ? created.metadata : (created.metadata = {});
    if (!type.namespaced) delete metadata.namespace;
    const namespace = type.namespaced ? String(metadata.namespace ?? '') : '';
    if ((metadata.name === undefined || metadata.name === '') && typeof metadata.generateName === 'string') {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    if (type.namespaced && !this.store.get(NAMESPACES, '', namespace)) {
      throw errors.notFound(NAMESPACES, namespace);
    }
    if (name && this.get(type, namespace, name)) throw errors.alreadyExists(type, name);

    const uid = newUid();
    if (type.subresources.includes('status') && !options.keepStatus) delete created.status;
    prepareForCreate(type.kind, created, {
      uid,
      allocateClusterIp: () => {
        this.nextServiceAddress += 1;
        return `10.96.${Math.floor(this.nextServiceAddress / 250)}.${this.nextServiceAddress % 250}`;
      },
    });
    applyDefaults(type.kind, created);
    const problems = validateObject(type.kind, created);
    if (problems.length > 0) throw errors.invalid(type, name, problems);

    for (const field of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) {
      delete metadata[field];
    }
    metadata.uid = uid;
    metadata.creationTimestamp = timestamp();
    if (type.generation || type.custom) metadata.generation = 1;
    else delete metadata.generation;
    if (!options.managedFieldsComputed) {
      delete metadata.managedFields;
      writeManagers(created, recordUpdate([], undefined, created, this.updateWrite(type, options)));
    }
    return options.dryRun ? created : this.store.put(type, created);
  }

  /** Replaces an object with `object` (a whole object: PUT, or the result of a patch). */
  update(type: ResourceType, object: JsonObject, options: WriteOptions): JsonObject {
    checkSecretData(type.kind, object);
    const metadata = objectAt(object, 'metadata') ?? {};
    const name = String(metadata.name ?? '');
    const namespace = type.namespaced ? String(metadata.namespace ?? '') : '';
    const old = this.require(type, namespace, name);
    const oldMetadata = old.metadata as JsonObject;
    const expected = metadata.resourceVersion;
    if (typeof expected === 'string' && expected !== '' && expected !== oldMetadata.resourceVersion) {
      throw errors.conflict(type, name);
    }

    const statusOnly = options.subresource === 'status';
    // Through /status only the status changes, so the rest is shared with the stored (read-only) object.
    const next: JsonObject = statusOnly
      ? { ...old, metadata: { ...oldMetadata }, status: clone(object.status ?? {}) }
      : clone(object);
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    if (!statusOnly && type.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    }
    const nextMetadata = isObject(next.metadata) ? next.metadata : (next.metadata = {});
    for (const field of [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'generation',
    ]) {
      if (oldMetadata[field] === undefined) delete nextMetadata[field];
      else nextMetadata[field] = oldMetadata[field]!;
    }
    nextMetadata.resourceVersion = oldMetadata.resourceVersion!;
    keepAllocated(type.kind, next, old);
    applyDefaults(type.kind, next);
    const problems = validateObject(type.kind, next, old);
    if (problems.length > 0) throw errors.invalid(type, name, problems);

    if ((type.generation || type.custom) && !statusOnly && specChanged(old, next)) {
      nextMetadata.generation = Number(oldMetadata.generation ?? 0) + 1;
    }
    if (!options.managedFieldsComputed) {
      delete nextMetadata.managedFields;
      writeManagers(next, recordUpdate(readManagers(old), old, next, this.updateWrite(type, options)));
    }
    if (unchanged(old, next)) return old;
    return options.dryRun ? next : this.store.put(type, next);
  }

  /** Deletes an object and, unless orphaned, everything it owns (and a namespace's contents). */
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options: { dryRun?: boolean; propagationPolicy?: PropagationPolicy } = {},
  ): JsonObject {
    const existing = this.require(type, namespace, name);
    const deleted = clone(existing);
    (deleted.metadata as JsonObject).deletionTimestamp = timestamp();
    if (options.dryRun) return deleted;
    const uid = String((existing.metadata as JsonObject).uid);
    this.store.remove(type, type.namespaced ? namespace : '', name);
    if (type.kind === 'Namespace') {
      for (const member of this.registry.all().filter((candidate) => candidate.namespaced)) {
        for (const object of this.store.list(member, name)) {
          this.store.remove(member, name, String((object.metadata as JsonObject).name));
        }
      }
    } else {
      this.deleteDependents(uid, options.propagationPolicy ?? 'Background');
    }
    return deleted;
  }

  private deleteDependents(ownerUid: string, policy: PropagationPolicy): void {
    for (const type of this.registry.all()) {
      for (const object of this.store.ownedBy(type, ownerUid)) {
        const metadata = object.metadata as JsonObject;
        const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
        if (policy === 'Orphan') {
          const orphan = clone(object);
          (orphan.metadata as JsonObject).ownerReferences = owners.filter(
            (owner) => !(isObject(owner) && owner.uid === ownerUid),
          );
          this.update(type, orphan, { manager: 'kube-controller-manager' });
        } else if (this.get(type, String(metadata.namespace ?? ''), String(metadata.name))) {
          this.delete(type, String(metadata.namespace ?? ''), String(metadata.name), {
            propagationPolicy: policy,
          });
        }
      }
    }
  }

  private updateWrite(type: ResourceType, options: WriteOptions) {
    return {
      manager: options.manager,
      apiVersion: apiVersionOf(type),
      ...(options.subresource ? { subresource: options.subresource } : {}),
      schema: { kind: type.kind, custom: type.custom },
      statusSubresource: type.subresources.includes('status'),
      now: timestamp(),
    };
  }
}

/** Whether anything outside metadata and status differs: what bumps `metadata.generation`. */
function specChanged(old: JsonObject, next: JsonObject): boolean {
  const strip = (object: JsonObject): JsonObject => {
    const copy: JsonObject = { ...object };
    delete copy.metadata;
    delete copy.status;
    delete copy.apiVersion;
    delete copy.kind;
    return copy;
  };
  return !deepEqual(strip(old), strip(next));
}

function unchanged(old: JsonObject, next: JsonObject): boolean {
  return deepEqual(
    { ...old, metadata: withoutTimes(old.metadata) ?? null },
    { ...next, metadata: withoutTimes(next.metadata) ?? null },
  );
}
