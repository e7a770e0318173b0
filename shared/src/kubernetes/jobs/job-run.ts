import { Deadline } from '../../async/deadline.ts';
import { ActionError } from '../../errors.ts';
import * as log from '../../runner/log.ts';
import { LogTail } from '../../process/log-tail.ts';
import { sleep } from '../../async/sleep.ts';
import { KubernetesApiError, KubernetesConnectionError } from '../client/api-error.ts';
import { createKubernetesClient, type KubernetesClient } from '../client/client.ts';
import type { KubeconfigSource } from '../client/kubeconfig.ts';
import { field, type KubeObject } from '../object.ts';
import { podProblems, type PodProblem } from '../rollout/pod-problems.ts';
import { RUN_LABEL, type JobSpec } from './job-spec.ts';
import { containerState, PodLogs } from './pod-logs.ts';

/**
 * Runs a one-off Job: creates it, copies its pod's output to the step log, waits for Complete or
 * Failed with a watch under one deadline, reads the exit code from the pod, and deletes the Job
 * (its pod with it) unless keepJob. A pod whose image cannot be pulled ends the wait at once: the
 * Job would otherwise sit in ImagePullBackOff until the deadline. A Job that did not finish
 * (timeout, cancellation, that image) is deleted even with keepJob, which stops its pod: left
 * alone it would go on until activeDeadlineSeconds.
 */

const LOG_POLL_MS = 2000;
const WATCH_SECONDS = 300;

export interface JobRunOptions {
  cluster: KubeconfigSource;
  /** The caller's namespace; else the kubeconfig context's, else `default`. */
  namespace: string | undefined;
  keepJob: boolean;
  timeoutMs: number;
  /** The command, for the log line; undefined when the template's own runs. */
  command: string[] | undefined;
  /** What the Job is, for messages: `Migration Job`. */
  noun: string;
  /** Builds the Job once the namespace is known (it may read the cluster, as from-deployment does). */
  buildSpec: (client: KubernetesClient, namespace: string, signal: AbortSignal) => Promise<JobSpec>;
}

export interface JobRunResult {
  /** `Job shop/web-migrate-1a2b3c4 (context prod, https://...)`. */
  where: string;
  name: string;
  /** The container's exit code; undefined when it never ran to the end. */
  exitCode: number | undefined;
  failure: string | undefined;
  tail: LogTail;
  durationMs: number;
  /** Whether the Job was kept (keepJob and it finished). */
  kept: boolean;
}

/** Thrown from a watch callback to end the watch once the Job has finished. */
class JobFinished extends ActionError {
  readonly job: KubeObject;
  constructor(job: KubeObject) {
    super('the Job finished');
    this.job = job;
  }
}

export async function runJob(options: JobRunOptions, signal: AbortSignal): Promise<JobRunResult> {
  const client = await createKubernetesClient(options.cluster, { onRetry: (message) => log.info(message) });
  try {
    return await runJobWithClient(client, options, signal);
  } finally {
    await client.close();
  }
}

/** The same with a client the caller owns (an analysis between deploy steps runs several Jobs on one). */
export async function runJobWithClient(
  client: KubernetesClient,
  options: Omit<JobRunOptions, 'cluster'>,
  signal: AbortSignal,
): Promise<JobRunResult> {
  const startedAt = Date.now();
  const namespace = options.namespace ?? client.namespace ?? 'default';
  const spec = await options.buildSpec(client, namespace, signal);
  const tail = new LogTail();
  const where = `Job ${namespace}/${spec.name} (context ${client.context}, ${client.server})`;
  try {
    await createJob(client, namespace, spec, signal);
  } catch (error) {
    // Cancelled while the POST was under way: the cluster may have created the Job all the same.
    if (signal.aborted) await deleteJob(client, namespace, spec.name);
    throw error;
  }
  log.info(
    `Created ${where}; running ${spec.container}${options.command ? `: ${options.command.join(' ')}` : ''}.`,
  );
  let followed: Followed | undefined;
  try {
    followed = await follow(client, namespace, spec, tail, options, signal);
  } finally {
    // keepJob keeps a finished Job for kubectl logs; one still running is stopped whatever it says.
    if (!options.keepJob || !followed?.finished) await deleteJob(client, namespace, spec.name);
  }
  return {
    where,
    name: spec.name,
    exitCode: followed.exitCode,
    failure: followed.failure,
    tail,
    durationMs: Date.now() - startedAt,
    kept: options.keepJob && followed.finished,
  };
}

async function createJob(
  client: KubernetesClient,
  namespace: string,
  spec: JobSpec,
  signal: AbortSignal,
): Promise<void> {
  const create = (): Promise<KubeObject> =>
    client.requestJson({
      method: 'POST',
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      body: JSON.stringify(spec.job),
      what: `create Job ${namespace}/${spec.name}`,
      signal,
      // A retried POST could create the Job twice; the conflict below is the only retry.
      retry: false,
    });
  try {
    await create();
  } catch (error) {
    if (!(error instanceof KubernetesApiError && error.status === 409)) throw error;
    // A kept Job of an earlier run of the same commit has the name: this run gets its own.
    spec.name = `${spec.name.slice(0, 58)}-${Date.now().toString(36).slice(-4)}`;
    (spec.job.metadata as Record<string, unknown>).name = spec.name;
    relabel(spec);
    await create();
  }
}

function relabel(spec: JobSpec): void {
  const metadata = spec.job.metadata as { labels: Record<string, string> };
  metadata.labels[RUN_LABEL] = spec.name;
}

interface Followed {
  exitCode: number | undefined;
  failure: string | undefined;
  /** Whether the Job ended (Complete or Failed), rather than the wait (timeout, cancellation, an unpullable image). */
  finished: boolean;
}

async function follow(
  client: KubernetesClient,
  namespace: string,
  spec: JobSpec,
  tail: LogTail,
  options: Pick<JobRunOptions, 'timeoutMs' | 'noun'>,
  signal: AbortSignal,
): Promise<Followed> {
  const { timeoutMs, noun } = options;
  const deadline = new Deadline(timeoutMs, `Job ${namespace}/${spec.name} to finish`);
  const waiting = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const logs = new PodLogs(client, {
    namespace,
    selector: `${RUN_LABEL}=${spec.name}`,
    container: spec.container,
    tail,
  });
  const stopLogs = new AbortController();
  const stuck = new AbortController();
  let unpullable: PodProblem | undefined;
  const copying = copyLogs(logs, AbortSignal.any([waiting, stopLogs.signal]), (pods) => {
    unpullable = podProblems(pods, { maxRestarts: Infinity }).find(
      (problem) => problem.kind === 'image-pull' && problem.fatal,
    );
    if (unpullable) stuck.abort();
  });
  let job: KubeObject | undefined;
  try {
    job = await waitForJob(client, namespace, spec.name, AbortSignal.any([waiting, stuck.signal]));
  } finally {
    stopLogs.abort();
    await copying;
  }
  if (!job && unpullable) {
    return {
      exitCode: undefined,
      failure: `${noun} ${namespace}/${spec.name} cannot start: ${unpullable.message}.`,
      finished: false,
    };
  }
  const pods = await logs.poll().catch((error: unknown) => {
    log.warning(`Could not read the output of Job ${spec.name}: ${String(error)}`);
    return [] as KubeObject[];
  });
  const pod = pods.at(-1);
  const state = pod ? containerState(pod, spec.container) : undefined;
  if (!job) {
    const situation = podSituation(pod, spec.container);
    return {
      exitCode: undefined,
      failure: signal.aborted
        ? `The run was cancelled while Job ${namespace}/${spec.name} ran: ${situation}.`
        : deadline.error(situation).message,
      finished: false,
    };
  }
  const exitCode = state?.terminated?.exitCode;
  if (condition(job, 'Complete')) return { exitCode: exitCode ?? 0, failure: undefined, finished: true };
  const failed = condition(job, 'Failed');
  const why =
    exitCode !== undefined
      ? `container ${spec.container} exited with code ${exitCode}${state?.terminated?.reason ? ` (${state.terminated.reason})` : ''}`
      : `${failed?.reason ?? 'it failed'}${failed?.message ? `: ${failed.message}` : ''} (${podSituation(pod, spec.container)})`;
  return { exitCode, failure: `${noun} ${namespace}/${spec.name} failed: ${why}.`, finished: true };
}

/**
 * Copies the logs every few seconds while the Job runs, showing each poll's pods to `inspect`; a
 * failed read is retried at the next.
 */
async function copyLogs(
  logs: PodLogs,
  signal: AbortSignal,
  inspect: (pods: KubeObject[]) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      inspect(await logs.poll(signal));
      await sleep(LOG_POLL_MS, signal);
    } catch (error) {
      if (signal.aborted) return;
      log.debug(`Reading the Job's output: ${String(error)}`);
      await sleep(LOG_POLL_MS, signal).catch(() => undefined);
    }
  }
}

/** The finished Job, or undefined when `signal` ended the wait first. */
async function waitForJob(
  client: KubernetesClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  const path = `/apis/batch/v1/namespaces/${namespace}/jobs`;
  while (!signal.aborted) {
    try {
      const job = await client.requestJson<KubeObject>({ path: `${path}/${name}`, signal });
      if (finished(job)) return job;
      await client.watch(path, {
        query: {
          fieldSelector: `metadata.name=${name}`,
          resourceVersion: job.metadata?.resourceVersion,
          timeoutSeconds: WATCH_SECONDS,
        },
        signal,
        onEvent: (event) => {
          if (event.type === 'DELETED')
            throw new ActionError(`Job ${namespace}/${name} was deleted while it ran.`);
          if (event.type !== 'BOOKMARK' && event.type !== 'ERROR' && finished(event.object)) {
            throw new JobFinished(event.object);
          }
        },
      });
    } catch (error) {
      if (error instanceof JobFinished) return error.job;
      if (signal.aborted) return undefined;
      // A dropped watch, or 410 Gone: read the Job again and watch from there.
      if (
        !(error instanceof KubernetesApiError && error.status === 410) &&
        !(error instanceof KubernetesConnectionError)
      )
        throw error;
      await sleep(500, signal).catch(() => undefined);
    }
  }
  return undefined;
}

function finished(job: KubeObject): boolean {
  return condition(job, 'Complete') !== undefined || condition(job, 'Failed') !== undefined;
}

function condition(job: KubeObject, type: string): { reason?: string; message?: string } | undefined {
  const conditions = field(job, 'status', 'conditions');
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((entry) => field(entry, 'type') === type && field(entry, 'status') === 'True');
}

/** What the pod was doing when the deadline passed: the reason to look at first. */
function podSituation(pod: KubeObject | undefined, container: string): string {
  if (!pod) return 'no pod was created (check the namespace quota and the Job events)';
  const problem = podProblems([pod], { maxRestarts: Infinity })[0];
  if (problem) return problem.message;
  const state = containerState(pod, container);
  const name = String(pod.metadata?.name);
  if (state?.waiting) {
    return `pod ${name} is waiting: ${state.waiting.reason ?? 'unknown'}${state.waiting.message ? ` (${state.waiting.message})` : ''}`;
  }
  if (state?.running) return `pod ${name} is still running`;
  return `pod ${name} is ${String(field(pod, 'status', 'phase') ?? 'pending')}`;
}

/** Background propagation: the pod goes with the Job, without making the step wait for it. */
async function deleteJob(client: KubernetesClient, namespace: string, name: string): Promise<void> {
  try {
    await client.requestJson({
      method: 'DELETE',
      path: `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`,
      query: { propagationPolicy: 'Background' },
      what: `delete Job ${namespace}/${name}`,
    });
    log.info(`Deleted Job ${namespace}/${name}.`);
  } catch (error) {
    if (error instanceof KubernetesApiError && error.status === 404) return;
    log.warning(
      `Could not delete Job ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
