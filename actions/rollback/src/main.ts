import { ActionError } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { readInputs } from './inputs.ts';
import { platformOfRecord } from './platform.ts';
import { readRecords } from './records.ts';

/**
 * inputs -> deployment records (what to restore, what is replaced) -> the platform's rollback:
 * plan (dry run stops here) -> record in_progress -> restore -> wait -> diagnose -> outputs,
 * summary and the record's success or failure.
 */
export async function run({ signal, startedAt }: ActionContext): Promise<void> {
  const inputs = await readInputs();
  const records = await readRecords(inputs, {
    warning: (message) => log.warning(message),
    info: (message) => log.info(message),
    signal,
  });
  const recorded = records.source ? platformOfRecord(records.source.payload) : undefined;
  if (inputs.platform && recorded && inputs.platform !== recorded) {
    throw new ActionError(
      `Input "platform" is ${inputs.platform}, but deployment ${records.source?.id} recorded a release on ${recorded}.`,
    );
  }
  if (records.source) {
    log.info(
      `Deployment ${records.source.id} (${records.source.environment}, commit ${records.source.sha.slice(0, 12)}, ${records.source.createdAt}) says what to roll back.`,
    );
  }
  // Each platform's code is loaded only when it is the one rolled back.
  const platform = inputs.platform ?? recorded ?? 'kubernetes';
  if (platform === 'ecs') {
    const { rollBackEcs } = await import('./ecs/run.ts');
    await rollBackEcs(inputs, records, { signal, startedAt });
  } else {
    const { rollBackKubernetes } = await import('./kubernetes/run.ts');
    await rollBackKubernetes(inputs, records, { signal, startedAt });
  }
}
