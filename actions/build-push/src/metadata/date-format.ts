import type { Parsed } from '../image-name.ts';

/**
 * moment.js format strings, as in `{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}`, rendered in an IANA
 * time zone through Intl so the bundle carries neither moment nor a time-zone database. Tokens are
 * moment's, in English. The moment tokens this module does not render (locale weeks, eras, zone
 * abbreviations, localized formats) are refused when the format is compiled, never printed as letters.
 */

/** The calendar fields of an instant as seen in one time zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 for Sunday, as moment's `d`. */
  weekday: number;
  dayOfYear: number;
  offsetMinutes: number;
  epochMs: number;
  isoWeek: number;
  isoWeekYear: number;
}

type Part = string | ((wall: WallClock) => string);
export type DateFormat = readonly Part[];

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

const pad = (value: number, width: number): string =>
  (value < 0 ? '-' : '') + String(Math.abs(value)).padStart(width, '0');

function ordinal(value: number): string {
  const lastTwo = value % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${value}th`;
  return `${value}${['th', 'st', 'nd', 'rd'][value % 10] ?? 'th'}`;
}

function offset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}${separator}${pad(absolute % 60, 2)}`;
}

const TOKENS: Readonly<Record<string, (wall: WallClock) => string>> = {
  YYYYYY: (w) => (w.year < 0 ? '-' : '+') + pad(Math.abs(w.year), 6),
  YYYYY: (w) => pad(w.year, 5),
  YYYY: (w) => pad(w.year, 4),
  YY: (w) => pad(w.year % 100, 2),
  Y: (w) => (w.year <= 9999 ? pad(w.year, 4) : `+${w.year}`),
  Q: (w) => String(Math.ceil(w.month / 3)),
  Qo: (w) => ordinal(Math.ceil(w.month / 3)),
  M: (w) => String(w.month),
  Mo: (w) => ordinal(w.month),
  MM: (w) => pad(w.month, 2),
  MMM: (w) => (MONTHS[w.month - 1] as string).slice(0, 3),
  MMMM: (w) => MONTHS[w.month - 1] as string,
  D: (w) => String(w.day),
  Do: (w) => ordinal(w.day),
  DD: (w) => pad(w.day, 2),
  DDD: (w) => String(w.dayOfYear),
  DDDo: (w) => ordinal(w.dayOfYear),
  DDDD: (w) => pad(w.dayOfYear, 3),
  d: (w) => String(w.weekday),
  do: (w) => ordinal(w.weekday),
  dd: (w) => (DAYS[w.weekday] as string).slice(0, 2),
  ddd: (w) => (DAYS[w.weekday] as string).slice(0, 3),
  dddd: (w) => DAYS[w.weekday] as string,
  E: (w) => String(w.weekday === 0 ? 7 : w.weekday),
  W: (w) => String(w.isoWeek),
  Wo: (w) => ordinal(w.isoWeek),
  WW: (w) => pad(w.isoWeek, 2),
  GG: (w) => pad(w.isoWeekYear % 100, 2),
  GGGG: (w) => pad(w.isoWeekYear, 4),
  H: (w) => String(w.hour),
  HH: (w) => pad(w.hour, 2),
  h: (w) => String(w.hour % 12 || 12),
  hh: (w) => pad(w.hour % 12 || 12, 2),
  k: (w) => String(w.hour || 24),
  kk: (w) => pad(w.hour || 24, 2),
  m: (w) => String(w.minute),
  mm: (w) => pad(w.minute, 2),
  s: (w) => String(w.second),
  ss: (w) => pad(w.second, 2),
  a: (w) => (w.hour < 12 ? 'am' : 'pm'),
  A: (w) => (w.hour < 12 ? 'AM' : 'PM'),
  X: (w) => String(Math.floor(w.epochMs / 1000)),
  x: (w) => String(w.epochMs),
  Z: (w) => offset(w.offsetMinutes, ':'),
  ZZ: (w) => offset(w.offsetMinutes, ''),
};

// Longest alternatives first, as moment's own tokenizer; `[...]` and `\x` print literally.
const TOKEN_PATTERN =
  /\[([^[]*)\]|\\(.)|(YYYYYY|YYYYY|YYYY|YY|Qo|MMMM|MMM|Mo|MM|DDDD|DDDo|DDD|Do|DD|dddd|ddd|do|dd|Wo|WW|GGGG|GG|HH|hh|kk|mm|ss|S{1,9}|ZZ|[YQMDdEWHhkmsaAXxZ])|([A-Za-z])|([^A-Za-z[\\]+|.)/gsu;
// Letters moment reads as tokens that are not rendered here (locale week, era, zone name, `L` formats).
const UNSUPPORTED = new Set(['w', 'e', 'g', 'G', 'y', 'N', 'z', 'L', 'l']);

export function compileDateFormat(format: string): Parsed<DateFormat> {
  const parts: Part[] = [];
  for (const match of format.matchAll(TOKEN_PATTERN)) {
    const [whole, bracketed, escaped, token, letter] = match;
    if (bracketed !== undefined) parts.push(bracketed);
    else if (escaped !== undefined) parts.push(escaped);
    else if (token !== undefined)
      parts.push(token.startsWith('S') ? fraction(token.length) : tokenFunction(token));
    else if (letter !== undefined && UNSUPPORTED.has(letter)) {
      return {
        ok: false,
        reason:
          `the date format "${format}" uses the moment token "${letter}", which is not supported ` +
          '(supported: Y M D d E Q W GG H h k m s S a A X x Z and their ordinals; write letters as [text])',
      };
    } else parts.push(whole);
  }
  return { ok: true, value: parts };
}

function tokenFunction(token: string): (wall: WallClock) => string {
  return TOKENS[token] as (wall: WallClock) => string;
}

/** moment: `S` tenths, `SS` hundredths, `SSS` milliseconds, longer runs pad with zeros. */
function fraction(digits: number): (wall: WallClock) => string {
  if (digits <= 3) return (w) => pad(Math.floor(w.millisecond / 10 ** (3 - digits)), digits);
  return (w) => pad(w.millisecond, 3) + '0'.repeat(digits - 3);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function offsetMinutes(date: Date, timeZone: string): number {
  if (timeZone.toUpperCase() === 'UTC') return 0;
  const fields: Record<string, number> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(date)) fields[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    fields['year'] ?? 0,
    (fields['month'] ?? 1) - 1,
    fields['day'] ?? 1,
    fields['hour'] ?? 0,
    fields['minute'] ?? 0,
    fields['second'] ?? 0,
  );
  return Math.round((asUtc - (date.getTime() - date.getUTCMilliseconds())) / 60_000);
}

function wallClock(date: Date, timeZone: string): WallClock {
  const minutes = offsetMinutes(date, timeZone);
  // The same instant shifted by the zone's offset reads the zone's calendar fields through getUTC*.
  const shifted = new Date(date.getTime() + minutes * 60_000);
  const year = shifted.getUTCFullYear();
  const weekday = shifted.getUTCDay();
  const midnight = Date.UTC(year, shifted.getUTCMonth(), shifted.getUTCDate());
  // ISO 8601: a week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
  const thursday = new Date(midnight + (3 - ((weekday + 6) % 7)) * DAY_MS);
  const isoWeekYear = thursday.getUTCFullYear();
  return {
    year,
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday,
    dayOfYear: Math.round((midnight - Date.UTC(year, 0, 1)) / DAY_MS) + 1,
    offsetMinutes: minutes,
    epochMs: date.getTime(),
    isoWeek: Math.ceil(((thursday.getTime() - Date.UTC(isoWeekYear, 0, 1)) / DAY_MS + 1) / 7),
    isoWeekYear,
  };
}

export function formatDate(date: Date, format: DateFormat, timeZone: string): string {
  const wall = wallClock(date, timeZone);
  let text = '';
  for (const part of format) text += typeof part === 'string' ? part : part(wall);
  return text;
}
