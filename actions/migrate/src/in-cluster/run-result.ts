import type { LogTail } from '../../../../shared/src/process/log-tail.ts';

/** What an in-cluster run did: the input of the outputs, the job summary and the failure message. */
export interface RunResult {
  mode: 'kubernetes-job' | 'ecs-task';
  /** Where it ran: `Job shop/web-migrate-1a2b3c4 (context prod, https://...)`, `task <arn> on cluster prod`. */
  where: string;
  /** The Job's name or the task's ARN. */
  id: string;
  /** The command that ran; undefined when the template's or task definition's own ran. */
  command: string[] | undefined;
  /** The container's exit code; undefined when it never ran to the end. */
  exitCode: number | undefined;
  /** Why it failed; undefined on success. */
  failure: string | undefined;
  tail: LogTail;
  durationMs: number;
  /** A kept Job (keep-job), to say so in the summary. */
  kept?: boolean;
}
