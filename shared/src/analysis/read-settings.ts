import { formatDuration } from '../formats/duration.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import { optionalDuration, optionalWholeNumber, type Fields } from './read-fields.ts';
import type { AnalysisSettings } from './types.ts';

/**
 * The run settings, Argo Rollouts' analysis fields in kebab-case. Defaults suit a CI step: three
 * rounds ten seconds apart, no failure tolerated, within ten minutes.
 */
export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_COUNT = 3;
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const HOUR = 3_600_000;
const LIMIT = { min: 0, max: 1000 };

export function readSettings(fields: Fields, where: Where): AnalysisSettings {
  const intervalMs =
    optionalDuration(fields, 'interval', { min: 0, max: HOUR }, where) ?? DEFAULT_INTERVAL_MS;
  const consecutiveSuccesses = optionalWholeNumber(
    fields,
    'consecutive-successes',
    { min: 1, max: 1000 },
    where,
  );
  const explicitCount = optionalWholeNumber(fields, 'count', { min: 1, max: 1000 }, where);
  // Without a count, enough rounds for the successes asked for.
  const count = explicitCount ?? Math.max(DEFAULT_COUNT, consecutiveSuccesses ?? 0);
  const countText = explicitCount === undefined ? `${count}, the default` : `${count}`;
  const failureLimit = optionalWholeNumber(fields, 'failure-limit', LIMIT, where) ?? 0;
  const inconclusiveLimit = optionalWholeNumber(fields, 'inconclusive-limit', LIMIT, where) ?? 0;
  const timeoutMs =
    optionalDuration(fields, 'timeout', { min: 1000, max: 6 * HOUR }, where) ?? DEFAULT_TIMEOUT_MS;
  if (failureLimit >= count) {
    throw where.error(
      'failure-limit',
      failureLimit,
      `must be less than count (${countText}), or no failure could fail a check`,
    );
  }
  if (consecutiveSuccesses !== undefined && consecutiveSuccesses > count) {
    throw where.error(
      'consecutive-successes',
      consecutiveSuccesses,
      `must be at most count (${countText}): a check measured ${count} times cannot succeed ${consecutiveSuccesses} times in a row`,
    );
  }
  const neededMs = ((consecutiveSuccesses ?? count) - 1) * intervalMs;
  if (timeoutMs <= neededMs) {
    throw where.error(
      'timeout',
      formatDuration(timeoutMs),
      `must be longer than the ${formatDuration(neededMs)} the rounds need (${consecutiveSuccesses ?? count} rounds ${formatDuration(intervalMs)} apart)`,
    );
  }
  return { intervalMs, count, failureLimit, inconclusiveLimit, consecutiveSuccesses, timeoutMs };
}
