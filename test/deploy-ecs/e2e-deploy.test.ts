import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture, webDefinition } from './fixture.ts';

/** deploy-ecs through the runner harness against the emulated ECS: deployments that succeed, and those with nothing to do. */

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
    expect(run.log).toContain('(service web) has reached a steady state.');
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('image-only update from the service: only the image changes, the rest of the revision is kept', async () => {
    await f.createService();
    const run = await f.deploy({
      service: 'web',
      'task-definition-from-service': 'true',
      'container-name': 'app',
      image: 'web:3',
    });
    expect(run.outcome).toBe('success');
    const [registered] = f.aws.callsTo('RegisterTaskDefinition').slice(-1);
    const expected = webDefinition('web:3') as { containerDefinitions: Record<string, unknown>[] };
    expect(registered?.body).toMatchObject({
      family: 'web',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        expect.objectContaining({ ...expected.containerDefinitions[0], image: 'web:3' }),
      ],
    });
    expect(registered?.body).not.toHaveProperty('taskDefinitionArn');
    expect(registered?.body).not.toHaveProperty('revision');
    expect(registered?.body).not.toHaveProperty('registeredAt');
    expect(run.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('unchanged definition: no new revision, nothing deployed, and the summary says so', async () => {
    await f.createService();
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:1' });
    expect(run.outcome).toBe('success');
    expect(await f.revisions()).toHaveLength(1);
    expect(f.aws.callsTo('RegisterTaskDefinition')).toHaveLength(1); // the fixture's own
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    expect(run.outputs).toMatchObject({ registered: 'false', deployed: 'false', 'rollout-state': '' });
    expect(run.log).toMatch(/identical to .*task-definition\/web:1: reusing it/);
    expect(run.summary).toContain('deploy-ecs: nothing to deploy');
    expect(run.summary).toContain('reused');
  });

  it('an existing revision is deployed as it is: nothing registered', async () => {
    await f.createService();
    const v2 = await f.register('web:2');
    const before = f.aws.callsTo('RegisterTaskDefinition').length;
    const run = await f.deploy({ service: 'web', 'task-definition-arn': 'web:2' });
    expect(run.outcome).toBe('success');
    expect(f.aws.callsTo('RegisterTaskDefinition')).toHaveLength(before);
    expect(run.outputs).toMatchObject({ 'task-definition-arn': v2, registered: 'false', deployed: 'true' });
    expect((await f.service()).taskDefinition).toBe(v2);
  });

  it('sends only the service settings that were set: unset inputs are absent from UpdateService', async () => {
    await f.createService();
    await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    const [update] = f.aws.callsTo('UpdateService');
    expect(Object.keys(update?.body ?? {}).sort()).toEqual(['cluster', 'service', 'taskDefinition']);

    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:3',
      'desired-count': '3',
      'enable-execute-command': 'false',
    });
    expect(run.outcome).toBe('success');
    const second = f.aws.callsTo('UpdateService')[1];
    expect(second?.body).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: expect.stringMatching(/web:3$/),
      desiredCount: 3,
      enableExecuteCommand: false,
    });
  });

  it('a task definition field the SDK does not model survives register, and the comparison sees it', async () => {
    await f.createService();
    const future = { mode: 'strict', budgets: [1, 2] };
    f.writeDefinition(webDefinition('web:1', { futureIsolationSetting: future }));
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json' });
    expect(run.outcome).toBe('success');
    const [registered] = f.aws.callsTo('RegisterTaskDefinition').slice(-1);
    expect(registered?.body).toMatchObject({ futureIsolationSetting: future });
    expect(run.outputs.registered).toBe('true');
    // Registered once, it is found identical the next time: the field came back on describe.
    const again = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json' });
    expect(again.outputs).toMatchObject({ registered: 'false', deployed: 'false' });
    expect(await f.revisions()).toHaveLength(2);
  });

  it('dry-run renders, diffs against the live definition and changes nothing', async () => {
    await f.createService();
    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:9',
      'environment-variables': 'FEATURE=on',
      'dry-run': 'true',
    });
    expect(run.outcome).toBe('success');
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    expect(await f.revisions()).toHaveLength(1);
    expect(run.log).toContain('containerDefinitions[app].image: "web:1" -> "web:9"');
    expect(run.summary).toContain('deploy-ecs: dry run');
    expect(run.outputs).toMatchObject({ registered: 'false', deployed: 'false' });
  });

  it('judges by the service deployments list when ECS has no service deployments', async () => {
    await f.close();
    f = await EcsFixture.start({ ecs: { serviceDeployments: false } });
    await f.createService();
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('success');
    expect(run.outputs['rollout-state']).toBe('COMPLETED');
    expect(run.log).toContain("Judging the deployment by the service's deployments");
  });
});
