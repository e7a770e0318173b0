/**
 * restic's durations for `--keep-within*`: whole years, months, days and hours in any order, like
 * `1y6m3d12h` (internal/restic/duration.go). Each unit may appear once; a later one replaces an
 * earlier one, as in restic. They count back on the calendar (a month is a calendar month), so
 * they are kept as parts, never turned into milliseconds.
 */
export interface CalendarDuration {
  years: number;
  months: number;
  days: number;
  hours: number;
}

const UNITS: Record<string, keyof CalendarDuration> = { y: 'years', m: 'months', d: 'days', h: 'hours' };

/** The parts, or undefined for text restic refuses (no number, no unit, an unknown unit like `w`). */
export function parseCalendarDuration(text: string): CalendarDuration | undefined {
  const duration: CalendarDuration = { years: 0, months: 0, days: 0, hours: 0 };
  let rest = text.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = /^(-?)(\d+)(.?)/.exec(rest);
    if (!match) return undefined;
    const unit = UNITS[match[3] ?? ''];
    if (!unit) return undefined;
    const number = Number(match[2]);
    if (!Number.isSafeInteger(number)) return undefined;
    duration[unit] = match[1] === '-' ? -number : number;
    rest = rest.slice(match[0].length);
  }
  return duration;
}

export function isZeroDuration(duration: CalendarDuration): boolean {
  return duration.years === 0 && duration.months === 0 && duration.days === 0 && duration.hours === 0;
}

export function hasNegativePart(duration: CalendarDuration): boolean {
  return duration.years < 0 || duration.months < 0 || duration.days < 0 || duration.hours < 0;
}

/** restic's String(): the non-zero parts in the order y, m, d, h (`5d7m` is shown as `7m5d`). */
export function formatCalendarDuration(duration: CalendarDuration): string {
  return (Object.entries(UNITS) as [string, keyof CalendarDuration][])
    .filter(([, part]) => duration[part] !== 0)
    .map(([unit, part]) => `${duration[part]}${unit}`)
    .join('');
}

/**
 * restic's PastTime: `AddDate(-years, -months, -days)` then minus the hours, in UTC. Date.UTC
 * normalises an overflowing day as Go's AddDate does (31 March minus one month is 3 March).
 */
export function pastTime(fromMs: number, duration: CalendarDuration): number {
  const from = new Date(fromMs);
  const shifted = Date.UTC(
    from.getUTCFullYear() - duration.years,
    from.getUTCMonth() - duration.months,
    from.getUTCDate() - duration.days,
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
    from.getUTCMilliseconds(),
  );
  return shifted - duration.hours * 3_600_000;
}
