import { ActionError, ConfigurationError, ReportedFailure } from '../../../../../shared/src/errors.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import { deploy } from '../../deploy.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { plannedDeployments, step, writeOptions, type StrategyContext } from '../context.ts';
import { deploymentVariant, planRendered, replaceInPlan, withChanges } from '../render.ts';
import { readDeployment } from '../state/cluster-writes.ts';
import {
  COLOUR_LABEL,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  UNPINNED_SELECTOR_ANNOTATION,
} from '../state/keys.ts';
import {
  renderPinnedService,
  settledPodTemplateHash,
  unpinnedSelector,
  unpinServices,
} from '../traffic/pinning.ts';
import { deploymentSelects, podLabels, serviceSelector } from '../workloads.ts';
import { overlapWarning } from '../canary/canary-objects.ts';
import { promoteBlueGreen } from './blue-green-finish.ts';
import {
  colourName,
  colourOf,
  colourSelector,
  otherColour,
  readColourState,
  renderColourService,
  stateAnnotations,
  type Colour,
  type ColourState,
  type FrontService,
} from './colours.ts';
import {
  findBlueGreenRoute,
  routeAsLive,
  routeBackends,
  routeColours,
  switchRoute,
  type BlueGreenRoute,
  type RouteColours,
} from './route-switch.ts';
import { setColour, switchedAnnotations, switchServices } from './switch.ts';
import type { BlueGreenVariables } from '../analysis-variables.ts';

/**
 * `strategy: blue-green`, `action: deploy`: the release goes to the idle colour
 * (`<name>-blue` / `<name>-green`), is validated, applied and waited for with the ordinary
 * deploy's rollout rules (the Services are applied with the selector they already have), is
 * analysed while idle, and only then do the Services' selectors switch to it — or, with an
 * HTTPRoute (route-switch.ts), the route's refs move to the colour's own Services in one patch. The
 * previous colour stays up for an instant switch back until promote, or right away with
 * keep-previous: false.
 */
interface Target {
  current: ColourState;
  colour: Colour;
  /** The Deployment serving now, if any: a colour, or the plain Deployment adopted. */
  active: string | undefined;
  /**
   * For an adopted plain Deployment: its pods' pod-template-hash, to which the Services in front
   * are pinned until the switch, since their selector also picks the new colour's pods.
   */
  pin: string | undefined;
}

export async function deployBlueGreen(context: StrategyContext): Promise<void> {
  const route = await findBlueGreenRoute(context);
  const targets = await Promise.all(
    plannedDeployments(context.plan).map((stable) => target(context, stable, route)),
  );
  refusePending(context, targets);
  const replacements = new Map<PlannedObject, PlannedObject[]>();
  const overlapping: string[] = [];
  for (const item of targets) {
    const colour = renderColour(item);
    replacements.set(item.current.stable, planRendered([colour], context.inputs.namespace));
    for (const service of item.current.services) {
      const planned = context.plan.find(
        (candidate) => candidate.manifest === service.manifest,
      ) as PlannedObject;
      replacements.set(planned, routedOrLive(context, planned, service, item, route));
    }
    if (item.active && (await adoptedOverlaps(context, item, colour)))
      overlapping.push(`Deployment/${item.current.stable.ref.namespace}/${item.active}`);
  }
  const routeApplied = route ? routeAsLive(route) : undefined;
  if (route?.planned && routeApplied) replacements.set(route.planned, [routeApplied]);
  if (overlapping.length > 0) log.warning(overlapWarning(overlapping), { title: 'Overlapping selectors' });
  try {
    await deploy({ ...context, plan: replaceInPlan(context.plan, (planned) => replacements.get(planned)) });
  } catch (error) {
    if (context.signal.aborted) throw error;
    log.info('The new colour did not roll out: traffic was not switched; scaling it to zero.');
    await retire(context, targets);
    throw error;
  }
  step(
    context,
    `Rolled out ${targets.map((item) => colourName(item.current.stable.ref.name, item.colour)).join(', ')} (idle: no traffic yet).`,
  );

  const decision = await analyse(context, targets);
  if (decision !== 'passed') {
    await retire(context, targets);
    throw new ReportedFailure(
      `The analysis of the idle colour was ${decision}: traffic was not switched, and the new colour was scaled to zero.`,
    );
  }
  if (route) await switchRouteTraffic(context, route, targets);
  else for (const item of targets) await switchTraffic(context, item);
  context.outcome.state = targets.every((item) => item.active === undefined) ? 'promoted' : 'pending';
  if (
    context.outcome.state === 'pending' &&
    (context.settings.autoPromote || !context.settings.keepPrevious)
  ) {
    await promoteBlueGreen(context);
  }
}

/** The new colours, never switched to, scaled to zero; the live release keeps serving. */
async function retire(context: StrategyContext, targets: readonly Target[]): Promise<void> {
  for (const item of targets) {
    const name = item.current.stable.ref.name;
    await setColour(context, namespaceOf(item), colourName(name, item.colour), {
      replicas: 0,
      state: 'aborted',
    });
    context.outcome.activeColour[name] = colourOf(name, item.active) ?? '';
    if (item.pin) await unpin(context, item);
  }
  context.outcome.state = 'aborted';
}

async function target(
  context: StrategyContext,
  stable: PlannedObject,
  route: BlueGreenRoute | undefined,
): Promise<Target> {
  const current = await readColourState(
    context.client,
    context.inputs.manifests,
    stable,
    context.signal,
    route ? routeColours(route) : undefined,
  );
  if (route) refuseSelectorHistory(current, route);
  const namespace = stable.ref.namespace ?? context.inputs.namespace;
  if (current.activeWorkload && current.activeWorkload !== stable.ref.name) {
    const colour = otherColour(colourOf(stable.ref.name, current.activeWorkload));
    return { current, colour, active: current.activeWorkload, pin: undefined };
  }
  // No blue-green history, or a switch to a colour aborted: the plain Deployment, if it runs, is
  // the live release, adopted as is, its pods told from the new colour's by their hash.
  const plain = await readDeployment(context.client, namespace, stable.ref.name, context.signal);
  const served = current.services.some((service) => service.live !== undefined);
  if (!plain || !served) return { current, colour: 'blue', active: undefined, pin: undefined };
  return { current, colour: 'blue', active: stable.ref.name, pin: await adoptedPin(context, plain) };
}

/** The pod-template-hash of the adopted Deployment's pods; refused, before any write, mid-rollout. */
async function adoptedPin(context: StrategyContext, plain: KubeObject): Promise<string> {
  const settled = await settledPodTemplateHash(context.client, plain, context.signal);
  if ('hash' in settled) return settled.hash;
  const { name = '', namespace = '' } = plain.metadata ?? {};
  throw new ActionError(
    `Deployment/${namespace}/${name} cannot be adopted as the live release: ${settled.reason}, so the Services in front of it cannot be pinned to one set of its pods while the new colour starts. Nothing was changed.`,
    {
      hint: 'wait for its rollout to finish (kubectl rollout status), then deploy again',
    },
  );
}

function refusePending(context: StrategyContext, targets: readonly Target[]): void {
  const pending = targets.filter((item) => item.current.state === 'pending');
  if (pending.length === 0) return;
  const names = pending.map((item) => `Deployment/${namespaceOf(item)}/${item.active}`);
  if (context.settings.supersede) {
    log.notice(
      `supersede: true: ${names.join(', ')} is taken as the live release; the new release goes to the other colour.`,
    );
    step(context, `Superseded the pending switch to ${names.join(', ')}.`);
    return;
  }
  throw new ActionError(
    `A blue-green switch is pending: ${names.join(', ')} serves, and the previous colour is kept for a switch back. Nothing was changed.`,
    {
      hint: 'promote or abort it first (action: promote | abort with the same manifests, namespace and strategy), or set supersede: true to deploy over it',
    },
  );
}

function renderColour(item: Target): Manifest {
  const { stable } = item.current;
  const replicas = stable.manifest.object.spec?.replicas;
  return deploymentVariant(stable.manifest, {
    name: colourName(stable.ref.name, item.colour),
    labels: { [COLOUR_LABEL]: item.colour },
    replicas: typeof replicas === 'number' ? replicas : 1,
    annotations: { [STRATEGY_ANNOTATION]: 'blue-green', [STATE_ANNOTATION]: 'pending' },
    source: `${item.colour} colour of ${stable.manifest.source}`,
  });
}

/**
 * The Service as the manifests have it, except what the strategy owns: its selector stays the live
 * one until the switch (a Service created now points at the new colour, as nothing is served yet),
 * and its state annotations are kept.
 */
function serviceAsLive(service: FrontService, item: Target): Manifest {
  const { colour } = item;
  const workload = colourName(item.current.stable.ref.name, colour);
  if (item.pin && service.live) {
    const unpinned = unpinnedSelector(service.live) ?? serviceSelector(service.live);
    return renderPinnedService(service.manifest, item.pin, unpinned, stateAnnotations(service.live));
  }
  return withChanges(service.manifest, (object) => {
    const selector = service.live ? serviceSelector(service.live) : colourSelector(service.manifest, colour);
    const annotations = service.live
      ? stateAnnotations(service.live)
      : {
          [STRATEGY_ANNOTATION]: 'blue-green',
          ...filterNull(switchedAnnotations({ colour, workload }, undefined, 'promoted')),
        };
    object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
    object.spec = { ...object.spec, selector };
  });
}

function filterNull(values: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== ''),
  );
}

/**
 * A Service in front of the Deployment: with a route, applied as the manifests have it, followed by
 * the new colour's own Service when the route sends it traffic; without, with the live selector.
 */
function routedOrLive(
  context: StrategyContext,
  planned: PlannedObject,
  service: FrontService,
  item: Target,
  route: BlueGreenRoute | undefined,
): PlannedObject[] {
  const { name } = service.manifest.object.metadata;
  if (!route) return planRendered([serviceAsLive(service, item)], context.inputs.namespace);
  if (!route.servicesOf.get(item.current.stable.ref.name)?.includes(name)) return [planned];
  // The route sends the traffic to the front Service until the switch: pinned like the selector's.
  const front = item.pin
    ? planRendered(
        [renderPinnedService(service.manifest, item.pin, serviceSelector(service.manifest.object))],
        context.inputs.namespace,
      )
    : [planned];
  return [
    ...front,
    ...planRendered([renderColourService(service.manifest, item.colour)], context.inputs.namespace),
  ];
}

/** A release switched by Service selectors cannot move to a route in place: its Services carry the state. */
function refuseSelectorHistory(current: ColourState, route: BlueGreenRoute): void {
  const switched = current.services.find(
    (service) => service.live?.metadata?.annotations?.[STRATEGY_ANNOTATION] === 'blue-green',
  );
  if (!switched) return;
  const { name, namespace = '' } = switched.manifest.object.metadata;
  throw new ConfigurationError(
    `Service/${namespace}/${name} is switched by its selector (an earlier blue-green deploy without an HTTPRoute), and now HTTPRoute/${route.namespace}/${route.name} would switch the traffic. Nothing was changed.`,
    {
      input: 'manifests',
      hint: 'go on switching by selector (leave the route out of the manifests, or keep it from referencing the Service), or deploy once with strategy: rolling to start again from a plain Deployment',
    },
  );
}

/** After the analysis: every Deployment's routed Services move to the new colour in one patch of the route. */
async function switchRouteTraffic(
  context: StrategyContext,
  route: BlueGreenRoute,
  targets: readonly Target[],
): Promise<void> {
  const workloads = new Map<string, { active: string; idle: string | undefined }>();
  const colours: RouteColours['colours'] = {};
  for (const item of targets) {
    const name = item.current.stable.ref.name;
    const active = colourName(name, item.colour);
    workloads.set(name, { active, idle: item.active });
    colours[name] = item.active ? { active, previous: item.active } : { active };
    context.outcome.activeColour[name] = item.colour;
  }
  const pending = targets.some((item) => item.active !== undefined);
  await switchRoute(context, route, {
    backends: routeBackends(route, workloads),
    state: { state: pending ? 'pending' : 'promoted', colours },
    what: `switched to ${[...workloads.values()].map((item) => item.active).join(', ')}${pending ? ' (the previous release kept at weight 0)' : ''}`,
  });
  // The front Services now take no traffic: their own selectors back, as the manifests have them.
  for (const item of targets) if (item.pin) await unpin(context, item);
}

/** The Services in front of an adopted Deployment, their selectors as they were before the pin. */
async function unpin(context: StrategyContext, item: Target): Promise<void> {
  await unpinServices(
    context.client,
    item.current.services.map((service) => service.manifest),
    writeOptions(context),
    (text) => step(context, text),
  );
}

async function adoptedOverlaps(context: StrategyContext, item: Target, colour: Manifest): Promise<boolean> {
  const live = await readDeployment(context.client, namespaceOf(item), item.active as string, context.signal);
  return live !== undefined && deploymentSelects(live, podLabels(colour.object));
}

async function analyse(
  context: StrategyContext,
  targets: readonly Target[],
): Promise<'passed' | 'failed' | 'inconclusive'> {
  if (!context.analysis.configured) return 'passed';
  const first = targets[0] as Target;
  const { stable } = first.current;
  const service = first.current.services[0]?.manifest.object.metadata.name ?? '';
  const run = await context.analysis.check(
    `idle colour ${targets.map((item) => colourName(item.current.stable.ref.name, item.colour)).join(', ')}`,
    {
      name: stable.ref.name,
      namespace: namespaceOf(first),
      colour: first.colour,
      deployment: colourName(stable.ref.name, first.colour),
      service,
    } satisfies BlueGreenVariables,
  );
  step(context, `Analysis of the idle colour: ${run.decision} (${run.reason.replace(/\.$/, '')}).`);
  return run.decision;
}

async function switchTraffic(context: StrategyContext, item: Target): Promise<void> {
  const name = item.current.stable.ref.name;
  const workload = colourName(name, item.colour);
  context.outcome.activeColour[name] = item.colour;
  if (item.active === undefined) return;
  await switchServices(context, item.current.services, (live) => ({
    selector: colourSelector(
      item.current.services.find((service) => service.live?.metadata?.name === live.metadata?.name)
        ?.manifest ?? item.current.services[0]!.manifest,
      item.colour,
    ),
    annotations: {
      ...switchedAnnotations(
        { colour: item.colour, workload },
        { workload: item.active, selector: unpinnedSelector(live) ?? serviceSelector(live) },
        'pending',
      ),
      // The pin ends with the switch, in the same patch: abort restores the selector before it.
      [UNPINNED_SELECTOR_ANNOTATION]: null,
    },
    what: `switched to ${workload}`,
  }));
}

function namespaceOf(item: Target): string {
  return item.current.stable.ref.namespace ?? '';
}
