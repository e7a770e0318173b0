import { ActionError, ReportedFailure } from '../../../../../shared/src/errors.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import { deploy } from '../../deploy.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import type { CanaryVariables } from '../analysis-variables.ts';
import { plannedDeployments, step, writeOptions, type StrategyContext } from '../context.ts';
import { planRendered, replaceInPlan } from '../render.ts';
import { currentPodTemplateHash, readDeployment } from '../state/cluster-writes.ts';
import { ROUTE_ANNOTATION, STATE_ANNOTATION } from '../state/keys.ts';
import { setCanaryWeight } from '../traffic/route.ts';
import {
  canaryName,
  overlaps,
  overlapWarning,
  renderCanary,
  renderCanaryService,
  renderStablePinned,
} from './canary-objects.ts';
import { abortCanary, manifestRoute, promoteCanary } from './canary-finish.ts';
import { routeTarget, stableServices } from './canary-services.ts';

/**
 * `strategy: canary`, `action: deploy`: refuse while another canary is pending (unless
 * `supersede`), render and roll out `<name>-canary` beside each stable Deployment through the
 * ordinary deploy (validated, applied, waited for, diagnosed), then step the HTTPRoute weights
 * with analysis after each step, and decide: promote (auto-promote), abort (analysis failed),
 * or leave the canary pending for a person. The stable Deployment is never written here.
 */
interface Stable {
  planned: PlannedObject;
  live: KubeObject | undefined;
  canary: KubeObject | undefined;
}

export async function deployCanary(context: StrategyContext): Promise<void> {
  const stables = await readStables(context);
  refusePending(context, stables);
  if (stables.every((stable) => !stable.live)) return firstRelease(context);
  const missing = stables.filter((stable) => !stable.live);
  if (missing.length > 0) {
    throw new ActionError(
      `${missing.map((stable) => `Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name}`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet, so there is no stable release to compare a canary with.`,
      { hint: 'deploy the new Deployments in a step of their own with strategy: rolling first' },
    );
  }
  const traffic = context.settings.trafficWeights.length > 0;
  const routeName = traffic ? (context.settings.route ?? (manifestRoute(context) as string)) : undefined;
  const replacements = new Map<PlannedObject, PlannedObject[]>();
  const overlapping: string[] = [];
  for (const stable of stables) {
    const live = stable.live as KubeObject;
    const canary = renderCanary(stable.planned, live, { size: context.settings.canarySize, traffic });
    if (routeName) (canary.object.metadata.annotations ??= {})[ROUTE_ANNOTATION] = routeName;
    if (overlaps(live, canary))
      overlapping.push(`Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name}`);
    context.outcome.canaryReplicas[canaryName(stable.planned.ref.name)] = canary.object.spec
      ?.replicas as number;
    replacements.set(stable.planned, planRendered([canary], context.inputs.namespace));
    if (traffic) await pinServices(context, stable, replacements);
  }
  if (overlapping.length > 0) log.warning(overlapWarning(overlapping), { title: 'Overlapping selectors' });
  const plan = replaceInPlan(context.plan, (planned) => replacements.get(planned));
  try {
    await deploy({ ...context, plan });
  } catch (error) {
    if (context.signal.aborted) throw error;
    log.info('The canary did not roll out: removing it, so only the stable release serves.');
    await abortCanary(context);
    throw error;
  }
  step(
    context,
    `Canary rolled out: ${Object.entries(context.outcome.canaryReplicas)
      .map(([name, replicas]) => `${name} (${replicas} replica(s))`)
      .join(', ')}.`,
  );
  const decision = traffic
    ? await stepTraffic(context, stables, routeName as string)
    : await analyse(context, stables, 'canary');
  await decide(context, decision);
}

async function readStables(context: StrategyContext): Promise<Stable[]> {
  return Promise.all(
    plannedDeployments(context.plan).map(async (planned) => {
      const namespace = planned.ref.namespace ?? context.inputs.namespace;
      const [live, canary] = await Promise.all([
        readDeployment(context.client, namespace, planned.ref.name, context.signal),
        readDeployment(context.client, namespace, canaryName(planned.ref.name), context.signal),
      ]);
      return { planned, live, canary };
    }),
  );
}

function refusePending(context: StrategyContext, stables: readonly Stable[]): void {
  const pending = stables.filter(
    (stable) => stable.canary?.metadata?.annotations?.[STATE_ANNOTATION] === 'pending',
  );
  if (pending.length === 0) return;
  const names = pending.map(
    (stable) => `Deployment/${stable.planned.ref.namespace}/${canaryName(stable.planned.ref.name)}`,
  );
  if (context.settings.supersede) {
    log.notice(`supersede: true: replacing the pending canary ${names.join(', ')} with this release.`);
    step(context, `Superseded the pending canary ${names.join(', ')}.`);
    return;
  }
  const runUrl = pending[0]?.canary?.metadata?.annotations?.['gantry.dev/run-url'];
  throw new ActionError(
    `A canary is already pending: ${names.join(', ')}${runUrl ? ` (deployed by ${runUrl})` : ''}. Nothing was changed.`,
    {
      hint: 'promote or abort it first (action: promote | abort with the same manifests, namespace and strategy), or set supersede: true to replace it with this release',
    },
  );
}

/** No stable release anywhere: nothing to compare a canary with, so the release goes out as a rolling deploy. */
async function firstRelease(context: StrategyContext): Promise<void> {
  log.notice(
    'No stable Deployment exists yet, so there is nothing to compare a canary with: this first release is deployed as a rolling update.',
  );
  await deploy(context);
  step(context, 'First release: deployed as a rolling update (no stable release to compare a canary with).');
  context.outcome.state = 'promoted';
}

/** The stable Services, pinned to the stable pods, and a canary Service beside each. */
async function pinServices(
  context: StrategyContext,
  stable: Stable,
  replacements: Map<PlannedObject, PlannedObject[]>,
): Promise<void> {
  const hash = await currentPodTemplateHash(context.client, stable.live as KubeObject, context.signal);
  if (!hash) {
    throw new ActionError(
      `Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name} has no ReplicaSet at its current revision yet, so its pods cannot be told from the canary's.`,
      { hint: 'wait for its rollout to finish, then deploy again' },
    );
  }
  for (const service of stableServices(context.inputs.manifests, stable.planned)) {
    const planned = context.plan.find((item) => item.manifest === service) as PlannedObject;
    const pinned: Manifest[] = [
      renderStablePinned(service, hash),
      renderCanaryService(service, stable.planned.ref.name),
    ];
    replacements.set(planned, planRendered(pinned, context.inputs.namespace));
  }
}

async function stepTraffic(
  context: StrategyContext,
  stables: readonly Stable[],
  routeName: string,
): Promise<'passed' | 'failed' | 'inconclusive'> {
  const namespace = context.inputs.namespace;
  const services = stables.flatMap((stable) => stableServices(context.inputs.manifests, stable.planned));
  const target = routeTarget(namespace, routeName, services);
  // The last weight, 100, is promote's: the canary takes all the traffic just before the stable
  // Deployment is updated, and gives it back once the stable pods run the same release.
  for (const weight of context.settings.trafficWeights.filter((value) => value < 100)) {
    await setCanaryWeight(context.client, target, weight, writeOptions(context));
    step(context, `HTTPRoute/${namespace}/${routeName}: canary weight ${weight}, stable ${100 - weight}.`);
    const decision = await analyse(context, stables, `canary at ${weight}% of the traffic`, {
      weight: String(weight),
    });
    if (decision !== 'passed') return decision;
  }
  if (!context.settings.trafficWeights.some((value) => value < 100)) {
    return analyse(context, stables, 'canary before any traffic');
  }
  return 'passed';
}

async function analyse(
  context: StrategyContext,
  stables: readonly Stable[],
  what: string,
  extra: { weight?: string } = {},
): Promise<'passed' | 'failed' | 'inconclusive'> {
  if (!context.analysis.configured) return 'passed';
  const first = stables[0]?.planned.ref;
  const service = first ? stableServices(context.inputs.manifests, stables[0]!.planned)[0] : undefined;
  const variables: CanaryVariables = {
    name: first?.name ?? '',
    namespace: first?.namespace ?? context.inputs.namespace,
    canary: first ? canaryName(first.name) : '',
    service: service?.object.metadata.name ?? '',
    'canary-service': service ? canaryName(service.object.metadata.name) : '',
  };
  const run = await context.analysis.check(
    `${what} (${stables.map((stable) => canaryName(stable.planned.ref.name)).join(', ')})`,
    { ...variables, ...extra },
  );
  step(context, `Analysis of the ${what}: ${run.decision} (${run.reason.replace(/\.$/, '')}).`);
  return run.decision;
}

async function decide(
  context: StrategyContext,
  decision: 'passed' | 'failed' | 'inconclusive',
): Promise<void> {
  if (decision === 'failed') {
    await abortCanary(context);
    throw new ReportedFailure(
      'The analysis failed, so the canary was aborted: only the stable release serves.',
    );
  }
  if (decision === 'inconclusive') {
    context.outcome.state = 'pending';
    throw new ReportedFailure(
      'The analysis was inconclusive: the canary is left pending, neither promoted nor aborted. Decide with action: promote or action: abort.',
    );
  }
  if (context.settings.autoPromote) return promoteCanary(context);
  context.outcome.state = 'pending';
  step(context, 'Canary pending: promote it with action: promote, or remove it with action: abort.');
}
