import type { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogTail } from '../process/log-tail.ts';

/**
 * Copies an awslogs stream to the step log with GetLogEvents and its forward token: each call
 * returns only what came after the previous one, a page at a time, so nothing piles up in memory.
 * The stream appears when the container starts; until then there is nothing to read.
 */

export interface AwslogsStream {
  group: string;
  stream: string;
  region: string | undefined;
}

export class TaskLogs {
  private readonly client: CloudWatchLogsClient;
  private readonly stream: AwslogsStream;
  private readonly tail: LogTail;
  private readonly getLogEvents: typeof GetLogEventsCommand;
  private token: string | undefined;

  constructor(
    client: CloudWatchLogsClient,
    command: typeof GetLogEventsCommand,
    stream: AwslogsStream,
    tail: LogTail,
  ) {
    this.client = client;
    this.getLogEvents = command;
    this.stream = stream;
    this.tail = tail;
  }

  /** Reads everything new, page by page, until the stream has nothing more for now. */
  async poll(signal?: AbortSignal): Promise<void> {
    for (;;) {
      let answer;
      try {
        answer = await this.client.send(
          new this.getLogEvents({
            logGroupName: this.stream.group,
            logStreamName: this.stream.stream,
            startFromHead: true,
            ...(this.token && { nextToken: this.token }),
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return;
        throw error;
      }
      for (const event of answer.events ?? []) {
        for (const line of (event.message ?? '').split(/\r?\n/)) this.tail.line(line);
      }
      const next = answer.nextForwardToken;
      // The same token back means the end of the stream for now.
      if (!next || next === this.token) return;
      this.token = next;
      if ((answer.events ?? []).length === 0) return;
    }
  }
}
