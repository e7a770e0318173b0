import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/actions.ts';
import { readActionMetadata, resolveInputs } from '../test/support/runner/action-metadata.ts';
import {
  createFileCommandFiles,
  createJobDirectories,
  inheritedEnvironment,
  jobEnvironment,
} from '../test/support/runner/environment.ts';
import { runStepProcess } from '../test/support/runner/step-process.ts';
import { startKubernetesSimulator } from '../test/support/k8s-simulator/index.ts';
import { startFirstConnectionProbe } from './support/first-connection.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * Start-up cost of deploy-k8s: applying one ConfigMap end to end with the committed bundle against
 * `kubectl apply --server-side` with an empty discovery cache, on the same simulated API server,
 * alternately (kubectl, deploy-k8s, kubectl, ...) so machine noise hits both alike; medians of the
 * process's whole life compared, and of the time from its start to its first connection.
 *
 * kubectl runs with --validate=false: its default validation first downloads the OpenAPI schema,
 * which the simulator does not serve; without it kubectl makes its discovery calls and the PATCH.
 * A third run in each round is the floor Node itself sets: a bare script making deploy-k8s's calls.
 */
const ROUNDS = 15;
const TARGET = 1.5;
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const actionDir = join(repoRoot, 'actions', 'deploy-k8s');
const metadata = await readActionMetadata(actionDir);
/** Another build of the bundle (`npm run bundle -- --out DIR deploy-k8s`) to compare with. */
const bundleDir = process.env.DEPLOY_K8S_BUNDLE_DIR ?? join(repoRoot, 'dist', 'deploy-k8s');

const simulator = await startKubernetesSimulator();
const probe = await startFirstConnectionProbe(simulator.server);
const work = mkdtempSync(join(tmpdir(), 'gantry-startup-'));
try {
  const kubeconfig = simulator.kubeconfig.replace(simulator.server, probe.origin);
  writeFileSync(join(work, 'kubeconfig'), kubeconfig);
  console.log(
    `kubectl: ${execFileSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).split('\n')[0]}`,
  );

  const kubectl: Timing[] = [];
  const action: Timing[] = [];
  const bare: Timing[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    kubectl.push(await runKubectl(round));
    action.push(await runDeploy(round));
    bare.push(await runBare(round));
  }
  const total = (runs: Timing[]): number => median(runs.map((run) => run.totalMs));
  const first = (runs: Timing[]): number => median(runs.map((run) => run.firstConnectionMs));
  console.log(
    formatRatio(
      'deploy-k8s one ConfigMap vs kubectl apply --server-side',
      total(action) / total(kubectl),
      TARGET,
      `median ${total(action).toFixed(0)} ms vs ${total(kubectl).toFixed(0)} ms end to end over ${ROUNDS} runs each; ` +
        `to the first connection ${first(action).toFixed(0)} ms vs ${first(kubectl).toFixed(0)} ms`,
    ),
  );
  console.log(
    formatRatio(
      'bare Node script making the same calls vs kubectl',
      total(bare) / total(kubectl),
      undefined,
      `median ${total(bare).toFixed(0)} ms end to end, ${first(bare).toFixed(0)} ms to the first connection: the floor for any Node action here`,
    ),
  );
  console.log(`deploy-k8s bundle: ${bundleSizes(bundleDir)}`);
} finally {
  await probe.close();
  await simulator.close();
  rmSync(work, { recursive: true, force: true });
}

interface Timing {
  totalMs: number;
  firstConnectionMs: number;
}

function configMap(name: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  key: value\n`;
}

/** Each run creates its own ConfigMap, so neither client ever finds its work already done. */
async function runKubectl(round: number): Promise<Timing> {
  const file = join(work, `kubectl-${round}.yaml`);
  writeFileSync(file, configMap(`kubectl-${round}`));
  const args = ['apply', '--server-side', '--validate=false', '-f', file];
  // A fresh cache directory each time: the discovery cache starts empty, as on a fresh runner.
  args.push('--cache-dir', join(work, `kubectl-cache-${round}`));
  const env = { ...process.env, KUBECONFIG: join(work, 'kubeconfig'), HOME: work };
  probe.reset();
  const started = performance.now();
  // Asynchronous: the simulator answers from this very process.
  await new Promise<void>((resolve, reject) =>
    execFile(KUBECTL, args, { env }, (error, _stdout, stderr) =>
      error ? reject(new Error(`kubectl failed: ${stderr}`)) : resolve(),
    ),
  );
  return timing(started, performance.now(), `kubectl-${round}`);
}

async function runBare(round: number): Promise<Timing> {
  const name = `bare-${round}`;
  const env = {
    ...process.env,
    BARE_SERVER: probe.origin,
    BARE_TOKEN: simulator.token,
    BARE_CA: simulator.caCertificate,
    BARE_NAME: name,
  };
  probe.reset();
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(import.meta.dirname, 'support', 'bare-apply.mjs')],
      { env },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`the bare script failed: ${stderr}`)) : resolve(),
    ),
  );
  return timing(started, performance.now(), name);
}

/** The committed bundle in the runner's environment, spawned here so its start is known exactly. */
async function runDeploy(round: number): Promise<Timing> {
  const name = `deploy-${round}`;
  const dirs = await createJobDirectories(undefined);
  try {
    writeFileSync(join(dirs.workspace, 'configmap.yaml'), configMap(name));
    const inputs = resolveInputs(
      metadata,
      { kubeconfig: readFileSync(join(work, 'kubeconfig'), 'utf8'), manifests: 'configmap.yaml' },
      { github: {}, runner: {} },
    );
    const env = {
      ...inheritedEnvironment(),
      ...jobEnvironment(dirs, actionDir),
      ...inputs.env,
      ...(await createFileCommandFiles(dirs, 'main')),
    };
    probe.reset();
    const started = performance.now();
    const run = await runStepProcess({
      script: join(bundleDir, 'index.js'),
      env,
      cwd: dirs.workspace,
      timeoutMs: 60_000,
      onLine: () => {},
    });
    if (run.exitCode !== 0) throw new Error(`deploy-k8s failed:\n${run.stdout}\n${run.stderr}`);
    return timing(started, started + run.durationMs, name);
  } finally {
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

function timing(started: number, ended: number, configMapName: string): Timing {
  if (!simulator.objects.get('v1', 'ConfigMap', 'default', configMapName)) {
    throw new Error(`ConfigMap ${configMapName} was not applied`);
  }
  const firstConnection = probe.firstConnectionAt();
  if (firstConnection === undefined) throw new Error(`no connection reached the server for ${configMapName}`);
  return { totalMs: ended - started, firstConnectionMs: firstConnection - started };
}

/** `index.js 1.2 MB + 3 chunks 0.3 MB (largest 0.3 MB)`: what a run may load. */
function bundleSizes(dir: string): string {
  const files = readdirSync(dir).filter((file) => file.endsWith('.js'));
  const size = (file: string): number => statSync(join(dir, file)).size;
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const chunks = files.filter((file) => file !== 'index.js');
  const chunkBytes = chunks.reduce((sum, file) => sum + size(file), 0);
  const largest = Math.max(0, ...chunks.map(size));
  return `index.js ${mb(size('index.js'))} + ${chunks.length} chunks ${mb(chunkBytes)} (largest ${mb(largest)})`;
}
