/**
 * The `${...}` names each strategy's analysis steps fill (README, "Analysis"). The strategies build
 * their variables with these types, and inputs.ts refuses any other name before anything is written,
 * so the two cannot drift apart.
 */
export const CANARY_VARIABLES = ['name', 'namespace', 'canary', 'service', 'canary-service'] as const;
/** A traffic-weighted canary's steps add the weight the canary has at that step. */
export const TRAFFIC_VARIABLES = [...CANARY_VARIABLES, 'weight'] as const;
export const BLUE_GREEN_VARIABLES = ['name', 'namespace', 'service', 'colour', 'deployment'] as const;

export type CanaryVariables = Record<(typeof CANARY_VARIABLES)[number], string>;
export type BlueGreenVariables = Record<(typeof BLUE_GREEN_VARIABLES)[number], string>;
