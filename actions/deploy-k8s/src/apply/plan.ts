import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { describeRef, type ObjectRef } from '../../../../shared/src/kubernetes/object.ts';
import {
  builtInResourceType,
  resourcePath,
  type ResourceType,
} from '../../../../shared/src/kubernetes/resource-types.ts';
import { applyRank } from './apply-order.ts';
import type { Manifest } from '../manifests/manifest.ts';
import { defaultNamespace } from '../manifests/render.ts';

/** An object ready to apply: where it goes in the API and when in the order. */
export interface PlannedObject {
  manifest: Manifest;
  type: ResourceType;
  ref: ObjectRef;
  /** The object's own URL path: `/apis/apps/v1/namespaces/shop/deployments/web`. */
  path: string;
  rank: number;
}

/** Namespaces defaulted, each object placed, and one object named twice refused. */
export function planObjects(
  manifests: readonly Manifest[],
  types: ReadonlyMap<Manifest, ResourceType>,
  namespace: string,
): PlannedObject[] {
  const seen = new Map<string, Manifest>();
  return manifests.map((manifest) => {
    const type = types.get(manifest);
    if (!type) throw new Error(`no resource type for ${manifest.source}`);
    defaultNamespace(manifest, type, namespace);
    const { apiVersion, kind, metadata } = manifest.object;
    const ref: ObjectRef = {
      apiVersion,
      kind,
      name: metadata.name,
      namespace: type.namespaced ? metadata.namespace : undefined,
    };
    const key = `${type.group}/${describeRef(ref)}`;
    const first = seen.get(key);
    if (first) {
      throw new ConfigurationError(
        `${describeRef(ref)} is in the manifests twice: ${first.source} and ${manifest.source}.`,
        { input: 'manifests' },
      );
    }
    seen.set(key, manifest);
    return {
      manifest,
      type,
      ref,
      path: resourcePath(type, ref.namespace, ref.name),
      rank: applyRank(kind, builtInResourceType(apiVersion, kind) !== undefined),
    };
  });
}
