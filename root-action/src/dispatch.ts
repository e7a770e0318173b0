import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ActionEntry, ActionTable } from './action-table.ts';
import { ACTION_INPUT, inputVariable, planInputs, readActionChoice } from './input-plan.ts';
import { issueCommand, saveState } from './workflow-command.ts';

/**
 * `uses: <owner>/gantry@v1` with `action: <name>`: runs that action's own bundle in this process,
 * main step and post step, with that action's defaults. The main step always records in the step
 * state which action it ran (or NOTHING_DISPATCHED): that is how the post step, which gets the same inputs,
 * knows it is the post step, and it runs the post of the action main ran, or nothing.
 */
export const DISPATCHED_STATE = 'gantry-root-dispatched';

/** Not a folder name an action can have; non-empty, as an empty state value may not reach the post step. */
const NOTHING_DISPATCHED = '(none)';

/** The repository root: this bundle is dist/gantry/index.js. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function dispatch(actions: ActionTable, runnerDefaulted: readonly string[]): Promise<void> {
  const env = process.env;
  const given = (env[inputVariable(ACTION_INPUT)] ?? '').trim();
  const { name, step } = readActionChoice(given);
  const dispatched = env[`STATE_${DISPATCHED_STATE}`];
  if (dispatched !== undefined) {
    const entry = actions[dispatched];
    if (entry?.post) {
      applyInputs(entry, runnerDefaulted, step);
      await runScript(entry.post);
    }
    return;
  }
  const entry = Object.hasOwn(actions, name) ? actions[name] : undefined;
  const refusal = !entry
    ? `which is not a Gantry action; accepted: ${Object.keys(actions).join(', ')}.`
    : step !== undefined && !Object.hasOwn(entry.inputs, ACTION_INPUT)
      ? `but ${name} takes no second word; accepted: ${name} alone, or a second word for ${withOwnAction(actions)}.`
      : undefined;
  saveState(DISPATCHED_STATE, entry && !refusal ? name : NOTHING_DISPATCHED);
  if (!entry || refusal) {
    issueCommand('error', `Invalid configuration: Input "${ACTION_INPUT}" is "${given}", ${refusal}`);
    process.exitCode = 1;
    return;
  }
  const unexpected = applyInputs(entry, runnerDefaulted, step);
  if (unexpected.length > 0) {
    issueCommand(
      'warning',
      `Unexpected input(s) '${unexpected.join("', '")}' for action ${name}, ` +
        `valid inputs are ['${Object.keys(entry.inputs).join("', '")}']`,
    );
  }
  await runScript(entry.main);
}

/** Gives the action its INPUT_* variables as the runner would; returns the unexpected inputs. */
function applyInputs(entry: ActionEntry, runnerDefaulted: readonly string[], step?: string): string[] {
  const plan = planInputs(entry, process.env, runnerDefaulted, step);
  for (const variable of plan.remove) delete process.env[variable];
  Object.assign(process.env, plan.set);
  return plan.unexpected;
}

/** The actions with an `action` input of their own, which a second word of the root's `action` sets. */
function withOwnAction(actions: ActionTable): string {
  const names = Object.keys(actions).filter((name) =>
    Object.hasOwn(actions[name]?.inputs ?? {}, ACTION_INPUT),
  );
  return names.length > 0 ? names.join(', ') : 'no action';
}

async function runScript(script: string): Promise<void> {
  // Not bundled: each action's own committed bundle is the code that runs, as with a direct `uses:`.
  // The import resolves once the bundle's top level (its whole run) has finished.
  await import(/* webpackIgnore: true */ pathToFileURL(join(REPO_ROOT, script)).href);
}
