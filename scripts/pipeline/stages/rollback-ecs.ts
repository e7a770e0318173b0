import { CLUSTER } from '../../../test/deploy-ecs/fixture.ts';
import { runStep, STAGING_ECS, type Stage } from './stage.ts';

/**
 * rollback on ECS, run because the deploy before it failed: service web back to the task
 * definition deploy-ecs replaced (its previous-task-definition-arn, as deploy.yml passes it),
 * recorded in `staging-ecs`.
 */
export const rollbackEcs: Stage = {
  name: 'rollback ecs',
  action: 'rollback',
  expect: 'success',
  keyOutputs: ['restored-revision', 'deployment-id'],
  run: (environment, outputs) =>
    runStep(
      'rollback',
      environment,
      {
        platform: 'ecs',
        cluster: CLUSTER,
        service: 'web',
        'to-task-definition': outputs['broken release ecs']?.['previous-task-definition-arn'] ?? '',
        'poll-interval': '1s',
        timeout: '2m',
        environment: STAGING_ECS,
      },
      environment.ecs.env(),
    ),
  verify: async (_run, environment, outputs) => {
    const { taskDefinition } = await environment.ecs.service();
    return taskDefinition === outputs['deploy-ecs']?.['task-definition-arn']
      ? undefined
      : `after the rollback service web runs ${taskDefinition}`;
  },
};
