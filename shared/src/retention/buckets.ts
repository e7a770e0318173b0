/**
 * restic's buckets (internal/restic/snapshot_policy.go): a number naming the hour, day, ISO week,
 * month or year a time falls in, in UTC. Two backups share a bucket when the numbers are equal.
 */
export type Bucket = (timeMs: number, position: number) => number;

/** Every backup its own bucket: keep-last. */
export const always: Bucket = (_timeMs, position) => position;

export const hourBucket: Bucket = (timeMs) => {
  const date = new Date(timeMs);
  return dayNumber(date) * 100 + date.getUTCHours();
};

export const dayBucket: Bucket = (timeMs) => dayNumber(new Date(timeMs));

/** YYYYWW of the ISO 8601 week (Monday first; week 1 holds the year's first Thursday), as Go's ISOWeek. */
export const weekBucket: Bucket = (timeMs) => {
  const { year, week } = isoWeek(timeMs);
  return year * 100 + week;
};

export const monthBucket: Bucket = (timeMs) => {
  const date = new Date(timeMs);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
};

export const yearBucket: Bucket = (timeMs) => new Date(timeMs).getUTCFullYear();

function dayNumber(date: Date): number {
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

const DAY_MS = 86_400_000;

export function isoWeek(timeMs: number): { year: number; week: number } {
  const date = new Date(timeMs);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  // The Thursday of this week decides the year the week belongs to.
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(midnight + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}
