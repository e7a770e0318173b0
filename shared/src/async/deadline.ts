import { formatDuration } from '../formats/duration.ts';
import { DeadlineExceededError } from '../errors.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * One deadline for one long wait: created from the user's timeout input, passed down to every
 * retry and poll inside that wait, and reporting what was awaited when it passes.
 */
export class Deadline {
  readonly at: number;
  readonly what: string;
  readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(timeoutMs: number, what: string, clock: Clock = systemClock) {
    this.clock = clock;
    this.timeoutMs = timeoutMs;
    this.at = clock.now() + timeoutMs;
    this.what = what;
  }

  remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  expired(): boolean {
    return this.remaining() === 0;
  }

  /**
   * A signal for every call made under this deadline: it aborts with this deadline's error when the
   * deadline passes, or with `parent`'s reason when that aborts first.
   */
  signal(parent?: AbortSignal): AbortSignal {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(this.error()), this.remaining());
    // The deadline alone must not keep a finished action's process alive.
    timer.unref();
    controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    if (parent?.aborted) controller.abort(parent.reason);
    parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
    return controller.signal;
  }

  error(detail = ''): DeadlineExceededError {
    return new DeadlineExceededError(
      `Timed out after ${formatDuration(this.timeoutMs)} waiting for ${this.what}${detail ? `: ${detail}` : ''}.`,
    );
  }
}
