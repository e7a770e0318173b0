import { ActionError } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import { plannedDeployments, step, type StrategyContext } from '../context.ts';
import { STATE_ANNOTATION } from '../state/keys.ts';
import { selects, type Labels } from '../workloads.ts';
import { readDeployment } from '../state/cluster-writes.ts';
import { colourOf, readColourState, type ColourState } from './colours.ts';
import { abortThroughRoute, promoteThroughRoute } from './route-finish.ts';
import { findBlueGreenRoute } from './route-switch.ts';
import { setColour, switchedAnnotations, switchServices } from './switch.ts';
import { podLabels } from '../workloads.ts';

/**
 * The end of a blue-green switch, from the run that made it or any later one with the same
 * manifests, namespace and strategy inputs (the Services' annotations say where things stand).
 * Promote scales the previous Deployment to zero. Abort puts the previous selector back (the
 * switch back is one patch per Service, nothing waits), then scales the new colour to zero when its
 * pods would match that selector too, so only the previous release's pods are served. Both are
 * idempotent: a second promote or abort finds the state it left and changes nothing. A release
 * switched through an HTTPRoute is finished by route-finish.ts.
 */
export async function promoteBlueGreen(context: StrategyContext): Promise<void> {
  const route = await findBlueGreenRoute(context);
  if (route) return promoteThroughRoute(context, route, nothingPending);
  for (const stable of plannedDeployments(context.plan)) {
    const current = await readColourState(context.client, context.inputs.manifests, stable, context.signal);
    const name = stable.ref.name;
    const namespace = stable.ref.namespace ?? context.inputs.namespace;
    context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
    if (current.state === 'promoted') {
      log.notice(
        `Deployment/${namespace}/${name}: already promoted (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`,
      );
      step(context, `Nothing to promote for ${name}: already promoted.`);
      context.outcome.state = 'promoted';
      continue;
    }
    if (current.state !== 'pending' || !current.activeWorkload)
      throw nothingPending(namespace, name, 'promote', current);
    if (current.previousWorkload)
      await setColour(context, namespace, current.previousWorkload, { replicas: 0 });
    await setColour(context, namespace, current.activeWorkload, { state: 'promoted' });
    await switchServices(context, current.services, (live) => ({
      selector: (live.spec?.selector ?? {}) as Labels,
      annotations: switchedAnnotations(
        { colour: colourOf(name, current.activeWorkload), workload: current.activeWorkload as string },
        undefined,
        'promoted',
      ),
      what: `promoted ${current.activeWorkload}`,
    }));
    context.outcome.state = 'promoted';
  }
}

export async function abortBlueGreen(context: StrategyContext): Promise<void> {
  const route = await findBlueGreenRoute(context);
  if (route) return abortThroughRoute(context, route, nothingPending);
  for (const stable of plannedDeployments(context.plan)) {
    const current = await readColourState(context.client, context.inputs.manifests, stable, context.signal);
    const name = stable.ref.name;
    const namespace = stable.ref.namespace ?? context.inputs.namespace;
    if (current.state === 'aborted') {
      context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
      log.notice(
        `Deployment/${namespace}/${name}: already aborted (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`,
      );
      step(context, `Nothing to abort for ${name}: already aborted.`);
      context.outcome.state = 'aborted';
      continue;
    }
    if (
      current.state !== 'pending' ||
      !current.previousSelector ||
      !current.previousWorkload ||
      !current.activeWorkload
    ) {
      throw nothingPending(namespace, name, 'abort', current);
    }
    const previous = current.previousWorkload;
    const previousSelector = current.previousSelector;
    await switchServices(context, current.services, () => ({
      selector: previousSelector,
      annotations: switchedAnnotations(
        { colour: colourOf(name, previous), workload: previous },
        undefined,
        'aborted',
      ),
      what: `switched back to ${previous}`,
    }));
    context.outcome.activeColour[name] = colourOf(name, previous) ?? '';
    const aborted = await readDeployment(context.client, namespace, current.activeWorkload, context.signal);
    const stillSelected = aborted !== undefined && selects(previousSelector, podLabels(aborted));
    // Pods of the aborted colour that the restored selector also picks would go on serving.
    await setColour(
      context,
      namespace,
      current.activeWorkload,
      stillSelected ? { replicas: 0, state: 'aborted' } : { state: 'aborted' },
    );
    context.outcome.state = 'aborted';
  }
}

function nothingPending(
  namespace: string,
  name: string,
  action: 'promote' | 'abort',
  current: ColourState,
  /** Where the state is kept when not on the Services: the HTTPRoute switched. */
  route?: string,
): ActionError {
  if (current.state === 'promoted') {
    return new ActionError(
      `Cannot abort Deployment/${namespace}/${name}: the switch to ${current.activeWorkload ?? 'it'} was already promoted and the previous colour scaled down.`,
      { hint: 'deploy the previous release again (action: deploy), or use the rollback action' },
    );
  }
  const recorded = route
    ? current.state !== undefined
    : current.services[0]?.live?.metadata?.annotations?.[STATE_ANNOTATION] !== undefined;
  const holder = route ? `${route} carries` : 'its Services carry';
  return new ActionError(
    `Nothing to ${action} for Deployment/${namespace}/${name}: no blue-green switch is pending${current.state === 'aborted' ? ' (the last one was aborted)' : recorded ? '' : ` (${holder} no blue-green state for it)`}.`,
    { hint: 'run action: deploy with strategy: blue-green first, with the same manifests and namespace' },
  );
}
