import { field, isRecord, numberField, stringField, type KubeObject } from '../object.ts';

/**
 * What is wrong with a rollout's pods, read from their status the way an engineer reads
 * `kubectl describe pod`: image pulls that fail, containers that crash, pods no node can take, pods
 * that failed. Pure, so every rule has a table test; fetching log tails and events is the caller's.
 */
export type ProblemKind = 'image-pull' | 'crash-loop' | 'container-config' | 'unschedulable' | 'pod-failed';

export interface PodProblem {
  kind: ProblemKind;
  pod: string;
  container?: string;
  /** The Kubernetes reason: ImagePullBackOff, CrashLoopBackOff, Unschedulable, Error, OOMKilled... */
  reason: string;
  /** One line for people. */
  message: string;
  image?: string;
  exitCode?: number;
  restarts?: number;
  /** Worth failing the rollout for now, before its deadline. */
  fatal: boolean;
  /** The container log that explains the problem: the previous instance's for a crash loop. */
  log?: { container: string; previous: boolean };
}

const IMAGE_PULL_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);
/** ErrImagePull can be a registry hiccup that the next try survives; these cannot end well. */
const FATAL_IMAGE_REASONS = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

export interface PodProblemOptions {
  /** A container in CrashLoopBackOff that restarted more often than this fails the rollout. */
  maxRestarts: number;
}

export function podProblems(pods: readonly KubeObject[], options: PodProblemOptions): PodProblem[] {
  return pods.flatMap((pod) => problemsOfPod(pod, options));
}

function problemsOfPod(pod: KubeObject, options: PodProblemOptions): PodProblem[] {
  const name = pod.metadata?.name ?? '';
  if (pod.metadata?.deletionTimestamp) return [];
  const problems: PodProblem[] = [];
  const scheduled = podCondition(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    problems.push({
      kind: 'unschedulable',
      pod: name,
      reason: 'Unschedulable',
      message: `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits it'}`,
      fatal: false,
    });
  }
  const phase = stringField(pod, 'status', 'phase');
  for (const status of containerStatuses(pod)) {
    const problem =
      phase === 'Failed' ? failedContainer(name, status) : waitingContainer(name, pod, status, options);
    if (problem) problems.push(problem);
  }
  if (phase === 'Failed' && !problems.some((problem) => problem.kind === 'pod-failed')) {
    const reason = stringField(pod, 'status', 'reason') ?? 'Failed';
    const detail = stringField(pod, 'status', 'message');
    problems.push({
      kind: 'pod-failed',
      pod: name,
      reason,
      message: `pod ${name} failed: ${reason}${detail ? ` (${detail})` : ''}`,
      fatal: false,
    });
  }
  return problems;
}

interface ContainerStatus {
  name: string;
  image?: string;
  restartCount?: number;
  state?: Record<string, unknown>;
  lastState?: Record<string, unknown>;
}

function containerStatuses(pod: KubeObject): ContainerStatus[] {
  const statuses = [field(pod, 'status', 'initContainerStatuses'), field(pod, 'status', 'containerStatuses')];
  return statuses.flatMap((list) =>
    Array.isArray(list)
      ? list.filter((entry): entry is ContainerStatus => isRecord(entry) && typeof entry.name === 'string')
      : [],
  );
}

function waitingContainer(
  podName: string,
  pod: KubeObject,
  status: ContainerStatus,
  options: PodProblemOptions,
): PodProblem | undefined {
  const reason = stringField(status.state, 'waiting', 'reason');
  if (!reason) return undefined;
  const detail = stringField(status.state, 'waiting', 'message');
  const container = status.name;
  if (IMAGE_PULL_REASONS.has(reason)) {
    const image = specImage(pod, container) ?? status.image;
    return {
      kind: 'image-pull',
      pod: podName,
      container,
      reason,
      image,
      message: `pod ${podName}: container "${container}" cannot pull image "${image ?? '?'}" (${reason}${detail ? `: ${detail}` : ''})`,
      fatal: FATAL_IMAGE_REASONS.has(reason),
    };
  }
  if (reason === 'CrashLoopBackOff') {
    const restarts = status.restartCount ?? 0;
    const terminated = field(status.lastState, 'terminated');
    const exitCode = numberField(terminated, 'exitCode');
    const lastReason = stringField(terminated, 'reason');
    const last =
      exitCode === undefined && lastReason === undefined
        ? ''
        : `; last exit: ${lastReason ?? 'unknown reason'}, exit code ${exitCode ?? '?'}`;
    return {
      kind: 'crash-loop',
      pod: podName,
      container,
      reason,
      exitCode,
      restarts,
      message: `pod ${podName}: container "${container}" is crash-looping (CrashLoopBackOff, restarted ${restarts} ${restarts === 1 ? 'time' : 'times'}${last})`,
      fatal: restarts > options.maxRestarts,
      log: { container, previous: true },
    };
  }
  if (CONFIG_REASONS.has(reason)) {
    return {
      kind: 'container-config',
      pod: podName,
      container,
      reason,
      message: `pod ${podName}: container "${container}" cannot start (${reason}${detail ? `: ${detail}` : ''})`,
      fatal: false,
    };
  }
  return undefined;
}

function failedContainer(podName: string, status: ContainerStatus): PodProblem | undefined {
  const terminated = field(status.state, 'terminated');
  const exitCode = numberField(terminated, 'exitCode');
  if (exitCode === undefined || exitCode === 0) return undefined;
  const reason = stringField(terminated, 'reason') ?? 'Error';
  return {
    kind: 'pod-failed',
    pod: podName,
    container: status.name,
    reason,
    exitCode,
    message: `pod ${podName} failed: container "${status.name}" exited with code ${exitCode} (${reason})`,
    fatal: false,
    log: { container: status.name, previous: false },
  };
}

function specImage(pod: KubeObject, container: string): string | undefined {
  for (const list of ['initContainers', 'containers']) {
    const containers = field(pod, 'spec', list);
    if (!Array.isArray(containers)) continue;
    const found = containers.find((entry) => isRecord(entry) && entry.name === container);
    const image = stringField(found, 'image');
    if (image) return image;
  }
  return undefined;
}

interface PodCondition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
}

function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  const conditions = field(pod, 'status', 'conditions');
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((entry): entry is PodCondition => isRecord(entry) && entry.type === type);
}

/**
 * The same problem in many pods of one rollout is one line: `pod web-1 (and 2 more pods): ...`.
 * The first pod's problem stands for the group, which keeps its log reference.
 */
export function groupProblems(problems: readonly PodProblem[]): { problem: PodProblem; pods: number }[] {
  const groups = new Map<string, { problem: PodProblem; pods: number }>();
  for (const problem of problems) {
    const key = [
      problem.kind,
      problem.container ?? '',
      problem.reason,
      problem.image ?? '',
      problem.exitCode ?? '',
    ].join('\u0000');
    const group = groups.get(key);
    if (group) group.pods++;
    else groups.set(key, { problem, pods: 1 });
  }
  return [...groups.values()];
}
