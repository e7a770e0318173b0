import type { SimulatedClock } from '../core/clock.ts';

/**
 * What the CloudWatch Logs emulator holds: groups of streams of events, each stream kept in the order
 * GetLogEvents reads it (by timestamp, then by arrival). Timestamps are epoch milliseconds, as in the
 * Logs API. Events arrive through PutLogEvents or from the ECS emulator's awslogs driver.
 */

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Arrival order across the whole emulator: breaks timestamp ties and makes tokens and event ids. */
  sequence: number;
}

export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
  lastIngestionTime?: number;
}

export interface LogGroup {
  name: string;
  /** The region of the request (or task) that created it, for its ARN. */
  region: string;
  creationTime: number;
  tags: Record<string, string>;
  streams: Map<string, LogStream>;
}

export class LogsState {
  readonly accountId: string;
  readonly groups = new Map<string, LogGroup>();
  private readonly clock: SimulatedClock;
  private sequence = 0;

  constructor(clock: SimulatedClock, accountId: string) {
    this.clock = clock;
    this.accountId = accountId;
  }

  /** Seeds a group, as CreateLogGroup would; throws when it exists. */
  addLogGroup(name: string, region = 'eu-west-1'): LogGroup {
    if (this.groups.has(name)) throw new Error(`the emulator already has log group ${name}`);
    return this.createGroup(name, region, {});
  }

  group(name: string): LogGroup | undefined {
    this.clock.catchUp();
    return this.groups.get(name);
  }

  /** The messages of one stream in reading order, for assertions; empty when there is no such stream. */
  messages(groupName: string, streamName: string): string[] {
    return (this.group(groupName)?.streams.get(streamName)?.events ?? []).map((event) => event.message);
  }

  createGroup(name: string, region: string, tags: Record<string, string>): LogGroup {
    const group: LogGroup = { name, region, creationTime: this.clock.now(), tags, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  createStream(group: LogGroup, name: string): LogStream {
    const stream: LogStream = { name, creationTime: this.clock.now(), events: [] };
    group.streams.set(name, stream);
    return stream;
  }

  /** Stores events (already checked) in reading order, ingested now. */
  append(stream: LogStream, events: { timestamp: number; message: string }[]): void {
    const ingestionTime = this.clock.now();
    for (const { timestamp, message } of events) {
      const event: LogEvent = { timestamp, message, ingestionTime, sequence: ++this.sequence };
      // Usually the newest: a search from the end is one step.
      let index = stream.events.length;
      while (index > 0 && stream.events[index - 1]!.timestamp > timestamp) index -= 1;
      stream.events.splice(index, 0, event);
    }
    if (events.length > 0) stream.lastIngestionTime = ingestionTime;
  }
}
