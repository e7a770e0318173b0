import { ActionError } from '../../../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import { field } from '../../../../../shared/src/kubernetes/object.ts';
import { STABLE_RULES_ANNOTATION } from '../state/keys.ts';
import {
  annotationsPatch,
  HTTP_ROUTES_PATH,
  patchLatest,
  type WriteOptions,
} from '../state/cluster-writes.ts';
import { weightedRules } from './route-weights.ts';

/**
 * The canary's weight on the live HTTPRoute. The rules as they were before the canary are kept in
 * an annotation of the route itself, so every step is computed from them (never from a previous
 * step's), and promote or abort from another run restores them exactly: the next apply of the
 * manifests then finds the route as it left it, and no field manager conflict arises.
 */
export interface RouteTarget {
  namespace: string;
  name: string;
  /** Stable Service name to its canary Service's name. */
  canaryServiceOf: ReadonlyMap<string, string>;
}

function routeMissing(target: RouteTarget): ActionError {
  return new ActionError(
    `HTTPRoute/${target.namespace}/${target.name} does not exist, so traffic-weights has nothing to step.`,
    {
      hint: 'add it to the manifests, or check the route input; the cluster must serve the Gateway API (gateway.networking.k8s.io/v1)',
    },
  );
}

export async function setCanaryWeight(
  client: KubernetesClient,
  target: RouteTarget,
  weight: number,
  options: WriteOptions,
): Promise<void> {
  const patched = await patchLatest(
    client,
    HTTP_ROUTES_PATH(target.namespace, target.name),
    `set the canary's weight on HTTPRoute/${target.namespace}/${target.name} to ${weight}`,
    (route) => {
      const saved = route.metadata?.annotations?.[STABLE_RULES_ANNOTATION];
      const stableRules = saved
        ? (JSON.parse(saved) as unknown[])
        : ((field(route, 'spec', 'rules') as unknown[] | undefined) ?? []);
      const { rules, split } = weightedRules(stableRules, target.canaryServiceOf, weight);
      if (split === 0) {
        throw new ActionError(
          `HTTPRoute/${target.namespace}/${target.name} has no backendRef to ${[...target.canaryServiceOf.keys()].join(' or ')}, so it cannot send the canary a share of their traffic.`,
          { hint: 'its rules must reference the stable Service (kind Service) that fronts the Deployment' },
        );
      }
      return {
        metadata: {
          annotations: annotationsPatch({ [STABLE_RULES_ANNOTATION]: JSON.stringify(stableRules) }),
        },
        spec: { rules },
      };
    },
    options,
  );
  if (!patched) throw routeMissing(target);
}

/** The route's rules as before the canary; nothing to do (false) when no canary weight was ever set. */
export async function restoreRoute(
  client: KubernetesClient,
  target: RouteTarget,
  options: WriteOptions,
): Promise<boolean> {
  const restored = await patchLatest(
    client,
    HTTP_ROUTES_PATH(target.namespace, target.name),
    `restore the rules of HTTPRoute/${target.namespace}/${target.name}`,
    (route) => {
      const saved = route.metadata?.annotations?.[STABLE_RULES_ANNOTATION];
      if (!saved) return undefined;
      return {
        metadata: { annotations: annotationsPatch({}, [STABLE_RULES_ANNOTATION]) },
        spec: { rules: JSON.parse(saved) as unknown[] },
      };
    },
    options,
  );
  return restored !== undefined;
}
