import { formatDuration } from '../../../shared/src/formats/duration.ts';
import { escapeInline, JobSummary } from '../../../shared/src/runner/summary.ts';
import type { CheckResult } from '../../../shared/src/smoke-checks/check-runner.ts';

/** The `report` output, the job summary and the per-check annotations, all from the same results. */

export interface CheckReport {
  name: string;
  url: string;
  status: 'passed' | 'failed';
  reason: string | null;
  samples: number;
  failures: number;
  'startup-failures': number;
  'p50-ms': number | null;
  'p95-ms': number | null;
  'max-ms': number | null;
  'duration-ms': number;
}

export interface SmokeTestReport {
  passed: boolean;
  checks: CheckReport[];
}

export function buildReport(results: CheckResult[]): SmokeTestReport {
  return {
    passed: results.every((result) => result.passed),
    checks: results.map((result) => ({
      name: result.name,
      url: result.url,
      status: result.passed ? 'passed' : 'failed',
      reason: result.reason ?? null,
      samples: result.samples.length,
      failures: result.samples.filter((sample) => !sample.ok).length,
      'startup-failures': result.startupFailures,
      'p50-ms': roundOrNull(result.p50Ms),
      'p95-ms': roundOrNull(result.p95Ms),
      'max-ms': roundOrNull(result.maxMs),
      'duration-ms': Math.round(result.durationMs),
    })),
  };
}

export function buildSummary(results: CheckResult[], elapsedMs: number): JobSummary {
  const failed = results.filter((result) => !result.passed);
  const summary = new JobSummary().heading(
    failed.length === 0
      ? `Smoke test passed: ${results.length} of ${results.length} checks healthy`
      : `Smoke test failed: ${failed.length} of ${results.length} checks unhealthy`,
  );
  summary.table(
    ['Check', 'Result', 'Samples', 'Failures', 'p50', 'p95', 'Why'],
    results.map((result) => [
      escapeInline(result.name),
      result.passed ? '✅ passed' : '❌ failed',
      result.samples.length,
      result.samples.filter((sample) => !sample.ok).length,
      milliseconds(result.p50Ms),
      milliseconds(result.p95Ms),
      escapeInline(
        result.reason ??
          (result.startupFailures > 0 ? `healthy after ${result.startupFailures} failed attempts` : ''),
      ),
    ]),
  );
  for (const result of failed) {
    const lines = result.samples.map(
      (sample, index) =>
        `${index + 1}. +${formatDuration(sample.at)} ${sample.status ?? 'no response'} in ${Math.round(sample.latencyMs)} ms` +
        (sample.ok ? '' : ` — ${escapeInline(sample.reason ?? '')}`),
    );
    if (result.lastStartupFailure && result.samples.length === 0) {
      lines.push(`Last attempt: ${escapeInline(result.lastStartupFailure)}`);
    }
    summary.details(`Samples of ${result.name} (${result.url})`, lines.join('\n'));
  }
  summary.paragraph(`Ran ${results.length} checks in ${formatDuration(elapsedMs)}.`);
  return summary;
}

function milliseconds(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value)} ms`;
}

function roundOrNull(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
