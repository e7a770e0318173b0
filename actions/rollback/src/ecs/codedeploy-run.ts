import type { Service } from '@aws-sdk/client-ecs';
import { createCodeDeploy } from '../../../../shared/src/codedeploy/client.ts';
import { resolveTarget } from '../../../../shared/src/codedeploy/target.ts';
import { errorMessage } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { RollbackInputs } from '../inputs.ts';
import type { Ecs } from '../../../../shared/src/ecs/client.ts';
import { readCodeDeployHistory } from './codedeploy-history.ts';
import {
  deployPrevious,
  rollbackAppSpec,
  stopInFlight,
  type CodeDeployRestore,
} from './codedeploy-restore.ts';
import { readServiceHistory } from './service-history.ts';
import { shortName } from './task-definition-ref.ts';

/**
 * A CODE_DEPLOY service, ready to roll back: its deployment group (the CodeDeploy SDK loaded only
 * now), the release being replaced (the deployment in flight's task definition, else what the service
 * runs), the task definitions that ran (the group's, then ECS's), and the restore: stop the deployment in flight with auto
 * rollback, then, when that leaves the service elsewhere than the target, a CodeDeploy deployment of
 * the target.
 */

export interface CodeDeployRollback {
  current: string;
  successful: string[];
  /** The deployment in flight that the rollback stops (or, CodeDeploy's own rollback, waits for). */
  inFlight: string | undefined;
  where: string;
  restore(target: string, readServiceTaskDefinition: () => Promise<string>): Promise<CodeDeployRestore>;
  destroy(): void;
}

export async function prepareCodeDeployRollback(
  ecs: Ecs,
  inputs: RollbackInputs,
  service: Service,
  cluster: string,
  signal: AbortSignal,
): Promise<CodeDeployRollback> {
  const serviceName = service.serviceName as string;
  const cd = await createCodeDeploy(inputs.ecs?.region);
  try {
    const target = await resolveTarget(
      cd,
      {
        application: inputs.ecs?.codedeployApplication,
        group: inputs.ecs?.codedeployGroup,
        cluster,
        service: serviceName,
      },
      signal,
    );
    const where = `${target.application}/${target.group}`;
    const history = await readCodeDeployHistory(cd, target, service.taskDefinition as string, signal);
    const inFlight = history.inFlight;
    log.info(
      `Service ${serviceName} is deployed by CodeDeploy (${where}), which refuses UpdateService: the rollback goes through CodeDeploy.`,
    );
    const balancer = service.loadBalancers?.[0];
    // Without a deployment to stop, the AppSpec is settled now, before anything changes.
    const appSpec = inFlight ? undefined : rollbackAppSpec(history.live, balancer, where);
    const options = {
      service: serviceName,
      pollIntervalMs: inputs.ecs?.pollIntervalMs ?? 5000,
      timeoutMs: inputs.timeoutMs,
      wait: inputs.wait,
      signal,
    };
    const serving = service.taskDefinition as string;
    const current =
      inFlight && !inFlight.isRollback && inFlight.taskDefinition ? inFlight.taskDefinition : serving;
    return {
      current,
      // While a deployment is in flight, the task definition serving production has run: it counts.
      // After the group's history, what ECS recorded (the task definition the service was created
      // with, which no CodeDeploy deployment made), where ECS keeps service deployments for it.
      successful: [
        ...new Set([
          ...(current === serving ? [] : [serving]),
          ...history.successful,
          ...(await ecsRecorded(ecs, cluster, serviceName, signal)),
        ]),
      ],
      inFlight: inFlight?.deploymentId,
      where,
      restore: async (taskDefinition, readServiceTaskDefinition) => {
        if (inFlight) {
          const stopped = await stopInFlight(cd, inFlight, options);
          if (!inputs.wait || stopped.tracked?.verdict !== 'succeeded') return stopped;
          const landedOn = await readServiceTaskDefinition();
          if (landedOn === taskDefinition) return stopped;
          log.info(
            `CodeDeploy returned service ${serviceName} to ${shortName(landedOn)}; deploying ${shortName(taskDefinition)} through CodeDeploy.`,
          );
        }
        const document = appSpec ?? rollbackAppSpec(history.live, balancer, where);
        return deployPrevious(cd, target, document, taskDefinition, options);
      },
      destroy: () => cd.destroy(),
    };
  } catch (error) {
    cd.destroy();
    throw error;
  }
}

/** The service's successful ECS service deployments; none where ECS keeps none for a CODE_DEPLOY service. */
async function ecsRecorded(
  ecs: Ecs,
  cluster: string,
  service: string,
  signal: AbortSignal,
): Promise<string[]> {
  try {
    return (await readServiceHistory(ecs, cluster, service, signal)).successful;
  } catch (error) {
    log.info(
      `ECS lists no service deployments for service ${service} (${errorMessage(error)}): the deployment group's history alone counts.`,
    );
    return [];
  }
}
