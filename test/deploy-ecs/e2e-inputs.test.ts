import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { EcsFixture } from './fixture.ts';

/**
 * Bad inputs through the bundle: each fails the step with a ConfigurationError that names the
 * input and says what is accepted, without a stack trace, and without a single AWS call.
 */

let f: EcsFixture;
beforeAll(async () => {
  f = await EcsFixture.start();
  writeFileSync(path.join(f.workspace, 'bad.json'), '{"family": "web", ');
  writeFileSync(path.join(f.workspace, 'empty.json'), '{"family": "web"}');
});
afterAll(() => f.close());

const BASE = { service: 'web', 'task-definition': 'task-definition.json' };
const RUN_TASK = { 'run-task': 'true', 'run-task-subnets': 'subnet-0abc12345def67890' };

/** [what, inputs over BASE, the input the error names, what it says]. */
const BAD_INPUTS: [string, Record<string, string>, string, string][] = [
  ['a cluster name with spaces', { cluster: 'my cluster' }, 'cluster', 'expected a cluster name or ARN'],
  ['a service name with a slash', { service: 'web/../x' }, 'service', 'expected a service name or ARN'],
  ['no task definition source', { 'task-definition': '' }, 'task-definition', 'Give exactly one of'],
  ['two task definition sources', { 'task-definition-arn': 'web:3' }, 'task-definition', '2 were'],
  [
    'from-service without a service',
    { 'task-definition': '', service: '', 'task-definition-from-service': 'true', 'run-task': 'true' },
    'task-definition-from-service',
    'needs input "service"',
  ],
  [
    'an ARN without a revision',
    { 'task-definition': '', 'task-definition-arn': 'web' },
    'task-definition-arn',
    'expected family:revision',
  ],
  ['a missing file', { 'task-definition': 'nope.json' }, 'task-definition', 'not a readable file'],
  ['a file that is not JSON', { 'task-definition': 'bad.json' }, 'task-definition', 'is not valid JSON'],
  [
    'a file without containers',
    { 'task-definition': 'empty.json' },
    'task-definition',
    'needs "family" and "containerDefinitions"',
  ],
  [
    'from-service not a boolean',
    { 'task-definition-from-service': 'yes' },
    'task-definition-from-service',
    'expected true or false',
  ],
  [
    'a container name with punctuation',
    { 'container-name': 'app!' },
    'container-name',
    'expected a container name',
  ],
  [
    'a container the file lacks',
    { 'container-name': 'worker', image: 'web:2' },
    'container-name',
    'names container worker',
  ],
  ['an image ending in a colon', { image: 'web:' }, 'image', 'expected an image reference'],
  ['an image with a space', { image: 'web 2' }, 'image', 'expected an image reference'],
  ['images without =', { images: 'app' }, 'images', 'expected key=value'],
  [
    'image and images for one container',
    { 'container-name': 'app', image: 'web:2', images: 'app=web:3' },
    'images',
    'both set the image of container app',
  ],
  ['images for a container the file lacks', { images: 'worker=w:1' }, 'images', 'names container worker'],
  [
    'an environment line without =',
    { 'environment-variables': 'NOEQUALS' },
    'environment-variables',
    'expected key=value',
  ],
  [
    'an environment name starting with a digit',
    { 'environment-variables': '1BAD=x' },
    'environment-variables',
    'expected variable names',
  ],
  [
    'a removed name with punctuation',
    { 'remove-environment-variables': 'BAD!' },
    'remove-environment-variables',
    'expected variable names',
  ],
  [
    'a variable both set and removed',
    { 'environment-variables': 'A=1', 'remove-environment-variables': 'A' },
    'remove-environment-variables',
    'which input "environment-variables" sets',
  ],
  ['a secret that is not an ARN', { secrets: 'DB=hunter2' }, 'secrets', 'expected NAME=arn'],
  ['a secret without =', { secrets: 'DB' }, 'secrets', 'expected key=value'],
  ['a docker label without =', { 'docker-labels': 'nolabel' }, 'docker-labels', 'expected key=value'],
  [
    'log configuration as text',
    { 'log-configuration': 'just text' },
    'log-configuration',
    'expected a YAML mapping',
  ],
  [
    'log configuration without logDriver',
    { 'log-configuration': 'options: {a: b}' },
    'log-configuration',
    'logDriver',
  ],
  [
    'log options that are not strings',
    { 'log-configuration': '{logDriver: awslogs, options: {max: 4}}' },
    'log-configuration',
    'expected options',
  ],
  [
    'log configuration that is not YAML',
    { 'log-configuration': '{a: [' },
    'log-configuration',
    'not valid YAML',
  ],
  ['a command with shell syntax', { command: 'npm run $TASK' }, 'command', 'no shell runs them'],
  ['an empty command list', { command: '[]' }, 'command', 'non-empty YAML list'],
  ['cpu as a word', { cpu: 'lots' }, 'cpu', 'expected CPU units'],
  ['memory with a unit it does not know', { memory: '512MB!' }, 'memory', 'expected MiB'],
  [
    'a task role that is not an ARN',
    { 'task-role-arn': 'deploy-role' },
    'task-role-arn',
    'expected an IAM role ARN',
  ],
  [
    'an execution role with a short account',
    { 'execution-role-arn': 'arn:aws:iam::1:role/x' },
    'execution-role-arn',
    'expected an IAM role ARN',
  ],
  [
    'a tag in the aws: namespace',
    { 'task-definition-tags': 'aws:team=shop' },
    'task-definition-tags',
    'not starting with aws:',
  ],
  ['a tag without =', { 'task-definition-tags': 'novalue' }, 'task-definition-tags', 'expected key=value'],
  [
    'a negative desired count',
    { 'desired-count': '-1' },
    'desired-count',
    'expected a whole number from 0 to 5000',
  ],
  ['a desired count in words', { 'desired-count': 'two' }, 'desired-count', 'expected a whole number'],
  [
    'force-new-deployment not a boolean',
    { 'force-new-deployment': 'yes' },
    'force-new-deployment',
    'expected true or false',
  ],
  [
    'enable-execute-command not a boolean',
    { 'enable-execute-command': 'on' },
    'enable-execute-command',
    'expected true or false',
  ],
  [
    'propagate-tags not one of the three',
    { 'propagate-tags': 'ALL' },
    'propagate-tags',
    'expected one of SERVICE, TASK_DEFINITION, NONE',
  ],
  [
    'enable-ecs-managed-tags not a boolean',
    { 'enable-ecs-managed-tags': '1' },
    'enable-ecs-managed-tags',
    'expected true or false',
  ],
  [
    'a service setting without a service',
    { service: '', 'desired-count': '2', 'run-task': 'true', 'run-task-subnets': 'subnet-0abc12345def67890' },
    'desired-count',
    'needs input "service"',
  ],
  ['wait not a boolean', { wait: 'maybe' }, 'wait', 'expected true or false'],
  ['wait-for-minutes of zero', { 'wait-for-minutes': '0' }, 'wait-for-minutes', 'expected minutes'],
  ['wait-for-minutes in words', { 'wait-for-minutes': 'ten' }, 'wait-for-minutes', 'expected minutes'],
  ['a poll interval under a second', { 'poll-interval': '500ms' }, 'poll-interval', 'from 1s'],
  ['a poll interval in words', { 'poll-interval': 'often' }, 'poll-interval', 'expected a duration'],
  [
    'rollback-on-failure not a boolean',
    { 'rollback-on-failure': 'sure' },
    'rollback-on-failure',
    'expected true or false',
  ],
  ['run-task not a boolean', { 'run-task': 'yes' }, 'run-task', 'expected true or false'],
  [
    'a run-task input without run-task',
    { 'run-task-command': 'npm run migrate' },
    'run-task-command',
    'only used with "run-task: true"',
  ],
  [
    'a subnet that is not a subnet ID',
    { ...RUN_TASK, 'run-task-subnets': 'subnet-xyz' },
    'run-task-subnets',
    'expected subnet IDs',
  ],
  [
    'a security group that is not an ID',
    { ...RUN_TASK, 'run-task-security-groups': 'sg-1' },
    'run-task-security-groups',
    'expected security group IDs',
  ],
  [
    'security groups without subnets',
    { 'run-task': 'true', 'run-task-security-groups': 'sg-0abc12345def67890' },
    'run-task-security-groups',
    'needs "run-task-subnets"',
  ],
  [
    'a launch type ECS does not have',
    { ...RUN_TASK, 'run-task-launch-type': 'SPOT' },
    'run-task-launch-type',
    'expected one of FARGATE, EC2, EXTERNAL',
  ],
  [
    'a launch type and a capacity provider',
    { ...RUN_TASK, 'run-task-launch-type': 'FARGATE', 'run-task-capacity-provider': 'FARGATE_SPOT' },
    'run-task-capacity-provider',
    'exclude each other',
  ],
  [
    'a negative run-task timeout',
    { ...RUN_TASK, 'run-task-wait-for-minutes': '-5' },
    'run-task-wait-for-minutes',
    'expected minutes',
  ],
  ['dry-run not a boolean', { 'dry-run': 'perhaps' }, 'dry-run', 'expected true or false'],
  [
    'an environment name with a newline',
    { environment: 'prod\nuction' },
    'environment',
    'expected a GitHub environment name',
  ],
  ['an environment name of 256 characters', { environment: 'e'.repeat(256) }, 'environment', 'at most 255'],
  [
    'an environment URL without a scheme',
    { 'environment-url': 'shop.example.com' },
    'environment-url',
    'expected an http or https URL',
  ],
  [
    'an ftp environment URL',
    { 'environment-url': 'ftp://shop.example.com' },
    'environment-url',
    'expected an http or https URL',
  ],
  [
    'record-deployment not a boolean',
    { 'record-deployment': 'sometimes' },
    'record-deployment',
    'true or false',
  ],
  [
    'production-environment not a boolean',
    { 'production-environment': 'maybe' },
    'production-environment',
    'true or false',
  ],
  [
    'transient-environment not a boolean',
    { 'transient-environment': '0' },
    'transient-environment',
    'true or false',
  ],
  [
    'an existing revision with a render input',
    { 'task-definition': '', 'task-definition-arn': 'web:1', image: 'web:2' },
    'image',
    'deploys a revision as it is',
  ],
  [
    'an existing revision with tags',
    { 'task-definition': '', 'task-definition-arn': 'web:1', 'task-definition-tags': 'a=b' },
    'task-definition-tags',
    'registers none',
  ],
  [
    'an existing revision with nothing to do',
    { service: '', 'task-definition': '', 'task-definition-arn': 'web:1' },
    'task-definition-arn',
    'needs "service" or "run-task: true"',
  ],
  [
    'a region name instead of a code',
    { 'aws-region': 'Europe (Ireland)' },
    'aws-region',
    'not an AWS region',
  ],
];

describe('bad inputs', () => {
  it('are at least 40', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  // Each case is its own process, as a user meets it; a few run at once (jest's maxConcurrency),
  // since a run mostly waits for node to start. None may call AWS, so they share the emulator.
  it.concurrent.each(BAD_INPUTS)('%s', async (_what, inputs, input, says) => {
    const run = await f.deploy({ ...BASE, ...inputs });
    expect(run.outcome).toBe('failure');
    const errors = run.annotations.filter((annotation) => annotation.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(input);
    expect(errors[0]?.message).toContain(says);
    expect(run.log).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
    expect(f.aws.calls).toHaveLength(0);
    expectNoSecretLeaks(run, [f.aws.clientConfig().credentials.secretAccessKey]);
  });
});
