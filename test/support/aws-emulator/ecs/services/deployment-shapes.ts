import type { JsonObject } from '../../core/protocol.ts';
import type { EcsDeployment, ServiceDeployment } from '../model.ts';
import { seconds } from '../shapes.ts';
import { describeSettings } from './deployment-settings.ts';
import { isInFlight } from './service-deployment.ts';
import { trafficWeights } from './strategies.ts';
import { failureThreshold } from './task-outcomes.ts';

/** Service deployments and service revisions as ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions answer. */

export function describeServiceDeploymentBrief(deployment: ServiceDeployment): JsonObject {
  return {
    serviceDeploymentArn: deployment.arn,
    serviceArn: deployment.service.arn,
    clusterArn: deployment.service.cluster.arn,
    startedAt: seconds(deployment.startedAt),
    createdAt: seconds(deployment.createdAt),
    finishedAt: seconds(deployment.finishedAt),
    targetServiceRevisionArn: deployment.target.revisionArn,
    status: deployment.status,
    statusReason: deployment.statusReason,
  };
}

export function describeServiceDeployment(deployment: ServiceDeployment): JsonObject {
  const { settings, target } = deployment;
  const breaker = settings.circuitBreaker;
  const done = !isInFlight(deployment);
  return {
    serviceDeploymentArn: deployment.arn,
    serviceArn: deployment.service.arn,
    clusterArn: deployment.service.cluster.arn,
    createdAt: seconds(deployment.createdAt),
    startedAt: seconds(deployment.startedAt),
    finishedAt: seconds(deployment.finishedAt),
    stoppedAt: seconds(deployment.stoppedAt),
    updatedAt: seconds(deployment.updatedAt),
    sourceServiceRevisions: deployment.sources.map((source) => revisionSummary(deployment, source)),
    targetServiceRevision: revisionSummary(deployment, target),
    status: deployment.status,
    statusReason: deployment.statusReason,
    lifecycleStage: deployment.lifecycleStage,
    deploymentConfiguration: describeSettings(settings),
    rollback: deployment.rollback && {
      reason: deployment.rollback.reason,
      startedAt: seconds(deployment.rollback.startedAt),
      serviceRevisionArn: deployment.rollback.to.revisionArn,
    },
    deploymentCircuitBreaker: {
      status: !breaker.enable
        ? 'DISABLED'
        : deployment.breakerTriggered
          ? 'TRIGGERED'
          : done
            ? 'MONITORING_COMPLETE'
            : 'MONITORING',
      failureCount: target.failedTasks,
      threshold: failureThreshold(breaker, deployment.service.desiredCount),
    },
    alarms: alarmsOf(settings.alarms, done),
  };
}

/** The emulator has no alarms to watch: configured alarms are monitored and never triggered. */
function alarmsOf(alarms: JsonObject | undefined, done: boolean): JsonObject {
  if (alarms?.enable !== true) return { status: 'DISABLED' };
  return {
    status: done ? 'MONITORING_COMPLETE' : 'MONITORING',
    alarmNames: alarms.alarmNames ?? [],
    triggeredAlarmNames: [],
  };
}

function revisionSummary(deployment: ServiceDeployment, revision: EcsDeployment): JsonObject {
  return {
    arn: revision.revisionArn,
    requestedTaskCount: revision.desiredCount,
    runningTaskCount: revision.runningCount,
    pendingTaskCount: revision.pendingCount,
    ...trafficWeights(deployment, revision),
  };
}

/** A service revision: what one ECS deployment runs (DescribeServiceRevisions). */
export function describeServiceRevision(deployment: ServiceDeployment, revision: EcsDeployment): JsonObject {
  const service = deployment.service;
  return {
    serviceRevisionArn: revision.revisionArn,
    serviceArn: service.arn,
    clusterArn: service.cluster.arn,
    taskDefinition: revision.taskDefinition.arn,
    launchType: revision.launchType,
    platformVersion: revision.platformVersion,
    platformFamily: revision.launchType === 'FARGATE' ? 'Linux' : undefined,
    loadBalancers: service.echoed.loadBalancers ?? [],
    serviceRegistries: service.echoed.serviceRegistries ?? [],
    networkConfiguration: revision.networkConfiguration,
    containerImages: revision.taskDefinition.containers.map((container) => ({
      containerName: container.name,
      image: container.image,
    })),
    guardDutyEnabled: false,
    createdAt: seconds(revision.createdAt),
  };
}
