import { ActionError } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { throwIfAborted } from '../../../../shared/src/async/sleep.ts';
import { readInClusterInputs, type InClusterMode } from './inputs.ts';
import { inClusterSummary, writeInClusterOutputs } from './report.ts';
import type { RunResult } from './run-result.ts';

/**
 * The in-cluster modes: the application's own migration command (`npm run migrate`,
 * `alembic upgrade head`) runs where the application runs, and the step reports how it ended:
 * outputs and summary are written at a timeout or a cancellation too, when run-id and the log
 * tail matter most.
 * Each mode loads its client (the Kubernetes client, the AWS SDK) only when it is chosen.
 */
export async function runInCluster(mode: InClusterMode, signal: AbortSignal): Promise<void> {
  const inputs = await readInClusterInputs(mode);
  let result: RunResult;
  if (inputs.mode === 'kubernetes-job') {
    const { runKubernetesJob } = await import('./kubernetes-job.ts');
    result = await runKubernetesJob(inputs, signal);
  } else {
    const { runEcsTask } = await import('./ecs-task.ts');
    result = await runEcsTask(inputs, signal);
  }
  writeInClusterOutputs(result);
  await inClusterSummary(result).write();
  if (result.failure === undefined) {
    log.info(`The migration command succeeded in ${result.where}.`);
    return;
  }
  // A cancelled run ends as cancelled, once the outputs and the summary say how far it got.
  throwIfAborted(signal);
  // One error annotation with the log tail in it: the first thing to read when the step fails.
  throw new ActionError(`${result.failure} ${result.tail.describe()}`);
}
