import { runPipeline } from './pipeline/run-pipeline.ts';
import { STAGES } from './pipeline/stages/index.ts';
import { ensureSystemTools, MissingSystemTools } from './system-tools.ts';

/**
 * `npm run demo`: the staging pipeline end to end on this machine, with the committed bundles run
 * through the runner harness as GitHub would run them (scripts/pipeline/stages/): build-push to a
 * local registry, a pre-migration backup to a local S3, migrate a throwaway PostgreSQL, deploy-k8s
 * to the Kubernetes simulator and deploy-ecs to the AWS emulator, smoke-test; then a broken release
 * that fails on each platform and the rollback action that undoes it, each deploy and rollback
 * recorded on a GitHub API server.
 * Prints each step's job summary, the deployment records and a closing table. Each action also has
 * a demo of its own, `node scripts/demo-<action>.ts`.
 */
// The same set-up as `npm test`: the system tools the stages run, installed with apt when missing.
try {
  ensureSystemTools();
} catch (error) {
  if (!(error instanceof MissingSystemTools)) throw error;
  console.error(error.message);
  process.exit(1);
}

const started = Date.now();
const { results } = await runPipeline();
const ok = results.length === STAGES.length && results.every((result) => !result.problem);
console.log(
  ok
    ? `\nThe demo pipeline finished in ${((Date.now() - started) / 1000).toFixed(0)} s: every stage did what it should.`
    : '\nThe demo pipeline FAILED: see the table above.',
);
process.exitCode = ok ? 0 : 1;
