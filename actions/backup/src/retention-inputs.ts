import { ConfigurationError } from '../../../shared/src/errors.ts';
import { getOptionalString, invalidInput } from '../../../shared/src/runner/inputs.ts';
import {
  hasNegativePart,
  parseCalendarDuration,
  type CalendarDuration,
} from '../../../shared/src/retention/calendar-duration.ts';
import { isEmptyPolicy, type RetentionPolicy } from '../../../shared/src/retention/policy.ts';

/** The keep-* inputs of prune, read as restic's forget reads its --keep-* flags. */

export const COUNT_INPUTS = {
  'keep-last': 'last',
  'keep-hourly': 'hourly',
  'keep-daily': 'daily',
  'keep-weekly': 'weekly',
  'keep-monthly': 'monthly',
  'keep-yearly': 'yearly',
} as const;

export const WITHIN_INPUTS = {
  'keep-within': 'within',
  'keep-within-hourly': 'withinHourly',
  'keep-within-daily': 'withinDaily',
  'keep-within-weekly': 'withinWeekly',
  'keep-within-monthly': 'withinMonthly',
  'keep-within-yearly': 'withinYearly',
} as const;

export const RETENTION_INPUTS = [...Object.keys(COUNT_INPUTS), ...Object.keys(WITHIN_INPUTS)];

const COUNT_ACCEPTED = 'expected a whole number of backups to keep, or -1 for all (as restic: 0 is off)';
const WITHIN_ACCEPTED =
  "expected a duration in restic's form: whole years, months, days and hours like 1y6m3d12h, 30d or 48h";

export function readRetentionPolicy(): RetentionPolicy {
  const policy: RetentionPolicy = { last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
  for (const [input, rule] of Object.entries(COUNT_INPUTS)) {
    const text = getOptionalString(input);
    if (text === undefined) continue;
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
      throw invalidInput(input, text, COUNT_ACCEPTED);
    const count = Number(text);
    // restic: "negative values other than -1 are not allowed for --keep-*".
    if (count < -1) throw invalidInput(input, text, `${COUNT_ACCEPTED}; -1 is the only negative value`);
    policy[rule] = count;
  }
  for (const [input, rule] of Object.entries(WITHIN_INPUTS)) {
    const duration = readWithin(input);
    if (duration) policy[rule] = duration;
  }
  if (isEmptyPolicy(policy)) {
    throw new ConfigurationError(
      'prune needs a retention policy: none of keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly or keep-within* is given (or all are 0).',
      {
        input: 'keep-daily',
        hint: 'for example keep-daily: 30, keep-weekly: 12, keep-monthly: 12',
      },
    );
  }
  return policy;
}

function readWithin(input: string): CalendarDuration | undefined {
  const text = getOptionalString(input);
  if (text === undefined) return undefined;
  const duration = parseCalendarDuration(text);
  if (!duration) throw invalidInput(input, text, WITHIN_ACCEPTED);
  // restic: "durations containing negative values are not allowed for --keep-within*".
  if (hasNegativePart(duration)) throw invalidInput(input, text, `${WITHIN_ACCEPTED}; no negative parts`);
  return duration;
}
