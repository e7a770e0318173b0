import { epochSeconds, type JsonObject } from '../core/protocol.ts';
import type { CodeDeployDeployment, CodeDeployGroup } from './model.ts';
import { revisionWithoutContent } from './revisions.ts';

/** CodeDeploy's answers: DeploymentInfo, ECS deployment targets, DeploymentGroupInfo. */

function seconds(at: number | undefined): number | undefined {
  return at === undefined ? undefined : epochSeconds(new Date(at));
}

export function targetId(deployment: CodeDeployDeployment): string {
  return `${deployment.group.cluster}:${deployment.group.service}`;
}

export function deploymentInfo(deployment: CodeDeployDeployment): JsonObject {
  const { group } = deployment;
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  const targetStatus = targetStatusOf(deployment);
  overview[targetStatus === 'Stopped' ? 'Failed' : targetStatus] = 1;
  return {
    applicationName: group.application.name,
    deploymentGroupName: group.name,
    deploymentConfigName: deployment.deploymentConfigName,
    deploymentId: deployment.id,
    revision: revisionWithoutContent(deployment.revision),
    status: deployment.status,
    ...(deployment.errorInformation && { errorInformation: deployment.errorInformation }),
    createTime: seconds(deployment.createdAt),
    ...(deployment.startedAt !== undefined && { startTime: seconds(deployment.startedAt) }),
    ...(deployment.completedAt !== undefined && { completeTime: seconds(deployment.completedAt) }),
    deploymentOverview: overview,
    ...(deployment.description !== undefined && { description: deployment.description }),
    creator: deployment.creator,
    ...(deployment.rollbackInfo && { rollbackInfo: deployment.rollbackInfo }),
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: blueGreenConfiguration(group),
    instanceTerminationWaitTimeStarted: deployment.instanceTerminationWaitTimeStarted,
    deploymentStatusMessages: [],
    computePlatform: 'ECS',
  };
}

function targetStatusOf(
  deployment: CodeDeployDeployment,
): 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Ready' | 'Stopped' {
  switch (deployment.status) {
    case 'Created':
    case 'Queued':
      return 'Pending';
    case 'Baking':
      return 'InProgress';
    default:
      return deployment.status;
  }
}

export function ecsTarget(deployment: CodeDeployDeployment, region: string, accountId: string): JsonObject {
  const { group } = deployment;
  const taskSet = (label: 'Blue' | 'Green', traffic: number, name: string): JsonObject => ({
    identifer: `ecs-svc/${label === 'Blue' ? '1' : '2'}${deployment.id.slice(2)}`,
    desiredCount: deployment.service.desiredCount,
    pendingCount: 0,
    runningCount: deployment.service.desiredCount,
    status: traffic > 0 ? 'PRIMARY' : 'ACTIVE',
    trafficWeight: traffic,
    targetGroup: { name: `${group.service}-${name}` },
    taskSetLabel: label,
  });
  const installed = deployment.events.some(
    (event) => event.name === 'Install' && event.status === 'Succeeded',
  );
  const status = targetStatusOf(deployment);
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: deployment.id,
      targetId: targetId(deployment),
      targetArn: `arn:aws:ecs:${region}:${accountId}:service/${group.cluster}/${group.service}`,
      lastUpdatedAt: seconds(deployment.completedAt ?? deployment.startedAt ?? deployment.createdAt),
      lifecycleEvents: deployment.events.map((event) => ({
        lifecycleEventName: event.name,
        status: event.status,
        ...(event.startedAt !== undefined && { startTime: seconds(event.startedAt) }),
        ...(event.endedAt !== undefined && { endTime: seconds(event.endedAt) }),
        ...(event.diagnostics && { diagnostics: event.diagnostics }),
      })),
      status: status === 'Stopped' ? 'Failed' : status,
      taskSetsInfo: [
        taskSet('Blue', 100 - deployment.production, 'blue'),
        ...(installed && deployment.green ? [taskSet('Green', deployment.production, 'green')] : []),
      ],
    },
  };
}

function blueGreenConfiguration(group: CodeDeployGroup): JsonObject {
  return {
    terminateBlueInstancesOnDeploymentSuccess: {
      action: 'TERMINATE',
      terminationWaitTimeInMinutes: group.terminationWaitTimeInMinutes,
    },
    deploymentReadyOption: group.readyOption,
  };
}

export function deploymentGroupInfo(group: CodeDeployGroup): JsonObject {
  return {
    applicationName: group.application.name,
    deploymentGroupId: group.id,
    deploymentGroupName: group.name,
    deploymentConfigName: group.deploymentConfigName,
    serviceRoleArn: 'arn:aws:iam::123456789012:role/ecsCodeDeployRole',
    autoRollbackConfiguration: group.autoRollback
      ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }
      : { enabled: false, events: [] },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: blueGreenConfiguration(group),
    ecsServices: [{ serviceName: group.service, clusterName: group.cluster }],
    computePlatform: 'ECS',
  };
}
