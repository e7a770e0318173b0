import type * as ClientNodeModule from '@kubernetes/client-node';
import type { Deadline } from '../deadline.ts';
import { ActionError } from '../errors.ts';
import { retry } from '../retry.ts';
import { abortReason } from '../sleep.ts';
import { classifyKubernetesFailure, KubernetesApiError, KubernetesConnectionError } from './api-error.ts';
import type { KubeconfigSource } from './kubeconfig.ts';
import type { KubeObject } from './object.ts';
import { parseWarningHeader } from './warning-header.ts';

/**
 * The Kubernetes client factory: @kubernetes/client-node's KubeConfig for what it does well (TLS,
 * client certificates, tokens, exec and auth-provider plugins), and requests built here from raw
 * JSON, so the typed models never see an object and no field is lost on the way (#2962). The
 * client package is heavy: it is loaded only here, after the inputs have been read and checked.
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

type ClientNode = typeof ClientNodeModule;
type RequestContext = InstanceType<ClientNode['RequestContext']>;
type Dispatcher = ReturnType<RequestContext['getDispatcher']>;

export async function createKubernetesClient(
  source: KubeconfigSource,
  options: KubernetesClientOptions = {},
): Promise<KubernetesClient> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  if (source.config.kind === 'kubeconfig') {
    config.loadFromString(source.config.text);
    config.setCurrentContext(source.context);
  } else {
    const directory = source.config.directory;
    config.loadFromOptions({
      clusters: [
        { name: 'in-cluster', server: source.server, caFile: `${directory}/ca.crt`, skipTLSVerify: false },
      ],
      users: [
        {
          name: 'in-cluster',
          authProvider: { name: 'tokenFile', config: { tokenFile: `${directory}/token` } },
        },
      ],
      contexts: [
        { name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace: source.namespace },
      ],
      currentContext: 'in-cluster',
    });
  }
  return new ClientNodeKubernetesClient(k8s, config, source, options);
}

class ClientNodeKubernetesClient implements KubernetesClient {
  readonly server: string;
  readonly context: string;
  readonly namespace: string | undefined;
  readonly calls: ApiCallStats = { total: 0, byVerb: {} };
  private readonly k8s: ClientNode;
  private readonly config: InstanceType<ClientNode['KubeConfig']>;
  private readonly http: InstanceType<ClientNode['IsomorphicFetchHttpLibrary']>;
  private readonly options: KubernetesClientOptions;
  /**
   * client-node builds a new connection pool on every authentication; the first one is kept for
   * every request instead, so calls share keep-alive connections and TLS sessions.
   */
  private dispatcher: Dispatcher;
  private dispatcherKnown = false;
  /** Requests in flight and how to detach each from its caller's signal. */
  private readonly open = new Map<AbortController, () => void>();

  constructor(
    k8s: ClientNode,
    config: InstanceType<ClientNode['KubeConfig']>,
    source: KubeconfigSource,
    options: KubernetesClientOptions,
  ) {
    this.k8s = k8s;
    this.config = config;
    this.http = new k8s.IsomorphicFetchHttpLibrary();
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
      const context = await this.prepare(method, options.path, options.query, controller.signal);
      if (options.body !== undefined) {
        context.setBody(options.body);
        context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      }
      this.count(method);
      const response = await this.http.send(context).toPromise();
      const body = await response.body.text();
      for (const text of parseWarningHeader(response.headers.warning)) options.onWarning?.(text);
      if (response.httpStatusCode >= 400) {
        throw new KubernetesApiError(describe(options), {
          status: response.httpStatusCode,
          body,
          retryAfter: response.headers['retry-after'],
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
      const context = await this.prepare('GET', path, { ...options.query, watch: 'true' }, controller.signal);
      this.count('WATCH');
      const response = await this.http.send(context).toPromise();
      if (response.httpStatusCode !== 200) {
        throw new KubernetesApiError(what, {
          status: response.httpStatusCode,
          body: await response.body.text(),
          retryAfter: response.headers['retry-after'],
        });
      }
      const stream = response.body.stream();
      if (!stream) return;
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
    const dispatcher = this.dispatcher as { destroy?: () => Promise<void> } | undefined;
    await dispatcher?.destroy?.();
  }

  private async prepare(
    method: HttpMethod,
    path: string,
    query: RequestOptions['query'],
    signal: AbortSignal,
  ): Promise<RequestContext> {
    const url = new URL(this.server + path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const context = new this.k8s.RequestContext(url.toString(), method);
    await this.config.applySecurityAuthentication(context);
    if (!this.dispatcherKnown) {
      this.dispatcher = context.getDispatcher();
      this.dispatcherKnown = true;
    } else if (this.dispatcher) {
      context.setDispatcher(this.dispatcher);
    }
    context.setHeaderParam('Accept', 'application/json');
    context.setHeaderParam('User-Agent', 'gantry');
    context.setSignal(signal);
    return context;
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
