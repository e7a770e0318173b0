import type { ActionRun } from '../../test/support/action-runner.ts';
import { startPipelineEnvironment } from './environment.ts';
import { STAGES, type Stage, type StageOutputs } from './stages.ts';
import { formatTable, renderSummary } from './terminal.ts';

/** One stage's result, for the closing table and for the test. */
export interface StageResult {
  stage: string;
  action: string;
  outcome: ActionRun['outcome'];
  expected: Stage['expect'];
  /** Why the stage did not do what it should (its outcome, or what verify found); undefined when it did. */
  problem?: string;
  durationMs: number;
  keyOutput: string;
}

/**
 * Runs the stages in order against a fresh local environment and prints, for each, its log tail and
 * its job summary rendered for a terminal, then a closing table. Stops at the first stage that does
 * not do what it should, as a workflow job stops at a failed step.
 */
export async function runPipeline(
  stages: Stage[] = STAGES,
  print: (text: string) => void = console.log,
): Promise<StageResult[]> {
  const environment = await startPipelineEnvironment();
  const outputs: StageOutputs = {};
  const results: StageResult[] = [];
  try {
    for (const stage of stages) {
      print(`\n################ ${stage.name} (${stage.action}) ################\n`);
      const run = await stage.run(environment, outputs);
      outputs[stage.name] = run.outputs;
      const problem =
        run.outcome !== stage.expect
          ? `expected ${stage.expect}, got ${run.outcome}`
          : stage.verify?.(run, environment, outputs);
      print(renderSummary(run.summary) || '(no job summary)');
      if (problem) print(`\nLast lines of the log:\n${run.log.split('\n').slice(-30).join('\n')}`);
      results.push({
        stage: stage.name,
        action: stage.action,
        outcome: run.outcome,
        expected: stage.expect,
        problem,
        durationMs: run.durationMs + (run.post?.durationMs ?? 0),
        keyOutput: `${stage.keyOutput}=${run.outputs[stage.keyOutput] ?? ''}`,
      });
      if (problem) break;
    }
  } finally {
    await environment.close();
  }
  print(`\n${closingTable(results).join('\n')}`);
  return results;
}

export function closingTable(results: StageResult[]): string[] {
  return formatTable([
    ['stage', 'action', 'outcome', 'as expected', 'time', 'key output'],
    ...results.map((result) => [
      result.stage,
      result.action,
      result.outcome,
      result.problem ? `NO: ${result.problem}` : 'yes',
      `${(result.durationMs / 1000).toFixed(1)} s`,
      result.keyOutput.length > 90 ? `${result.keyOutput.slice(0, 87)}...` : result.keyOutput,
    ]),
  ]);
}
