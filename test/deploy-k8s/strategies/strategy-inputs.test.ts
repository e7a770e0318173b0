import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readInputs } from '../../../actions/deploy-k8s/src/inputs.ts';
import { run } from '../../../actions/deploy-k8s/src/main.ts';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { capture, tempDir, type Captured, type TempDir } from '../../shared/helpers.ts';
import { webApp } from '../helpers.ts';

/**
 * The progressive-delivery inputs, through the action's own `run` against a live simulator: every
 * bad combination stops with a ConfigurationError naming the input, quoting the value and saying
 * what is accepted, and the simulator receives nothing at all.
 */
let simulator: KubernetesSimulator;
let workspace: TempDir;
let stdout: Captured;

beforeAll(async () => {
  simulator = await startKubernetesSimulator();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => {
  stdout = capture();
  workspace = tempDir('gantry-strategy-inputs-');
  write('k8s/app.yaml', webApp());
});
afterEach(() => {
  stdout.restore();
  workspace.remove();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

function write(path: string, text: string): void {
  mkdirSync(join(workspace.path, dirname(path)), { recursive: true });
  workspace.file(path, text);
}

function setInputs(inputs: Record<string, string>): void {
  const all = { manifests: 'k8s', kubeconfig: simulator.kubeconfig, ...inputs };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

interface BadCase {
  inputs: Record<string, string>;
  files?: Record<string, string>;
  input: string;
  message: RegExp;
}

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: NAME}
spec:
  rules: [{backendRefs: [{name: web, port: 80}]}]
`;
const STATEFUL_SET = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
`;
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n';
const DEPLOYMENT_ONLY = webApp().split('---')[0] as string;

const BAD: Record<string, BadCase> = {
  'an unknown strategy': {
    inputs: { strategy: 'canary-release' },
    input: 'strategy',
    message: /"canary-release": expected one of rolling, canary, blue-green/,
  },
  'an unknown action': {
    inputs: { strategy: 'canary', action: 'rollback' },
    input: 'action',
    message: /"rollback": expected one of deploy, promote, abort/,
  },
  'promote with strategy rolling': {
    inputs: { action: 'promote' },
    input: 'action',
    message: /"promote": promote applies to strategy canary or blue-green/,
  },
  'abort with strategy rolling': {
    inputs: { action: 'abort' },
    input: 'action',
    message: /"abort": abort applies to strategy canary or blue-green/,
  },
  'canary-replicas and canary-percentage both': {
    inputs: { strategy: 'canary', 'canary-replicas': '2', 'canary-percentage': '10' },
    input: 'canary-percentage',
    message: /"10": set either canary-replicas or canary-percentage, not both \(canary-replicas is "2"\)/,
  },
  'canary-percentage above 100': {
    inputs: { strategy: 'canary', 'canary-percentage': '150' },
    input: 'canary-percentage',
    message: /"150": expected a whole percentage from 1 to 100/,
  },
  'canary-percentage of 0': {
    inputs: { strategy: 'canary', 'canary-percentage': '0%' },
    input: 'canary-percentage',
    message: /"0%": expected a whole percentage from 1 to 100/,
  },
  'a fractional canary-percentage': {
    inputs: { strategy: 'canary', 'canary-percentage': '12.5' },
    input: 'canary-percentage',
    message: /"12.5": expected a whole percentage/,
  },
  'canary-replicas of 0': {
    inputs: { strategy: 'canary', 'canary-replicas': '0' },
    input: 'canary-replicas',
    message: /"0": expected a whole number from 1 to 1000/,
  },
  'canary-replicas with blue-green': {
    inputs: { strategy: 'blue-green', 'canary-replicas': '1' },
    input: 'canary-replicas',
    message: /"1": canary-replicas applies to strategy canary only; strategy is blue-green/,
  },
  'traffic-weights not increasing': {
    inputs: { strategy: 'canary', 'traffic-weights': '10,50,30,100' },
    input: 'traffic-weights',
    message: /"10,50,30,100": the weights must be strictly increasing; expected .* like 10,50,100/,
  },
  'traffic-weights not ending at 100': {
    inputs: { strategy: 'canary', 'traffic-weights': '10,50' },
    input: 'traffic-weights',
    message: /"10,50": the last weight must be 100/,
  },
  'a traffic weight above 100': {
    inputs: { strategy: 'canary', 'traffic-weights': '50,200' },
    input: 'traffic-weights',
    message: /"50,200": each weight must be a whole number from 1 to 100/,
  },
  'a traffic weight that is not a number': {
    inputs: { strategy: 'canary', 'traffic-weights': 'ten,100' },
    input: 'traffic-weights',
    message: /"ten,100": each weight must be a whole number/,
  },
  'traffic-weights without an HTTPRoute': {
    inputs: { strategy: 'canary', 'traffic-weights': '10,100' },
    input: 'traffic-weights',
    message:
      /"10,100": traffic-weights steps the backend weights of a Gateway API HTTPRoute, and there is none in the manifests/,
  },
  'traffic-weights with two HTTPRoutes and no route input': {
    inputs: { strategy: 'canary', 'traffic-weights': '10,100' },
    files: { 'k8s/a.yaml': ROUTE.replace('NAME', 'a'), 'k8s/b.yaml': ROUTE.replace('NAME', 'b') },
    input: 'traffic-weights',
    message: /the manifests hold 2 HTTPRoutes \(a, b\); name the one to step with the route input/,
  },
  'traffic-weights with blue-green': {
    inputs: { strategy: 'blue-green', 'traffic-weights': '10,100' },
    input: 'traffic-weights',
    message: /traffic-weights applies to strategy canary only; strategy is blue-green/,
  },
  'route without traffic-weights': {
    inputs: { strategy: 'canary', route: 'web' },
    input: 'route',
    message: /"web": route names the HTTPRoute whose weights traffic-weights steps/,
  },
  'blue-green with two HTTPRoutes referencing its Service and no route input': {
    inputs: { strategy: 'blue-green' },
    files: { 'k8s/a.yaml': ROUTE.replace('NAME', 'a'), 'k8s/b.yaml': ROUTE.replace('NAME', 'b') },
    input: 'route',
    message:
      /2 HTTPRoutes of the manifests \(a, b\) send traffic to the Services in front of its Deployments/,
  },
  'route with strategy rolling': {
    inputs: { route: 'web' },
    input: 'route',
    message:
      /"web": route applies to strategy canary with traffic-weights, or blue-green; strategy is rolling/,
  },
  'keep-previous with canary': {
    inputs: { strategy: 'canary', 'keep-previous': 'false' },
    input: 'keep-previous',
    message: /"false": keep-previous applies to strategy blue-green only; strategy is canary/,
  },
  'auto-promote with strategy rolling': {
    inputs: { 'auto-promote': 'true' },
    input: 'auto-promote',
    message: /"true": auto-promote applies to strategy canary or blue-green; strategy is rolling/,
  },
  'supersede with action promote': {
    inputs: { strategy: 'canary', action: 'promote', supersede: 'true' },
    input: 'supersede',
    message: /"true": supersede applies to action deploy only; action is promote/,
  },
  'analysis with action abort': {
    inputs: { strategy: 'blue-green', action: 'abort', analysis: 'checks: []' },
    input: 'analysis',
    message: /analysis applies to action deploy only; action is abort/,
  },
  'analysis naming a placeholder the strategy does not fill': {
    inputs: {
      strategy: 'blue-green',
      analysis:
        'count: 1\nchecks:\n  - name: health\n    smoke-test: {url: "http://${canary}.shop.svc/health"}\n',
    },
    input: 'analysis',
    message:
      /check "health": the placeholder \$\{canary\} has no value in this step; the placeholders here are \$\{name\}, \$\{namespace\}, \$\{service\}, \$\{colour\}, \$\{deployment\}/,
  },
  'analysis naming the first Deployment when the manifests hold two': {
    inputs: {
      strategy: 'canary',
      analysis:
        'count: 1\nchecks:\n  - name: health\n    smoke-test: {url: "http://${canary}.${namespace}.svc/health"}\n',
    },
    files: { 'k8s/api.yaml': webApp({ name: 'api' }) },
    input: 'analysis',
    message:
      /"analysis" uses \$\{canary\}, which names one Deployment, and the manifests hold 2 \(api, web\): the check would measure the first/,
  },
  'analysis with ${weight} on a replica-based canary': {
    inputs: {
      strategy: 'canary',
      analysis:
        'count: 1\nchecks:\n  - name: rate\n    prometheus: {address: "http://prom:9090", query: "up{w=\\"${weight}\\"}", success-condition: "result > 0"}\n',
    },
    input: 'analysis',
    message: /the placeholder \$\{weight\} has no value in this step/,
  },
  'auto-promote not a boolean': {
    inputs: { strategy: 'canary', 'auto-promote': 'yes' },
    input: 'auto-promote',
    message: /"yes": expected true or false/,
  },
  'wait false with a strategy': {
    inputs: { strategy: 'blue-green', wait: 'false' },
    input: 'wait',
    message: /"false": strategy blue-green waits for the new pods before any traffic reaches them/,
  },
  'dry-run with a strategy': {
    inputs: { strategy: 'canary', 'dry-run': 'true' },
    input: 'dry-run',
    message: /"true": a dry run previews a rolling deploy/,
  },
  'a StatefulSet with canary': {
    inputs: { strategy: 'canary' },
    files: { 'k8s/db.yaml': STATEFUL_SET },
    input: 'strategy',
    message: /StatefulSet "db" cannot be; deploy it in a step with strategy: rolling/,
  },
  'no Deployment with blue-green': {
    inputs: { strategy: 'blue-green', manifests: 'only/settings.yaml' },
    files: { 'only/settings.yaml': CONFIG_MAP },
    input: 'strategy',
    message: /Input "strategy" is blue-green, but the manifests hold no Deployment/,
  },
  'blue-green without a Service in front of the Deployment': {
    inputs: { strategy: 'blue-green', manifests: 'only/web.yaml' },
    files: { 'only/web.yaml': DEPLOYMENT_ONLY },
    input: 'manifests',
    message:
      /strategy blue-green switches the selector of the Services in front of Deployment "web", and no Service in the manifests selects its pods/,
  },
};

describe('bad strategy inputs: a clear error and nothing sent to the cluster', () => {
  it('has at least 25 cases', () => {
    expect(Object.keys(BAD).length).toBeGreaterThanOrEqual(25);
  });

  it.each(Object.entries(BAD))('%s', async (_name, bad) => {
    for (const [path, text] of Object.entries(bad.files ?? {})) write(path, text);
    setInputs(bad.inputs);
    const before = simulator.requests.length;
    const saved = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = workspace.path;
    let error: unknown;
    try {
      await run({ signal: new AbortController().signal, startedAt: Date.now() });
    } catch (caught) {
      error = caught;
    } finally {
      if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
      else process.env.GITHUB_WORKSPACE = saved;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(bad.message);
    expect((error as ConfigurationError).input).toBe(bad.input);
    expect(simulator.requests.length - before).toBe(0);
  });
});

describe('good strategy inputs', () => {
  it('defaults to a rolling deploy', async () => {
    setInputs({});
    const { strategy } = await readInputs({ GITHUB_WORKSPACE: workspace.path });
    expect(strategy).toEqual({
      strategy: 'rolling',
      action: 'deploy',
      canarySize: { replicas: 1 },
      trafficWeights: [],
      route: undefined,
      analysisText: undefined,
      autoPromote: false,
      keepPrevious: true,
      supersede: false,
    });
  });

  it('reads a traffic-weighted canary with a percentage and the HTTPRoute from the manifests', async () => {
    write('k8s/route.yaml', ROUTE.replace('NAME', 'web'));
    setInputs({
      strategy: 'canary',
      'canary-percentage': '25%',
      'traffic-weights': '5, 25\n100',
      'auto-promote': 'true',
    });
    const { strategy } = await readInputs({ GITHUB_WORKSPACE: workspace.path });
    expect(strategy).toMatchObject({
      canarySize: { percentage: 25 },
      trafficWeights: [5, 25, 100],
      autoPromote: true,
    });
  });
});
