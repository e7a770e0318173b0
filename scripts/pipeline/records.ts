import type { GitHubApi } from '../../test/support/github-api/index.ts';
import { formatTable } from './terminal.ts';

/** One deployment record as GitHub keeps it, with its statuses in order: what the environment page shows. */
export interface DeploymentRecordRow {
  id: number;
  environment: string;
  /** The Gantry action that wrote it (`payload.action`). */
  action: string;
  sha: string;
  /** Its statuses, oldest first: in_progress, success, inactive... */
  states: string[];
  description: string;
}

export function readDeploymentRecords(github: GitHubApi): DeploymentRecordRow[] {
  return github
    .deployments()
    .sort((a, b) => a.id - b.id)
    .map((deployment) => {
      const statuses = github.statuses(deployment.id).sort((a, b) => a.id - b.id);
      return {
        id: deployment.id,
        environment: deployment.environment,
        action: String((deployment.payload as { action?: unknown } | null)?.action ?? ''),
        sha: deployment.sha,
        states: statuses.map((status) => status.state),
        // `inactive` comes without a word: the description worth showing is the one before it.
        description:
          statuses.findLast((status) => status.description !== '')?.description ??
          deployment.description ??
          '',
      };
    });
}

export function recordsTable(records: DeploymentRecordRow[]): string[] {
  return formatTable([
    ['record', 'environment', 'written by', 'commit', 'statuses', 'last description'],
    ...records.map((record) => [
      String(record.id),
      record.environment,
      record.action,
      record.sha.slice(0, 7),
      record.states.join(' -> '),
      record.description.length > 70 ? `${record.description.slice(0, 67)}...` : record.description,
    ]),
  ]);
}
