import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runAnalysis, type AnalysisMeasurement } from '../../shared/src/analysis/index.ts';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.ts';
import { errorRateCheck, plan } from './helpers.ts';

/** The rounds and the decision (Argo Rollouts' rules), through prometheus checks against the test endpoint. */

let prometheus: PrometheusServer;
beforeEach(async () => {
  prometheus = await startPrometheus();
});
afterEach(async () => {
  await prometheus.close();
});

/** Answers the n-th query with values[n - 1], and the last value from then on. */
function errorRates(...values: number[]): void {
  prometheus.answer('errors', ({ count }) => ({
    vector: [{ metric: { service: 'web' }, value: values[Math.min(count, values.length) - 1] as number }],
  }));
}

describe('runAnalysis decisions', () => {
  it('passes when every round of every check succeeds, measuring each check count times', async () => {
    errorRates(0.001);
    const seen: AnalysisMeasurement[] = [];
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 3\nchecks:${errorRateCheck(prometheus.address)}`),
      {
        onMeasurement: (measurement) => seen.push(measurement),
      },
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 3 });
    expect(result.reason).toContain('check "error-rate" succeeded 3 of 3 measurements');
    expect(result.measurements.map((m) => [m.round, m.outcome, m.value])).toEqual([
      [1, 'success', 0.001],
      [2, 'success', 0.001],
      [3, 'success', 0.001],
    ]);
    expect(seen).toEqual(result.measurements);
    expect(prometheus.queries).toHaveLength(3);
  });

  it('fails as soon as the failures exceed failure-limit, without taking the remaining rounds', async () => {
    errorRates(0.5, 0.001, 0.5, 0.001);
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 5\nfailure-limit: 1\nchecks:${errorRateCheck(prometheus.address)}`),
      {},
    );
    expect(result.decision).toBe('failed');
    expect(result.rounds).toBe(3);
    expect(result.reason).toMatch(
      /^check "error-rate" failed 2 of 3 measurements, more than failure-limit 1\. Last measurement: 0\.5: success-condition "result < 0\.01" does not hold/,
    );
    expect(prometheus.queries).toHaveLength(3);
  });

  it('tolerates failures up to failure-limit', async () => {
    errorRates(0.5, 0.001);
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 3\nfailure-limit: 1\nchecks:${errorRateCheck(prometheus.address)}`),
      {},
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 3 });
  });

  it('ends early when consecutive-successes is reached, after a failure broke the first streak', async () => {
    errorRates(0.001, 0.5, 0.001, 0.001);
    const result = await runAnalysis(
      plan(
        `interval: 50ms\ncount: 10\nfailure-limit: 1\nconsecutive-successes: 2\nchecks:${errorRateCheck(prometheus.address)}`,
      ),
      {},
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 4 });
    expect(result.reason).toContain('succeeded 2 times in a row (consecutive-successes)');
    expect(prometheus.queries).toHaveLength(4);
  });

  it('is inconclusive when count rounds end without consecutive-successes in a row (Argo)', async () => {
    errorRates(0.001, 0.5, 0.001);
    const result = await runAnalysis(
      plan(
        `interval: 50ms\ncount: 3\nfailure-limit: 1\nconsecutive-successes: 2\nchecks:${errorRateCheck(prometheus.address)}`,
      ),
      {},
    );
    expect(result).toMatchObject({ decision: 'inconclusive', rounds: 3 });
    expect(result.reason).toContain(
      'succeeded at most 1 times in a row in 3 rounds, short of consecutive-successes 2',
    );
  });

  it('fails on no data: an empty vector is a failed measurement', async () => {
    prometheus.answer('errors', { vector: [] });
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 2\nchecks:${errorRateCheck(prometheus.address)}`),
      {},
    );
    expect(result).toMatchObject({ decision: 'failed', rounds: 1 });
    expect(result.measurements[0]).toMatchObject({
      outcome: 'failure',
      detail: 'query "errors" returned no data',
    });
  });

  it('is inconclusive when neither condition holds more often than inconclusive-limit', async () => {
    errorRates(0.02, 0.03);
    const check = errorRateCheck(prometheus.address, '\n      failure-condition: result > 0.05');
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 4\ninconclusive-limit: 1\nchecks:${check}`),
      {},
    );
    expect(result).toMatchObject({ decision: 'inconclusive', rounds: 2 });
    expect(result.measurements.map((m) => m.outcome)).toEqual(['inconclusive', 'inconclusive']);
    expect(result.reason).toContain('was inconclusive 2 of 2 times, more than inconclusive-limit 1');
  });

  it('lets a failure-condition win over a success-condition that also holds', async () => {
    errorRates(0.5);
    const check = errorRateCheck(prometheus.address, '\n      failure-condition: result > 0.1').replace(
      'result < 0.01',
      'result >= 0',
    );
    const result = await runAnalysis(plan(`interval: 50ms\ncount: 1\nchecks:${check}`), {});
    expect(result.decision).toBe('failed');
    expect(result.measurements[0]?.detail).toBe('0.5: failure-condition "result > 0.1" holds');
  });

  it('fails at timeout with a reason naming it, while a measurement is still waiting', async () => {
    prometheus.answer('errors', { raw: { status: 200, body: '{}', delayMs: 20_000 } });
    const result = await runAnalysis(
      plan(`interval: 50ms\ncount: 2\ntimeout: 1s\nchecks:${errorRateCheck(prometheus.address)}`),
      {},
    );
    expect(result.decision).toBe('failed');
    expect(result.reason).toMatch(
      /^The analysis timed out after 1s \(timeout\) in round 1, undecided: error-rate: 0 succeeded/,
    );
  });

  it('does not start a round that could not end before the timeout', async () => {
    errorRates(0.001);
    const result = await runAnalysis(
      plan(
        `interval: 2s\ncount: 3\ntimeout: 3s\nconsecutive-successes: 2\nchecks:${errorRateCheck(prometheus.address)}`,
      ),
      {},
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 2 });
  });

  it('fails at once, without waiting, when the next round could not start before the timeout', async () => {
    errorRates(0.001, 0.5, 0.001);
    const late = await runAnalysis(
      plan(
        `interval: 1500ms\ncount: 3\ntimeout: 2s\nfailure-limit: 1\nconsecutive-successes: 2\nchecks:${errorRateCheck(prometheus.address)}`,
      ),
      {},
    );
    expect(late).toMatchObject({ decision: 'failed', rounds: 2 });
    expect(late.reason).toContain('timed out after 2s (timeout) in round 3');
  });

  it('measures every undecided check each round, and stops measuring a check that has passed', async () => {
    errorRates(0.001);
    prometheus.answer('latency', ({ count }) => ({ scalar: count === 1 ? 900 : 120 }));
    const result = await runAnalysis(
      plan(`interval: 50ms
count: 4
failure-limit: 1
consecutive-successes: 2
checks:${errorRateCheck(prometheus.address)}
  - name: latency
    prometheus: {address: "${prometheus.address}", query: latency, success-condition: result < 500}`),
      {},
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 3 });
    expect(result.measurements.map((m) => `${m.round} ${m.check} ${m.outcome}`)).toEqual([
      '1 error-rate success',
      '1 latency failure',
      '2 error-rate success',
      '2 latency success',
      '3 latency success',
    ]);
    expect(result.reason).toBe(
      'check "error-rate" succeeded 2 times in a row (consecutive-successes); check "latency" succeeded 2 times in a row (consecutive-successes).',
    );
  });

  it('fails at the first failing check even when another check would pass', async () => {
    errorRates(0.001);
    prometheus.answer('latency', { scalar: 900 });
    const result = await runAnalysis(
      plan(`interval: 50ms
count: 3
checks:${errorRateCheck(prometheus.address)}
  - name: latency
    prometheus: {address: "${prometheus.address}", query: latency, success-condition: result < 500}`),
      {},
    );
    expect(result).toMatchObject({ decision: 'failed', rounds: 1 });
    expect(result.reason).toMatch(/^check "latency" failed 1 of 1 measurements, more than failure-limit 0\./);
  });

  it('stops at once, with the cancellation, when the caller aborts', async () => {
    prometheus.answer('errors', { raw: { status: 200, body: '{}', delayMs: 20_000 } });
    const controller = new AbortController();
    const running = runAnalysis(
      plan(`interval: 50ms\ncount: 2\nchecks:${errorRateCheck(prometheus.address)}`),
      { signal: controller.signal },
    );
    while (prometheus.queries.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(running).rejects.toThrow('cancelled');
  });
});
