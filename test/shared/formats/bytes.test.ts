import { describe, expect, it } from '@jest/globals';
import { formatBytes } from '../../../shared/src/formats/bytes.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [357_040_128, '340.5 MiB'],
    [2 * 1024 ** 3, '2.0 GiB'],
    [3 * 1024 ** 5, '3072.0 TiB'],
    [100.4, '100 B'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
