import { ActionError, ConfigurationError } from '../../../../../shared/src/errors.ts';
import { field, type KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { plannedDeployments, step, writeOptions, type StrategyContext } from '../context.ts';
import { withChanges } from '../render.ts';
import { HTTP_ROUTES_PATH, patchLatest } from '../state/cluster-writes.ts';
import {
  COLOURS_ANNOTATION,
  releaseState,
  STABLE_RULES_ANNOTATION,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  type ReleaseState,
} from '../state/keys.ts';
import { isHttpRoute, servicesSelecting } from '../workloads.ts';
import { colourName, colourOf } from './colours.ts';
import { colourRules, referencedServices, type Backends } from './route-backends.ts';

/**
 * Blue-green through an HTTPRoute: the route named by `route`, or the one of the manifests whose
 * rules send traffic to a Service in front of a Deployment. Its state lives on the route itself
 * (state, and by Deployment the one serving and the one before), so that the switch, the switch
 * back and the state they record are one patch, and promote and abort work from another run.
 */
export interface BlueGreenRoute {
  namespace: string;
  name: string;
  /** The route as the manifests have it, applied with the release; undefined for a live route named by `route`. */
  planned: PlannedObject | undefined;
  live: KubeObject | undefined;
  /** The rules its owner wrote, from which every switch is computed. */
  ownRules: unknown[];
  /** By Deployment name: its Services that the route's rules reference. */
  servicesOf: Map<string, string[]>;
}

export interface RouteColours {
  state: ReleaseState | undefined;
  colours: Record<string, { active: string; previous?: string }>;
}

/** The route to switch, read and checked before anything is written; undefined: switch Service selectors. */
export async function findBlueGreenRoute(context: StrategyContext): Promise<BlueGreenRoute | undefined> {
  const { manifests, namespace: defaultNamespace } = context.inputs;
  const named = context.settings.route;
  const deployments = plannedDeployments(context.plan);
  const fronts = new Set(
    deployments.flatMap((stable) =>
      servicesSelecting(manifests, stable.manifest).map((service) => service.object.metadata.name),
    ),
  );
  const manifest = manifests.find(
    (candidate) =>
      isHttpRoute(candidate.object) &&
      (named === undefined
        ? [...referencedServices(rulesOf(candidate.object))].some((name) => fronts.has(name))
        : candidate.object.metadata.name === named),
  );
  if (named === undefined && !manifest) return undefined;
  const name = named ?? (manifest as Manifest).object.metadata.name;
  const namespace = manifest?.object.metadata.namespace ?? defaultNamespace;
  const live = await context.client.getObject(HTTP_ROUTES_PATH(namespace, name), {
    signal: context.signal,
    what: `read HTTPRoute/${namespace}/${name}`,
  });
  if (!manifest && !live) {
    throw new ConfigurationError(
      `Input "route" is "${name}", and HTTPRoute/${namespace}/${name} does not exist, so blue-green has no route to switch. Nothing was changed.`,
      {
        input: 'route',
        hint: 'name a live HTTPRoute of the namespace, or add the route to the manifests; the cluster must serve the Gateway API (gateway.networking.k8s.io/v1)',
      },
    );
  }
  const saved = live?.metadata?.annotations?.[STABLE_RULES_ANNOTATION];
  const savedRules = saved ? (JSON.parse(saved) as unknown[]) : undefined;
  const manifestRules = manifest ? rulesOf(manifest.object) : undefined;
  // A deploy switches from the rules of this release's manifests; promote and abort from those the switch used.
  const ownRules =
    (context.settings.action === 'deploy' ? (manifestRules ?? savedRules) : (savedRules ?? manifestRules)) ??
    rulesOf(live as KubeObject);
  const referenced = referencedServices(ownRules);
  const servicesOf = new Map(
    deployments.map((stable) => [
      stable.ref.name,
      servicesSelecting(manifests, stable.manifest)
        .map((service) => service.object.metadata.name)
        .filter((service) => referenced.has(service)),
    ]),
  );
  const unrouted = [...servicesOf].filter(([, services]) => services.length === 0).map(([stable]) => stable);
  if (unrouted.length > 0) {
    throw new ConfigurationError(
      `${named === undefined ? 'The HTTPRoute' : `Input "route" is "${name}": HTTPRoute`} ${namespace}/${name} has no backendRef to a Service in front of Deployment ${unrouted.join(', ')} (its rules reference ${[...referenced].join(', ') || 'no Service'}), so blue-green cannot switch its traffic. Nothing was changed.`,
      {
        input: named === undefined ? 'manifests' : 'route',
        hint: "the route must send traffic to a Service of the manifests whose selector picks the Deployment's pods (backendRefs of kind Service)",
      },
    );
  }
  const planned = manifest ? context.plan.find((item) => item.manifest === manifest) : undefined;
  return { namespace, name, planned, live, ownRules, servicesOf };
}

export function routeColours(route: BlueGreenRoute): RouteColours {
  const annotations = route.live?.metadata?.annotations ?? {};
  if (annotations[STRATEGY_ANNOTATION] !== 'blue-green') return { state: undefined, colours: {} };
  const colours = annotations[COLOURS_ANNOTATION];
  return {
    state: releaseState(annotations[STATE_ANNOTATION]),
    colours: colours ? (JSON.parse(colours) as RouteColours['colours']) : {},
  };
}

/**
 * The route of the manifests as it is applied while blue-green owns its rules: the live rules and
 * state kept (the apply changes no traffic), everything else from the manifests.
 */
export function routeAsLive(route: BlueGreenRoute): PlannedObject | undefined {
  const { planned, live } = route;
  if (!planned || routeColours(route).state === undefined) return undefined;
  const keep = [STRATEGY_ANNOTATION, STATE_ANNOTATION, COLOURS_ANNOTATION, STABLE_RULES_ANNOTATION];
  const annotations = live?.metadata?.annotations ?? {};
  const manifest = withChanges(planned.manifest, (object) => {
    object.metadata.annotations = {
      ...object.metadata.annotations,
      ...Object.fromEntries(
        keep.filter((key) => key in annotations).map((key) => [key, annotations[key] as string]),
      ),
    };
    object.spec = { ...object.spec, rules: rulesOf(live as KubeObject) };
  });
  return { ...planned, manifest };
}

/** The Service a Deployment's traffic goes to through the route: a colour's own Service, or the Service itself for a plain Deployment. */
export function backendService(service: string, stable: string, workload: string): string {
  const colour = colourOf(stable, workload);
  return colour ? colourName(service, colour) : service;
}

/** Each routed Service of each Deployment: the backends for its serving Deployment and the one kept idle. */
export function routeBackends(
  route: BlueGreenRoute,
  workloads: ReadonlyMap<string, { active: string; idle: string | undefined }>,
): Map<string, Backends> {
  const backends = new Map<string, Backends>();
  for (const [stable, { active, idle }] of workloads) {
    for (const service of route.servicesOf.get(stable) ?? []) {
      backends.set(service, {
        active: backendService(service, stable, active),
        idle: idle === undefined ? undefined : backendService(service, stable, idle),
      });
    }
  }
  return backends;
}

/**
 * One merge patch of the route, guarded by the resourceVersion read: its rules with the given
 * backends (none: the rules are left as they are) and the state they stand for.
 */
export async function switchRoute(
  context: StrategyContext,
  route: BlueGreenRoute,
  change: { backends: Map<string, Backends> | undefined; state: RouteColours; what: string },
): Promise<void> {
  const patched = await patchLatest(
    context.client,
    HTTP_ROUTES_PATH(route.namespace, route.name),
    `${change.what} on HTTPRoute/${route.namespace}/${route.name}`,
    () => ({
      metadata: {
        annotations: {
          [STRATEGY_ANNOTATION]: 'blue-green',
          [STATE_ANNOTATION]: change.state.state ?? null,
          [COLOURS_ANNOTATION]: JSON.stringify(change.state.colours),
          [STABLE_RULES_ANNOTATION]: JSON.stringify(route.ownRules),
        },
      },
      ...(change.backends ? { spec: { rules: colourRules(route.ownRules, change.backends).rules } } : {}),
    }),
    writeOptions(context),
  );
  if (!patched) {
    throw new ActionError(
      `HTTPRoute/${route.namespace}/${route.name} no longer exists: nothing was switched.`,
      {
        hint: 'apply the route again (it is in the manifests, or name a live one with the route input), then run the same step again',
      },
    );
  }
  step(context, `HTTPRoute/${route.namespace}/${route.name}: ${change.what}.`);
}

function rulesOf(route: KubeObject): unknown[] {
  const rules = field(route, 'spec', 'rules');
  return Array.isArray(rules) ? (rules as unknown[]) : [];
}
