import type { ActionRun } from '../../../test/support/action-runner.ts';
import type { PipelineEnvironment } from '../environment.ts';
import { liveImage, runStep, STAGING, type Stage } from './stage.ts';

/** deploy-k8s: the built image, by digest, to the simulated cluster; recorded in `staging`. */
export const deployK8s: Stage = {
  name: 'deploy-k8s',
  action: 'deploy-k8s',
  expect: 'success',
  keyOutputs: ['revision', 'deployment-id'],
  run: (environment, outputs) => deployToKubernetes(environment, outputs.build?.image ?? ''),
  verify: (_run, environment, outputs) => {
    const image = liveImage(environment);
    return image === outputs.build?.image ? undefined : `the cluster runs ${image}, not the image built`;
  },
};

export function deployToKubernetes(
  environment: PipelineEnvironment,
  image: string,
  extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  return runStep(
    'deploy-k8s',
    environment,
    {
      kubeconfig: environment.simulator.kubeconfig,
      manifests: 'k8s/',
      images: image,
      timeout: '2m',
      environment: STAGING,
      'environment-url': environment.app.url('/'),
      ...extra.inputs,
    },
    extra.env,
  );
}
