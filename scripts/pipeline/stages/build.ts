import { runStep, type Stage } from './stage.ts';

/** build-push: buildah builds the app's image and pushes it, by digest, to the local registry. */
export const build: Stage = {
  name: 'build',
  action: 'build-push',
  expect: 'success',
  keyOutputs: ['image'],
  run: (environment) =>
    runStep('build-push', environment, {
      images: environment.repository,
      builder: 'buildah',
      context: 'app',
      tags: 'type=semver,pattern={{version}}\ntype=sha',
      username: environment.login.username,
      password: environment.login.password,
      'insecure-registries': environment.registry.host,
    }),
  verify: (run) => (/@sha256:[0-9a-f]{64}$/.test(run.outputs.image ?? '') ? undefined : 'no image digest'),
};
