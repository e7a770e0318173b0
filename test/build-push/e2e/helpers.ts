import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import {
  runActionBundle,
  type ActionRun,
  type Annotation,
  type RunOptions,
} from '../../support/action-runner.ts';

/**
 * Helpers of the build-push end-to-end tests, which run the committed bundle (dist/build-push) through
 * the runner harness with buildah building a tiny `FROM scratch` image: a throwaway buildah storage,
 * a workspace holding the build context, event payloads for the runs a workflow gets, and a fresh
 * RUNNER_TEMP per run that the test owns (the harness deletes its own directories when a run ends,
 * so only a RUNNER_TEMP outside them shows what the action itself left behind).
 */

/** The repository every run pretends to be in, and what the OCI labels derive from it. */
export const REPOSITORY = 'gantry-dev/sample-service';
export const SOURCE_URL = `https://github.com/${REPOSITORY}`;
export const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
export const SHORT_SHA = SHA.slice(0, 7);
/** The pushed commit's date: labels and buildah's --timestamp use it, so a rebuild gives the same image. */
export const COMMIT_DATE = '2024-05-01T10:00:00Z';
/** A whole run (build, push, post step) takes seconds; this only keeps a hung run from hanging jest. */
export const RUN_TIMEOUT_MS = 60_000;

export interface Sandbox {
  root: string;
  /** GITHUB_WORKSPACE: holds the build context `app/` (Dockerfile, hello.txt). */
  workspace: string;
  /** buildah's settings for a rootful CI job without a daemon, with its storage in `root`. */
  buildahEnv: Record<string, string>;
  /** A fresh, empty directory for one run's RUNNER_TEMP. */
  runnerTemp(): string;
  /** The IDs of the images in the sandbox's buildah storage. */
  buildahImages(): string[];
  remove(): void;
}

/**
 * vfs storage (no overlay mounts) and chroot isolation (no runc), chosen through the environment
 * variables buildah reads, as test/build-push/builders does; the storage lives in the sandbox so the
 * tests never touch /var/lib/containers.
 */
export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'gantry-bp-e2e-'));
  const storageConf = join(root, 'storage.conf');
  writeFileSync(
    storageConf,
    ['[storage]', 'driver = "vfs"', `graphroot = "${root}/storage"`, `runroot = "${root}/run"`, ''].join(
      '\n',
    ),
  );
  const buildahEnv = {
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
    CONTAINERS_STORAGE_CONF: storageConf,
  };
  const workspace = join(root, 'workspace');
  const context = join(workspace, 'app');
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, 'hello.txt'), 'hello from gantry build-push\n');
  writeFileSync(
    join(context, 'Dockerfile'),
    ['FROM scratch', 'ARG GREETING=none', 'COPY hello.txt /hello.txt', 'LABEL greeting=$GREETING', ''].join(
      '\n',
    ),
  );
  const temps = join(root, 'runner-temp');
  mkdirSync(temps);
  return {
    root,
    workspace,
    buildahEnv,
    runnerTemp: () => mkdtempSync(join(temps, 'run-')),
    buildahImages: () => {
      const result = spawnSync('buildah', ['images', '--noheading', '--no-trunc', '--format', '{{.ID}}'], {
        env: { ...process.env, ...buildahEnv },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`buildah images failed: ${result.stderr}`);
      return result.stdout.split('\n').filter(Boolean);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface GitHubEvent {
  /** GITHUB_* variables of the run. */
  env: Record<string, string>;
}

/** A push of tag `tag` on commit SHA, dated COMMIT_DATE, with the payload GitHub sends for it. */
export function tagPush(sandbox: Sandbox, tag: string): GitHubEvent {
  return pushEvent(sandbox, `refs/tags/${tag}`, { base_ref: 'refs/heads/main' });
}

/** A push to branch `branch` on commit SHA, dated COMMIT_DATE. */
export function branchPush(sandbox: Sandbox, branch: string): GitHubEvent {
  return pushEvent(sandbox, `refs/heads/${branch}`, {});
}

function pushEvent(sandbox: Sandbox, ref: string, extra: Record<string, unknown>): GitHubEvent {
  const [owner, name] = REPOSITORY.split('/');
  const file = join(mkdtempSync(join(sandbox.root, 'event-')), 'event.json');
  const payload = {
    ref,
    before: '0'.repeat(40),
    after: SHA,
    ...extra,
    repository: {
      name,
      full_name: REPOSITORY,
      owner: { login: owner, name: owner },
      html_url: SOURCE_URL,
      default_branch: 'main',
    },
    head_commit: { id: SHA, timestamp: COMMIT_DATE, message: 'Release' },
    sender: { login: 'gantry-bot' },
  };
  writeFileSync(file, JSON.stringify(payload, null, 2));
  const tag = ref.startsWith('refs/tags/');
  return {
    env: {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: file,
      GITHUB_REF: ref,
      GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_REF_TYPE: tag ? 'tag' : 'branch',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: REPOSITORY,
    },
  };
}

export interface BuildPushRun {
  run: ActionRun;
  /** The run's RUNNER_TEMP: the action keeps its credentials and build files there. */
  runnerTemp: string;
}

export interface BuildPushOptions {
  event?: GitHubEvent;
  env?: Record<string, string>;
  runPost?: boolean;
  /** Cancels the run, as the runner does. */
  signal?: RunOptions['signal'];
}

/** The committed bundle, run as the runner runs it, with buildah and the sandbox's storage. */
export async function buildPush(
  sandbox: Sandbox,
  inputs: Record<string, string>,
  options: BuildPushOptions = {},
): Promise<BuildPushRun> {
  const runnerTemp = sandbox.runnerTemp();
  const run = await runActionBundle({
    action: 'build-push',
    inputs: { builder: 'buildah', context: 'app', ...inputs },
    env: { ...sandbox.buildahEnv, ...options.event?.env, ...options.env, RUNNER_TEMP: runnerTemp },
    cwd: sandbox.workspace,
    runPost: options.runPost,
    signal: options.signal,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  return { run, runnerTemp };
}

export function errors(run: ActionRun): Annotation[] {
  return run.annotations.filter((annotation) => annotation.level === 'error');
}

export function warnings(run: ActionRun): Annotation[] {
  return run.annotations.filter((annotation) => annotation.level === 'warning');
}

/** Exit code and outcome together, with the log in the failure message when they are not as expected. */
export function expectOutcome(run: ActionRun, outcome: 'success' | 'failure'): void {
  const log = `log:\n${run.log}`;
  expect({ exitCode: run.exitCode, outcome: run.outcome, log }).toEqual({
    exitCode: outcome === 'success' ? 0 : 1,
    outcome,
    log,
  });
}

/** The post step ran, succeeded, and the run's RUNNER_TEMP is empty again: no credentials, no build files. */
export function expectCleanedUp({ run, runnerTemp }: BuildPushRun): void {
  expect(run.post).toBeDefined();
  expect({ exitCode: run.post?.exitCode, outcome: run.post?.outcome, log: run.post?.log }).toEqual({
    exitCode: 0,
    outcome: 'success',
    log: expect.stringContaining('Removed the registry credentials'),
  });
  const authFile = run.state['auth-file'];
  if (authFile !== undefined) {
    expect(authFile.startsWith(`${runnerTemp}/`)).toBe(true);
    expect(existsSync(authFile)).toBe(false);
  }
  expect(readdirSync(runnerTemp)).toEqual([]);
}

/** The builder was never started. */
export function expectNothingBuilt(run: ActionRun): void {
  expect(run.log).not.toMatch(/^\[command\]buildah/m);
}

/** `image:tag` for each tag. */
export function fullTags(image: string, tags: string[]): string[] {
  return tags.map((tag) => `${image}:${tag}`);
}
