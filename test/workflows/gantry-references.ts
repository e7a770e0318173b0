import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Checks what a workflow asks of Gantry against what Gantry declares: each `uses:` of a Gantry
 * action (`./actions/x`, `<owner>/gantry/actions/x@ref`, or the root `<owner>/gantry@ref` with
 * `action: x`) against that action's action.yml (unknown inputs, missing required inputs,
 * `steps.<id>.outputs.<name>` it does not have), each call of the reusable deploy workflow against
 * its `workflow_call` inputs, secrets and outputs, and `needs.<job>.outputs.<name>` and
 * `inputs.<name>` against what the workflow declares. Pure over parsed YAML: the tests give it the
 * actions that exist when they run.
 */
export interface ActionInterface {
  inputs: Record<string, { required: boolean; hasDefault: boolean }>;
  outputs: string[];
}

export interface CalledWorkflow {
  inputs: Record<string, { required: boolean; hasDefault: boolean; type: string }>;
  secrets: Record<string, { required: boolean }>;
  outputs: string[];
}

export interface Catalogue {
  actions: Map<string, ActionInterface>;
  /** Actions of Gantry's design not in this checkout (built on other branches): uses of them are not checked. */
  pending: Set<string>;
  /** The root action.yml's interface. */
  root: ActionInterface;
  /** Reusable workflows by file name (deploy.yml). */
  workflows: Map<string, CalledWorkflow>;
}

/** The suite DESIGN.md fixes; a reference to any other name is a mistake. */
export const DESIGNED_ACTIONS = [
  'build-push',
  'deploy-ecs',
  'deploy-k8s',
  'migrate',
  'smoke-test',
  'rollback',
  'backup',
] as const;

type Yaml = Record<string, unknown>;

export function readActionInterface(actionYml: string): ActionInterface {
  const raw = (parse(actionYml) ?? {}) as Yaml;
  const inputs = (raw.inputs ?? {}) as Record<string, Yaml | null>;
  return {
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([name, spec]) => [
        name,
        {
          required: spec?.required === true,
          hasDefault: spec?.default !== undefined && spec?.default !== null,
        },
      ]),
    ),
    outputs: Object.keys((raw.outputs ?? {}) as Yaml),
  };
}

export function readCalledWorkflow(workflowYml: string): CalledWorkflow {
  const raw = (parse(workflowYml) ?? {}) as Yaml;
  const call = (((raw.on ?? {}) as Yaml).workflow_call ?? {}) as Yaml;
  const inputs = (call.inputs ?? {}) as Record<string, Yaml>;
  const secrets = (call.secrets ?? {}) as Record<string, Yaml | null>;
  return {
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([name, spec]) => [
        name,
        { required: spec.required === true, hasDefault: spec.default !== undefined, type: String(spec.type) },
      ]),
    ),
    secrets: Object.fromEntries(
      Object.entries(secrets).map(([name, spec]) => [name, { required: spec?.required === true }]),
    ),
    outputs: Object.keys((call.outputs ?? {}) as Yaml),
  };
}

/** The catalogue of a checkout: its actions/, its root action.yml and its reusable workflows. */
export function readCatalogue(root: string, reusable: string[]): Catalogue {
  const actions = new Map<string, ActionInterface>();
  for (const name of DESIGNED_ACTIONS) {
    const file = join(root, 'actions', name, 'action.yml');
    if (existsSync(file)) actions.set(name, readActionInterface(readFileSync(file, 'utf8')));
  }
  return {
    actions,
    pending: new Set(DESIGNED_ACTIONS.filter((name) => !actions.has(name))),
    root: readActionInterface(readFileSync(join(root, 'action.yml'), 'utf8')),
    workflows: new Map(
      reusable.map((file) => [
        file,
        readCalledWorkflow(readFileSync(join(root, '.github', 'workflows', file), 'utf8')),
      ]),
    ),
  };
}

const ACTION_USE = /^(?:\.\/actions\/([\w-]+)|[\w.-]+\/gantry\/actions\/([\w-]+)@\S+)$/;
const ROOT_USE = /^(?:\.\/?|[\w.-]+\/gantry@\S+)$/;
const WORKFLOW_USE =
  /^(?:\.\/\.github\/workflows\/|[\w.-]+\/gantry\/\.github\/workflows\/)([\w.-]+\.ya?ml)(?:@\S+)?$/;
const STEP_REF = /\bsteps\.([\w-]+)\.(outputs\.([\w-]+)|outcome|conclusion)/g;
const NEEDS_REF = /\bneeds\.([\w-]+)\.(outputs\.([\w-]+)|result)/g;
const INPUTS_REF = /(?<![\w.-])inputs\.([\w-]+)/g;
const EXPRESSION = /\$\{\{(.*?)\}\}/gs;

/** Every problem found in one workflow, as `file: job: message` lines; pending uses are listed apart. */
export function checkWorkflow(
  file: string,
  text: string,
  catalogue: Catalogue,
): { problems: string[]; unchecked: string[] } {
  const workflow = (parse(text) ?? {}) as Yaml;
  const problems: string[] = [];
  const unchecked: string[] = [];
  const jobs = (workflow.jobs ?? {}) as Record<string, Yaml>;
  const declaredInputs = workflowInputs(workflow);
  for (const [inputName, where] of expressionRefs(workflow, INPUTS_REF)) {
    if (declaredInputs !== undefined && !declaredInputs.has(inputName)) {
      problems.push(`${file}: ${where} reads inputs.${inputName}, which the workflow does not declare`);
    }
  }
  for (const [jobId, job] of Object.entries(jobs)) {
    const at = `${file}: job ${jobId}`;
    const stepActions = new Map<string, ActionInterface | undefined>();
    const steps = (job.steps ?? []) as Yaml[];
    steps.forEach((step, index) => {
      const where = `${at}, step ${String(step.id ?? step.name ?? index + 1)}`;
      const used =
        typeof step.uses === 'string'
          ? resolveAction(step.uses, step, catalogue, where, problems)
          : undefined;
      if (used === 'pending') unchecked.push(`${where}: ${String(step.uses)}`);
      if (typeof step.id === 'string') stepActions.set(step.id, used === 'pending' ? undefined : used);
    });
    for (const match of expressionMatches(job, STEP_REF)) {
      const [, id, , output] = match;
      if (!id) continue;
      if (!stepActions.has(id)) {
        problems.push(`${at} refers to steps.${id}, which is no step id of this job`);
        continue;
      }
      const action = stepActions.get(id);
      if (output && action && !action.outputs.includes(output)) {
        problems.push(
          `${at} reads steps.${id}.outputs.${output}; the action has only: ${action.outputs.join(', ')}`,
        );
      }
    }
    checkNeeds(at, job, jobs, catalogue, problems);
    if (typeof job.uses === 'string') checkWorkflowCall(at, job, catalogue, problems);
  }
  return { problems, unchecked };
}

/** The inputs a workflow declares for workflow_call and workflow_dispatch; undefined when it has none of them. */
function workflowInputs(workflow: Yaml): Set<string> | undefined {
  const on = workflow.on;
  if (typeof on !== 'object' || on === null) return undefined;
  const triggers = on as Yaml;
  if (!('workflow_call' in triggers) && !('workflow_dispatch' in triggers)) return undefined;
  const names = ['workflow_call', 'workflow_dispatch'].flatMap((trigger) =>
    Object.keys((((triggers[trigger] ?? {}) as Yaml).inputs ?? {}) as Yaml),
  );
  return new Set(names);
}

/**
 * The interface of the Gantry action a step uses, after checking its `with:` against it; 'pending'
 * for an action of the design not in this checkout; undefined for anything not Gantry's.
 */
function resolveAction(
  uses: string,
  step: Yaml,
  catalogue: Catalogue,
  where: string,
  problems: string[],
): ActionInterface | 'pending' | undefined {
  const given = (step.with ?? {}) as Yaml;
  const direct = ACTION_USE.exec(uses);
  const throughRoot = !direct && ROOT_USE.test(uses);
  if (!direct && !throughRoot) return undefined;
  const chosen = throughRoot ? given.action : undefined;
  const name = direct ? ((direct[1] ?? direct[2]) as string) : chosen;
  const action = typeof name === 'string' ? catalogue.actions.get(name) : undefined;
  if (throughRoot && !action) {
    // `action:` from an expression, or an action still to come: only the root's own inputs can be checked.
    checkInputs(where, 'the root action', given, catalogue.root, problems);
    if (typeof name !== 'string' || name.includes('${{') || catalogue.pending.has(name)) {
      return typeof name === 'string' && catalogue.pending.has(name) ? 'pending' : undefined;
    }
  }
  if (!action) {
    if (typeof name === 'string' && catalogue.pending.has(name)) return 'pending';
    problems.push(`${where} uses the Gantry action "${String(name)}", which does not exist`);
    return undefined;
  }
  const own = throughRoot
    ? Object.fromEntries(Object.entries(given).filter(([key]) => key !== 'action'))
    : given;
  checkInputs(where, name as string, own, action, problems);
  return action;
}

function checkInputs(
  where: string,
  name: string,
  given: Yaml,
  action: ActionInterface,
  problems: string[],
): void {
  for (const input of Object.keys(given)) {
    if (!(input in action.inputs)) problems.push(`${where}: ${name} has no input "${input}"`);
  }
  for (const [input, spec] of Object.entries(action.inputs)) {
    if (spec.required && !spec.hasDefault && !(input in given)) {
      problems.push(`${where}: ${name} requires the input "${input}"`);
    }
  }
}

function checkWorkflowCall(at: string, job: Yaml, catalogue: Catalogue, problems: string[]): void {
  const match = WORKFLOW_USE.exec(job.uses as string);
  if (!match) return;
  const file = match[1] as string;
  const called = catalogue.workflows.get(file);
  if (!called) {
    problems.push(`${at} calls the Gantry workflow ${file}, which does not exist`);
    return;
  }
  const given = (job.with ?? {}) as Yaml;
  for (const [input, value] of Object.entries(given)) {
    const spec = called.inputs[input];
    if (!spec) {
      problems.push(`${at}: ${file} has no input "${input}"`);
      continue;
    }
    const literal = typeof value !== 'string' || !value.includes('${{');
    if (literal && spec.type === 'boolean' && typeof value !== 'boolean') {
      problems.push(`${at}: ${file} input "${input}" is a boolean, given ${JSON.stringify(value)}`);
    }
    if (literal && spec.type === 'number' && typeof value !== 'number') {
      problems.push(`${at}: ${file} input "${input}" is a number, given ${JSON.stringify(value)}`);
    }
  }
  for (const [input, spec] of Object.entries(called.inputs)) {
    if (spec.required && !(input in given)) problems.push(`${at}: ${file} requires the input "${input}"`);
  }
  if (job.secrets === 'inherit') return;
  const secrets = (job.secrets ?? {}) as Yaml;
  for (const secret of Object.keys(secrets)) {
    if (!(secret in called.secrets)) problems.push(`${at}: ${file} has no secret "${secret}"`);
  }
  for (const [secret, spec] of Object.entries(called.secrets)) {
    if (spec.required && !(secret in secrets))
      problems.push(`${at}: ${file} requires the secret "${secret}"`);
  }
}

function checkNeeds(
  at: string,
  job: Yaml,
  jobs: Record<string, Yaml>,
  catalogue: Catalogue,
  problems: string[],
): void {
  const needs = new Set(typeof job.needs === 'string' ? [job.needs] : ((job.needs ?? []) as string[]));
  for (const match of expressionMatches(job, NEEDS_REF)) {
    const [, id, , output] = match;
    if (!id) continue;
    if (!needs.has(id)) {
      problems.push(`${at} refers to needs.${id}, which is not in its needs`);
      continue;
    }
    const needed = jobs[id];
    if (!output || !needed) continue;
    const called = typeof needed.uses === 'string' ? WORKFLOW_USE.exec(needed.uses) : null;
    const outputs = called
      ? (catalogue.workflows.get(called[1] as string)?.outputs ?? [])
      : Object.keys((needed.outputs ?? {}) as Yaml);
    if (!outputs.includes(output)) {
      problems.push(`${at} reads needs.${id}.outputs.${output}; job ${id} has only: ${outputs.join(', ')}`);
    }
  }
}

/** Matches of a pattern in the expressions under a node. */
function expressionMatches(node: unknown, pattern: RegExp): RegExpMatchArray[] {
  return expressions(node).flatMap((expression) => [...expression.matchAll(pattern)]);
}

/** [name, where] for each match of a one-group pattern in the workflow's expressions. */
function expressionRefs(workflow: Yaml, pattern: RegExp): [string, string][] {
  const call = ((workflow.on as Yaml | undefined)?.workflow_call ?? {}) as Yaml;
  const places: [string, unknown][] = [
    ...Object.entries((workflow.jobs ?? {}) as Yaml).map(([id, job]): [string, unknown] => [
      `job ${id}`,
      job,
    ]),
    ['concurrency', workflow.concurrency],
    ['env', workflow.env],
    ['workflow_call outputs', call.outputs],
  ];
  return places.flatMap(([where, node]) =>
    expressionMatches(node, pattern).map((match): [string, string] => [match[1] as string, where]),
  );
}

/** The expressions under a node: each `${{ }}`, and an `if:` written without one (it is an expression all the same). */
function expressions(node: unknown, key?: string): string[] {
  if (typeof node === 'string') {
    if (key === 'if' && !node.includes('${{')) return [node];
    return [...node.matchAll(EXPRESSION)].map((match) => match[1] ?? '');
  }
  if (Array.isArray(node)) return node.flatMap((item) => expressions(item));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([name, value]) => expressions(value, name));
  return [];
}
