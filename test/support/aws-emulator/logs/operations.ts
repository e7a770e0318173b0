import { catchingUp, type SimulatedClock } from '../core/clock.ts';
import {
  invalidParameter,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requiredString,
  validationError,
} from '../core/input.ts';
import { compileFilterPattern } from './filter-pattern.ts';
import { compare, eventKey, parseKey, readStream } from './reading.ts';
import type { LogGroup, LogStream, LogsState } from './state.ts';
import { paginate } from '../core/paging.ts';
import { AwsServiceError, type AwsService, type JsonObject, type Operation } from '../core/protocol.ts';

/**
 * Amazon CloudWatch Logs (2014-03-28) as the ECS actions use it: groups and streams, writing events
 * and reading them back by stream (GetLogEvents, with its forward and backward tokens) or across
 * streams (FilterLogEvents). Timestamps are epoch milliseconds, as in the real API.
 */

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;
const MAX_EVENTS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Events further in the future than this, or older than the retention limit, are rejected, not stored. */
const TOO_NEW_MS = 2 * 60 * 60 * 1000;
const TOO_OLD_MS = 14 * DAY_MS;

export function logsService(state: LogsState, clock: SimulatedClock): AwsService {
  const groupOf = (input: JsonObject): LogGroup => {
    const name = groupNameOf(input);
    const group = state.groups.get(name);
    if (!group) throw notFound('The specified log group does not exist.');
    return group;
  };
  const streamOf = (group: LogGroup, input: JsonObject): LogStream => {
    const stream = group.streams.get(requiredString(input, 'logStreamName'));
    if (!stream) throw notFound('The specified log stream does not exist.');
    return stream;
  };

  const operations: Record<string, Operation> = {
    CreateLogGroup: (input, context) => {
      const name = requiredString(input, 'logGroupName');
      if (!GROUP_NAME.test(name)) {
        throw validationError(
          'logGroupName',
          name,
          'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
        );
      }
      if (state.groups.has(name)) throw alreadyExists('The specified log group already exists');
      const tags = (optionalObject(input, 'tags') ?? {}) as Record<string, string>;
      state.createGroup(name, context.region, tags);
      return {};
    },

    CreateLogStream: (input) => {
      const group = groupOf(input);
      const name = requiredString(input, 'logStreamName');
      if (!STREAM_NAME.test(name)) {
        throw validationError(
          'logStreamName',
          name,
          'Member must satisfy regular expression pattern: [^:*]*',
        );
      }
      if (group.streams.has(name)) throw alreadyExists('The specified log stream already exists');
      state.createStream(group, name);
      return {};
    },

    PutLogEvents: (input) => {
      const stream = streamOf(groupOf(input), input);
      const events = logEventsOf(input);
      const now = clock.now();
      // Rejected at the edges, as the service does: old events lead the batch, new ones trail it.
      const tooOldEnd = events.findLastIndex((event) => event.timestamp < now - TOO_OLD_MS);
      const tooNewStart = events.findIndex((event) => event.timestamp > now + TOO_NEW_MS);
      const accepted = events.slice(tooOldEnd + 1, tooNewStart === -1 ? undefined : tooNewStart);
      state.append(stream, accepted);
      const rejected = {
        ...(tooOldEnd !== -1 && { tooOldLogEventEndIndex: tooOldEnd }),
        ...(tooNewStart !== -1 && { tooNewLogEventStartIndex: tooNewStart }),
      };
      return {
        // Sequence tokens are no longer checked by the service (since 2023), but still returned.
        nextSequenceToken: eventKey({ timestamp: now, sequence: stream.events.length }),
        ...(Object.keys(rejected).length > 0 && { rejectedLogEventsInfo: rejected }),
      };
    },

    GetLogEvents: (input) => {
      const stream = streamOf(groupOf(input), input);
      const page = readStream(stream.events, {
        startTime: optionalInteger(input, 'startTime', { min: 0 }),
        endTime: optionalInteger(input, 'endTime', { min: 0 }),
        limit: optionalInteger(input, 'limit', { min: 1, max: MAX_EVENTS }) ?? MAX_EVENTS,
        startFromHead: optionalBoolean(input, 'startFromHead') ?? false,
        nextToken: optionalString(input, 'nextToken'),
      });
      return {
        events: page.events.map(({ timestamp, message, ingestionTime }) => ({
          timestamp,
          message,
          ingestionTime,
        })),
        nextForwardToken: page.nextForwardToken,
        nextBackwardToken: page.nextBackwardToken,
      };
    },

    FilterLogEvents: (input) => {
      const group = groupOf(input);
      const names = optionalStringList(input, 'logStreamNames');
      const prefix = optionalString(input, 'logStreamNamePrefix');
      if (names && prefix !== undefined) {
        throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      }
      const startTime = optionalInteger(input, 'startTime', { min: 0 });
      const endTime = optionalInteger(input, 'endTime', { min: 0 });
      const limit = optionalInteger(input, 'limit', { min: 1, max: MAX_EVENTS }) ?? MAX_EVENTS;
      const matches = compileFilterPattern(optionalString(input, 'filterPattern'));
      const token = optionalString(input, 'nextToken');
      const after =
        token === undefined ? undefined : parseKey(Buffer.from(token, 'base64url').toString('utf8'));
      if (token !== undefined && !after) throw invalidParameter('The specified nextToken is invalid.');
      // A named stream that does not exist (yet) is searched and yields nothing, as a search should.
      const streams = [...group.streams.values()].filter((stream) =>
        names ? names.includes(stream.name) : prefix === undefined || stream.name.startsWith(prefix),
      );
      const found = streams
        .flatMap((stream) => stream.events.map((event) => ({ stream: stream.name, event })))
        .filter(
          ({ event }) =>
            (startTime === undefined || event.timestamp >= startTime) &&
            (endTime === undefined || event.timestamp < endTime) &&
            (after === undefined || compare(event, after) > 0) &&
            matches(event.message),
        )
        .sort((a, b) => compare(a.event, b.event));
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return {
        events: page.map(({ stream, event }) => ({
          logStreamName: stream,
          timestamp: event.timestamp,
          message: event.message,
          ingestionTime: event.ingestionTime,
          eventId: eventKey(event),
        })),
        ...(found.length > limit &&
          last && { nextToken: Buffer.from(eventKey(last.event)).toString('base64url') }),
      };
    },

    DescribeLogStreams: (input) => {
      const group = groupOf(input);
      const prefix = optionalString(input, 'logStreamNamePrefix');
      const orderBy = optionalString(input, 'orderBy') ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
        throw validationError(
          'orderBy',
          orderBy,
          'Member must satisfy enum value set: [LogStreamName, LastEventTime]',
        );
      }
      if (orderBy === 'LastEventTime' && prefix !== undefined) {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      const streams = [...group.streams.values()]
        .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
        .sort((a, b) =>
          orderBy === 'LogStreamName'
            ? a.name < b.name
              ? -1
              : a.name > b.name
                ? 1
                : 0
            : (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0),
        );
      if (optionalBoolean(input, 'descending')) streams.reverse();
      const page = paginate(streams, input, { size: 'limit', max: 50 });
      return {
        logStreams: page.items.map((stream) => describeStream(group, stream, state.accountId)),
        ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
      };
    },
  };

  return {
    name: 'logs',
    targetPrefix: 'Logs_20140328.',
    serverErrorType: 'ServiceUnavailableException',
    // Every call first lets running ECS tasks write what they have written by now.
    operations: catchingUp(clock, operations),
  };
}

/** `logGroupName`, or `logGroupIdentifier` (a name or an ARN): one of them, not both. */
function groupNameOf(input: JsonObject): string {
  const name = optionalString(input, 'logGroupName');
  const identifier = optionalString(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup identifier are mutually exclusive parameters.');
  }
  if (identifier !== undefined) {
    return /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier)?.[1] ?? identifier;
  }
  return requiredString(input, 'logGroupName');
}

function logEventsOf(input: JsonObject): { timestamp: number; message: string }[] {
  const events = optionalObjectList(input, 'logEvents') ?? [];
  if (events.length < 1 || events.length > MAX_EVENTS) {
    throw validationError('logEvents', undefined, `Member must have length between 1 and ${MAX_EVENTS}`);
  }
  const parsed = events.map((event, index) => {
    const field = `logEvents.${index + 1}.member`;
    const timestamp = optionalInteger(event, 'timestamp', { min: 0 });
    const message = optionalString(event, 'message');
    if (timestamp === undefined)
      throw validationError(`${field}.timestamp`, undefined, 'Member must not be null');
    if (!message)
      throw validationError(
        `${field}.message`,
        message,
        'Member must have length greater than or equal to 1',
      );
    return { timestamp, message };
  });
  if (parsed.some((event, index) => index > 0 && event.timestamp < parsed[index - 1]!.timestamp)) {
    throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }
  if (parsed.at(-1)!.timestamp - parsed[0]!.timestamp > DAY_MS) {
    throw invalidParameter(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }
  return parsed;
}

function describeStream(group: LogGroup, stream: LogStream, accountId: string): JsonObject {
  const first = stream.events[0];
  const last = stream.events.at(-1);
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    ...(first && { firstEventTimestamp: first.timestamp }),
    ...(last && { lastEventTimestamp: last.timestamp }),
    ...(stream.lastIngestionTime !== undefined && { lastIngestionTime: stream.lastIngestionTime }),
    arn: `arn:aws:logs:${group.region}:${accountId}:log-group:${group.name}:log-stream:${stream.name}`,
    // Deprecated and always 0 in the real API.
    storedBytes: 0,
  };
}

function notFound(message: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', message);
}

function alreadyExists(message: string): AwsServiceError {
  return new AwsServiceError('ResourceAlreadyExistsException', message);
}
