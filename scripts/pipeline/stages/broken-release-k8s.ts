import { BROKEN_RELEASE_ENV, liveImage, type Stage } from './stage.ts';
import { deployToKubernetes } from './deploy-k8s.ts';

/**
 * A broken release: deploy-k8s of an image the cluster cannot pull. Its own rollback is off
 * (`rollback-on-failure: false`) so that the next stage, the rollback action, undoes it, as a
 * workflow's `if: failure()` step does; the record of this deploy ends `failure`.
 */
export const brokenReleaseK8s: Stage = {
  name: 'broken release k8s',
  action: 'deploy-k8s',
  expect: 'failure',
  keyOutputs: ['rolled-back', 'deployment-id'],
  run: (environment) => {
    const broken = `${environment.repository}:1.1.0-broken`;
    environment.simulator.behaviour.unpullableImage(broken);
    return deployToKubernetes(environment, broken, {
      inputs: { 'rollback-on-failure': 'false', timeout: '1m' },
      env: BROKEN_RELEASE_ENV,
    });
  },
  verify: (run, environment) =>
    liveImage(environment)?.endsWith(':1.1.0-broken') && run.outputs['rolled-back'] === 'false'
      ? undefined
      : 'the broken release is not what the cluster holds',
};
