/**
 * The progressive-delivery settings as parsed values, and the pure parsers behind them: no
 * `@actions/core`, nothing thrown; `undefined` for text that cannot be read, and an `*_ACCEPTED`
 * text for the message strategy-inputs.ts builds around it.
 */
export const STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const STRATEGY_ACTIONS = ['deploy', 'promote', 'abort'] as const;
export type StrategyAction = (typeof STRATEGY_ACTIONS)[number];

/** How many canary pods: a fixed count, or a share of the stable Deployment's replicas. */
export type CanarySize = { replicas: number } | { percentage: number };

export interface StrategySettings {
  strategy: StrategyName;
  action: StrategyAction;
  canarySize: CanarySize;
  /** Increasing HTTPRoute weights of the canary ending at 100; empty for a replica-based canary. */
  trafficWeights: number[];
  /** The HTTPRoute whose backend weights are stepped; undefined: the one in the manifests. */
  route: string | undefined;
  /** The `analysis` input's text, read by shared/src/analysis; undefined when not given. */
  analysisText: string | undefined;
  autoPromote: boolean;
  keepPrevious: boolean;
  supersede: boolean;
}

export const CANARY_PERCENTAGE_ACCEPTED = 'expected a whole percentage from 1 to 100, like 10 or 10%';

export function parsePercentage(text: string): number | undefined {
  const match = /^(\d{1,3})\s*%?$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  return value >= 1 && value <= 100 ? value : undefined;
}

export const TRAFFIC_WEIGHTS_ACCEPTED =
  'expected whole percentages of traffic for the canary, each from 1 to 100, strictly increasing and ending at 100, like 10,50,100';

/** `10,50,100` as [10, 50, 100]; undefined unless strictly increasing, within 1..100 and ending at 100. */
export function parseTrafficWeights(items: readonly string[]): number[] | undefined {
  const weights = items.map((item) => (/^\d{1,3}%?$/.test(item) ? Number.parseInt(item, 10) : Number.NaN));
  if (weights.length === 0 || weights.some((weight) => !(weight >= 1 && weight <= 100))) return undefined;
  if (weights.some((weight, index) => index > 0 && weight <= (weights[index - 1] as number)))
    return undefined;
  return weights.at(-1) === 100 ? weights : undefined;
}

/** Why a weights list is refused, for the message: the first rule it breaks. */
export function trafficWeightsProblem(items: readonly string[]): string {
  const weights = items.map((item) => (/^\d{1,3}%?$/.test(item) ? Number.parseInt(item, 10) : Number.NaN));
  if (weights.some((weight) => !(weight >= 1 && weight <= 100)))
    return 'each weight must be a whole number from 1 to 100';
  if (weights.some((weight, index) => index > 0 && weight <= (weights[index - 1] as number))) {
    return 'the weights must be strictly increasing';
  }
  return 'the last weight must be 100 (the canary takes all the traffic before the stable Deployment is updated)';
}

/** Pods of the canary: `canary-replicas`, or the percentage of the stable's, rounded up, at least 1. */
export function canaryReplicas(size: CanarySize, stableReplicas: number): number {
  if ('replicas' in size) return size.replicas;
  return Math.max(1, Math.ceil((stableReplicas * size.percentage) / 100));
}
