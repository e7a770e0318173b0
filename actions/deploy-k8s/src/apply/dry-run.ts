import { mapConcurrent } from '../../../../shared/src/async/concurrency.ts';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import type { AppliedObject } from './apply.ts';
import { applyPlan, inApplyOrder, readAllLive } from './apply-plan.ts';
import type { ApiWarnings } from './api-warnings.ts';
import type { DeployInputs } from '../inputs.ts';
import { objectStates, stateOutput } from './object-states.ts';
import { objectDiff } from './object-diff.ts';
import type { PlannedObject } from './plan.ts';
import { dryRunSummary, type DeployOutputs, type DryRunEntry } from '../report.ts';

/**
 * `dry-run: true`: the whole apply as a server-side dry run (dryRun=All: admission, defaulting and
 * validation run, nothing is stored), then `kubectl diff` per object in the log and the summary.
 */
export async function dryRun(
  client: KubernetesClient,
  plan: readonly PlannedObject[],
  inputs: DeployInputs,
  signal: AbortSignal,
  warnings: ApiWarnings,
): Promise<void> {
  const live = await readAllLive(client, plan, { concurrency: 8, signal });
  const applied: AppliedObject[] = [];
  await applyPlan(client, plan, live, {
    fieldManager: inputs.fieldManager,
    forceConflicts: inputs.forceConflicts,
    dryRun: true,
    signal,
    deadline: new Deadline(inputs.timeoutMs, 'the dry run'),
    concurrency: 8,
    onApplied: (item) => applied.push(item),
    onNotice: (message) => log.notice(message),
    onWarning: (planned, text) => warnings.report(planned, text),
  });
  const ordered = inApplyOrder(plan, applied);
  const entries: DryRunEntry[] = await mapConcurrent(ordered, 8, async (item) => ({
    applied: item,
    diff: item.outcome === 'unchanged' ? '' : await objectDiff(item.before, item.after),
  }));
  await log.group('Dry run: what would change', async () => {
    for (const { applied: item, diff } of entries) {
      const note = item.notValidated ? ` (not validated by the server: ${item.notValidated})` : '';
      log.info(
        `${describeRef(item.planned.ref)}: ${item.outcome === 'unchanged' ? 'unchanged' : `would be ${item.outcome}`}${note}`,
      );
      if (diff) log.info(diff);
    }
  });
  setOutputs<DeployOutputs>({
    revision: {},
    'previous-revision': {},
    'rolled-back': false,
    applied: [],
    'object-states': stateOutput(objectStates(plan, [], [])),
  });
  await dryRunSummary(client.context, client.server, entries).write();
}
