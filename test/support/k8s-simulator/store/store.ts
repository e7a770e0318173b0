import { clone, isObject, type JsonObject } from './json.ts';

/**
 * The simulator's etcd: objects by group, resource, namespace and name, one cluster-wide revision
 * counter that becomes each write's `metadata.resourceVersion`, and a bounded history of changes
 * that watches replay from. Older history is compacted away, so a watch from a revision before
 * the oldest kept event is told `410 Gone`, as the real watch cache does.
 */

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  revision: number;
  type: ChangeType;
  group: string;
  resource: string;
  namespace: string;
  object: JsonObject;
  /** The object before this change (MODIFIED and DELETED), for selector transitions. */
  previous?: JsonObject;
}

export interface StoreKey {
  group: string;
  resource: string;
}

interface Bucket {
  objects: Map<string, JsonObject>;
  /** The objects in key order, rebuilt after a write: controllers list far more often than anything writes. */
  sorted: JsonObject[] | undefined;
  /** Owner uid to the ids of the objects that reference it, for controllers looking up what they own. */
  owned: Map<string, Set<string>>;
}

function ownerUids(object: JsonObject | undefined): string[] {
  const references = isObject(object?.metadata) ? object.metadata.ownerReferences : undefined;
  return Array.isArray(references)
    ? references.filter(isObject).map((reference) => String(reference.uid))
    : [];
}

export class ObjectStore {
  private revisionCounter: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<(change: Change) => void>();
  /** Changes at or before this revision are no longer in the history. */
  private compactedThrough: number;
  private readonly historyLimit: number;

  constructor(historyLimit: number) {
    this.historyLimit = historyLimit;
    // Real clusters are far from revision 1; starting higher keeps "0" (any version) distinct.
    this.revisionCounter = 1000;
    this.compactedThrough = this.revisionCounter;
  }

  get revision(): number {
    return this.revisionCounter;
  }

  get oldestAvailable(): number {
    return this.compactedThrough;
  }

  get(key: StoreKey, namespace: string, name: string): JsonObject | undefined {
    return this.bucket(key).objects.get(`${namespace}/${name}`);
  }

  /** Objects of one resource, in one namespace or all, sorted by namespace and name like etcd keys. */
  list(key: StoreKey, namespace?: string): JsonObject[] {
    const bucket = this.bucket(key);
    if (!bucket.sorted) {
      const ids = [...bucket.objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      bucket.sorted = ids.map((id) => bucket.objects.get(id)!);
    }
    if (namespace === undefined) return [...bucket.sorted];
    return bucket.sorted.filter((object) => (object.metadata as JsonObject).namespace === namespace);
  }

  /** Objects of one resource whose ownerReferences name `ownerUid`, sorted by name. */
  ownedBy(key: StoreKey, ownerUid: string): JsonObject[] {
    const bucket = this.bucket(key);
    const name = (object: JsonObject): string => String((object.metadata as JsonObject).name);
    return [...(bucket.owned.get(ownerUid) ?? [])]
      .map((id) => bucket.objects.get(id)!)
      .sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  }

  /**
   * Stores an object, stamping the next resourceVersion on it, and returns it. The store takes
   * the object over: callers hand it a fresh one and never change it afterwards (what the store
   * holds is read-only to everyone).
   */
  put(key: StoreKey, object: JsonObject): JsonObject {
    const metadata = object.metadata as JsonObject;
    const namespace = String(metadata.namespace ?? '');
    const id = `${namespace}/${String(metadata.name)}`;
    const bucket = this.bucket(key);
    const previous = bucket.objects.get(id);
    const stored = object;
    this.revisionCounter += 1;
    (stored.metadata as JsonObject).resourceVersion = String(this.revisionCounter);
    this.unindex(bucket, id, previous);
    bucket.objects.set(id, stored);
    this.index(bucket, id, stored);
    this.record({
      revision: this.revisionCounter,
      type: previous ? 'MODIFIED' : 'ADDED',
      ...key,
      namespace,
      object: stored,
      ...(previous ? { previous } : {}),
    });
    return stored;
  }

  remove(key: StoreKey, namespace: string, name: string): JsonObject | undefined {
    const bucket = this.bucket(key);
    const id = `${namespace}/${name}`;
    const previous = bucket.objects.get(id);
    if (!previous) return undefined;
    this.unindex(bucket, id, previous);
    bucket.objects.delete(id);
    this.revisionCounter += 1;
    // The DELETED event carries the object as last stored, at the revision of its deletion.
    const deleted = clone(previous);
    if (isObject(deleted.metadata)) deleted.metadata.resourceVersion = String(this.revisionCounter);
    this.record({
      revision: this.revisionCounter,
      type: 'DELETED',
      ...key,
      namespace,
      object: deleted,
      previous,
    });
    return deleted;
  }

  /** Changes after `revision`, or undefined when some of them were compacted away. */
  changesSince(revision: number): Change[] | undefined {
    if (revision < this.compactedThrough) return undefined;
    return this.history.filter((change) => change.revision > revision);
  }

  /** Forgets all history, as an etcd compaction does: a watch from any earlier revision gets 410. */
  compact(): void {
    this.history.length = 0;
    this.compactedThrough = this.revisionCounter;
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(key: StoreKey): Bucket {
    const id = `${key.group}/${key.resource}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = { objects: new Map(), sorted: undefined, owned: new Map() };
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  private index(bucket: Bucket, id: string, object: JsonObject): void {
    bucket.sorted = undefined;
    for (const uid of ownerUids(object)) {
      const ids = bucket.owned.get(uid) ?? new Set();
      ids.add(id);
      bucket.owned.set(uid, ids);
    }
  }

  private unindex(bucket: Bucket, id: string, object: JsonObject | undefined): void {
    bucket.sorted = undefined;
    for (const uid of ownerUids(object)) {
      const ids = bucket.owned.get(uid);
      ids?.delete(id);
      if (ids?.size === 0) bucket.owned.delete(uid);
    }
  }

  private record(change: Change): void {
    this.history.push(change);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedThrough = dropped.at(-1)!.revision;
    }
    for (const listener of this.listeners) listener(change);
  }
}
