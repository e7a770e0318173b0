import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runStep, type Stage } from './stage.ts';

/** backup: the pre-migration backup of staging's database, encrypted, to the local S3. */
export const backup: Stage = {
  name: 'backup',
  action: 'backup',
  expect: 'success',
  keyOutputs: ['key', 'size'],
  run: (environment) =>
    runStep(
      'backup',
      environment,
      {
        command: 'backup',
        'database-url': environment.databaseUrl,
        bucket: environment.backups.bucket,
        's3-endpoint': environment.s3.endpoint,
        'encrypt-to': environment.backups.recipient,
      },
      environment.s3.env,
    ),
  verify: (run, environment) => {
    const key = run.outputs.key ?? '';
    // s3rver keeps each object as <directory>/<bucket>/<key>._S3rver_object.
    const stored = join(environment.s3.directory, environment.backups.bucket, `${key}._S3rver_object`);
    return key !== '' && existsSync(stored) ? undefined : `no backup object in S3 at "${key}"`;
  },
};
