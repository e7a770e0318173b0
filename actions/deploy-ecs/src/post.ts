import { createEcs, ecsCall } from '../../../shared/src/ecs/client.ts';
import { ownServiceDeployment } from '../../../shared/src/ecs/deployment-tracker.ts';
import { rollBackService } from '../../../shared/src/ecs/rollback.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { createCodeDeploy } from '../../../shared/src/codedeploy/client.ts';
import { codeDeployLeftInFlight, markCodeDeployFinished } from './codedeploy/post-state.ts';
import { stopWithRollback } from '../../../shared/src/codedeploy/stop.ts';
import { deploymentLeftInFlight, markDeploymentFinished } from './service/post-state.ts';

/**
 * The post step: when the main step was killed while our deployment was in flight (a cancelled job
 * whose main step did not get to roll back), start the rollback now: for a CodeDeploy deployment,
 * StopDeployment with auto rollback. Otherwise it does nothing.
 */
export async function post(): Promise<void> {
  await stopCodeDeployLeftInFlight();
  const left = deploymentLeftInFlight();
  if (!left?.previous.taskDefinition) return;
  log.warning(
    `The deployment of service ${left.service} did not finish: rolling it back to ${left.previous.taskDefinition}.`,
  );
  const ecs = await createEcs(left.region);
  try {
    const listed = await ecsCall('ListServiceDeployments', () =>
      ecs.client.send(
        new ecs.sdk.ListServiceDeploymentsCommand({
          cluster: left.cluster,
          service: left.service,
          createdAt: { after: new Date(left.since.getTime() - 5000) },
        }),
      ),
    ).catch(() => undefined);
    const ours = ownServiceDeployment(listed?.serviceDeployments ?? [], left);
    await rollBackService(ecs, {
      cluster: left.cluster,
      service: left.service,
      serviceDeploymentArn: ours?.serviceDeploymentArn,
      inFlight: ours?.status === 'PENDING' || ours?.status === 'IN_PROGRESS',
      previousTaskDefinition: left.previous.taskDefinition,
      pollIntervalMs: 5000,
      timeoutMs: 60_000,
      wait: false,
      signal: new AbortController().signal,
    });
    markDeploymentFinished();
  } finally {
    ecs.client.destroy();
  }
}

/** A CodeDeploy deployment the killed main step was waiting for: stopped with auto rollback. */
async function stopCodeDeployLeftInFlight(): Promise<void> {
  const left = codeDeployLeftInFlight();
  if (!left) return;
  log.warning(`CodeDeploy deployment ${left.deploymentId} did not finish: stopping it with auto rollback.`);
  const cd = await createCodeDeploy(left.region);
  try {
    await stopWithRollback(cd, left.deploymentId, {
      pollIntervalMs: 5000,
      timeoutMs: 60_000,
      wait: false,
      signal: new AbortController().signal,
    });
    markCodeDeployFinished();
  } finally {
    cd.destroy();
  }
}
