import { errorMessage } from '../errors.ts';
import { parseRetryAfter, type RetryVerdict } from '../async/retry.ts';

/**
 * Which GitHub API failures are worth another attempt (GitHub's "Best practices for using the REST
 * API"): 5xx answers and dropped connections; a secondary rate limit (403 or 429 with Retry-After,
 * or the "secondary rate limit" message, which means one minute without the header); a primary
 * rate limit only when it resets soon enough for the deadline to allow, which the retry decides.
 * 401, 404, 422 and a 403 "Resource not accessible by integration" are final.
 */
export interface GitHubFailure {
  status: number | undefined;
  /** False when no answer came at all (refused, reset, timed out). */
  answered: boolean;
  headers: Record<string, string | undefined>;
  message: string;
}

/** Reads an Octokit RequestError (or anything thrown by fetch) by shape. */
export function gitHubFailure(error: unknown): GitHubFailure {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const response = record.response as { headers?: Record<string, string | undefined> } | undefined;
  return {
    status: typeof record.status === 'number' ? record.status : undefined,
    answered: response !== undefined,
    headers: response?.headers ?? {},
    message: oneLine(errorMessage(error)),
  };
}

const SECONDARY_WITHOUT_HEADER_MS = 60_000;

export function classifyGitHubFailure(error: unknown, now: number = Date.now()): RetryVerdict {
  if (isAbort(error)) return { transient: false };
  const { status, answered, headers, message } = gitHubFailure(error);
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  if (status === undefined) return { transient: false };
  if (status === 403 || status === 429) {
    if (retryAfterMs !== undefined)
      return { transient: true, reason: `${status} rate limited`, retryAfterMs };
    if (/secondary rate limit/i.test(message)) {
      return {
        transient: true,
        reason: `${status} secondary rate limit`,
        retryAfterMs: SECONDARY_WITHOUT_HEADER_MS,
      };
    }
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
      const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now;
      return {
        transient: true,
        reason: `${status} rate limit exhausted`,
        retryAfterMs: Math.max(0, resetMs),
      };
    }
    return { transient: false };
  }
  // Octokit reports a connection that failed (no answer at all) as status 500 without a response.
  if (status >= 500) return { transient: true, reason: answered ? `${status} ${message}` : message };
  return { transient: false };
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
