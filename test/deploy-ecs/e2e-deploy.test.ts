import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture } from './fixture.ts';

/** deploy-ecs through the runner harness against the emulated ECS: the deployments that succeed. */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

describe('deploying to a service', () => {
  it('first deploy: registers the rendered definition, updates the service and tracks that deployment to SUCCESSFUL', async () => {
    await f.createService();
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('success');
    const revisions = await f.revisions();
    expect(revisions).toHaveLength(2);
    expect(run.outputs).toMatchObject({
      'task-definition-arn': revisions[1],
      'previous-task-definition-arn': revisions[0],
      registered: 'true',
      deployed: 'true',
      'rollout-state': 'SUCCESSFUL',
      'rolled-back': 'false',
    });
    expect(run.outputs['service-deployment-arn']).toMatch(/:service-deployment\/prod\/web\//);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect((await f.service()).taskDefinition).toBe(revisions[1]);
    expect(run.summary).toContain('deploy-ecs: deployed');
    expect(run.summary).toMatch(/web:1 → web:2/);
    expect(run.summary).toContain('time to steady state');
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });
});
