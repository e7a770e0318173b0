import { errorMessage } from '../../../../shared/src/errors.ts';
import type { JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { DeployContext } from '../deploy.ts';
import type { AnalysisPlan } from '../../../../shared/src/analysis/index.ts';
import { analysisGate, withoutAnalysis } from './analysis-gate.ts';
import { abortBlueGreen, promoteBlueGreen } from './blue-green/blue-green-finish.ts';
import { deployBlueGreen } from './blue-green/blue-green-deploy.ts';
import { abortCanary, promoteCanary } from './canary/canary-finish.ts';
import { deployCanary } from './canary/canary-deploy.ts';
import { newOutcome, type StrategyContext } from './context.ts';
import { writeStrategyOutputs, writeStrategySummary } from './report.ts';
import type { StrategySettings } from './strategy-settings.ts';

/**
 * `strategy: canary | blue-green`: one of six paths by strategy and action. Whatever happens, the
 * strategy's outputs and summary say where the release stands when the step ends: one section for
 * the step, with the deploys it ran (a canary's rollout, the stable one's at promote) inside it.
 */
const PATHS = {
  canary: { deploy: deployCanary, promote: promoteCanary, abort: abortCanary },
  'blue-green': { deploy: deployBlueGreen, promote: promoteBlueGreen, abort: abortBlueGreen },
} as const;

export async function runStrategy(
  context: DeployContext,
  settings: StrategySettings & { strategy: 'canary' | 'blue-green' },
  plan: AnalysisPlan | undefined,
): Promise<void> {
  const { client, inputs, signal } = context;
  const analysis = plan
    ? analysisGate(plan, { client, namespace: inputs.namespace, signal })
    : withoutAnalysis();
  const parts: JobSummary[] = [];
  const strategy: StrategyContext = {
    ...context,
    settings,
    analysis,
    outcome: newOutcome(),
    summaryParts: parts,
  };
  let failure: string | undefined;
  try {
    await PATHS[settings.strategy][settings.action](strategy);
  } catch (error) {
    failure = errorMessage(error);
    throw error;
  } finally {
    writeStrategyOutputs(strategy.outcome, analysis.runs);
    await writeStrategySummary(settings, strategy.outcome, analysis.runs, failure, {
      context: client.context,
      parts,
    });
  }
}
