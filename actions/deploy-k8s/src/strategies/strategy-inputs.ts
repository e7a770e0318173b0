import { ConfigurationError } from '../../../../shared/src/errors.ts';
import {
  getBoolean,
  getEnum,
  getInteger,
  getList,
  getOptionalString,
  invalidInput,
} from '../../../../shared/src/runner/inputs.ts';
import { isDnsLabel } from '../manifests/manifest-parse.ts';
import type { Manifest } from '../manifests/manifest.ts';
import {
  CANARY_PERCENTAGE_ACCEPTED,
  parsePercentage,
  parseTrafficWeights,
  STRATEGIES,
  STRATEGY_ACTIONS,
  TRAFFIC_WEIGHTS_ACCEPTED,
  trafficWeightsProblem,
  type CanarySize,
  type StrategySettings,
} from './strategy-settings.ts';
import { referencedServices } from './blue-green/route-backends.ts';
import { isHttpRoute, servicesSelecting } from './workloads.ts';

/**
 * The `strategy` inputs, read and checked against each other and against the manifests before
 * anything is sent: an input that does not apply to the chosen strategy or action is refused rather
 * than ignored, since whoever set it expected it to do something.
 */
export function readStrategySettings(): StrategySettings {
  const strategy = getEnum('strategy', STRATEGIES, 'rolling');
  const action = getEnum('action', STRATEGY_ACTIONS, 'deploy');
  const given = (name: string): string | undefined => getOptionalString(name);
  const onlyWith = (name: string, allowed: readonly string[], why: string): void => {
    const value = given(name);
    if (value !== undefined && !allowed.includes(strategy)) {
      throw invalidInput(name, value, `${why}; strategy is ${strategy}`);
    }
  };
  if (action !== 'deploy' && strategy === 'rolling') {
    throw invalidInput(
      'action',
      action,
      `${action} applies to strategy canary or blue-green (a rolling update has nothing pending); set strategy to the one the deploy used, or use the rollback action`,
    );
  }
  onlyWith('canary-replicas', ['canary'], 'canary-replicas applies to strategy canary only');
  onlyWith('canary-percentage', ['canary'], 'canary-percentage applies to strategy canary only');
  onlyWith('traffic-weights', ['canary'], 'traffic-weights applies to strategy canary only');
  onlyWith(
    'route',
    ['canary', 'blue-green'],
    'route applies to strategy canary with traffic-weights, or blue-green',
  );
  onlyWith('keep-previous', ['blue-green'], 'keep-previous applies to strategy blue-green only');
  for (const name of ['analysis', 'auto-promote']) {
    onlyWith(name, ['canary', 'blue-green'], `${name} applies to strategy canary or blue-green`);
  }
  if (action !== 'deploy') {
    for (const name of ['analysis', 'auto-promote', 'supersede']) {
      const value = given(name);
      if (value !== undefined) {
        throw invalidInput(name, value, `${name} applies to action deploy only; action is ${action}`);
      }
    }
  }
  const weightItems = getList('traffic-weights');
  const trafficWeights = weightItems.length > 0 ? parseTrafficWeights(weightItems) : [];
  if (!trafficWeights) {
    throw invalidInput(
      'traffic-weights',
      weightItems.join(','),
      `${trafficWeightsProblem(weightItems)}; ${TRAFFIC_WEIGHTS_ACCEPTED}`,
    );
  }
  const route = given('route');
  if (route !== undefined && strategy === 'canary' && trafficWeights.length === 0) {
    throw invalidInput(
      'route',
      route,
      'route names the HTTPRoute whose weights traffic-weights steps; set traffic-weights too',
    );
  }
  if (route !== undefined && !isDnsLabel(route) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(route)) {
    throw invalidInput('route', route, 'expected the name of an HTTPRoute in the namespace');
  }
  return {
    strategy,
    action,
    canarySize: readCanarySize(),
    trafficWeights,
    route,
    analysisText: given('analysis'),
    autoPromote: getBoolean('auto-promote', false),
    keepPrevious: getBoolean('keep-previous', true),
    supersede: getBoolean('supersede', false),
  };
}

function readCanarySize(): CanarySize {
  const replicasText = getOptionalString('canary-replicas');
  const percentageText = getOptionalString('canary-percentage');
  if (replicasText !== undefined && percentageText !== undefined) {
    throw invalidInput(
      'canary-percentage',
      percentageText,
      `set either canary-replicas or canary-percentage, not both (canary-replicas is "${replicasText}")`,
    );
  }
  if (percentageText !== undefined) {
    const percentage = parsePercentage(percentageText);
    if (percentage === undefined)
      throw invalidInput('canary-percentage', percentageText, CANARY_PERCENTAGE_ACCEPTED);
    return { percentage };
  }
  return { replicas: getInteger('canary-replicas', { default: 1, min: 1, max: 1000 }) };
}

/**
 * What the strategy needs from the manifests: Deployments (the only workloads it can run twice
 * side by side), no StatefulSet or DaemonSet it could not, a Service for every Deployment in
 * blue-green, and an HTTPRoute to step when traffic-weights is set.
 */
export function checkStrategyManifests(
  settings: StrategySettings,
  manifests: readonly Manifest[],
  options: { dryRun: boolean; wait: boolean },
): void {
  if (settings.strategy === 'rolling') return;
  const { strategy } = settings;
  if (!options.wait) {
    throw invalidInput(
      'wait',
      'false',
      `strategy ${strategy} waits for the new pods before any traffic reaches them; set wait: true or strategy: rolling`,
    );
  }
  if (options.dryRun) {
    throw invalidInput(
      'dry-run',
      'true',
      `a dry run previews a rolling deploy; strategy ${strategy} reads the live release to decide what to write, so preview it with strategy: rolling`,
    );
  }
  const kinds = manifests.map((manifest) => manifest.object.kind);
  const other = manifests.find((manifest) => ['StatefulSet', 'DaemonSet'].includes(manifest.object.kind));
  if (other) {
    throw new ConfigurationError(
      `Manifest ${other.source}: strategy ${strategy} runs Deployments side by side, and ${other.object.kind} "${other.object.metadata.name}" cannot be; deploy it in a step with strategy: rolling.`,
      { input: 'strategy' },
    );
  }
  if (!kinds.includes('Deployment')) {
    throw new ConfigurationError(
      `Input "strategy" is ${strategy}, but the manifests hold no Deployment to ${strategy === 'canary' ? 'run a canary of' : 'deploy in colours'}.`,
      {
        input: 'strategy',
      },
    );
  }
  if (strategy === 'blue-green' || settings.trafficWeights.length > 0) {
    for (const deployment of manifests.filter((manifest) => manifest.object.kind === 'Deployment')) {
      if (servicesSelecting(manifests, deployment).length === 0) {
        throw new ConfigurationError(
          `Manifest ${deployment.source}: ${strategy === 'blue-green' ? 'strategy blue-green switches the selector of' : 'traffic-weights splits the HTTPRoute traffic of'} the Services in front of Deployment "${deployment.object.metadata.name}", and no Service in the manifests selects its pods.`,
          {
            input: 'manifests',
            hint: 'add the Service to the manifests (it may already exist in the cluster: it is applied as usual)',
          },
        );
      }
    }
  }
  if (strategy === 'blue-green' && settings.route === undefined) refuseSeveralRoutes(manifests);
  if (settings.trafficWeights.length > 0 && settings.route === undefined) {
    const routes = manifests.filter((manifest) => isHttpRoute(manifest.object));
    if (routes.length !== 1) {
      throw invalidInput(
        'traffic-weights',
        settings.trafficWeights.join(','),
        routes.length === 0
          ? 'traffic-weights steps the backend weights of a Gateway API HTTPRoute, and there is none in the manifests; add it, or name a live one with the route input'
          : `the manifests hold ${routes.length} HTTPRoutes (${routes.map((route) => route.object.metadata.name).join(', ')}); name the one to step with the route input`,
      );
    }
  }
}

/** Blue-green switches the one HTTPRoute of the manifests that sends traffic to its Services; two would be a guess. */
function refuseSeveralRoutes(manifests: readonly Manifest[]): void {
  const fronts = new Set(
    manifests
      .filter((manifest) => manifest.object.kind === 'Deployment')
      .flatMap((deployment) => servicesSelecting(manifests, deployment))
      .map((service) => service.object.metadata.name),
  );
  const routes = manifests.filter(
    (manifest) =>
      isHttpRoute(manifest.object) &&
      [...referencedServices(routeRules(manifest))].some((name) => fronts.has(name)),
  );
  if (routes.length > 1) {
    throw new ConfigurationError(
      `Input "strategy" is blue-green, and ${routes.length} HTTPRoutes of the manifests (${routes.map((route) => route.object.metadata.name).join(', ')}) send traffic to the Services in front of its Deployments: blue-green switches one.`,
      { input: 'route', hint: 'name the route to switch with the route input' },
    );
  }
}

function routeRules(route: Manifest): unknown[] {
  const rules = (route.object.spec as { rules?: unknown } | undefined)?.rules;
  return Array.isArray(rules) ? (rules as unknown[]) : [];
}
