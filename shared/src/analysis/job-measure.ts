import type { Deadline } from '../async/deadline.ts';
import { ActionError } from '../errors.ts';
import type { KubernetesClient } from '../kubernetes/client/client.ts';
import { runJobWithClient } from '../kubernetes/jobs/job-run.ts';
import { jobName, RUN_LABEL } from '../kubernetes/jobs/job-spec.ts';
import { isRecord } from '../kubernetes/object.ts';
import type { JobCheck, Judged } from './types.ts';

/**
 * One measurement of a job check: a copy of the manifest under a name of its own, run with the
 * shared Job code (its output copied to the step log, deleted afterwards). Exit code 0 is a success,
 * any other a failure; a Job that never ran to the end (an unpullable image, the analysis's
 * deadline) is an error. One attempt, unless the manifest asks for more: a retried check would hide
 * the failure the analysis is there to see.
 */

const CLUSTER_DEADLINE_GRACE_SECONDS = 60;

export async function measureJob(
  check: JobCheck,
  round: number,
  client: KubernetesClient,
  namespace: string | undefined,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<Judged> {
  const metadata = isRecord(check.manifest.metadata) ? check.manifest.metadata : {};
  const base = String(metadata.name ?? metadata.generateName ?? 'analysis').replace(/[-.]+$/, '');
  let result;
  try {
    result = await runJobWithClient(
      client,
      {
        namespace: namespace ?? (typeof metadata.namespace === 'string' ? metadata.namespace : undefined),
        keepJob: false,
        timeoutMs: Math.max(1, deadline.remaining()),
        command: undefined,
        noun: `Analysis Job of check ${check.name}`,
        buildSpec: async (_client, jobNamespace) => {
          const name = jobName(base, `r${round}`, Math.random().toString(36).slice(2, 7));
          return {
            name,
            container: check.container,
            job: copy(check.manifest, name, jobNamespace, deadline),
          };
        },
      },
      signal,
    );
  } catch (error) {
    if (signal.aborted || !(error instanceof ActionError)) throw error;
    return { outcome: 'error', detail: `the Job could not run: ${error.message}` };
  }
  const tail = result.tail.describe();
  if (result.exitCode === 0 && result.failure === undefined) {
    return { outcome: 'success', value: 0, detail: `${result.where}: exit code 0. ${tail}` };
  }
  if (result.exitCode !== undefined) {
    return {
      outcome: 'failure',
      value: result.exitCode,
      detail: `${result.failure ?? `exit code ${result.exitCode}`} ${tail}`,
    };
  }
  return { outcome: 'error', detail: `${result.failure ?? 'the Job did not finish'} ${tail}` };
}

function copy(
  manifest: Record<string, unknown>,
  name: string,
  namespace: string,
  deadline: Deadline,
): Record<string, unknown> {
  const job = structuredClone(manifest) as {
    metadata?: Record<string, unknown>;
    spec: {
      backoffLimit?: number;
      activeDeadlineSeconds?: number;
      template: { metadata?: Record<string, unknown>; spec: Record<string, unknown> };
    };
  };
  const metadata = { ...job.metadata };
  delete metadata.generateName;
  // The run label finds the Job's pod for its logs and exit code.
  job.metadata = {
    ...metadata,
    name,
    namespace,
    labels: { ...(metadata.labels as object), [RUN_LABEL]: name },
  };
  const template = job.spec.template;
  template.metadata = {
    ...template.metadata,
    labels: { ...(template.metadata?.labels as object), [RUN_LABEL]: name },
  };
  template.spec.restartPolicy ??= 'Never';
  job.spec.backoffLimit ??= 0;
  // A safety net for a runner that dies mid-analysis; while it waits, the analysis's deadline ends the Job first.
  job.spec.activeDeadlineSeconds ??= Math.ceil(deadline.remaining() / 1000) + CLUSTER_DEADLINE_GRACE_SECONDS;
  return job as unknown as Record<string, unknown>;
}
