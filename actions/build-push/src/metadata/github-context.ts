import { readFile } from 'node:fs/promises';
import { ActionError } from '../../../../shared/src/errors.ts';
import { branchOf } from './refs.ts';

/**
 * What the tag rules and OCI labels read from the run: the runner's `GITHUB_*` variables and the event
 * payload at `GITHUB_EVENT_PATH`, as docker/metadata-action reads them with `context: workflow`.
 */
export interface GitHubContext {
  /** `push`, `pull_request`, `schedule`, `workflow_dispatch`, ... */
  eventName: string;
  /** `GITHUB_REF`; for `pull_request_target` the pull request's merge ref, as metadata-action sets it. */
  ref: string;
  /** `GITHUB_SHA`: for a pull request, the merge commit GitHub made, not a commit anyone pushed. */
  sha: string;
  /** `owner/name`. */
  repository: string;
  serverUrl: string;
  /** From the payload's `repository.default_branch`; for `schedule`, which always runs on it, the ref's branch. */
  defaultBranch: string | undefined;
  prNumber?: number;
  /** The pull request's head commit: what `type=sha`, `{{sha}}` and the revision label use (see revisionOf). */
  prHeadSha?: string;
  prBaseRef?: string;
  prHeadRef?: string;
  /** A push payload's `base_ref` (the branch a pushed tag points into, when GitHub reports it). */
  pushBaseRef?: string;
  /** The commit's date from the payload when it has it (pushes), otherwise `now`. */
  commitDate: Date;
  /** When the run computed its metadata: `{{date}}` and the `created` label. */
  now: Date;
  runNumber?: number;
  repositoryName?: string;
  repositoryDescription?: string;
  repositoryUrl?: string;
  /** The repository license's SPDX id, as GitHub reports it. */
  license?: string;
}

/**
 * The commit an image built for this run is made of. For pull requests this is the head commit, not
 * GITHUB_SHA's merge commit: a merge commit exists nowhere but in this run, so a tag or label naming it
 * points at nothing a reader can find (metadata-action's DOCKER_METADATA_PR_HEAD_SHA=true, by default).
 */
export function revisionOf(context: GitHubContext): string {
  return context.prHeadSha ?? context.sha;
}

export async function readGitHubContext(
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Promise<GitHubContext> {
  const payload = await readPayload(env['GITHUB_EVENT_PATH']);
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  const isPullRequest = eventName.startsWith('pull_request');
  const prNumber = integer(field(payload, 'number') ?? field(payload, 'pull_request', 'number'));
  // pull_request_target runs on the base branch's ref; metadata-action reads the PR's ref instead so
  // that type=ref,event=pr still names the pull request.
  const ref =
    eventName === 'pull_request_target' && prNumber !== undefined
      ? `refs/pull/${prNumber}/merge`
      : (env['GITHUB_REF'] ?? '');
  const sha = env['GITHUB_SHA'] ?? '';
  const prHeadSha = isPullRequest ? text(field(payload, 'pull_request', 'head', 'sha')) : undefined;
  const defaultBranch =
    text(field(payload, 'repository', 'default_branch')) ??
    (eventName === 'schedule' ? branchOf(ref) : undefined);
  return {
    eventName,
    ref,
    sha,
    repository: env['GITHUB_REPOSITORY'] ?? '',
    serverUrl: env['GITHUB_SERVER_URL'] || 'https://github.com',
    defaultBranch,
    prNumber: isPullRequest ? prNumber : undefined,
    prHeadSha,
    prBaseRef: isPullRequest ? text(field(payload, 'pull_request', 'base', 'ref')) : undefined,
    prHeadRef: isPullRequest ? text(field(payload, 'pull_request', 'head', 'ref')) : undefined,
    pushBaseRef: text(field(payload, 'base_ref')),
    commitDate: commitDate(payload, prHeadSha ?? sha) ?? now,
    now,
    runNumber: integer(env['GITHUB_RUN_NUMBER']),
    repositoryName: text(field(payload, 'repository', 'name')),
    repositoryDescription: text(field(payload, 'repository', 'description')),
    repositoryUrl: text(field(payload, 'repository', 'html_url')),
    license: text(field(payload, 'repository', 'license', 'spdx_id')),
  };
}

async function readPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    // @actions/github does the same: a run without an event file has an empty payload.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new ActionError(`the event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON`, {
      cause: error,
    });
  }
}

/** As metadata-action: the pushed commit's own timestamp when the payload lists it, else unknown. */
function commitDate(payload: unknown, sha: string): Date | undefined {
  const commits = field(payload, 'commits');
  if (Array.isArray(commits)) {
    const commit: unknown = commits.find((item) => field(item, 'id') === sha);
    const timestamp = text(field(commit, 'timestamp'));
    if (timestamp) return validDate(timestamp);
  }
  if (field(payload, 'head_commit', 'id') === sha) {
    const timestamp = text(field(payload, 'head_commit', 'timestamp'));
    if (timestamp) return validDate(timestamp);
  }
  return undefined;
}

function validDate(timestamp: string): Date | undefined {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integer(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}
