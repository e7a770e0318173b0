import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../shared/src/errors.ts';
import { readGitHubContext, revisionOf } from '../../../actions/build-push/src/metadata/github-context.ts';
import { contextFor, EVENTS, NOW, PR_HEAD_SHA, PR_MERGE_SHA, SHA_DEV, SHA_MASTER } from './events.ts';

const directory = mkdtempSync(join(tmpdir(), 'gantry-context-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('readGitHubContext', () => {
  it('reads a push to a branch', async () => {
    expect(await contextFor(EVENTS.pushDev)).toEqual({
      eventName: 'push',
      ref: 'refs/heads/dev',
      sha: SHA_DEV,
      repository: 'octocat/Hello-World',
      serverUrl: 'https://github.com',
      defaultBranch: 'master',
      commitDate: new Date('2020-01-10T00:30:00Z'),
      now: NOW,
      runNumber: 15,
      repositoryName: 'Hello-World',
      repositoryDescription: 'This your first repo!',
      repositoryUrl: 'https://github.com/octocat/Hello-World',
      license: 'MIT',
    });
  });

  it('reads a pull request: the head commit is the revision, not the merge commit', async () => {
    const context = await contextFor(EVENTS.pullRequest);
    expect(context).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/15/merge',
      sha: PR_MERGE_SHA,
      prNumber: 15,
      prHeadSha: PR_HEAD_SHA,
      prBaseRef: 'master',
      prHeadRef: 'test-pr',
    });
    expect(revisionOf(context)).toBe(PR_HEAD_SHA);
  });

  it('reads pull_request_target with the pull request’s ref (metadata-action context.ts)', async () => {
    const context = await contextFor(EVENTS.pullRequestTarget);
    expect(context).toMatchObject({ ref: 'refs/pull/15/merge', sha: SHA_MASTER, prHeadSha: PR_HEAD_SHA });
    expect(revisionOf(context)).toBe(PR_HEAD_SHA);
  });

  it('a push revision is GITHUB_SHA', async () => {
    expect(revisionOf(await contextFor(EVENTS.pushMaster))).toBe(SHA_MASTER);
  });

  it('takes the commit date from the commits list, or head_commit, matching the sha', async () => {
    const listed = await contextFor({
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev', GITHUB_SHA: SHA_DEV },
      payload: {
        commits: [
          { id: 'other', timestamp: '2019-01-01T00:00:00Z' },
          { id: SHA_DEV, timestamp: '2019-12-31T23:59:00+01:00' },
        ],
        head_commit: { id: SHA_DEV, timestamp: '2018-01-01T00:00:00Z' },
      },
    });
    expect(listed.commitDate).toEqual(new Date('2019-12-31T22:59:00Z'));
    const other = await contextFor({
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev', GITHUB_SHA: SHA_DEV },
      payload: { head_commit: { id: 'another', timestamp: '2018-01-01T00:00:00Z' } },
    });
    expect(other.commitDate).toBe(NOW);
  });

  it('a schedule payload has no repository: the default branch is the ref’s branch', async () => {
    const context = await contextFor(EVENTS.schedule);
    expect(context).toMatchObject({ eventName: 'schedule', defaultBranch: 'master', commitDate: NOW });
    expect(context.repositoryName).toBeUndefined();
  });

  it('without an event file the payload is empty', async () => {
    const context = await readGitHubContext(
      {
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: SHA_DEV,
        GITHUB_EVENT_PATH: join(directory, 'missing.json'),
      },
      NOW,
    );
    expect(context).toMatchObject({
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      repository: '',
      serverUrl: 'https://github.com',
      defaultBranch: undefined,
      commitDate: NOW,
    });
  });

  it('an empty environment gives empty fields, not a crash', async () => {
    const context = await readGitHubContext({}, NOW);
    expect(context).toMatchObject({
      eventName: '',
      ref: '',
      sha: '',
      runNumber: undefined,
      prNumber: undefined,
    });
  });

  it('an unreadable payload is an ActionError naming the file', async () => {
    const path = join(directory, 'broken.json');
    writeFileSync(path, '{ not json');
    const read = readGitHubContext({ GITHUB_EVENT_PATH: path }, NOW);
    await expect(read).rejects.toThrow(ActionError);
    await expect(read).rejects.toThrow(`the event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON`);
  });
});
