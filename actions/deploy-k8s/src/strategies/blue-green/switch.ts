import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import { step, writeOptions, type StrategyContext } from '../context.ts';
import {
  annotationsPatch,
  DEPLOYMENTS_PATH,
  patchLatest,
  replaceMap,
  SERVICES_PATH,
} from '../state/cluster-writes.ts';
import {
  ACTIVE_COLOUR_ANNOTATION,
  ACTIVE_WORKLOAD_ANNOTATION,
  PREVIOUS_SELECTOR_ANNOTATION,
  PREVIOUS_WORKLOAD_ANNOTATION,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  type ReleaseState,
} from '../state/keys.ts';
import { serviceSelector, type Labels } from '../workloads.ts';
import type { FrontService } from './colours.ts';

/**
 * The blue-green writes, each one merge patch guarded by the resourceVersion just read: a Service's
 * selector and state switched together (so no reader ever sees one without the other), and a
 * colour's replicas and state.
 */
export interface ServiceSwitch {
  selector: Labels;
  annotations: Record<string, string | null>;
  what: string;
}

export async function switchServices(
  context: StrategyContext,
  services: readonly FrontService[],
  selectorChange: (live: KubeObject) => ServiceSwitch,
): Promise<void> {
  for (const service of services) {
    const { name, namespace = '' } = service.manifest.object.metadata;
    let selector: Labels = {};
    let what = '';
    const switched = await patchLatest(
      context.client,
      SERVICES_PATH(namespace, name),
      `switch Service/${namespace}/${name}`,
      (live) => {
        const change = selectorChange(live);
        selector = change.selector;
        what = change.what;
        return {
          metadata: { annotations: { [STRATEGY_ANNOTATION]: 'blue-green', ...change.annotations } },
          spec: { selector: replaceMap(serviceSelector(live), change.selector) },
        };
      },
      writeOptions(context),
    );
    if (switched)
      step(context, `Service/${namespace}/${name}: ${what}, selector ${describeSelector(selector)}.`);
  }
}

export function switchedAnnotations(
  active: { colour: string | undefined; workload: string },
  previous: { workload: string | undefined; selector: Labels | undefined } | undefined,
  state: ReleaseState,
): Record<string, string | null> {
  return {
    [STATE_ANNOTATION]: state,
    [ACTIVE_COLOUR_ANNOTATION]: active.colour ?? null,
    [ACTIVE_WORKLOAD_ANNOTATION]: active.workload,
    [PREVIOUS_WORKLOAD_ANNOTATION]: previous?.workload ?? null,
    [PREVIOUS_SELECTOR_ANNOTATION]: previous?.selector ? JSON.stringify(previous.selector) : null,
  };
}

/** A colour's replicas (a scale-down, when given) and its state annotation, in one patch. */
export async function setColour(
  context: StrategyContext,
  namespace: string,
  name: string,
  change: { replicas?: number; state?: ReleaseState },
): Promise<boolean> {
  const patched = await patchLatest(
    context.client,
    DEPLOYMENTS_PATH(namespace, name),
    `${change.replicas !== undefined ? `scale to ${change.replicas}` : 'mark'} Deployment/${namespace}/${name}`,
    () => ({
      ...(change.state
        ? { metadata: { annotations: annotationsPatch({ [STATE_ANNOTATION]: change.state }) } }
        : {}),
      ...(change.replicas !== undefined ? { spec: { replicas: change.replicas } } : {}),
    }),
    writeOptions(context),
  );
  if (patched && change.replicas !== undefined)
    step(context, `Deployment/${namespace}/${name} scaled to ${change.replicas}.`);
  return patched !== undefined;
}

export function describeSelector(selector: Labels): string {
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
