import { describe, expect, it } from '@jest/globals';
import {
  analysisOutput,
  analysisSummary,
  measurementLine,
  type AnalysisResult,
} from '../../shared/src/analysis/index.ts';

/** The job summary section and the `analysis` output from one result. */

const RESULT: AnalysisResult = {
  decision: 'failed',
  reason: 'check "e2e" failed 1 of 1 measurements, more than failure-limit 0.',
  rounds: 1,
  measurements: [
    {
      check: 'error-rate',
      kind: 'prometheus',
      round: 1,
      startedAt: '2026-12-07T01:00:00.000Z',
      outcome: 'success',
      value: 0.004,
      detail: '0.004: success-condition "result < 0.01" holds',
    },
    {
      check: 'e2e',
      kind: 'job',
      round: 1,
      startedAt: '2026-12-07T01:00:00.000Z',
      outcome: 'failure',
      value: 3,
      detail: 'Job shop/e2e-r1-abc failed: exit code 3. Its log:\n  checkout | failed',
    },
    {
      check: 'latency',
      kind: 'prometheus',
      round: 1,
      startedAt: '2026-12-07T01:00:00.000Z',
      outcome: 'inconclusive',
      value: Number.NaN,
      detail: 'NaN: neither condition holds',
    },
  ],
};

describe('analysisSummary', () => {
  it('shows the decision, its reason, a row per measurement and a Job log tail', () => {
    const markdown = analysisSummary(RESULT, 'Canary analysis');
    expect(markdown).toContain('### Canary analysis: failed');
    expect(markdown).toContain(
      '**❌ failed** after 1 round: check "e2e" failed 1 of 1 measurements, more than failure-limit 0.',
    );
    expect(markdown).toContain('| Round | Check | Kind | Outcome | Value | Detail |');
    expect(markdown).toContain(
      '| 1 | error-rate | prometheus | ✅ success | 0.004 | 0.004: success-condition "result \\< 0.01" holds |',
    );
    expect(markdown).toContain(
      '| 1 | e2e | job | ❌ failure | 3 | Job shop/e2e-r1-abc failed: exit code 3. Its log: |',
    );
    expect(markdown).toContain('<details><summary>Round 1, e2e: more</summary>');
    expect(markdown).toContain('```\n  checkout | failed\n```');
  });
});

describe('analysisOutput', () => {
  it('is JSON with kebab-case keys, NaN spelt as Prometheus spells it', () => {
    expect(JSON.parse(analysisOutput(RESULT))).toEqual({
      decision: 'failed',
      reason: RESULT.reason,
      rounds: 1,
      measurements: RESULT.measurements.map((measurement) => ({
        check: measurement.check,
        kind: measurement.kind,
        round: 1,
        'started-at': '2026-12-07T01:00:00.000Z',
        outcome: measurement.outcome,
        value: Number.isNaN(measurement.value) ? 'NaN' : measurement.value,
        detail: measurement.detail,
      })),
    });
  });
});

describe('measurementLine', () => {
  it('is one line for the step log', () => {
    expect(measurementLine(RESULT.measurements[1] as AnalysisResult['measurements'][number])).toBe(
      'round 1, e2e (job): failure — Job shop/e2e-r1-abc failed: exit code 3. Its log:',
    );
  });
});
