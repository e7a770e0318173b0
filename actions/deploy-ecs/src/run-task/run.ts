import type { Service } from '@aws-sdk/client-ecs';
import type { Ecs } from '../../../../shared/src/ecs/client.ts';
import {
  runOneOffTask,
  type OneOffTaskResult,
  type TaskNetwork,
} from '../../../../shared/src/ecs/run-task.ts';
import { ConfigurationError } from '../../../../shared/src/errors.ts';
import type { DeployEcsInputs, RunTaskInputs } from '../inputs.ts';

/**
 * run-task: the rendered revision once as a one-off task (a migration before the service update),
 * on the service's network and launch type unless the run-task-* inputs say otherwise. Any
 * non-zero exit of an essential container fails it.
 */

export async function runTask(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  run: RunTaskInputs,
  taskDefinition: string,
  service: Service | undefined,
  taskNetwork: TaskNetwork | undefined,
  signal: AbortSignal,
): Promise<OneOffTaskResult> {
  const capacityProvider =
    run.capacityProvider ??
    (run.launchType === undefined ? service?.capacityProviderStrategy?.[0]?.capacityProvider : undefined);
  return runOneOffTask(
    {
      region: inputs.region,
      cluster: inputs.cluster,
      taskDefinition,
      container: inputs.render.containerName,
      containerInput: 'container-name',
      launchType: capacityProvider ? undefined : (run.launchType ?? service?.launchType ?? 'FARGATE'),
      capacityProvider,
      network: taskNetwork,
      command: run.command,
      environment: run.environment,
      timeoutMs: run.timeoutMs,
      pollIntervalMs: inputs.pollIntervalMs,
      startedBy: 'gantry-deploy-ecs',
      noun: 'Task',
      purpose: 'the command',
      verdictOf: 'essential-containers',
    },
    signal,
    ecs,
  );
}

/** The task's network: the inputs', else the service's; checked before anything is registered. */
export function runTaskNetwork(run: RunTaskInputs, service: Service | undefined): TaskNetwork | undefined {
  if (run.network) return run.network;
  const vpc = service?.networkConfiguration?.awsvpcConfiguration;
  if (vpc?.subnets && vpc.subnets.length > 0) {
    return {
      subnets: vpc.subnets,
      securityGroups: vpc.securityGroups ?? [],
      assignPublicIp: run.assignPublicIp ?? vpc.assignPublicIp === 'ENABLED',
    };
  }
  if ((run.launchType ?? service?.launchType ?? 'FARGATE') === 'FARGATE' && !run.capacityProvider) {
    throw new ConfigurationError(
      'Input "run-task-subnets" is required: a Fargate task runs in a VPC, and there is no service network configuration to take the subnets from.',
      { input: 'run-task-subnets' },
    );
  }
  return undefined;
}
