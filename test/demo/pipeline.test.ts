import { describe, expect, it } from '@jest/globals';
import { runPipeline } from '../../scripts/pipeline/run-pipeline.ts';
import { STAGES } from '../../scripts/pipeline/stages/index.ts';

/**
 * `npm run demo` in the suite, whole: the staging pipeline end to end with the committed bundles
 * (real registry, real PostgreSQL, local S3, the Kubernetes simulator, the AWS emulator, the GitHub
 * API server). Each stage ends as it should (its own verify checks the cluster, the ECS service and
 * the S3 object), the broken release is undone by the rollback action, and GitHub holds the records
 * a workflow's environments would show.
 */
describe('the demo pipeline', () => {
  it('runs every stage as expected, records each deploy and the rollback, and closes with a table', async () => {
    const printed: string[] = [];
    const { results, records } = await runPipeline(STAGES, (text) => printed.push(text));

    expect(results.map(({ stage, outcome, problem }) => ({ stage, outcome, problem }))).toEqual(
      STAGES.map((stage) => ({ stage: stage.name, outcome: stage.expect, problem: undefined })),
    );
    const result = (name: string): Record<string, string> =>
      results.find((item) => item.stage === name)?.keyOutputs ?? {};
    expect(result('build').image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(result('backup').key).toMatch(/^backups\/shop\/.+\.dump\.age$/);
    expect(result('deploy-ecs')['task-definition-arn']).toMatch(/:task-definition\/web:2$/);
    expect(result('broken release k8s')['rolled-back']).toBe('false');
    expect(result('broken release ecs')['rollout-state']).toBe('STOPPED');

    // Each record is the one its stage reported, with the states GitHub shows on the environments.
    const id = (name: string, output = 'deployment-id'): number => Number(result(name)[output]);
    // Made inactive by the rollbacks' successes: each environment's current release is its rollback's.
    const settled = ['in_progress', 'success', 'inactive'];
    const failed = ['in_progress', 'failure'];
    const succeeded = ['in_progress', 'success'];
    expect(records.map(({ id, environment, action, states }) => [id, environment, action, states])).toEqual([
      [id('deploy-k8s'), 'staging', 'deploy-k8s', settled],
      [id('deploy-ecs', 'github-deployment-id'), 'staging-ecs', 'deploy-ecs', settled],
      [id('broken release k8s'), 'staging', 'deploy-k8s', failed],
      [id('rollback k8s'), 'staging', 'rollback', succeeded],
      [id('broken release ecs', 'github-deployment-id'), 'staging-ecs', 'deploy-ecs', failed],
      [id('rollback ecs'), 'staging-ecs', 'rollback', succeeded],
    ]);
    // The rollbacks restored the release of the first deploys: their records name that commit.
    const sha = (stage: string, output?: string): string | undefined =>
      records.find((record) => record.id === id(stage, output))?.sha;
    expect(sha('broken release k8s')).not.toBe(sha('deploy-k8s'));
    expect(sha('rollback k8s')).toBe(sha('deploy-k8s'));
    expect(sha('rollback ecs')).toBe(sha('deploy-ecs', 'github-deployment-id'));

    const [recordsPrinted, table] = printed.slice(-2);
    expect(recordsPrinted).toContain('in_progress -> failure');
    expect(table).toMatch(/^\s*stage\s+action\s+outcome\s+as expected\s+time\s+key outputs/);
    const rows = (table ?? '').trim().split('\n').slice(2);
    expect(rows).toHaveLength(STAGES.length);
    STAGES.forEach((stage, index) =>
      expect(rows[index]).toMatch(
        new RegExp(`^${stage.name}\\s+${stage.action}\\s+${stage.expect}\\s+yes\\s`),
      ),
    );
  }, 120_000);
});
