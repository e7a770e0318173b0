import type { Deadline } from '../async/deadline.ts';
import { formatDuration } from '../formats/duration.ts';
import { HttpRequestError, type HttpClient } from '../net/http.ts';
import { retry, RetryExhaustedError } from '../async/retry.ts';
import { sleep } from '../async/sleep.ts';
import { judgeResponse } from './assertions.ts';
import type { CheckSpec } from './check-spec.ts';
import { percentile } from './percentile.ts';

/**
 * Runs one check the way an Argo Rollouts analysis runs a metric. Until the first healthy sample the
 * service may still be coming up, so failures are retried with backoff and do not count. From that
 * sample on, `samples` samples are taken `interval` apart (start to start); more than `failure-limit`
 * failures fail the check at once, and it passes only when the last `consecutive-successes` samples
 * were healthy and the p95 latency is within its limit. A check that never answers healthily fails:
 * zero healthy samples is never a pass. Everything ends at the one deadline.
 */

export interface Sample {
  /** Milliseconds since the check started. */
  at: number;
  status: number | undefined;
  latencyMs: number;
  ok: boolean;
  reason: string | undefined;
  /**
   * The deadline, not the service, ended this sample: it started with no time left, or its request
   * had less than its own timeout and ran out. Its reason says nothing about the service.
   */
  cutByDeadline?: boolean;
  /** No complete answer within request-timeout: the service took at least `latencyMs`. */
  timedOut?: boolean;
}

export interface CheckResult {
  name: string;
  url: string;
  passed: boolean;
  reason: string | undefined;
  /** Samples counted for the verdict: the first healthy one and all after it. */
  samples: Sample[];
  /** Failed attempts before the service first answered healthily. */
  startupFailures: number;
  lastStartupFailure: string | undefined;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  maxMs: number | undefined;
  durationMs: number;
}

export interface CheckRunDeps {
  client: HttpClient;
  deadline: Deadline;
  signal: AbortSignal;
}

class UnhealthySample extends Error {
  readonly sample: Sample;
  constructor(sample: Sample) {
    super(sample.reason);
    this.sample = sample;
  }
}

export async function runCheck(check: CheckSpec, deps: CheckRunDeps): Promise<CheckResult> {
  const started = performance.now();
  const samples: Sample[] = [];
  let startupFailures = 0;
  let lastStartupFailure: string | undefined;
  const finish = (passed: boolean, reason?: string): CheckResult =>
    buildResult(
      check,
      passed,
      reason,
      samples,
      startupFailures,
      lastStartupFailure,
      performance.now() - started,
    );

  let lastStart: number;
  try {
    lastStart = await retry(
      async () => {
        const start = performance.now();
        const sample = await takeSample(check, deps, start - started);
        if (!sample.ok) throw new UnhealthySample(sample);
        samples.push(sample);
        return start;
      },
      {
        what: `${check.name} becoming healthy`,
        classify: (error) =>
          error instanceof UnhealthySample && !error.sample.cutByDeadline
            ? { transient: true, reason: error.message }
            : { transient: false },
        deadline: deps.deadline,
        initialDelayMs: 250,
        maxDelayMs: Math.max(check.intervalMs, 1000),
        signal: deps.signal,
        onRetry: ({ reason }) => {
          startupFailures++;
          lastStartupFailure = reason;
        },
      },
    );
  } catch (error) {
    if (!(error instanceof RetryExhaustedError) && !(error instanceof UnhealthySample)) throw error;
    startupFailures++;
    const last = error instanceof UnhealthySample ? error : (error.lastError as UnhealthySample);
    // An attempt the deadline cut short would hide why the service was unhealthy until then.
    if (!last.sample.cutByDeadline || lastStartupFailure === undefined) lastStartupFailure = last.message;
    return finish(
      false,
      `never healthy within ${formatDuration(deps.deadline.timeoutMs)} (${startupFailures} attempts); last: ${lastStartupFailure}`,
    );
  }

  let failures = 0;
  let streak = 1;
  while (samples.length < check.samples || streak < check.consecutiveSuccesses) {
    const wait = Math.max(0, lastStart + check.intervalMs - performance.now());
    if (wait >= deps.deadline.remaining()) {
      return finish(
        false,
        `timed out after ${formatDuration(deps.deadline.timeoutMs)} with ${describeProgress(check, samples, streak)}`,
      );
    }
    await sleep(wait, deps.signal);
    lastStart = performance.now();
    const sample = await takeSample(check, deps, lastStart - started);
    if (sample.cutByDeadline && !sample.ok) {
      return finish(
        false,
        `timed out after ${formatDuration(deps.deadline.timeoutMs)} with ${describeProgress(check, samples, streak)}`,
      );
    }
    samples.push(sample);
    if (sample.ok) {
      streak++;
      continue;
    }
    failures++;
    streak = 0;
    if (failures > check.failureLimit) {
      return finish(
        false,
        `sample ${samples.length}: ${sample.reason} (${failures} failed sample${failures === 1 ? '' : 's'} > failure-limit ${check.failureLimit})`,
      );
    }
  }

  const p95 = percentile(measuredLatencies(samples), 95);
  if (check.p95LatencyMs !== undefined && p95 !== undefined && p95 > check.p95LatencyMs) {
    return finish(
      false,
      `p95 ${Math.round(p95)} ms > ${check.p95LatencyMs} ms over ${samples.length} samples`,
    );
  }
  return finish(true);
}

export async function takeSample(check: CheckSpec, deps: CheckRunDeps, at: number): Promise<Sample> {
  const remaining = deps.deadline.remaining();
  if (remaining === 0) {
    return {
      at,
      status: undefined,
      latencyMs: 0,
      ok: false,
      reason: 'deadline reached',
      cutByDeadline: true,
    };
  }
  const timeoutMs = Math.min(check.requestTimeoutMs, remaining);
  try {
    const response = await deps.client.request({
      url: check.url,
      method: check.method,
      headers: check.headers,
      body: check.body,
      timeoutMs,
      followRedirects: check.followRedirects,
      signal: deps.signal,
    });
    const verdict = judgeResponse(check, response);
    return {
      at,
      status: response.status,
      latencyMs: response.latencyMs,
      ok: verdict.ok,
      reason: verdict.ok ? undefined : verdict.reason,
    };
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    const timedOut = error.kind === 'timeout';
    const cutByDeadline = timedOut && timeoutMs < check.requestTimeoutMs;
    return {
      at,
      status: undefined,
      latencyMs: error.latencyMs,
      ok: false,
      reason: error.message,
      ...(cutByDeadline ? { cutByDeadline } : timedOut ? { timedOut } : {}),
    };
  }
}

function describeProgress(check: CheckSpec, samples: Sample[], streak: number): string {
  const progress = `${samples.length} of ${check.samples} samples`;
  return streak < check.consecutiveSuccesses && samples.length >= check.samples
    ? `${progress} and ${streak} of ${check.consecutiveSuccesses} consecutive successes`
    : progress;
}

/**
 * The latencies the percentiles are taken over: answered samples, and samples whose request timed
 * out, at the time they waited. Leaving timeouts out would let a service too slow to answer at all
 * pass a latency gate that an answering slow service fails.
 */
function measuredLatencies(samples: Sample[]): number[] {
  return samples
    .filter((sample) => sample.status !== undefined || sample.timedOut)
    .map((sample) => sample.latencyMs);
}

function buildResult(
  check: CheckSpec,
  passed: boolean,
  reason: string | undefined,
  samples: Sample[],
  startupFailures: number,
  lastStartupFailure: string | undefined,
  durationMs: number,
): CheckResult {
  const latencies = measuredLatencies(samples);
  return {
    name: check.name,
    url: check.displayUrl,
    passed,
    reason,
    samples,
    startupFailures,
    lastStartupFailure,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
    durationMs,
  };
}
