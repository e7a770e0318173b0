import type { ActionEntry } from './action-table.ts';

/**
 * The INPUT_* environment the chosen action must see, worked out from the one the runner gave the
 * root action. The root action.yml declares every action's inputs without defaults, so the runner
 * sets INPUT_<NAME> to '' for each one the workflow left out; the dispatcher then does what the
 * runner would have done had the action been used directly: its defaults for unset inputs, and a
 * warning for inputs the action does not declare. Pure: the environment is an argument.
 */
export interface InputPlan {
  /** Variables to set: the chosen action's defaults for inputs the workflow left empty. */
  set: Record<string, string>;
  /** Variables to remove: runner-filled defaults (github-token) of inputs this action does not have. */
  remove: string[];
  /** Inputs given a value that the chosen action does not declare, as the workflow spelled them. */
  unexpected: string[];
}

export const ACTION_INPUT = 'action';

/**
 * The root's `action` input: the action's name, then, for an action that has an `action` input of
 * its own (deploy-k8s and deploy-ecs: deploy, promote, abort), optionally that value as a second
 * word: `action: deploy-k8s promote`. One name cannot be two inputs of one step, and this keeps the
 * action's own values and default unchanged.
 */
export interface ActionChoice {
  name: string;
  /** The second word: the chosen action's own `action` input. */
  step?: string;
}

export function readActionChoice(value: string): ActionChoice {
  const [name = '', step, ...rest] = value.trim().split(/\s+/);
  if (rest.length > 0) return { name: value.trim() };
  return step === undefined ? { name } : { name, step };
}

/** The runner's variable name for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`;
}

export function planInputs(
  entry: ActionEntry,
  env: Record<string, string | undefined>,
  runnerDefaulted: readonly string[],
  step?: string,
): InputPlan {
  const set: Record<string, string> = {};
  const declared = new Set([ACTION_INPUT, ...Object.keys(entry.inputs)].map(inputVariable));
  for (const [name, value] of Object.entries(entry.inputs)) {
    const variable = inputVariable(name);
    if (name === ACTION_INPUT) {
      // INPUT_ACTION holds the root's value (`deploy-k8s promote`): the action gets its own part.
      set[variable] = step ?? value ?? '';
    } else if (value !== null && (env[variable] ?? '') === '') set[variable] = value;
  }
  const runnerFilled = new Set(runnerDefaulted.map(inputVariable));
  const remove: string[] = [];
  const unexpected: string[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith('INPUT_') || declared.has(variable)) continue;
    if (runnerFilled.has(variable)) remove.push(variable);
    else if ((value ?? '') !== '') unexpected.push(variable.slice('INPUT_'.length).toLowerCase());
  }
  return { set, remove, unexpected: unexpected.sort() };
}
