import { Deadline } from '../async/deadline.ts';
import { ActionError, errorMessage } from '../errors.ts';
import { createGitHubClient, type GitHubClient } from './client.ts';
import { semanticEqual } from '../kubernetes/rollback/rollback-plan.ts';
import { readPayload, type DeploymentPayload, type RecordedWorkload } from './deployment-payload.ts';
import { readRunContext } from './run-context.ts';

/**
 * Reading an environment's deployment records back, for the rollback action: the newest first,
 * each with its Gantry payload (undefined for another tool's deployments) and its latest state.
 * Unlike writing records, reading them is not best effort when a rollback depends on them: a
 * failure is an ActionError that says which record could not be read.
 */
export interface RecordedDeployment {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  payload: DeploymentPayload | undefined;
}

export interface DeploymentHistory {
  /** The environment's newest records, newest first (one page of up to 100). */
  list(environment: string): Promise<RecordedDeployment[]>;
  /** One record by id; an ActionError when it does not exist. */
  get(id: number): Promise<RecordedDeployment>;
  /** The latest status (`success`, `failure`, `inactive`...) of a record, undefined when none. */
  latestState(id: number): Promise<string | undefined>;
  /** Every status state of a record, newest first (up to 100). */
  states(id: number): Promise<string[]>;
}

export interface HistoryOptions {
  token: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
  onRetry?: (message: string) => void;
}

interface ApiDeployment {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
  payload: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function deploymentHistory(options: HistoryOptions): DeploymentHistory {
  const context = readRunContext(options.env);
  if (!context) {
    throw new ActionError(
      'Cannot read deployment records: GITHUB_REPOSITORY is not set (is this a workflow run?).',
    );
  }
  const client: GitHubClient = createGitHubClient(options.token, context);
  const call = async <T>(what: string, route: string, parameters: Record<string, unknown>): Promise<T> => {
    const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, what);
    try {
      return await client.request<T>(route, parameters, {
        deadline,
        signal: options.signal,
        onRetry: options.onRetry,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ActionError(`Cannot ${what}: ${errorMessage(error)}`, {
        hint: 'the github-token needs the deployments: read permission (write to record the rollback).',
        cause: error,
      });
    }
  };
  return {
    async list(environment) {
      const page = await call<ApiDeployment[]>(
        `list the deployments of environment ${environment}`,
        'GET /repos/{owner}/{repo}/deployments',
        { environment, per_page: 100 },
      );
      return page.map(toRecord);
    },
    async get(id) {
      return toRecord(
        await call<ApiDeployment>(
          `read deployment ${id}`,
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
          {
            deployment_id: id,
          },
        ),
      );
    },
    async latestState(id) {
      const statuses = await call<{ state: string }[]>(
        `read the statuses of deployment ${id}`,
        'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        { deployment_id: id, per_page: 1 },
      );
      return statuses[0]?.state;
    },
    async states(id) {
      const statuses = await call<{ state: string }[]>(
        `read the statuses of deployment ${id}`,
        'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        { deployment_id: id, per_page: 100 },
      );
      return statuses.map((status) => status.state);
    },
  };
}

function toRecord(deployment: ApiDeployment): RecordedDeployment {
  return {
    id: deployment.id,
    sha: deployment.sha,
    environment: deployment.environment,
    createdAt: deployment.created_at,
    payload: readPayload(deployment.payload),
  };
}

/**
 * The newest record whose Kubernetes workloads ran exactly these containers' images: the release
 * a rollback restores, whose commit its own record carries. Undefined when no record knows it.
 */
export function recordRunning(
  records: readonly RecordedDeployment[],
  workloads: readonly Pick<RecordedWorkload, 'kind' | 'name' | 'namespace' | 'containers'>[],
): RecordedDeployment | undefined {
  return records.find((record) => {
    const recorded = record.payload?.kubernetes?.workloads;
    return (
      recorded !== undefined &&
      workloads.every((wanted) =>
        recorded.some(
          (workload) =>
            workload.kind === wanted.kind &&
            workload.name === wanted.name &&
            workload.namespace === wanted.namespace &&
            semanticEqual(workload.containers, wanted.containers),
        ),
      )
    );
  });
}
