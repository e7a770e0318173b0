/**
 * Kubernetes objects as the API sends and receives them: plain JSON, never typed models, so that a
 * field this code does not know (a newer API's, a custom resource's) passes through untouched
 * (kubernetes-client/javascript#2962 is what round-tripping through typed models costs).
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { uid: string; kind: string; name: string; controller?: boolean }[];
  creationTimestamp?: string;
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What names one object in messages, outputs and maps. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Undefined for cluster-scoped objects. */
  namespace?: string;
}

/** `Deployment/shop/web`, or `Namespace/shop` for a cluster-scoped object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** The API group of an apiVersion: `apps` for `apps/v1`, `` for the core `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested field without trusting the shape: `field(obj, 'spec', 'template', 'spec')`. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function numberField(value: unknown, ...path: string[]): number | undefined {
  const found = field(value, ...path);
  return typeof found === 'number' ? found : undefined;
}

export function stringField(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** True when `owner` is the controller (or an owner) of `object` by uid. */
export function isOwnedBy(object: KubeObject, ownerUid: string | undefined): boolean {
  if (!ownerUid) return false;
  return (object.metadata?.ownerReferences ?? []).some((reference) => reference.uid === ownerUid);
}
