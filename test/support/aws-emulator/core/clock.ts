import type { Operation } from './protocol.ts';

/**
 * The emulator's time: the wall clock while running, frozen while paused, and moved on at once by
 * `advance`, so a test can either watch tasks progress in real time or step them deterministically.
 * Simulated work (ECS tasks and services) is not driven by timers: whatever follows the clock catches
 * up to `now()` when asked, which every request and every state read does first. Nothing runs
 * between requests, so an idle emulator costs nothing and has nothing to leak.
 */
export class SimulatedClock {
  private offsetMs = 0;
  private pausedAt: number | undefined;
  private readonly followers: (() => void)[] = [];
  private catchingUp = false;

  /** Epoch milliseconds, never going backwards. */
  now(): number {
    return (this.pausedAt ?? Date.now()) + this.offsetMs;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  /** Freezes time: nothing simulated changes until `advance` or `resume`. */
  pause(): void {
    this.pausedAt ??= Date.now();
  }

  /** Lets time flow again from where it stood (no jump over the paused interval). */
  resume(): void {
    if (this.pausedAt === undefined) return;
    this.offsetMs -= Date.now() - this.pausedAt;
    this.pausedAt = undefined;
  }

  /** Moves time on by `ms`, paused or not, and brings everything simulated up to the new time. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new Error(`clock.advance needs a duration of 0 ms or more, not ${ms}`);
    this.offsetMs += ms;
    this.catchUp();
  }

  /** Registers simulated work that must be brought up to `now()` before anyone looks at it. */
  follow(catchUp: () => void): void {
    this.followers.push(catchUp);
  }

  /** Brings every follower up to `now()`; a follower that reads state meanwhile does not recurse. */
  catchUp(): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (const follower of this.followers) follower();
    } finally {
      this.catchingUp = false;
    }
  }
}

/** Operations that first bring simulated work up to now, so every answer reflects the current time. */
export function catchingUp(
  clock: SimulatedClock,
  operations: Record<string, Operation>,
): Record<string, Operation> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      (input, context) => {
        clock.catchUp();
        return operation(input, context);
      },
    ]),
  );
}
