import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readInClusterInputs, type InClusterInputs } from '../../../actions/migrate/src/in-cluster/inputs.ts';
import { readMode } from '../../../actions/migrate/src/inputs.ts';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { capture, type Captured } from '../../shared/helpers.ts';

/**
 * The inputs of the in-cluster modes, read in-process as the runner gives them (INPUT_<NAME>):
 * mode first, then readInClusterInputs for the mode, as main does.
 */

const kubeconfig = (token: string): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'apps' } }],
    'current-context': 'ctx',
  });
const TEMPLATE = 'metadata:\n  name: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1\n';

let stdout: Captured;
const savedEnv = { ...process.env };
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
  delete process.env.KUBECONFIG;
  process.env.GITHUB_SHA = 'abcdef0123456789abcdef0123456789abcdef01';
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

async function read(inputs: Record<string, string>): Promise<InClusterInputs> {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  const mode = readMode();
  if (mode === 'native') throw new Error('test setup: expected an in-cluster mode');
  return readInClusterInputs(mode);
}

async function readError(inputs: Record<string, string>): Promise<ConfigurationError> {
  try {
    await read(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(inputs)}, got valid inputs`);
}

const job = (inputs: Record<string, string>): Record<string, string> => ({
  mode: 'kubernetes-job',
  kubeconfig: kubeconfig('in-cluster-inputs-token-0123456789'),
  'job-template': TEMPLATE,
  ...inputs,
});
const ecs = (inputs: Record<string, string>): Record<string, string> => ({
  mode: 'ecs-task',
  'task-definition': 'shop-migrate',
  subnets: 'subnet-0abc12345def67890',
  ...inputs,
});

interface BadCase {
  inputs: Record<string, string>;
  input: string;
  says: string[];
  hides?: string[];
}

const BAD_INPUTS: [string, BadCase][] = [
  [
    'mode: unknown',
    { inputs: { mode: 'docker' }, input: 'mode', says: ['"docker"', 'native, kubernetes-job, ecs-task'] },
  ],
  ['mode: wrong case', { inputs: { mode: 'Kubernetes-Job' }, input: 'mode', says: ['"Kubernetes-Job"'] }],
  [
    'command other than migrate',
    { inputs: job({ command: 'plan' }), input: 'command', says: ['"plan"', 'mode: native'] },
  ],
  [
    'database-url in-cluster',
    {
      inputs: job({ 'database-url': 'postgresql://app:hidden-pw-77@db/app' }),
      input: 'database-url',
      says: ['not used by mode kubernetes-job'],
      hides: ['postgresql://app:hidden-pw-77@db/app'],
    },
  ],
  ...(
    [
      ['port', '5432'],
      ['user', 'app'],
      ['database', 'shop'],
      ['sslmode', 'verify-full'],
      ['ca-certificate', '-----BEGIN CERTIFICATE-----'],
    ] as const
  ).map(([name, value]): [string, BadCase] => [
    `${name} in-cluster`,
    { inputs: ecs({ [name]: value }), input: name, says: ['not used by mode ecs-task'] },
  ]),
  [
    'neither template nor deployment',
    { inputs: job({ 'job-template': '' }), input: 'job-template', says: ['one of', 'from-deployment'] },
  ],
  [
    'both template and deployment',
    { inputs: job({ 'from-deployment': 'shop/web' }), input: 'job-template', says: ['only one of'] },
  ],
  [
    'from-deployment: too many parts',
    {
      inputs: job({ 'job-template': '', 'from-deployment': 'a/b/c', 'migration-command': 'x' }),
      input: 'from-deployment',
      says: ['"a/b/c"', '<namespace>/<name>'],
    },
  ],
  [
    'from-deployment: upper case',
    {
      inputs: job({ 'job-template': '', 'from-deployment': 'Shop/Web', 'migration-command': 'x' }),
      input: 'from-deployment',
      says: ['"Shop/Web"'],
    },
  ],
  [
    'from-deployment: namespace disagrees',
    {
      inputs: job({
        'job-template': '',
        'from-deployment': 'shop/web',
        namespace: 'other',
        'migration-command': 'x',
      }),
      input: 'from-deployment',
      says: ['shop', 'other'],
    },
  ],
  [
    'from-deployment without migration-command',
    {
      inputs: job({ 'job-template': '', 'from-deployment': 'shop/web' }),
      input: 'migration-command',
      says: ['required with from-deployment'],
    },
  ],
  [
    'job-template: not YAML',
    { inputs: job({ 'job-template': 'a: [1' }), input: 'job-template', says: ['not valid YAML'] },
  ],
  [
    'job-template: a Deployment',
    {
      inputs: job({ 'job-template': 'kind: Deployment\nspec: {}' }),
      input: 'job-template',
      says: ['kind: Deployment', 'kind: Job'],
    },
  ],
  [
    'job-template: no containers',
    {
      inputs: job({ 'job-template': 'kind: Job\nspec:\n  template:\n    spec: {}' }),
      input: 'job-template',
      says: ['no containers'],
    },
  ],
  [
    'job-template: a list',
    { inputs: job({ 'job-template': '- a\n- b' }), input: 'job-template', says: ['expected a Job'] },
  ],
  [
    'image: spaces',
    { inputs: job({ image: 'shop 1.2' }), input: 'image', says: ['"shop 1.2"', 'image reference'] },
  ],
  [
    'namespace: invalid',
    { inputs: job({ namespace: 'Apps_Prod' }), input: 'namespace', says: ['"Apps_Prod"'] },
  ],
  [
    'container: invalid',
    { inputs: job({ container: 'App Main' }), input: 'container', says: ['"App Main"'] },
  ],
  [
    'keep-job: yes',
    { inputs: job({ 'keep-job': 'yes' }), input: 'keep-job', says: ['"yes"', 'true or false'] },
  ],
  ['timeout: too short', { inputs: job({ timeout: '10ms' }), input: 'timeout', says: ['"10ms"'] }],
  [
    'timeout: no duration',
    { inputs: job({ timeout: 'soon' }), input: 'timeout', says: ['"soon"', 'duration'] },
  ],
  [
    'migration-command: shell syntax',
    {
      inputs: job({ 'migration-command': 'npm run migrate && npm run seed' }),
      input: 'migration-command',
      says: ['"&&"', 'YAML list'],
    },
  ],
  [
    'migration-command: quotes',
    {
      inputs: job({ 'migration-command': `sh -c 'rails db:migrate'` }),
      input: 'migration-command',
      says: ['no shell'],
    },
  ],
  [
    'migration-command: empty list',
    { inputs: job({ 'migration-command': '[]' }), input: 'migration-command', says: ['non-empty YAML list'] },
  ],
  [
    'migration-command: list of maps',
    {
      inputs: job({ 'migration-command': '- run: migrate' }),
      input: 'migration-command',
      says: ['YAML list of strings'],
    },
  ],
  [
    'migration-command: broken list',
    {
      inputs: job({ 'migration-command': '["npm", "run"' }),
      input: 'migration-command',
      says: ['YAML list'],
    },
  ],
  [
    'kubeconfig: not a kubeconfig',
    { inputs: job({ kubeconfig: 'just text' }), input: 'kubeconfig', says: ['kubeconfig'] },
  ],
  ['context: unknown', { inputs: job({ context: 'prod' }), input: 'context', says: ['"prod"', 'ctx'] }],
  [
    'ECS input with kubernetes-job',
    { inputs: job({ cluster: 'prod' }), input: 'cluster', says: ['not used by mode kubernetes-job'] },
  ],
  [
    'kubernetes input with ecs-task',
    { inputs: ecs({ 'keep-job': 'true' }), input: 'keep-job', says: ['not used by mode ecs-task'] },
  ],
  ['image with ecs-task', { inputs: ecs({ image: 'shop:2' }), input: 'image', says: ['task definition'] }],
  [
    'task-definition: missing',
    { inputs: ecs({ 'task-definition': '' }), input: 'task-definition', says: ['required'] },
  ],
  [
    'task-definition: bad',
    {
      inputs: ecs({ 'task-definition': 'shop migrate:x' }),
      input: 'task-definition',
      says: ['"shop migrate:x"', 'family'],
    },
  ],
  ['cluster: bad', { inputs: ecs({ cluster: 'prod/cluster' }), input: 'cluster', says: ['"prod/cluster"'] }],
  [
    'launch-type: lower case',
    {
      inputs: ecs({ 'launch-type': 'fargate' }),
      input: 'launch-type',
      says: ['"fargate"', 'FARGATE, EC2, EXTERNAL'],
    },
  ],
  [
    'subnets: not an ID',
    {
      inputs: ecs({ subnets: 'subnet-0abc12345def67890, private-a' }),
      input: 'subnets',
      says: ['"private-a"'],
    },
  ],
  [
    'subnets: missing with FARGATE',
    { inputs: ecs({ subnets: '' }), input: 'subnets', says: ['required with launch-type FARGATE'] },
  ],
  [
    'security-groups: not an ID',
    { inputs: ecs({ 'security-groups': 'default' }), input: 'security-groups', says: ['"default"'] },
  ],
  [
    'security-groups without subnets',
    {
      inputs: ecs({ subnets: '', 'launch-type': 'EC2', 'security-groups': 'sg-0abc12345def67890' }),
      input: 'subnets',
      says: ['need "subnets"'],
    },
  ],
  [
    'assign-public-ip: enabled',
    { inputs: ecs({ 'assign-public-ip': 'ENABLED' }), input: 'assign-public-ip', says: ['"ENABLED"'] },
  ],
  [
    'poll-interval: too fast',
    { inputs: ecs({ 'poll-interval': '10ms' }), input: 'poll-interval', says: ['"10ms"'] },
  ],
  [
    'container: bad for ECS',
    { inputs: ecs({ container: 'app/main' }), input: 'container', says: ['"app/main"'] },
  ],
];

describe('bad in-cluster inputs', () => {
  it(`covers at least 15 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(BAD_INPUTS)('%s', async (_name, bad) => {
    const error = await readError(bad.inputs);
    expect(error.input).toBe(bad.input);
    const shown = `${error.message} ${error.hint ?? ''}`;
    for (const text of bad.says) expect(shown).toContain(text);
    for (const secret of bad.hides ?? []) {
      expect(shown).not.toContain(secret);
      expect(stdout.text()).toContain(`::add-mask::${secret}`);
    }
  });
});

describe('good in-cluster inputs', () => {
  it('reads a Job from a template, with the commit in its suffix and the token masked', async () => {
    // Secrets are masked once per process: a token no other test uses shows the mask.
    const token = 'good-inputs-token-9876543210';
    const inputs = await read(
      job({
        kubeconfig: kubeconfig(token),
        image: `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`,
        'migration-command': 'npm run migrate',
      }),
    );
    expect(inputs).toMatchObject({
      mode: 'kubernetes-job',
      source: { kind: 'template', name: 'shop', namespace: undefined },
      namespace: undefined,
      command: ['npm', 'run', 'migrate'],
      keepJob: false,
      timeoutMs: 30 * 60_000,
      suffix: 'abcdef0',
    });
    expect(stdout.text()).toContain(`::add-mask::${token}`);
  });

  it('reads a Deployment reference and a YAML command list', async () => {
    const inputs = await read(
      job({
        'job-template': '',
        'from-deployment': 'shop/web',
        'migration-command': '["sh", "-c", "rails db:migrate && echo done"]',
        'keep-job': 'true',
      }),
    );
    expect(inputs).toMatchObject({
      source: { kind: 'deployment', namespace: 'shop', name: 'web' },
      namespace: 'shop',
      command: ['sh', '-c', 'rails db:migrate && echo done'],
      keepJob: true,
    });
  });

  it('reads an ECS task with its network and defaults', async () => {
    const inputs = await read(
      ecs({
        'security-groups': 'sg-0abc12345def67890',
        'assign-public-ip': 'true',
        'migration-command': '- alembic\n- upgrade\n- head',
      }),
    );
    expect(inputs).toEqual({
      mode: 'ecs-task',
      region: undefined,
      cluster: 'default',
      taskDefinition: 'shop-migrate',
      launchType: 'FARGATE',
      network: {
        subnets: ['subnet-0abc12345def67890'],
        securityGroups: ['sg-0abc12345def67890'],
        assignPublicIp: true,
      },
      command: ['alembic', 'upgrade', 'head'],
      container: undefined,
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 6000,
    });
  });
});
