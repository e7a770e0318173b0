import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { APPSPEC_WITH_HOOK } from './codedeploy-fixture.ts';
import { EcsFixture, webDefinition } from './fixture.ts';

/**
 * Bad CodeDeploy inputs through the bundle: each fails the step with one error that names the input,
 * the value or what is wrong, and what is accepted, with no stack trace and no AWS call at all.
 */

let f: EcsFixture;
beforeAll(async () => {
  f = await EcsFixture.start();
  const write = (file: string, text: string): void => writeFileSync(path.join(f.workspace, file), text);
  write('appspec.yaml', APPSPEC_WITH_HOOK);
  write('broken.yaml', 'Resources: [\n');
  write(
    'no-balancer.yaml',
    'version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: x\n',
  );
  write(
    'bad-hook.yaml',
    APPSPEC_WITH_HOOK.replace('AfterAllowTestTraffic: "CheckGreen"', 'AllowTraffic: "CheckGreen"'),
  );
  const web = webDefinition('web:1') as { containerDefinitions: Record<string, unknown>[] };
  const sidecar = { name: 'sidecar', image: 'envoy:1', essential: false };
  f.writeDefinition({ ...web, containerDefinitions: [...web.containerDefinitions, sidecar] }, 'two.json');
  write(
    'lambda-target.yaml',
    'version: 0.0\nResources:\n  - myFunction:\n      Type: AWS::Lambda::Function\n',
  );
});
afterAll(() => f.close());

const BASE = { service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' };

/** [what, inputs over BASE, the input the error names, what it says]. */
const BAD_INPUTS: [string, Record<string, string>, string, string][] = [
  ['an action it does not know', { action: 'rollout' }, 'action', '"rollout"'],
  ['an action in capitals', { action: 'Promote' }, 'action', 'deploy, promote, abort'],
  [
    'a wait-until it does not know',
    { 'codedeploy-wait-until': 'soon' },
    'codedeploy-wait-until',
    'ready, complete',
  ],
  [
    'wait-until ready without waiting',
    { 'codedeploy-wait-until': 'ready', wait: 'false' },
    'codedeploy-wait-until',
    'input "wait" is false',
  ],
  [
    'a missing AppSpec file',
    { 'codedeploy-appspec': 'nope.yaml' },
    'codedeploy-appspec',
    'not a readable file',
  ],
  [
    'an AppSpec that is not YAML',
    { 'codedeploy-appspec': 'broken.yaml' },
    'codedeploy-appspec',
    'is not valid JSON or YAML',
  ],
  [
    'an AppSpec without LoadBalancerInfo',
    { 'codedeploy-appspec': 'no-balancer.yaml' },
    'codedeploy-appspec',
    'LoadBalancerInfo',
  ],
  [
    'an AppSpec hook on a non-hook event',
    { 'codedeploy-appspec': 'bad-hook.yaml' },
    'codedeploy-appspec',
    'the hook "AllowTraffic"',
  ],
  [
    'a Lambda AppSpec',
    { 'codedeploy-appspec': 'lambda-target.yaml' },
    'codedeploy-appspec',
    'Type: AWS::ECS::Service',
  ],
  [
    'a container port that is a word',
    { 'container-port': 'http' },
    'container-port',
    '"http": expected a port number from 1 to 65535',
  ],
  [
    'a container port out of range',
    { 'container-port': '70000' },
    'container-port',
    '"70000": expected a port number',
  ],
  [
    'a hook on Install',
    { 'container-port': '80', 'codedeploy-hooks': 'Install=CheckGreen' },
    'codedeploy-hooks',
    '"Install=CheckGreen"',
  ],
  [
    'a hook without =',
    { 'container-port': '80', 'codedeploy-hooks': 'CheckGreen' },
    'codedeploy-hooks',
    'expected key=value',
  ],
  [
    'an AppSpec and a container port',
    { 'codedeploy-appspec': 'appspec.yaml', 'container-port': '80' },
    'container-port',
    'exclude each other',
  ],
  [
    'a container name the AppSpec does not route to',
    { 'task-definition': 'two.json', 'codedeploy-appspec': 'appspec.yaml', 'container-name': 'sidecar' },
    'container-name',
    'routes traffic to container "app"',
  ],
  [
    'a deployment id on a deploy',
    { 'codedeploy-deployment-id': 'd-A1B2C3D4E' },
    'codedeploy-deployment-id',
    'needs "action: promote"',
  ],
  [
    'a deployment id of the wrong shape',
    { action: 'promote', 'codedeploy-deployment-id': 'd-123' },
    'codedeploy-deployment-id',
    'expected a CodeDeploy deployment ID',
  ],
  ['promote without a service', { action: 'promote', service: '' }, 'service', 'it needs input "service"'],
  [
    'an application name with a slash',
    { 'codedeploy-application': 'shop/web' },
    'codedeploy-application',
    'expected a CodeDeploy application name',
  ],
  [
    'a group name too long',
    { 'codedeploy-deployment-group': 'g'.repeat(101) },
    'codedeploy-deployment-group',
    'expected a CodeDeploy deployment group name',
  ],
  [
    'a deployment config with spaces',
    { 'codedeploy-deployment-config': 'All at once' },
    'codedeploy-deployment-config',
    'expected a deployment configuration name',
  ],
  [
    'CodeDeploy inputs without a service',
    {
      service: '',
      'run-task': 'true',
      'run-task-subnets': 'subnet-0abc12345def67890',
      'container-port': '80',
    },
    'container-port',
    'needs input "service"',
  ],
];

describe('bad CodeDeploy inputs', () => {
  it('are at least 20', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BAD_INPUTS)('%s', async (_what, inputs, input, says) => {
    const before = f.aws.calls.length;
    const run = await f.deploy({ ...BASE, ...inputs });
    expect(run.outcome).toBe('failure');
    const errors = run.annotations.filter((annotation) => annotation.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(`"${input}"`);
    expect(errors[0]?.message).toContain(says);
    expect(run.log).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
    expect(f.aws.calls.length).toBe(before);
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });
});
