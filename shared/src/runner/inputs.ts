import { formatDuration, parseDuration } from '../formats/duration.ts';
import { ConfigurationError } from '../errors.ts';
import { MapEntryError, parseKeyValueMap, parseList } from '../formats/list.ts';
import { maskSecret, REDACTED } from './secrets.ts';

/**
 * Typed readers for action inputs. Each one returns a validated value or throws a ConfigurationError
 * that names the input, shows the value (masked when secret) and says what is accepted, so that an
 * action's inputs.ts can read everything before it changes anything.
 */

interface BaseOptions {
  required?: boolean;
  /** Masked in the log at once and never shown in error messages. */
  secret?: boolean;
}

/**
 * An input as the runner hands it over (`INPUT_<NAME>`, spaces as `_`, upper-cased), trimmed unless
 * told otherwise, as `core.getInput` reads it; '' when not given.
 */
export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  return options.trimWhitespace === false ? value : value.trim();
}

function raw(name: string, options: BaseOptions = {}): string {
  const value = getInput(name);
  if (options.secret) maskSecret(value);
  if (options.required && value === '') {
    throw new ConfigurationError(`Input "${name}" is required but was not given.`, { input: name });
  }
  return value;
}

export function invalidInput(
  name: string,
  value: string,
  accepted: string,
  secret = false,
): ConfigurationError {
  const shown = secret ? REDACTED : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  return new ConfigurationError(`Input "${name}" has an invalid value ${shown}: ${accepted}.`, {
    input: name,
  });
}

export function getString(name: string, options: BaseOptions & { default?: string } = {}): string {
  const value = raw(name, options);
  return value === '' ? (options.default ?? '') : value;
}

export function getOptionalString(name: string, options: BaseOptions = {}): string | undefined {
  const value = raw(name, options);
  return value === '' ? undefined : value;
}

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/** The YAML 1.2 core schema words, exactly as `core.getBooleanInput` accepts them. */
export function getBoolean(name: string, defaultValue: boolean): boolean {
  const value = raw(name);
  if (value === '') return defaultValue;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw invalidInput(
    name,
    value,
    'expected true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE)',
  );
}

export function getInteger(name: string, options: { default: number; min?: number; max?: number }): number {
  const value = raw(name);
  if (value === '') return options.default;
  const range = describeRange(options.min, options.max, String);
  if (!/^-?\d+$/.test(value)) throw invalidInput(name, value, `expected a whole number${range}`);
  const number = Number(value);
  if (!Number.isSafeInteger(number) || outOfRange(number, options.min, options.max)) {
    throw invalidInput(name, value, `expected a whole number${range}`);
  }
  return number;
}

/**
 * A duration in milliseconds: `90s`, `5m`, `1h30m`, `250ms`, or a bare number of seconds unless
 * `unitRequired` (for latencies, where a bare `500` is as likely meant as milliseconds).
 */
export function getDuration(
  name: string,
  options: { default: number; min?: number; max?: number; unitRequired?: boolean },
): number {
  const value = raw(name);
  if (value === '') return options.default;
  const ms = options.unitRequired && /^[\d.]+$/.test(value) ? undefined : parseDuration(value);
  const range = describeRange(options.min, options.max, formatDuration);
  if (ms === undefined) {
    const unit = options.unitRequired ? ' with a unit' : '';
    throw invalidInput(name, value, `expected a duration${unit} like 90s, 5m, 1h30m or 250ms${range}`);
  }
  if (outOfRange(ms, options.min, options.max))
    throw invalidInput(name, value, `expected a duration${range}`);
  return ms;
}

export function getList(name: string, options: BaseOptions = {}): string[] {
  const list = parseList(raw(name, options));
  if (options.required && list.length === 0) {
    throw new ConfigurationError(`Input "${name}" is required but lists nothing.`, { input: name });
  }
  return list;
}

/**
 * Lines only, for inputs whose items contain commas themselves (metadata-action's `tags` rules like
 * `type=semver,pattern={{version}}`): trimmed, blank and `#` comment lines dropped.
 */
export function getLines(name: string): string[] {
  return raw(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** `key=value` entries, one per line or comma; with `perLine`, one per line only (values may hold commas). */
export function getKeyValueMap(
  name: string,
  options: BaseOptions & { perLine?: boolean } = {},
): Record<string, string> {
  const value = raw(name, options);
  const accepted = options.perLine
    ? 'expected key=value, one per line'
    : 'expected key=value, one per line or comma';
  try {
    return parseKeyValueMap(value, { perLine: options.perLine });
  } catch (error) {
    if (!(error instanceof MapEntryError)) throw error;
    throw invalidInput(
      name,
      error.entry,
      error.message === 'expected key=value' ? accepted : `${error.message}; ${accepted}`,
      options.secret,
    );
  }
}

export function getEnum<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
  const value = raw(name);
  if (value === '') return defaultValue;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalidInput(name, value, `expected one of ${allowed.join(', ')}`);
}

/**
 * A YAML (or JSON, which is YAML) block; undefined when empty. Shape checks are the caller's. The
 * YAML parser is loaded only when a block is given, to keep it out of every action's cold start.
 */
export async function getStructured(name: string, options: BaseOptions = {}): Promise<unknown> {
  const value = raw(name, options);
  if (value === '') return undefined;
  const { parse } = await import('yaml');
  try {
    return parse(value, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigurationError(`Input "${name}" is not valid YAML or JSON: ${reason}.`, { input: name });
  }
}

function outOfRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min !== undefined && value < min) || (max !== undefined && value > max);
}

function describeRange(
  min: number | undefined,
  max: number | undefined,
  format: (value: number) => string,
): string {
  if (min !== undefined && max !== undefined) return ` from ${format(min)} to ${format(max)}`;
  if (min !== undefined) return ` of at least ${format(min)}`;
  if (max !== undefined) return ` of at most ${format(max)}`;
  return '';
}
