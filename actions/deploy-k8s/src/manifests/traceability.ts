/**
 * Annotations that tie a deployed object to the run that deployed it, from the runner's environment
 * alone (no API call, nothing that can fail): the commit, the run, the ref, and the change-cause
 * that `kubectl rollout history` shows.
 */
export function traceabilityAnnotations(env: Record<string, string | undefined>): Record<string, string> {
  const annotations: Record<string, string> = {};
  const sha = env.GITHUB_SHA;
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  if (sha) annotations['gantry.dev/commit'] = sha;
  if (runUrl) annotations['gantry.dev/run-url'] = runUrl;
  if (env.GITHUB_REF) annotations['gantry.dev/ref'] = env.GITHUB_REF;
  if (sha || runUrl) {
    const parts = [
      `gantry deploy-k8s${sha ? ` ${sha.slice(0, 12)}` : ''}`,
      env.GITHUB_REF_NAME ? `from ${env.GITHUB_REF_NAME}` : '',
      env.GITHUB_ACTOR ? `by ${env.GITHUB_ACTOR}` : '',
      runUrl ? `(${runUrl})` : '',
    ];
    annotations['kubernetes.io/change-cause'] = parts.filter(Boolean).join(' ');
  }
  return annotations;
}
