import type { EcsDeployment, LifecycleStage, ServiceDeployment } from '../model.ts';
import { setStatus } from './service-deployment.ts';

/**
 * BLUE_GREEN, LINEAR and CANARY, as ECS drives them through lifecycle stages: the target ("green")
 * revision scales up to the full desired count beside the source ("blue") one, takes the test
 * traffic, then the production traffic (all at once; in `stepPercent` steps each followed by
 * `stepBakeTimeInMinutes`; or `canaryPercent` first, the rest after `canaryBakeTimeInMinutes`),
 * both run through `bakeTimeInMinutes`, and only then CLEAN_UP stops the blue tasks. Every stage
 * lasts at least one scheduler pass, so a poller can see it. ROLLING has no lifecycle stages.
 */

const MINUTE_MS = 60_000;

export function shiftsTraffic(deployment: ServiceDeployment): boolean {
  return deployment.settings.strategy !== 'ROLLING';
}

/** The first stage: RECONCILE_SERVICE when more than one revision was running, else PRE_SCALE_UP. */
export function firstStage(deployment: ServiceDeployment, at: number): void {
  enter(deployment, deployment.sources.length > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP', at);
}

/** Whether the scheduler may launch the target's tasks yet. */
export function launchesTarget(deployment: ServiceDeployment): boolean {
  const stage = deployment.lifecycleStage;
  return stage !== 'RECONCILE_SERVICE' && stage !== 'PRE_SCALE_UP';
}

/** Whether the source revisions keep all their tasks (until CLEAN_UP). */
export function holdsSources(deployment: ServiceDeployment): boolean {
  return deployment.status === 'IN_PROGRESS' && deployment.lifecycleStage !== 'CLEAN_UP';
}

/**
 * One scheduler pass of an IN_PROGRESS traffic-shifting deployment: moves to the next stage when
 * the current one is done. `targetReady`: all the target's tasks are running and healthy.
 */
export function advanceStage(deployment: ServiceDeployment, targetReady: boolean, at: number): void {
  if (deployment.waitUntil !== undefined && at < deployment.waitUntil) return;
  const settings = deployment.settings;
  switch (deployment.lifecycleStage) {
    case 'RECONCILE_SERVICE':
      return enter(deployment, 'PRE_SCALE_UP', at);
    case 'PRE_SCALE_UP':
      return enter(deployment, 'SCALE_UP', at);
    case 'SCALE_UP':
      if (targetReady) enter(deployment, 'POST_SCALE_UP', at);
      return;
    case 'POST_SCALE_UP':
      deployment.testTraffic = 100;
      return enter(deployment, 'TEST_TRAFFIC_SHIFT', at);
    case 'TEST_TRAFFIC_SHIFT':
      return enter(deployment, 'POST_TEST_TRAFFIC_SHIFT', at);
    case 'POST_TEST_TRAFFIC_SHIFT':
      enter(deployment, 'PRODUCTION_TRAFFIC_SHIFT', at);
      return shiftProduction(deployment, at);
    case 'PRODUCTION_TRAFFIC_SHIFT':
      if (deployment.productionTraffic < 100) return shiftProduction(deployment, at);
      return enter(deployment, 'POST_PRODUCTION_TRAFFIC_SHIFT', at);
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      enter(deployment, 'BAKE_TIME', at);
      deployment.waitUntil = at + (settings.bakeTimeInMinutes ?? 0) * MINUTE_MS;
      return;
    case 'BAKE_TIME':
      return enter(deployment, 'CLEAN_UP', at);
    case 'CLEAN_UP':
    case undefined:
      return;
  }
}

/** One step of the production traffic shift, and the bake that follows it. */
function shiftProduction(deployment: ServiceDeployment, at: number): void {
  const { strategy, linearConfiguration, canaryConfiguration } = deployment.settings;
  let stepBakeMinutes = 0;
  if (strategy === 'LINEAR' && linearConfiguration) {
    deployment.productionTraffic = Math.min(
      100,
      deployment.productionTraffic + linearConfiguration.stepPercent,
    );
    stepBakeMinutes = linearConfiguration.stepBakeTimeInMinutes;
  } else if (strategy === 'CANARY' && canaryConfiguration && deployment.productionTraffic === 0) {
    deployment.productionTraffic = canaryConfiguration.canaryPercent;
    stepBakeMinutes = canaryConfiguration.canaryBakeTimeInMinutes;
  } else {
    deployment.productionTraffic = 100;
  }
  deployment.updatedAt = at;
  deployment.waitUntil = deployment.productionTraffic < 100 ? at + stepBakeMinutes * MINUTE_MS : undefined;
}

function enter(deployment: ServiceDeployment, stage: LifecycleStage, at: number): void {
  deployment.lifecycleStage = stage;
  deployment.stageStartedAt = at;
  deployment.waitUntil = undefined;
  setStatus(deployment, deployment.status, at);
}

/** The target's share of requested tasks and traffic, as ServiceRevisionSummary reports it. */
export function trafficWeights(
  deployment: ServiceDeployment,
  revision: EcsDeployment,
): { requestedTestTrafficWeight?: number; requestedProductionTrafficWeight?: number } {
  if (!shiftsTraffic(deployment)) return {};
  const isTarget = revision === deployment.target;
  return {
    requestedTestTrafficWeight: isTarget ? deployment.testTraffic : 100 - deployment.testTraffic,
    requestedProductionTrafficWeight: isTarget
      ? deployment.productionTraffic
      : 100 - deployment.productionTraffic,
  };
}
