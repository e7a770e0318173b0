import { describe, expect, it } from '@jest/globals';
import {
  dayBucket,
  hourBucket,
  isoWeek,
  monthBucket,
  weekBucket,
  yearBucket,
} from '../../../shared/src/retention/buckets.ts';

/** Go's time.ISOWeek and restic's bucket numbers, in UTC whatever the machine's time zone. */

describe('isoWeek', () => {
  it.each([
    ['2014-12-29', 2015, 1],
    ['2016-01-01', 2015, 53],
    ['2016-01-03', 2015, 53],
    ['2016-01-04', 2016, 1],
    ['2020-12-31', 2020, 53],
    ['2021-01-03', 2020, 53],
    ['2021-01-04', 2021, 1],
    ['2024-12-30', 2025, 1],
    ['2018-12-31', 2019, 1],
    ['2026-06-15', 2026, 25],
  ])('%s is in week %i-W%i', (day, year, week) => {
    expect(isoWeek(Date.parse(`${day}T12:00:00Z`))).toEqual({ year, week });
  });
});

describe('buckets', () => {
  const time = Date.parse('2016-01-03T23:59:59.999Z');
  it('name hour, day, ISO week, month and year in UTC', () => {
    expect(hourBucket(time, 0)).toBe(2016010323);
    expect(dayBucket(time, 0)).toBe(20160103);
    expect(weekBucket(time, 0)).toBe(201553);
    expect(monthBucket(time, 0)).toBe(201601);
    expect(yearBucket(time, 0)).toBe(2016);
  });

  it('put 23:30 at UTC-5 on the next UTC day', () => {
    expect(dayBucket(Date.parse('2016-01-03T23:30:00-05:00'), 0)).toBe(20160104);
  });
});
