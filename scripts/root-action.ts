import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './actions.ts';
import { findConflicts } from './root-action/conflicts.ts';
import { readActionSpecs } from './root-action/metadata.ts';
import { renderActionTable, renderRootActionYml } from './root-action/render.ts';

/**
 * Regenerates the root action from each actions/<name>/action.yml: the root `action.yml` (inputs are the union
 * of every action's inputs, declared without defaults) and the dispatcher's table of actions
 * (`root-action/src/actions.generated.ts`). Refuses when two actions declare one input with
 * incompatible meanings (scripts/root-action/conflicts.ts says what that is).
 * `node scripts/root-action.ts` writes both files; `--check` only reports whether they are current.
 * Run `npm run bundle` afterwards: the table is compiled into dist/gantry/index.js.
 */
export const GENERATED_FILES = {
  actionYml: join(repoRoot, 'action.yml'),
  actionTable: join(repoRoot, 'root-action', 'src', 'actions.generated.ts'),
};

export async function renderRootAction(root: string): Promise<Record<keyof typeof GENERATED_FILES, string>> {
  const actions = readActionSpecs(root);
  const conflicts = findConflicts(actions);
  if (conflicts.length > 0) {
    throw new Error(
      `Two actions declare an input with incompatible meanings:\n  ${conflicts
        .map((conflict) => `${conflict.input} (${conflict.rule}): ${conflict.detail}`)
        .join('\n  ')}`,
    );
  }
  return {
    actionYml: await renderRootActionYml(actions, root),
    actionTable: await renderActionTable(actions, root),
  };
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const rendered = await renderRootAction(repoRoot);
  let stale = false;
  for (const key of Object.keys(GENERATED_FILES) as (keyof typeof GENERATED_FILES)[]) {
    const path = GENERATED_FILES[key];
    const current = readFileSync(path, { encoding: 'utf8', flag: 'a+' });
    if (current === rendered[key]) continue;
    if (check) {
      stale = true;
      console.error(`root-action: ${path} is stale; run \`node scripts/root-action.ts\``);
    } else {
      writeFileSync(path, rendered[key]);
      console.log(`root-action: wrote ${path}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
