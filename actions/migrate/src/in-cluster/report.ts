import { formatDuration } from '../../../../shared/src/formats/duration.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { RunResult } from './run-result.ts';

/** The outputs and job summary of an in-cluster run. */

export function writeInClusterOutputs(result: RunResult): void {
  const ran = result.failure === undefined;
  setOutputs({
    // The application's command is the one "migration" Gantry applied: what ran, how long it took.
    applied: ran
      ? [
          {
            version: null,
            description: result.command?.join(' ') ?? 'the command of the pod template or task definition',
            type: 'command',
            script: null,
            'execution-ms': result.durationMs,
          },
        ]
      : [],
    'current-version': '',
    'exit-code': result.exitCode ?? '',
    'run-id': result.id,
  });
}

export function inClusterSummary(result: RunResult): JobSummary {
  const status = result.failure === undefined ? 'succeeded' : 'failed';
  const summary = new JobSummary().heading(`migrate (${result.mode}): ${status}`);
  summary.table(
    ['', ''],
    [
      ['mode', result.mode],
      ['where', result.where],
      ['command', result.command?.join(' ') ?? '(as in the template)'],
      ['duration', formatDuration(result.durationMs)],
      ['exit code', result.exitCode ?? '(none)'],
      ...(result.kept ? [['kept', 'yes (keep-job)']] : []),
    ],
  );
  if (result.failure) summary.paragraph(`**${escapeInline(result.failure)}**`);
  if (result.tail.count > 0) {
    summary.paragraph(`Log tail (${result.tail.count} lines in all):`).code(result.tail.text());
  }
  return summary;
}
