import { CLUSTER } from '../../../test/deploy-ecs/fixture.ts';
import { runStep, STAGING_ECS, type Stage } from './stage.ts';

/** deploy-ecs: the same image to the emulated ECS service `web`; recorded in `staging-ecs`. */
export const deployEcs: Stage = {
  name: 'deploy-ecs',
  action: 'deploy-ecs',
  expect: 'success',
  keyOutputs: ['task-definition-arn', 'github-deployment-id'],
  run: (environment, outputs) =>
    runStep(
      'deploy-ecs',
      environment,
      {
        cluster: CLUSTER,
        service: 'web',
        'task-definition': 'ecs/task-definition.json',
        'container-name': 'app',
        image: outputs.build?.image ?? '',
        'poll-interval': '1s',
        'wait-for-minutes': '2',
        environment: STAGING_ECS,
      },
      environment.ecs.env(),
    ),
  verify: async (run, environment) => {
    const { taskDefinition } = await environment.ecs.service();
    return taskDefinition === run.outputs['task-definition-arn']
      ? undefined
      : `service web runs ${taskDefinition}, not the task definition deployed`;
  },
};
