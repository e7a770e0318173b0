import {
  invalidParameter,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from '../../core/input.ts';
import type { JsonObject } from '../../core/protocol.ts';
import type { DeploymentSettings, DeploymentStrategy } from '../model.ts';

/**
 * `deploymentConfiguration` over the current settings, or ECS's defaults: ROLLING at 200 % / 100 %
 * without circuit breaker. A member left out keeps its current value, as UpdateService does.
 */

const STRATEGIES: DeploymentStrategy[] = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
const DAY_MINUTES = 1440;

export function deploymentSettings(
  input: JsonObject | undefined,
  current?: DeploymentSettings,
): DeploymentSettings {
  const given = input ?? {};
  const strategy = (optionalString(given, 'strategy') ??
    current?.strategy ??
    'ROLLING') as DeploymentStrategy;
  if (!STRATEGIES.includes(strategy)) {
    throw invalidParameter(`strategy must be one of [${STRATEGIES.join(', ')}], not ${strategy}.`);
  }
  const bakeTimeInMinutes =
    optionalInteger(given, 'bakeTimeInMinutes', { min: 0, max: DAY_MINUTES }) ?? current?.bakeTimeInMinutes;
  if (strategy === 'BLUE_GREEN' && bakeTimeInMinutes === undefined) {
    throw invalidParameter('bakeTimeInMinutes must be provided when the deployment strategy is BLUE_GREEN.');
  }
  const linear = optionalObject(given, 'linearConfiguration');
  const canary = optionalObject(given, 'canaryConfiguration');
  const alarms = optionalObject(given, 'alarms') ?? current?.alarms;
  return {
    maximumPercent: optionalInteger(given, 'maximumPercent', { min: 100 }) ?? current?.maximumPercent ?? 200,
    minimumHealthyPercent:
      optionalInteger(given, 'minimumHealthyPercent', { min: 0, max: 100 }) ??
      current?.minimumHealthyPercent ??
      100,
    circuitBreaker: circuitBreaker(optionalObject(given, 'deploymentCircuitBreaker'), current),
    strategy,
    ...(bakeTimeInMinutes !== undefined && { bakeTimeInMinutes }),
    ...(strategy === 'LINEAR' && {
      linearConfiguration: {
        stepPercent: percent(linear, 'stepPercent') ?? current?.linearConfiguration?.stepPercent ?? 10,
        stepBakeTimeInMinutes:
          minutes(linear, 'stepBakeTimeInMinutes') ??
          current?.linearConfiguration?.stepBakeTimeInMinutes ??
          6,
      },
    }),
    ...(strategy === 'CANARY' && {
      canaryConfiguration: {
        canaryPercent: percent(canary, 'canaryPercent') ?? current?.canaryConfiguration?.canaryPercent ?? 5,
        canaryBakeTimeInMinutes:
          minutes(canary, 'canaryBakeTimeInMinutes') ??
          current?.canaryConfiguration?.canaryBakeTimeInMinutes ??
          10,
      },
    }),
    ...(alarms && { alarms }),
  };
}

function circuitBreaker(
  breaker: JsonObject | undefined,
  current: DeploymentSettings | undefined,
): DeploymentSettings['circuitBreaker'] {
  if (!breaker) return current?.circuitBreaker ?? { enable: false, rollback: false };
  const threshold = optionalObject(breaker, 'thresholdConfiguration');
  const resetOnHealthyTask = optionalBoolean(breaker, 'resetOnHealthyTask');
  return {
    enable: optionalBoolean(breaker, 'enable') === true,
    rollback: optionalBoolean(breaker, 'rollback') === true,
    ...(resetOnHealthyTask !== undefined && { resetOnHealthyTask }),
    ...(threshold && {
      thresholdConfiguration: {
        type: requiredString(threshold, 'type'),
        value: optionalInteger(threshold, 'value', { min: 1 }) ?? 50,
      },
    }),
  };
}

/** A traffic percentage: ECS takes multiples of 0.1 (a JSON number, not only integers). */
function percent(input: JsonObject | undefined, field: string): number | undefined {
  const value = input?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value <= 0 || value > 100) {
    throw invalidParameter(`${field} must be a number above 0 and at most 100, not ${String(value)}.`);
  }
  return value;
}

function minutes(input: JsonObject | undefined, field: string): number | undefined {
  return input && optionalInteger(input, field, { min: 0, max: DAY_MINUTES });
}

/** `deploymentConfiguration` as DescribeServices and DescribeServiceDeployments echo it. */
export function describeSettings(settings: DeploymentSettings): JsonObject {
  return {
    deploymentCircuitBreaker: settings.circuitBreaker,
    maximumPercent: settings.maximumPercent,
    minimumHealthyPercent: settings.minimumHealthyPercent,
    ...(settings.alarms && { alarms: settings.alarms }),
    strategy: settings.strategy,
    ...(settings.bakeTimeInMinutes !== undefined && { bakeTimeInMinutes: settings.bakeTimeInMinutes }),
    ...(settings.linearConfiguration && { linearConfiguration: settings.linearConfiguration }),
    ...(settings.canaryConfiguration && { canaryConfiguration: settings.canaryConfiguration }),
  };
}
