import type * as CodeDeployModule from '@aws-sdk/client-codedeploy';
import { awsActionError, awsClientConfig, awsErrorName } from '../aws.ts';
import type { Deadline } from '../async/deadline.ts';
import { formatDuration } from '../formats/duration.ts';
import { classifyEcsError } from '../ecs/client.ts';
import * as log from '../runner/log.ts';
import { retry, type RetryVerdict } from '../async/retry.ts';

/**
 * The CodeDeploy SDK, loaded with `import()` only for a CODE_DEPLOY service (the bundler keeps it in
 * a chunk of its own, so a plain ECS deploy never reads it), and two clients: `client` for reads,
 * which the SDK and `codeDeployCall` retry, and `writer` with a single SDK attempt for
 * CreateDeployment, ContinueDeployment and StopDeployment, which are not idempotent: the SDK's
 * standard mode would otherwise repeat them blindly after a 5xx or a dropped connection.
 */

export type CodeDeploySdk = typeof CodeDeployModule;
type Client = InstanceType<CodeDeploySdk['CodeDeployClient']>;

export interface CodeDeploy {
  sdk: CodeDeploySdk;
  client: Client;
  writer: Client;
  region: string;
  destroy(): void;
}

export async function createCodeDeploy(region: string | undefined): Promise<CodeDeploy> {
  const sdk = await import('@aws-sdk/client-codedeploy');
  const config = awsClientConfig({ region });
  const client = new sdk.CodeDeployClient(config);
  const writer = new sdk.CodeDeployClient({ ...config, maxAttempts: 1 });
  return {
    sdk,
    client,
    writer,
    region: config.region,
    destroy: () => {
      client.destroy();
      writer.destroy();
    },
  };
}

export interface CallRetry {
  deadline: Deadline;
  signal?: AbortSignal;
  /** Default: throttling and server errors (reads). */
  classify?: (error: unknown) => RetryVerdict;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** Throttled requests were refused before any work was done: the one failure a write may repeat. */
export function classifyThrottling(error: unknown): RetryVerdict {
  const name = awsErrorName((error as { cause?: unknown }).cause);
  return name !== undefined && THROTTLING.has(name)
    ? { transient: true, reason: `throttled (${name})` }
    : { transient: false };
}

/** One CodeDeploy call, its error turned into an ActionError naming the operation, retried per `retrying`. */
export async function codeDeployCall<T>(
  operation: string,
  fn: () => Promise<T>,
  retrying?: CallRetry,
): Promise<T> {
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

/** The AWS error code behind an ActionError from codeDeployCall (`DeploymentAlreadyCompletedException`). */
export function errorCode(error: unknown): string | undefined {
  return awsErrorName((error as { cause?: unknown }).cause);
}
