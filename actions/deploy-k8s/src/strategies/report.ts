import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { AnalysisRun } from './analysis-gate.ts';
import type { StrategyOutcome } from './context.ts';
import type { StrategySettings } from './strategy-settings.ts';

/**
 * The strategy's outputs and its part of the job summary: each step in order, each analysis with
 * its measurements, and the decision. Written whether the step succeeds or fails, so a failed
 * analysis is as visible as a promote.
 */
export interface StrategyOutputs {
  /** `pending`, `promoted` or `aborted`; empty when nothing said how the last release ended. */
  'strategy-state': string;
  /** The canary's replicas: a number for one Deployment, a JSON object by canary name for several; empty otherwise. */
  'canary-replicas': string;
  /** The colour serving when the step ends: `blue` or `green` (JSON object by Deployment for several); empty otherwise. */
  'active-colour': string;
  /** JSON list of the analyses run: `[{"step": ..., "decision": ..., "reason": ..., "result": {...}}]`. */
  analysis: unknown[];
}

export function writeStrategyOutputs(outcome: StrategyOutcome, runs: readonly AnalysisRun[]): void {
  setOutputs<StrategyOutputs>({
    'strategy-state': outcome.state,
    'canary-replicas': single(outcome.canaryReplicas),
    'active-colour': single(outcome.activeColour),
    analysis: runs.map((run) => ({
      step: run.step,
      decision: run.decision,
      reason: run.reason,
      result: run.json ?? null,
    })),
  });
}

function single(values: Record<string, string | number>): string {
  const entries = Object.values(values);
  if (entries.length === 0) return '';
  if (entries.length === 1) return String(entries[0]);
  return JSON.stringify(values);
}

export async function writeStrategySummary(
  settings: StrategySettings,
  outcome: StrategyOutcome,
  runs: readonly AnalysisRun[],
  failure: string | undefined,
  deploys: { context: string; parts: readonly JobSummary[] },
): Promise<void> {
  const summary = new JobSummary().heading(
    `deploy-k8s ${settings.strategy}: ${settings.action} (${deploys.context})`,
  );
  summary.paragraph(
    `${failure ? '**Failed.** ' : ''}State: **${outcome.state || 'unknown'}**.${failure ? ` ${escapeInline(failure)}` : ''}`,
  );
  summary.list(outcome.steps.map(escapeInline));
  // Each analysis brings its own heading, decision and table of measurements.
  for (const run of runs) if (run.summary) summary.paragraph(run.summary);
  for (const part of deploys.parts) summary.paragraph(part.toMarkdown().trimEnd());
  await summary.write();
}
