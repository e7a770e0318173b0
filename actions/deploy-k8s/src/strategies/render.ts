import type { KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import { builtInResourceType } from '../../../../shared/src/kubernetes/resource-types.ts';
import type { Manifest } from '../manifests/manifest.ts';
import { planObjects, type PlannedObject } from '../apply/plan.ts';
import type { Labels } from './workloads.ts';

/**
 * The objects a strategy adds to a release, rendered from the user's own manifests (images already
 * substituted, labels and traceability annotations already added) so that they are validated,
 * applied and waited for exactly like the rest: a copy under another name, with labels added to
 * its selector and pod template, its replicas and annotations set.
 */
export interface DeploymentVariant {
  name: string;
  /** Added to `spec.selector.matchLabels` and the pod template's labels. */
  labels: Labels;
  replicas: number;
  annotations: Record<string, string>;
  /** Where the variant comes from, for messages: `canary of k8s/web.yaml, document 1`. */
  source: string;
}

export function deploymentVariant(stable: Manifest, variant: DeploymentVariant): Manifest {
  const object = structuredClone(stable.object);
  object.metadata = {
    ...object.metadata,
    name: variant.name,
    labels: { ...object.metadata.labels, ...variant.labels },
    annotations: { ...object.metadata.annotations, ...variant.annotations },
  };
  const spec = (object.spec ??= {}) as { replicas?: number; selector?: KubeObject; template?: KubeObject };
  spec.replicas = variant.replicas;
  const selector = (spec.selector ??= {}) as { matchLabels?: Labels };
  selector.matchLabels = { ...selector.matchLabels, ...variant.labels };
  const template = (spec.template ??= {});
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...variant.labels } };
  return { object, source: variant.source };
}

/** A copy of a manifest with some of its fields replaced: a Service with the selector the strategy owns. */
export function withChanges(manifest: Manifest, change: (object: Manifest['object']) => void): Manifest {
  const object = structuredClone(manifest.object);
  change(object);
  return { object, source: manifest.source };
}

/** Plans built-in objects the strategy rendered, as the release's own are planned. */
export function planRendered(manifests: readonly Manifest[], namespace: string): PlannedObject[] {
  const types = new Map(
    manifests.map((manifest) => {
      const type = builtInResourceType(manifest.object.apiVersion, manifest.object.kind);
      if (!type) throw new Error(`${manifest.object.kind} is not a built-in kind`);
      return [manifest, type] as const;
    }),
  );
  return planObjects(manifests, types, namespace);
}

/** Replaces, in a plan, each object `replace` gives another one for (same place in the order), and drops nulls. */
export function replaceInPlan(
  plan: readonly PlannedObject[],
  replace: (planned: PlannedObject) => PlannedObject | PlannedObject[] | null | undefined,
): PlannedObject[] {
  return plan.flatMap((planned) => {
    const replacement = replace(planned);
    if (replacement === undefined) return [planned];
    if (replacement === null) return [];
    return Array.isArray(replacement) ? replacement : [replacement];
  });
}
