import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The actions that exist: every folder of actions/ with an action.yml and a src/index.ts. */
export function actionNames(root: string): string[] {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter(
      (name) =>
        existsSync(join(root, 'actions', name, 'action.yml')) &&
        existsSync(join(root, 'actions', name, 'src', 'index.ts')),
    )
    .sort();
}

export const repoRoot = join(import.meta.dirname, '..');
