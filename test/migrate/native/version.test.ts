import { describe, expect, it } from '@jest/globals';
import {
  compareVersions,
  parseVersion,
  type Version,
} from '../../../actions/migrate/src/native/files/version.ts';

function version(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test setup: ${text} is not a version`);
  return parsed;
}

describe('parseVersion', () => {
  it.each([
    ['1', '1', '1'],
    ['1_2', '1.2', '1.2'],
    ['1.2.3', '1.2.3', '1.2.3'],
    ['001', '001', '1'],
    ['1.0', '1.0', '1'],
    ['1_0_0', '1.0.0', '1'],
    ['2024_01_15', '2024.01.15', '2024.1.15'],
    ['20240115093000', '20240115093000', '20240115093000'],
    ['0', '0', '0'],
    // One whole number without leading zeros: its own text and key, trailing zero digits kept.
    ['10', '10', '10'],
    ['100', '100', '100'],
    ['007', '007', '7'],
  ])('%s is shown as %s and identified as %s', (raw, text, key) => {
    expect(parseVersion(raw)).toEqual({ text, key });
  });

  it.each(['', 'a', '1a', '1..2', '1.', '.1', '1-2', 'v1', ' 1', '1__2'])('rejects %j', (raw) => {
    expect(parseVersion(raw)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it.each([
    ['1', '2', -1],
    ['1.9', '1.10', -1],
    ['1.10', '1.9', 1],
    ['2', '1.99', 1],
    ['1', '1.0', 0],
    ['1.0.1', '1', 1],
    ['01.2', '1.2', 0],
    ['9', '10', -1],
    ['99999999999999999999', '100000000000000000000', -1],
    ['20240115093000', '20240115093001', -1],
    // One whole number on each side: compared without splitting into parts.
    ['007', '7', 0],
    ['010', '9', 1],
    ['1.0.0', '1', 0],
    ['2', '10.0', -1],
    ['100', '99', 1],
  ])('%s vs %s is %i', (a, b, order) => {
    expect(Math.sign(compareVersions(version(a), version(b)))).toBe(order);
  });

  it('sorts like Flyway', () => {
    const sorted = ['10', '1.1', '2', '1', '1.10', '1.2'].map(version).sort(compareVersions);
    expect(sorted.map((each) => each.text)).toEqual(['1', '1.1', '1.2', '1.10', '2', '10']);
  });
});
