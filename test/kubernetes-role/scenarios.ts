import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import type { KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { NAMESPACE, WEB } from './release.ts';

/**
 * The scenarios whose requests the Role must grant, each a list of steps on a fresh simulator and
 * workspace (RELEASE_FILES). A step is one action's bundle run through the runner harness, or an
 * arrangement of the simulator between runs. Adding a scenario is one line in SCENARIOS, for
 * example: `{ name: 'deploy-k8s: canary', steps: [deploy('1.0'), deploy('1.1', { strategy: 'canary' })] }`.
 */
export interface Step {
  /** What the step is, for a failed expectation. */
  title: string;
  run(simulator: KubernetesSimulator, workspace: string): Promise<ActionRun | undefined>;
  /** The outcome the scenario needs; a step that ends otherwise fails the test with its log. */
  expect?: ActionRun['outcome'];
}

export interface RoleScenario {
  name: string;
  steps: Step[];
  /** The cluster serves the Gateway API's HTTPRoute. */
  gatewayApi?: boolean;
}

function action(
  name: string,
  inputs: Record<string, string>,
  expect: ActionRun['outcome'] = 'success',
): Step {
  return {
    title: `${name} ${JSON.stringify(inputs)}`,
    expect,
    run: (simulator, workspace) =>
      runActionBundle({
        action: name,
        inputs: { kubeconfig: simulator.kubeconfig, ...inputs },
        cwd: workspace,
        env: { GITHUB_SHA: 'f00dfeed'.repeat(5) },
        timeoutMs: 60_000,
      }),
  };
}

/** deploy-k8s of the release with `shop/web:<tag>`. */
export const deploy = (
  tag: string,
  inputs: Record<string, string> = {},
  expect?: ActionRun['outcome'],
): Step =>
  action(
    'deploy-k8s',
    { manifests: 'k8s', namespace: NAMESPACE, images: `${WEB}:${tag}`, timeout: '30s', ...inputs },
    expect,
  );

export const rollback = (inputs: Record<string, string>): Step =>
  action('rollback', { namespace: NAMESPACE, timeout: '30s', ...inputs });

export const migrateInCluster = (inputs: Record<string, string> = {}, expect?: ActionRun['outcome']): Step =>
  action(
    'migrate',
    {
      mode: 'kubernetes-job',
      'from-deployment': `${NAMESPACE}/web`,
      image: `${WEB}:1.1`,
      'migration-command': 'npm run migrate',
      ...inputs,
    },
    expect,
  );

export const arrange = (title: string, change: (simulator: KubernetesSimulator) => void): Step => ({
  title,
  run: async (simulator) => {
    change(simulator);
    return undefined;
  },
});

/**
 * Left out of the roles on purpose (README, "Security model"): the test proves these need exactly
 * the rule the README names, and that the roles do not grant it.
 */
export const NOT_GRANTED_SCENARIOS: RoleScenario[] = [
  {
    name: 'deploy-k8s: a release that ships its CustomResourceDefinition',
    steps: [action('deploy-k8s', { manifests: 'k8s-with-crd', timeout: '30s' })],
  },
];

const ALL_WORKLOADS = 'deployment/web,statefulset/db,daemonset/agent';

/** deploy-k8s of the Deployment-only release with a strategy (canary, blue-green) and an action. */
const progressive = (tag: string, inputs: Record<string, string>): Step =>
  deploy(tag, { manifests: 'k8s-web', ...inputs });

/** The analysis with a Job check, read from the workspace as a workflow would pass the file's text. */
const jobAnalysis = (workspace: string): string =>
  readFileSync(join(workspace, 'analysis/job-check.yaml'), 'utf8');

export const SCENARIOS: RoleScenario[] = [
  {
    name: 'deploy-k8s: a canary with a Job analysis, then promoted',
    steps: [
      progressive('1.0', {}),
      {
        title: 'deploy-k8s canary 1.1 with a Job analysis',
        expect: 'success',
        run: (simulator, workspace) =>
          progressive('1.1', { strategy: 'canary', analysis: jobAnalysis(workspace) }).run(
            simulator,
            workspace,
          ),
      },
      progressive('1.1', { strategy: 'canary', action: 'promote' }),
    ],
  },
  {
    name: 'deploy-k8s: a canary, then aborted',
    steps: [
      progressive('1.0', {}),
      progressive('1.1', { strategy: 'canary' }),
      progressive('1.1', { strategy: 'canary', action: 'abort' }),
    ],
  },
  {
    name: 'deploy-k8s: blue-green, switched, then promoted; again, then aborted',
    steps: [
      progressive('1.0', { strategy: 'blue-green' }),
      progressive('1.1', { strategy: 'blue-green' }),
      progressive('1.1', { strategy: 'blue-green', action: 'promote' }),
      progressive('1.2', { strategy: 'blue-green' }),
      progressive('1.2', { strategy: 'blue-green', action: 'abort' }),
    ],
  },
  {
    name: 'deploy-k8s: a traffic-weighted canary on an HTTPRoute, promoted',
    gatewayApi: true,
    steps: [
      deploy('1.0', { manifests: 'k8s-route' }),
      deploy('1.1', { manifests: 'k8s-route', strategy: 'canary', 'traffic-weights': '10,50,100' }),
      deploy('1.1', {
        manifests: 'k8s-route',
        strategy: 'canary',
        'traffic-weights': '10,50,100',
        action: 'promote',
      }),
    ],
  },
  {
    name: 'deploy-k8s: blue-green through an HTTPRoute, switched, then aborted; again, then promoted',
    gatewayApi: true,
    steps: [
      deploy('1.0', { manifests: 'k8s-route' }),
      deploy('1.1', { manifests: 'k8s-route', strategy: 'blue-green' }),
      deploy('1.1', { manifests: 'k8s-route', strategy: 'blue-green', action: 'abort' }),
      deploy('1.2', { manifests: 'k8s-route', strategy: 'blue-green' }),
      deploy('1.2', { manifests: 'k8s-route', strategy: 'blue-green', action: 'promote' }),
    ],
  },
  { name: 'deploy-k8s: every workload kind, then a new image', steps: [deploy('1.0'), deploy('1.1')] },
  {
    name: 'deploy-k8s: a dry run with its diff',
    steps: [deploy('1.0'), deploy('1.1', { 'dry-run': 'true' })],
  },
  {
    name: 'deploy-k8s: a broken release, rolled back on failure',
    steps: [
      deploy('1.0'),
      arrange('the new image cannot be pulled', (simulator) =>
        simulator.behaviour.unpullableImage(`${WEB}:2.0-broken`),
      ),
      deploy('2.0-broken', {}, 'failure'),
    ],
  },
  {
    name: 'deploy-k8s: a crash-looping release, its log tail in the diagnosis',
    steps: [
      deploy('1.0'),
      arrange('the new image crashes', (simulator) =>
        simulator.behaviour.crashingImage(`${WEB}:2.0-crash`, {
          exitCode: 78,
          log: 'FATAL: no DATABASE_URL\n',
        }),
      ),
      deploy('2.0-crash', { 'max-restarts': '1' }, 'failure'),
    ],
  },
  {
    name: 'deploy-k8s: a release that creates its namespace',
    steps: [action('deploy-k8s', { manifests: 'k8s-new-namespace', images: `${WEB}:1.0`, timeout: '30s' })],
  },
  {
    name: 'rollback: the workloads named, to the revision before',
    steps: [deploy('1.0'), deploy('1.1'), rollback({ workloads: ALL_WORKLOADS })],
  },
  {
    name: 'rollback: the workloads a selector matches, to a given revision',
    steps: [
      deploy('1.0'),
      deploy('1.1'),
      rollback({ selector: 'app in (web,db,agent)', 'to-revision': '1' }),
    ],
  },
  {
    name: 'migrate: a Job from the Deployment, its log followed, then deleted',
    steps: [
      deploy('1.0'),
      arrange('the migration prints', (simulator) =>
        simulator.behaviour.containerLog(`${WEB}:1.1`, 'Applied 3 migrations\n'),
      ),
      migrateInCluster(),
    ],
  },
  {
    name: 'migrate: a failing migration Job, its exit code and log tail, still deleted',
    steps: [
      deploy('1.0'),
      arrange('the migration fails', (simulator) =>
        simulator.behaviour.failJobs(
          { name: /migrate/ },
          { exitCode: 3, log: 'ERROR: relation "users" does not exist\n' },
        ),
      ),
      migrateInCluster({}, 'failure'),
    ],
  },
];
