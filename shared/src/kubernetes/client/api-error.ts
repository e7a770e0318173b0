import { ActionError } from '../../errors.ts';
import type { RetryVerdict } from '../../async/retry.ts';
import { parseRetryAfter } from '../../async/retry.ts';
import { isTlsErrorCode, networkErrorCode } from '../../net/network-errors.ts';
import { isRecord } from '../object.ts';

/**
 * Failures of Kubernetes API calls, carrying what the API server said in its `Status` body
 * (reason, message, causes) so messages quote the server rather than a bare status code.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export class KubernetesApiError extends ActionError {
  readonly status: number;
  /** Status.reason: NotFound, AlreadyExists, Conflict, Invalid, Gone, TooManyRequests... */
  readonly reason: string;
  readonly serverMessage: string;
  readonly causes: StatusCause[];
  readonly retryAfterMs: number | undefined;

  constructor(
    what: string,
    response: { status: number; body: string; retryAfter?: string | null },
    options: { hint?: string } = {},
  ) {
    const parsed = parseStatus(response.body);
    const reason = parsed.reason ?? defaultReason(response.status);
    const serverMessage = parsed.message ?? oneLine(response.body).slice(0, 300);
    super(
      `${what} failed: ${response.status} ${reason}${serverMessage ? `: ${serverMessage}` : ''}`,
      options,
    );
    this.name = 'KubernetesApiError';
    this.status = response.status;
    this.reason = reason;
    this.serverMessage = serverMessage;
    this.causes = parsed.causes;
    this.retryAfterMs = parseRetryAfter(response.retryAfter ?? undefined);
  }
}

/** The connection failed before an answer: refused, reset, timed out, TLS or DNS. */
export class KubernetesConnectionError extends ActionError {
  readonly code: string;
  readonly transient: boolean;

  constructor(what: string, server: string, cause: unknown, timedOut = false) {
    const code = timedOut ? 'TIMEOUT' : networkErrorCode(cause);
    const tls = isTlsErrorCode(code);
    super(`${what} failed: ${describeCode(code, cause)} (API server ${server})`, {
      cause,
      hint: tls
        ? 'the API server certificate is not trusted: give the cluster CA as certificate-authority-data in the kubeconfig'
        : undefined,
    });
    this.name = 'KubernetesConnectionError';
    this.code = code;
    this.transient = !tls && code !== 'ENOTFOUND';
  }
}

/** For `retry`: 429 and 5xx (with Retry-After honoured) and dropped connections; never 4xx answers. */
export function classifyKubernetesFailure(error: unknown): RetryVerdict {
  if (error instanceof KubernetesApiError) {
    if (error.status === 429 || (error.status >= 500 && error.status !== 501)) {
      return {
        transient: true,
        reason: `${error.status} ${error.reason}`,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      };
    }
    return { transient: false };
  }
  if (error instanceof KubernetesConnectionError && error.transient) {
    return { transient: true, reason: error.message };
  }
  return { transient: false };
}

interface ParsedStatus {
  reason?: string;
  message?: string;
  causes: StatusCause[];
}

function parseStatus(body: string): ParsedStatus {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { causes: [] };
  }
  if (!isRecord(parsed) || parsed.kind !== 'Status') return { causes: [] };
  const details = isRecord(parsed.details) ? parsed.details : {};
  const causes = Array.isArray(details.causes) ? details.causes.filter(isRecord) : [];
  return {
    reason: typeof parsed.reason === 'string' && parsed.reason ? parsed.reason : undefined,
    message: typeof parsed.message === 'string' ? oneLine(parsed.message) : undefined,
    causes: causes.map((cause) => ({
      reason: typeof cause.reason === 'string' ? cause.reason : undefined,
      message: typeof cause.message === 'string' ? cause.message : undefined,
      field: typeof cause.field === 'string' ? cause.field : undefined,
    })),
  };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function defaultReason(status: number): string {
  return REASONS[status] ?? `HTTP ${status}`;
}

const DESCRIPTIONS: Record<string, string> = {
  TIMEOUT: 'no answer in time',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
};

function describeCode(code: string, cause: unknown): string {
  const known = DESCRIPTIONS[code];
  if (known) return known;
  if (code) return `${code}: ${causeMessage(cause)}`;
  return causeMessage(cause);
}

function causeMessage(error: unknown): string {
  let deepest = '';
  for (let current = error; isRecord(current); current = current.cause) {
    if (typeof current.message === 'string' && current.message) deepest = current.message;
  }
  return deepest || String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
