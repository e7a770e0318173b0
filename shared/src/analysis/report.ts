import { redact } from '../runner/secrets.ts';
import { escapeInline, fencedCode, JobSummary } from '../runner/summary.ts';
import type { AnalysisMeasurement, AnalysisResult } from './types.ts';

/** The job summary section and the `analysis` output, both from one AnalysisResult. */

const OUTCOME_MARK: Record<AnalysisMeasurement['outcome'], string> = {
  success: '✅ success',
  failure: '❌ failure',
  inconclusive: '❔ inconclusive',
  error: '⚠️ error',
};
const DECISION_MARK: Record<AnalysisResult['decision'], string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  inconclusive: '❔ inconclusive',
};

/** Markdown: the decision and its reason, a table of every measurement, and each Job's log tail. */
export function analysisSummary(result: AnalysisResult, title: string): string {
  const summary = new JobSummary()
    .heading(`${title}: ${result.decision}`, 3)
    .paragraph(
      `**${DECISION_MARK[result.decision]}** after ${result.rounds} round${result.rounds === 1 ? '' : 's'}: ${escapeInline(result.reason)}`,
    )
    .table(
      ['Round', 'Check', 'Kind', 'Outcome', 'Value', 'Detail'],
      result.measurements.map((measurement) => [
        measurement.round,
        escapeInline(measurement.check),
        measurement.kind,
        OUTCOME_MARK[measurement.outcome],
        measurement.value === undefined ? '–' : escapeInline(String(measurement.value)),
        escapeInline(firstLine(measurement.detail)),
      ]),
    );
  for (const measurement of result.measurements) {
    const rest = measurement.detail.split('\n').slice(1).join('\n');
    if (rest.trim() !== '') {
      summary.details(`Round ${measurement.round}, ${measurement.check}: more`, fencedCode(rest));
    }
  }
  return summary.toMarkdown();
}

/** One line for the step log as a measurement is taken: `round 2, error-rate (prometheus): success — 0.004: ...`. */
export function measurementLine(measurement: AnalysisMeasurement): string {
  return `round ${measurement.round}, ${measurement.check} (${measurement.kind}): ${measurement.outcome} — ${firstLine(measurement.detail)}`;
}

/** The `analysis` output: JSON with kebab-case keys, as Gantry's other outputs, secrets removed. */
export function analysisOutput(result: AnalysisResult): string {
  return redact(
    JSON.stringify({
      decision: result.decision,
      reason: result.reason,
      rounds: result.rounds,
      measurements: result.measurements.map((measurement) => ({
        check: measurement.check,
        kind: measurement.kind,
        round: measurement.round,
        'started-at': measurement.startedAt,
        outcome: measurement.outcome,
        value: jsonValue(measurement.value),
        detail: measurement.detail,
      })),
    }),
  );
}

/** NaN and ±Inf (Prometheus answers them) have no JSON form: they go out as Prometheus writes them. */
function jsonValue(value: number | string | undefined): number | string | null {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  }
  return value;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
