import type { ActionError } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { plannedDeployments, step, type StrategyContext } from '../context.ts';
import { readDeployment } from '../state/cluster-writes.ts';
import { podLabels, selects, serviceSelector } from '../workloads.ts';
import { colourOf, readColourState, type ColourState } from './colours.ts';
import {
  routeBackends,
  routeColours,
  switchRoute,
  type BlueGreenRoute,
  type RouteColours,
} from './route-switch.ts';
import { setColour } from './switch.ts';

/**
 * Promote and abort of a release switched through an HTTPRoute, from any run with the same
 * manifests, namespace and strategy (the route's annotations say where it stands). Promote scales
 * the previous Deployment down and records it; the route's refs stay as they are. Abort moves the
 * refs back to the previous release first, in one patch with the state (nothing waits before
 * traffic returns), then scales the new colour down when the Service taking the traffic back would
 * pick its pods too. Both change nothing when they find the state they leave.
 */
type NothingPending = (
  namespace: string,
  name: string,
  action: 'promote' | 'abort',
  current: ColourState,
  route: string,
) => ActionError;

export async function promoteThroughRoute(
  context: StrategyContext,
  route: BlueGreenRoute,
  nothingPending: NothingPending,
): Promise<void> {
  const routed = routeColours(route);
  const states = await readStates(context, route, routed);
  if (routed.state === 'promoted') return finished(context, states, 'promoted');
  const colours: RouteColours['colours'] = {};
  for (const current of states) {
    const { name, namespace } = refOf(context, current);
    if (current.state !== 'pending' || !current.activeWorkload)
      throw nothingPending(namespace, name, 'promote', current, routeName(route));
    if (current.previousWorkload)
      await setColour(context, namespace, current.previousWorkload, { replicas: 0 });
    await setColour(context, namespace, current.activeWorkload, { state: 'promoted' });
    colours[name] = { active: current.activeWorkload };
    context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
  }
  await switchRoute(context, route, {
    backends: undefined,
    state: { state: 'promoted', colours },
    what: `promoted ${Object.values(colours)
      .map((item) => item.active)
      .join(', ')}`,
  });
  context.outcome.state = 'promoted';
}

export async function abortThroughRoute(
  context: StrategyContext,
  route: BlueGreenRoute,
  nothingPending: NothingPending,
): Promise<void> {
  const routed = routeColours(route);
  const states = await readStates(context, route, routed);
  if (routed.state === 'aborted') return finished(context, states, 'aborted');
  const workloads = new Map<string, { active: string; idle: string | undefined }>();
  const colours: RouteColours['colours'] = {};
  for (const current of states) {
    const { name, namespace } = refOf(context, current);
    if (current.state !== 'pending' || !current.previousWorkload || !current.activeWorkload)
      throw nothingPending(namespace, name, 'abort', current, routeName(route));
    // Back to a colour: the aborted one stays beside it at weight 0; to a plain Deployment: the route's own ref.
    const back = colourOf(name, current.previousWorkload) ? current.activeWorkload : undefined;
    workloads.set(name, { active: current.previousWorkload, idle: back });
    colours[name] = { active: current.previousWorkload };
  }
  await switchRoute(context, route, {
    backends: routeBackends(route, workloads),
    state: { state: 'aborted', colours },
    what: `switched back to ${Object.values(colours)
      .map((item) => item.active)
      .join(', ')}`,
  });
  for (const current of states) {
    const { name, namespace } = refOf(context, current);
    context.outcome.activeColour[name] = colourOf(name, current.previousWorkload) ?? '';
    const aborted = await readDeployment(
      context.client,
      namespace,
      current.activeWorkload as string,
      context.signal,
    );
    // A plain Deployment takes the traffic back through its own Service, whose selector may pick the colour's pods.
    const stillSelected =
      aborted !== undefined &&
      colourOf(name, current.previousWorkload) === undefined &&
      current.services.some(
        (service) =>
          route.servicesOf.get(name)?.includes(service.manifest.object.metadata.name) &&
          selects(serviceSelector(service.live ?? service.manifest.object), podLabels(aborted)),
      );
    await setColour(
      context,
      namespace,
      current.activeWorkload as string,
      stillSelected ? { replicas: 0, state: 'aborted' } : { state: 'aborted' },
    );
  }
  context.outcome.state = 'aborted';
}

async function readStates(
  context: StrategyContext,
  route: BlueGreenRoute,
  routed: RouteColours,
): Promise<ColourState[]> {
  return Promise.all(
    plannedDeployments(context.plan).map((stable) =>
      readColourState(context.client, context.inputs.manifests, stable, context.signal, routed),
    ),
  );
}

/** Promote after a promote, abort after an abort: the route already says so, and nothing is written. */
function finished(
  context: StrategyContext,
  states: readonly ColourState[],
  state: 'promoted' | 'aborted',
): void {
  for (const current of states) {
    const { name, namespace } = refOf(context, current);
    context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
    log.notice(
      `Deployment/${namespace}/${name}: already ${state} (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`,
    );
    step(context, `Nothing to ${state === 'promoted' ? 'promote' : 'abort'} for ${name}: already ${state}.`);
  }
  context.outcome.state = state;
}

function refOf(context: StrategyContext, current: ColourState): { name: string; namespace: string } {
  return {
    name: current.stable.ref.name,
    namespace: current.stable.ref.namespace ?? context.inputs.namespace,
  };
}

function routeName(route: BlueGreenRoute): string {
  return `HTTPRoute/${route.namespace}/${route.name}`;
}
