import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createEcs, type Ecs } from '../../../shared/src/ecs/client.ts';
import { describeTaskDefinition, registerTaskDefinition } from '../../../shared/src/ecs/task-definitions.ts';
import { startAwsEmulator, type AwsEmulator } from '../../support/aws-emulator/index.ts';
import { setEnv } from '../helpers.ts';

/** Task definitions sent and read as raw JSON through the real ECS client, against the emulator. */

let aws: AwsEmulator;
let ecs: Ecs;
let restoreEnv: () => void;
beforeEach(async () => {
  aws = await startAwsEmulator();
  const config = aws.clientConfig();
  restoreEnv = setEnv({
    AWS_REGION: config.region,
    AWS_ENDPOINT_URL: config.endpoint,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
  });
  ecs = await createEcs(undefined);
});
afterEach(async () => {
  ecs.client.destroy();
  restoreEnv();
  await aws.close();
});

const DEFINITION = {
  family: 'shop',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'app', image: 'shop:1', essential: true }],
};

describe('raw JSON task definitions', () => {
  it('registers and reads back a field the bundled SDK does not model', async () => {
    const future = { mode: 'strict', budgets: [1, 2] };
    const registered = await registerTaskDefinition(
      ecs,
      { ...DEFINITION, futureIsolationSetting: future, taskDefinitionArn: 'dropped', revision: 9 },
      [{ key: 'team', value: 'shop' }],
    );
    // The request that reached ECS carried the unknown field, and not the read-only ones.
    const [call] = aws.callsTo('RegisterTaskDefinition');
    expect(call?.body).toMatchObject({
      futureIsolationSetting: future,
      tags: [{ key: 'team', value: 'shop' }],
    });
    expect(call?.body).not.toHaveProperty('taskDefinitionArn');
    expect(call?.body).not.toHaveProperty('revision');
    expect(registered).toMatchObject({ revision: 1, futureIsolationSetting: future });
    const described = await describeTaskDefinition(ecs, 'shop');
    expect(described?.taskDefinition).toMatchObject({ family: 'shop', futureIsolationSetting: future });
    expect(described?.tags).toEqual([{ key: 'team', value: 'shop' }]);
  });

  it('says undefined for a family that does not exist', async () => {
    await expect(describeTaskDefinition(ecs, 'nothing-here')).resolves.toBeUndefined();
  });
});
