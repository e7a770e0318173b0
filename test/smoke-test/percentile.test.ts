import { describe, expect, it } from '@jest/globals';
import { percentile } from '../../shared/src/smoke-checks/percentile.ts';

describe('percentile (nearest rank)', () => {
  it('is undefined without values', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([], 95)).toBeUndefined();
  });

  it('is the only value of a single sample for any percentile', () => {
    expect([0, 1, 50, 95, 100].map((p) => percentile([42], p))).toEqual([42, 42, 42, 42, 42]);
  });

  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 1],
    [[15, 20, 35, 40, 50], 30, 20],
    [[15, 20, 35, 40, 50], 40, 20],
    [[15, 20, 35, 40, 50], 50, 35],
    [[15, 20, 35, 40, 50], 100, 50],
  ])('of %j at p%i is %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('p95 of 20 samples is the 19th smallest, so one outlier does not decide it', () => {
    const values = [...Array.from({ length: 19 }, (_, i) => 100 + i), 5000];
    expect(percentile(values, 95)).toBe(118);
    expect(percentile(values, 100)).toBe(5000);
  });

  it('p95 of 3 samples is the slowest one', () => {
    expect(percentile([10, 900, 20], 95)).toBe(900);
  });

  it('sorts numerically, not as strings, and leaves its input alone', () => {
    const values = [100, 9, 20];
    expect(percentile(values, 50)).toBe(20);
    expect(percentile(values, 0)).toBe(9);
    expect(values).toEqual([100, 9, 20]);
  });

  it('handles fractional latencies', () => {
    expect(percentile([1.5, 0.25, 3.75], 50)).toBe(1.5);
  });
});
