import { request, type Dispatcher } from 'undici';
import type { Deadline } from '../../async/deadline.ts';
import { ActionError } from '../../errors.ts';
import { retry } from '../../async/retry.ts';
import { abortReason } from '../../async/sleep.ts';
import { classifyKubernetesFailure, KubernetesApiError, KubernetesConnectionError } from './api-error.ts';
import { KubeCredentials } from './credentials.ts';
import { createDispatcher } from './dispatcher.ts';
import type { KubeconfigSource } from './kubeconfig.ts';
import type { KubeObject } from '../object.ts';
import { parseWarningHeader } from './warning-header.ts';

/**
 * The Kubernetes client factory: @kubernetes/client-node for what it does well (reading kubeconfig
 * entries, tokens, exec and auth-provider plugins: see credentials.ts, which loads only those parts
 * of it), and requests built here from raw JSON on undici, so no typed model ever sees an object
 * and no field is lost on the way (#2962). Loaded only after the inputs have been read and checked.
 */

export type HttpMethod = 'GET' | 'PATCH' | 'PUT' | 'POST' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** `/apis/apps/v1/namespaces/shop/deployments/web` */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  /** What the call does, for messages: `apply Deployment/shop/web`. */
  what?: string;
  signal?: AbortSignal;
  /** Retries stop when it leaves no time for another attempt. */
  deadline?: Deadline;
  /** Retry 429, 5xx and dropped connections. Default true: every call Gantry makes is idempotent. */
  retry?: boolean;
  timeoutMs?: number;
  /** Each `Warning` the API server sent with the answer (deprecated API, ignored field), as kubectl prints them. */
  onWarning?: (text: string) => void;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export interface WatchOptions {
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  onEvent: (event: WatchEvent) => void;
  /** The connection counts as dropped when nothing arrives for this long. Default: 90s. */
  idleTimeoutMs?: number;
}

export interface ApiCallStats {
  total: number;
  /** `GET`, `PATCH`, `WATCH` (a watch connection), ... */
  byVerb: Record<string, number>;
}

export interface KubernetesClient {
  readonly server: string;
  readonly context: string;
  /** The kubeconfig context's namespace. */
  readonly namespace: string | undefined;
  readonly calls: ApiCallStats;
  requestJson<T = KubeObject>(options: RequestOptions): Promise<T>;
  requestText(options: RequestOptions): Promise<string>;
  /** GET that answers undefined for 404. */
  getObject(path: string, options?: Omit<RequestOptions, 'path' | 'method'>): Promise<KubeObject | undefined>;
  /**
   * One watch connection: resolves when the server ends it (its timeoutSeconds passed), rejects
   * with a KubernetesApiError for an error answer, a KubernetesConnectionError when it drops.
   */
  watch(path: string, options: WatchOptions): Promise<void>;
  close(): Promise<void>;
}

export interface KubernetesClientOptions {
  requestTimeoutMs?: number;
  attempts?: number;
  onRetry?: (message: string) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ATTEMPTS = 6;
const WATCH_IDLE_MS = 90_000;

export async function createKubernetesClient(
  source: KubeconfigSource,
  options: KubernetesClientOptions = {},
): Promise<KubernetesClient> {
  return new UndiciKubernetesClient(await KubeCredentials.load(source), source, options);
}

class UndiciKubernetesClient implements KubernetesClient {
  readonly server: string;
  readonly context: string;
  readonly namespace: string | undefined;
  readonly calls: ApiCallStats = { total: 0, byVerb: {} };
  private readonly credentials: KubeCredentials;
  private readonly options: KubernetesClientOptions;
  /**
   * Made with the first request's credentials and kept for every request, so calls share
   * keep-alive connections and TLS sessions (client-node would build a new pool each time).
   */
  private dispatcher: Promise<Dispatcher> | undefined;
  /** Requests in flight and how to detach each from its caller's signal. */
  private readonly open = new Map<AbortController, () => void>();

  constructor(credentials: KubeCredentials, source: KubeconfigSource, options: KubernetesClientOptions) {
    this.credentials = credentials;
    this.options = options;
    this.server = source.server.replace(/\/+$/, '');
    this.context = source.context;
    this.namespace = source.namespace;
  }

  async requestJson<T = KubeObject>(options: RequestOptions): Promise<T> {
    const text = await this.requestText(options);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubernetesConnectionError(
        describe(options),
        this.server,
        new Error('the answer is not JSON'),
      );
    }
  }

  async getObject(
    path: string,
    options: Omit<RequestOptions, 'path' | 'method'> = {},
  ): Promise<KubeObject | undefined> {
    try {
      return await this.requestJson<KubeObject>({ ...options, path, method: 'GET' });
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async requestText(options: RequestOptions): Promise<string> {
    const once = (): Promise<string> => this.send(options);
    if (options.retry === false) return once();
    return retry(once, {
      what: describe(options),
      classify: classifyKubernetesFailure,
      attempts: this.options.attempts ?? DEFAULT_ATTEMPTS,
      deadline: options.deadline,
      signal: options.signal,
      initialDelayMs: 250,
      maxDelayMs: 10_000,
      onRetry: ({ attempt, delayMs, reason }) =>
        this.options.onRetry?.(
          `${describe(options)}: ${reason}; attempt ${attempt + 1} in ${Math.round(delayMs)} ms`,
        ),
    });
  }

  private async send(options: RequestOptions): Promise<string> {
    const method = options.method ?? 'GET';
    const controller = this.controller(options.signal);
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      options.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    try {
      const prepared = await this.prepare(options.path, options.query);
      if (options.body !== undefined) {
        prepared.headers['Content-Type'] = options.contentType ?? 'application/json';
      }
      this.count(method);
      const response = await request(prepared.url, {
        method,
        headers: prepared.headers,
        body: options.body,
        dispatcher: prepared.dispatcher,
        signal: controller.signal,
      });
      const body = await response.body.text();
      for (const text of parseWarningHeader(header(response.headers, 'warning'))) options.onWarning?.(text);
      if (response.statusCode >= 400) {
        throw new KubernetesApiError(describe(options), {
          status: response.statusCode,
          body,
          retryAfter: header(response.headers, 'retry-after'),
        });
      }
      return body;
    } catch (error) {
      throw this.failure(error, options, controller, timedOut);
    } finally {
      clearTimeout(timer);
      this.release(controller);
    }
  }

  async watch(path: string, options: WatchOptions): Promise<void> {
    const controller = this.controller(options.signal);
    const idleMs = options.idleTimeoutMs ?? WATCH_IDLE_MS;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const resetIdle = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, idleMs);
    };
    const what = `watch ${path}`;
    try {
      resetIdle();
      const prepared = await this.prepare(path, { ...options.query, watch: 'true' });
      this.count('WATCH');
      const response = await request(prepared.url, {
        headers: prepared.headers,
        dispatcher: prepared.dispatcher,
        signal: controller.signal,
      });
      if (response.statusCode !== 200) {
        throw new KubernetesApiError(what, {
          status: response.statusCode,
          body: await response.body.text(),
          retryAfter: header(response.headers, 'retry-after'),
        });
      }
      const stream = response.body;
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of stream) {
        resetIdle();
        buffered += decoder.decode(chunk, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) options.onEvent(JSON.parse(line) as WatchEvent);
          newline = buffered.indexOf('\n');
        }
      }
    } catch (error) {
      throw this.failure(error, { path, what }, controller, timedOut);
    } finally {
      clearTimeout(timer);
      this.release(controller);
    }
  }

  async close(): Promise<void> {
    for (const controller of this.open.keys()) controller.abort();
    const dispatcher = await this.dispatcher?.catch(() => undefined);
    await dispatcher?.destroy();
  }

  /** KubeConfig.applySecurityAuthentication's work: credentials (renewed when they expire) and TLS. */
  private async prepare(
    path: string,
    query: RequestOptions['query'],
  ): Promise<{ url: string; headers: Record<string, string>; dispatcher: Dispatcher }> {
    const url = new URL(this.server + path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const credentials = await this.credentials.apply();
    this.dispatcher ??= createDispatcher(credentials.connection);
    return {
      url: url.toString(),
      headers: { ...credentials.headers, Accept: 'application/json', 'User-Agent': 'gantry' },
      dispatcher: await this.dispatcher,
    };
  }

  private count(verb: string): void {
    this.calls.total++;
    this.calls.byVerb[verb] = (this.calls.byVerb[verb] ?? 0) + 1;
  }

  /** One controller per request, aborted by the caller's signal, a timeout, or close(). */
  private controller(signal: AbortSignal | undefined): AbortController {
    if (signal?.aborted) throw abortReason(signal);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.open.set(controller, () => signal?.removeEventListener('abort', onAbort));
    return controller;
  }

  /** Detaches from the caller's signal: a long-lived run signal would otherwise collect listeners. */
  private release(controller: AbortController): void {
    this.open.get(controller)?.();
    this.open.delete(controller);
  }

  private failure(
    error: unknown,
    options: Pick<RequestOptions, 'path' | 'what' | 'method' | 'signal'>,
    controller: AbortController,
    timedOut: boolean,
  ): unknown {
    if (options.signal?.aborted) return abortReason(options.signal);
    // API errors, and errors an onEvent callback throws on purpose, are the answer as they are.
    if (error instanceof ActionError) return error;
    if (controller.signal.aborted && !timedOut)
      return new KubernetesConnectionError(
        describe(options),
        this.server,
        new Error('the client was closed'),
      );
    return new KubernetesConnectionError(describe(options), this.server, error, timedOut);
  }
}

function describe(options: Pick<RequestOptions, 'path' | 'what' | 'method'>): string {
  return options.what ?? `${options.method ?? 'GET'} ${options.path}`;
}

/** A response header as one value: undici gives an array when the header came several times. */
function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
