import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * Gantry speaks the runner's protocol itself (workflow-commands.ts, file-commands.ts): @actions/core
 * would bring @actions/http-client and all of undici into every action's start. It stays in
 * node_modules only for the tests that compare Gantry's output with it.
 */
const root = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('no shipped code imports @actions/core', () => {
  const folders = [
    join(root, 'shared', 'src'),
    join(root, 'root-action', 'src'),
    ...readdirSync(join(root, 'actions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, 'actions', entry.name, 'src')),
  ];

  it.each(folders.map((folder) => relative(root, folder)))('%s', (folder) => {
    const files = sourceFiles(join(root, folder));
    expect(files.length).toBeGreaterThan(0);
    const importing = files.filter((file) =>
      /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]@actions\/core['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(importing.map((file) => relative(root, file))).toEqual([]);
  });
});
