import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { ROUTE_ANNOTATION } from '../state/keys.ts';
import { deleteIfPresent, SERVICES_PATH, type WriteOptions } from '../state/cluster-writes.ts';
import { unpinServices } from '../traffic/pinning.ts';
import type { RouteTarget } from '../traffic/route.ts';
import { servicesSelecting } from '../workloads.ts';
import { canaryName } from './canary-objects.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';

/**
 * The Services and HTTPRoute around a traffic-weighted canary: which Services front the stable
 * Deployment, the route target to step, and the undoing of the pin and of the canary Services when
 * the canary ends (promoted or aborted).
 */
export function stableServices(manifests: readonly Manifest[], stable: PlannedObject): Manifest[] {
  return servicesSelecting(manifests, stable.manifest);
}

export function routeTarget(
  namespace: string,
  routeName: string,
  services: readonly Manifest[],
): RouteTarget {
  return {
    namespace,
    name: routeName,
    canaryServiceOf: new Map(
      services.map((service) => [service.object.metadata.name, canaryName(service.object.metadata.name)]),
    ),
  };
}

/** The route a canary Deployment steps, recorded on it at deploy, for promote and abort in another run. */
export function routeOf(canary: KubeObject): string | undefined {
  return canary.metadata?.annotations?.[ROUTE_ANNOTATION];
}

/** Gives each pinned stable Service its own selector back, and deletes the canary Services. */
export async function releaseServices(
  client: KubernetesClient,
  services: readonly Manifest[],
  options: WriteOptions,
  onStep: (text: string) => void,
): Promise<void> {
  await unpinServices(client, services, options, onStep);
  for (const service of services) {
    const { name, namespace = '' } = service.object.metadata;
    const canaryService = SERVICES_PATH(namespace, canaryName(name));
    // Read first: an abort with nothing left to undo sends no write at all.
    if (await client.getObject(canaryService, { signal: options.signal })) {
      await deleteIfPresent(
        client,
        canaryService,
        `delete Service/${namespace}/${canaryName(name)}`,
        options.signal,
      );
      onStep(`Service/${namespace}/${canaryName(name)} deleted.`);
    }
  }
}
