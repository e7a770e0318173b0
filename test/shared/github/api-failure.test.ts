import { describe, expect, it } from '@jest/globals';
import { classifyGitHubFailure } from '../../../shared/src/github/api-failure.ts';
import { readRunContext } from '../../../shared/src/github/run-context.ts';

/** Which GitHub API failures are retried, read from errors shaped as Octokit throws them. */

const NOW = 1_800_000_000_000;
const answered = (status: number, headers: Record<string, string> = {}, message = 'x') =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('classifyGitHubFailure', () => {
  it.each<[string, unknown, boolean, number | undefined]>([
    ['a 500', answered(500), true, undefined],
    ['a 502', answered(502), true, undefined],
    ['a 503', answered(503), true, undefined],
    [
      'no answer at all (Octokit says 500)',
      Object.assign(new Error('fetch failed'), { status: 500 }),
      true,
      undefined,
    ],
    ['a secondary rate limit with Retry-After', answered(403, { 'retry-after': '7' }), true, 7000],
    ['a 429 with Retry-After', answered(429, { 'retry-after': '2' }), true, 2000],
    [
      'a secondary rate limit without Retry-After',
      answered(403, {}, 'You have exceeded a secondary rate limit.'),
      true,
      60_000,
    ],
    [
      'a primary rate limit: until its reset',
      answered(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) }),
      true,
      30_000,
    ],
    ['a 403 refusal', answered(403, {}, 'Resource not accessible by integration'), false, undefined],
    ['a 401', answered(401, {}, 'Bad credentials'), false, undefined],
    ['a 404', answered(404), false, undefined],
    ['a 422', answered(422), false, undefined],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError', status: 500 }), false, undefined],
    ['something without a status', new Error('bug'), false, undefined],
  ])('%s', (_label, error, transient, retryAfterMs) => {
    const verdict = classifyGitHubFailure(error, NOW);
    expect(verdict.transient).toBe(transient);
    if (verdict.transient) expect(verdict.retryAfterMs).toBe(retryAfterMs);
  });
});

describe('readRunContext', () => {
  it('reads the repository, commit, API and run URL (with the attempt of a re-run)', () => {
    expect(
      readRunContext({
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: 'abc',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
        GITHUB_SERVER_URL: 'https://ghe.example.com',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '2',
      }),
    ).toEqual({
      owner: 'acme',
      repo: 'shop',
      sha: 'abc',
      apiUrl: 'https://ghe.example.com/api/v3',
      runUrl: 'https://ghe.example.com/acme/shop/actions/runs/42/attempts/2',
    });
  });

  it('defaults to github.com, and is undefined outside a repository', () => {
    expect(readRunContext({ GITHUB_REPOSITORY: 'acme/shop' })).toMatchObject({
      apiUrl: 'https://api.github.com',
      runUrl: undefined,
    });
    expect(readRunContext({})).toBeUndefined();
    expect(readRunContext({ GITHUB_REPOSITORY: 'acme/shop/extra' })).toBeUndefined();
  });
});
