import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { GENERATED_FILES, renderRootAction } from '../../scripts/root-action.ts';
import { repoRoot } from '../../scripts/actions.ts';
import { findConflicts } from '../../scripts/root-action/conflicts.ts';
import { readActionSpecs } from '../../scripts/root-action/metadata.ts';

/** The root action is generated from the actions that exist now: stale files fail here. */
describe('the root action files', () => {
  it('declare no input of two actions with incompatible meanings (scripts/root-action/conflicts.ts)', () => {
    expect(findConflicts(readActionSpecs(repoRoot))).toEqual([]);
  });

  it('are what `node scripts/root-action.ts` generates from actions/*/action.yml', async () => {
    const rendered = await renderRootAction(repoRoot);
    const stale = (Object.keys(GENERATED_FILES) as (keyof typeof GENERATED_FILES)[]).filter(
      (key) => readFileSync(GENERATED_FILES[key], 'utf8') !== rendered[key],
    );
    expect({ stale, fix: 'run `node scripts/root-action.ts`, then `npm run bundle`' }).toEqual({
      stale: [],
      fix: expect.any(String),
    });
  });

  it('declare every input of every action and no default but an expression the runner evaluates', () => {
    const root = parse(readFileSync(GENERATED_FILES.actionYml, 'utf8')) as {
      inputs: Record<string, { default?: string; required?: boolean }>;
      runs: Record<string, string>;
    };
    const declared = new Set(
      readActionSpecs(repoRoot).flatMap((action) => action.inputs.map((input) => input.name)),
    );
    // `action` is declared once, the root's: an action's own `action` is its second word.
    expect(Object.keys(root.inputs).sort()).toEqual([...new Set(['action', ...declared])].sort());
    const defaults = Object.values(root.inputs).flatMap((input) =>
      input.default === undefined ? [] : [input.default],
    );
    expect(defaults.filter((value) => !/^\$\{\{.*\}\}$/.test(value))).toEqual([]);
    expect(
      Object.entries(root.inputs)
        .filter(([, input]) => input.required)
        .map(([name]) => name),
    ).toEqual(['action']);
    expect(root.runs).toEqual({
      using: 'node24',
      main: 'dist/gantry/index.js',
      post: 'dist/gantry/index.js',
    });
  });
});
