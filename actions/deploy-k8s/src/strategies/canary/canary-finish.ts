import { ActionError } from '../../../../../shared/src/errors.ts';
import { isRecord, type KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import {
  semanticEqual,
  templateImages,
} from '../../../../../shared/src/kubernetes/rollback/rollback-plan.ts';
import * as log from '../../../../../shared/src/runner/log.ts';
import type { PlannedObject } from '../../apply/plan.ts';
import { deploy } from '../../deploy.ts';
import { plannedDeployments, step, writeOptions, type StrategyContext } from '../context.ts';
import { planRendered, withChanges } from '../render.ts';
import { deleteIfPresent, DEPLOYMENTS_PATH, readDeployment } from '../state/cluster-writes.ts';
import { STATE_ANNOTATION, STRATEGY_ANNOTATION, TRACK_LABEL } from '../state/keys.ts';
import { restoreRoute, setCanaryWeight } from '../traffic/route.ts';
import { isHttpRoute } from '../workloads.ts';
import { canaryName } from './canary-objects.ts';
import { releaseServices, routeOf, routeTarget, stableServices } from './canary-services.ts';

/**
 * The end of a canary, from the run that deployed it or from any later one with the same
 * manifests, namespace and strategy inputs (the canary Deployment's annotations say what it was).
 * Promote: the canary takes all the traffic of a traffic-weighted route, the stable Deployment gets
 * the canary's pod template by the ordinary deploy (validated, waited for, rolled back if it
 * fails), then the route, the Services and the canary are put away. Abort: the route and the
 * Services are put back and the canary deleted; the stable Deployment is never written. Both do
 * nothing, successfully, when there is nothing left to do.
 */
interface Pending {
  stable: PlannedObject;
  canary: KubeObject;
}

export async function promoteCanary(context: StrategyContext): Promise<void> {
  const pending = await readPending(context);
  if (pending.length === 0) return alreadyPromoted(context);
  for (const { stable, canary } of pending) {
    const route = routeOf(canary);
    if (!route) continue;
    await setCanaryWeight(context.client, target(context, stable, route), 100, writeOptions(context));
    step(
      context,
      `HTTPRoute/${context.inputs.namespace}/${route}: canary weight 100 while the stable Deployment is updated.`,
    );
    await releaseServices(
      context.client,
      stableServices(context.inputs.manifests, stable),
      writeOptions(context),
      (text) => step(context, text),
    );
  }
  // Until the stable Deployment runs the canary's template, the release is still pending.
  context.outcome.state = 'pending';
  const promoted = pending.map(({ stable, canary }) => stableWithCanaryTemplate(stable, canary));
  await deploy({ ...context, plan: planRendered(promoted, context.inputs.namespace) });
  step(
    context,
    `Promoted: ${pending.map(({ stable }) => `Deployment/${stable.ref.namespace}/${stable.ref.name}`).join(', ')} now run${pending.length === 1 ? 's' : ''} the canary's pod template.`,
  );
  await removeCanaries(context, pending);
  context.outcome.state = 'promoted';
}

export async function abortCanary(context: StrategyContext): Promise<void> {
  const pending = await readPending(context);
  if (pending.length === 0) {
    await removeLeftovers(context);
    log.notice('No canary is pending: nothing to abort.');
    step(context, 'Nothing to abort: no canary exists.');
    context.outcome.state = 'aborted';
    return;
  }
  await removeCanaries(context, pending);
  step(context, 'Aborted: only the stable release serves.');
  context.outcome.state = 'aborted';
}

async function readPending(context: StrategyContext): Promise<Pending[]> {
  const found = await Promise.all(
    plannedDeployments(context.plan).map(async (stable) => ({
      stable,
      canary: await readDeployment(
        context.client,
        stable.ref.namespace ?? context.inputs.namespace,
        canaryName(stable.ref.name),
        context.signal,
      ),
    })),
  );
  return found.filter((item): item is Pending => item.canary !== undefined);
}

/** The route back to its own rules first, so no request is sent to a canary being deleted. */
async function removeCanaries(context: StrategyContext, pending: readonly Pending[]): Promise<void> {
  const options = writeOptions(context);
  for (const { stable, canary } of pending) {
    const namespace = stable.ref.namespace ?? context.inputs.namespace;
    const route = routeOf(canary);
    if (route && (await restoreRoute(context.client, target(context, stable, route), options))) {
      step(context, `HTTPRoute/${namespace}/${route}: rules restored, all traffic to the stable Service.`);
    }
    const name = canaryName(stable.ref.name);
    if (
      await deleteIfPresent(
        context.client,
        DEPLOYMENTS_PATH(namespace, name),
        `delete Deployment/${namespace}/${name}`,
        context.signal,
      )
    ) {
      step(context, `Deployment/${namespace}/${name} deleted.`);
    }
    if (route)
      await releaseServices(
        context.client,
        stableServices(context.inputs.manifests, stable),
        options,
        (text) => step(context, text),
      );
  }
}

/**
 * What a canary deploy that failed before its canary Deployment existed may have left: the stable
 * Services pinned, a canary Service, route weights. Only reads unless one of them is there.
 */
async function removeLeftovers(context: StrategyContext): Promise<void> {
  const options = writeOptions(context);
  for (const stable of plannedDeployments(context.plan)) {
    const services = stableServices(context.inputs.manifests, stable);
    const route =
      context.settings.trafficWeights.length > 0
        ? (context.settings.route ?? manifestRoute(context))
        : undefined;
    if (route && (await restoreRoute(context.client, target(context, stable, route), options))) {
      step(
        context,
        `HTTPRoute/${context.inputs.namespace}/${route}: rules restored, all traffic to the stable Service.`,
      );
    }
    await releaseServices(context.client, services, options, (text) => step(context, text));
  }
}

export function manifestRoute(context: StrategyContext): string | undefined {
  return context.inputs.manifests.find((manifest) => isHttpRoute(manifest.object))?.object.metadata.name;
}

function target(
  context: StrategyContext,
  stable: PlannedObject,
  route: string,
): ReturnType<typeof routeTarget> {
  return routeTarget(context.inputs.namespace, route, stableServices(context.inputs.manifests, stable));
}

/** The stable manifest with the canary's pod template (its track label taken off): what was tested is what is promoted. */
function stableWithCanaryTemplate(stable: PlannedObject, canary: KubeObject): PlannedObject['manifest'] {
  return withChanges(stable.manifest, (object) => {
    const template = structuredClone(canary.spec?.template) as KubeObject;
    const labels = { ...template.metadata?.labels };
    delete labels[TRACK_LABEL];
    template.metadata = { ...template.metadata, labels };
    object.spec = { ...object.spec, template };
    object.metadata.annotations = {
      ...object.metadata.annotations,
      [STRATEGY_ANNOTATION]: 'canary',
      [STATE_ANNOTATION]: 'promoted',
    };
  });
}

/**
 * Promote again after a promote: the stable Deployments already run the manifests' images, so the
 * state is promoted and nothing is written. Anything else (an abort, or no canary ever) is not
 * something a promote can finish.
 */
async function alreadyPromoted(context: StrategyContext): Promise<void> {
  for (const stable of plannedDeployments(context.plan)) {
    const live = await readDeployment(
      context.client,
      stable.ref.namespace ?? context.inputs.namespace,
      stable.ref.name,
      context.signal,
    );
    const promoted = live?.metadata?.annotations?.[STATE_ANNOTATION] === 'promoted';
    const sameImages = semanticEqual(
      templateImages(live?.spec?.template),
      templateImages(stable.manifest.object.spec?.template),
    );
    if (!live || !promoted || !sameImages) {
      throw new ActionError(
        `Nothing to promote: no canary of Deployment/${stable.ref.namespace}/${stable.ref.name} is pending, and the stable Deployment does not run this release${isRecord(live) ? '' : ' (it does not exist)'}.`,
        { hint: 'the canary was aborted or never deployed: run action: deploy first' },
      );
    }
  }
  log.notice('Already promoted: the stable Deployments run this release and no canary is pending.');
  step(context, 'Nothing to promote: already promoted.');
  context.outcome.state = 'promoted';
}
