import { liveImage, runStep, STAGING, type Stage } from './stage.ts';

/**
 * rollback: run because the step before it failed (a workflow's `if: failure()`), it returns
 * Deployment shop/web to its previous revision, the release that passed the smoke test, and records
 * the rollback in `staging`.
 */
export const rollbackK8s: Stage = {
  name: 'rollback k8s',
  action: 'rollback',
  expect: 'success',
  keyOutputs: ['restored-revision', 'deployment-id'],
  run: (environment) =>
    runStep('rollback', environment, {
      platform: 'kubernetes',
      workloads: 'deployment/web',
      namespace: 'shop',
      kubeconfig: environment.simulator.kubeconfig,
      environment: STAGING,
      'environment-url': environment.app.url('/'),
      timeout: '2m',
    }),
  verify: (_run, environment, outputs) => {
    const image = liveImage(environment);
    return image === outputs.build?.image ? undefined : `after the rollback the cluster runs ${image}`;
  },
};
