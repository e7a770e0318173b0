import { Deadline } from '../async/deadline.ts';
import { errorMessage } from '../errors.ts';
import { createGitHubClient } from './client.ts';
import { limitDescription, type DeploymentPayload } from './deployment-payload.ts';
import { readRunContext, type RunContext } from './run-context.ts';

/**
 * Deployment records through the GitHub Deployments API, for every deploy and every rollback:
 *
 *     const records = deploymentRecords(settings, hooks);
 *     const record = await records.start({ description, payload });   // deployment + in_progress
 *     ...deploy...
 *     await record.finish('success' | 'failure', 'why, in a line');   // then earlier successes inactive
 *
 * Best effort: the first GitHub failure is one warning and the records stop there (later calls do
 * nothing), so a deploy never fails or warns twice because GitHub is down or the token may not
 * write deployments. Each phase has its own small deadline, inside which 5xx answers, dropped
 * connections and secondary rate limits are retried (Retry-After honoured).
 *
 * After a success, every earlier `success` of the environment gets an explicit `inactive` status:
 * GitHub's `auto_inactive` skips production environments. Walking back from the newest, the walk
 * stops at the first `inactive` one, since each earlier record was settled when that one was.
 */
export type RecordState = 'success' | 'failure';

export interface RecordSettings {
  /** Off, or a dry run: nothing is written and nothing is said. */
  enabled: boolean;
  token: string;
  /** Records are written only with an environment: the runner does not say the job's. */
  environment: string | undefined;
  environmentUrl?: string;
  /** `transient_environment` / `production_environment`, sent only when given. */
  transient?: boolean;
  production?: boolean;
}

export interface RecordHooks {
  warning: (message: string) => void;
  notice: (message: string) => void;
  info: (message: string) => void;
  env?: Record<string, string | undefined>;
  /** Per phase (start, finish); default 10 s: a deploy must not wait long on its record. */
  phaseTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ReleaseToRecord {
  /** The commit deployed; default the run's (GITHUB_SHA). A rollback passes the restored release's. */
  ref?: string;
  description: string;
  payload: DeploymentPayload;
}

export interface DeploymentRecord {
  /** GitHub's id; undefined when nothing was recorded. */
  readonly id: number | undefined;
  finish(state: RecordState, description: string): Promise<void>;
}

export interface DeploymentRecords {
  start(release: ReleaseToRecord): Promise<DeploymentRecord>;
}

const DEFAULT_PHASE_TIMEOUT_MS = 10_000;
const SWEEP_PAGE_SIZE = 30;
const NOTHING_RECORDED: DeploymentRecord = { id: undefined, finish: async () => undefined };

export function deploymentRecords(settings: RecordSettings, hooks: RecordHooks): DeploymentRecords {
  if (!settings.enabled) return { start: async () => NOTHING_RECORDED };
  const environment = settings.environment;
  const context = readRunContext(hooks.env);
  if (!environment || !context || !settings.token) {
    const missing = !environment
      ? "no environment input was given (the runner does not tell an action its job's environment)"
      : !context
        ? 'GITHUB_REPOSITORY is not set'
        : 'github-token is empty';
    hooks.notice(`No deployment record: ${missing}.`);
    return { start: async () => NOTHING_RECORDED };
  }
  const client = createGitHubClient(settings.token, context);
  let broken = false;
  /** Runs one phase; the first failure becomes the one warning, and every later phase is skipped. */
  const phase = async <T>(what: string, body: (deadline: Deadline) => Promise<T>): Promise<T | undefined> => {
    if (broken) return undefined;
    const deadline = new Deadline(hooks.phaseTimeoutMs ?? DEFAULT_PHASE_TIMEOUT_MS, what);
    try {
      return await body(deadline);
    } catch (error) {
      if (hooks.signal?.aborted) throw error;
      broken = true;
      hooks.warning(
        `Deployment record not written (${what}): ${errorMessage(error)}. The deploy itself is not affected.`,
      );
      return undefined;
    }
  };
  const call = <T>(deadline: Deadline, route: string, parameters: Record<string, unknown>): Promise<T> =>
    client.request<T>(route, parameters, { deadline, signal: hooks.signal, onRetry: hooks.info });

  return {
    async start(release: ReleaseToRecord): Promise<DeploymentRecord> {
      const id = await phase(`create the deployment in ${environment}`, async (deadline) => {
        const deployment = await call<{ id: number }>(deadline, 'POST /repos/{owner}/{repo}/deployments', {
          ref: release.ref || context.sha,
          task: 'deploy',
          environment,
          description: limitDescription(release.description),
          payload: release.payload,
          auto_merge: false,
          required_contexts: [],
          ...(settings.transient === undefined ? {} : { transient_environment: settings.transient }),
          ...(settings.production === undefined ? {} : { production_environment: settings.production }),
        });
        await postStatus(
          call,
          deadline,
          deployment.id,
          'in_progress',
          release.description,
          settings,
          context,
        );
        return deployment.id;
      });
      if (id === undefined) return NOTHING_RECORDED;
      hooks.info(`Deployment ${id} recorded in ${environment} (in progress).`);
      return {
        id,
        finish: async (state, description) => {
          await phase(`set deployment ${id} to ${state}`, async (deadline) => {
            await postStatus(call, deadline, id, state, description, settings, context);
            if (state === 'success') await deactivateEarlierSuccesses(call, deadline, id, environment);
          });
        },
      };
    },
  };
}

type Call = <T>(deadline: Deadline, route: string, parameters: Record<string, unknown>) => Promise<T>;

async function postStatus(
  call: Call,
  deadline: Deadline,
  id: number,
  state: 'in_progress' | 'inactive' | RecordState,
  description: string,
  settings: RecordSettings,
  context: RunContext,
): Promise<void> {
  await call(deadline, 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    deployment_id: id,
    state,
    description: limitDescription(description),
    ...(context.runUrl ? { log_url: context.runUrl } : {}),
    ...(settings.environmentUrl ? { environment_url: settings.environmentUrl } : {}),
  });
}

async function deactivateEarlierSuccesses(
  call: Call,
  deadline: Deadline,
  id: number,
  environment: string,
): Promise<void> {
  const deployments = await call<{ id: number }[]>(deadline, 'GET /repos/{owner}/{repo}/deployments', {
    environment,
    per_page: SWEEP_PAGE_SIZE,
  });
  for (const earlier of deployments) {
    // Newer ones (a concurrent run's) are that run's to settle.
    if (earlier.id >= id) continue;
    const statuses = await call<{ state: string }[]>(
      deadline,
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: earlier.id, per_page: 1 },
    );
    const latest = statuses[0]?.state;
    if (latest === 'inactive') return;
    if (latest !== 'success') continue;
    await call(deadline, 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
      deployment_id: earlier.id,
      state: 'inactive',
      description: limitDescription(`Replaced by deployment ${id}.`),
    });
  }
}
