import { runStep, type Stage } from './stage.ts';

/** migrate: the release's migrations on staging's database, once it is backed up. */
export const migrate: Stage = {
  name: 'migrate',
  action: 'migrate',
  expect: 'success',
  keyOutputs: ['current-version'],
  run: (environment) =>
    runStep('migrate', environment, {
      'database-url': environment.databaseUrl,
      'migrations-dir': 'migrations',
    }),
};
