import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../../scripts/actions.ts';
import {
  checkWorkflow,
  readCatalogue,
  type ActionInterface,
  type Catalogue,
  type CalledWorkflow,
} from './gantry-references.ts';

/**
 * Every workflow's uses of Gantry, checked against the actions and the reusable workflow as they are
 * in this checkout when the test runs (gantry-references.ts). Actions of the design that this
 * checkout does not have yet are listed, not checked; once they exist, their uses are checked too.
 */
const workflowFiles = [
  ...readdirSync(join(repoRoot, '.github', 'workflows')).map((file) => join('.github', 'workflows', file)),
  ...readdirSync(join(repoRoot, 'workflows-examples')).map((file) => join('workflows-examples', file)),
].filter((file) => /\.ya?ml$/.test(file));

describe('the workflows of this repository', () => {
  const catalogue = readCatalogue(repoRoot, ['deploy.yml']);

  it.each(workflowFiles)('%s uses Gantry as its action.yml files and deploy.yml declare', (file) => {
    const { problems, unchecked } = checkWorkflow(
      file,
      readFileSync(join(repoRoot, file), 'utf8'),
      catalogue,
    );
    expect(problems).toEqual([]);
    // Uses of actions not in this checkout are only allowed for actions of the design still to come.
    for (const use of unchecked)
      expect([...catalogue.pending].some((name) => use.includes(`/${name}@`))).toBe(true);
  });
});

describe('the YAML examples in the READMEs', () => {
  const catalogue = readCatalogue(repoRoot, ['deploy.yml']);
  // Whole workflows are checked as they are; the step snippets of one README as the steps of one
  // job, in order, as they read as one pipeline (a later snippet reads steps.image from an earlier one).
  const examples = ['README.md', join('workflows-examples', 'README.md')].flatMap((file) => {
    const parsed = [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/```yaml\n(.*?)```/gs)].map(
      (match) => parse(match[1] as string) as unknown,
    );
    const steps = parsed.filter(Array.isArray).flat();
    const workflows = parsed.filter((block) => !Array.isArray(block));
    return [
      ...workflows.map((workflow, index): [string, unknown] => [`${file} workflow ${index + 1}`, workflow]),
      ...(steps.length > 0
        ? [
            [`${file} steps`, { on: 'push', jobs: { example: { 'runs-on': 'x', steps } } }] as [
              string,
              unknown,
            ],
          ]
        : []),
    ];
  });

  it('finds the examples', () => {
    expect(examples.map(([name]) => name)).toEqual(
      expect.arrayContaining(['README.md workflow 1', 'README.md steps']),
    );
  });

  it.each(examples)('%s uses Gantry as declared', (name, workflow) => {
    expect(checkWorkflow(name, stringify(workflow), catalogue).problems).toEqual([]);
  });
});

const ACTION: ActionInterface = {
  inputs: {
    manifests: { required: true, hasDefault: false },
    timeout: { required: false, hasDefault: true },
    region: { required: true, hasDefault: true },
  },
  outputs: ['revision'],
};
const DEPLOY: CalledWorkflow = {
  inputs: {
    environment: { required: true, hasDefault: false, type: 'string' },
    backup: { required: false, hasDefault: true, type: 'boolean' },
  },
  secrets: { kubeconfig: { required: true }, token: { required: false } },
  outputs: ['image'],
};
const CATALOGUE: Catalogue = {
  actions: new Map([['deploy-k8s', ACTION]]),
  pending: new Set(['backup']),
  root: {
    inputs: {
      action: { required: true, hasDefault: false },
      manifests: { required: false, hasDefault: false },
    },
    outputs: [],
  },
  workflows: new Map([['deploy.yml', DEPLOY]]),
};

function problemsOf(workflow: Record<string, unknown>): string[] {
  return checkWorkflow('w.yml', stringify(workflow), CATALOGUE).problems;
}

function stepJob(...steps: Record<string, unknown>[]): Record<string, unknown> {
  return { on: 'push', jobs: { deploy: { 'runs-on': 'x', steps } } };
}

const K8S = 'gantry-dev/gantry/actions/deploy-k8s@v1';

describe('checkWorkflow', () => {
  it.each([
    ['a local use', { uses: './actions/deploy-k8s', with: { manifests: 'k8s/' } }],
    ['a remote use', { uses: K8S, with: { manifests: 'k8s/', timeout: '5m' } }],
    ['the root action', { uses: 'gantry-dev/gantry@v1', with: { action: 'deploy-k8s', manifests: 'k8s/' } }],
    ['an action of another owner', { uses: 'actions/checkout@v4', with: { anything: 1 } }],
  ])('accepts %s', (_label, step) => {
    expect(problemsOf(stepJob(step))).toEqual([]);
  });

  it.each([
    [
      'an unknown input',
      { uses: K8S, with: { manifests: 'k8s/', manifest: 'x' } },
      'deploy-k8s has no input "manifest"',
    ],
    ['a missing required input', { uses: K8S, with: {} }, 'deploy-k8s requires the input "manifests"'],
    [
      'an action that does not exist',
      { uses: 'gantry-dev/gantry/actions/deploy-moon@v1' },
      'the Gantry action "deploy-moon", which does not exist',
    ],
    [
      'an unknown input through the root',
      { uses: 'gantry-dev/gantry@v1', with: { action: 'deploy-k8s', manifests: 'k', tags: 't' } },
      'deploy-k8s has no input "tags"',
    ],
    [
      'an unknown action through the root',
      { uses: 'gantry-dev/gantry@v1', with: { action: 'deploy-moon' } },
      'the Gantry action "deploy-moon", which does not exist',
    ],
    [
      'an unknown input when the root gets its action from an expression',
      { uses: 'gantry-dev/gantry@v1', with: { action: '${{ inputs.a }}', tags: 't' } },
      'the root action has no input "tags"',
    ],
  ])('reports %s', (_label, step, problem) => {
    expect(problemsOf(stepJob(step))).toEqual([expect.stringContaining(problem)]);
  });

  it('does not check uses of an action of the design that this checkout lacks, and lists them', () => {
    const workflow = stepJob({ uses: 'gantry-dev/gantry/actions/backup@v1', with: { whatever: 1 } });
    expect(checkWorkflow('w.yml', stringify(workflow), CATALOGUE)).toEqual({
      problems: [],
      unchecked: ['w.yml: job deploy, step 1: gantry-dev/gantry/actions/backup@v1'],
    });
  });

  it.each([
    [
      'an output the action lacks',
      '${{ steps.k8s.outputs.revisions }}',
      'reads steps.k8s.outputs.revisions; the action has only: revision',
    ],
    ['an unknown step id', '${{ steps.k9s.outputs.revision }}', 'refers to steps.k9s, which is no step id'],
  ])('reports %s', (_label, expression, problem) => {
    const workflow = stepJob(
      { id: 'k8s', uses: K8S, with: { manifests: 'k' } },
      { run: `echo "${expression}"` },
    );
    expect(problemsOf(workflow)).toEqual([expect.stringContaining(problem)]);
  });

  it('reads step references in an if: written without ${{ }}', () => {
    const workflow = stepJob(
      { id: 'k8s', uses: K8S, with: { manifests: 'k' } },
      { if: "steps.k8z.outcome == 'success'", run: 'x' },
    );
    expect(problemsOf(workflow)).toEqual([expect.stringContaining('refers to steps.k8z')]);
  });

  const call = (job: Record<string, unknown>): Record<string, unknown> => ({
    on: 'push',
    jobs: { ship: { uses: 'gantry-dev/gantry/.github/workflows/deploy.yml@v1', ...job } },
  });

  it.each([
    [
      'a complete call',
      { with: { environment: 'staging', backup: true }, secrets: { kubeconfig: '${{ secrets.K }}' } },
    ],
    ['inherited secrets', { with: { environment: 'staging' }, secrets: 'inherit' }],
    [
      'an expression for a boolean',
      { with: { environment: 's', backup: '${{ inputs.b }}' }, secrets: 'inherit' },
    ],
  ])('accepts a deploy.yml call with %s', (_label, job) => {
    expect(problemsOf(call(job))).toEqual([]);
  });

  it.each([
    [
      'an unknown input',
      { with: { environment: 's', enviroment: 's' }, secrets: 'inherit' },
      'deploy.yml has no input "enviroment"',
    ],
    ['a missing required input', { secrets: 'inherit' }, 'deploy.yml requires the input "environment"'],
    [
      'a string for a boolean',
      { with: { environment: 's', backup: 'yes' }, secrets: 'inherit' },
      'input "backup" is a boolean, given "yes"',
    ],
    [
      'an unknown secret',
      { with: { environment: 's' }, secrets: { kubeconfig: 'k', kube: 'k' } },
      'deploy.yml has no secret "kube"',
    ],
    [
      'a missing required secret',
      { with: { environment: 's' }, secrets: { token: 't' } },
      'deploy.yml requires the secret "kubeconfig"',
    ],
  ])('reports a deploy.yml call with %s', (_label, job, problem) => {
    expect(problemsOf(call(job))).toEqual([expect.stringContaining(problem)]);
  });

  it('checks needs.<job>.outputs against the called workflow and the job outputs', () => {
    const workflow = {
      on: 'push',
      jobs: {
        ship: {
          uses: 'gantry-dev/gantry/.github/workflows/deploy.yml@v1',
          with: { environment: 's' },
          secrets: 'inherit',
        },
        after: {
          needs: 'ship',
          'runs-on': 'x',
          steps: [{ run: 'echo ${{ needs.ship.outputs.images }} ${{ needs.other.result }}' }],
        },
      },
    };
    expect(problemsOf(workflow)).toEqual([
      expect.stringContaining('reads needs.ship.outputs.images; job ship has only: image'),
      expect.stringContaining('refers to needs.other, which is not in its needs'),
    ]);
  });

  it('checks inputs.<name> against the inputs a called or dispatched workflow declares', () => {
    const workflow = {
      on: { workflow_dispatch: { inputs: { revision: { type: 'string' } } } },
      jobs: {
        a: { 'runs-on': 'x', steps: [{ if: "inputs.revison != ''", run: 'echo ${{ inputs.revision }}' }] },
      },
    };
    expect(problemsOf(workflow)).toEqual([
      expect.stringContaining('reads inputs.revison, which the workflow does not declare'),
    ]);
  });
});
