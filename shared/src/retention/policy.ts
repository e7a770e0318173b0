import {
  always,
  dayBucket,
  hourBucket,
  monthBucket,
  weekBucket,
  yearBucket,
  type Bucket,
} from './buckets.ts';
import {
  formatCalendarDuration,
  isZeroDuration,
  pastTime,
  type CalendarDuration,
} from './calendar-duration.ts';

/**
 * Which backups a retention policy keeps, with exactly the rules of restic's `forget --keep-*`
 * (ApplyPolicy in internal/restic/snapshot_policy.go), so that a policy means here what it means
 * there:
 *
 * - Backups are taken newest first (a stable sort: equal times keep their given order).
 * - `keep-last/hourly/daily/weekly/monthly/yearly N` walk that list with one bucket each (the hour,
 *   day, ISO week, month or year in UTC; keep-last puts every backup in its own bucket). A backup
 *   whose bucket differs from the previous kept one of that rule is kept and uses one of the N, so
 *   each bucket keeps its newest backup. `-1` is unlimited, `0` is off.
 * - While a rule has count left, the oldest backup is kept by it too ("if there are not enough
 *   snapshots to keep one for each …, the oldest snapshot in the group is kept additionally"), so
 *   a young history is not thinned to less than the policy allows.
 * - `keep-within D` keeps every backup strictly newer than the newest backup minus D (calendar
 *   arithmetic in UTC), and `keep-within-hourly/daily/… D` keep the newest backup of each bucket
 *   within that window (and the oldest, when it falls in the window), with no count.
 * - Rules combine: a backup is kept when any rule keeps it, and all its reasons are listed.
 *
 * restic's `--keep-tag` has no counterpart: backups carry no tags.
 */

export interface RetentionPolicy {
  last: number;
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
  within?: CalendarDuration;
  withinHourly?: CalendarDuration;
  withinDaily?: CalendarDuration;
  withinWeekly?: CalendarDuration;
  withinMonthly?: CalendarDuration;
  withinYearly?: CalendarDuration;
}

export interface Kept<T> {
  item: T;
  /**
   * Why, one entry per rule that keeps it: `daily 3` (the third daily backup kept; `daily` alone for
   * an unlimited rule), `within 1y6m`, `daily within 7d`; restic's `oldest ` prefix when a rule keeps
   * the oldest backup only because count is left (`oldest yearly 3`).
   */
  reasons: string[];
}

export interface RetentionDecision<T> {
  /** Newest first. */
  keep: Kept<T>[];
  /** Newest first. */
  remove: T[];
}

export const UNLIMITED = -1;

type CountRule = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
type WithinRule = 'withinHourly' | 'withinDaily' | 'withinWeekly' | 'withinMonthly' | 'withinYearly';

const COUNT_RULES: [CountRule, Bucket][] = [
  ['last', always],
  ['hourly', hourBucket],
  ['daily', dayBucket],
  ['weekly', weekBucket],
  ['monthly', monthBucket],
  ['yearly', yearBucket],
];

const WITHIN_RULES: [WithinRule, string, Bucket][] = [
  ['withinHourly', 'hourly', hourBucket],
  ['withinDaily', 'daily', dayBucket],
  ['withinWeekly', 'weekly', weekBucket],
  ['withinMonthly', 'monthly', monthBucket],
  ['withinYearly', 'yearly', yearBucket],
];

/** restic's Empty(): no rule at all. Gantry refuses such a policy rather than keep everything. */
export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  const counts = COUNT_RULES.every(([rule]) => policy[rule] === 0);
  const durations = [policy.within, ...WITHIN_RULES.map(([rule]) => policy[rule])];
  return counts && durations.every((duration) => duration === undefined || isZeroDuration(duration));
}

export function applyRetention<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  policy: RetentionPolicy,
): RetentionDecision<T> {
  const list = [...items].sort((a, b) => timeOf(b) - timeOf(a));
  if (list.length === 0) return { keep: [], remove: [] };
  if (isEmptyPolicy(policy)) {
    return { keep: list.map((item) => ({ item, reasons: ['policy is empty'] })), remove: [] };
  }
  const counters = COUNT_RULES.map(([rule, bucket]) => ({
    rule,
    bucket,
    left: policy[rule],
    kept: 0,
    last: undefined as number | undefined,
  }));
  const windows = WITHIN_RULES.flatMap(([rule, name, bucket]) => {
    const duration = policy[rule];
    return duration && !isZeroDuration(duration)
      ? [{ name, bucket, duration, last: undefined as number | undefined }]
      : [];
  });
  const newest = Math.max(...list.map(timeOf));
  const oldestPosition = list.length - 1;

  const keep: Kept<T>[] = [];
  const remove: T[] = [];
  list.forEach((item, position) => {
    const time = timeOf(item);
    const reasons: string[] = [];
    const isOldest = position === oldestPosition;
    if (policy.within && !isZeroDuration(policy.within) && time > pastTime(newest, policy.within)) {
      reasons.push(`within ${formatCalendarDuration(policy.within)}`);
    }
    for (const counter of counters) {
      if (counter.left === 0 || counter.left < UNLIMITED) continue;
      const value = counter.bucket(time, position);
      if (value === counter.last && !isOldest) continue;
      const newBucket = value !== counter.last;
      counter.last = value;
      counter.kept += 1;
      if (counter.left > 0) counter.left -= 1;
      const ordinal = policy[counter.rule] === UNLIMITED ? '' : ` ${counter.kept}`;
      reasons.push(`${newBucket ? '' : 'oldest '}${counter.rule}${ordinal}`);
    }
    for (const window of windows) {
      if (time <= pastTime(newest, window.duration)) continue;
      const value = window.bucket(time, position);
      if (value === window.last && !isOldest) continue;
      const newBucket = value !== window.last;
      window.last = value;
      reasons.push(
        `${newBucket ? '' : 'oldest '}${window.name} within ${formatCalendarDuration(window.duration)}`,
      );
    }
    if (reasons.length > 0) keep.push({ item, reasons });
    else remove.push(item);
  });
  return { keep, remove };
}
