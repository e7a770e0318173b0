/**
 * What the runner tells a step about its run, read from the GITHUB_* variables: the repository, the
 * commit, the API to call and the run's own page (a deployment's `log_url`). The runner does not
 * tell an action its job's `environment:`, which is why the actions take an `environment` input.
 */
export interface RunContext {
  owner: string;
  repo: string;
  /** GITHUB_SHA: the commit a deploy records. */
  sha: string;
  /** GITHUB_API_URL, else https://api.github.com (GitHub Enterprise Server sets its own). */
  apiUrl: string;
  /** The run's page, with the attempt when it is a re-run; undefined outside a runner. */
  runUrl: string | undefined;
}

export function readRunContext(
  env: Record<string, string | undefined> = process.env,
): RunContext | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) return undefined;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  const runUrl = env.GITHUB_RUN_ID
    ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`
    : undefined;
  return {
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl,
  };
}
