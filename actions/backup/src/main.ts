import { Deadline } from '../../../shared/src/async/deadline.ts';
import { ReportedFailure } from '../../../shared/src/errors.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { runBackup } from './commands/backup.ts';
import { runList } from './commands/list.ts';
import { runPrune } from './commands/prune.ts';
import { runRestore } from './commands/restore.ts';
import { readInputs } from './inputs.ts';
import { reportBackup, reportList, reportPrune, reportRestore } from './report.ts';
import { BackupStore } from './storage/s3-store.ts';

/**
 * read inputs (all checked before anything happens) -> one deadline for the step -> the command
 * (backup, list, prune or restore; each in commands/) -> outputs and job summary.
 */
export async function run({ signal }: ActionContext): Promise<void> {
  const inputs = await readInputs();
  const deadline = new Deadline(inputs.timeoutMs, `the ${inputs.command} to finish (timeout)`);
  const stepSignal = deadline.signal(signal);
  const store = await BackupStore.open(inputs.store);
  try {
    switch (inputs.command) {
      case 'backup': {
        const outcome = await runBackup(inputs, store, stepSignal);
        await reportBackup(outcome, store.where(outcome.manifest.key));
        return;
      }
      case 'list':
        await reportList(await runList(inputs, store, stepSignal), inputs.database);
        return;
      case 'prune': {
        const outcome = await runPrune(inputs, store, stepSignal);
        await reportPrune(outcome, inputs.database);
        if (outcome.failures.length > 0) {
          throw new ReportedFailure(
            `${outcome.failures.length} backup(s) could not be deleted; see the errors above.`,
          );
        }
        return;
      }
      case 'restore':
        await reportRestore(await runRestore(inputs, store, stepSignal));
        return;
    }
  } finally {
    store.close();
  }
}
