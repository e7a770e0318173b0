import { errorMessage } from '../errors.ts';
import { deploymentHistory, type RecordedDeployment } from './deployment-history.ts';

/**
 * The commit of a release a deploy put back after failing (its automatic rollback's record carries
 * it): that of the newest record of the environment that `ran` says ran it. Undefined when none
 * did or GitHub could not say: the run's commit is recorded then, and the record's one warning is
 * left to the writes, so this read only logs.
 */
const LOOKUP_TIMEOUT_MS = 10_000;

export async function restoredReleaseCommit(
  settings: { token: string; environment: string | undefined },
  ran: (records: readonly RecordedDeployment[]) => RecordedDeployment | undefined,
  hooks: { info: (message: string) => void; signal: AbortSignal },
): Promise<string | undefined> {
  if (!settings.environment || !settings.token) return undefined;
  try {
    const history = deploymentHistory({
      token: settings.token,
      signal: hooks.signal,
      timeoutMs: LOOKUP_TIMEOUT_MS,
    });
    return ran(await history.list(settings.environment))?.sha;
  } catch (error) {
    if (hooks.signal.aborted) throw error;
    hooks.info(`The restored release's commit is not known (${errorMessage(error)}): the run's is recorded.`);
    return undefined;
  }
}
