import type { Deadline } from '../async/deadline.ts';
import { retry } from '../async/retry.ts';
import { maskSecret } from '../runner/secrets.ts';
import { classifyGitHubFailure } from './api-failure.ts';
import type { RunContext } from './run-context.ts';

/**
 * The GitHub REST API through `@actions/github`'s Octokit (its proxy settings and user agent), at
 * GITHUB_API_URL, with every call retried under the caller's deadline as `classifyGitHubFailure`
 * allows. Octokit is loaded on first use, so an action that records nothing never loads it.
 */
export interface GitHubClient {
  readonly owner: string;
  readonly repo: string;
  /** `route` as Octokit takes it: `POST /repos/{owner}/{repo}/deployments`; owner and repo are filled in. */
  request<T>(route: string, parameters: Record<string, unknown>, call: CallOptions): Promise<T>;
}

export interface CallOptions {
  deadline: Deadline;
  signal?: AbortSignal;
  onRetry?: (message: string) => void;
}

export function createGitHubClient(token: string, context: RunContext): GitHubClient {
  maskSecret(token);
  let octokit: Promise<OctokitLike> | undefined;
  const load = (): Promise<OctokitLike> => {
    octokit ??= import('@actions/github').then(({ getOctokit }) =>
      // No Octokit logging: a failed call becomes one warning of Gantry's, not console noise.
      getOctokit(token, { baseUrl: context.apiUrl, log: silentLog }),
    );
    return octokit;
  };
  return {
    owner: context.owner,
    repo: context.repo,
    async request<T>(route: string, parameters: Record<string, unknown>, call: CallOptions): Promise<T> {
      const client = await load();
      const response = await retry(
        () =>
          client.request(route, {
            owner: context.owner,
            repo: context.repo,
            ...parameters,
            request: { signal: call.deadline.signal(call.signal) },
          }),
        {
          what: route,
          classify: (error) => classifyGitHubFailure(error),
          deadline: call.deadline,
          signal: call.signal,
          initialDelayMs: 250,
          maxDelayMs: 5_000,
          onRetry: ({ reason, delayMs }) =>
            call.onRetry?.(`${route}: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`),
        },
      );
      return response.data as T;
    },
  };
}

interface OctokitLike {
  request(route: string, parameters: Record<string, unknown>): Promise<{ data: unknown }>;
}

const ignore = (): void => undefined;
const silentLog = { debug: ignore, info: ignore, warn: ignore, error: ignore };
