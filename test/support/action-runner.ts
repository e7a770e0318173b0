/**
 * Runs a committed action bundle exactly as the GitHub Actions runner does, for end-to-end tests:
 * reads the action's action.yml, gives `node <runs.main>` the runner's INPUT_* and GITHUB_*
 * environment and fresh file-command files, reads the workflow commands and file commands back,
 * then runs runs.post with the state main saved. See DESIGN.md ("the runner" test row).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionMetadata, resolveInputs } from './runner/action-metadata.ts';
import type { ExpressionContexts } from './runner/action-metadata.ts';
import {
  createFileCommandFiles,
  createJobDirectories,
  inheritedEnvironment,
  jobEnvironment,
  writePushEvent,
} from './runner/environment.ts';
import type { JobDirectories } from './runner/environment.ts';
import { processFileCommands } from './runner/file-commands.ts';
import type { StepEffects } from './runner/file-commands.ts';
import { killProcessGroup, runStepProcess } from './runner/step-process.ts';
import type { StepProcessResult, StepSignal } from './runner/step-process.ts';
import { WorkflowCommands } from './runner/workflow-commands.ts';
import type { Annotation } from './runner/workflow-commands.ts';

export type { Annotation } from './runner/workflow-commands.ts';

export interface RunOptions {
  /** The action's name: its metadata is actions/<action>/action.yml. */
  action: string;
  /** The directory holding action.yml, for fixtures; runs.main and runs.post are relative to it. */
  actionDir?: string;
  /** The workflow's `with:` values. */
  inputs?: Record<string, string>;
  /** Job and step `env:`; applied last, so it may override any variable the harness sets. */
  env?: Record<string, string>;
  /** github context values for `${{ github.* }}` input defaults, e.g. `{ token }`; others come from GITHUB_*. */
  github?: Record<string, string>;
  /** Per step: the process group gets SIGTERM, then SIGKILL, and the run rejects. Default 60 s. */
  timeoutMs?: number;
  /** GITHUB_WORKSPACE and the working directory; default a fresh temporary directory. */
  cwd?: string;
  /** Run runs.post after main (default: whenever action.yml has one), subject to runs.post-if. */
  runPost?: boolean;
  /**
   * Sends a signal to the main process, as the runner does when a run is cancelled: after a delay,
   * or once the step printed a line matching `afterLine`.
   */
  signal?: StepSignal;
}

export interface StepRun {
  /** The step's result as the runner decides it: a rejected command fails a step even on exit code 0. */
  outcome: 'success' | 'failure' | 'cancelled';
  exitCode: number | null;
  signal: string | null;
  /** What the run log shows: stdout and stderr lines in arrival order, commands rendered, masks not applied. */
  log: string;
  stdout: string;
  stderr: string;
  annotations: Annotation[];
  masks: string[];
  /** The GITHUB_STEP_SUMMARY markdown as written (over 1 MiB the runner drops it, with an error annotation). */
  summary: string;
  durationMs: number;
}

export interface ActionRun extends StepRun {
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  post?: StepRun;
}

interface StepContext {
  opts: RunOptions;
  dirs: JobDirectories;
  /** Process groups to clean up at the end of the job, as the runner does with orphan processes. */
  pids: number[];
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEFAULT_TIMEOUT_MS = 60_000;
const LOG_TAIL_LINES = 40;

export async function runActionBundle(opts: RunOptions): Promise<ActionRun> {
  const actionDir = path.resolve(opts.actionDir ?? path.join(REPO_ROOT, 'actions', opts.action));
  const metadata = await readActionMetadata(actionDir);
  const dirs = await createJobDirectories(opts.cwd);
  const context: StepContext = { opts, dirs, pids: [] };
  try {
    const job = jobEnvironment(dirs, actionDir);
    // What the github and runner contexts and the event payload are derived from.
    const contextEnv = { ...inheritedEnvironment(), ...job, ...opts.env };
    if (!opts.env?.GITHUB_EVENT_PATH) await writePushEvent(contextEnv);
    const inputs = resolveInputs(metadata, opts.inputs ?? {}, expressionContexts(contextEnv, opts.github));

    const main = await runStep(context, 'main', metadata.main, { ...job, ...inputs.env }, inputs.warnings);
    let post: StepRun | undefined;
    if (metadata.post && (opts.runPost ?? true) && postCondition(metadata.postIf, main.run.outcome)) {
      const state = Object.entries(main.effects.state).map(([name, value]) => [`STATE_${name}`, value]);
      const postEnv = { ...main.effects.exportedEnv, ...job, ...inputs.env, ...Object.fromEntries(state) };
      post = (await runStep(context, 'post', metadata.post, postEnv, [], main.effects.addedPath)).run;
    }
    return { ...main.run, ...main.effects, post };
  } finally {
    for (const pid of context.pids) killProcessGroup(pid, 'SIGKILL');
    await rm(dirs.root, { recursive: true, force: true });
  }
}

async function runStep(
  { opts, dirs, pids }: StepContext,
  stage: 'main' | 'post',
  script: string,
  stepEnv: Record<string, string>,
  runnerWarnings: string[],
  prependPath: string[] = [],
): Promise<{ run: StepRun; effects: StepEffects }> {
  const files = await createFileCommandFiles(dirs, stage);
  const env: Record<string, string> = { ...inheritedEnvironment(), ...stepEnv, ...files, ...opts.env };
  if (prependPath.length > 0) {
    // The runner puts the most recently added directory first.
    env.PATH = [...prependPath.toReversed(), env.PATH].filter(Boolean).join(path.delimiter);
  }
  const debug = env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true';
  if (debug) env.RUNNER_DEBUG = '1';

  const commands = new WorkflowCommands({
    debug,
    workspace: dirs.workspace,
    repository: env.GITHUB_REPOSITORY ?? '',
  });
  for (const warning of runnerWarnings) commands.annotate('warning', warning);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = await runStepProcess({
    script,
    env,
    cwd: dirs.workspace,
    timeoutMs,
    signal: stage === 'main' ? opts.signal : undefined,
    onLine: (line) => commands.processLine(line),
  });
  pids.push(result.pid);
  if (result.timedOut) {
    throw new Error(
      `${opts.action}: the ${stage} step timed out after ${timeoutMs} ms; its process group was killed. ` +
        `Last lines of its log:\n${commands.tail(LOG_TAIL_LINES)}`,
    );
  }

  const { effects, summary } = await processFileCommands(files, commands);
  const run: StepRun = {
    outcome: outcomeOf(result, commands.failed),
    exitCode: result.exitCode,
    signal: result.signal,
    log: commands.log,
    stdout: result.stdout,
    stderr: result.stderr,
    annotations: commands.annotations,
    masks: commands.masks,
    summary,
    durationMs: result.durationMs,
  };
  return { run, effects };
}

/** A cancelled run's step is cancelled whatever its exit code; a rejected command fails it even on 0. */
function outcomeOf(result: StepProcessResult, commandsFailed: boolean): StepRun['outcome'] {
  if (result.signalled) return 'cancelled';
  return result.exitCode === 0 && !commandsFailed ? 'success' : 'failure';
}

/** The few status functions runs.post-if uses in practice; anything else is a harness error. */
function postCondition(condition: string, mainOutcome: StepRun['outcome']): boolean {
  const expression = condition
    .replace(/^\s*\$\{\{(.*)\}\}\s*$/s, '$1')
    .replaceAll(/\s/g, '')
    .toLowerCase();
  switch (expression) {
    case 'always()':
      return true;
    case 'success()':
      return mainOutcome === 'success';
    case 'failure()':
      return mainOutcome === 'failure';
    case 'cancelled()':
      return mainOutcome === 'cancelled';
    case '!cancelled()':
      return mainOutcome !== 'cancelled';
    default:
      throw new Error(`The harness cannot evaluate post-if '${condition}'`);
  }
}

/** The github and runner contexts as the runner derives them, which GITHUB_* and RUNNER_* mirror. */
function expressionContexts(
  env: Record<string, string>,
  github: Record<string, string> = {},
): ExpressionContexts {
  const fromEnv = (prefix: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(env)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length).toLowerCase(), value]),
    );
  const given = Object.fromEntries(
    Object.entries(github).map(([name, value]) => [name.toLowerCase(), value]),
  );
  // github.token is never an environment variable: it is only what the test provides.
  return { github: { ...fromEnv('GITHUB_'), token: '', ...given }, runner: fromEnv('RUNNER_') };
}
