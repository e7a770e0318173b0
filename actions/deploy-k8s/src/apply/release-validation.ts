import { ActionError, errorMessage } from '../../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import type { KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import type { AppliedObject } from './apply.ts';
import { applyPlan, inApplyOrder, type PlanOptions } from './apply-plan.ts';
import type { PlannedObject } from './plan.ts';

/**
 * Before the first write, the whole release as a server-side dry run (dryRun=All: admission,
 * defaulting and validation run, nothing is stored), in apply order, so that an object the API
 * server refuses stops the deploy with nothing changed. Objects in a namespace, or of a kind, that
 * the release itself creates cannot be asked about yet (the server answers 404): they were checked
 * locally with the rest (inputs.ts), and are dry-run again once their namespace or definition is
 * applied, before anything else is written.
 */
export interface Validation {
  /** Objects to dry-run once the release's namespaces and definitions exist, in apply order. */
  deferred: PlannedObject[];
}

export type ValidationOptions = Omit<PlanOptions, 'dryRun' | 'onApplied'>;

export async function validateRelease(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  options: ValidationOptions,
): Promise<Validation> {
  const checked: AppliedObject[] = [];
  await dryRunAll(client, plan, live, options, (item) => checked.push(item));
  return {
    deferred: inApplyOrder(plan, checked)
      .filter((item) => item.notValidated)
      .map((item) => item.planned),
  };
}

/** The deferred objects' dry run, now that their namespace or definition exists. */
export async function validateDeferred(
  client: KubernetesClient,
  deferred: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  options: ValidationOptions,
): Promise<void> {
  if (deferred.length > 0) await dryRunAll(client, deferred, live, options, () => undefined);
}

async function dryRunAll(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  options: ValidationOptions,
  onApplied: (item: AppliedObject) => void,
): Promise<void> {
  try {
    await applyPlan(client, plan, live, { ...options, dryRun: true, onApplied });
  } catch (error) {
    if (options.signal.aborted || !(error instanceof ActionError)) throw error;
    throw new ValidationError(errorMessage(error), error);
  }
}

/** The server-side dry run refused an object: nothing of the release was written after it. */
export class ValidationError extends ActionError {
  constructor(message: string, cause: ActionError) {
    super(message, { cause, hint: cause.hint });
    this.name = 'ValidationError';
  }
}
