import { mapConcurrent } from '../../../../shared/src/async/concurrency.ts';
import type { Deadline } from '../../../../shared/src/async/deadline.ts';
import { KubernetesApiError } from '../../../../shared/src/kubernetes/client/api-error.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { field, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import { applyStages } from './apply-order.ts';
import { applyObject, readLive, type AppliedObject, type ApplyOptions } from './apply.ts';
import { waitForEstablished } from './crd-wait.ts';
import type { PlannedObject } from './plan.ts';

/**
 * The whole apply: every live object read first (in parallel), then the stages in order, the
 * objects of one stage in parallel, and after a stage with CustomResourceDefinitions a wait until
 * they are Established, so their custom resources in a later stage are accepted.
 */
export interface PlanOptions extends ApplyOptions {
  /** For the CustomResourceDefinition waits. */
  deadline: Deadline;
  concurrency: number;
  /** Each object as soon as it is applied: a failure later on still reports what was. */
  onApplied: (applied: AppliedObject) => void;
}

export async function readAllLive(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  options: { concurrency: number; signal: AbortSignal },
): Promise<Map<PlannedObject, KubeObject | undefined>> {
  const live = await mapConcurrent(plan, options.concurrency, (planned) =>
    readLive(client, planned, options.signal),
  );
  return new Map(plan.map((planned, index) => [planned, live[index]]));
}

export async function applyPlan(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  options: PlanOptions,
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  const unvalidated = options.dryRun ? dryRunBlind(plan, live) : new Map<PlannedObject, string>();
  for (const stage of applyStages(plan, (planned) => planned.rank)) {
    await mapConcurrent(stage, options.concurrency, async (planned) => {
      const result = await applyOne(client, planned, live.get(planned), unvalidated.get(planned), options);
      applied.push(result);
      options.onApplied(result);
    });
    const definitions = stage
      .filter((planned) => planned.ref.kind === 'CustomResourceDefinition')
      .map((planned) => planned.ref.name);
    if (!options.dryRun) await waitForEstablished(client, definitions, options.deadline, options.signal);
  }
  return applied;
}

async function applyOne(
  client: KubernetesClient,
  planned: PlannedObject,
  before: KubeObject | undefined,
  blindReason: string | undefined,
  options: ApplyOptions,
): Promise<AppliedObject> {
  try {
    return await applyObject(client, planned, before, options);
  } catch (error) {
    // A dry run cannot create the namespace or the CRD an object needs; the API server then
    // answers 404 for that object, which is no fault of the manifest.
    const cause = error instanceof Error ? error.cause : undefined;
    if (blindReason && cause instanceof KubernetesApiError && cause.status === 404) {
      return {
        planned,
        outcome: 'created',
        before: undefined,
        after: planned.manifest.object,
        notValidated: blindReason,
      };
    }
    throw error;
  }
}

/** Objects a dry run cannot show the server's answer for, and why. */
function dryRunBlind(
  plan: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
): Map<PlannedObject, string> {
  const newNamespaces = new Set(
    plan
      .filter((planned) => planned.ref.kind === 'Namespace' && !live.get(planned))
      .map((planned) => planned.ref.name),
  );
  const newKinds = new Set(
    plan
      .filter((planned) => planned.ref.kind === 'CustomResourceDefinition' && !live.get(planned))
      .map(
        (planned) =>
          `${String(field(planned.manifest.object, 'spec', 'group'))}/${String(field(planned.manifest.object, 'spec', 'names', 'kind'))}`,
      ),
  );
  const blind = new Map<PlannedObject, string>();
  for (const planned of plan) {
    if (planned.ref.namespace && newNamespaces.has(planned.ref.namespace)) {
      blind.set(planned, `namespace ${planned.ref.namespace} does not exist yet`);
    } else if (newKinds.has(`${planned.type.group}/${planned.type.kind}`)) {
      blind.set(planned, `its CustomResourceDefinition does not exist yet`);
    }
  }
  return blind;
}

/** Stage by stage, and in manifest order within a stage: the order the objects were applied in. */
export function inApplyOrder(
  plan: readonly PlannedObject[],
  applied: readonly AppliedObject[],
): AppliedObject[] {
  const position = new Map(plan.map((planned, index) => [planned, index]));
  const key = (item: AppliedObject): number =>
    item.planned.rank * plan.length + (position.get(item.planned) ?? 0);
  return [...applied].sort((a, b) => key(a) - key(b));
}
