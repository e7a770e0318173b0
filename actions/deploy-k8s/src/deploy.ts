import { Deadline } from '../../../shared/src/async/deadline.ts';
import { errorMessage, ReportedFailure } from '../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../shared/src/kubernetes/client/client.ts';
import { describeRef, type KubeObject } from '../../../shared/src/kubernetes/object.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { JobSummary } from '../../../shared/src/runner/summary.ts';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import type { ApiWarnings } from './apply/api-warnings.ts';
import type { AppliedObject } from './apply/apply.ts';
import { FOUNDATION_RANK } from './apply/apply-order.ts';
import { applyPlan, inApplyOrder, readAllLive, type PlanOptions } from './apply/apply-plan.ts';
import { failureMessage } from './failure-message.ts';
import {
  describeOutcome,
  plannedWorkloads,
  recordAutomaticRollback,
  startDeployRecord,
  type DeployRecords,
} from './records.ts';
import type { DeployInputs } from './inputs.ts';
import { objectStates } from './apply/object-states.ts';
import type { PlannedObject } from './apply/plan.ts';
import {
  validateDeferred,
  validateRelease,
  ValidationError,
  type ValidationOptions,
} from './apply/release-validation.ts';
import { deployOutputs, deploySummary } from './report.ts';
import {
  currentRevisions,
  isFailure,
  revisionsBefore,
  rollBack,
  waitForWorkloads,
  workloadsOf,
  type RolloutOptions,
  type WorkloadReport,
} from './rollout.ts';

/**
 * A real deploy, one function per phase: validate the whole release by a server-side dry run,
 * apply it stage by stage, wait for the workloads, diagnose and roll back what failed, then write
 * the outputs and the summary (which say where every object stands) and fail if anything did.
 */
export interface DeployContext {
  client: KubernetesClient;
  plan: readonly PlannedObject[];
  inputs: DeployInputs;
  signal: AbortSignal;
  started: number;
  warnings: ApiWarnings;
  records: DeployRecords;
  /**
   * Set by a strategy: each deploy's summary is kept here, for the strategy's one section of the
   * step, rather than written as a section of its own.
   */
  summaryParts?: JobSummary[];
}

interface Progress {
  applied: AppliedObject[];
  reports: WorkloadReport[];
  /** What ended the deploy early: a refused dry run, a failed write, an error of the wait. */
  error?: unknown;
  /** Rollouts that failed or timed out. */
  failed: WorkloadReport[];
}

/**
 * `beforeWrites` sees the live objects once they are read, before anything is written; true means
 * it changed them (a pending release aborted), and they are read again.
 */
export interface DeployHooks {
  beforeWrites?: (live: ReadonlyMap<PlannedObject, KubeObject | undefined>) => Promise<boolean>;
}

export async function deploy(context: DeployContext, hooks: DeployHooks = {}): Promise<void> {
  const { client, plan, signal } = context;
  let live = await readAllLive(client, plan, { concurrency: 8, signal });
  if (await hooks.beforeWrites?.(live)) live = await readAllLive(client, plan, { concurrency: 8, signal });
  const previous = await revisionsBefore(client, live, signal);
  const record = await startDeployRecord(context.records, plannedWorkloads(plan, previous));
  const progress: Progress = { applied: [], reports: [], failed: [] };
  await applyRelease(context, live, progress);
  progress.reports = workloadsOf(inApplyOrder(plan, progress.applied), previous);
  if (progress.error === undefined && context.inputs.wait) await waitForRollouts(context, progress);
  progress.failed = progress.reports.filter((report) => report.result && isFailure(report.result));
  for (const report of progress.failed) {
    log.error(failureMessage(report), { title: `Rollout of ${describeRef(report.workload.ref)} failed` });
  }
  if ((progress.error !== undefined || progress.failed.length > 0) && context.inputs.rollbackOnFailure) {
    await log.group('Roll back', () => rollBack(client, progress.reports, rolloutOptions(context)));
  }
  await currentRevisions(client, progress.reports, signal);
  const failure = failureSummary(progress);
  await record.finish(failure ? 'failure' : 'success', describeOutcome(progress.reports, failure));
  if (failure) await recordAutomaticRollback(context.records, record, progress.reports);
  await report(context, progress, record.id);
  finish(progress);
}

/**
 * Validation, then the writes: the release's namespaces and definitions first, the dry run of the
 * objects that needed them, then the rest. The first refusal ends the phase; what was applied
 * before it stays recorded for the rollback and the report.
 */
async function applyRelease(
  context: DeployContext,
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  progress: Progress,
): Promise<void> {
  const { client, plan, inputs, signal } = context;
  const validation: ValidationOptions = {
    ...applyOptions(context),
    // The apply that follows meets the same conflict with Gantry's rollback and says so once.
    onNotice: undefined,
    deadline: new Deadline(inputs.timeoutMs, 'the validation of the release'),
  };
  const foundation = plan.filter((planned) => planned.rank <= FOUNDATION_RANK);
  const rest = plan.filter((planned) => planned.rank > FOUNDATION_RANK);
  try {
    const { deferred } = await log.group('Validate (server-side dry run)', () =>
      validateRelease(client, plan, live, validation),
    );
    await log.group('Apply', async () => {
      await writeAll(context, foundation, live, progress);
      await validateDeferred(client, deferred, live, validation);
      await writeAll(context, rest, live, progress);
    });
  } catch (error) {
    if (signal.aborted) throw error;
    progress.error = error;
  }
}

async function writeAll(
  context: DeployContext,
  plan: readonly PlannedObject[],
  live: ReadonlyMap<PlannedObject, KubeObject | undefined>,
  progress: Progress,
): Promise<void> {
  await applyPlan(context.client, plan, live, {
    ...applyOptions(context),
    dryRun: false,
    deadline: new Deadline(context.inputs.timeoutMs, 'the CustomResourceDefinitions to be established'),
    onApplied: (item) => {
      progress.applied.push(item);
      log.info(`${describeRef(item.planned.ref)} ${item.outcome}`);
    },
  });
}

function applyOptions(context: DeployContext): Omit<PlanOptions, 'dryRun' | 'deadline' | 'onApplied'> {
  return {
    fieldManager: context.inputs.fieldManager,
    forceConflicts: context.inputs.forceConflicts,
    signal: context.signal,
    concurrency: 8,
    onNotice: (message) => log.notice(message),
    onWarning: (planned, text) => context.warnings.report(planned, text),
  };
}

/** An error that ends the wait (the API refusing a watch, say) fails the deploy like a refused write. */
async function waitForRollouts(context: DeployContext, progress: Progress): Promise<void> {
  await log.group(`Wait for ${progress.reports.length} rollout(s)`, async () => {
    try {
      await waitForWorkloads(context.client, progress.reports, rolloutOptions(context));
    } catch (error) {
      if (context.signal.aborted) throw error;
      progress.error = error;
    }
  });
}

function rolloutOptions(context: DeployContext): RolloutOptions {
  return {
    timeoutMs: context.inputs.timeoutMs,
    maxRestarts: context.inputs.maxRestarts,
    fieldManager: context.inputs.fieldManager,
    signal: context.signal,
    onProgress: (message) => log.info(message),
    onWarning: (message) => log.warning(message),
  };
}

async function report(
  context: DeployContext,
  progress: Progress,
  deploymentId: number | undefined,
): Promise<void> {
  const { client, plan } = context;
  const ordered = inApplyOrder(plan, progress.applied);
  const statuses = objectStates(plan, progress.applied, progress.reports);
  setOutputs({
    ...deployOutputs(ordered, progress.reports, statuses),
    'deployment-id': deploymentId === undefined ? '' : String(deploymentId),
  });
  const parts = context.summaryParts;
  const summary = deploySummary({
    context: client.context,
    part: parts ? `Applied (${parts.length + 1}): ${plannedWorkloadNames(plan)}` : undefined,
    server: client.server,
    durationMs: Date.now() - context.started,
    applied: ordered,
    statuses,
    reports: progress.reports,
    warnings: context.warnings.shown,
    failure: failureSummary(progress),
  });
  if (parts) parts.push(summary);
  else await summary.write();
}

function plannedWorkloadNames(plan: readonly PlannedObject[]): string {
  const workloads = plan.filter((planned) => planned.ref.kind === 'Deployment');
  return workloads.map((planned) => planned.ref.name).join(', ') || `${plan.length} object(s)`;
}

function failureSummary(progress: Progress): string | undefined {
  if (progress.error !== undefined) return `${errorMessage(progress.error)}${changedNote(progress)}`;
  if (progress.failed.length > 0)
    return `${progress.failed.length} of ${progress.reports.length} rollout(s) failed.`;
  return undefined;
}

/** Whether the failure left the cluster as it was: the promise of the validation. */
function changedNote(progress: Progress): string {
  const changed = progress.applied.filter((item) => item.outcome !== 'unchanged');
  if (changed.length === 0) return ' Nothing was changed.';
  if (!(progress.error instanceof ValidationError)) return '';
  return ` Only ${changed.map((item) => describeRef(item.planned.ref)).join(', ')} ${changed.length === 1 ? 'was' : 'were'} applied, which the refused objects needed to be checked.`;
}

function finish(progress: Progress): void {
  const rolledBack = progress.reports.filter((item) => item.rollback?.outcome?.changed);
  const afterRollback =
    rolledBack.length > 0
      ? ` Rolled back ${rolledBack.map((item) => describeRef(item.workload.ref)).join(', ')}.`
      : '';
  if (progress.error !== undefined) {
    const note = changedNote(progress);
    if (note) log.info(note.trim());
    if (afterRollback) log.info(afterRollback.trim());
    throw progress.error;
  }
  if (progress.failed.length > 0) {
    throw new ReportedFailure(
      `${progress.failed.length} of ${progress.reports.length} rollout(s) failed: ${progress.failed.map((item) => describeRef(item.workload.ref)).join(', ')}.${afterRollback}`,
    );
  }
}
