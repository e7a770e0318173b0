import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Watch,
} from '@kubernetes/client-node';
import type { KubernetesSimulator } from './index.ts';

/**
 * The simulator's own tests talk to it as Gantry does, through the real @kubernetes/client-node
 * configured from its kubeconfig; these helpers make those clients and read their errors.
 */

export interface Clients {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  apps: AppsV1Api;
  core: CoreV1Api;
  batch: BatchV1Api;
  custom: CustomObjectsApi;
  watch: Watch;
}

export function clientsFor(simulator: KubernetesSimulator): Clients {
  const config = new KubeConfig();
  config.loadFromString(simulator.kubeconfig);
  return {
    config,
    objects: KubernetesObjectApi.makeApiClient(config),
    apps: config.makeApiClient(AppsV1Api),
    core: config.makeApiClient(CoreV1Api),
    batch: config.makeApiClient(BatchV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    watch: new Watch(config),
  };
}

export interface StatusFailure {
  code: number;
  headers: Record<string, string>;
  /** The Status body, parsed. */
  status: {
    kind?: string;
    apiVersion?: string;
    status?: string;
    message?: string;
    reason?: string;
    code?: number;
    details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: { reason?: string; message?: string; field?: string }[];
      retryAfterSeconds?: number;
    };
  };
}

/** The error a client call failed with, as an API failure; fails the test when the call succeeded. */
export async function failure(call: Promise<unknown>): Promise<StatusFailure> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiException)) throw new Error(`expected an API error, got ${String(error)}`);
  // The generated clients leave some bodies out (a 401's); KubernetesObjectApi passes the text.
  const body =
    typeof error.body === 'string' ? (JSON.parse(error.body) as StatusFailure['status']) : (error.body ?? {});
  return { code: error.code, headers: error.headers as Record<string, string>, status: body };
}

/** Polls (the simulator's state, never the API) until `check` returns something, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Repeats an API call until it fails (a change that takes a controller tick), and returns that failure. */
export async function eventuallyFails(
  call: () => Promise<unknown>,
  timeoutMs = 5000,
): Promise<StatusFailure> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (outcome !== undefined) return failure(Promise.reject(outcome));
    if (Date.now() > deadline) throw new Error(`the call still succeeded after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
