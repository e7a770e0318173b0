import { performance } from 'node:perf_hooks';
import { Agent, request, type Dispatcher } from 'undici';
import { formatDuration } from '../formats/duration.ts';
import { ActionError, errorMessage } from '../errors.ts';
import type { RetryVerdict } from '../async/retry.ts';
import { isTlsErrorCode, networkErrorCode } from './network-errors.ts';
import { abortReason } from '../async/sleep.ts';
import { isCredentialName, urlForMessages } from '../runner/secrets.ts';
import { TimeoutScheduler } from '../async/timeout-scheduler.ts';

/**
 * HTTP on undici with what deployment tooling needs and fetch does not give: a deadline per request
 * covering the body too, a custom CA or an explicit opt-out of verification, redirects followed by
 * hand (so they can be counted, refused, or caught looping) and failures named for people.
 */

export interface TlsOptions {
  /** PEM bundle trusted in addition to nothing else: the service's own CA. */
  ca?: string;
  /** Skip certificate verification; only ever from an explicit user input. */
  insecure?: boolean;
}

export interface HttpRequestOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Covers connecting, headers and the whole body. */
  timeoutMs: number;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Bodies are read up to this many bytes; the rest is discarded. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: string[];
  latencyMs: number;
}

export type HttpFailureKind =
  | 'timeout'
  | 'connection-refused'
  | 'connection-reset'
  | 'dns'
  | 'tls'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'other';

export class HttpRequestError extends ActionError {
  readonly kind: HttpFailureKind;
  readonly latencyMs: number;

  constructor(kind: HttpFailureKind, message: string, latencyMs: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'HttpRequestError';
    this.kind = kind;
    this.latencyMs = latencyMs;
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  private readonly agent: Agent;
  private readonly timeouts = new TimeoutScheduler();

  constructor(tls: TlsOptions = {}, options: { connectionsPerOrigin?: number } = {}) {
    this.agent = new Agent({
      connect: { ca: tls.ca, rejectUnauthorized: !tls.insecure },
      connections: options.connectionsPerOrigin ?? null,
    });
  }

  async request(options: HttpRequestOptions): Promise<HttpResponse> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const started = performance.now();
    // One controller per request and one timer for all requests: AbortSignal.any over a long-lived
    // signal would keep a dependent signal per request alive, and a timer each costs more than a
    // request to a fast service.
    const controller = new AbortController();
    let timedOut = false;
    const cancelTimeout = this.timeouts.schedule(options.timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    const onCancel = (): void => controller.abort();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    const signal = controller.signal;
    const maxRedirects = options.maxRedirects ?? 10;
    const redirects: string[] = [];
    let url = options.url;
    let method = (options.method ?? 'GET').toUpperCase();
    let body = options.body;
    let headers = { ...options.headers };
    try {
      for (;;) {
        const response = await request(url, {
          method: method as 'GET',
          headers,
          body,
          signal,
          dispatcher: this.agent,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
        const location = response.headers.location;
        if (options.followRedirects !== false && REDIRECT_STATUSES.has(response.statusCode) && location) {
          await response.body.dump();
          const next = new URL(String(location), url).toString();
          if (next === options.url || redirects.includes(next)) {
            throw new HttpRequestError(
              'redirect-loop',
              `redirect loop: ${[url, next].map(urlForMessages).join(' -> ')}`,
              elapsed(started),
            );
          }
          if (redirects.length >= maxRedirects) {
            throw new HttpRequestError(
              'too-many-redirects',
              `more than ${maxRedirects} redirects`,
              elapsed(started),
            );
          }
          if (new URL(next).origin !== new URL(url).origin) headers = withoutCredentials(headers);
          if (
            response.statusCode === 303 ||
            ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
          ) {
            method = 'GET';
            body = undefined;
            headers = withoutBodyHeaders(headers);
          }
          redirects.push(next);
          url = next;
          continue;
        }
        const { text, truncated } = await readBody(response, options.maxBodyBytes ?? 1024 * 1024);
        return {
          status: response.statusCode,
          headers: flattenHeaders(response.headers),
          body: text,
          bodyTruncated: truncated,
          url,
          redirects,
          latencyMs: elapsed(started),
        };
      }
    } catch (error) {
      if (error instanceof HttpRequestError) throw error;
      if (options.signal?.aborted) throw abortReason(options.signal);
      throw describeFailure(error, options.timeoutMs, elapsed(started), timedOut);
    } finally {
      cancelTimeout();
      options.signal?.removeEventListener('abort', onCancel);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** For `retry`: network failures that a later attempt may not meet; TLS and redirect errors are final. */
export function classifyHttpFailure(error: unknown): RetryVerdict {
  if (!(error instanceof HttpRequestError)) return { transient: false };
  const transient: HttpFailureKind[] = ['timeout', 'connection-refused', 'connection-reset', 'dns'];
  return transient.includes(error.kind) ? { transient: true, reason: error.message } : { transient: false };
}

/** 429 and 5xx are worth another try; everything else is the answer. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

function describeFailure(
  error: unknown,
  timeoutMs: number,
  latencyMs: number,
  timedOut: boolean,
): HttpRequestError {
  const code = networkErrorCode(error);
  const message = errorMessage(error);
  if (timedOut || (code.startsWith('UND_ERR_') && code.endsWith('_TIMEOUT'))) {
    return new HttpRequestError(
      'timeout',
      `no complete response within ${formatDuration(timeoutMs)}`,
      latencyMs,
      error,
    );
  }
  if (code === 'ECONNREFUSED')
    return new HttpRequestError('connection-refused', 'connection refused', latencyMs, error);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return new HttpRequestError('connection-reset', `connection reset (${message})`, latencyMs, error);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new HttpRequestError('dns', `host name not found (${message})`, latencyMs, error);
  }
  if (isTlsErrorCode(code)) {
    return new HttpRequestError('tls', `TLS verification failed: ${code} (${message})`, latencyMs, error);
  }
  return new HttpRequestError('other', message, latencyMs, error);
}

/** A body that declares a length within the limit is read in one go; others are streamed up to it. */
async function readBody(
  response: Dispatcher.ResponseData,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared <= maxBytes) {
    return { text: await response.body.text(), truncated: false };
  }
  return readLimited(response.body, maxBytes);
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^content-(type|length|encoding)$/i.test(name)),
  );
}

/**
 * Credentials are not forwarded to another origin, as browsers and fetch do with Authorization and
 * Cookie; here every header with a credential's name goes (X-Api-Key, X-Auth-Token, ...).
 */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isCredentialName(name)));
}

function elapsed(started: number): number {
  return performance.now() - started;
}
