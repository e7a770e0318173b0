import type * as EcsModule from '@aws-sdk/client-ecs';
import { awsActionError, awsClientConfig, awsErrorName, type AwsClientConfig } from '../aws.ts';
import type { Deadline } from '../async/deadline.ts';
import { formatDuration } from '../formats/duration.ts';
import * as log from '../runner/log.ts';
import { retry, type RetryVerdict } from '../async/retry.ts';

/**
 * The ECS SDK, loaded on demand so an action pays for it only when it talks to ECS, and one client
 * configured by the core's AWS settings (region, endpoint override, standard retries, timeouts).
 */

export type EcsSdk = typeof EcsModule;
export type EcsClient = InstanceType<EcsSdk['ECSClient']>;

export interface Ecs {
  sdk: EcsSdk;
  client: EcsClient;
  config: AwsClientConfig;
}

export async function createEcs(region: string | undefined): Promise<Ecs> {
  const sdk = await import('@aws-sdk/client-ecs');
  const config = awsClientConfig({ region });
  return { sdk, client: new sdk.ECSClient(config), config };
}

/** A read that may be repeated: retried past the SDK's own attempts, until `deadline`. */
export interface EcsRetry {
  deadline: Deadline;
  signal?: AbortSignal;
  /** Default: throttling and server errors, which a read may repeat. */
  classify?: (error: unknown) => RetryVerdict;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/**
 * One ECS call, its SDK error turned into the one-line ActionError that names the operation. With
 * `retrying`, throttling and server errors that outlast the SDK's attempts are retried with the
 * core's backoff under the wait's deadline; credential and permission errors fail at once.
 */
export async function ecsCall<T>(operation: string, fn: () => Promise<T>, retrying?: EcsRetry): Promise<T> {
  const once = async (): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw awsActionError(operation, error);
    }
  };
  if (!retrying) return once();
  return retry(once, {
    what: operation,
    classify: retrying.classify ?? classifyEcsError,
    deadline: retrying.deadline,
    signal: retrying.signal,
    onRetry: ({ attempt, delayMs, reason }) =>
      log.warning(
        `${operation}: ${reason}; retrying in ${formatDuration(delayMs)} (attempt ${attempt + 1}).`,
      ),
  });
}

/** Throttled requests were refused before any work was done: the one failure a write may repeat. */
export function classifyThrottling(error: unknown): RetryVerdict {
  const name = awsErrorName((error as { cause?: unknown }).cause);
  return name !== undefined && THROTTLING.has(name)
    ? { transient: true, reason: `throttled (${name})` }
    : { transient: false };
}

export function classifyEcsError(error: unknown): RetryVerdict {
  const cause = (error as { cause?: unknown }).cause;
  const name = awsErrorName(cause);
  if (name !== undefined && THROTTLING.has(name)) return { transient: true, reason: `throttled (${name})` };
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  if (status !== undefined && status >= 500)
    return { transient: true, reason: `server error ${status} (${name})` };
  return { transient: false };
}
