import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClientConfig,
  type GetLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { startAwsEmulator, type AwsEmulator } from './aws-emulator/index.ts';

/** The CloudWatch Logs emulator through the real CloudWatchLogsClient. */

const ACCOUNT = '123456789012';
const GROUP = '/ecs/migrate';
let emulator: AwsEmulator;
let client: CloudWatchLogsClient;

async function start(config: CloudWatchLogsClientConfig = {}): Promise<void> {
  emulator = await startAwsEmulator();
  client = new CloudWatchLogsClient({ ...emulator.clientConfig(), ...config });
}

afterEach(async () => {
  client.destroy();
  await emulator.close();
});

async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call succeeded');
  return error as Error & { $metadata: { httpStatusCode?: number } };
}

/** Creates a stream and writes `messages` to it, one millisecond apart from `from`. */
async function write(stream: string, messages: string[], from = Date.now() - 60_000): Promise<void> {
  if (!emulator.logs.group(GROUP)!.streams.has(stream)) {
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
  }
  await client.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: stream,
      logEvents: messages.map((message, index) => ({ timestamp: from + index, message })),
    }),
  );
}

async function read(input: Partial<GetLogEventsCommandInput>) {
  return client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', ...input }));
}

const messagesOf = (output: { events?: { message?: string }[] }): string[] =>
  (output.events ?? []).map((event) => event.message!);

describe('groups and streams', () => {
  beforeEach(() => start());

  it('creates a group and a stream, and records the calls under the signing name logs', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { team: 'core' } }));
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/1' }));
    expect(emulator.logs.group(GROUP)).toMatchObject({ region: 'eu-west-1', tags: { team: 'core' } });
    expect([...emulator.logs.group(GROUP)!.streams.keys()]).toEqual(['ecs/app/1']);
    expect(emulator.calls.map((call) => [call.service, call.operation])).toEqual([
      ['logs', 'CreateLogGroup'],
      ['logs', 'CreateLogStream'],
    ]);
  });

  it('refuses duplicates with ResourceAlreadyExistsException and names it cannot hold', async () => {
    emulator.logs.addLogGroup(GROUP);
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
    const group = await failure(client.send(new CreateLogGroupCommand({ logGroupName: GROUP })));
    expect([group.name, group.message]).toEqual([
      'ResourceAlreadyExistsException',
      'The specified log group already exists',
    ]);
    const stream = await failure(
      client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' })),
    );
    expect([stream.name, stream.message]).toEqual([
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    ]);
    const badGroup = await failure(client.send(new CreateLogGroupCommand({ logGroupName: 'no spaces' })));
    expect(badGroup.name).toBe('InvalidParameterException');
    const badStream = await failure(
      client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a:b' })),
    );
    expect(badStream.name).toBe('InvalidParameterException');
  });

  it('answers a missing group or stream with ResourceNotFoundException', async () => {
    const group = await failure(
      client.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 'a' })),
    );
    expect([group.name, group.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    ]);
    emulator.logs.addLogGroup(GROUP);
    const stream = await failure(read({ logStreamName: 'not-yet' }));
    expect([stream.name, stream.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    ]);
  });

  it('describes streams by name or by last event time, with a prefix, page by page', async () => {
    emulator.logs.addLogGroup(GROUP);
    const now = Date.now();
    await write('ecs/app/b', ['b'], now - 1000);
    await write('ecs/app/a', ['a'], now - 500);
    await write('other', ['o'], now - 2000);
    const first = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'ecs/', limit: 1 }),
    );
    const second = await client.send(
      new DescribeLogStreamsCommand({
        logGroupName: GROUP,
        logStreamNamePrefix: 'ecs/',
        limit: 1,
        nextToken: first.nextToken,
      }),
    );
    expect([...first.logStreams!, ...second.logStreams!].map((stream) => stream.logStreamName)).toEqual([
      'ecs/app/a',
      'ecs/app/b',
    ]);
    expect(second.nextToken).toBeUndefined();
    expect(first.logStreams![0]).toMatchObject({
      arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}:log-stream:ecs/app/a`,
      firstEventTimestamp: now - 500,
      lastEventTimestamp: now - 500,
      storedBytes: 0,
    });
    const latest = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', descending: true }),
    );
    expect(latest.logStreams!.map((stream) => stream.logStreamName)).toEqual([
      'ecs/app/a',
      'ecs/app/b',
      'other',
    ]);
    const refused = await failure(
      client.send(
        new DescribeLogStreamsCommand({
          logGroupName: GROUP,
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'e',
        }),
      ),
    );
    expect([refused.name, refused.message]).toEqual([
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    ]);
  });
});

describe('PutLogEvents', () => {
  beforeEach(async () => {
    await start();
    emulator.logs.addLogGroup(GROUP);
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
  });

  it('stores events and rejects, by index, those too old or too far in the future', async () => {
    const now = Date.now();
    const days14 = 14 * 24 * 3_600_000;
    const put = (events: [number, string][]) =>
      client.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'a',
          logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
        }),
      );
    const old = await put([
      [now - days14 - 60_000, 'expired'],
      [now - days14 + 60_000, 'old but kept'],
    ]);
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0 });
    expect(old.nextSequenceToken).toMatch(/^\d{56}$/);
    const future = await put([
      [now, 'kept'],
      [now + 3 * 3_600_000, 'from the future'],
    ]);
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    expect(emulator.logs.messages(GROUP, 'a')).toEqual(['old but kept', 'kept']);
    const wide = await failure(
      put([
        [now - days14 + 60_000, 'a'],
        [now, 'b'],
      ]),
    );
    expect(wide.message).toBe(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  });

  it('refuses a batch out of chronological order, an empty one, and a missing stream', async () => {
    const now = Date.now();
    const unordered = await failure(
      client.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'a',
          logEvents: [
            { timestamp: now, message: 'second' },
            { timestamp: now - 1, message: 'first' },
          ],
        }),
      ),
    );
    expect([unordered.name, unordered.message]).toEqual([
      'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.',
    ]);
    const empty = await failure(
      client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', logEvents: [] })),
    );
    expect(empty.name).toBe('InvalidParameterException');
    const missing = await failure(
      client.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'b',
          logEvents: [{ timestamp: now, message: 'x' }],
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('GetLogEvents', () => {
  beforeEach(async () => {
    await start();
    emulator.logs.addLogGroup(GROUP);
  });

  it('pages from the head with forward tokens; at the end the same token comes back', async () => {
    await write('a', ['1', '2', '3']);
    const first = await read({ startFromHead: true, limit: 2 });
    expect(messagesOf(first)).toEqual(['1', '2']);
    expect(first.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(first.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const second = await read({ startFromHead: true, limit: 2, nextToken: first.nextForwardToken });
    expect(messagesOf(second)).toEqual(['3']);
    const end = await read({ startFromHead: true, limit: 2, nextToken: second.nextForwardToken });
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    await write('a', ['4']);
    const more = await read({ startFromHead: true, nextToken: end.nextForwardToken });
    expect(messagesOf(more)).toEqual(['4']);
    expect(more.events![0]!.ingestionTime).toBeGreaterThanOrEqual(more.events![0]!.timestamp!);
  });

  it('returns the latest events without startFromHead, and pages back with backward tokens', async () => {
    await write('a', ['1', '2', '3', '4', '5']);
    const latest = await read({ limit: 2 });
    expect(messagesOf(latest)).toEqual(['4', '5']);
    const earlier = await read({ limit: 2, nextToken: latest.nextBackwardToken });
    expect(messagesOf(earlier)).toEqual(['2', '3']);
    const earliest = await read({ limit: 2, nextToken: earlier.nextBackwardToken });
    expect(messagesOf(earliest)).toEqual(['1']);
    const before = await read({ limit: 2, nextToken: earliest.nextBackwardToken });
    expect(before.events).toEqual([]);
    expect(before.nextBackwardToken).toBe(earliest.nextBackwardToken);
  });

  it('follows an empty stream from its start, and reads a time window, start inclusive, end exclusive', async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
    const empty = await read({ startFromHead: true });
    expect(empty.events).toEqual([]);
    const from = Date.now() - 10_000;
    await write('a', ['1', '2', '3', '4'], from);
    expect(messagesOf(await read({ startFromHead: true, nextToken: empty.nextForwardToken }))).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(messagesOf(await read({ startFromHead: true, startTime: from + 1, endTime: from + 3 }))).toEqual([
      '2',
      '3',
    ]);
  });

  it('accepts the group by ARN as logGroupIdentifier, and refuses a token it did not make', async () => {
    await write('a', ['1']);
    const byArn = await client.send(
      new GetLogEventsCommand({
        logGroupIdentifier: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${GROUP}`,
        logStreamName: 'a',
        startFromHead: true,
      }),
    );
    expect(messagesOf(byArn)).toEqual(['1']);
    const bad = await failure(read({ nextToken: 'f/123/s' }));
    expect(bad.name).toBe('InvalidParameterException');
  });
});

describe('FilterLogEvents', () => {
  beforeEach(async () => {
    await start();
    emulator.logs.addLogGroup(GROUP);
    const from = Date.now() - 60_000;
    await write('ecs/app/1', ['migrating users', 'ERROR users failed', 'done'], from);
    await write('ecs/app/2', ['migrating orders', 'WARN slow query'], from + 1);
  });

  it('interleaves the streams by time, with stream names and event ids', async () => {
    const { events, nextToken } = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(events!.map((event) => [event.logStreamName, event.message])).toEqual([
      ['ecs/app/1', 'migrating users'],
      ['ecs/app/1', 'ERROR users failed'],
      ['ecs/app/2', 'migrating orders'],
      ['ecs/app/1', 'done'],
      ['ecs/app/2', 'WARN slow query'],
    ]);
    expect(events![0]!.eventId).toMatch(/^\d{56}$/);
    expect(nextToken).toBeUndefined();
  });

  it('selects by stream names and start time, and matches terms of a filter pattern', async () => {
    const byName = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['ecs/app/2', 'ecs/app/9'] }),
    );
    expect(messagesOf(byName)).toEqual(['migrating orders', 'WARN slow query']);
    const start = byName.events![1]!.timestamp!;
    const since = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: start }));
    // Inclusive, and across streams.
    expect(messagesOf(since)).toEqual(['done', 'WARN slow query']);
    const cases: [string, string[]][] = [
      ['migrating', ['migrating users', 'migrating orders']],
      ['?ERROR ?WARN', ['ERROR users failed', 'WARN slow query']],
      ['"users failed"', ['ERROR users failed']],
      ['migrating -orders', ['migrating users']],
    ];
    for (const [filterPattern, expected] of cases) {
      const found = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }));
      expect([filterPattern, messagesOf(found)]).toEqual([filterPattern, expected]);
    }
  });

  it('pages with nextToken only while more events remain, and refuses names with a prefix', async () => {
    const first = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }));
    const second = await client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken: first.nextToken }),
    );
    expect([...messagesOf(first), ...messagesOf(second)]).toHaveLength(5);
    expect(second.nextToken).toBeUndefined();
    const both = await failure(
      client.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['a'], logStreamNamePrefix: 'e' }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');
  });
});

describe('faults', () => {
  it('retries throttling and a 5xx; one attempt surfaces ServiceUnavailableException', async () => {
    await start();
    emulator.logs.addLogGroup(GROUP);
    emulator.faults.inject({ operation: 'CreateLogStream', status: 429, times: 1 });
    emulator.faults.inject({ operation: 'CreateLogStream', status: 503, times: 1 });
    const output = await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
    expect(output.$metadata.attempts).toBe(3);
    const single = new CloudWatchLogsClient({ ...emulator.clientConfig(), maxAttempts: 1 });
    emulator.faults.inject({ status: 500, times: 1 });
    const error = await failure(single.send(new DescribeLogStreamsCommand({ logGroupName: GROUP })));
    single.destroy();
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ServiceUnavailableException', 500]);
  });
});
