import { describeRef } from '../../../shared/src/kubernetes/object.ts';
import { diagnosisLines, verdict } from './report.ts';
import type { WorkloadReport } from './rollout.ts';

/**
 * The error annotation of one failed rollout: the verdict, every distinct problem of its pods, the
 * tail of the log that explains a crash, and recent Warning events. Annotations are what people
 * read first, so this is the whole story, not a pointer to the log.
 */
const LOG_LINES_IN_ANNOTATION = 10;

export function failureMessage(report: WorkloadReport): string {
  const lines = [
    `${describeRef(report.workload.ref)}: ${report.result ? verdict(report.result) : 'no verdict'}`,
  ];
  const diagnosis = report.diagnosis;
  if (diagnosis) {
    lines.push(
      ...diagnosisLines(report)
        .slice(1)
        .map((problem) => `- ${problem}`),
    );
    for (const log of diagnosis.logs) {
      const tail = log.tail.split('\n').slice(-LOG_LINES_IN_ANNOTATION);
      lines.push(
        `Last log lines of ${log.pod}/${log.container}${log.previous ? ' (previous instance)' : ''}:`,
        ...tail.map((line) => `  ${line}`),
      );
    }
    if (diagnosis.events.length > 0)
      lines.push('Warning events:', ...diagnosis.events.map((event) => `- ${event}`));
  }
  return lines.join('\n');
}
