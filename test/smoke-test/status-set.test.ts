import { describe, expect, it } from '@jest/globals';
import { parseStatusSet, statusMatches } from '../../shared/src/smoke-checks/status-set.ts';

describe('parseStatusSet', () => {
  it.each<[unknown, [number, number][], string]>([
    ['200', [[200, 200]], '200'],
    [200, [[200, 200]], '200'],
    ['200-299', [[200, 299]], '200-299'],
    ['200 - 299', [[200, 299]], '200-299'],
    [
      '200, 301-302',
      [
        [200, 200],
        [301, 302],
      ],
      '200, 301-302',
    ],
    [
      '200 204\n301-302',
      [
        [200, 200],
        [204, 204],
        [301, 302],
      ],
      '200, 204, 301-302',
    ],
    ['100-599', [[100, 599]], '100-599'],
    [
      [200, '301-302', 404],
      [
        [200, 200],
        [301, 302],
        [404, 404],
      ],
      '200, 301-302, 404',
    ],
    ['204-204', [[204, 204]], '204'],
  ])('parses %j', (value, ranges, text) => {
    expect(parseStatusSet(value)).toEqual({ ranges, text });
  });

  it.each<[string, unknown]>([
    ['a word', 'abc'],
    ['a status above 599', '600'],
    ['a status below 100', '99'],
    ['a number below 100', 99],
    ['a reversed range', '299-200'],
    ['an open range', '200-'],
    ['a range with three parts', '200-250-299'],
    ['a four-digit status', '2000'],
    ['a decimal', '200.5'],
    ['an empty string', ''],
    ['only separators', ' , '],
    ['an empty list', []],
    ['a nested list', [[200]]],
    ['a list with a bad item', [200, 'ok']],
    ['a mapping', { status: 200 }],
    ['a boolean', true],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    expect(parseStatusSet(value)).toBeUndefined();
  });
});

describe('statusMatches', () => {
  const set = parseStatusSet('200, 301-302') as NonNullable<ReturnType<typeof parseStatusSet>>;

  it.each([
    [200, true],
    [301, true],
    [302, true],
    [201, false],
    [300, false],
    [303, false],
    [503, false],
  ])('%i -> %s', (status, expected) => {
    expect(statusMatches(set, status)).toBe(expected);
  });

  it('includes both ends of a range', () => {
    const range = parseStatusSet('200-299') as NonNullable<ReturnType<typeof parseStatusSet>>;
    expect([199, 200, 299, 300].map((status) => statusMatches(range, status))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});
