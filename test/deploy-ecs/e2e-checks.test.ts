import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture } from './fixture.ts';

/**
 * The checks made before anything changes (missing service or cluster, an EXTERNAL controller),
 * and how API faults end: permission errors at once, throttling retried.
 */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

const errorOf = (run: Awaited<ReturnType<EcsFixture['deploy']>>): string =>
  run.annotations.find((annotation) => annotation.level === 'error')?.message ?? '';

describe('before changing anything', () => {
  it('a missing service: nothing registered, the family keeps its revisions', async () => {
    await f.register('web:1');
    const run = await f.deploy({ service: 'api', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain(
      'Service api does not exist in cluster prod: nothing was registered or changed.',
    );
    expect(await f.revisions()).toHaveLength(1);
    expect(f.aws.callsTo('RegisterTaskDefinition')).toHaveLength(1);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
  });

  it('a missing cluster: nothing registered', async () => {
    await f.createService();
    const run = await f.deploy({
      cluster: 'staging',
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:2',
    });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain(
      'Cluster staging does not exist in eu-west-1: nothing was registered or changed.',
    );
    expect(await f.revisions()).toHaveLength(1);
    expect(f.aws.callsTo('DescribeServices')).toHaveLength(0);
  });

  it('an EXTERNAL controller is refused by name before anything changes', async () => {
    await f.createService({}, { deploymentController: { type: 'EXTERNAL' } });
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toContain('Service web uses the EXTERNAL deployment controller');
    expect(await f.revisions()).toHaveLength(1);
    expect(f.aws.callsTo('UpdateService')).toHaveLength(0);
  });
});

describe('API faults', () => {
  it('AccessDenied fails at once, naming the call and what to allow', async () => {
    await f.createService();
    f.aws.faults.denyAccess('UpdateService');
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('failure');
    expect(errorOf(run)).toMatch(/^UpdateService failed: AccessDeniedException: .*not authorized/);
    expect(run.log).toContain("allow it in the role's IAM policy");
    expect(f.aws.callsTo('UpdateService')).toHaveLength(1);
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });

  it('throttling of the polls is retried past the SDK attempts, and the deployment still succeeds', async () => {
    await f.createService();
    // AWS_MAX_ATTEMPTS is 3 in these runs: five throttled answers outlast the SDK's own retries.
    f.aws.faults.throttle('DescribeServiceDeployments', 5);
    const run = await f.deploy({ service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' });
    expect(run.outcome).toBe('success');
    expect(run.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(
      run.annotations.filter((annotation) => annotation.level === 'warning').map((a) => a.message),
    ).toContainEqual(
      expect.stringMatching(/^DescribeServiceDeployments: throttled \(ThrottlingException\); retrying in/),
    );
    expect(f.aws.callsTo('DescribeServiceDeployments').length).toBeGreaterThanOrEqual(6);
  });
});
