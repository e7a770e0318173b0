import { parseDuration, formatDuration } from '../formats/duration.ts';
import { ConfigurationError } from '../errors.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import { describeShape } from '../smoke-checks/check-spec.ts';

/**
 * Typed fields of the `analysis` YAML. Each error names the input, the field's path
 * (`checks[0].prometheus.query`), the value and what is accepted, through smoke-checks' Where.
 */

export type Fields = Record<string, unknown>;

/** A mapping, or a ConfigurationError naming what `path` holds instead. */
export function mapping(value: unknown, inputName: string, path: string, expected: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(
      `Input "${inputName}": "${path}" must be ${expected}; got ${describeShape(value)}.`,
      { input: inputName },
    );
  }
  return value as Fields;
}

/** Refuses a field the format does not know; its value is not shown, as a misspelt password's would be. */
export function refuseUnknown(fields: Fields, known: readonly string[], where: Where, what: string): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) {
      throw new ConfigurationError(
        `Input "${where.input}", ${where.label}: unknown field "${where.fieldPrefix}${key}"; ${what} accepts ${known.join(', ')}.`,
        { input: where.input },
      );
    }
  }
}

export function requiredText(fields: Fields, key: string, where: Where, accepted: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '') throw where.error(key, value, accepted);
  return value.trim();
}

export function optionalText(
  fields: Fields,
  key: string,
  where: Where,
  accepted: string,
): string | undefined {
  return fields[key] === undefined ? undefined : requiredText(fields, key, where, accepted);
}

export function optionalWholeNumber(
  fields: Fields,
  key: string,
  range: { min: number; max: number },
  where: Where,
): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw where.error(key, value, `expected a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

/** Durations need a unit (`200ms`, `10s`, `1m`): a bare 10 could be seconds or milliseconds. */
export function optionalDuration(
  fields: Fields,
  key: string,
  range: { min: number; max: number },
  where: Where,
): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && !/^[\d.]+$/.test(value.trim()) ? parseDuration(value) : undefined;
  if (ms === undefined || ms < range.min || ms > range.max) {
    throw where.error(
      key,
      value,
      `expected a duration with a unit like 200ms, 10s or 1m, from ${formatDuration(range.min)} to ${formatDuration(range.max)}`,
    );
  }
  return ms;
}

export function optionalFlag(fields: Fields, key: string, where: Where): boolean | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw where.error(key, value, 'expected true or false');
  return value;
}
