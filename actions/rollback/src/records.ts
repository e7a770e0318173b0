import { ActionError, errorMessage } from '../../../shared/src/errors.ts';
import type { DeploymentPayload, RecordedWorkload } from '../../../shared/src/github/deployment-payload.ts';
import {
  deploymentHistory,
  recordRunning,
  type DeploymentHistory,
  type RecordedDeployment,
} from '../../../shared/src/github/deployment-history.ts';
import type { RollbackInputs } from './inputs.ts';

/**
 * What the rollback reads from the environment's deployment records: the record that names what
 * to restore (from-deployment, or the latest with environment alone), the deployment being
 * replaced (`rollback_of`: the environment's newest, failed or not), and the commit of the
 * release restored. Reading is required when the records say what to restore; otherwise it only
 * serves the new record, and a failure is the record's one warning.
 */
export interface RecordsContext {
  /** The environment the rollback is recorded in: the input, else from-deployment's record's. */
  environment: string | undefined;
  /** The record that says what to restore. */
  source?: RecordedDeployment & { payload: DeploymentPayload };
  /** The environment's records, newest first; empty when not read. */
  listed: RecordedDeployment[];
  /** False when reading them failed and the warning was given: nothing more is tried. */
  recordable: boolean;
  /** For more reads (an ECS rollback looks for the last successful record); undefined when none were read. */
  history?: DeploymentHistory;
}

const REQUIRED_READ_TIMEOUT_MS = 30_000;
const BEST_EFFORT_READ_TIMEOUT_MS = 10_000;

export interface RecordsHooks {
  warning: (message: string) => void;
  info: (message: string) => void;
  signal: AbortSignal;
}

export async function readRecords(inputs: RollbackInputs, hooks: RecordsHooks): Promise<RecordsContext> {
  const { source: wanted } = inputs;
  const recording = inputs.recordDeployment && !inputs.dryRun;
  const required = wanted.kind === 'from-deployment' || wanted.kind === 'environment';
  // An ECS rollback goes back to the last successful recorded deployment: worth reading even when not recording.
  const useful = recording || wanted.kind === 'service';
  if (!required && !(useful && inputs.environment && inputs.token)) {
    return { environment: inputs.environment, listed: [], recordable: recording };
  }
  const history = deploymentHistory({
    token: inputs.token,
    signal: hooks.signal,
    onRetry: hooks.info,
    // What the rollback depends on may take longer than what only serves its record.
    timeoutMs: required ? REQUIRED_READ_TIMEOUT_MS : BEST_EFFORT_READ_TIMEOUT_MS,
  });
  if (wanted.kind === 'from-deployment') {
    const record = withPayload(await history.get(wanted.id), `Deployment ${wanted.id}`);
    const environment = inputs.environment ?? record.environment;
    const listed = recording ? await listBestEffort(history, environment, hooks) : [];
    return {
      environment,
      source: record,
      listed: listed ?? [],
      recordable: recording && listed !== undefined,
      history,
    };
  }
  if (wanted.kind === 'environment') {
    const environment = inputs.environment as string;
    const listed = await history.list(environment);
    const latest = listed.find((record) => record.payload);
    if (!latest) {
      throw new ActionError(
        `Environment ${environment} has no deployment record of Gantry's to roll back (${listed.length} deployment(s) listed).`,
        {
          hint: 'name the workloads (workloads or selector) instead, or record deploys with environment set.',
        },
      );
    }
    return {
      environment,
      source: withPayload(latest, `Deployment ${latest.id}`),
      listed,
      recordable: recording,
      history,
    };
  }
  const environment = inputs.environment as string;
  const listed = await listBestEffort(history, environment, hooks);
  return { environment, listed: listed ?? [], recordable: recording && listed !== undefined, history };
}

async function listBestEffort(
  history: DeploymentHistory,
  environment: string,
  hooks: RecordsHooks,
): Promise<RecordedDeployment[] | undefined> {
  try {
    return await history.list(environment);
  } catch (error) {
    if (hooks.signal.aborted) throw error;
    hooks.warning(
      `Deployment record not written: ${errorMessage(error)}. The rollback itself is not affected.`,
    );
    return undefined;
  }
}

function withPayload(
  record: RecordedDeployment,
  name: string,
): RecordedDeployment & { payload: DeploymentPayload } {
  if (!record.payload) {
    throw new ActionError(
      `${name} (environment ${record.environment}, commit ${record.sha.slice(0, 12)}) was not recorded by Gantry: its payload does not say what was deployed.`,
    );
  }
  return record as RecordedDeployment & { payload: DeploymentPayload };
}

/** The deployment being replaced: the environment's newest, whatever its state. */
export function rollbackOf(context: RecordsContext): number | undefined {
  return context.listed[0]?.id;
}

/**
 * The commit of the release restored: the record named by from-deployment, else the newest record
 * whose workloads ran exactly the images now restored; undefined when none did (the run's commit
 * is recorded then).
 */
export function restoredCommit(
  context: RecordsContext,
  restored: readonly Pick<RecordedWorkload, 'kind' | 'name' | 'namespace' | 'containers'>[],
  fromDeployment: boolean,
): string | undefined {
  if (fromDeployment) return context.source?.sha;
  return recordRunning(context.listed, restored)?.sha;
}
