import { liveImage, type Stage } from './stage.ts';
import { deployToKubernetes } from './deploy-k8s.ts';

/** The next commit's release, whose image cannot be pulled: the deploy fails and is recorded as a failure. */
const BROKEN_SHA = '0c1e8d7a5b3f2e9d4c6a8b1f0e7d3c5a9b2f4e6d';

/**
 * A broken release: deploy-k8s of an image the cluster cannot pull. Its own rollback is off
 * (`rollback-on-failure: false`) so that the next stage, the rollback action, undoes it, as a
 * workflow's `if: failure()` step does; the record of this deploy ends `failure`.
 */
export const brokenRelease: Stage = {
  name: 'broken release',
  action: 'deploy-k8s',
  expect: 'failure',
  keyOutputs: ['rolled-back', 'deployment-id'],
  run: (environment) => {
    const broken = `${environment.repository}:1.1.0-broken`;
    environment.simulator.behaviour.unpullableImage(broken);
    return deployToKubernetes(environment, broken, {
      inputs: { 'rollback-on-failure': 'false', timeout: '1m' },
      env: { GITHUB_SHA: BROKEN_SHA, GITHUB_REF_NAME: 'v1.1.0', GITHUB_REF: 'refs/tags/v1.1.0' },
    });
  },
  verify: (run, environment) =>
    liveImage(environment)?.endsWith(':1.1.0-broken') && run.outputs['rolled-back'] === 'false'
      ? undefined
      : 'the broken release is not what the cluster holds',
};
