import { mapConcurrent } from '../../../shared/src/async/concurrency.ts';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import { formatDuration } from '../../../shared/src/formats/duration.ts';
import { ReportedFailure } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { sleep } from '../../../shared/src/async/sleep.ts';
import { runCheck } from '../../../shared/src/smoke-checks/check-runner.ts';
import { ClientPool } from '../../../shared/src/smoke-checks/client-pool.ts';
import { readInputs } from './inputs.ts';
import { buildReport, buildSummary } from './report.ts';

export interface SmokeTestOutputs {
  passed: boolean;
  'failed-checks': string[];
  report: object;
}

export async function run({ signal }: ActionContext): Promise<void> {
  const inputs = await readInputs();
  const started = Date.now();
  const clients = new ClientPool();
  try {
    if (inputs.initialDelayMs > 0) {
      log.info(`Waiting ${formatDuration(inputs.initialDelayMs)} (initial-delay) before the first request.`);
      await sleep(inputs.initialDelayMs, signal);
    }
    const deadline = new Deadline(inputs.timeoutMs, `${inputs.checks.length} smoke checks`);
    log.info(
      `Running ${inputs.checks.length} checks, ${inputs.concurrency} at a time, within ${formatDuration(inputs.timeoutMs)}.`,
    );
    const results = await mapConcurrent(inputs.checks, inputs.concurrency, async (check) => {
      const result = await runCheck(check, { client: clients.for(check.tls), deadline, signal });
      log.info(
        `${result.passed ? 'passed' : 'FAILED'}: ${check.name}${result.reason ? ` — ${result.reason}` : ''}`,
      );
      return result;
    });

    const report = buildReport(results);
    const failed = results.filter((result) => !result.passed);
    setOutputs<SmokeTestOutputs>({
      passed: report.passed,
      'failed-checks': failed.map((result) => result.name),
      report,
    });
    await buildSummary(results, Date.now() - started).write();
    for (const result of failed) {
      const where = result.name.includes(result.url) ? '' : ` (${result.url})`;
      log.error(`${result.name}${where}: ${result.reason}`, {
        title: `Smoke check failed: ${result.name}`,
      });
    }
    if (failed.length > 0) {
      throw new ReportedFailure(`${failed.length} of ${results.length} smoke checks failed.`);
    }
  } finally {
    await clients.closeAll();
  }
}
