import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionNames, repoRoot } from './actions.ts';

/**
 * Each action's README carries its inputs and outputs tables generated from its action.yml, between
 * marker comments, so the documentation cannot drift from the metadata. `npm run docs` rewrites
 * them; a test fails when a README is out of date.
 */
interface ActionMetadata {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

const START = '<!-- generated:inputs-outputs:start -->';
const END = '<!-- generated:inputs-outputs:end -->';

export function renderTables(actionYml: string): string {
  const metadata = parse(actionYml) as ActionMetadata;
  const cell = (text: string): string =>
    text
      .replace(/\|/g, '\\|')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  const inputs = Object.entries(metadata.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default === undefined ? '' : `\`${cell(String(input.default))}\``} | ${cell(input.description ?? '')} |`,
  );
  const outputs = Object.entries(metadata.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`,
  );
  return [
    START,
    '### Inputs',
    '',
    '| name | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| name | description |',
    '| --- | --- |',
    ...outputs,
    END,
  ].join('\n');
}

/** The README with its generated section replaced; throws when the markers are missing. */
export function updateReadme(readme: string, actionYml: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the README has no ${START} ... ${END} section`);
  return readme.slice(0, start) + renderTables(actionYml) + readme.slice(end + END.length);
}

export function readmePaths(name: string): { readme: string; actionYml: string } {
  return {
    readme: join(repoRoot, 'actions', name, 'README.md'),
    actionYml: join(repoRoot, 'actions', name, 'action.yml'),
  };
}

if (import.meta.main) {
  for (const name of actionNames(repoRoot)) {
    const paths = readmePaths(name);
    writeFileSync(
      paths.readme,
      updateReadme(readFileSync(paths.readme, 'utf8'), readFileSync(paths.actionYml, 'utf8')),
    );
    console.log(`docs: actions/${name}/README.md`);
  }
}
