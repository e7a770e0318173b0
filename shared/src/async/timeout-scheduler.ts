import { performance } from 'node:perf_hooks';

/**
 * Fires per-request timeouts with one timer for all of them, set for the earliest deadline. A timer
 * per request costs more than a whole request to a fast service (smoke-test samples thousands); with
 * equal timeouts every new deadline is later than the armed one, so arming is rare.
 */
interface Pending {
  at: number;
  onTimeout: () => void;
}

export class TimeoutScheduler {
  private readonly pending = new Set<Pending>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Calls `onTimeout` once `timeoutMs` have passed, unless the returned function is called first. */
  schedule(timeoutMs: number, onTimeout: () => void): () => void {
    const entry: Pending = { at: performance.now() + timeoutMs, onTimeout };
    this.pending.add(entry);
    if (entry.at < this.timerAt) this.arm(entry.at);
    return () => {
      this.pending.delete(entry);
      if (this.pending.size === 0) this.disarm();
    };
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.pending) {
      if (entry.at <= now) {
        this.pending.delete(entry);
        entry.onTimeout();
      } else {
        next = Math.min(next, entry.at);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}
