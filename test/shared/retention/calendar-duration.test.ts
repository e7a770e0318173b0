import { describe, expect, it } from '@jest/globals';
import {
  formatCalendarDuration,
  parseCalendarDuration,
  pastTime,
} from '../../../shared/src/retention/calendar-duration.ts';

/** restic's TestParseDuration and TestPastTime (internal/restic/duration_test.go), plus month ends. */

describe('parseCalendarDuration', () => {
  it.each([
    ['9h', { years: 0, months: 0, days: 0, hours: 9 }, '9h'],
    ['3d', { years: 0, months: 0, days: 3, hours: 0 }, '3d'],
    ['4d2h', { years: 0, months: 0, days: 4, hours: 2 }, '4d2h'],
    ['7m5d', { years: 0, months: 7, days: 5, hours: 0 }, '7m5d'],
    ['6m4d8h', { years: 0, months: 6, days: 4, hours: 8 }, '6m4d8h'],
    ['5d7m', { years: 0, months: 7, days: 5, hours: 0 }, '7m5d'],
    ['4h3d9m', { years: 0, months: 9, days: 3, hours: 4 }, '9m3d4h'],
    ['-7m5d', { years: 0, months: -7, days: 5, hours: 0 }, '-7m5d'],
    ['1y4m-5d-3h', { years: 1, months: 4, days: -5, hours: -3 }, '1y4m-5d-3h'],
    ['2y7m-5d', { years: 2, months: 7, days: -5, hours: 0 }, '2y7m-5d'],
    ['1y6m3d12h', { years: 1, months: 6, days: 3, hours: 12 }, '1y6m3d12h'],
    [' 5d ', { years: 0, months: 0, days: 5, hours: 0 }, '5d'],
  ])('%s is %o, shown as %s', (text, parts, shown) => {
    const duration = parseCalendarDuration(text);
    expect(duration).toEqual(parts);
    expect(formatCalendarDuration(duration!)).toBe(shown);
  });

  it.each([
    ['a unit restic does not know', '2w'],
    ['an unknown unit among known ones', '1y4m3w1d'],
    ['no number', 's'],
    ['a number without a unit', '12'],
    ['a unit without a number after a part', '1dh'],
    ['a space inside', '1d 2h'],
    ['nothing', ''],
    ['a double minus', '--5d'],
  ])('refuses %s (%p)', (_label, text) => {
    expect(parseCalendarDuration(text)).toBeUndefined();
  });
});

describe('pastTime', () => {
  it('goes back 1y2m3d4h from 1999-12-30 15:16:17 to 1998-10-27 11:16:17 (restic TestPastTime)', () => {
    const from = Date.parse('1999-12-30T15:16:17Z');
    const duration = parseCalendarDuration('1y2m3d4h')!;
    expect(new Date(pastTime(from, duration)).toISOString()).toBe('1998-10-27T11:16:17.000Z');
  });

  it("normalises a day the month lacks as Go's AddDate: 31 March minus a month is 2 March in a leap year", () => {
    const from = Date.parse('2016-03-31T10:00:00Z');
    expect(new Date(pastTime(from, parseCalendarDuration('1m')!)).toISOString()).toBe(
      '2016-03-02T10:00:00.000Z',
    );
  });

  it('takes hours off after the calendar parts, across a day boundary', () => {
    const from = Date.parse('2016-01-01T01:00:00Z');
    expect(new Date(pastTime(from, parseCalendarDuration('1d2h')!)).toISOString()).toBe(
      '2015-12-30T23:00:00.000Z',
    );
  });
});
