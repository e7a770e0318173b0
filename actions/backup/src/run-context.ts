/** The commit and the run that made a backup, for the manifest; null outside GitHub Actions. */
export function runContext(): { commit: string | null; run_url: string | null } {
  const env = process.env;
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
      : null;
  return { commit: env.GITHUB_SHA || null, run_url: runUrl };
}
