import { Deadline } from '../../../shared/src/deadline.ts';
import { errorMessage, ReportedFailure } from '../../../shared/src/errors.ts';
import { createKubernetesClient, type KubernetesClient } from '../../../shared/src/kubernetes/client.ts';
import { describeRef } from '../../../shared/src/kubernetes/object.ts';
import * as log from '../../../shared/src/log.ts';
import { setOutputs } from '../../../shared/src/outputs.ts';
import type { ActionContext } from '../../../shared/src/run-action.ts';
import type { AppliedObject } from './apply.ts';
import { applyPlan, inApplyOrder, readAllLive } from './apply-plan.ts';
import { dryRun } from './dry-run.ts';
import { failureMessage } from './failure-message.ts';
import { readInputs, type DeployInputs } from './inputs.ts';
import { planObjects, type PlannedObject } from './plan.ts';
import { deployOutputs, deploySummary } from './report.ts';
import { discoverTypes } from './resource-resolution.ts';
import {
  currentRevisions,
  isFailure,
  revisionsBefore,
  rollBack,
  waitForWorkloads,
  workloadsOf,
  type RolloutOptions,
} from './rollout.ts';

/** plan -> (dry run stops here) -> apply -> wait -> diagnose -> roll back -> outputs and summary. */
export async function run({ signal }: ActionContext): Promise<void> {
  const inputs = await readInputs();
  logImages(inputs);
  const started = Date.now();
  const client = await createKubernetesClient(inputs.cluster, {
    onRetry: (message) => log.info(`Retrying: ${message}`),
  });
  try {
    const plan = await completePlan(client, inputs, signal);
    log.info(
      `${inputs.dryRun ? 'Dry run of' : 'Deploying'} ${plan.length} object(s) to context ${client.context} (${client.server}).`,
    );
    if (inputs.dryRun) await dryRun(client, plan, inputs, signal);
    else await deploy(client, plan, inputs, signal, started);
  } finally {
    const { total, byVerb } = client.calls;
    const verbs = Object.entries(byVerb).map(([verb, count]) => `${count} ${verb}`);
    log.info(`Kubernetes API calls: ${total}${verbs.length ? ` (${verbs.join(', ')})` : ''}.`);
    await client.close();
  }
}

/** Custom resources whose CRD is not in the manifests are looked up (read-only) before anything changes. */
async function completePlan(
  client: KubernetesClient,
  inputs: DeployInputs,
  signal: AbortSignal,
): Promise<PlannedObject[]> {
  const types = new Map(inputs.resolution.types);
  for (const [manifest, type] of await discoverTypes(client, inputs.resolution.unresolved, signal)) {
    types.set(manifest, type);
  }
  return planObjects(inputs.manifests, types, inputs.namespace);
}

async function deploy(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  inputs: DeployInputs,
  signal: AbortSignal,
  started: number,
): Promise<void> {
  const live = await readAllLive(client, plan, { concurrency: 8, signal });
  const previous = await revisionsBefore(client, live, signal);
  const applied: AppliedObject[] = [];
  let applyError: unknown;
  await log.group('Apply', async () => {
    try {
      await applyPlan(client, plan, live, {
        fieldManager: inputs.fieldManager,
        forceConflicts: inputs.forceConflicts,
        dryRun: false,
        signal,
        deadline: new Deadline(inputs.timeoutMs, 'the CustomResourceDefinitions to be established'),
        concurrency: 8,
        onApplied: (item) => {
          applied.push(item);
          log.info(`${describeRef(item.planned.ref)} ${item.outcome}`);
        },
        onNotice: (message) => log.notice(message),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      applyError = error;
    }
  });
  const ordered = inApplyOrder(plan, applied);
  const reports = workloadsOf(ordered, previous);
  const options: RolloutOptions = {
    timeoutMs: inputs.timeoutMs,
    maxRestarts: inputs.maxRestarts,
    fieldManager: inputs.fieldManager,
    signal,
    onProgress: (message) => log.info(message),
    onWarning: (message) => log.warning(message),
  };
  // An error that ends the wait (the API refusing a watch, say) fails the deploy like an error of
  // the apply: the release is rolled back and reported all the same.
  let stepError = applyError;
  if (stepError === undefined && inputs.wait) {
    await log.group(`Wait for ${reports.length} rollout(s)`, async () => {
      try {
        await waitForWorkloads(client, reports, options);
      } catch (error) {
        if (signal.aborted) throw error;
        stepError = error;
      }
    });
  }
  const failed = reports.filter((report) => report.result && isFailure(report.result));
  for (const report of failed) {
    log.error(failureMessage(report), { title: `Rollout of ${describeRef(report.workload.ref)} failed` });
  }
  const failing = stepError !== undefined || failed.length > 0;
  if (failing && inputs.rollbackOnFailure) {
    await log.group('Roll back', () => rollBack(client, reports, options));
  }
  await currentRevisions(client, reports, signal);
  setOutputs(deployOutputs(ordered, reports));
  const failure =
    stepError !== undefined
      ? errorMessage(stepError)
      : failed.length > 0
        ? `${failed.length} of ${reports.length} rollout(s) failed.`
        : undefined;
  await deploySummary({
    context: client.context,
    server: client.server,
    durationMs: Date.now() - started,
    applied: ordered,
    reports,
    failure,
  }).write();
  const rolledBack = reports.filter((report) => report.rollback?.outcome?.changed);
  const afterRollback =
    rolledBack.length > 0
      ? ` Rolled back ${rolledBack.map((report) => describeRef(report.workload.ref)).join(', ')}.`
      : '';
  if (stepError !== undefined) {
    if (afterRollback) log.info(afterRollback.trim());
    throw stepError;
  }
  if (failed.length > 0) {
    throw new ReportedFailure(
      `${failed.length} of ${reports.length} rollout(s) failed: ${failed.map((report) => describeRef(report.workload.ref)).join(', ')}.${afterRollback}`,
    );
  }
}

function logImages(inputs: DeployInputs): void {
  for (const change of inputs.imageChanges) {
    log.info(
      `${change.manifest.object.kind} ${change.manifest.object.metadata.name}, container ${change.container}: ${change.from} -> ${change.to}`,
    );
  }
  for (const image of inputs.images) {
    if (!inputs.imageChanges.some((change) => change.to === image.reference)) {
      log.warning(
        `images: ${image.reference} matches no container in the manifests (repository ${image.repository}).`,
        {
          title: 'Image not used',
        },
      );
    }
  }
}
