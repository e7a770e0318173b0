import { describe, expect, it } from '@jest/globals';
import { runPipeline } from '../../scripts/pipeline/run-pipeline.ts';
import { STAGES } from '../../scripts/pipeline/stages.ts';

/**
 * `npm run demo` in the suite: the staging pipeline end to end with the committed bundles (real
 * registry, real PostgreSQL, the Kubernetes simulator), each stage ending as it should: the image
 * built is the one the cluster runs, and the broken release is rolled back to it.
 */
describe('the demo pipeline', () => {
  it('runs every stage as expected and closes with a table of the run', async () => {
    const printed: string[] = [];
    const results = await runPipeline(STAGES, (text) => printed.push(text));
    expect(results.map(({ stage, outcome, problem }) => ({ stage, outcome, problem }))).toEqual(
      STAGES.map((stage) => ({ stage: stage.name, outcome: stage.expect, problem: undefined })),
    );
    const table = printed.at(-1) ?? '';
    expect(table).toMatch(/^\s*stage\s+action\s+outcome\s+as expected\s+time\s+key output/);
    for (const stage of STAGES) expect(table).toContain(stage.name);
  }, 240_000);
});
