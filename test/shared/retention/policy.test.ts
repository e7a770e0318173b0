import { describe, expect, it } from '@jest/globals';
import { parseCalendarDuration } from '../../../shared/src/retention/calendar-duration.ts';
import { applyRetention, isEmptyPolicy, type RetentionPolicy } from '../../../shared/src/retention/policy.ts';
import { RESTIC_TIMES, utc } from './restic-snapshots.ts';

/**
 * The retention decision against restic's own expectations: the snapshot list of TestApplyPolicy
 * and the golden files internal/restic/testdata/policy_keep_snapshots_N (N in each test name),
 * as restic keeps them since it keeps the oldest snapshot (0.16) and says why (`oldest …`, 0.17.2).
 * Then Gantry's own cases: years of daily backups with gaps, each rule alone and combined.
 */

const NONE: RetentionPolicy = { last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };

function policy(
  rules: Partial<Omit<RetentionPolicy, `within${string}`>> & Record<string, unknown>,
): RetentionPolicy {
  const result: RetentionPolicy = { ...NONE };
  for (const [name, value] of Object.entries(rules)) {
    (result as unknown as Record<string, unknown>)[name] =
      typeof value === 'string' ? parseCalendarDuration(value) : value;
  }
  return result;
}

/** `[time, reasons]` of each kept backup, newest first, times as restic's test writes them. */
function decide(times: string[], rules: RetentionPolicy): [string, string][] {
  const decision = applyRetention(times, utc, rules);
  expect(decision.keep.length + decision.remove.length).toBe(times.length);
  return decision.keep.map(({ item, reasons }) => [item, reasons.join(', ')]);
}

describe("restic's TestApplyPolicy", () => {
  it('keeps 7 daily, 2 weekly, 3 monthly, 10 yearly and, with yearly count left, the oldest (17)', () => {
    expect(decide(RESTIC_TIMES, policy({ daily: 7, weekly: 2, monthly: 3, yearly: 10 }))).toEqual([
      ['2016-01-18 12:02:03', 'daily 1, weekly 1, monthly 1, yearly 1'],
      ['2016-01-12 21:08:03', 'daily 2, weekly 2'],
      ['2016-01-09 21:02:03', 'daily 3'],
      ['2016-01-08 20:02:03', 'daily 4'],
      ['2016-01-07 10:02:03', 'daily 5'],
      ['2016-01-06 08:02:03', 'daily 6'],
      ['2016-01-05 09:02:03', 'daily 7'],
      ['2015-11-22 10:20:30', 'monthly 2, yearly 2'],
      ['2015-10-22 10:20:30', 'monthly 3'],
      ['2014-11-22 10:20:30', 'yearly 3'],
      ['2014-08-08 10:20:30', 'oldest yearly 4'],
    ]);
  });

  it('keeps every within-bucket rule at once, measured back from the newest backup (35)', () => {
    const rules = policy({
      within: '1h',
      withinHourly: '1d',
      withinDaily: '7d',
      withinWeekly: '1m',
      withinMonthly: '1y',
      withinYearly: '9999y',
    });
    expect(decide(RESTIC_TIMES, rules)).toEqual([
      [
        '2016-01-18 12:02:03',
        'within 1h, hourly within 1d, daily within 7d, weekly within 1m, monthly within 1y, yearly within 9999y',
      ],
      ['2016-01-12 21:08:03', 'daily within 7d, weekly within 1m'],
      ['2016-01-09 21:02:03', 'weekly within 1m'],
      ['2016-01-03 07:02:03', 'weekly within 1m'],
      ['2015-11-22 10:20:30', 'monthly within 1y, yearly within 9999y'],
      ['2015-10-22 10:20:30', 'monthly within 1y'],
      ['2015-09-22 10:20:30', 'monthly within 1y'],
      ['2015-08-22 10:20:30', 'monthly within 1y'],
      ['2014-11-22 10:20:30', 'yearly within 9999y'],
      ['2014-08-08 10:20:30', 'oldest yearly within 9999y'],
    ]);
  });

  it('keeps 3 daily, 2 weekly and unlimited monthly and yearly (39)', () => {
    expect(decide(RESTIC_TIMES, policy({ daily: 3, weekly: 2, monthly: -1, yearly: -1 }))).toEqual([
      ['2016-01-18 12:02:03', 'daily 1, weekly 1, monthly, yearly'],
      ['2016-01-12 21:08:03', 'daily 2, weekly 2'],
      ['2016-01-09 21:02:03', 'daily 3'],
      ['2015-11-22 10:20:30', 'monthly, yearly'],
      ['2015-10-22 10:20:30', 'monthly'],
      ['2015-09-22 10:20:30', 'monthly'],
      ['2015-08-22 10:20:30', 'monthly'],
      ['2014-11-22 10:20:30', 'monthly, yearly'],
      ['2014-10-22 10:20:30', 'monthly'],
      ['2014-09-22 10:20:30', 'monthly'],
      ['2014-08-22 10:20:30', 'monthly'],
      ['2014-08-08 10:20:30', 'oldest monthly, oldest yearly'],
    ]);
  });

  it('keeps every backup with keep-last -1, equal times in the given order (36)', () => {
    const kept = decide(RESTIC_TIMES, policy({ last: -1 }));
    expect(kept).toHaveLength(RESTIC_TIMES.length);
    expect(kept.every(([, reasons]) => reasons === 'last')).toBe(true);
    expect(kept.map(([time]) => time)).toEqual([...RESTIC_TIMES].sort((a, b) => utc(b) - utc(a)));
  });

  it('keeps the newest backup of every hour with keep-hourly -1 (38)', () => {
    const kept = decide(RESTIC_TIMES, policy({ hourly: -1 }));
    const hours = new Set(RESTIC_TIMES.map((time) => time.slice(0, 13)));
    // One per distinct hour; the oldest is alone in its hour, so it needs no oldest rule.
    expect(kept).toHaveLength(hours.size);
    expect(kept.slice(0, 4)).toEqual([
      ['2016-01-18 12:02:03', 'hourly'],
      ['2016-01-12 21:08:03', 'hourly'],
      ['2016-01-09 21:02:03', 'hourly'],
      ['2016-01-08 20:02:03', 'hourly'],
    ]);
    expect(kept.map(([time]) => time)).not.toContain('2016-01-12 21:02:03');
  });

  it.each([
    ['1d', 1],
    ['2d', 1],
    ['7d', 3],
    ['13d23h', 9],
  ])('keeps what is strictly newer than the newest minus %s (21-27): %i backups', (within, count) => {
    const kept = decide(RESTIC_TIMES, policy({ within }));
    expect(kept).toHaveLength(count);
    expect(kept.every(([, reasons]) => reasons === `within ${within}`)).toBe(true);
  });

  it('keeps 3 daily, and no oldest once the count is used up (6)', () => {
    expect(decide(RESTIC_TIMES, policy({ daily: 3 }))).toEqual([
      ['2016-01-18 12:02:03', 'daily 1'],
      ['2016-01-12 21:08:03', 'daily 2'],
      ['2016-01-09 21:02:03', 'daily 3'],
    ]);
  });

  it('keeps everything, with its reason, for an empty policy (0), which Gantry refuses earlier', () => {
    expect(isEmptyPolicy(NONE)).toBe(true);
    expect(isEmptyPolicy(policy({ within: '0d' }))).toBe(true);
    expect(isEmptyPolicy(policy({ yearly: -1 }))).toBe(false);
    expect(decide(RESTIC_TIMES.slice(0, 2), NONE)).toEqual([
      ['2014-09-02 10:20:30', 'policy is empty'],
      ['2014-09-01 10:20:30', 'policy is empty'],
    ]);
  });
});

/** Daily backups at 02:00 UTC from `from` to `to`, without the days in `gaps` (inclusive ranges). */
function dailyBackups(from: string, to: string, gaps: [string, string][] = []): string[] {
  const times: string[] = [];
  for (let day = utc(`${from} 02:00:00`); day <= utc(`${to} 02:00:00`); day += 86_400_000) {
    const text = new Date(day).toISOString().slice(0, 10);
    if (gaps.some(([start, end]) => text >= start && text <= end)) continue;
    times.push(`${text} 02:00:00`);
  }
  return times;
}

describe('years of backups with gaps', () => {
  // 2022-03-15 .. 2025-06-30, with a month-long outage and a lost week around New Year.
  const history = dailyBackups('2022-03-15', '2025-06-30', [
    ['2024-02-01', '2024-02-29'],
    ['2024-12-28', '2025-01-05'],
  ]);

  it('keeps 30 daily, 12 weekly and 12 monthly: the seed deployment’s policy', () => {
    const decision = applyRetention(history, utc, policy({ daily: 30, weekly: 12, monthly: 12 }));
    const kept = decision.keep.map(({ item }) => item.slice(0, 10));
    const daily = decision.keep.filter(({ reasons }) => reasons.some((r) => /^daily/.test(r)));
    const weekly = decision.keep.filter(({ reasons }) => reasons.some((r) => /^weekly/.test(r)));
    const monthly = decision.keep.filter(({ reasons }) => reasons.some((r) => /^monthly/.test(r)));
    expect(daily.map(({ item }) => item.slice(0, 10))).toEqual(
      dailyBackups('2025-06-01', '2025-06-30')
        .reverse()
        .map((t) => t.slice(0, 10)),
    );
    // Sundays: the newest backup of each ISO week; the week of 2025-06-30 (a Monday) is the first.
    expect(weekly.map(({ item }) => item.slice(0, 10))).toEqual([
      '2025-06-30',
      '2025-06-29',
      '2025-06-22',
      '2025-06-15',
      '2025-06-08',
      '2025-06-01',
      '2025-05-25',
      '2025-05-18',
      '2025-05-11',
      '2025-05-04',
      '2025-04-27',
      '2025-04-20',
    ]);
    // Month ends, except February 2024, which has no backup and so no bucket: 12 months reach further back.
    expect(monthly.map(({ item }) => item.slice(0, 10))).toEqual([
      '2025-06-30',
      '2025-05-31',
      '2025-04-30',
      '2025-03-31',
      '2025-02-28',
      '2025-01-31',
      '2024-12-27',
      '2024-11-30',
      '2024-10-31',
      '2024-09-30',
      '2024-08-31',
      '2024-07-31',
    ]);
    expect(new Set(kept).size).toBe(kept.length);
    // 30 daily, 6 weekly before June, 11 monthly before June: the rules share the newest backups.
    expect(kept.length).toBe(30 + 6 + 11);
  });

  it.each([
    ['keep-last 5', { last: 5 }, ['2025-06-30', '2025-06-29', '2025-06-28', '2025-06-27', '2025-06-26']],
    ['keep-hourly 2', { hourly: 2 }, ['2025-06-30', '2025-06-29']],
    ['keep-daily 3', { daily: 3 }, ['2025-06-30', '2025-06-29', '2025-06-28']],
    ['keep-weekly 3', { weekly: 3 }, ['2025-06-30', '2025-06-29', '2025-06-22']],
    ['keep-monthly 3 across the February gap', { monthly: 3 }, ['2025-06-30', '2025-05-31', '2025-04-30']],
    [
      'keep-yearly 5: four years, and the oldest with count left',
      { yearly: 5 },
      ['2025-06-30', '2024-12-27', '2023-12-31', '2022-12-31', '2022-03-15'],
    ],
    ['keep-within 3d', { within: '3d' }, ['2025-06-30', '2025-06-29', '2025-06-28']],
    [
      'keep-within-hourly 2d: 06-28 02:00 is exactly 2d back, not within',
      { withinHourly: '2d' },
      ['2025-06-30', '2025-06-29'],
    ],
    ['keep-within-weekly 15d', { withinWeekly: '15d' }, ['2025-06-30', '2025-06-29', '2025-06-22']],
    ['keep-within-monthly 2m', { withinMonthly: '2m' }, ['2025-06-30', '2025-05-31']],
    [
      'keep-within-yearly 1y6m: 2023 ends inside the window',
      { withinYearly: '1y6m' },
      ['2025-06-30', '2024-12-27', '2023-12-31'],
    ],
  ])('%s alone', (_label, rules, expected) => {
    const kept = applyRetention(history, utc, policy(rules)).keep.map(({ item }) => item.slice(0, 10));
    expect(kept).toEqual(expected);
  });

  it('keep-within-daily over the New Year gap keeps the days that have a backup, strictly inside the window', () => {
    const kept = applyRetention(
      history.filter((t) => t < '2025-01-08'),
      utc,
      policy({ withinDaily: '14d' }),
    );
    expect(kept.keep.map(({ item }) => item.slice(0, 10))).toEqual([
      '2025-01-07',
      '2025-01-06',
      '2024-12-27',
      '2024-12-26',
      '2024-12-25',
    ]);
    // 2024-12-24 02:00 is exactly 14 days before the newest: not after it, so not within.
  });

  it('measures keep-within from the newest backup, not from today: an old history is not wiped out', () => {
    const old = dailyBackups('2020-01-01', '2020-01-10');
    const kept = applyRetention(old, utc, policy({ within: '2d' })).keep;
    expect(kept.map(({ item }) => item.slice(0, 10))).toEqual(['2020-01-10', '2020-01-09']);
  });

  it('keeps a backup once with all its reasons when rules overlap', () => {
    const kept = applyRetention(history, utc, policy({ last: 1, daily: 1, within: '1h', yearly: 1 })).keep;
    expect(kept).toEqual([
      { item: '2025-06-30 02:00:00', reasons: ['within 1h', 'last 1', 'daily 1', 'yearly 1'] },
    ]);
  });

  it('keeps the newest backup of a bucket, not the first', () => {
    const sameDay = [
      '2025-01-01 00:00:01',
      '2025-01-01 23:59:59',
      '2025-01-01 12:00:00',
      '2025-01-02 00:00:00',
    ];
    expect(decide(sameDay, policy({ daily: 2 }))).toEqual([
      ['2025-01-02 00:00:00', 'daily 1'],
      ['2025-01-01 23:59:59', 'daily 2'],
    ]);
  });

  it('decides nothing for no backups', () => {
    expect(applyRetention([], utc, policy({ daily: 1 }))).toEqual({ keep: [], remove: [] });
  });
});
