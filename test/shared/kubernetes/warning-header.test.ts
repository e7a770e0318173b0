import { describe, expect, it } from '@jest/globals';
import { parseWarningHeader } from '../../../shared/src/kubernetes/client/warning-header.ts';

describe('parseWarningHeader', () => {
  it.each([
    ['nothing', undefined, []],
    ['an empty value', '  ', []],
    [
      'one deprecation',
      '299 - "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+"',
      ['extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+'],
    ],
    [
      'two headers fetch joined with ", " (a comma inside the text stays)',
      '299 - "a, b", 299 - "c"',
      ['a, b', 'c'],
    ],
    ['escaped quotes and backslashes', String.raw`299 - "field \"x\" at C:\\dir"`, ['field "x" at C:\\dir']],
    [
      'a date after the text',
      '299 apiserver "text" "Sat, 01 Jan 2000 00:00:00 GMT", 299 - "next"',
      ['text', 'next'],
    ],
    ['text that is not a warning-value, kept whole', 'something odd', ['something odd']],
    ['an unterminated quote, kept whole', '299 - "never closed', ['299 - "never closed']],
  ])('%s', (_label, value, expected) => {
    expect(parseWarningHeader(value)).toEqual(expected);
  });
});
