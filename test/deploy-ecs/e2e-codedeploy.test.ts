import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import {
  APPLICATION,
  APPSPEC_WITH_HOOK,
  codeDeployService,
  GROUP,
  serviceRevision,
  startDeployment,
  writeAppSpec,
} from './codedeploy-fixture.ts';
import { EcsFixture } from './fixture.ts';

/** deploy-ecs on a CODE_DEPLOY service, through the runner harness against the emulated ECS and CodeDeploy. */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

const DEPLOY = {
  service: 'web',
  'task-definition': 'task-definition.json',
  image: 'web:2',
  'container-port': '8080',
};

const errorOf = (run: Awaited<ReturnType<EcsFixture['deploy']>>): string =>
  run.annotations.find((annotation) => annotation.level === 'error')?.message ?? '';
const warningsOf = (run: Awaited<ReturnType<EcsFixture['deploy']>>): string[] =>
  run.annotations
    .filter((annotation) => annotation.level === 'warning')
    .map((annotation) => annotation.message);

describe('deploying through CodeDeploy', () => {
  it('registers, creates the deployment with the AppSpec, streams the lifecycle events and waits until it succeeded', async () => {
    await codeDeployService(f);
    const run = await f.deploy({ ...DEPLOY, 'codedeploy-deployment-description': 'release 2' });
    expect(run.outcome).toBe('success');
    const [, registered] = await f.revisions();
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
    const [create] = f.aws.callsTo('CreateDeployment');
    expect(create?.body).toMatchObject({
      applicationName: APPLICATION,
      deploymentGroupName: GROUP,
      description: 'release 2',
    });
    const content = (create?.body.revision as { appSpecContent: { content: string; sha256: string } })
      .appSpecContent;
    expect(JSON.parse(content.content)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: registered,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(content.sha256).toBe(createHash('sha256').update(content.content).digest('hex'));
    expect(run.outputs).toMatchObject({
      'task-definition-arn': registered,
      deployed: 'true',
      'rollout-state': 'Succeeded',
      'strategy-state': 'promoted',
      'rolled-back': 'false',
    });
    expect(run.outputs['codedeploy-deployment-id']).toMatch(/^d-[A-Z0-9]{9}$/);
    const id = run.outputs['codedeploy-deployment-id'];
    for (const event of ['Install: Succeeded', 'AllowTestTraffic: Succeeded', 'AllowTraffic: Succeeded']) {
      expect(run.log.split('\n').filter((line) => line.includes(`CodeDeploy ${id}: ${event}`))).toHaveLength(
        1,
      );
    }
    expect(await serviceRevision(f)).toBe('web:2');
    expect(run.summary).toContain('deploy-ecs: deployed');
    expect(run.summary).toContain(`${APPLICATION} / ${GROUP}`);
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('a failing lifecycle hook fails the step at once, names the hook, and CodeDeploy rolls back', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    f.aws.codedeploy.hookResult('CheckGreen', 'Failed');
    writeAppSpec(f, APPSPEC_WITH_HOOK);
    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:2',
      'codedeploy-appspec': 'appspec.yaml',
      'codedeploy-wait-until': 'ready',
    });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toMatch(
      /^CodeDeploy deployment d-\w+ of service web failed: lifecycle event AfterAllowTestTraffic failed \(ScriptFailed: The lifecycle event hook CheckGreen returned Failed\.\); HOOK_EXECUTION_FAILURE/,
    );
    expect(run.outputs).toMatchObject({
      'rollout-state': 'Failed',
      'strategy-state': 'aborted',
      'rolled-back': 'true',
    });
    expect(await serviceRevision(f)).toBe('web:1');
    // Fast: the step ended with the deployment, long before the group's 60-minute ready wait.
    expect(f.aws.callsTo('ContinueDeployment')).toHaveLength(0);
    expect(f.aws.callsTo('StopDeployment')).toHaveLength(0);
  });

  it('wait-until ready stops at Ready with production on the old release; promote in another run shifts it', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const deploy = await f.deploy({ ...DEPLOY, 'codedeploy-wait-until': 'ready' });
    expect(deploy.outcome).toBe('success');
    expect(deploy.outputs).toMatchObject({ 'rollout-state': 'Ready', 'strategy-state': 'pending' });
    expect(deploy.summary).toContain('deploy-ecs: ready, waiting for promotion');
    expect(await serviceRevision(f)).toBe('web:1');
    const id = deploy.outputs['codedeploy-deployment-id'] as string;
    expect(f.aws.codedeploy.deployment(id)?.status).toBe('Ready');

    const promote = await f.deploy({ action: 'promote', service: 'web' });
    expect(promote.outcome).toBe('success');
    expect(f.aws.callsTo('ContinueDeployment').map((call) => call.body)).toEqual([
      { deploymentId: id, deploymentWaitType: 'READY_WAIT' },
    ]);
    expect(promote.outputs).toMatchObject({
      'codedeploy-deployment-id': id,
      'strategy-state': 'promoted',
      'rollout-state': 'Succeeded',
      'task-definition-arn': deploy.outputs['task-definition-arn'],
    });
    expect(await serviceRevision(f)).toBe('web:2');
    expect(promote.summary).toContain('deploy-ecs: promoted');

    const again = await f.deploy({ action: 'promote', service: 'web' });
    expect(again.outcome).toBe('success');
    expect(again.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: `CodeDeploy deployment ${id} has already succeeded: nothing to promote.`,
      }),
    );
    expect(again.outputs['strategy-state']).toBe('promoted');
    expect(f.aws.callsTo('ContinueDeployment')).toHaveLength(1);
  });

  it('abort in another run stops the deployment with auto rollback and waits until the original task set serves', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    // The deploy with wait-until ready is the test above; here the Ready deployment is made directly.
    const { id } = await startDeployment(f, 'web:2', ['Ready']);
    const abort = await f.deploy({ action: 'abort', service: 'web', 'codedeploy-deployment-id': id });
    expect(abort.outcome).toBe('success');
    expect(f.aws.callsTo('StopDeployment').map((call) => call.body)).toEqual([
      { deploymentId: id, autoRollbackEnabled: true },
    ]);
    const rollback = f.aws.codedeploy.deployment(id)?.rollbackInfo?.rollbackDeploymentId as string;
    expect(f.aws.codedeploy.deployment(rollback)?.status).toBe('Succeeded');
    expect(abort.outputs).toMatchObject({
      'strategy-state': 'aborted',
      'rolled-back': 'true',
      'rollout-state': 'Stopped',
    });
    expect(abort.log).toContain(`rollback deployment ${rollback} succeeded`);
    expect(await serviceRevision(f)).toBe('web:1');

    const again = await f.deploy({ action: 'abort', service: 'web' });
    expect(again.outcome).toBe('success');
    expect(again.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: `CodeDeploy deployment ${id} has already ended (Stopped): nothing to abort.`,
      }),
    );
    expect(f.aws.callsTo('StopDeployment')).toHaveLength(1);
  });

  it('promote with wait-until ready ends once production moved; abort in the termination wait switches back', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60, terminationWaitMinutes: 60 });
    await startDeployment(f, 'web:2', ['Ready']);
    f.aws.faults.throttle('ContinueDeployment', 1);
    const promote = await f.deploy({ action: 'promote', service: 'web', 'codedeploy-wait-until': 'ready' });
    expect(promote.outcome).toBe('success');
    expect(promote.outputs).toMatchObject({ 'strategy-state': 'promoted', 'rollout-state': 'InProgress' });
    expect(warningsOf(promote)).toContainEqual(
      expect.stringMatching(/^ContinueDeployment: throttled \(ThrottlingException\)/),
    );
    expect(f.aws.callsTo('ContinueDeployment')).toHaveLength(2);
    expect(await serviceRevision(f)).toBe('web:2');
    const abort = await f.deploy({ action: 'abort', service: 'web' });
    expect(abort.outcome).toBe('success');
    expect(abort.outputs['strategy-state']).toBe('aborted');
    expect(await serviceRevision(f)).toBe('web:1');
  });
});

describe('CodeDeploy checks and faults', () => {
  it('the revision the service runs already: no CodeDeploy deployment', async () => {
    await codeDeployService(f);
    const run = await f.deploy({ ...DEPLOY, image: 'web:1' });
    expect(run.outcome).toBe('success');
    expect(run.outputs).toMatchObject({
      deployed: 'false',
      'codedeploy-deployment-id': '',
      registered: 'false',
    });
    expect(run.log).toMatch(/Nothing to deploy: service web already runs .*web:1/);
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(0);
  });

  it('a dry run checks the application and group and shows the AppSpec, creating nothing', async () => {
    await codeDeployService(f);
    const run = await f.deploy({
      ...DEPLOY,
      'dry-run': 'true',
      'codedeploy-hooks': 'AfterAllowTestTraffic=CheckGreen',
    });
    expect(run.outcome).toBe('success');
    expect(run.log).toContain(`Dry run: a CodeDeploy deployment of ${APPLICATION}/${GROUP} would be created`);
    expect(run.log).toContain('"AfterAllowTestTraffic": "CheckGreen"');
    expect(f.aws.callsTo('GetDeploymentGroup')).toHaveLength(1);
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(0);
    expect(await f.revisions()).toHaveLength(1);
  });

  it('a missing application: nothing registered, the error names it', async () => {
    await codeDeployService(f);
    const run = await f.deploy({ ...DEPLOY, 'codedeploy-application': 'shop' });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain(
      `CodeDeploy application shop does not exist in eu-west-1: nothing was registered or changed.`,
    );
    expect(await f.revisions()).toHaveLength(1);
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(0);
  });

  it('a missing deployment group under the default name: nothing registered, the error says it was the default', async () => {
    await codeDeployService(f, {}, { group: 'web-bluegreen' });
    const run = await f.deploy(DEPLOY);
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain(
      `CodeDeploy deployment group ${GROUP} does not exist in application ${APPLICATION} (the default name for this service)`,
    );
    expect(await f.revisions()).toHaveLength(1);
  });

  it('a deployment in flight is refused before anything is registered', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const first = await startDeployment(f, 'web:2', ['Ready']);
    const second = await f.deploy({ ...DEPLOY, image: 'web:3' });
    expect(second.outcome).toBe('failure');
    expect(errorOf(second)).toContain(
      `CodeDeploy deployment ${first.id} of ${APPLICATION}/${GROUP} is still Ready`,
    );
    expect(await f.revisions()).toHaveLength(2);
  });

  it('wait-until ready on a group that shifts traffic without waiting is refused before anything changes', async () => {
    await codeDeployService(f);
    const run = await f.deploy({ ...DEPLOY, 'codedeploy-wait-until': 'ready' });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain('Input "codedeploy-wait-until" is "ready", but deployment group');
    expect(await f.revisions()).toHaveLength(1);
  });

  it('throttled reads and a throttled CreateDeployment are retried; exactly one deployment is created', async () => {
    await codeDeployService(f);
    // AWS_MAX_ATTEMPTS is 3: four throttled GetDeployment answers outlast the SDK's own retries.
    f.aws.faults.throttle('GetDeployment', 4);
    f.aws.faults.throttle('CreateDeployment', 1);
    const run = await f.deploy(DEPLOY);
    expect(run.outcome).toBe('success');
    expect(warningsOf(run)).toContainEqual(
      expect.stringMatching(/^CreateDeployment: throttled \(ThrottlingException\)/),
    );
    expect(warningsOf(run)).toContainEqual(
      expect.stringMatching(/^GetDeployment: throttled \(ThrottlingException\); retrying in/),
    );
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(2);
    expect(f.aws.codedeploy.deployments.size).toBe(1);
  });

  it('CreateDeployment done but its answer lost: Gantry finds the deployment with its AppSpec and follows it', async () => {
    await codeDeployService(f);
    f.aws.faults.inject({
      operation: 'CreateDeployment',
      resetConnection: true,
      afterServing: true,
      times: 1,
    });
    const run = await f.deploy(DEPLOY);
    expect(run.outcome).toBe('success');
    expect(f.aws.callsTo('CreateDeployment')).toHaveLength(1);
    expect(f.aws.codedeploy.deployments.size).toBe(1);
    const [id] = f.aws.codedeploy.deployments.keys();
    expect(run.outputs['codedeploy-deployment-id']).toBe(id);
    expect(warningsOf(run)).toContainEqual(
      expect.stringContaining(`but deployment ${id} with this AppSpec exists: following it`),
    );
  });

  it('a deployment that outlives wait-for-minutes is stopped with auto rollback, and the step fails', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    const run = await f.deploy({ ...DEPLOY, 'wait-for-minutes': '0.05' });
    expect(run.outcome).toBe('failure');
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', message: expect.stringContaining('waits at Ready') }),
    );
    expect(errorOf(run)).toMatch(
      /^CodeDeploy deployment d-\w+ of service web timed out: Timed out after 3s waiting for/,
    );
    expect(f.aws.callsTo('StopDeployment').map((call) => call.body.autoRollbackEnabled)).toEqual([true]);
    expect(run.outputs).toMatchObject({
      'strategy-state': 'aborted',
      'rolled-back': 'true',
      'rollout-state': 'Stopped',
    });
    expect(await serviceRevision(f)).toBe('web:1');
  });

  it('a cancelled job stops the deployment in flight with auto rollback', async () => {
    await codeDeployService(f, { readyWaitMinutes: 60 });
    // complete on a group that waits at Ready: the deployment stays in flight. The signal comes once
    // the step streams the deployment's first lifecycle event, so it is sent while the step waits.
    const run = await f.deploy(DEPLOY, {
      signal: { afterLine: /CodeDeploy d-\w+: Install: Succeeded/, name: 'SIGINT' },
    });
    expect(run.outcome).toBe('cancelled');
    const id = run.outputs['codedeploy-deployment-id'];
    expect(f.aws.callsTo('StopDeployment').map((call) => call.body)).toEqual([
      { deploymentId: id, autoRollbackEnabled: true },
    ]);
    expect(run.summary).toContain('stop with rollback requested (the job was cancelled)');
    // The main step asked for the stop: the post step has nothing left to do.
    expect(run.post?.log ?? '').not.toContain('did not finish');
    expect(f.aws.codedeploy.deployment(id as string)?.status).toBe('Stopped');
  });

  it('a 500 from CreateDeployment: no deployment of ours exists, so it is sent once more, and one is created', async () => {
    await codeDeployService(f);
    f.aws.faults.inject({ operation: 'CreateDeployment', status: 500, times: 1 });
    const run = await f.deploy(DEPLOY);
    expect(run.outcome).toBe('success');
    expect(warningsOf(run)).toContainEqual(
      expect.stringContaining('no deployment of ours exists, so it is sent again'),
    );
    expect(f.aws.callsTo('ListDeployments').length).toBeGreaterThanOrEqual(2);
    expect(f.aws.codedeploy.deployments.size).toBe(1);
  });
});
