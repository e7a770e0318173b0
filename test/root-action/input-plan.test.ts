import { describe, expect, it } from '@jest/globals';
import type { ActionEntry } from '../../root-action/src/action-table.ts';
import { inputVariable, planInputs, readActionChoice } from '../../root-action/src/input-plan.ts';

const DEPLOY: ActionEntry = {
  main: 'dist/deploy/index.js',
  inputs: { manifests: null, timeout: '10m', 'dry-run': 'false', 'github-token': null },
};
const SMOKE: ActionEntry = { main: 'dist/smoke/index.js', inputs: { url: null, timeout: '5m' } };
const RUNNER_DEFAULTED = ['github-token'];

describe('planInputs', () => {
  it.each([
    [
      'an input left out gets the default',
      { 'INPUT_DRY-RUN': '' },
      { 'INPUT_DRY-RUN': 'false', INPUT_TIMEOUT: '10m' },
    ],
    ['a given value is kept', { INPUT_TIMEOUT: '2m', 'INPUT_DRY-RUN': 'true' }, {}],
    [
      'an input with no default stays unset',
      { INPUT_MANIFESTS: '' },
      { 'INPUT_DRY-RUN': 'false', INPUT_TIMEOUT: '10m' },
    ],
  ])('%s', (_label, env, set) => {
    expect(planInputs(DEPLOY, { INPUT_ACTION: 'deploy', ...env }, RUNNER_DEFAULTED).set).toEqual(set);
  });

  it("applies the chosen action's default, not another action's for the same name", () => {
    expect(planInputs(SMOKE, { INPUT_TIMEOUT: '' }, RUNNER_DEFAULTED).set).toEqual({ INPUT_TIMEOUT: '5m' });
  });

  it("names inputs the action does not declare, in the workflow's spelling, and ignores empty ones", () => {
    const plan = planInputs(
      SMOKE,
      {
        INPUT_ACTION: 'smoke',
        INPUT_URL: 'http://x',
        INPUT_MANIFESTS: 'k8s/',
        'INPUT_BUILD-ARGS': 'A=1',
        INPUT_TAGS: '',
      },
      RUNNER_DEFAULTED,
    );
    expect(plan.unexpected).toEqual(['build-args', 'manifests']);
  });

  it("removes the runner's expression default of an input the chosen action does not declare", () => {
    const plan = planInputs(SMOKE, { 'INPUT_GITHUB-TOKEN': 'ghs_token' }, RUNNER_DEFAULTED);
    expect(plan).toEqual({ set: { INPUT_TIMEOUT: '5m' }, remove: ['INPUT_GITHUB-TOKEN'], unexpected: [] });
    expect(planInputs(DEPLOY, { 'INPUT_GITHUB-TOKEN': 'ghs_token' }, RUNNER_DEFAULTED).remove).toEqual([]);
  });

  it("gives an action with an `action` input of its own the root's second word, or its default", () => {
    const staged: ActionEntry = {
      main: 'dist/staged/index.js',
      inputs: { action: 'deploy', strategy: 'rolling' },
    };
    const env = { INPUT_ACTION: 'staged promote', INPUT_STRATEGY: 'canary' };
    expect(planInputs(staged, env, RUNNER_DEFAULTED, 'promote').set).toEqual({ INPUT_ACTION: 'promote' });
    expect(planInputs(staged, { INPUT_ACTION: 'staged' }, RUNNER_DEFAULTED).set).toEqual({
      INPUT_ACTION: 'deploy',
      INPUT_STRATEGY: 'rolling',
    });
  });

  it.each([
    ['deploy-k8s', { name: 'deploy-k8s' }],
    ['  deploy-k8s   promote ', { name: 'deploy-k8s', step: 'promote' }],
    ['deploy-k8s promote now', { name: 'deploy-k8s promote now' }],
  ])('reads the root action input %j', (value, choice) => {
    expect(readActionChoice(value)).toEqual(choice);
  });

  it('spells variables as the runner does: upper case, spaces to _, hyphens kept', () => {
    expect([inputVariable('dry-run'), inputVariable('display name')]).toEqual([
      'INPUT_DRY-RUN',
      'INPUT_DISPLAY_NAME',
    ]);
  });
});
