/**
 * Where @action-validator/core 0.6.0's copy of GitHub's schemas lags GitHub, and the check that takes
 * its place. Each adaptation removes or rewrites only the one construct the schema does not know yet,
 * after checking that construct ourselves, so the validator still judges everything else.
 *
 * - `concurrency.queue` (GitHub changelog 2026-05-07: `single`, the default, or `max`, up to 100
 *   pending runs; not allowed with `cancel-in-progress: true`): unknown to the schema.
 * - `runs.using: node24` in action metadata: the schema's enum stops at node20.
 */
type Yaml = Record<string, unknown>;

export const QUEUE_VALUES = ['single', 'max'];

/** The workflow without `concurrency.queue`, and what is wrong with each queue it removed. */
export function adaptWorkflow(workflow: Yaml): { workflow: Yaml; problems: string[] } {
  const problems: string[] = [];
  const strip = (concurrency: unknown, where: string): unknown => {
    if (!concurrency || typeof concurrency !== 'object' || !('queue' in concurrency)) return concurrency;
    const { queue, ...rest } = concurrency as Yaml;
    if (typeof queue !== 'string' || !QUEUE_VALUES.includes(queue)) {
      problems.push(
        `${where}: concurrency.queue is ${JSON.stringify(queue)}; accepted: ${QUEUE_VALUES.join(', ')}`,
      );
    }
    if (queue === 'max' && rest['cancel-in-progress'] === true) {
      problems.push(`${where}: concurrency.queue: max cannot be combined with cancel-in-progress: true`);
    }
    return rest;
  };
  const jobs = Object.fromEntries(
    Object.entries((workflow.jobs ?? {}) as Record<string, Yaml>).map(([id, job]) => [
      id,
      'concurrency' in job ? { ...job, concurrency: strip(job.concurrency, `job ${id}`) } : job,
    ]),
  );
  const adapted: Yaml = { ...workflow, jobs };
  if ('concurrency' in workflow) adapted.concurrency = strip(workflow.concurrency, 'workflow');
  return { workflow: adapted, problems };
}

/** Action metadata with `runs.using: node24` shown to the validator as node20; our own check covers node24. */
export function adaptActionMetadata(metadata: Yaml): Yaml {
  const runs = (metadata.runs ?? {}) as Yaml;
  return runs.using === 'node24' ? { ...metadata, runs: { ...runs, using: 'node20' } } : metadata;
}
