/**
 * The job a harness run pretends to be part of: its directories, the environment the runner gives
 * every step of a push-triggered workflow run on a GitHub-hosted Linux runner, and the fresh
 * file-command files each step gets.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface JobDirectories {
  /** Everything the harness created, removed after the run. */
  root: string;
  workspace: string;
  runnerTemp: string;
}

export const FILE_COMMANDS = {
  GITHUB_OUTPUT: 'set_output_',
  GITHUB_STATE: 'save_state_',
  GITHUB_ENV: 'set_env_',
  GITHUB_PATH: 'add_path_',
  GITHUB_STEP_SUMMARY: 'step_summary_',
} as const;
export type FileCommand = keyof typeof FILE_COMMANDS;

/** The parent process's own runner state must never reach the action: a test may run inside Actions. */
const RUNNER_VARIABLE = /^(INPUT|GITHUB|RUNNER|STATE|ACTIONS)_/i;

export async function createJobDirectories(cwd: string | undefined): Promise<JobDirectories> {
  const root = await mkdtemp(path.join(tmpdir(), 'gantry-runner-'));
  const runnerTemp = path.join(root, '_temp');
  const workspace = cwd ?? path.join(root, 'workspace');
  await Promise.all(
    [runnerTemp, workspace, path.join(root, '_tool')].map((dir) => mkdir(dir, { recursive: true })),
  );
  return { root, workspace, runnerTemp };
}

export function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !RUNNER_VARIABLE.test(name)) env[name] = value;
  }
  return env;
}

export function jobEnvironment(dirs: JobDirectories, actionDir: string): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__gantry-dev_gantry',
    GITHUB_ACTION_PATH: actionDir,
    GITHUB_ACTOR: 'gantry-bot',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(dirs.root, '_github_workflow', 'event.json'),
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_JOB: 'deploy',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'gantry-dev/sample-service',
    GITHUB_REPOSITORY_OWNER: 'gantry-dev',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '9000000001',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dirs.runnerTemp,
    RUNNER_TOOL_CACHE: path.join(dirs.root, '_tool'),
  };
}

/** The push event payload @actions/github reads from GITHUB_EVENT_PATH, consistent with `env`. */
export async function writePushEvent(env: Record<string, string>): Promise<void> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return;
  const [owner = '', name = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const event = {
    ref: env.GITHUB_REF,
    before: '0'.repeat(40),
    after: env.GITHUB_SHA,
    repository: {
      full_name: env.GITHUB_REPOSITORY,
      name,
      owner: { login: owner, name: owner },
      html_url: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`,
      default_branch: 'main',
    },
    head_commit: { id: env.GITHUB_SHA },
    sender: { login: env.GITHUB_ACTOR },
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(event, null, 2));
}

/** Empty file-command files for one step, as the runner creates before each step. */
export async function createFileCommandFiles(
  dirs: JobDirectories,
  step: string,
): Promise<Record<FileCommand, string>> {
  const dir = path.join(dirs.root, '_runner_file_commands');
  await mkdir(dir, { recursive: true });
  const files = {} as Record<FileCommand, string>;
  for (const [variable, prefix] of Object.entries(FILE_COMMANDS) as [FileCommand, string][]) {
    files[variable] = path.join(dir, `${prefix}${step}`);
    await writeFile(files[variable], '');
  }
  return files;
}
