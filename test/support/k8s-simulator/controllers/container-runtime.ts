import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { goDuration, imageId } from './images.ts';

/**
 * One container's life on the simulated node, as the kubelet and containerd would drive it:
 * pull (or fail to: ErrImagePull, then ImagePullBackOff, retried with a doubling back-off),
 * start, become ready after the ready delay, exit (crash: CrashLoopBackOff with `lastState.
 * terminated`; a Job's container: Completed or Error), restart after a back-off. The kubelet turns
 * the transitions into events and the state into `containerStatuses`.
 */

export interface ContainerSpec {
  name: string;
  image: string;
  init: boolean;
}

/** How this container behaves, decided by the test's rules for its image and pod. */
export interface ContainerPlan {
  pullFailure: string | undefined;
  /** Exits after `runMs` with this code (and, for a crash, restarts); undefined runs until stopped. */
  exit: { code: number; runMs: number } | undefined;
  /** Whether a non-zero exit restarts the container (restartPolicy Always or OnFailure, not a Job's). */
  restarts: boolean;
  output: string;
  readyDelayMs: number;
  backOffMs: number;
}

export type RuntimeEvent = { type: 'Normal' | 'Warning'; reason: string; message: string };

interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export class ContainerRun {
  readonly spec: ContainerSpec;
  /** `<pod>_<namespace>(<uid>)`, as the kubelet names a pod in its messages. */
  private readonly podLabel: string;
  private state: 'waiting' | 'running' | 'terminated' = 'waiting';
  private reason = 'ContainerCreating';
  private message: string | undefined;
  private pulled = false;
  private attempts = 0;
  private nextAttemptAt = 0;
  private startedAt = 0;
  private containerId = '';
  private terminated: Terminated | undefined;
  private lastTerminated: Terminated | undefined;
  restartCount = 0;

  constructor(spec: ContainerSpec, podLabel: string) {
    this.spec = spec;
    this.podLabel = podLabel;
  }

  get hasStarted(): boolean {
    return this.startedAt > 0;
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  get exitCode(): number | undefined {
    return this.state === 'terminated' ? this.terminated?.exitCode : undefined;
  }

  isReady(plan: ContainerPlan, now: number): boolean {
    return this.state === 'running' && plan.exit === undefined && now >= this.startedAt + plan.readyDelayMs;
  }

  /** When this container will next change on its own (ready, exited, retried), if it will. */
  nextChangeAt(plan: ContainerPlan): number | undefined {
    if (this.state === 'waiting') return this.nextAttemptAt;
    if (this.state !== 'running') return undefined;
    if (plan.exit) return this.startedAt + plan.exit.runMs;
    return this.startedAt + plan.readyDelayMs;
  }

  /** Moves the container on to where it is at `now`; returns what the kubelet would report as events. */
  advance(plan: ContainerPlan, now: number, onStart: (output: string) => void): RuntimeEvent[] {
    const events: RuntimeEvent[] = [];
    if (this.state === 'waiting' && now >= this.nextAttemptAt) {
      if (!this.pulled && !this.pull(plan, now, events)) return events;
      this.state = 'running';
      this.startedAt = now;
      this.containerId = `containerd://${randomBytes(32).toString('hex')}`;
      this.reason = '';
      this.message = undefined;
      onStart(plan.output);
      events.push(
        { type: 'Normal', reason: 'Created', message: `Created container: ${this.spec.name}` },
        { type: 'Normal', reason: 'Started', message: `Started container ${this.spec.name}` },
      );
    } else if (this.state === 'running' && plan.exit && now >= this.startedAt + plan.exit.runMs) {
      const code = plan.exit.code;
      this.terminated = {
        exitCode: code,
        reason: code === 0 ? 'Completed' : 'Error',
        startedAt: this.startedAt,
        finishedAt: now,
        containerID: this.containerId,
      };
      if (code !== 0 && plan.restarts) {
        this.lastTerminated = this.terminated;
        this.terminated = undefined;
        this.restartCount += 1;
        this.state = 'waiting';
        this.reason = 'CrashLoopBackOff';
        this.attempts += 1;
        const shown = Math.min(10 * 2 ** (this.attempts - 1), 300);
        this.message = `back-off ${goDuration(shown)} restarting failed container=${this.spec.name} pod=${this.podLabel}`;
        this.nextAttemptAt = now + this.backOff(plan);
        events.push({
          type: 'Warning',
          reason: 'BackOff',
          message: `Back-off restarting failed container ${this.spec.name} in pod ${this.podLabel}`,
        });
      } else {
        this.state = 'terminated';
      }
    }
    return events;
  }

  private backOff(plan: ContainerPlan): number {
    return plan.backOffMs * 2 ** Math.min(this.attempts - 1, 5);
  }

  /** One pull attempt: true when the image is there. */
  private pull(plan: ContainerPlan, now: number, events: RuntimeEvent[]): boolean {
    const image = this.spec.image;
    if (plan.pullFailure === undefined) {
      this.pulled = true;
      events.push(
        { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` },
        {
          type: 'Normal',
          reason: 'Pulled',
          message: `Successfully pulled image "${image}" in 12ms (12ms including waiting). Image size: 0 bytes.`,
        },
      );
      return true;
    }
    if (this.reason === 'ErrImagePull') {
      this.reason = 'ImagePullBackOff';
      this.message = `Back-off pulling image "${image}": ErrImagePull: ${plan.pullFailure}`;
      this.attempts += 1;
      this.nextAttemptAt = now + this.backOff(plan);
      events.push(
        { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"` },
        { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
      );
    } else {
      this.reason = 'ErrImagePull';
      this.message = plan.pullFailure;
      // The first failure is reported at once; the back-off starts with the next one.
      this.nextAttemptAt = now + plan.backOffMs / 2;
      events.push(
        { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` },
        {
          type: 'Warning',
          reason: 'Failed',
          message: `Failed to pull image "${image}": ${plan.pullFailure}`,
        },
        { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
      );
    }
    return false;
  }

  /** This container's entry in `containerStatuses` (or `initContainerStatuses`). */
  status(plan: ContainerPlan, now: number): JsonObject {
    const terminatedState = (terminated: Terminated): JsonObject => ({
      terminated: {
        exitCode: terminated.exitCode,
        reason: terminated.reason,
        startedAt: timestamp(terminated.startedAt),
        finishedAt: timestamp(terminated.finishedAt),
        containerID: terminated.containerID,
      },
    });
    let state: JsonObject;
    if (this.state === 'running') state = { running: { startedAt: timestamp(this.startedAt) } };
    else if (this.state === 'terminated' && this.terminated) state = terminatedState(this.terminated);
    else state = { waiting: { reason: this.reason, ...(this.message ? { message: this.message } : {}) } };
    const status: JsonObject = {
      name: this.spec.name,
      state,
      lastState: this.lastTerminated ? terminatedState(this.lastTerminated) : {},
      ready: this.isReady(plan, now),
      restartCount: this.restartCount,
      image: this.spec.image,
      imageID: this.pulled ? imageId(this.spec.image) : '',
    };
    if (this.containerId) status.containerID = this.containerId;
    status.started = this.state === 'running';
    return status;
  }
}
