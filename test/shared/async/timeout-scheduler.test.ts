import { describe, expect, it } from '@jest/globals';
import { setTimeout as delay } from 'node:timers/promises';
import { TimeoutScheduler } from '../../../shared/src/async/timeout-scheduler.ts';

describe('TimeoutScheduler', () => {
  it('fires a timeout once its time has passed', async () => {
    const scheduler = new TimeoutScheduler();
    const fired: string[] = [];
    scheduler.schedule(20, () => fired.push('a'));
    expect(fired).toEqual([]);
    await delay(60);
    expect(fired).toEqual(['a']);
  });

  it('does not fire a cancelled timeout', async () => {
    const scheduler = new TimeoutScheduler();
    const fired: string[] = [];
    const cancel = scheduler.schedule(20, () => fired.push('a'));
    cancel();
    await delay(60);
    expect(fired).toEqual([]);
  });

  it('fires each timeout at its own time, whatever the order they were scheduled in', async () => {
    const scheduler = new TimeoutScheduler();
    const fired: string[] = [];
    scheduler.schedule(120, () => fired.push('late'));
    scheduler.schedule(20, () => fired.push('early'));
    scheduler.schedule(60, () => fired.push('middle'));
    await delay(90);
    expect(fired).toEqual(['early', 'middle']);
    await delay(90);
    expect(fired).toEqual(['early', 'middle', 'late']);
  });

  it('keeps firing the rest when one of several is cancelled', async () => {
    const scheduler = new TimeoutScheduler();
    const fired: string[] = [];
    const cancelFirst = scheduler.schedule(20, () => fired.push('first'));
    scheduler.schedule(40, () => fired.push('second'));
    cancelFirst();
    await delay(90);
    expect(fired).toEqual(['second']);
  });

  it('calls each timeout once, and cancelling after it fired does nothing', async () => {
    const scheduler = new TimeoutScheduler();
    let calls = 0;
    const cancel = scheduler.schedule(10, () => calls++);
    await delay(50);
    cancel();
    await delay(30);
    expect(calls).toBe(1);
  });
});
