import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readGitHubContext,
  type GitHubContext,
} from '../../../actions/build-push/src/metadata/github-context.ts';

/**
 * Runs as the runner presents them, modelled on docker/metadata-action's __tests__/fixtures (same
 * refs, commits and pull request 15) and its repo.json (octocat/Hello-World), so expectations can be
 * taken from its test table unchanged. The clock is the instant its tests freeze: 2020-01-10T00:30Z.
 */
export const NOW = new Date('2020-01-10T00:30:00.000Z');
export const SHA_DEV = '860c1904a1ce19322e91ac35af1ab07466440c37';
export const SHA_MASTER = '266574110acf203503badf966df2ea24b5d732d7';
export const PR_MERGE_SHA = 'a9c8c5828b91be19d9728548b24759e352367ef1';
export const PR_HEAD_SHA = '3370e228f2209994d57af4427fe64e71bb79ac96';

const REPOSITORY = {
  name: 'Hello-World',
  full_name: 'octocat/Hello-World',
  description: 'This your first repo!',
  html_url: 'https://github.com/octocat/Hello-World',
  default_branch: 'master',
  license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
};

export interface EventFixture {
  env: Record<string, string>;
  /** undefined: no event file at all. */
  payload: unknown;
}

function push(ref: string, sha: string, extra: Record<string, unknown> = {}): EventFixture {
  return {
    env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: ref, GITHUB_SHA: sha },
    payload: {
      ref,
      after: sha,
      repository: REPOSITORY,
      head_commit: { id: sha, timestamp: '2020-01-10T00:30:00Z' },
      ...extra,
    },
  };
}

function pullRequest(eventName: string, ref: string, sha: string): EventFixture {
  return {
    env: { GITHUB_EVENT_NAME: eventName, GITHUB_REF: ref, GITHUB_SHA: sha },
    payload: {
      action: 'opened',
      number: 15,
      pull_request: {
        number: 15,
        head: { ref: 'test-pr', sha: PR_HEAD_SHA },
        base: { ref: 'master', sha: SHA_MASTER },
      },
      repository: REPOSITORY,
    },
  };
}

export const EVENTS = {
  pushDev: push('refs/heads/dev', SHA_DEV),
  pushMaster: push('refs/heads/master', SHA_MASTER),
  pushBranch: (branch: string): EventFixture => push(`refs/heads/${branch}`, SHA_DEV),
  /** A tag push; GitHub reports the branch it was pushed from as base_ref. */
  pushTag: (tag: string): EventFixture =>
    push(`refs/tags/${tag}`, SHA_DEV, { base_ref: 'refs/heads/master' }),
  pullRequest: pullRequest('pull_request', 'refs/pull/15/merge', PR_MERGE_SHA),
  /** pull_request_target runs on the base branch's ref and last commit. */
  pullRequestTarget: pullRequest('pull_request_target', 'refs/heads/master', SHA_MASTER),
  /** GitHub's schedule payload carries no repository. */
  schedule: {
    env: { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/master', GITHUB_SHA: SHA_DEV },
    payload: { schedule: '*/10 * * * *' },
  } satisfies EventFixture,
  workflowDispatch: {
    env: { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/master', GITHUB_SHA: SHA_DEV },
    payload: { inputs: {}, ref: 'refs/heads/master', repository: REPOSITORY },
  } satisfies EventFixture,
};

/** Writes the payload to a temporary GITHUB_EVENT_PATH and reads the context as the action does. */
export async function contextFor(event: EventFixture, now = NOW): Promise<GitHubContext> {
  const directory = mkdtempSync(join(tmpdir(), 'gantry-event-'));
  try {
    const eventPath = join(directory, 'event.json');
    if (event.payload !== undefined) writeFileSync(eventPath, JSON.stringify(event.payload));
    return await readGitHubContext(
      {
        GITHUB_REPOSITORY: 'octocat/Hello-World',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_NUMBER: '15',
        GITHUB_EVENT_PATH: eventPath,
        ...event.env,
      },
      now,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
