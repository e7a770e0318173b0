import type { JsonObject } from './store/json.ts';

/**
 * What the simulated nodes, kubelet and scheduler do, as tests set it: images that cannot be
 * pulled, containers that crash, pods no node can take, Jobs whose pods fail, how long a
 * container takes to become ready, and whether the controllers run at all. Each rule returns a
 * function that removes it, so a test can heal what it broke.
 */

export type ImageMatcher = string | RegExp;

export interface CrashOptions {
  /** The exit code of every run; default 1. */
  exitCode?: number;
  /** What each run writes before it dies, returned by `/log` (and `/log?previous=true` after a restart). */
  log?: string;
  /** How long each run lasts before it exits; default the ready delay. */
  runMs?: number;
}

export interface PodMatcher {
  namespace?: string;
  /** Every one of these labels must be on the pod. */
  labels?: Record<string, string>;
  name?: string | RegExp;
}

export interface JobMatcher {
  namespace?: string;
  name?: string | RegExp;
}

export interface JobFailure {
  exitCode: number;
  log: string;
}

export interface BehaviourSettings {
  readyDelayMs: number;
  jobDurationMs: number;
  backOffMs: number;
}

type Remove = () => void;

/** What a test changes: each rule returns the function that removes it. */
export interface BehaviourControls {
  /** How long a started container takes to become ready. */
  readyDelayMs: number;
  /** How long a Job's container runs before it exits. */
  jobDurationMs: number;
  /** The first back-off of an image pull or a crashed container; it doubles with each retry. */
  backOffMs: number;
  /** Pulls of matching images fail: ErrImagePull, then ImagePullBackOff. `message` is the runtime's error. */
  unpullableImage(image: ImageMatcher, options?: { message?: string }): Remove;
  /** Containers of matching images exit shortly after starting, so they crash-loop. */
  crashingImage(image: ImageMatcher, options?: CrashOptions): Remove;
  /** What containers of matching images write to their log. */
  containerLog(image: ImageMatcher, text: string): Remove;
  /** Matching pods fit on no node (all pods without a matcher); `reasons` is the scheduler's per-node summary. */
  unschedulable(match?: PodMatcher, reasons?: string): Remove;
  /** The pods of matching Jobs exit with an error instead of completing. */
  failJobs(match?: JobMatcher, failure?: Partial<JobFailure>): Remove;
  /** Stops every controller (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, scheduler, kubelet). */
  pauseControllers(): void;
  resumeControllers(): void;
  readonly paused: boolean;
}

function matchesText(matcher: string | RegExp | undefined, value: string): boolean {
  if (matcher === undefined) return true;
  return typeof matcher === 'string' ? matcher === value : matcher.test(value);
}

export class Behaviour implements BehaviourControls {
  private readonly settings: BehaviourSettings;
  private readonly unpullable = new Map<ImageMatcher, string | undefined>();
  private readonly crashing = new Map<ImageMatcher, CrashOptions>();
  private readonly logs = new Map<ImageMatcher, string>();
  private readonly unschedulableRules = new Map<PodMatcher, string | undefined>();
  private readonly failingJobs = new Map<JobMatcher, Partial<JobFailure>>();
  private pausedState = false;
  /** Told of every change, so the control loop runs again even though no object changed. */
  private listener: () => void = () => undefined;

  constructor(settings: BehaviourSettings) {
    this.settings = { ...settings };
  }

  /** How long a started container takes to become ready. */
  get readyDelayMs(): number {
    return this.settings.readyDelayMs;
  }

  set readyDelayMs(value: number) {
    this.settings.readyDelayMs = value;
    this.listener();
  }

  /** How long a Job's container runs before it exits. */
  get jobDurationMs(): number {
    return this.settings.jobDurationMs;
  }

  set jobDurationMs(value: number) {
    this.settings.jobDurationMs = value;
    this.listener();
  }

  /** The first back-off of an image pull or a crashed container; it doubles with each retry. */
  get backOffMs(): number {
    return this.settings.backOffMs;
  }

  set backOffMs(value: number) {
    this.settings.backOffMs = value;
    this.listener();
  }

  onChange(listener: () => void): void {
    this.listener = listener;
  }

  /** Pulls of matching images fail: ErrImagePull, then ImagePullBackOff. `message` is the runtime's error. */
  unpullableImage(image: ImageMatcher, options: { message?: string } = {}): Remove {
    return this.rule(this.unpullable, image, options.message);
  }

  /** Containers of matching images exit shortly after starting, so they crash-loop. */
  crashingImage(image: ImageMatcher, options: CrashOptions = {}): Remove {
    return this.rule(this.crashing, image, options);
  }

  /** What containers of matching images write to their log. */
  containerLog(image: ImageMatcher, text: string): Remove {
    return this.rule(this.logs, image, text);
  }

  /** Matching pods fit on no node (all pods when no matcher is given); `reasons` is the scheduler's per-node summary. */
  unschedulable(match: PodMatcher = {}, reasons?: string): Remove {
    return this.rule(this.unschedulableRules, match, reasons);
  }

  /** The pods of matching Jobs exit with an error instead of completing. */
  failJobs(match: JobMatcher = {}, failure: Partial<JobFailure> = {}): Remove {
    return this.rule(this.failingJobs, match, failure);
  }

  /** Stops every controller (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, scheduler, kubelet). */
  pauseControllers(): void {
    this.pausedState = true;
  }

  resumeControllers(): void {
    this.pausedState = false;
    this.listener();
  }

  get paused(): boolean {
    return this.pausedState;
  }

  private rule<K, V>(rules: Map<K, V>, key: K, value: V): Remove {
    rules.set(key, value);
    this.listener();
    return () => {
      rules.delete(key);
      this.listener();
    };
  }

  /** The runtime's error for pulling an image, or undefined when it pulls. */
  pullFailure(image: string, reference: string): string | undefined {
    for (const [matcher, message] of this.unpullable) {
      if (matchesText(matcher, image)) {
        return (
          message ??
          `rpc error: code = NotFound desc = failed to pull and unpack image "${reference}": failed to resolve ` +
            `reference "${reference}": ${reference}: not found`
        );
      }
    }
    return undefined;
  }

  crash(image: string): Required<CrashOptions> | undefined {
    for (const [matcher, options] of this.crashing) {
      if (matchesText(matcher, image)) {
        return {
          exitCode: options.exitCode ?? 1,
          log: options.log ?? '',
          runMs: options.runMs ?? this.readyDelayMs,
        };
      }
    }
    return undefined;
  }

  logFor(image: string): string {
    for (const [matcher, text] of this.logs) if (matchesText(matcher, image)) return text;
    return '';
  }

  /** The scheduler's message for a pod no node fits, or undefined when it can be scheduled. */
  unschedulableMessage(pod: JsonObject): string | undefined {
    const metadata = pod.metadata as JsonObject;
    const labels = (metadata.labels ?? {}) as JsonObject;
    for (const [match, reasons] of this.unschedulableRules) {
      const fits =
        (match.namespace === undefined || match.namespace === metadata.namespace) &&
        matchesText(match.name, String(metadata.name)) &&
        Object.entries(match.labels ?? {}).every(([key, value]) => labels[key] === value);
      if (fits) {
        const summary = reasons ?? '2 Insufficient cpu';
        return `0/2 nodes are available: ${summary}. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.`;
      }
    }
    return undefined;
  }

  jobFailure(namespace: string, job: string): JobFailure | undefined {
    for (const [match, failure] of this.failingJobs) {
      if ((match.namespace === undefined || match.namespace === namespace) && matchesText(match.name, job)) {
        return { exitCode: failure.exitCode ?? 1, log: failure.log ?? '' };
      }
    }
    return undefined;
  }
}
