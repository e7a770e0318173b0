import { runStep, type Stage } from './stage.ts';

/** smoke-test: the deployed application's health endpoint, three healthy samples. */
export const smokeTest: Stage = {
  name: 'smoke-test',
  action: 'smoke-test',
  expect: 'success',
  keyOutputs: ['passed'],
  run: (environment) =>
    runStep('smoke-test', environment, {
      url: environment.app.url('/health'),
      interval: '200ms',
      samples: '3',
    }),
};
