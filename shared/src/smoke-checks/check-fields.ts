import { parseDuration } from '../formats/duration.ts';
import { ConfigurationError } from '../errors.ts';

/** Typed fields of one check in the `checks` YAML, each error naming the input, the check and the field. */

/** Names the check a field belongs to, for error messages. */
export class Where {
  readonly input: string;
  readonly label: string;
  /** Put before each field name: an analysis names `checks[1].smoke-test.url`, not just `url`. */
  readonly fieldPrefix: string;
  constructor(input: string, label: string, fieldPrefix = '') {
    this.input = input;
    this.label = label;
    this.fieldPrefix = fieldPrefix;
  }

  error(field: string, value: unknown, accepted: string): ConfigurationError {
    const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
    return new ConfigurationError(
      `Input "${this.input}", ${this.label}: "${this.fieldPrefix}${field}" has an invalid value ${shown}: ${accepted}.`,
      { input: this.input },
    );
  }
}

export function optionalString(
  fields: Record<string, unknown>,
  key: string,
  where: Where,
): string | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw where.error(key, value, 'expected a string');
  return value;
}

export function optionalInteger(
  fields: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  where: Where,
): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw where.error(key, value, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

export function optionalBoolean(
  fields: Record<string, unknown>,
  key: string,
  where: Where,
): boolean | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw where.error(key, value, 'expected true or false');
  return value;
}

/** Durations inside the YAML need a unit (`500ms`, `2s`): a bare 500 is ambiguous. */
export function optionalLatency(
  fields: Record<string, unknown>,
  key: string,
  where: Where,
  zeroAllowed = false,
): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && !/^[\d.]+$/.test(value.trim()) ? parseDuration(value) : undefined;
  if (ms === undefined || (ms === 0 && !zeroAllowed) || ms > 3_600_000) {
    throw where.error(
      key,
      value,
      `expected a duration with a unit like 500ms, 2s or 1m, ${zeroAllowed ? 'at most' : 'above 0 and at most'} 1h`,
    );
  }
  return ms;
}
