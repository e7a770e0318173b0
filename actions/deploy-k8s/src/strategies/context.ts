import * as log from '../../../../shared/src/runner/log.ts';
import { strategyManagerOf } from '../apply/apply.ts';
import type { DeployContext } from '../deploy.ts';
import type { PlannedObject } from '../apply/plan.ts';
import type { ReleaseState } from './state/keys.ts';
import type { StrategySettings } from './strategy-settings.ts';
import type { AnalysisGate } from './analysis-gate.ts';
import type { WriteOptions } from './state/cluster-writes.ts';

/** What a strategy works with, and what it reports. */
export interface StrategyContext extends DeployContext {
  settings: StrategySettings;
  analysis: AnalysisGate;
  outcome: StrategyOutcome;
}

export interface StrategyOutcome {
  /** Empty when nothing was pending and nothing recorded says how the last release ended. */
  state: ReleaseState | '';
  canaryReplicas: Record<string, number>;
  /** The colour serving when the step ends, by Deployment; '' for a plain Deployment adopted as the live release. */
  activeColour: Record<string, string>;
  /** What the strategy did, in order, for the log and the job summary. */
  steps: string[];
}

export function newOutcome(): StrategyOutcome {
  return { state: '', canaryReplicas: {}, activeColour: {}, steps: [] };
}

export function writeOptions(context: StrategyContext): WriteOptions {
  return { fieldManager: strategyManagerOf(context.inputs.fieldManager), signal: context.signal };
}

/** A step of the strategy, logged at once and kept for the summary. */
export function step(context: StrategyContext, text: string): void {
  log.info(text);
  context.outcome.steps.push(text);
}

/** The release's Deployments as planned from the manifests. */
export function plannedDeployments(plan: readonly PlannedObject[]): PlannedObject[] {
  return plan.filter((planned) => planned.ref.kind === 'Deployment');
}
