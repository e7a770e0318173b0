import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import { ActionError, CancelledError } from '../../../shared/src/errors.ts';
import {
  parseRetryAfter,
  retry,
  RetryExhaustedError,
  type RetryOptions,
  type RetryVerdict,
} from '../../../shared/src/async/retry.ts';
import { FakeClock } from '../helpers.ts';

class TransientError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

const classify = (error: unknown): RetryVerdict =>
  error instanceof TransientError
    ? { transient: true, reason: error.message, retryAfterMs: error.retryAfterMs }
    : { transient: false };

/** A fake clock whose sleep moves time on at once and records every delay. */
function harness(random = 0.5): {
  clock: FakeClock;
  delays: number[];
  options: Pick<RetryOptions, 'clock' | 'sleep' | 'random' | 'classify'>;
} {
  const clock = new FakeClock(0);
  const delays: number[] = [];
  return {
    clock,
    delays,
    options: {
      classify,
      clock,
      random: () => random,
      sleep: async (ms) => {
        delays.push(ms);
        clock.advance(ms);
      },
    },
  };
}

/** An operation that fails with the given errors in turn, then returns `value`. */
function failing<T>(errors: Error[], value: T): { fn: (attempt: number) => Promise<T>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    fn: async (attempt) => {
      calls.push(attempt);
      const error = errors[calls.length - 1];
      if (error) throw error;
      return value;
    },
  };
}

describe('retry', () => {
  it('succeeds after transient failures, numbering the attempts', async () => {
    const { options, delays } = harness(0.5);
    const { fn, calls } = failing([new TransientError('503'), new TransientError('reset')], 'done');
    await expect(retry(fn, { ...options, what: 'push', initialDelayMs: 100 })).resolves.toBe('done');
    expect(calls).toEqual([1, 2, 3]);
    expect(delays).toEqual([50, 100]);
  });

  it('returns at once when the first attempt succeeds', async () => {
    const { options, delays } = harness();
    await expect(retry(async () => 7, { ...options, what: 'x' })).resolves.toBe(7);
    expect(delays).toEqual([]);
  });

  it('rethrows a non-transient error at once, the same object', async () => {
    const { options, delays } = harness();
    const fatal = new ActionError('401 unauthorized');
    const { fn, calls } = failing([new TransientError('503'), fatal], 'never');
    await expect(retry(fn, { ...options, what: 'push' })).rejects.toBe(fatal);
    expect(calls).toEqual([1, 2]);
    expect(delays).toHaveLength(1);
  });

  it('gives up after `attempts` with the count and the last message', async () => {
    const { options, clock, delays } = harness(1);
    const errors = [
      new TransientError('503 first'),
      new TransientError('503 second'),
      new TransientError('503 last'),
    ];
    const { fn, calls } = failing(errors, 'never');
    const rejection = retry(fn, { ...options, what: 'push to registry', attempts: 3, initialDelayMs: 1000 });
    await expect(rejection).rejects.toBeInstanceOf(RetryExhaustedError);
    const error = (await rejection.catch((e: unknown) => e)) as RetryExhaustedError;
    expect(calls).toEqual([1, 2, 3]);
    expect(delays).toEqual([1000, 2000]);
    expect(clock.now()).toBe(3000);
    expect(error.attempts).toBe(3);
    expect(error.lastError).toBe(errors[2]);
    expect(error.cause).toBe(errors[2]);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toBe('push to registry failed after 3 attempts in 3s: 503 last');
  });

  it('with attempts: 1 does not retry at all', async () => {
    const { options, delays } = harness();
    const { fn, calls } = failing([new TransientError('503')], 'never');
    await expect(retry(fn, { ...options, what: 'x', attempts: 1 })).rejects.toMatchObject({ attempts: 1 });
    expect(calls).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it.each([
    ['Retry-After longer than the jitter wins', 0.5, 5000, 5000],
    ['jitter longer than Retry-After wins', 0.5, 100, 500],
    ['Retry-After with random 0', 0, 2500, 2500],
    ['Retry-After above maxDelayMs is still honoured', 1, 120_000, 120_000],
  ])('%s', async (_label, random, retryAfterMs, expected) => {
    const { options, delays } = harness(random);
    const { fn } = failing([new TransientError('429', retryAfterMs)], 'ok');
    await retry(fn, { ...options, what: 'x', initialDelayMs: 1000, maxDelayMs: 30_000 });
    expect(delays).toEqual([expected]);
  });

  it('with random 0, full jitter waits nothing at all', async () => {
    const { options, delays } = harness(0);
    const { fn } = failing(
      Array.from({ length: 5 }, () => new TransientError('x')),
      'ok',
    );
    await retry(fn, { ...options, what: 'x', initialDelayMs: 100, maxDelayMs: 1000 });
    expect(delays).toEqual([0, 0, 0, 0, 0]);
  });

  it('with random close to 1, full jitter waits the exponential, capped at maxDelayMs', async () => {
    const { options, delays } = harness(0.999999);
    const { fn } = failing(
      Array.from({ length: 7 }, () => new TransientError('x')),
      'ok',
    );
    await retry(fn, { ...options, what: 'x', initialDelayMs: 100, maxDelayMs: 1000 });
    const expected = [100, 200, 400, 800, 1000, 1000, 1000];
    expect(delays).toHaveLength(expected.length);
    delays.forEach((delay, i) => {
      expect(delay).toBeLessThanOrEqual(expected[i] as number);
      expect(delay).toBeCloseTo(expected[i] as number, 0);
    });
  });

  it('uses 500 ms doubling to 30 s by default', async () => {
    const { options, delays } = harness(1);
    const { fn } = failing(
      Array.from({ length: 8 }, () => new TransientError('x')),
      'ok',
    );
    await retry(fn, { ...options, what: 'x' });
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('stops before a sleep that would pass the deadline', async () => {
    const { options, clock, delays } = harness(1);
    const deadline = new Deadline(10_000, 'the registry', clock);
    const calls: number[] = [];
    const fn = async (attempt: number): Promise<never> => {
      calls.push(attempt);
      clock.advance(1000); // each attempt itself takes a second
      throw new TransientError(`503 #${attempt}`);
    };
    const error = (await retry(fn, { ...options, what: 'push', deadline, initialDelayMs: 1000 }).catch(
      (e: unknown) => e,
    )) as RetryExhaustedError;
    // t=1s fail, sleep 1s; t=3s fail, sleep 2s; t=6s fail, 4s sleep would end at the deadline: stop.
    expect(delays).toEqual([1000, 2000]);
    expect(calls).toEqual([1, 2, 3]);
    expect(clock.now()).toBeLessThanOrEqual(deadline.at);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.attempts).toBe(3);
    expect(error.message).toBe(
      'push failed after 3 attempts in 6s, the deadline of 10s leaves no time for another: 503 #3',
    );
  });

  it('stops when a Retry-After would pass the deadline', async () => {
    const { options, clock, delays } = harness(0);
    const deadline = new Deadline(60_000, 'x', clock);
    const { fn, calls } = failing([new TransientError('429', 120_000)], 'ok');
    await expect(retry(fn, { ...options, what: 'x', deadline })).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(calls).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it('does not start when the signal is already aborted', async () => {
    const { options } = harness();
    const reason = new CancelledError('Cancelled by SIGINT.');
    const { fn, calls } = failing([], 'ok');
    await expect(retry(fn, { ...options, what: 'x', signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(calls).toEqual([]);
  });

  it('stops before the next attempt when aborted between attempts', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    const { fn, calls } = failing([new TransientError('503'), new TransientError('503')], 'ok');
    const error = await retry(fn, {
      what: 'x',
      classify,
      signal: controller.signal,
      sleep: async () => controller.abort(reason),
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(calls).toEqual([1]);
  });

  it('neither retries nor reports an attempt that failed after the signal was aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    const calls: number[] = [];
    const retries: number[] = [];
    const error = await retry(
      async (attempt) => {
        calls.push(attempt);
        controller.abort(reason);
        throw new TransientError('Connection terminated unexpectedly');
      },
      { what: 'x', classify, signal: controller.signal, onRetry: ({ attempt }) => retries.push(attempt) },
    ).catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(calls).toEqual([1]);
    expect(retries).toEqual([]);
  });

  it('interrupts a real sleep when the signal is aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    const { fn, calls } = failing([new TransientError('503'), new TransientError('503')], 'ok');
    const started = performance.now();
    const running = retry(fn, {
      what: 'x',
      classify,
      signal: controller.signal,
      initialDelayMs: 60_000,
      random: () => 1,
      onRetry: () => setTimeout(() => controller.abort(reason), 5),
    });
    await expect(running).rejects.toBe(reason);
    expect(calls).toEqual([1]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('calls onRetry before each wait with the attempt, delay, reason and error', async () => {
    const { options } = harness(0.5);
    const errors = [new TransientError('503 Service Unavailable'), new TransientError('ECONNRESET', 3000)];
    const { fn } = failing(errors, 'ok');
    const events: unknown[] = [];
    await retry(fn, { ...options, what: 'x', initialDelayMs: 1000, onRetry: (event) => events.push(event) });
    expect(events).toEqual([
      { attempt: 1, delayMs: 500, reason: '503 Service Unavailable', error: errors[0] },
      { attempt: 2, delayMs: 3000, reason: 'ECONNRESET', error: errors[1] },
    ]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 5 ', 5000],
    ['1.5', 1500],
    ['Tue, 01 Jan 2030 00:00:30 GMT', 30_000],
    ['Tue, 01 Jan 2030 00:02:00 GMT', 120_000],
    ['Mon, 31 Dec 2029 23:59:00 GMT', 0],
  ])('%p is %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([['soon'], ['10 seconds'], ['abc'], [''], ['   '], [undefined], [null]])(
    '%p is undefined',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('measures an HTTP date from the current time by default', () => {
    const value = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(value) as number;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
