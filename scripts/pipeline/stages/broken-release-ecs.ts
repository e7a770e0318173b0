import { CLUSTER } from '../../../test/deploy-ecs/fixture.ts';
import { imagePullFailure } from '../../../test/support/aws-emulator/index.ts';
import { BROKEN_RELEASE_ENV, runStep, STAGING_ECS, type Stage } from './stage.ts';

/**
 * The same broken release on ECS: deploy-ecs of an image whose tasks cannot pull it. The service's
 * circuit breaker stops the deployment without rolling it back, and deploy-ecs's own rollback is
 * off, so the service is left on the broken revision for the rollback action; the record ends `failure`.
 */
export const brokenReleaseEcs: Stage = {
  name: 'broken release ecs',
  action: 'deploy-ecs',
  expect: 'failure',
  keyOutputs: ['rollout-state', 'github-deployment-id'],
  run: (environment) => {
    const broken = `${environment.repository}:1.1.0-broken`;
    environment.ecs.aws.ecs.taskBehaviour({ image: broken }, imagePullFailure(broken));
    return runStep(
      'deploy-ecs',
      environment,
      {
        cluster: CLUSTER,
        service: 'web',
        'task-definition': 'ecs/task-definition.json',
        'container-name': 'app',
        image: broken,
        'poll-interval': '1s',
        'wait-for-minutes': '2',
        'rollback-on-failure': 'false',
        environment: STAGING_ECS,
      },
      { ...environment.ecs.env(), ...BROKEN_RELEASE_ENV },
    );
  },
  verify: async (run, environment) => {
    const { taskDefinition } = await environment.ecs.service();
    return taskDefinition === run.outputs['task-definition-arn']
      ? undefined
      : `service web runs ${taskDefinition}, not the broken release`;
  },
};
