import type { Service } from '@aws-sdk/client-ecs';
import { ecsCall, type Ecs } from '../../../../shared/src/ecs/client.ts';
import { ActionError } from '../../../../shared/src/errors.ts';

/**
 * The checks made before anything changes: the cluster and the service exist and are ACTIVE, and
 * ECS or CodeDeploy controls the service's deployments (a CODE_DEPLOY service is deployed through
 * CodeDeploy: codedeploy/). An EXTERNAL controller would refuse the update, after a revision had been
 * registered for nothing.
 */

export async function checkCluster(ecs: Ecs, cluster: string, signal: AbortSignal): Promise<void> {
  const answer = await ecsCall('DescribeClusters', () =>
    ecs.client.send(new ecs.sdk.DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal }),
  );
  const found = answer.clusters?.[0];
  if (!found) {
    throw new ActionError(
      `Cluster ${cluster} does not exist in ${ecs.config.region}: nothing was registered or changed.`,
      {
        hint: 'check the cluster input and the aws-region (or AWS_REGION)',
      },
    );
  }
  if (found.status !== 'ACTIVE') {
    throw new ActionError(
      `Cluster ${cluster} is ${found.status}, not ACTIVE: nothing was registered or changed.`,
    );
  }
}

export async function checkService(
  ecs: Ecs,
  cluster: string,
  name: string,
  signal: AbortSignal,
): Promise<Service> {
  const answer = await ecsCall('DescribeServices', () =>
    ecs.client.send(new ecs.sdk.DescribeServicesCommand({ cluster, services: [name] }), {
      abortSignal: signal,
    }),
  );
  const service = answer.services?.[0];
  if (!service) {
    throw new ActionError(
      `Service ${name} does not exist in cluster ${cluster}: nothing was registered or changed.`,
      {
        hint: 'create the service first (Terraform, CloudFormation, the console), or check the service and cluster inputs',
      },
    );
  }
  if (service.status !== 'ACTIVE') {
    throw new ActionError(
      `Service ${name} is ${service.status}, not ACTIVE: nothing was registered or changed.`,
    );
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS' && controller !== 'CODE_DEPLOY') {
    throw new ActionError(
      `Service ${name} uses the ${controller} deployment controller: deploy-ecs deploys services whose deployment controller is ECS or CODE_DEPLOY. Nothing was registered or changed.`,
      { hint: 'an EXTERNAL controller deploys through task sets, which deploy-ecs does not manage' },
    );
  }
  return service;
}

/** The PRIMARY deployment: what the service runs now, and what a rollback returns to. */
export function primaryDeployment(service: Service): {
  id: string | undefined;
  taskDefinition: string | undefined;
} {
  const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
  return { id: primary?.id, taskDefinition: primary?.taskDefinition ?? service.taskDefinition };
}
