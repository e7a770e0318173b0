import { formatDuration } from '../formats/duration.ts';
import { systemClock, type Clock, type Deadline } from './deadline.ts';
import { ActionError, errorMessage } from '../errors.ts';
import { sleep as defaultSleep, throwIfAborted } from './sleep.ts';

/**
 * Retries an operation that is safe to repeat, with exponential backoff and full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"), honouring a server's Retry-After, never
 * waiting past the deadline, and only for the failures `classify` calls transient.
 */

export type RetryVerdict = { transient: false } | { transient: true; reason: string; retryAfterMs?: number };

export interface RetryOptions {
  /** What is being tried, for messages: "push to registry.example.com". */
  what: string;
  classify: (error: unknown) => RetryVerdict;
  /** Attempts in all, the first included. Default: unlimited, bounded by the deadline. */
  attempts?: number;
  deadline?: Deadline;
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (event: { attempt: number; delayMs: number; reason: string; error: unknown }) => void;
  clock?: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export class RetryExhaustedError extends ActionError {
  readonly attempts: number;
  readonly lastError: unknown;

  constructor(message: string, attempts: number, lastError: unknown) {
    super(message, { cause: lastError });
    this.name = 'RetryExhaustedError';
    this.attempts = attempts;
    this.lastError = lastError;
  }
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const {
    attempts = Number.POSITIVE_INFINITY,
    initialDelayMs = 500,
    maxDelayMs = 30_000,
    clock = systemClock,
    sleep = defaultSleep,
    random = Math.random,
  } = options;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      // An attempt that failed once the signal was aborted: the abort is the answer, not a retry
      // (nor a "retrying" line after whatever aborted it).
      throwIfAborted(options.signal);
      const verdict = options.classify(error);
      if (!verdict.transient) throw error;
      const backoff = random() * Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.max(backoff, verdict.retryAfterMs ?? 0);
      const elapsed = formatDuration(clock.now() - started);
      if (attempt >= attempts) {
        throw new RetryExhaustedError(
          `${options.what} failed after ${attempt} attempts in ${elapsed}: ${errorMessage(error)}`,
          attempt,
          error,
        );
      }
      if (options.deadline && delayMs >= options.deadline.remaining()) {
        throw new RetryExhaustedError(
          `${options.what} failed after ${attempt} attempts in ${elapsed}, the deadline of ` +
            `${formatDuration(options.deadline.timeoutMs)} leaves no time for another: ${errorMessage(error)}`,
          attempt,
          error,
        );
      }
      options.onRetry?.({ attempt, delayMs, reason: verdict.reason, error });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(
  value: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // Delta-seconds are whole by the RFC; a fraction some servers send is still seconds, not a date.
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
