import { mapConcurrent } from '../../../shared/src/async/concurrency.ts';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import { errorMessage } from '../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../shared/src/kubernetes/client/client.ts';
import { diagnose, type Diagnosis } from '../../../shared/src/kubernetes/rollout/diagnosis.ts';
import {
  isHistoryKind,
  workloadRevision,
  type HistoryKind,
} from '../../../shared/src/kubernetes/rollback/history.ts';
import { describeRef, numberField, type KubeObject } from '../../../shared/src/kubernetes/object.ts';
import { builtInResourceType, resourcePath } from '../../../shared/src/kubernetes/resource-types.ts';
import { rollbackWorkload, type RollbackOutcome } from '../../../shared/src/kubernetes/rollback/rollback.ts';
import { semanticEqual } from '../../../shared/src/kubernetes/rollback/rollback-plan.ts';
import { isWaitedKind } from '../../../shared/src/kubernetes/rollout/rollout-status.ts';
import {
  waitForRollouts,
  type RolloutResult,
  type WaitOptions,
  type WorkloadToWait,
} from '../../../shared/src/kubernetes/rollout/rollout-wait.ts';
import type { AppliedObject } from './apply/apply.ts';
import { rollbackManagerOf } from './apply/apply.ts';

/**
 * The workloads of a deploy from applied to verdict: waited for together, diagnosed when they fail,
 * and, when the deploy fails, the ones whose template this deploy changed put back on the revision
 * they were at before, then waited for again.
 */
const DIAGNOSIS_TIMEOUT_MS = 20_000;

export interface WorkloadReport {
  applied: AppliedObject;
  workload: WorkloadToWait;
  /** Before this deploy; undefined when it created the workload. */
  previousRevision: number | undefined;
  revision?: number;
  result?: RolloutResult;
  diagnosis?: Diagnosis;
  rollback?: RollbackReport;
}

export interface RollbackReport {
  outcome?: RollbackOutcome;
  error?: string;
  result?: RolloutResult;
}

export interface RolloutOptions {
  timeoutMs: number;
  maxRestarts: number;
  fieldManager: string;
  signal: AbortSignal;
  onProgress: (message: string) => void;
  onWarning: (message: string) => void;
}

export function workloadsOf(
  applied: readonly AppliedObject[],
  previous: ReadonlyMap<AppliedObject['planned'], number | undefined>,
): WorkloadReport[] {
  return applied.flatMap((item) => {
    const { ref } = item.planned;
    if (!isWaitedKind(ref.kind) || !ref.namespace) return [];
    const workload: WorkloadToWait = {
      ref: { ...ref, kind: ref.kind, namespace: ref.namespace },
      object: item.after,
      expectations: { suspend: item.planned.manifest.object.spec?.suspend === true },
    };
    return [{ applied: item, workload, previousRevision: previous.get(item.planned) }];
  });
}

/** The revision each existing Deployment, StatefulSet and DaemonSet is at before the deploy. */
export async function revisionsBefore(
  client: KubernetesClient,
  live: ReadonlyMap<AppliedObject['planned'], KubeObject | undefined>,
  signal: AbortSignal,
): Promise<Map<AppliedObject['planned'], number | undefined>> {
  const entries = [...live.entries()].filter(
    (entry): entry is [AppliedObject['planned'], KubeObject] =>
      isHistoryKind(entry[0].ref.kind) && entry[1] !== undefined,
  );
  const revisions = await mapConcurrent(entries, 8, ([planned, object]) =>
    workloadRevision(client, planned.ref.kind as HistoryKind, object, signal),
  );
  return new Map(entries.map(([planned], index) => [planned, revisions[index]]));
}

export async function waitForWorkloads(
  client: KubernetesClient,
  reports: readonly WorkloadReport[],
  options: RolloutOptions,
): Promise<void> {
  if (reports.length === 0) return;
  const deadline = new Deadline(options.timeoutMs, `${reports.length} rollout(s)`);
  const results = await waitForRollouts(
    client,
    reports.map((report) => report.workload),
    waitOptions(deadline, options, ''),
  );
  reports.forEach((report, index) => {
    report.result = results[index];
  });
  await diagnoseFailures(client, reports, options.signal);
}

/** The wait's settings from the deploy's; progress lines start with `prefix` and the workload. */
function waitOptions(deadline: Deadline, options: RolloutOptions, prefix: string): WaitOptions {
  return {
    deadline,
    signal: options.signal,
    maxRestarts: options.maxRestarts,
    onProgress: (ref, message) => options.onProgress(`${prefix}${describeRef(ref)}: ${message}`),
    onWarning: options.onWarning,
  };
}

async function diagnoseFailures(
  client: KubernetesClient,
  reports: readonly WorkloadReport[],
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(
    reports
      .filter((report) => report.result && isFailure(report.result))
      .map(async (report) => {
        report.diagnosis = await diagnose(client, report.result as RolloutResult, {
          signal,
          deadline: new Deadline(DIAGNOSIS_TIMEOUT_MS, 'the diagnosis'),
        });
      }),
  );
}

export function isFailure(result: RolloutResult): boolean {
  return result.state === 'failed' || result.state === 'timed-out';
}

/**
 * `kubectl rollout undo --to-revision=<the revision before this deploy>` for every workload whose
 * template this deploy changed, all at once, then one wait for all of them; the API calls and the
 * wait share one deadline of the deploy's timeout, so a struggling API server cannot stretch the
 * rollback past it. A workload this deploy created has nothing to go back to and is left as it is.
 */
export async function rollBack(
  client: KubernetesClient,
  reports: readonly WorkloadReport[],
  options: RolloutOptions,
): Promise<WorkloadReport[]> {
  const candidates = reports.filter(
    (report) => isHistoryKind(report.workload.ref.kind) && templateChanged(report.applied),
  );
  if (candidates.length === 0) return candidates;
  const deadline = new Deadline(options.timeoutMs, `the rollback of ${candidates.length} workload(s)`);
  const signal = deadline.signal(options.signal);
  await mapConcurrent(candidates, 8, async (report) => {
    const target = { ...report.workload.ref, kind: report.workload.ref.kind as HistoryKind };
    try {
      const outcome = await rollbackWorkload(client, target, {
        toRevision: report.previousRevision ?? 0,
        fieldManager: rollbackManagerOf(options.fieldManager),
        signal,
      });
      report.rollback = { outcome };
      options.onProgress(`${describeRef(target)}: ${outcome.message}`);
    } catch (error) {
      if (options.signal.aborted) throw error;
      const message = errorMessage(signal.aborted ? signal.reason : error);
      report.rollback = { error: message };
      options.onWarning(message);
    }
  });
  const rolledBack = candidates.filter((report) => report.rollback?.outcome);
  if (rolledBack.length === 0) return candidates;
  try {
    const results = await waitForRollouts(
      client,
      rolledBack.map((report) => report.workload),
      waitOptions(deadline, options, 'rollback of '),
    );
    rolledBack.forEach((report, index) => {
      if (report.rollback) report.rollback.result = results[index];
    });
  } catch (error) {
    if (options.signal.aborted) throw error;
    options.onWarning(`Could not follow the rollback: ${errorMessage(error)}`);
  }
  return candidates;
}

function templateChanged(applied: AppliedObject): boolean {
  if (!applied.before) return false;
  return !semanticEqual(applied.before.spec?.template, applied.after.spec?.template);
}

/**
 * The revision each workload is at now, for the `revision` output. Without a wait, the workload is
 * read again: the apply's answer predates the controller's work on it. Until the controller has
 * observed the new spec, its revision is not known yet, and the output says null.
 */
export async function currentRevisions(
  client: KubernetesClient,
  reports: readonly WorkloadReport[],
  signal: AbortSignal,
): Promise<void> {
  await mapConcurrent(reports, 8, async (report) => {
    const kind = report.workload.ref.kind;
    if (!isHistoryKind(kind)) return;
    const latest =
      report.rollback?.result?.object ??
      report.result?.object ??
      (await observedLive(client, report.workload, signal).catch(() => undefined));
    if (!latest) return;
    report.revision = await workloadRevision(client, kind, latest, signal).catch(() => undefined);
  });
}

async function observedLive(
  client: KubernetesClient,
  workload: WorkloadToWait,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  const { ref } = workload;
  const type = builtInResourceType(ref.apiVersion, ref.kind);
  if (!type) return undefined;
  const live = await client.getObject(resourcePath(type, ref.namespace, ref.name), { signal });
  const observed = numberField(live, 'status', 'observedGeneration') ?? 0;
  return live && observed >= (live.metadata?.generation ?? 0) ? live : undefined;
}
