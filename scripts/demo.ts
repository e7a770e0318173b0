import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run demo`: the local pipeline, one action after another, each demo running the committed
 * bundle through the runner harness as GitHub would (see each scripts/demo-<action>.ts).
 */
const STAGES = ['build-push', 'migrate', 'deploy-k8s', 'deploy-ecs', 'smoke-test'];

const failed: string[] = [];
for (const stage of STAGES) {
  const script = join(import.meta.dirname, `demo-${stage}.ts`);
  if (!existsSync(script)) continue;
  console.log(`\n################ ${stage} ################\n`);
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(stage);
}
console.log(
  failed.length === 0 ? '\nThe demo pipeline finished.' : `\nThe demo FAILED at: ${failed.join(', ')}.`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
