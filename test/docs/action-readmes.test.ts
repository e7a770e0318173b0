import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { actionNames, repoRoot } from '../../scripts/actions.ts';
import { readmePaths, updateReadme } from '../../scripts/action-docs.ts';

/** Every action's README documents every input and output, exactly as its action.yml declares them. */
describe.each(actionNames(repoRoot))('actions/%s', (name) => {
  const paths = readmePaths(name);
  const readme = readFileSync(paths.readme, 'utf8');
  const actionYml = readFileSync(paths.actionYml, 'utf8');

  it('has inputs and outputs tables generated from action.yml (run `npm run docs`)', () => {
    expect(updateReadme(readme, actionYml)).toBe(readme);
  });

  it('names every input and output in the README', () => {
    const metadata = parse(actionYml) as { inputs?: object; outputs?: object };
    for (const key of [...Object.keys(metadata.inputs ?? {}), ...Object.keys(metadata.outputs ?? {})]) {
      expect(readme).toContain(`| \`${key}\` |`);
    }
  });

  it('runs on node24 from its committed bundle', () => {
    const metadata = parse(actionYml) as { runs: { using: string; main: string } };
    expect(metadata.runs.using).toBe('node24');
    expect(metadata.runs.main).toBe(`../../dist/${name}/index.js`);
  });
});
