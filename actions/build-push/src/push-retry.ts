import type { Deadline } from '../../../shared/src/async/deadline.ts';
import { formatDuration } from '../../../shared/src/formats/duration.ts';
import { ExecError } from '../../../shared/src/process/exec.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { retry, type RetryVerdict } from '../../../shared/src/async/retry.ts';

/**
 * Pushing is safe to repeat (blobs and manifests are content-addressed), so a push that failed on a
 * registry's bad moment — a 5xx, a 429, a dropped connection — is tried again with backoff until the
 * deadline. Only the builder's own words tell what happened, so the verdict reads its stderr.
 */

/** The registry refused the push for a reason another attempt will not change. */
const FINAL = [
  /\bunauthorized\b/i,
  /\bdenied\b/i,
  /\bmanifest invalid\b/i,
  /\bname unknown\b/i,
  /\bimmutable\b/i,
  /\btag invalid\b/i,
  /\bcannot be overwritten\b/i,
];

const TRANSIENT: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /\b429 Too Many Requests\b|\btoomanyrequests\b/i,
    reason: 'the registry is rate limiting (429)',
  },
  // A bare "503" would also match inside a digest's hex; a status is always next to words that say so.
  {
    pattern:
      /\b(?:HTTP(?:\/[\d.]+)?|status(?: code)?:?)\s*(429|500|502|503|504)\b|\b(500|502|503|504) [A-Z][a-z]+/,
    reason: 'the registry answered with a server error',
  },
  { pattern: /\bconnection refused\b/i, reason: 'the registry refused the connection' },
  { pattern: /\bconnection reset\b/i, reason: 'the connection was reset' },
  { pattern: /\bi\/o timeout\b/i, reason: 'the network timed out' },
  { pattern: /\bTLS handshake timeout\b/i, reason: 'the TLS handshake timed out' },
  { pattern: /\bunexpected EOF\b/i, reason: 'the connection ended early' },
];

export function classifyPushFailure(error: unknown): RetryVerdict {
  if (!(error instanceof ExecError)) return { transient: false };
  // The message repeats the command line, whose image names could hold any word: read the output.
  const text = error.stderrTail.length > 0 ? error.stderrTail.join('\n') : error.message;
  if (FINAL.some((pattern) => pattern.test(text))) return { transient: false };
  const match = TRANSIENT.find(({ pattern }) => pattern.test(text));
  return match ? { transient: true, reason: match.reason } : { transient: false };
}

export interface PushRetryOptions {
  deadline: Deadline;
  signal: AbortSignal;
  /** Narrows which failures are retried (a builder that pushes as part of a build tells the two apart). */
  classify?: (error: unknown) => RetryVerdict;
}

/**
 * Runs `push` until it succeeds, fails for good, or the deadline leaves no time for another attempt.
 * Each attempt gets a signal that aborts at the deadline, so a push hanging on a dead registry is
 * stopped then, with the deadline's error, instead of outliving it.
 */
export async function pushWithRetry<T>(
  what: string,
  push: (signal: AbortSignal) => Promise<T>,
  options: PushRetryOptions,
): Promise<T> {
  const { deadline, signal } = options;
  let lastFailure: string | undefined;
  return retry(
    () => withDeadline(deadline, () => deadline.error(deadlineSubject(what, lastFailure)), signal, push),
    {
      what,
      classify: options.classify ?? classifyPushFailure,
      deadline,
      signal,
      onRetry: ({ attempt, delayMs, reason }) => {
        lastFailure = reason;
        log.warning(
          `${what}: attempt ${attempt} failed (${reason}); trying again in ${formatDuration(delayMs)}`,
        );
      },
    },
  );
}

/** Why the attempt cut short by the deadline was needed at all, when an earlier one failed. */
function deadlineSubject(what: string, lastFailure: string | undefined): string {
  return lastFailure === undefined ? what : `${what} (the attempt before failed: ${lastFailure})`;
}

async function withDeadline<T>(
  deadline: Deadline,
  deadlineError: () => Error,
  signal: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort(signal.reason);
  const timer = setTimeout(() => controller.abort(deadlineError()), deadline.remaining());
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (signal.aborted) stop();
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}
