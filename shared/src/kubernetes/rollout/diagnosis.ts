import type { Deadline } from '../../async/deadline.ts';
import { errorMessage } from '../../errors.ts';
import type { KubernetesClient } from '../client/client.ts';
import { isRecord, type KubeObject } from '../object.ts';
import { groupProblems } from './pod-problems.ts';
import type { RolloutResult } from './rollout-wait.ts';

/**
 * Why a rollout failed, in words: the pods' problems (grouped), the tail of the log of a container
 * that crashed or failed, and the workload's recent Warning events. Each read is best-effort: a
 * diagnosis that cannot be completed says so and never hides the failure it explains.
 */
export interface Diagnosis {
  /** One line per distinct problem: `pod web-7d9 (and 2 more): container "app" cannot pull image ...`. */
  problems: string[];
  logs: { pod: string; container: string; previous: boolean; tail: string }[];
  /** `Warning BackOff (x4) on Pod/web-7d9: Back-off restarting failed container`. */
  events: string[];
}

export interface DiagnoseOptions {
  signal?: AbortSignal;
  /** Retries of a failing API stop here: a diagnosis must not outlast the failure it explains. */
  deadline?: Deadline;
  tailLines?: number;
  maxLogs?: number;
  maxEvents?: number;
}

export async function diagnose(
  client: KubernetesClient,
  result: RolloutResult,
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const groups = groupProblems(result.problems);
  const problems = groups.map(({ problem, pods }) =>
    pods > 1
      ? problem.message.replace(`pod ${problem.pod}`, `pod ${problem.pod} (and ${pods - 1} more)`)
      : problem.message,
  );
  const namespace = encodeURIComponent(result.ref.namespace);
  const wanted = groups.filter((group) => group.problem.log).slice(0, options.maxLogs ?? 2);
  const [logs, events] = await Promise.all([
    Promise.all(
      wanted.map(async ({ problem }) => {
        const log = problem.log as { container: string; previous: boolean };
        const tail = await client
          .requestText({
            path: `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(problem.pod)}/log`,
            query: { container: log.container, previous: log.previous, tailLines: options.tailLines ?? 20 },
            what: `read the log of ${problem.pod}`,
            signal: options.signal,
            deadline: options.deadline,
          })
          .catch((error: unknown) => `(the log could not be read: ${errorMessage(error)})`);
        return { pod: problem.pod, container: log.container, previous: log.previous, tail: tail.trimEnd() };
      }),
    ),
    warningEvents(client, result, options).catch((error: unknown) => [
      `(events could not be read: ${errorMessage(error)})`,
    ]),
  ]);
  return { problems, logs, events };
}

async function warningEvents(
  client: KubernetesClient,
  result: RolloutResult,
  options: DiagnoseOptions,
): Promise<string[]> {
  const list = await client.requestJson<{ items?: KubeObject[] }>({
    path: `/api/v1/namespaces/${encodeURIComponent(result.ref.namespace)}/events`,
    query: { fieldSelector: 'type=Warning' },
    what: `list Warning events in ${result.ref.namespace}`,
    signal: options.signal,
    deadline: options.deadline,
  });
  const related = new Set(result.relatedUids);
  const mine = (list.items ?? []).filter((event) => {
    const involved = isRecord(event.involvedObject) ? event.involvedObject : {};
    if (event.type !== undefined && event.type !== 'Warning') return false;
    return (
      (typeof involved.uid === 'string' && related.has(involved.uid)) ||
      (involved.kind === result.ref.kind && involved.name === result.ref.name)
    );
  });
  mine.sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
  return mine.slice(0, options.maxEvents ?? 5).map((event) => {
    const involved = isRecord(event.involvedObject) ? event.involvedObject : {};
    const count = typeof event.count === 'number' && event.count > 1 ? ` (x${event.count})` : '';
    return `Warning ${String(event.reason ?? '')}${count} on ${String(involved.kind ?? '')}/${String(involved.name ?? '')}: ${String(event.message ?? '').trim()}`;
  });
}

function eventTime(event: KubeObject): string {
  for (const key of ['lastTimestamp', 'eventTime', 'firstTimestamp']) {
    const value = event[key];
    if (typeof value === 'string' && value) return value;
  }
  return event.metadata?.creationTimestamp ?? '';
}
