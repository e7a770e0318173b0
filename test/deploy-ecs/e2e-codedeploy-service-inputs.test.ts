import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { codeDeployService } from './codedeploy-fixture.ts';
import { EcsFixture, webDefinition } from './fixture.ts';

/**
 * CodeDeploy inputs that only the service can prove wrong (its deployment controller is read with
 * DescribeServices): refused after that read, before anything is registered or changed.
 */

let f: EcsFixture;
beforeEach(async () => {
  f = await EcsFixture.start();
});
afterEach(() => f.close());

const BASE = { service: 'web', 'task-definition': 'task-definition.json', image: 'web:2' };
const WRITES = [
  'RegisterTaskDefinition',
  'UpdateService',
  'CreateDeployment',
  'ContinueDeployment',
  'StopDeployment',
];

async function refused(inputs: Record<string, string>, input: string, says: string): Promise<void> {
  const writesBefore = f.aws.calls.filter((call) => WRITES.includes(call.operation)).length;
  const run = await f.deploy({ ...BASE, ...inputs });
  expect(run.outcome).toBe('failure');
  const errors = run.annotations.filter((annotation) => annotation.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]?.message).toContain(`"${input}"`);
  expect(errors[0]?.message).toContain(says);
  expect(run.log).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
  expect(f.aws.calls.filter((call) => WRITES.includes(call.operation))).toHaveLength(writesBefore);
}

describe('on an ECS-controlled service', () => {
  beforeEach(() => f.createService().then(() => undefined));

  it('CodeDeploy inputs are refused, naming the first one and the controller', () =>
    refused(
      { 'codedeploy-application': 'AppECS-prod-web' },
      'codedeploy-application',
      'service web uses ECS',
    ));

  it('a container port is refused', () =>
    refused({ 'container-port': '8080' }, 'container-port', 'CODE_DEPLOY'));

  it('promote is refused: accepted for it is deploy only', () =>
    refused({ action: 'promote' }, 'action', 'accepted for it is "deploy" only'));

  it('abort is refused the same way', () =>
    refused({ action: 'abort' }, 'action', 'uses the ECS deployment controller'));
});

describe('on a CODE_DEPLOY service', () => {
  beforeEach(() => codeDeployService(f));

  it('without an AppSpec, container-port is required', () =>
    refused({}, 'container-port', 'give "container-port"'));

  it('an UpdateService setting is refused', () =>
    refused({ 'container-port': '8080', 'desired-count': '3' }, 'desired-count', 'deployed by CodeDeploy'));

  it('with several containers and no container-name, container-name must say which one serves', () => {
    const web = webDefinition('web:1') as { containerDefinitions: Record<string, unknown>[] };
    const sidecar = { name: 'sidecar', image: 'envoy:1', essential: false };
    f.writeDefinition({ ...web, containerDefinitions: [...web.containerDefinitions, sidecar] }, 'two.json');
    return refused(
      { 'task-definition': 'two.json', image: '', images: 'app=web:2', 'container-port': '8080' },
      'container-name',
      'has 2 containers (app, sidecar)',
    );
  });
});
