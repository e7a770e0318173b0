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

/** One bundle built into dist/<name>/ from an entry module. */
export interface BundleEntry {
  name: string;
  /** The entry module, relative to the repository root. */
  entry: string;
}

/**
 * Every bundle dist/ holds: one per action, plus the root action's dispatcher (dist/gantry/), which
 * `uses: <owner>/gantry@v1` runs and which loads the chosen action's own bundle.
 */
export function bundleEntries(root: string): BundleEntry[] {
  return [
    ...actionNames(root).map((name) => ({ name, entry: join('actions', name, 'src', 'index.ts') })),
    ROOT_ACTION_BUNDLE,
  ];
}

export const ROOT_ACTION_BUNDLE: BundleEntry = {
  name: 'gantry',
  entry: join('root-action', 'src', 'index.ts'),
};
