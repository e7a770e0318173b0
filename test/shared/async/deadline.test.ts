import { describe, expect, it } from '@jest/globals';
import { Deadline, systemClock } from '../../../shared/src/async/deadline.ts';
import { DeadlineExceededError } from '../../../shared/src/errors.ts';
import { FakeClock } from '../helpers.ts';

describe('Deadline', () => {
  it('counts down with the clock and expires at the end', () => {
    const clock = new FakeClock(5_000);
    const deadline = new Deadline(60_000, 'the rollout of web', clock);
    expect(deadline.at).toBe(65_000);
    expect(deadline.remaining()).toBe(60_000);
    expect(deadline.expired()).toBe(false);
    clock.advance(59_999);
    expect(deadline.remaining()).toBe(1);
    expect(deadline.expired()).toBe(false);
    clock.advance(1);
    expect(deadline.remaining()).toBe(0);
    expect(deadline.expired()).toBe(true);
    clock.advance(10_000);
    expect(deadline.remaining()).toBe(0);
    expect(deadline.expired()).toBe(true);
  });

  it('a zero timeout is expired at once', () => {
    expect(new Deadline(0, 'x', new FakeClock()).expired()).toBe(true);
  });

  it.each([
    [600_000, '', 'Timed out after 10m waiting for the rollout of web.'],
    [90_000, '2 of 3 pods ready', 'Timed out after 1m30s waiting for the rollout of web: 2 of 3 pods ready.'],
    [1500, '', 'Timed out after 1.5s waiting for the rollout of web.'],
  ])('error() after %p ms with detail %p says what it waited for', (timeoutMs, detail, message) => {
    const error = new Deadline(timeoutMs, 'the rollout of web', new FakeClock()).error(detail);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toBe(message);
  });

  it('uses the system clock by default', () => {
    const before = Date.now();
    const deadline = new Deadline(1000, 'x');
    expect(deadline.at).toBeGreaterThanOrEqual(before + 1000);
    expect(deadline.at).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(50);
  });

  describe('signal', () => {
    it('aborts with the deadline error when the deadline passes', async () => {
      const signal = new Deadline(30, 'the rollback of 2 workload(s)').signal();
      expect(signal.aborted).toBe(false);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      expect(signal.reason).toBeInstanceOf(DeadlineExceededError);
      expect((signal.reason as Error).message).toBe(
        'Timed out after 30ms waiting for the rollback of 2 workload(s).',
      );
    });

    it("aborts with the parent's reason when the parent aborts first, or already has", () => {
      const parent = new AbortController();
      const signal = new Deadline(60_000, 'anything').signal(parent.signal);
      const reason = new Error('Cancelled by SIGINT.');
      parent.abort(reason);
      expect(signal.reason).toBe(reason);
      expect(new Deadline(60_000, 'anything').signal(parent.signal).reason).toBe(reason);
    });
  });
});
