import { ActionError } from '../../../shared/src/errors.ts';
import { describeRef, type KubeObject } from '../../../shared/src/kubernetes/object.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { PlannedObject } from './apply/plan.ts';
import type { KubernetesClient } from '../../../shared/src/kubernetes/client/client.ts';
import {
  ACTIVE_WORKLOAD_ANNOTATION,
  CANARY_OF_ANNOTATION,
  CANARY_TRACK,
  COLOURS_ANNOTATION,
  STABLE_RULES_ANNOTATION,
  STATE_ANNOTATION,
  STRATEGY_ANNOTATION,
  TRACK_LABEL,
  UNPINNED_SELECTOR_ANNOTATION,
} from './strategies/state/keys.ts';

/**
 * A rolling deploy over a pending canary or blue-green release would apply the Services and the
 * HTTPRoute as the manifests have them: the canary's pin and weights, or the blue-green switch,
 * undone behind the strategy's back. The objects the deploy reads anyway say whether one is
 * pending; nothing else is read, and the strategies' code is not loaded unless one is.
 */
export interface PendingRelease {
  strategy: 'canary' | 'blue-green';
  /** What says so: `Service/shop/web (web-green serves, switched by blue-green)`. */
  evidence: string;
}

export function pendingReleases(live: ReadonlyMap<PlannedObject, KubeObject | undefined>): PendingRelease[] {
  const found: PendingRelease[] = [];
  for (const [planned, object] of live) {
    const annotations = object?.metadata?.annotations ?? {};
    const where = describeRef(planned.ref);
    const blueGreen = annotations[STRATEGY_ANNOTATION] === 'blue-green';
    if (blueGreen && annotations[STATE_ANNOTATION] === 'pending') {
      const serving = annotations[ACTIVE_WORKLOAD_ANNOTATION] ?? servingOf(annotations[COLOURS_ANNOTATION]);
      found.push({ strategy: 'blue-green', evidence: `${where} (switched to ${serving}, pending)` });
    } else if (annotations[UNPINNED_SELECTOR_ANNOTATION] !== undefined) {
      found.push({ strategy: 'canary', evidence: `${where} (pinned to the stable pods for a canary)` });
    } else if (!blueGreen && annotations[STABLE_RULES_ANNOTATION] !== undefined) {
      found.push({ strategy: 'canary', evidence: `${where} (weights set for a canary)` });
    }
  }
  return found;
}

/**
 * A replica-based canary keeps its state only on `<name>-canary`, which the plan does not hold: one
 * list of the namespace's Deployments carrying the canary track label, for each namespace the plan
 * deploys Deployments to, finds those pending for a planned Deployment.
 */
export async function pendingCanaryDeployments(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  signal: AbortSignal,
): Promise<PendingRelease[]> {
  const byNamespace = new Map<string, Set<string>>();
  for (const { ref } of plan) {
    if (ref.apiVersion !== 'apps/v1' || ref.kind !== 'Deployment') continue;
    const names = byNamespace.get(ref.namespace ?? '') ?? new Set<string>();
    byNamespace.set(ref.namespace ?? '', names.add(ref.name));
  }
  const found: PendingRelease[] = [];
  for (const [namespace, names] of byNamespace) {
    const list = await client.requestJson<{ items?: KubeObject[] }>({
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
      query: { labelSelector: `${TRACK_LABEL}=${CANARY_TRACK}` },
      what: `list the canary Deployments of namespace ${namespace}`,
      signal,
    });
    for (const canary of list.items ?? []) {
      const annotations = canary.metadata?.annotations ?? {};
      const of = annotations[CANARY_OF_ANNOTATION];
      if (of === undefined || !names.has(of) || annotations[STATE_ANNOTATION] !== 'pending') continue;
      const where = `Deployment/${namespace}/${canary.metadata?.name ?? ''}`;
      found.push({ strategy: 'canary', evidence: `${where} (a canary of ${of}, pending)` });
    }
  }
  return found;
}

/**
 * Refuses the rolling deploy while a release is pending; with `supersede: true`, says which one it
 * aborts instead. The strategy to abort, or undefined when nothing is pending.
 */
export function supersededStrategy(
  pending: readonly PendingRelease[],
  supersede: boolean,
): PendingRelease['strategy'] | undefined {
  if (pending.length === 0) return undefined;
  const strategies = [...new Set(pending.map((item) => item.strategy))];
  const evidence = pending.map((item) => item.evidence).join(', ');
  if (!supersede || strategies.length > 1) {
    throw new ActionError(
      `A ${strategies.join(' and a ')} release is pending: ${evidence}. A rolling deploy would apply these objects as the manifests have them and undo it behind its back. Nothing was changed.`,
      {
        hint:
          strategies.length > 1
            ? 'promote or abort each pending release first (action: promote | abort with its strategy)'
            : `promote or abort it first (action: promote | abort with strategy: ${strategies[0]}), or set supersede: true to abort it and deploy this release as a rolling update`,
      },
    );
  }
  log.notice(
    `supersede: true: aborting the pending ${strategies[0]} release (${evidence}), then deploying this release as a rolling update.`,
  );
  return strategies[0];
}

function servingOf(colours: string | undefined): string {
  if (!colours) return 'another release';
  const entries = Object.values(JSON.parse(colours) as Record<string, { active?: string }>);
  return entries.map((entry) => entry.active).join(', ') || 'another release';
}
