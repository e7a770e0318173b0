import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../store/json.ts';
import type { LogBook } from '../store/log-book.ts';
import { errors } from './status.ts';

/**
 * `GET /api/v1/namespaces/<ns>/pods/<name>/log`: the text of one container's output, with the
 * kubelet's answers when there is none (a container still waiting, no previous instance) and the
 * `container`, `previous`, `tailLines`, `limitBytes` and `timestamps` parameters.
 */

function containerNames(pod: JsonObject, list: string): string[] {
  return arrayAt(pod, 'spec', list)
    .filter(isObject)
    .map((container) => String(container.name));
}

function chooseContainer(pod: JsonObject, requested: string | null): string {
  const podName = stringAt(pod, 'metadata', 'name') ?? '';
  const containers = containerNames(pod, 'containers');
  const initContainers = containerNames(pod, 'initContainers');
  if (requested) {
    if (!containers.includes(requested) && !initContainers.includes(requested)) {
      throw errors.badRequest(`container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
  if (initContainers.length > 0) message += ` or one of the init containers: [${initContainers.join(' ')}]`;
  throw errors.badRequest(message);
}

function statusOf(pod: JsonObject, container: string): JsonObject | undefined {
  const statuses = [
    ...arrayAt(pod, 'status', 'containerStatuses'),
    ...arrayAt(pod, 'status', 'initContainerStatuses'),
  ].filter(isObject);
  return statuses.find((status) => status.name === container);
}

export function podLog(pod: JsonObject, query: URLSearchParams, book: LogBook): string {
  const podName = stringAt(pod, 'metadata', 'name') ?? '';
  const container = chooseContainer(pod, query.get('container'));
  const previous = query.get('previous') === 'true';
  const log = book.read(stringAt(pod, 'metadata', 'uid') ?? '', container);
  const status = statusOf(pod, container);
  const waiting = objectAt(status, 'state', 'waiting');
  const exited = objectAt(status, 'lastState', 'terminated') !== undefined;
  if (previous) {
    // Between a crash and the restart (CrashLoopBackOff), the instance that exited is the previous
    // one although no new instance has started yet, as the kubelet answers.
    const text = waiting && exited ? log?.current : log?.previous;
    if (text === undefined) {
      throw errors.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    }
    return limit(text, query);
  }
  if (!log || (waiting && status?.restartCount === 0 && !exited)) {
    const reason = stringAt(waiting, 'reason') ?? 'ContainerCreating';
    const detail =
      reason === 'ErrImagePull' || reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : reason;
    throw errors.badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${detail}`);
  }
  return limit(log.current, query);
}

function limit(text: string, query: URLSearchParams): string {
  let lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  const tail = query.get('tailLines');
  if (tail !== null && /^\d+$/.test(tail)) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  if (query.get('timestamps') === 'true') {
    const now = new Date().toISOString().replace('Z', '000000Z');
    lines = lines.map((line) => `${now} ${line}`);
  }
  let result = lines.join('\n') + (lines.length > 0 && (trailingNewline || tail !== null) ? '\n' : '');
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null && /^\d+$/.test(limitBytes)) {
    result = Buffer.from(result, 'utf8').subarray(0, Number(limitBytes)).toString('utf8');
  }
  return result;
}
