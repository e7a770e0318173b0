import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { run } from '../../actions/rollback/src/main.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { startGitHubApi, type GitHubApi } from '../support/github-api/index.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { capture, type Captured } from '../shared/helpers.ts';

/**
 * Bad inputs through the action's own `run`, in-process, with a live cluster and a live GitHub API
 * in reach: each must stop with a ConfigurationError naming the input, and neither server may
 * have received a single request.
 */

let simulator: KubernetesSimulator;
let github: GitHubApi;
let stdout: Captured;
const saved = { ...process.env };

beforeAll(async () => {
  simulator = await startKubernetesSimulator();
  github = await startGitHubApi();
});
afterAll(async () => {
  await github.close();
  await simulator.close();
});
beforeEach(() => {
  stdout = capture();
  Object.assign(process.env, github.env, { GITHUB_SHA: 'a'.repeat(40) });
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
});

const ECS_NAMES = ['cluster', 'service', 'to-task-definition', 'aws-region', 'poll-interval'];

function setInputs(inputs: Record<string, string>): void {
  // The kubeconfig input would make every ECS case a two-platforms case.
  const ecs = Object.keys(inputs).some((name) => ECS_NAMES.includes(name));
  const all = {
    ...(ecs ? {} : { kubeconfig: simulator.kubeconfig }),
    'github-token': github.token,
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

const web = { workloads: 'deployment/web' };
const ecsService = { cluster: 'prod', service: 'web' };

/** [label, inputs, the input the error names, what it says] */
const BAD_INPUTS: [string, Record<string, string>, string, string][] = [
  ['nothing to roll back', {}, 'workloads', 'Nothing to roll back'],
  ['a Pod', { workloads: 'pod/web' }, 'workloads', 'expected kind/name with kind deployment'],
  ['a kind without a name', { workloads: 'deployment' }, 'workloads', '"deployment"'],
  ['an upper-case name', { workloads: 'deployment/Web' }, 'workloads', '"deployment/Web"'],
  ['a namespace in the reference', { workloads: 'deployment/shop/web' }, 'workloads', 'kind/name'],
  ['an empty name', { workloads: 'deployment/' }, 'workloads', 'kind/name'],
  ['a CronJob', { workloads: 'cronjob/nightly' }, 'workloads', 'deployment, statefulset or daemonset'],
  ['a workload listed twice', { workloads: 'deployment/web, deploy/web' }, 'workloads', 'listed twice'],
  ['workloads and a selector', { ...web, selector: 'app=web' }, 'selector', 'exclude each other'],
  [
    'workloads and from-deployment',
    { ...web, 'from-deployment': '12' },
    'from-deployment',
    'exclude each other',
  ],
  [
    'a selector and from-deployment',
    { selector: 'app=web', 'from-deployment': '12' },
    'from-deployment',
    'exclude each other',
  ],
  ['an unbalanced selector', { selector: 'tier in (api' }, 'selector', 'unbalanced parentheses'],
  ['a selector without a key', { selector: '=web' }, 'selector', 'not a label selector'],
  ['a selector with a bad value', { selector: 'app=-web' }, 'selector', 'a label value must be'],
  ['a selector with a stray comma', { selector: 'app=web,' }, 'selector', 'an empty requirement'],
  ['a negative revision', { ...web, 'to-revision': '-1' }, 'to-revision', 'expected a whole number from 0'],
  [
    'a revision that is a word',
    { ...web, 'to-revision': 'previous' },
    'to-revision',
    'expected a whole number',
  ],
  ['a fractional revision', { ...web, 'to-revision': '2.5' }, 'to-revision', 'expected a whole number'],
  [
    'to-revision with from-deployment',
    { 'from-deployment': '12', 'to-revision': '3' },
    'to-revision',
    'exclude each other',
  ],
  ['a deployment id of 0', { 'from-deployment': '0' }, 'from-deployment', 'a positive whole number'],
  [
    'a deployment id that is a URL',
    { 'from-deployment': 'https://github.com/o/r/deployments/1' },
    'from-deployment',
    'the id of a GitHub deployment',
  ],
  [
    'from-deployment without a token',
    { 'from-deployment': '12', 'github-token': '' },
    'github-token',
    'needs it to read the deployment records',
  ],
  [
    'environment alone without a token',
    { environment: 'production', 'github-token': '' },
    'github-token',
    'environment alone needs it',
  ],
  ['an unknown platform', { ...web, platform: 'nomad' }, 'platform', 'expected kubernetes'],
  ['a platform in capitals', { ...web, platform: 'Kubernetes' }, 'platform', 'expected kubernetes'],
  ['an upper-case namespace', { ...web, namespace: 'Shop' }, 'namespace', 'expected a namespace name'],
  ['a namespace of 64 characters', { ...web, namespace: 'n'.repeat(64) }, 'namespace', 'up to 63'],
  ['dry-run yes', { ...web, 'dry-run': 'yes' }, 'dry-run', 'expected true or false'],
  ['wait 1', { ...web, wait: '1' }, 'wait', 'expected true or false'],
  [
    'record-deployment on',
    { ...web, 'record-deployment': 'on' },
    'record-deployment',
    'expected true or false',
  ],
  [
    'production-environment maybe',
    { ...web, 'production-environment': 'maybe' },
    'production-environment',
    'expected true or false',
  ],
  [
    'transient-environment 0',
    { ...web, 'transient-environment': '0' },
    'transient-environment',
    'expected true or false',
  ],
  ['a timeout in words', { ...web, timeout: 'ten minutes' }, 'timeout', 'expected a duration'],
  ['a timeout below a second', { ...web, timeout: '500ms' }, 'timeout', 'from 1s'],
  ['a timeout past six hours', { ...web, timeout: '7h' }, 'timeout', 'to 6h'],
  ['negative max-restarts', { ...web, 'max-restarts': '-1' }, 'max-restarts', 'expected a whole number'],
  [
    'an environment URL without a scheme',
    { ...web, 'environment-url': 'shop.example.com' },
    'environment-url',
    'expected an http or https URL',
  ],
  [
    'an ftp environment URL',
    { ...web, 'environment-url': 'ftp://shop.example.com' },
    'environment-url',
    'expected an http or https URL',
  ],
  [
    'an environment name with a newline',
    { ...web, environment: 'prod\nuction' },
    'environment',
    'printable characters',
  ],
  [
    'an environment name of 256 characters',
    { ...web, environment: 'e'.repeat(256) },
    'environment',
    'at most 255',
  ],
  ['a kubeconfig that is not YAML', { ...web, kubeconfig: 'clusters: [' }, 'kubeconfig', 'kubeconfig'],
  ['a context the kubeconfig lacks', { ...web, context: 'elsewhere' }, 'context', 'elsewhere'],
  ['a cluster without a service', { cluster: 'prod' }, 'service', 'required to roll back an ECS service'],
  ['a service without a cluster', { service: 'web' }, 'cluster', 'required to roll back an ECS service'],
  [
    'ECS and Kubernetes inputs together',
    { ...web, cluster: 'prod', service: 'web' },
    'cluster',
    'name two platforms',
  ],
  [
    'platform kubernetes with ECS inputs',
    { platform: 'kubernetes', cluster: 'prod', service: 'web' },
    'platform',
    'is one of ecs',
  ],
  [
    'a task definition without a revision',
    { ...ecsService, 'to-task-definition': 'web' },
    'to-task-definition',
    'expected a task definition ARN',
  ],
  [
    'a task definition revision 0',
    { ...ecsService, 'to-task-definition': '0' },
    'to-task-definition',
    'family:revision',
  ],
  [
    'to-task-definition with from-deployment',
    { 'from-deployment': '12', 'to-task-definition': '3' },
    'to-task-definition',
    'exclude each other',
  ],
  ['a poll interval below a second', { ...ecsService, 'poll-interval': '100ms' }, 'poll-interval', 'from 1s'],
  [
    'a region that is a word',
    { ...ecsService, 'aws-region': 'Europe' },
    'aws-region',
    'expected an AWS region',
  ],
];

describe('bad inputs: a clear error naming the input, and no request to the cluster or GitHub', () => {
  it(`has at least 30 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_INPUTS)('%s', async (_label, inputs, input, says) => {
    setInputs(inputs);
    const clusterBefore = simulator.requests.length;
    const githubBefore = github.requests.length;
    const error = await run({ signal: new AbortController().signal, startedAt: Date.now() }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe(input);
    expect((error as ConfigurationError).message).toContain(says);
    expect(simulator.requests.length).toBe(clusterBefore);
    expect(github.requests.length).toBe(githubBefore);
  });
});
