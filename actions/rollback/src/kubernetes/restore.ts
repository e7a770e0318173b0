import { mapConcurrent } from '../../../../shared/src/async/concurrency.ts';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { ActionError, errorMessage } from '../../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { diagnose, type Diagnosis } from '../../../../shared/src/kubernetes/rollout/diagnosis.ts';
import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import {
  applyRollback,
  planRollback,
  type RollbackOutcome,
  type RollbackPlan,
} from '../../../../shared/src/kubernetes/rollback/rollback.ts';
import {
  waitForRollouts,
  type RolloutResult,
} from '../../../../shared/src/kubernetes/rollout/rollout-wait.ts';
import type { PlannedTarget } from './targets.ts';

/**
 * The Kubernetes rollback in its phases: plan every workload (reads only; one that cannot be
 * rolled back stops everything before anything changed), restore them together, then one wait
 * for all of them with deploy-k8s's rules and deadline (`waitForRollouts`), and the diagnosis of
 * any that fail. A rollback whose own rollout fails is reported, never rolled back again.
 */
export interface WorkloadRollback {
  plan: RollbackPlan;
  outcome?: RollbackOutcome;
  error?: string;
  result?: RolloutResult;
  diagnosis?: Diagnosis;
}

/** The field manager of Gantry's rollbacks, the same as deploy-k8s's automatic ones. */
const FIELD_MANAGER = 'gantry-rollback';
const DIAGNOSIS_TIMEOUT_MS = 20_000;
const CONCURRENCY = 8;

export async function planAll(
  client: KubernetesClient,
  targets: readonly PlannedTarget[],
  signal: AbortSignal,
): Promise<WorkloadRollback[]> {
  const problems: string[] = [];
  const plans = await mapConcurrent(targets, CONCURRENCY, async ({ target, wanted }) => {
    try {
      return await planRollback(client, target, wanted, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      problems.push(errorMessage(error));
      return undefined;
    }
  });
  if (problems.length > 0) {
    throw new ActionError(
      problems.length === 1
        ? `${problems[0]}. Nothing was changed.`
        : `${problems.length} workloads cannot be rolled back; nothing was changed:\n${problems.map((problem) => `- ${problem}`).join('\n')}`,
    );
  }
  return plans.map((plan) => ({ plan: plan as RollbackPlan }));
}

export interface RestoreOptions {
  deadline: Deadline;
  signal: AbortSignal;
  wait: boolean;
  maxRestarts: number;
  onProgress: (message: string) => void;
  onWarning: (message: string) => void;
}

export async function restoreAll(
  client: KubernetesClient,
  rollbacks: readonly WorkloadRollback[],
  options: RestoreOptions,
): Promise<void> {
  const signal = options.deadline.signal(options.signal);
  await mapConcurrent(rollbacks, CONCURRENCY, async (rollback) => {
    try {
      rollback.outcome = await applyRollback(client, rollback.plan, { fieldManager: FIELD_MANAGER, signal });
      options.onProgress(`${describeRef(rollback.plan.ref)}: ${rollback.outcome.message}`);
    } catch (error) {
      if (options.signal.aborted) throw error;
      rollback.error = errorMessage(signal.aborted ? signal.reason : error);
    }
  });
  const changed = rollbacks.filter((rollback) => rollback.outcome?.changed);
  if (!options.wait || changed.length === 0) return;
  const results = await waitForRollouts(
    client,
    changed.map((rollback) => ({
      ref: rollback.plan.ref,
      object: rollback.outcome?.object ?? rollback.plan.workload,
    })),
    {
      deadline: options.deadline,
      signal: options.signal,
      maxRestarts: options.maxRestarts,
      onProgress: (ref, message) => options.onProgress(`${describeRef(ref)}: ${message}`),
      onWarning: options.onWarning,
    },
  );
  changed.forEach((rollback, index) => {
    rollback.result = results[index];
  });
  await Promise.all(
    changed
      .filter((rollback) => rollback.result && isFailure(rollback.result))
      .map(async (rollback) => {
        rollback.diagnosis = await diagnose(client, rollback.result as RolloutResult, {
          signal: options.signal,
          deadline: new Deadline(DIAGNOSIS_TIMEOUT_MS, 'the diagnosis'),
        });
      }),
  );
}

export function isFailure(result: RolloutResult): boolean {
  return result.state === 'failed' || result.state === 'timed-out';
}

/** Why a workload's rollback failed, or undefined when it did not. */
export function failureOf(rollback: WorkloadRollback): string | undefined {
  if (rollback.error) return rollback.error;
  if (rollback.result && isFailure(rollback.result)) {
    const problems =
      rollback.diagnosis?.problems.filter((problem) => !rollback.result?.message.includes(problem)) ?? [];
    return [`the restored revision did not roll out: ${rollback.result.message}`, ...problems].join('; ');
  }
  return undefined;
}
