import { describe, expect, it } from '@jest/globals';
import { mapConcurrent } from '../../../shared/src/async/concurrency.ts';
import { sleep } from '../../../shared/src/async/sleep.ts';

/** Runs `mapConcurrent` over work items that each take `ms`, measuring how many ran at once. */
async function measure(
  count: number,
  limit: number,
  ms: (index: number) => number = () => 5,
): Promise<{ results: number[]; peak: number; started: number[] }> {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const items = Array.from({ length: count }, (_, i) => i);
  const results = await mapConcurrent(items, limit, async (item, index) => {
    expect(index).toBe(item);
    started.push(index);
    running++;
    peak = Math.max(peak, running);
    await sleep(ms(index));
    running--;
    return item * 10;
  });
  return { results, peak, started };
}

describe('mapConcurrent', () => {
  it.each([
    [10, 3, 3],
    [10, 1, 1],
    [4, 10, 4],
    [6, 6, 6],
  ])('%p items with limit %p run at most %p at once, results in input order', async (count, limit, peak) => {
    // Later items finish first, so order comes from the index and not from completion.
    const measured = await measure(count, limit, (index) => (count - index) * 2);
    expect(measured.results).toEqual(Array.from({ length: count }, (_, i) => i * 10));
    expect(measured.peak).toBe(peak);
    expect(measured.started).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it.each([[0], [-1]])('treats a limit of %p as 1', async (limit) => {
    const measured = await measure(3, limit);
    expect(measured.peak).toBe(1);
    expect(measured.results).toEqual([0, 10, 20]);
  });

  it('returns an empty array for no items without calling fn', async () => {
    let calls = 0;
    await expect(
      mapConcurrent([], 4, async () => {
        calls++;
      }),
    ).resolves.toEqual([]);
    expect(calls).toBe(0);
  });

  it('rethrows the first error after the running ones settle, and starts nothing new', async () => {
    const first = new Error('item 1 failed');
    const settled: number[] = [];
    const started: number[] = [];
    const promise = mapConcurrent([0, 1, 2, 3, 4, 5], 3, async (item) => {
      started.push(item);
      if (item === 1) {
        await sleep(5);
        throw first;
      }
      if (item === 2) {
        await sleep(15);
        settled.push(item);
        throw new Error('item 2 failed later');
      }
      await sleep(item === 0 ? 40 : 5);
      settled.push(item);
      return item;
    });
    await expect(promise).rejects.toBe(first);
    // 0 and 2 were running when 1 failed: both had settled before the rejection arrived (0 takes 40 ms).
    expect(settled).toEqual([2, 0]);
    // After the failure no worker takes new items.
    expect(started).toEqual([0, 1, 2]);
  });

  it('catches a function that throws synchronously', async () => {
    const error = new Error('sync');
    await expect(
      mapConcurrent([1, 2], 2, (item) => {
        if (item === 2) throw error;
        return Promise.resolve(item);
      }),
    ).rejects.toBe(error);
  });
});
