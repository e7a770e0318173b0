import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpService, type HttpService } from '../../test/support/http-service.ts';
import {
  startKubernetesSimulator,
  type KubernetesSimulator,
} from '../../test/support/k8s-simulator/index.ts';
import { startPostgres, type PostgresServer } from '../../test/support/postgres.ts';
import { startRegistry, type Registry } from '../../test/support/registry.ts';

/**
 * What the staging pipeline runs against on this machine, in place of a cloud: the real registry
 * (docker-registry, with a password), a throwaway PostgreSQL, the Kubernetes API simulator, and an
 * HTTP service standing for the deployed application, which the smoke test checks. Plus a
 * workspace as actions/checkout leaves it: a Dockerfile, migrations and manifests.
 */
export interface PipelineEnvironment {
  workspace: string;
  registry: Registry;
  login: { username: string; password: string };
  /** The image repository build-push pushes to, `<registry>/gantry-dev/demo-service`. */
  repository: string;
  databaseUrl: string;
  simulator: KubernetesSimulator;
  app: HttpService;
  /** The runner's environment for a `v1.0.0` tag push, with buildah's daemonless settings. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const REPOSITORY = 'gantry-dev/demo-service';
const SHA = 'd6cd1e2bd19e03a81132a23b2025920577f84e37';
const REPO_ROOT = join(import.meta.dirname, '..', '..');

export async function startPipelineEnvironment(): Promise<PipelineEnvironment> {
  const root = mkdtempSync(join(tmpdir(), 'gantry-pipeline-'));
  const closers: (() => Promise<void> | void)[] = [() => rmSync(root, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const login = { username: 'demo', password: 'demo-registry-password-not-a-secret' };
    const registry = await startRegistry({ users: { [login.username]: login.password } });
    closers.push(() => registry.close());
    const postgres: PostgresServer = await startPostgres();
    closers.push(() => postgres.close());
    const simulator = await startKubernetesSimulator({ readyDelayMs: 200 });
    closers.push(() => simulator.close());
    const app = await startHttpService({ routes: { '/health': () => ({ status: 200, body: 'ok' }) } });
    closers.push(() => app.close());

    const workspace = join(root, 'workspace');
    const repository = `${registry.host}/${REPOSITORY}`;
    writeWorkspace(workspace, repository);
    return {
      workspace,
      registry,
      login,
      repository,
      databaseUrl: await postgres.createDatabase('shop'),
      simulator,
      app,
      env: runnerEnvironment(root),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function writeWorkspace(workspace: string, repository: string): void {
  mkdirSync(join(workspace, 'app'), { recursive: true });
  writeFileSync(join(workspace, 'app', 'index.html'), '<h1>Hello from Gantry</h1>\n');
  writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\nCOPY index.html /srv/index.html\n');
  cpSync(
    join(REPO_ROOT, 'test', 'migrate', 'fixtures', 'demo', 'migrations'),
    join(workspace, 'migrations'),
    {
      recursive: true,
    },
  );
  mkdirSync(join(workspace, 'k8s'));
  writeFileSync(
    join(workspace, 'k8s', 'shop.yaml'),
    `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${repository}:latest
`,
  );
}

function runnerEnvironment(root: string): Record<string, string> {
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp);
  const storageConf = join(root, 'storage.conf');
  writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${root}/storage"\nrunroot = "${root}/run"\n`,
  );
  const event = join(root, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      ref: 'refs/tags/v1.0.0',
      after: SHA,
      repository: {
        name: 'demo-service',
        full_name: REPOSITORY,
        html_url: `https://github.com/${REPOSITORY}`,
        default_branch: 'main',
      },
      head_commit: { id: SHA, timestamp: '2024-05-01T10:00:00Z' },
    }),
  );
  return {
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
    CONTAINERS_STORAGE_CONF: storageConf,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: 'refs/tags/v1.0.0',
    GITHUB_REF_NAME: 'v1.0.0',
    GITHUB_REF_TYPE: 'tag',
    GITHUB_SHA: SHA,
    GITHUB_REPOSITORY: REPOSITORY,
    RUNNER_TEMP: runnerTemp,
  };
}
