import { ConfigurationError } from '../../../../shared/src/errors.ts';
import type { ResourceType } from '../../../../shared/src/kubernetes/resource-types.ts';
import type { Manifest } from './manifest.ts';

/**
 * What Gantry adds to every object: the `labels` and `annotations` inputs and the traceability
 * annotations, on the object's own metadata only. Pod templates are left alone on purpose: a
 * template that changes on every commit would restart every pod on every deploy.
 */
export function addMetadata(
  manifests: readonly Manifest[],
  labels: Record<string, string>,
  annotations: Record<string, string>,
): void {
  for (const { object } of manifests) {
    if (Object.keys(labels).length > 0) object.metadata.labels = { ...object.metadata.labels, ...labels };
    if (Object.keys(annotations).length > 0) {
      object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
    }
  }
}

/**
 * Namespaced objects without a namespace get the default one; objects that name one keep it. A
 * cluster-scoped object that names a namespace is a mistake worth stopping for: the API server
 * would ignore the namespace, and the author surely meant something else.
 */
export function defaultNamespace(manifest: Manifest, type: ResourceType, namespace: string): void {
  const { metadata, kind } = manifest.object;
  if (type.namespaced) {
    metadata.namespace ??= namespace;
    return;
  }
  if (metadata.namespace !== undefined) {
    throw new ConfigurationError(
      `Manifest ${manifest.source}: ${kind} "${metadata.name}" is cluster-scoped and cannot have metadata.namespace ("${metadata.namespace}").`,
      { input: 'manifests' },
    );
  }
}
