import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  analysisOutput,
  analysisSummary,
  runAnalysis,
  type AnalysisResult,
} from '../../shared/src/analysis/index.ts';
import { startPrometheus, type PrometheusAnswer, type PrometheusServer } from '../support/prometheus.ts';
import { capture, type Captured } from '../shared/helpers.ts';
import { plan } from './helpers.ts';

/** prometheus checks against the Prometheus-compatible endpoint: the request, the answer formats, auth, faults. */

let prometheus: PrometheusServer;
let stdout: Captured;
beforeEach(async () => {
  prometheus = await startPrometheus();
  stdout = capture();
});
afterEach(async () => {
  stdout.restore();
  await prometheus.close();
});

async function measureOnce(
  answer: PrometheusAnswer,
  fields = 'success-condition: result < 0.01',
): Promise<AnalysisResult> {
  prometheus.answer('errors', answer);
  return runAnalysis(
    plan(
      `count: 1\nchecks:\n  - name: errors\n    prometheus:\n      address: ${prometheus.address}\n      query: errors\n      ${fields}`,
    ),
    {},
  );
}

describe('prometheus checks', () => {
  it('asks /api/v1/query with the query, placeholders filled, at the current time', async () => {
    prometheus.answer(/^sum\(rate/, { vector: [{ value: 0.002 }] });
    const before = Date.now() / 1000;
    const result = await runAnalysis(
      plan(`count: 1
checks:
  - name: errors
    prometheus:
      address: http://\${host}:${prometheus.address.split(':').at(-1)}/
      query: sum(rate(http_requests_total{service="\${service}",code=~"5.."}[1m]))
      success-condition: result < 0.01`),
      { variables: { host: '127.0.0.1', service: 'web-canary' } },
    );
    expect(result.decision).toBe('passed');
    const [query] = prometheus.queries;
    expect(query?.query).toBe('sum(rate(http_requests_total{service="web-canary",code=~"5.."}[1m]))');
    expect(Number(query?.time)).toBeGreaterThanOrEqual(Math.floor(before));
    expect(Number(query?.time)).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('sends the bearer token, masks it, and never writes it to the summary or the output', async () => {
    prometheus.requireAuthorization('Bearer tok-secret-42');
    const result = await measureOnce(
      { vector: [{ value: 0 }] },
      'success-condition: result < 0.01\n      bearer-token: tok-secret-42',
    );
    expect(result.decision).toBe('passed');
    expect(prometheus.queries[0]?.headers.authorization).toBe('Bearer tok-secret-42');
    expect(stdout.text()).toContain('::add-mask::tok-secret-42');
    expect(analysisSummary(result, 'Analysis') + analysisOutput(result)).not.toContain('tok-secret-42');
  });

  it('sends basic auth, and makes a 401 an error measurement that fails the analysis', async () => {
    prometheus.requireAuthorization(`Basic ${Buffer.from('ann:pw-right').toString('base64')}`);
    const good = await measureOnce(
      { vector: [{ value: 0 }] },
      'success-condition: result < 0.01\n      username: ann\n      password: pw-right',
    );
    expect(good.decision).toBe('passed');
    const bad = await measureOnce(
      { vector: [{ value: 0 }] },
      'success-condition: result < 0.01\n      username: ann\n      password: pw-wrong',
    );
    expect(bad.decision).toBe('failed');
    expect(bad.measurements[0]).toMatchObject({ outcome: 'error' });
    expect(bad.measurements[0]?.detail).toMatch(
      /^query "errors" at http:\/\/127\.0\.0\.1:\d+: HTTP 401 with a body that is not JSON \(starts with "Unauthorized\\n"\)/,
    );
  });

  it('reads a scalar, and a matrix by its latest sample', async () => {
    expect((await measureOnce({ scalar: 0.001 })).measurements[0]).toMatchObject({
      outcome: 'success',
      value: 0.001,
    });
    const matrix = await measureOnce({ matrix: [{ values: [0.5, 0.2, 0.004] }] });
    expect(matrix.measurements[0]).toMatchObject({ outcome: 'success', value: 0.004 });
  });

  it('needs the success condition to hold for every series, and fails when the failure condition holds for any', async () => {
    const series = (a: number, b: number): PrometheusAnswer => ({
      vector: [
        { metric: { pod: 'a' }, value: a },
        { metric: { pod: 'b' }, value: b },
      ],
    });
    const one = await measureOnce(series(0.001, 0.5));
    expect(one.measurements[0]).toMatchObject({
      outcome: 'failure',
      value: '{pod="a"} 0.001, {pod="b"} 0.5',
      detail:
        '2 series: {pod="a"} 0.001, {pod="b"} 0.5: success-condition "result < 0.01" does not hold for {pod="b"}',
    });
    expect((await measureOnce(series(0.001, 0.002))).measurements[0]?.outcome).toBe('success');
    const failing = await measureOnce(series(0.001, 0.2), 'failure-condition: result > 0.1');
    expect(failing.measurements[0]).toMatchObject({ outcome: 'failure' });
    expect(failing.measurements[0]?.detail).toContain('failure-condition "result > 0.1" holds');
  });

  it('reads NaN and infinities as Prometheus writes them: NaN is no data, a failure whatever the conditions', async () => {
    const nan = await measureOnce({ vector: [{ value: Number.NaN }] });
    expect(nan.measurements[0]).toMatchObject({ outcome: 'failure' });
    expect(JSON.parse(analysisOutput(nan)).measurements[0].value).toBe('NaN');
    // 0/0, an error ratio while the canary gets no requests: a failure condition alone must not pass it.
    const failureOnly = await measureOnce({ scalar: Number.NaN }, 'failure-condition: result >= 0.05');
    expect(failureOnly.measurements[0]).toMatchObject({
      outcome: 'failure',
      detail: 'query "errors" returned NaN, which is no data (0/0: no requests were measured)',
    });
    const both = await measureOnce(
      {
        vector: [
          { metric: { pod: 'a' }, value: 0.001 },
          { metric: { pod: 'b' }, value: Number.NaN },
        ],
      },
      'success-condition: result < 0.01\n      failure-condition: result >= 0.05',
    );
    expect(both.measurements[0]).toMatchObject({
      outcome: 'failure',
      detail: 'query "errors" returned NaN for {pod="b"}, which is no data (0/0: no requests were measured)',
    });
    const negated = await measureOnce(
      { vector: [{ value: Number.NaN }] },
      'success-condition: not (result > 0.01)',
    );
    expect(negated.measurements[0]).toMatchObject({ outcome: 'failure' });
    const inf = await measureOnce({ vector: [{ value: Infinity }] }, 'success-condition: result > 1000');
    expect(inf.measurements[0]).toMatchObject({ outcome: 'success', value: Infinity });
  });

  it('reports a bad query (400 bad_data) as an error at once, without retrying it', async () => {
    const result = await measureOnce({
      error: { errorType: 'bad_data', error: '1:5: parse error: unexpected "}"' },
    });
    expect(result.measurements[0]).toMatchObject({ outcome: 'error' });
    expect(result.measurements[0]?.detail).toMatch(
      /: Prometheus answered HTTP 400, bad_data: 1:5: parse error: unexpected "}"$/,
    );
    expect(prometheus.queries).toHaveLength(1);
  });

  it('retries 503 and 5xx pages within the measurement', async () => {
    prometheus.answer('errors', ({ count }) =>
      count === 1
        ? { error: { errorType: 'timeout', error: 'query timed out in expression evaluation' } }
        : count === 2
          ? { raw: { status: 502, body: '<html>Bad Gateway</html>' } }
          : { vector: [{ value: 0 }] },
    );
    const result = await runAnalysis(
      plan(
        `count: 1\nchecks:\n  - name: errors\n    prometheus: {address: "${prometheus.address}", query: errors, success-condition: result < 0.01}`,
      ),
      {},
    );
    expect(result.decision).toBe('passed');
    expect(prometheus.queries).toHaveLength(3);
  });

  it("keeps Prometheus's warnings in the detail: a partial answer explains its data", async () => {
    const answer = (result: unknown[]): PrometheusAnswer => ({
      raw: {
        status: 200,
        body: {
          status: 'success',
          data: { resultType: 'vector', result },
          warnings: ['partial response:\nstore gateway down', 'dropped 3 series'],
        },
      },
    });
    const empty = await measureOnce(answer([]));
    expect(empty.measurements[0]).toMatchObject({
      outcome: 'failure',
      detail:
        'query "errors" returned no data (Prometheus warned: partial response: store gateway down; dropped 3 series)',
    });
    const some = await measureOnce(answer([{ metric: {}, value: [1700000000, '0.001'] }]));
    expect(some.measurements[0]).toMatchObject({
      outcome: 'success',
      detail:
        '0.001: success-condition "result < 0.01" holds (Prometheus warned: partial response: store gateway down; dropped 3 series)',
    });
  });

  it('makes a blank or non-numeric sample value an error, never the 0 that Number("") gives', async () => {
    for (const text of ['', ' ', 'abc']) {
      const result = await measureOnce({ vector: [{ value: text }] });
      expect(result.measurements[0]).toMatchObject({ outcome: 'error' });
      expect(result.measurements[0]?.detail).toContain(
        `a sample value ${JSON.stringify(text)} is not a number`,
      );
    }
  });

  it('makes a string result an error: a condition cannot compare it', async () => {
    const result = await measureOnce({ string: 'hello' });
    expect(result.measurements[0]).toMatchObject({ outcome: 'error' });
    expect(result.measurements[0]?.detail).toContain(
      'the query returned a string, which a condition cannot compare',
    );
  });
});
