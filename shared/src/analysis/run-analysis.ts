import { Deadline } from '../async/deadline.ts';
import { DeadlineExceededError } from '../errors.ts';
import { formatDuration } from '../formats/duration.ts';
import { sleep, throwIfAborted } from '../async/sleep.ts';
import { ClientPool } from '../smoke-checks/client-pool.ts';
import { measureJob } from './job-measure.ts';
import { measurePrometheus } from './prometheus-query.ts';
import { measureSmokeTest } from './smoke-test-check.ts';
import { Tally, type Verdict } from './tally.ts';
import type {
  AnalysisCheck,
  AnalysisContext,
  AnalysisMeasurement,
  AnalysisPlan,
  AnalysisResult,
  Judged,
} from './types.ts';

/**
 * Runs the analysis in rounds `interval` apart (start to start): in each, every check still
 * undecided is measured once, all at the same time. The analysis fails at the first check that
 * fails, is inconclusive at the first inconclusive one, and passes when every check has passed.
 * `timeout` bounds all of it: reaching it fails the analysis, and a round that could not end in
 * time is not started.
 */
export async function runAnalysis(plan: AnalysisPlan, context: AnalysisContext): Promise<AnalysisResult> {
  const { settings } = plan;
  const deadline = new Deadline(settings.timeoutMs, `the analysis (timeout)`);
  const signal = deadline.signal(context.signal);
  const clients = new ClientPool();
  const tallies = plan.checks.map((check) => new Tally(check, settings));
  const measurements: AnalysisMeasurement[] = [];
  const started = performance.now();
  let round = 0;
  const end = (decision: AnalysisResult['decision'], reason: string): AnalysisResult => ({
    decision,
    reason,
    rounds: round,
    measurements,
  });
  try {
    for (;;) {
      const pending = tallies.filter((tally) => tally.verdict().state === 'running');
      if (pending.length === 0) break;
      const wait = started + round * settings.intervalMs - performance.now();
      if (wait >= deadline.remaining())
        return end('failed', timedOut(settings.timeoutMs, round + 1, tallies));
      await sleep(wait, signal);
      round++;
      const settled = await Promise.allSettled(
        pending.map((tally) => measure(tally.check, round, context, clients, deadline, signal)),
      );
      const verdicts: Verdict[] = [];
      settled.forEach((outcome, index) => {
        if (outcome.status === 'rejected') return;
        measurements.push(outcome.value);
        context.onMeasurement?.(outcome.value);
        verdicts.push((pending[index] as Tally).add(outcome.value));
      });
      // The measurements that were taken are kept; the first that could not be (cancelled, or a bug) ends the run.
      const rejected = settled.find((outcome) => outcome.status === 'rejected');
      if (rejected) throw rejected.reason;
      const failed = verdicts.find((verdict) => verdict.state === 'failed');
      if (failed && failed.state !== 'running') return end('failed', failed.reason);
      const inconclusive = verdicts.find((verdict) => verdict.state === 'inconclusive');
      if (inconclusive && inconclusive.state !== 'running') return end('inconclusive', inconclusive.reason);
    }
    const reasons = tallies
      .map((tally) => tally.verdict())
      .map((verdict) => (verdict.state === 'running' ? '' : verdict.reason));
    return end('passed', `${reasons.join('; ')}.`);
  } catch (error) {
    const timedOutNow =
      error instanceof DeadlineExceededError || signal.reason instanceof DeadlineExceededError;
    if (timedOutNow && !context.signal?.aborted) {
      return end('failed', timedOut(settings.timeoutMs, round, tallies));
    }
    throw error;
  } finally {
    await clients.closeAll();
  }
}

function timedOut(timeoutMs: number, round: number, tallies: Tally[]): string {
  return `The analysis timed out after ${formatDuration(timeoutMs)} (timeout) in round ${round}, undecided: ${tallies.map((tally) => tally.progress()).join('; ')}.`;
}

async function measure(
  check: AnalysisCheck,
  round: number,
  context: AnalysisContext,
  clients: ClientPool,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<AnalysisMeasurement> {
  const startedAt = new Date().toISOString();
  const variables = context.variables ?? {};
  let judged: Judged;
  if (check.kind === 'smoke-test')
    judged = await measureSmokeTest(check, variables, clients, deadline, signal);
  else if (check.kind === 'prometheus')
    judged = await measurePrometheus(check, variables, clients, deadline, signal);
  else if (context.kubernetes)
    judged = await measureJob(check, round, context.kubernetes, context.namespace, deadline, signal);
  else
    judged = { outcome: 'error', detail: 'a job check needs a Kubernetes cluster, and this step has none' };
  // A measurement the deadline or the caller cut short says nothing about the release.
  throwIfAborted(signal);
  if (deadline.expired()) throw deadline.error();
  return { check: check.name, kind: check.kind, round, startedAt, ...judged };
}
