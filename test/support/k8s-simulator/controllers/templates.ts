import {
  canonicalJson,
  clone,
  deepEqual,
  isObject,
  objectAt,
  type JsonObject,
  type JsonValue,
} from '../store/json.ts';
import { fnv32a, randomSuffix, safeEncode } from '../store/names.ts';
import { controllerReference, nameOf, namespaceOf } from './objects.ts';

/** Pod templates: their hash (pod-template-hash, controller-revision-hash) and the pods made from them. */

export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** controller.ComputeHash: FNV-1a of the template (and the collision count), spelled safely. */
export function templateHash(template: JsonValue, collisionCount = 0): string {
  const text = canonicalJson(template) + (collisionCount > 0 ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}

/** Whether two templates are the same once the pod-template-hash label is ignored (EqualIgnoreHash). */
export function equalIgnoringHash(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const strip = (template: JsonValue | undefined): JsonValue => {
    const copy = clone(template ?? {});
    const labels = objectAt(copy, 'metadata', 'labels');
    if (labels) {
      delete labels[POD_TEMPLATE_HASH];
      if (Object.keys(labels).length === 0)
        delete (copy as JsonObject & { metadata: JsonObject }).metadata.labels;
    }
    return copy;
  };
  return deepEqual(strip(a), strip(b));
}

export interface PodOptions {
  /** A fixed name (StatefulSet pods); otherwise the pod is named like `generateName: <owner>-` names it. */
  name?: string;
  labels?: JsonObject;
  /** Extra pod spec fields (DaemonSet node affinity, StatefulSet hostname). */
  spec?: JsonObject;
}

/** A pod for a controller to create from its template, owned by it. */
export function podFromTemplate(owner: JsonObject, template: JsonObject, options: PodOptions): JsonObject {
  const templateMetadata = objectAt(template, 'metadata') ?? {};
  const metadata: JsonObject = {
    name: options.name ?? `${nameOf(owner)}-${randomSuffix()}`,
    namespace: namespaceOf(owner),
    labels: { ...(objectAt(templateMetadata, 'labels') ?? {}), ...(options.labels ?? {}) },
    ownerReferences: [controllerReference(owner)],
  };
  if (isObject(templateMetadata.annotations)) metadata.annotations = clone(templateMetadata.annotations);
  if (options.name === undefined) metadata.generateName = `${nameOf(owner)}-`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { ...clone(objectAt(template, 'spec') ?? {}), ...(options.spec ?? {}) },
  };
}
