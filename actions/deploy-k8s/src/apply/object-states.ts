import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import type { AppliedObject } from './apply.ts';
import type { PlannedObject } from './plan.ts';
import type { WorkloadReport } from '../rollout.ts';

/**
 * Where each object of the manifests stands when the step ends: `applied` (created or changed),
 * `unchanged`, `rolled-back` (applied, then put back on its earlier revision because the deploy
 * failed) or `not-applied` (refused, or never reached after a failure, or a dry run).
 */
export type ObjectState = 'applied' | 'unchanged' | 'rolled-back' | 'not-applied';

export interface ObjectStatus {
  planned: PlannedObject;
  applied: AppliedObject | undefined;
  state: ObjectState;
}

export function objectStates(
  plan: readonly PlannedObject[],
  applied: readonly AppliedObject[],
  reports: readonly WorkloadReport[],
): ObjectStatus[] {
  const byPlanned = new Map(applied.map((item) => [item.planned, item]));
  const rolledBack = new Set(
    reports.filter((report) => report.rollback?.outcome?.changed).map((report) => report.applied.planned),
  );
  // Apply order: ranks in order (a stable sort keeps manifest order within one).
  return [...plan]
    .sort((a, b) => a.rank - b.rank)
    .map((planned) => {
      const item = byPlanned.get(planned);
      const state: ObjectState = !item
        ? 'not-applied'
        : rolledBack.has(planned)
          ? 'rolled-back'
          : item.outcome === 'unchanged'
            ? 'unchanged'
            : 'applied';
      return { planned, applied: item, state };
    });
}

/** The `object-states` output: `{"Deployment/shop/web": "rolled-back", ...}` in apply order. */
export function stateOutput(statuses: readonly ObjectStatus[]): Record<string, ObjectState> {
  return Object.fromEntries(statuses.map((status) => [describeRef(status.planned.ref), status.state]));
}
