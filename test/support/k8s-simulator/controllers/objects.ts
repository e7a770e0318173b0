import type { ResourceType } from '../api/resources.ts';
import {
  arrayAt,
  clone,
  deepEqual,
  isObject,
  objectAt,
  objectsAt,
  stringAt,
  type JsonObject,
  type JsonValue,
} from '../store/json.ts';
import type { ControllerContext } from './context.ts';

/** Small readers and writers every controller needs: names, ownership, pod readiness, status writes. */

export function metadataOf(object: JsonObject): JsonObject {
  return (object.metadata ?? {}) as JsonObject;
}

export function nameOf(object: JsonObject): string {
  return String(metadataOf(object).name ?? '');
}

export function namespaceOf(object: JsonObject): string {
  return String(metadataOf(object).namespace ?? '');
}

export function uidOf(object: JsonObject): string {
  return String(metadataOf(object).uid ?? '');
}

export function labelsOf(object: JsonObject): JsonObject {
  return objectAt(object, 'metadata', 'labels') ?? {};
}

export function annotationsOf(object: JsonObject): JsonObject {
  return objectAt(object, 'metadata', 'annotations') ?? {};
}

/** An ownerReference marking `owner` as the controller of what carries it. */
export function controllerReference(owner: JsonObject): JsonObject {
  return {
    apiVersion: String(owner.apiVersion),
    kind: String(owner.kind),
    name: nameOf(owner),
    uid: uidOf(owner),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function isControlledBy(object: JsonObject, owner: JsonObject): boolean {
  const ownerUid = uidOf(owner);
  return objectsAt(object, 'metadata', 'ownerReferences').some(
    (reference) => reference.controller === true && reference.uid === ownerUid,
  );
}

/** The objects of a type in the owner's namespace that the owner controls. */
export function controlledBy(
  context: ControllerContext,
  type: ResourceType,
  owner: JsonObject,
): JsonObject[] {
  return context.objects.list(type, namespaceOf(owner)).filter((object) => isControlledBy(object, owner));
}

export function podPhase(pod: JsonObject): string {
  return stringAt(pod, 'status', 'phase') ?? 'Pending';
}

/** Not finished: pods a controller still counts as its replicas. */
export function podIsActive(pod: JsonObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && metadataOf(pod).deletionTimestamp === undefined;
}

export function podIsReady(pod: JsonObject): boolean {
  return objectsAt(pod, 'status', 'conditions').some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
}

/**
 * Ready for at least minReadySeconds (the Ready condition's lastTransitionTime is whole seconds);
 * a pod that will become available later asks for a wake-up then.
 */
export function podIsAvailable(
  context: ControllerContext,
  pod: JsonObject,
  minReadySeconds: number,
  now: number,
): boolean {
  if (!podIsReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const ready = objectsAt(pod, 'status', 'conditions').find((condition) => condition.type === 'Ready');
  const availableAt = Date.parse(String(ready?.lastTransitionTime ?? '')) + minReadySeconds * 1000;
  if (availableAt > now) context.wake(availableAt);
  return availableAt <= now;
}

export function int(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * Resolves an int-or-percent (`maxSurge: 25%`) against a total, rounding up or down as
 * intstr.GetScaledValueFromIntOrPercent does for the field in question.
 */
export function scaledValue(
  value: JsonValue | undefined,
  total: number,
  roundUp: boolean,
  fallback: number,
): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const scaled = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

/** Drops the zero-valued fields Go leaves out (`omitempty`), so statuses look as a real server returns them. */
export function omitZero(status: JsonObject, fields: string[]): JsonObject {
  for (const field of fields) {
    const value = status[field];
    if (value === 0 || value === '' || value === undefined || (Array.isArray(value) && value.length === 0)) {
      delete status[field];
    }
  }
  return status;
}

/** Writes a status through the status subresource when it differs from the stored one. */
export function writeStatus(
  context: ControllerContext,
  type: ResourceType,
  object: JsonObject,
  status: JsonObject,
  manager: string,
): JsonObject {
  if (deepEqual(object.status ?? {}, status)) return object;
  return context.objects.update(type, { ...object, status }, { manager, subresource: 'status' });
}

/** Writes an object (metadata or spec) when it differs from the stored one. */
export function writeObject(
  context: ControllerContext,
  type: ResourceType,
  before: JsonObject,
  after: JsonObject,
  manager: string,
): JsonObject {
  if (deepEqual(before, after)) return before;
  return context.objects.update(type, after, { manager });
}

export function withAnnotations(object: JsonObject, annotations: JsonObject): JsonObject {
  const copy = clone(object);
  const metadata = copy.metadata as JsonObject;
  metadata.annotations = { ...(isObject(metadata.annotations) ? metadata.annotations : {}), ...annotations };
  return copy;
}

export function containersOf(pod: JsonObject, list = 'containers'): JsonObject[] {
  return arrayAt(pod, 'spec', list).filter(isObject);
}
