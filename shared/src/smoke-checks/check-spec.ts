import { ConfigurationError } from '../errors.ts';
import type { TlsOptions } from '../net/http.ts';
import {
  isCredentialName,
  maskSecret,
  redactUrlCredentials,
  REDACTED,
  safeDecode,
  urlForMessages,
} from '../runner/secrets.ts';
import { optionalBoolean, optionalInteger, optionalLatency, optionalString, Where } from './check-fields.ts';
import { parseStatusSet, STATUS_SET_ACCEPTED, type StatusSet } from './status-set.ts';

/**
 * Turns the `url` list and the YAML `checks` input into fully resolved, validated checks. Every
 * field a check leaves out comes from the action-level inputs; every mistake is reported with the
 * check's position and name before a single request is sent.
 */

export interface JsonAssertion {
  path: string;
  equals?: unknown;
  exists?: boolean;
}

export interface CheckSettings {
  headers: Record<string, string>;
  expectedStatus: StatusSet;
  samples: number;
  failureLimit: number;
  consecutiveSuccesses: number;
  intervalMs: number;
  requestTimeoutMs: number;
  maxLatencyMs: number | undefined;
  p95LatencyMs: number | undefined;
  followRedirects: boolean;
  tls: TlsOptions;
}

export interface CheckSpec extends CheckSettings {
  name: string;
  url: string;
  /** The URL with its password and secret-looking query values hidden: the only form ever printed. */
  displayUrl: string;
  method: string;
  body: string | undefined;
  contains: string[];
  regex: RegExp | undefined;
  json: JsonAssertion[];
}

const CHECK_KEYS = [
  'name',
  'url',
  'method',
  'headers',
  'body',
  'status',
  'contains',
  'regex',
  'json',
  'max-latency',
  'p95-latency',
  'timeout',
  'follow-redirects',
  'samples',
  'failure-limit',
  'consecutive-successes',
  'interval',
  'ca-certificate',
  'insecure',
] as const;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

export function checkFromUrl(url: string, index: number, settings: CheckSettings): CheckSpec {
  const where = new Where('url', `URL ${index + 1}`);
  const target = parseTarget(url, where);
  return {
    ...settings,
    name: `GET ${target.displayUrl}`,
    url: target.url,
    displayUrl: target.displayUrl,
    headers: withAuthorization(settings.headers, target),
    method: 'GET',
    body: undefined,
    contains: [],
    regex: undefined,
    json: [],
  };
}

export function parseChecks(value: unknown, settings: CheckSettings): CheckSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new ConfigurationError(
      `Input "checks" must be a YAML list of checks, each a mapping with at least "url"; got ${describeShape(value)}.`,
      { input: 'checks' },
    );
  }
  return value.map((item, index) => parseCheck(item, index, settings));
}

function parseCheck(item: unknown, index: number, settings: CheckSettings): CheckSpec {
  const position = `check ${index + 1}`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new ConfigurationError(
      `Input "checks", ${position}: expected a mapping with at least "url", got ${describeShape(item)}.`,
      { input: 'checks' },
    );
  }
  const fields = item as Record<string, unknown>;
  const name = fields.name === undefined ? undefined : String(fields.name).trim();
  const where = new Where('checks', name ? `${position} ("${name}")` : position);
  for (const key of Object.keys(fields)) {
    if (!(CHECK_KEYS as readonly string[]).includes(key)) {
      // The field's value is not shown: under a misspelt `headers` it may be a credential.
      throw new ConfigurationError(
        `Input "checks", ${where.label}: unknown field "${key}"; a check accepts ${CHECK_KEYS.join(', ')}.`,
        { input: 'checks' },
      );
    }
  }
  if (name !== undefined && (!['string', 'number'].includes(typeof fields.name) || name === '')) {
    throw where.error('name', fields.name, 'expected a non-empty text');
  }
  return readCheckFields(fields, where, settings, name);
}

/**
 * The fields of one check mapping whose keys the caller has already vetted (smoke-test's `checks`
 * input, or a `smoke-test` check of an analysis, which also accepts `body-contains` for `contains`).
 */
export function readCheckFields(
  fields: Record<string, unknown>,
  where: Where,
  settings: CheckSettings,
  name: string | undefined,
): CheckSpec {
  if (fields.url === undefined) throw where.error('url', undefined, 'every check needs a url');
  if (typeof fields.url !== 'string')
    throw where.error('url', fields.url, 'expected an http:// or https:// URL');
  const target = parseTarget(fields.url, where);
  const method = optionalString(fields, 'method', where)?.toUpperCase() ?? 'GET';
  if (!METHODS.includes(method))
    throw where.error('method', fields.method, `expected one of ${METHODS.join(', ')}`);
  const body = optionalString(fields, 'body', where);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw where.error(
      'body',
      '(not shown)',
      `a ${method} request cannot have a body; use POST, PUT, PATCH or DELETE`,
    );
  }
  const samples = optionalInteger(fields, 'samples', 1, 1000, where) ?? settings.samples;
  const failureLimit = optionalInteger(fields, 'failure-limit', 0, 1000, where) ?? settings.failureLimit;
  const consecutiveSuccesses =
    optionalInteger(fields, 'consecutive-successes', 1, 1000, where) ?? settings.consecutiveSuccesses;
  if (failureLimit >= samples) {
    throw where.error(
      'failure-limit',
      failureLimit,
      `must be less than samples (${samples}), or no failure could fail the check`,
    );
  }
  return {
    name: name ?? `${method} ${target.displayUrl}`,
    url: target.url,
    displayUrl: target.displayUrl,
    method,
    body,
    headers: withAuthorization({ ...settings.headers, ...parseHeaders(fields.headers, where) }, target),
    expectedStatus: fields.status === undefined ? settings.expectedStatus : parseStatus(fields.status, where),
    contains:
      fields['body-contains'] === undefined
        ? parseContains(fields.contains, 'contains', where)
        : parseContains(fields['body-contains'], 'body-contains', where),
    regex: parseRegex(fields.regex, where),
    json: parseJsonAssertions(fields.json, where),
    maxLatencyMs: optionalLatency(fields, 'max-latency', where) ?? settings.maxLatencyMs,
    p95LatencyMs: optionalLatency(fields, 'p95-latency', where) ?? settings.p95LatencyMs,
    requestTimeoutMs: optionalLatency(fields, 'timeout', where) ?? settings.requestTimeoutMs,
    followRedirects: optionalBoolean(fields, 'follow-redirects', where) ?? settings.followRedirects,
    samples,
    failureLimit,
    consecutiveSuccesses,
    intervalMs: optionalLatency(fields, 'interval', where, true) ?? settings.intervalMs,
    tls: {
      ca: optionalCertificate(fields, where) ?? settings.tls.ca,
      insecure: optionalBoolean(fields, 'insecure', where) ?? settings.tls.insecure,
    },
  };
}

interface Target {
  url: string;
  displayUrl: string;
  /** From credentials in the URL (https://user:pass@host), which undici would not send itself. */
  authorization: string | undefined;
}

function parseTarget(raw: string, where: Where): Target {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw where.error('url', urlForMessages(raw), 'expected an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw where.error('url', urlForMessages(raw), 'expected an http:// or https:// URL');
  }
  const display = new URL(redactUrlCredentials(url.toString()));
  let authorization: string | undefined;
  if (url.username || url.password) {
    const basic = Buffer.from(`${safeDecode(url.username)}:${safeDecode(url.password)}`).toString('base64');
    maskSecret(basic);
    authorization = `Basic ${basic}`;
    url.username = '';
    url.password = '';
  }
  for (const [key, value] of url.searchParams) {
    if (isCredentialName(key)) {
      maskSecret(value);
      display.searchParams.set(key, REDACTED);
    }
  }
  return { url: url.toString(), displayUrl: display.toString(), authorization };
}

/** The action-level `headers` input, validated like a check's own headers. */
export function parseActionHeaders(map: Record<string, string>): Record<string, string> {
  return parseHeaders(map, new Where('headers', 'a header'));
}

function parseHeaders(value: unknown, where: Where): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw where.error('headers', '(not shown)', 'expected a mapping of header name to value');
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name)) throw where.error('headers', name, 'not a valid HTTP header name');
    if (typeof headerValue !== 'string' && typeof headerValue !== 'number') {
      throw where.error(`headers.${name}`, '(not shown)', 'expected a string value');
    }
    const text = String(headerValue);
    if (/[\r\n\0]/.test(text)) {
      throw where.error(`headers.${name}`, '(not shown)', 'a header value cannot contain line breaks');
    }
    if (isCredentialName(name)) {
      maskSecret(text);
      maskSecret(text.replace(/^(Bearer|Basic|Token)\s+/i, ''));
    }
    headers[name.toLowerCase()] = text;
  }
  return headers;
}

function withAuthorization(headers: Record<string, string>, target: Target): Record<string, string> {
  return target.authorization && !headers.authorization
    ? { ...headers, authorization: target.authorization }
    : headers;
}

function parseStatus(value: unknown, where: Where): StatusSet {
  const set = parseStatusSet(value);
  if (!set) throw where.error('status', value, STATUS_SET_ACCEPTED);
  return set;
}

function parseContains(value: unknown, key: string, where: Where): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item !== 'string' || item === '')
      throw where.error(key, value, 'expected a non-empty string or a list of them');
  }
  return items as string[];
}

function parseRegex(value: unknown, where: Where): RegExp | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw where.error('regex', value, 'expected a regular expression');
  try {
    return new RegExp(value);
  } catch (error) {
    throw where.error(
      'regex',
      value,
      `not a valid JavaScript regular expression (${(error as Error).message})`,
    );
  }
}

function parseJsonAssertions(value: unknown, where: Where): JsonAssertion[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw where.error('json', item, 'expected a list of {path, equals} or {path, exists}');
    }
    const { path, equals, exists, ...rest } = item as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined)
      throw where.error(`json.${extra}`, rest[extra], 'unknown field; use path with equals or exists');
    if (typeof path !== 'string' || !path.startsWith('$')) {
      throw where.error(
        'json.path',
        path,
        'expected a JSONPath starting with $, like $.status or $.checks[0].ok',
      );
    }
    const hasEquals = Object.hasOwn(item, 'equals');
    if (hasEquals === (exists !== undefined)) {
      throw where.error('json', item, `the assertion on ${path} needs exactly one of equals or exists`);
    }
    if (exists !== undefined && typeof exists !== 'boolean')
      throw where.error('json.exists', exists, 'expected true or false');
    return hasEquals ? { path, equals } : { path, exists: exists as boolean };
  });
}

/** The same check as the action-level input: a typo would otherwise distrust every certificate. */
function optionalCertificate(fields: Record<string, unknown>, where: Where): string | undefined {
  const ca = optionalString(fields, 'ca-certificate', where);
  if (ca !== undefined && !ca.includes(PEM_CERTIFICATE)) {
    throw where.error(
      'ca-certificate',
      ca.slice(0, 30),
      `expected PEM text starting with ${PEM_CERTIFICATE}`,
    );
  }
  return ca;
}

/** What a YAML value is, for messages, without printing a structure that may hold credentials. */
export function describeShape(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(redactUrlCredentials(value).slice(0, 100))}`;
  return `${typeof value} ${String(value)}`;
}
