import type { KubernetesClient } from '../client/client.ts';
import { KubernetesApiError } from '../client/api-error.ts';
import { field, type KubeObject } from '../object.ts';
import type { LogTail } from '../../process/log-tail.ts';

/**
 * Copies a Job pod's container output to the step log by polling `/log` with `sinceTime` and
 * `timestamps`: each poll asks only for what is new since the last line printed (to the second,
 * the API's precision, then skips what was already printed within that second), and `limitBytes`
 * bounds each answer, so nothing is buffered beyond one poll however long the command runs.
 */

const LIMIT_BYTES = 1024 * 1024;

interface Position {
  /** The timestamp of the last line printed, as a sortable key. */
  last: string;
  /** How many lines carrying exactly that timestamp were printed. */
  atLast: number;
  done: boolean;
}

export class PodLogs {
  private readonly client: KubernetesClient;
  private readonly namespace: string;
  private readonly selector: string;
  private readonly container: string;
  private readonly tail: LogTail;
  private readonly positions = new Map<string, Position>();

  constructor(
    client: KubernetesClient,
    options: { namespace: string; selector: string; container: string; tail: LogTail },
  ) {
    this.client = client;
    this.namespace = options.namespace;
    this.selector = options.selector;
    this.container = options.container;
    this.tail = options.tail;
  }

  /** Prints what is new in the logs of the Job's pods; answers the pods, oldest first. */
  async poll(signal?: AbortSignal): Promise<KubeObject[]> {
    const list = await this.client.requestJson<{ items?: KubeObject[] }>({
      path: `/api/v1/namespaces/${this.namespace}/pods`,
      query: { labelSelector: this.selector },
      signal,
    });
    const pods = (list.items ?? []).sort((a, b) =>
      String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')),
    );
    for (const pod of pods) await this.read(pod, signal);
    return pods;
  }

  private async read(pod: KubeObject, signal: AbortSignal | undefined): Promise<void> {
    const uid = String(pod.metadata?.uid ?? pod.metadata?.name);
    const position = this.positions.get(uid) ?? { last: '', atLast: 0, done: false };
    if (position.done) return;
    const state = containerState(pod, this.container);
    if (!state || (!state.running && !state.terminated)) return;
    let text: string;
    try {
      text = await this.client.requestText({
        path: `/api/v1/namespaces/${this.namespace}/pods/${String(pod.metadata?.name)}/log`,
        query: {
          container: this.container,
          timestamps: true,
          limitBytes: LIMIT_BYTES,
          sinceTime: position.last ? `${position.last.slice(0, 19)}Z` : undefined,
        },
        signal,
      });
    } catch (error) {
      // 400: the container has not started yet (or its node is gone); the next poll tries again.
      if (error instanceof KubernetesApiError && error.status === 400) return;
      throw error;
    }
    const lines = text.split('\n');
    // A cut answer ends inside a line: leave it for the next poll, which starts from that second.
    const truncated = Buffer.byteLength(text) >= LIMIT_BYTES;
    if (!text.endsWith('\n') && truncated) lines.pop();
    if (lines.at(-1) === '') lines.pop();
    // The lines printed at the last timestamp come again (sinceTime has whole seconds): skip those.
    const previous = position.last;
    let repeated = position.atLast;
    for (const line of lines) {
      const space = line.indexOf(' ');
      const key = space > 0 ? sortableTime(line.slice(0, space)) : undefined;
      if (key === undefined) {
        this.tail.line(line);
        continue;
      }
      if (key < previous) continue;
      if (key === previous && repeated > 0) {
        repeated--;
        continue;
      }
      if (key === position.last) position.atLast++;
      else Object.assign(position, { last: key, atLast: 1 });
      this.tail.line(line.slice(space + 1));
    }
    position.done = Boolean(state.terminated) && !truncated;
    this.positions.set(uid, position);
  }
}

/** `2026-11-22T13:56:59.123Z` → `2026-11-22T13:56:59.123000000`, which sorts as time does. */
function sortableTime(stamp: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(stamp);
  if (!match) return undefined;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}`;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: Record<string, unknown>;
  terminated?: { exitCode?: number; reason?: string; message?: string };
}

export function containerState(pod: KubeObject, container: string): ContainerState | undefined {
  const statuses = field(pod, 'status', 'containerStatuses');
  if (!Array.isArray(statuses)) return undefined;
  const status = statuses.find((entry) => field(entry, 'name') === container);
  return field(status, 'state') as ContainerState | undefined;
}
