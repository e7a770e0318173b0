import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration } from '../../../shared/src/formats/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2d', 172_800_000],
    ['1m30s', 90_000],
    ['5ms', 5],
    ['30', 30_000],
    ['1.5', 1500],
    ['0', 0],
    ['0s', 0],
    ['  90s  ', 90_000],
    ['\t5m\n', 300_000],
    [' 30 ', 30_000],
  ])('%p is %p ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each([
    ['5x'],
    ['m'],
    ['-1s'],
    ['-1'],
    ['1h 30m'],
    ['1.2.3s'],
    ['1.2.3'],
    [''],
    ['   '],
    ['s5'],
    ['5 s'],
    ['.5s'],
    ['5S'],
    ['1h30'],
    ['abc'],
  ])('%p is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('does not carry state between calls (the sticky regular expression is reset)', () => {
    expect(parseDuration('1h5x')).toBeUndefined();
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('10s')).toBe(10_000);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [90_500, '1m30.5s'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3_601_000, '1h1s'],
    [86_400_000, '24h'],
    [59_999, '1m'],
  ])('%p ms is %p', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it.each([0, 1, 250, 999, 1000, 1500, 90_000, 90_500, 300_000, 3_600_000, 5_400_000, 5_415_300, 86_400_000])(
    'parseDuration(formatDuration(%p)) gives the value back',
    (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    },
  );

  it.each(['90s', '5m', '1h30m', '250ms', '1.5s', '2h0m5s'])(
    '%p survives parse then format then parse',
    (text) => {
      const ms = parseDuration(text);
      expect(ms).toBeDefined();
      expect(parseDuration(formatDuration(ms as number))).toBe(ms);
    },
  );
});
