import type { Deadline } from '../async/deadline.ts';
import * as log from '../runner/log.ts';
import { classifyThrottling, codeDeployCall, errorCode, type CodeDeploy } from './client.ts';

/** ContinueDeployment, repeated only when throttled; a deployment that moved on meanwhile is a notice. */
export async function continueDeployment(
  cd: CodeDeploy,
  deploymentId: string,
  deploymentWaitType: 'READY_WAIT' | 'TERMINATION_WAIT',
  deadline: Deadline,
  signal: AbortSignal,
): Promise<void> {
  try {
    await codeDeployCall(
      'ContinueDeployment',
      () =>
        cd.writer.send(new cd.sdk.ContinueDeploymentCommand({ deploymentId, deploymentWaitType }), {
          abortSignal: signal,
        }),
      { deadline, signal, classify: classifyThrottling },
    );
  } catch (error) {
    const code = errorCode(error);
    if (code === 'DeploymentAlreadyCompletedException' || code === 'DeploymentIsNotInReadyStateException') {
      log.notice(`ContinueDeployment ${deploymentWaitType}: ${code}; following the deployment as it is.`);
      return;
    }
    throw error;
  }
}
