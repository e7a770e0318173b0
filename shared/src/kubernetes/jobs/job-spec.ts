import { ConfigurationError } from '../../errors.ts';
import { isRecord } from '../object.ts';

/**
 * The Job that runs a one-off command (a migration), built from a pod template (a Deployment's or
 * the user's): one attempt (`backoffLimit: 0`, `restartPolicy: Never`, since a half-run migration
 * must not be re-run blindly), the new image and command, and labels that say where it came from.
 * The template's own labels are dropped: they would put the Job's pod behind the application's Services.
 */

export interface JobSpecOptions {
  podTemplate: Record<string, unknown>;
  /** Where the template came from, for messages: `Deployment shop/web`, `the job-template input`. */
  origin: string;
  /** The Deployment's or template's name; the Job is `<base>-<task>-<suffix>`. */
  baseName: string;
  /** The word in the Job's name: `migrate`. */
  task: string;
  /** What the chosen container runs, for messages: `the migration`. */
  purpose: string;
  namespace: string;
  suffix: string;
  image: string | undefined;
  command: string[] | undefined;
  container: string | undefined;
  timeoutMs: number;
  labels: Record<string, string>;
}

export interface JobSpec {
  name: string;
  container: string;
  job: Record<string, unknown>;
}

/** Labels put on the Job and its pod; the last one finds the pod. */
export const RUN_LABEL = 'gantry.dev/job';
const MAX_NAME = 63;
const CLUSTER_DEADLINE_GRACE_SECONDS = 60;
/** Probes would kill or hold back a container that serves nothing; ports are for Services. */
const SERVING_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'ports', 'lifecycle'];

export function jobName(baseName: string, task: string, suffix: string): string {
  const tail = `-${task}-${suffix}`;
  const base = baseName.slice(0, MAX_NAME - tail.length).replace(/[-.]+$/, '');
  return `${base}${tail}`;
}

export function buildJob(options: JobSpecOptions): JobSpec {
  const spec = isRecord(options.podTemplate.spec) ? structuredClone(options.podTemplate.spec) : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  const chosen = chooseContainer(containers, options);
  const name = jobName(options.baseName, options.task, options.suffix);
  const container: Record<string, unknown> = { ...chosen };
  for (const field of SERVING_FIELDS) delete container[field];
  if (options.image !== undefined) container.image = options.image;
  if (options.command !== undefined) {
    container.command = options.command;
    delete container.args;
  }
  if (typeof container.image !== 'string' || container.image === '') {
    throw new ConfigurationError(`Container ${String(chosen.name)} of ${options.origin} has no image.`, {
      input: 'image',
    });
  }
  // Sidecars would keep the pod running after the migration ends, so the Job would never complete;
  // init containers (including native sidecars) still run.
  spec.containers = [container];
  spec.restartPolicy = 'Never';
  const labels = { ...options.labels, [RUN_LABEL]: name };
  const annotations = podAnnotations(options.podTemplate.metadata);
  return {
    name,
    container: String(container.name),
    job: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: options.namespace, labels },
      spec: {
        backoffLimit: 0,
        // A safety net for a runner that dies mid-wait; while the step waits, its own deadline ends it first.
        activeDeadlineSeconds: Math.ceil(options.timeoutMs / 1000) + CLUSTER_DEADLINE_GRACE_SECONDS,
        template: { metadata: { labels, ...(annotations && { annotations }) }, spec },
      },
    },
  };
}

function chooseContainer(
  containers: Record<string, unknown>[],
  options: Pick<JobSpecOptions, 'container' | 'origin' | 'purpose'>,
): Record<string, unknown> {
  const names = containers.map((container) => String(container.name));
  if (options.container !== undefined) {
    const found = containers.find((container) => container.name === options.container);
    if (!found) {
      throw new ConfigurationError(
        `Input "container" is "${options.container}", which is not a container of ${options.origin}: it has ${names.join(', ') || 'none'}.`,
        { input: 'container' },
      );
    }
    return found;
  }
  if (containers.length !== 1) {
    throw new ConfigurationError(
      `${options.origin} has ${containers.length} containers (${names.join(', ')}): input "container" must say which one runs ${options.purpose}.`,
      { input: 'container' },
    );
  }
  return containers[0] as Record<string, unknown>;
}

/** Annotations (a service mesh's opt-out, a Vault agent's) matter to how the pod runs; keep them. */
function podAnnotations(metadata: unknown): Record<string, unknown> | undefined {
  return isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : undefined;
}
