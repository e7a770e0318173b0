import type { CreateDeploymentCommandInput } from '@aws-sdk/client-codedeploy';
import { awsErrorName } from '../aws.ts';
import type { Deadline } from '../async/deadline.ts';
import { ActionError } from '../errors.ts';
import * as log from '../runner/log.ts';
import { retry, type RetryVerdict } from '../async/retry.ts';
import { codeDeployCall, errorCode, type CodeDeploy } from './client.ts';
import { activeDeployments, type CodeDeployTarget } from './target.ts';

/**
 * CreateDeployment is not idempotent, and a 5xx, a dropped connection or a timeout leaves it unknown
 * whether the deployment was created. So, after such a failure, Gantry looks for a deployment of the
 * group created since it started whose AppSpec has our SHA-256, and follows it when there is one;
 * only when there is none does it send the request again. CodeDeploy allows one deployment in flight
 * per group, so even a deployment created late cannot be doubled: the repeat is refused with
 * DeploymentLimitExceededException, after which the search runs once more. Throttling is retried
 * plainly: a throttled request did nothing.
 */

const SKEW_MS = 5000;
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

export async function createDeployment(
  cd: CodeDeploy,
  request: CreateDeploymentCommandInput,
  target: CodeDeployTarget,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<string> {
  const since = Date.now() - SKEW_MS;
  const sha256 = request.revision?.appSpecContent?.sha256;
  let unknownOutcome = false;
  const ours = async (): Promise<string | undefined> => {
    const active = await activeDeployments(cd, target, signal);
    return active.find(
      (info) =>
        (info.createTime?.getTime() ?? 0) >= since && info.revision?.appSpecContent?.sha256 === sha256,
    )?.deploymentId;
  };
  return retry(
    async () => {
      try {
        const answer = await codeDeployCall('CreateDeployment', () =>
          cd.writer.send(new cd.sdk.CreateDeploymentCommand(request), { abortSignal: signal }),
        );
        if (!answer.deploymentId) throw new ActionError('CreateDeployment returned no deploymentId.');
        return answer.deploymentId;
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (THROTTLING.has(awsErrorName(cause) ?? '')) throw error;
        const ambiguous = cause !== undefined && !hasClientStatus(cause);
        if (ambiguous || (unknownOutcome && errorCode(error) === 'DeploymentLimitExceededException')) {
          unknownOutcome = true;
          const found = await ours();
          if (found) {
            log.warning(
              `${(error as Error).message.split('\n')[0]} — but deployment ${found} with this AppSpec exists: following it.`,
            );
            return found;
          }
        }
        throw error;
      }
    },
    {
      what: 'CreateDeployment',
      deadline,
      signal,
      classify: (error) => classify(error),
      onRetry: ({ attempt, delayMs, reason }) =>
        log.warning(
          `CreateDeployment: ${reason}; no deployment of ours exists, so it is sent again in ${Math.round(delayMs)} ms (attempt ${attempt + 1}).`,
        ),
    },
  );
}

/** The request was answered with a 4xx: it was refused, and nothing was created. */
function hasClientStatus(cause: unknown): boolean {
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status !== undefined && status < 500;
}

function classify(error: unknown): RetryVerdict {
  const cause = (error as { cause?: unknown }).cause;
  const name = awsErrorName(cause);
  if (THROTTLING.has(name ?? '')) return { transient: true, reason: `throttled (${name})` };
  if (cause !== undefined && !hasClientStatus(cause))
    return { transient: true, reason: `${name ?? 'no answer'} (the deployment was not created)` };
  return { transient: false };
}
