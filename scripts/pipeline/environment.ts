import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { EcsFixture, webDefinition } from '../../test/deploy-ecs/fixture.ts';
import { startGitHubApi, type GitHubApi } from '../../test/support/github-api/index.ts';
import { startHttpService, type HttpService } from '../../test/support/http-service.ts';
import {
  startKubernetesSimulator,
  type KubernetesSimulator,
} from '../../test/support/k8s-simulator/index.ts';
import { startPostgres, type PostgresServer } from '../../test/support/postgres.ts';
import { startRegistry, type Registry } from '../../test/support/registry.ts';
import { startS3, type S3Server } from '../../test/support/s3.ts';

/**
 * What the staging pipeline runs against on this machine, in place of a cloud: the real registry
 * (docker-registry, with a password), a throwaway PostgreSQL holding what the previous release left,
 * a local S3 (s3rver) for the backups, the Kubernetes API simulator, the AWS emulator with the ECS
 * service `web`, the recording GitHub API server that keeps the deployment records, and an HTTP
 * service standing for the deployed application, which the smoke test checks. Plus a workspace as
 * actions/checkout leaves it: a Dockerfile, migrations, manifests and a task definition.
 */
export interface PipelineEnvironment {
  workspace: string;
  registry: Registry;
  login: { username: string; password: string };
  /** The image repository build-push pushes to, `<registry>/gantry-dev/demo-service`. */
  repository: string;
  databaseUrl: string;
  s3: S3Server;
  /** The bucket backups go to, and the age recipient they are encrypted to. */
  backups: { bucket: string; recipient: string };
  simulator: KubernetesSimulator;
  /** The emulated AWS account: cluster `prod`, service `web` running `web:1`. */
  ecs: EcsFixture;
  github: GitHubApi;
  app: HttpService;
  /** The runner's environment for a `v1.0.0` tag push, with buildah's daemonless settings. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const REPOSITORY = 'gantry-dev/demo-service';
export const SHA = 'd6cd1e2bd19e03a81132a23b2025920577f84e37';
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
    const s3 = await startS3();
    closers.push(() => s3.close());
    const simulator = await startKubernetesSimulator({ readyDelayMs: 200 });
    closers.push(() => simulator.close());
    const ecs = await EcsFixture.start();
    closers.push(() => ecs.close());
    // The circuit breaker stops a failing deployment; rolling back is left to Gantry.
    await ecs.createService({ deploymentCircuitBreaker: { enable: true, rollback: false } });
    const github = await startGitHubApi({ repository: REPOSITORY, refs: { 'v1.0.0': SHA } });
    closers.push(() => github.close());
    const app = await startHttpService({ routes: { '/health': () => ({ status: 200, body: 'ok' }) } });
    closers.push(() => app.close());

    const workspace = join(root, 'workspace');
    const repository = `${registry.host}/${REPOSITORY}`;
    writeWorkspace(workspace, repository);
    const bucket = 'staging-backups';
    await s3.createBucket(bucket);
    const databaseUrl = await postgres.createDatabase('shop');
    await seedPreviousRelease(databaseUrl);
    return {
      workspace,
      registry,
      login,
      repository,
      databaseUrl,
      s3,
      backups: { bucket, recipient: await identityToRecipient(await generateIdentity()) },
      simulator,
      ecs,
      github,
      app,
      env: { ...runnerEnvironment(root), ...github.env },
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
  mkdirSync(join(workspace, 'ecs'));
  writeFileSync(
    join(workspace, 'ecs', 'task-definition.json'),
    JSON.stringify(webDefinition(`${repository}:latest`), null, 2),
  );
}

/** What staging's database holds before this release: data the pre-migration backup must keep. */
async function seedPreviousRelease(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE feature_flags (name text PRIMARY KEY, enabled boolean NOT NULL);
      INSERT INTO feature_flags VALUES ('new-checkout', false), ('dark-mode', true), ('beta-search', false);`);
  } finally {
    await client.end();
  }
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
