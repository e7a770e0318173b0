import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { deploymentVariant, withChanges } from '../render.ts';
import {
  CANARY_OF_ANNOTATION,
  CANARY_TRACK,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  TRACK_LABEL,
  WEIGHT_ANNOTATION,
} from '../state/keys.ts';
import { renderPinnedService } from '../traffic/pinning.ts';
import { canaryReplicas, type CanarySize } from '../strategy-settings.ts';
import { deploymentSelects, podLabels, serviceSelector } from '../workloads.ts';

/**
 * A canary's objects, rendered from the stable Deployment's manifest: `<name>-canary` with the
 * stable pods' labels plus `gantry.dev/track: canary` (so the stable Service, which selects the
 * shared labels, sends it a share of the traffic in proportion to its pods), and for a
 * traffic-weighted canary `<service>-canary` selecting only the canary's pods, with the stable
 * Service pinned to the stable pods' pod-template-hash so that the HTTPRoute's weights are exact.
 */
export { CANARY_TRACK };

export function canaryName(stableName: string): string {
  return `${stableName}-canary`;
}

export function renderCanary(
  stable: PlannedObject,
  stableLive: KubeObject,
  options: { size: CanarySize; traffic: boolean },
): Manifest {
  const liveReplicas = stableLive.spec?.replicas;
  const stableReplicas = typeof liveReplicas === 'number' ? liveReplicas : 1;
  return deploymentVariant(stable.manifest, {
    name: canaryName(stable.ref.name),
    labels: { [TRACK_LABEL]: CANARY_TRACK },
    replicas: canaryReplicas(options.size, stableReplicas),
    annotations: {
      [STRATEGY_ANNOTATION]: 'canary',
      [STATE_ANNOTATION]: 'pending',
      [CANARY_OF_ANNOTATION]: stable.ref.name,
      ...(options.traffic ? { [WEIGHT_ANNOTATION]: '0' } : {}),
    },
    source: `canary of ${stable.manifest.source}`,
  });
}

/** The canary's own Service: the stable one's ports, selecting only the canary's pods. */
export function renderCanaryService(service: Manifest, stableName: string): Manifest {
  return withChanges(service, (object) => {
    const spec = object.spec ?? {};
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    object.metadata = {
      name: canaryName(service.object.metadata.name),
      namespace: object.metadata.namespace,
      labels: object.metadata.labels,
      annotations: {
        ...object.metadata.annotations,
        [STRATEGY_ANNOTATION]: 'canary',
        [CANARY_OF_ANNOTATION]: stableName,
      },
    };
    object.spec = {
      type: 'ClusterIP',
      selector: { ...serviceSelector(service.object), [TRACK_LABEL]: CANARY_TRACK },
      // A NodePort is unique in the cluster: the canary's Service cannot share the stable one's.
      ports: ports.map((port: unknown) => {
        const { nodePort: _nodePort, ...rest } = port as Record<string, unknown>;
        return rest;
      }),
    };
  });
}

/** The stable Service, applied with its selector pinned to the stable pods for the canary's lifetime. */
export function renderStablePinned(service: Manifest, podTemplateHash: string): Manifest {
  return renderPinnedService(service, podTemplateHash, serviceSelector(service.object), {
    [STRATEGY_ANNOTATION]: 'canary',
  });
}

/** Whether the stable Deployment's selector also picks the canary's pods. */
export function overlaps(stableLive: KubeObject, canary: Manifest): boolean {
  return deploymentSelects(stableLive, podLabels(canary.object));
}

export function overlapWarning(stables: readonly string[]): string {
  return (
    `The selector of ${stables.join(', ')} also matches the pods of ${stables.length === 1 ? 'its canary' : 'their canaries'}. ` +
    "The Deployments' controllers keep their pods apart by ownerReferences, so the deploy goes on, but kubectl warns and anything that lists pods by the stable selector counts the canary's too. " +
    "Kubernetes' canary documentation avoids this with a track label: give the stable Deployment's selector and pod template a label such as track: stable, and have the Service select only the labels both tracks share (app: ...). " +
    "A Deployment's selector cannot change in place: recreate the Deployment (or deploy it under a new name) to adopt it."
  );
}
