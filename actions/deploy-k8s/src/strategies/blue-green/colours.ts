import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { withChanges } from '../render.ts';
import { SERVICES_PATH } from '../state/cluster-writes.ts';
import type { RouteColours } from './route-switch.ts';
import {
  ACTIVE_COLOUR_ANNOTATION,
  ACTIVE_WORKLOAD_ANNOTATION,
  COLOUR_LABEL,
  PREVIOUS_SELECTOR_ANNOTATION,
  PREVIOUS_WORKLOAD_ANNOTATION,
  releaseState,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  type ReleaseState,
} from '../state/keys.ts';
import { serviceSelector, servicesSelecting, type Labels } from '../workloads.ts';

/**
 * Where a blue-green Deployment stands, read from the annotations of the first Service in front
 * of it (all of them are switched together): which Deployment serves, which one served before
 * the last switch and with which selector, and whether that switch is pending, promoted or aborted.
 * A Service without these annotations fronts a plain Deployment, which the first blue-green
 * deploy adopts as the live release.
 */
export type Colour = 'blue' | 'green';

export interface FrontService {
  manifest: Manifest;
  live: KubeObject | undefined;
}

export interface ColourState {
  stable: PlannedObject;
  services: FrontService[];
  state: ReleaseState | undefined;
  activeWorkload: string | undefined;
  previousWorkload: string | undefined;
  previousSelector: Labels | undefined;
}

export function colourName(stableName: string, colour: Colour): string {
  return `${stableName}-${colour}`;
}

export function otherColour(colour: Colour | undefined): Colour {
  return colour === 'blue' ? 'green' : 'blue';
}

/** The colour of a Deployment name; undefined for the plain Deployment adopted as the first live release. */
export function colourOf(stableName: string, workload: string | undefined): Colour | undefined {
  if (workload === colourName(stableName, 'blue')) return 'blue';
  if (workload === colourName(stableName, 'green')) return 'green';
  return undefined;
}

/** The selector that sends a Service's traffic to one colour: its own, plus the colour label. */
export function colourSelector(service: Manifest, colour: Colour): Labels {
  return { ...serviceSelector(service.object), [COLOUR_LABEL]: colour };
}

/**
 * Where the Deployment stands: from its Services' annotations, or, when the release switches an
 * HTTPRoute, from the route's (`routed`). The Services are read either way.
 */
export async function readColourState(
  client: KubernetesClient,
  manifests: readonly Manifest[],
  stable: PlannedObject,
  signal: AbortSignal,
  routed?: RouteColours,
): Promise<ColourState> {
  const services = await Promise.all(
    servicesSelecting(manifests, stable.manifest).map(async (manifest) => ({
      manifest,
      live: await client.getObject(
        SERVICES_PATH(manifest.object.metadata.namespace ?? '', manifest.object.metadata.name),
        {
          signal,
          what: `read Service/${manifest.object.metadata.namespace ?? ''}/${manifest.object.metadata.name}`,
        },
      ),
    })),
  );
  if (routed) {
    const colours = routed.colours[stable.ref.name];
    return {
      stable,
      services,
      state: colours ? routed.state : undefined,
      activeWorkload: colours?.active,
      previousWorkload: colours?.previous,
      previousSelector: undefined,
    };
  }
  const annotations = services[0]?.live?.metadata?.annotations ?? {};
  const managed = annotations[STRATEGY_ANNOTATION] === 'blue-green';
  const previousSelector = annotations[PREVIOUS_SELECTOR_ANNOTATION];
  return {
    stable,
    services,
    state: managed ? releaseState(annotations[STATE_ANNOTATION]) : undefined,
    activeWorkload: managed ? annotations[ACTIVE_WORKLOAD_ANNOTATION] : undefined,
    previousWorkload: managed ? annotations[PREVIOUS_WORKLOAD_ANNOTATION] : undefined,
    previousSelector: managed && previousSelector ? (JSON.parse(previousSelector) as Labels) : undefined,
  };
}

/**
 * A colour's own Service for an HTTPRoute backend: the front Service's ports, selecting its pods
 * plus the colour label. Its selector never changes; the route's refs move between the colours.
 */
export function renderColourService(service: Manifest, colour: Colour): Manifest {
  return withChanges(service, (object) => {
    const ports = Array.isArray(object.spec?.ports) ? (object.spec.ports as unknown[]) : [];
    object.metadata = {
      name: colourName(service.object.metadata.name, colour),
      namespace: object.metadata.namespace,
      labels: { ...object.metadata.labels, [COLOUR_LABEL]: colour },
      annotations: { ...object.metadata.annotations, [STRATEGY_ANNOTATION]: 'blue-green' },
    };
    object.spec = {
      type: 'ClusterIP',
      selector: colourSelector(service, colour),
      // A NodePort is unique in the cluster: the colour's Service cannot share the front one's.
      ports: ports.map((port) => {
        const { nodePort: _nodePort, ...rest } = port as Record<string, unknown>;
        return rest;
      }),
    };
  });
}

/** The state annotations of a live Service, kept when the Service is applied again from the manifests. */
export function stateAnnotations(live: KubeObject | undefined): Record<string, string> {
  const annotations = live?.metadata?.annotations ?? {};
  const keys = [
    STRATEGY_ANNOTATION,
    STATE_ANNOTATION,
    ACTIVE_COLOUR_ANNOTATION,
    ACTIVE_WORKLOAD_ANNOTATION,
    PREVIOUS_WORKLOAD_ANNOTATION,
    PREVIOUS_SELECTOR_ANNOTATION,
  ];
  return Object.fromEntries(
    keys.filter((key) => key in annotations).map((key) => [key, annotations[key] as string]),
  );
}
