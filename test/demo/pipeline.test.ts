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
    expect(result('broken release')['rolled-back']).toBe('false');

    // Each record is the one its stage reported, with the states GitHub shows on the environments.
    const id = (name: string, output = 'deployment-id'): number => Number(result(name)[output]);
    expect(
      records.map(({ id, environment, action, states }) => ({ id, environment, action, states })),
    ).toEqual([
      {
        id: id('deploy-k8s'),
        environment: 'staging',
        action: 'deploy-k8s',
        // Made inactive by the rollback's success: staging's current release is the rollback's.
        states: ['in_progress', 'success', 'inactive'],
      },
      {
        id: id('deploy-ecs', 'github-deployment-id'),
        environment: 'staging-ecs',
        action: 'deploy-ecs',
        states: ['in_progress', 'success'],
      },
      {
        id: id('broken release'),
        environment: 'staging',
        action: 'deploy-k8s',
        states: ['in_progress', 'failure'],
      },
      { id: id('rollback'), environment: 'staging', action: 'rollback', states: ['in_progress', 'success'] },
    ]);
    // The rollback restored the release of the first deploy: its record names that commit.
    const first = records.find((record) => record.id === id('deploy-k8s'));
    const broken = records.find((record) => record.id === id('broken release'));
    expect(records.find((record) => record.id === id('rollback'))?.sha).toBe(first?.sha);
    expect(broken?.sha).not.toBe(first?.sha);

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
