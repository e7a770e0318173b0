import {
  analysisOutput,
  analysisSummary,
  runAnalysis,
  type AnalysisPlan,
} from '../../../../shared/src/analysis/index.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import * as log from '../../../../shared/src/runner/log.ts';

/**
 * Analysis between the steps of a strategy, behind one small interface so the strategies read as
 * their steps: `check(step, variables)` runs the user's checks (or, with no `analysis` input,
 * passes at once with nothing measured) and answers passed, failed or inconclusive. Every run is
 * kept for the `analysis` output and the job summary.
 */
export type AnalysisDecision = 'passed' | 'failed' | 'inconclusive';

export interface AnalysisRun {
  /** `canary of Deployment/shop/web at 10% of the traffic`. */
  step: string;
  decision: AnalysisDecision;
  reason: string;
  /** The analysis' own JSON for the output; undefined when there was no analysis. */
  json?: unknown;
  /** Markdown for the job summary. */
  summary?: string;
}

export interface AnalysisGate {
  readonly configured: boolean;
  readonly runs: AnalysisRun[];
  check(step: string, variables: Record<string, string>): Promise<AnalysisRun>;
}

/** The gate when no `analysis` is given: each step passes with nothing measured, and nothing is recorded. */
export function withoutAnalysis(): AnalysisGate {
  return {
    configured: false,
    runs: [],
    check: async (step) => ({ step, decision: 'passed', reason: 'no analysis configured' }),
  };
}

/** The gate of an `analysis` input: each step runs the plan's rounds with that step's variables. */
export function analysisGate(
  plan: AnalysisPlan,
  options: { client: KubernetesClient; namespace: string; signal: AbortSignal },
): AnalysisGate {
  const runs: AnalysisRun[] = [];
  return {
    configured: true,
    runs,
    check: async (step, variables) => {
      const result = await log.group(`Analysis: ${step}`, () =>
        runAnalysis(plan, {
          kubernetes: options.client,
          namespace: options.namespace,
          variables,
          signal: options.signal,
          onMeasurement: (measurement) =>
            log.info(
              `round ${measurement.round}, ${measurement.check}: ${measurement.outcome}: ${measurement.detail}`,
            ),
        }),
      );
      const run: AnalysisRun = {
        step,
        decision: result.decision,
        reason: result.reason,
        json: JSON.parse(analysisOutput(result)) as unknown,
        summary: analysisSummary(result, step),
      };
      runs.push(run);
      return run;
    },
  };
}
