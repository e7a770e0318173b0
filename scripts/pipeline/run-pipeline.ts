import type { ActionRun } from '../../test/support/action-runner.ts';
import { startPipelineEnvironment } from './environment.ts';
import { readDeploymentRecords, recordsTable, type DeploymentRecordRow } from './records.ts';
import { STAGES, type Stage, type StageOutputs } from './stages/index.ts';
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
  /** The stage's key outputs, by name. */
  keyOutputs: Record<string, string>;
}

export interface PipelineRun {
  results: StageResult[];
  /** The deployment records on the GitHub server when the run ended. */
  records: DeploymentRecordRow[];
}

/**
 * Runs the stages in order against a fresh local environment and prints, for each, its job summary
 * rendered for a terminal (and its log tail when it went wrong), then the deployment records the
 * run left on GitHub, then a closing table. Stops at the first stage that does not do what it
 * should, as a workflow job stops at a failed step.
 */
export async function runPipeline(
  stages: Stage[] = STAGES,
  print: (text: string) => void = console.log,
): Promise<PipelineRun> {
  const environment = await startPipelineEnvironment();
  const outputs: StageOutputs = {};
  const results: StageResult[] = [];
  let records: DeploymentRecordRow[] = [];
  try {
    for (const stage of stages) {
      print(`\n################ ${stage.name} (${stage.action}) ################\n`);
      const run = await stage.run(environment, outputs);
      outputs[stage.name] = run.outputs;
      const problem =
        run.outcome !== stage.expect
          ? `expected ${stage.expect}, got ${run.outcome}`
          : await stage.verify?.(run, environment, outputs);
      print(renderSummary(run.summary) || '(no job summary)');
      if (problem) print(`\nLast lines of the log:\n${run.log.split('\n').slice(-30).join('\n')}`);
      results.push({
        stage: stage.name,
        action: stage.action,
        outcome: run.outcome,
        expected: stage.expect,
        problem,
        durationMs: run.durationMs + (run.post?.durationMs ?? 0),
        keyOutputs: Object.fromEntries(stage.keyOutputs.map((name) => [name, run.outputs[name] ?? ''])),
      });
      if (problem) break;
    }
    records = readDeploymentRecords(environment.github);
  } finally {
    await environment.close();
  }
  print(`\nDeployment records on GitHub (${environment.github.url}):\n\n${recordsTable(records).join('\n')}`);
  print(`\n${closingTable(results).join('\n')}`);
  return { results, records };
}

export function closingTable(results: StageResult[]): string[] {
  return formatTable([
    ['stage', 'action', 'outcome', 'as expected', 'time', 'key outputs'],
    ...results.map((result) => [
      result.stage,
      result.action,
      result.outcome,
      result.problem ? `NO: ${result.problem}` : 'yes',
      `${(result.durationMs / 1000).toFixed(1)} s`,
      Object.entries(result.keyOutputs)
        .map(([name, value]) => `${name}=${shorten(value)}`)
        .join(', '),
    ]),
  ]);
}

/** Digests cut to 12 hex digits and ARNs to their last part, so that a row fits a terminal. */
function shorten(value: string): string {
  const short = value
    .replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1…')
    .replace(/^arn:aws:ecs:[^:]*:\d+:task-definition\//, 'task-definition/');
  return short.length > 70 ? `${short.slice(0, 67)}...` : short;
}
