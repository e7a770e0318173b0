import { describe, expect, it } from '@jest/globals';
import { compileDateFormat, formatDate } from '../../../actions/build-push/src/metadata/date-format.ts';

const FRIDAY = new Date('2020-01-10T15:25:50.123Z');

function format(pattern: string, date = FRIDAY, timeZone = 'UTC'): string {
  const compiled = compileDateFormat(pattern);
  if (!compiled.ok) throw new Error(compiled.reason);
  return formatDate(date, compiled.value, timeZone);
}

describe('formatDate (moment tokens)', () => {
  it.each([
    // README {{date}} table
    ['YYYYMMDD', '20200110'],
    ['dddd, MMMM Do YYYY, h:mm:ss a', 'Friday, January 10th 2020, 3:25:50 pm'],
    ['YYYY-MM-DDTHH:mm:ss.SSS[Z]', '2020-01-10T15:25:50.123Z'],
    ['YY Y M MM MMM D DD DDD DDDD', '20 2020 1 01 Jan 10 10 10 010'],
    ['d do dd ddd E', '5 5th Fr Fri 5'],
    ['Q Qo Mo DDDo', '1 1st 1st 10th'],
    ['H HH h hh k kk A a', '15 15 3 03 15 15 PM pm'],
    ['m mm s ss S SS SSS SSSS', '25 25 50 50 1 12 123 1230'],
    ['X x', '1578669950 1578669950123'],
    ['Z ZZ', '+00:00 +0000'],
    ['[YYYY] \\Y [week] W', 'YYYY Y week 2'],
    ['YYYYY YYYYYY', '02020 +002020'],
    ['Hmmss hmm', '152550 325'],
  ])('%s', (pattern, expected) => {
    expect(format(pattern)).toBe(expected);
  });

  it.each([
    // ISO week-numbering years differ from calendar years around New Year
    ['2021-01-03T12:00:00Z', 'GGGG-[W]WW-E', '2020-W53-7'],
    ['2024-12-30T12:00:00Z', 'GGGG-[W]WW-E GG Wo', '2025-W01-1 25 1st'],
    ['2020-12-31T12:00:00Z', 'DDD DDDD', '366 366'],
    ['2020-01-01T00:00:00Z', 'h A k', '12 AM 24'],
    ['2020-01-11T12:00:00Z', 'Do', '11th'],
    ['2020-01-22T12:00:00Z', 'Do', '22nd'],
    ['2020-01-23T12:00:00Z', 'Do', '23rd'],
  ])('%s as %s', (iso, pattern, expected) => {
    expect(format(pattern, new Date(iso))).toBe(expected);
  });

  it.each([
    // meta.test.ts schedule08 / README: Asia/Tokyo is UTC+9
    ['Asia/Tokyo', '2020-01-10T00:30:00Z', 'YYYYMMDD-HHmmss Z', '20200110-093000 +09:00'],
    ['America/New_York', '2020-01-10T00:30:00Z', 'YYYY-MM-DD HH:mm ZZ', '2020-01-09 19:30 -0500'],
    ['America/New_York', '2020-07-10T00:30:00Z', 'YYYY-MM-DD HH:mm Z', '2020-07-09 20:30 -04:00'],
    ['Asia/Kolkata', '2020-01-10T00:30:00Z', 'HH:mm Z', '06:00 +05:30'],
    ['Etc/UTC', '2020-01-10T00:30:00Z', 'HH:mm Z', '00:30 +00:00'],
  ])('in %s', (timeZone, iso, pattern, expected) => {
    expect(format(pattern, new Date(iso), timeZone)).toBe(expected);
  });

  it.each(['w', 'ww', 'e', 'gggg', 'GGGGG', 'N', 'z', 'LT', 'l', 'y'])(
    'refuses the unsupported token %s',
    (pattern) => {
      const compiled = compileDateFormat(pattern);
      expect(compiled).toEqual({ ok: false, reason: expect.stringContaining('is not supported') });
    },
  );
});
