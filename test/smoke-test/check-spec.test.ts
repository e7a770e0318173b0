import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  checkFromUrl,
  parseActionHeaders,
  parseChecks,
  type CheckSettings,
} from '../../shared/src/smoke-checks/check-spec.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { redact } from '../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../shared/helpers.ts';
import { statusSet } from './helpers.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function settings(overrides: Partial<CheckSettings> = {}): CheckSettings {
  return {
    headers: {},
    expectedStatus: statusSet('200-299'),
    samples: 3,
    failureLimit: 0,
    consecutiveSuccesses: 1,
    intervalMs: 2000,
    requestTimeoutMs: 10_000,
    maxLatencyMs: undefined,
    p95LatencyMs: undefined,
    followRedirects: true,
    tls: { ca: undefined, insecure: false },
    ...overrides,
  };
}

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

// maskSecret announces each secret with ::add-mask:: on stdout; keep that out of the test output.
let stdout: Captured;
beforeEach(() => {
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
});

describe('checkFromUrl', () => {
  it('makes a GET check with the action-level settings, named after its URL', () => {
    const base = settings({ samples: 5, headers: { 'x-env': 'staging' } });
    const check = checkFromUrl('https://example.com/health', 0, base);
    expect(check).toMatchObject({
      name: 'GET https://example.com/health',
      url: 'https://example.com/health',
      displayUrl: 'https://example.com/health',
      method: 'GET',
      body: undefined,
      contains: [],
      regex: undefined,
      json: [],
      samples: 5,
      headers: { 'x-env': 'staging' },
    });
  });

  it('sends URL credentials as Basic authorization, never in the URL, and hides the password', () => {
    const check = checkFromUrl('https://deploy:s3cr3t-pass@example.com/health', 0, settings());
    expect(check.url).toBe('https://example.com/health');
    expect(check.displayUrl).toBe('https://deploy:***@example.com/health');
    expect(check.name).toBe('GET https://deploy:***@example.com/health');
    expect(check.headers.authorization).toBe(`Basic ${Buffer.from('deploy:s3cr3t-pass').toString('base64')}`);
    expect(redact('password s3cr3t-pass')).toBe('password ***');
    expect(redact(check.headers.authorization as string)).toBe('Basic ***');
  });

  it('decodes percent-escapes in URL credentials before encoding them', () => {
    const check = checkFromUrl('http://me%40corp:p%2Fss%3Aword@127.0.0.1:8080/', 0, settings());
    expect(check.headers.authorization).toBe(`Basic ${Buffer.from('me@corp:p/ss:word').toString('base64')}`);
  });

  it('keeps an explicit authorization header over URL credentials', () => {
    const check = checkFromUrl(
      'https://user:pass-word@example.com/',
      0,
      settings({ headers: { authorization: 'Bearer explicit-token' } }),
    );
    expect(check.headers.authorization).toBe('Bearer explicit-token');
  });

  it('sends secret-looking query values but hides them in the name and display URL', () => {
    const check = checkFromUrl(
      'https://example.com/health?token=q-secret-1&api_key=q-secret-2&verbose=1',
      0,
      settings(),
    );
    expect(check.url).toBe('https://example.com/health?token=q-secret-1&api_key=q-secret-2&verbose=1');
    expect(check.displayUrl).toBe('https://example.com/health?token=***&api_key=***&verbose=1');
    expect(redact('q-secret-1 q-secret-2')).toBe('*** ***');
  });

  it.each([
    ['Azure SAS signature', 'sig', 'sas-signature-77'],
    ['Azure Functions code', 'code', 'function-code-77'],
    ['Google API key', 'key', 'google-key-77'],
    ['access key', 'access_key', 'access-key-77'],
  ])('hides a %s query value (?%s=)', (_label, name, value) => {
    const check = checkFromUrl(`https://example.com/health?${name}=${value}&v=1`, 0, settings());
    expect(check.url).toBe(`https://example.com/health?${name}=${value}&v=1`);
    expect(check.displayUrl).toBe(`https://example.com/health?${name}=***&v=1`);
    expect(redact(`got ${value}`)).toBe('got ***');
  });

  it('takes a URL password with a bare % as it is, instead of failing on it', () => {
    const check = checkFromUrl('http://deploy:100%pure@127.0.0.1:8080/', 0, settings());
    expect(check.headers.authorization).toBe(`Basic ${Buffer.from('deploy:100%pure').toString('base64')}`);
  });

  it('quotes a URL it rejects without its query string', () => {
    const error = configurationError(() =>
      checkFromUrl('https://example.com:99999/health?token=never-shown-77', 0, settings()),
    );
    expect(error.message).not.toContain('never-shown-77');
    expect(error.message).toContain('"https://example.com:99999/health?…"');
  });

  it('names the URL position in errors', () => {
    const error = configurationError(() => checkFromUrl('ftp://example.com/', 2, settings()));
    expect(error.input).toBe('url');
    expect(error.message).toBe(
      'Input "url", URL 3: "url" has an invalid value "ftp://example.com/": expected an http:// or https:// URL.',
    );
  });

  it('does not show the password of a URL it rejects', () => {
    const error = configurationError(() => checkFromUrl('ftp://user:hunter2-pw@example.com/', 0, settings()));
    expect(error.message).not.toContain('hunter2-pw');
    expect(error.message).toContain('ftp://user:***@example.com/');
  });
});

describe('parseChecks', () => {
  it('returns no checks when the input is empty', () => {
    expect(parseChecks(undefined, settings())).toEqual([]);
  });

  it('fills every field a check leaves out from the action-level settings', () => {
    const base = settings({
      headers: { 'x-env': 'prod' },
      samples: 7,
      failureLimit: 2,
      consecutiveSuccesses: 2,
      intervalMs: 1500,
      requestTimeoutMs: 3000,
      maxLatencyMs: 900,
      p95LatencyMs: 400,
      followRedirects: false,
      tls: { ca: PEM, insecure: false },
    });
    const [check] = parseChecks([{ url: 'http://127.0.0.1:8080/ready' }], base);
    expect(check).toEqual({
      ...base,
      name: 'GET http://127.0.0.1:8080/ready',
      url: 'http://127.0.0.1:8080/ready',
      displayUrl: 'http://127.0.0.1:8080/ready',
      method: 'GET',
      body: undefined,
      contains: [],
      regex: undefined,
      json: [],
    });
  });

  it('lets a check override each setting', () => {
    const [check] = parseChecks(
      [
        {
          name: 'orders API',
          url: 'https://api.example.com/orders',
          method: 'post',
          headers: { 'Content-Type': 'application/json', 'X-Env': 'override' },
          body: '{}',
          status: [201, '400-404'],
          contains: 'id',
          regex: '"id":\\s*\\d+',
          json: { path: '$.id', exists: true },
          'max-latency': '750ms',
          'p95-latency': '1s',
          timeout: '2s',
          'follow-redirects': false,
          samples: 10,
          'failure-limit': 3,
          'consecutive-successes': 4,
          interval: '0s',
          'ca-certificate': PEM,
          insecure: true,
        },
      ],
      settings({ headers: { 'x-env': 'base', 'x-team': 'core' } }),
    );
    expect(check).toMatchObject({
      name: 'orders API',
      method: 'POST',
      body: '{}',
      headers: { 'x-env': 'override', 'x-team': 'core', 'content-type': 'application/json' },
      contains: ['id'],
      json: [{ path: '$.id', exists: true }],
      maxLatencyMs: 750,
      p95LatencyMs: 1000,
      requestTimeoutMs: 2000,
      followRedirects: false,
      samples: 10,
      failureLimit: 3,
      consecutiveSuccesses: 4,
      intervalMs: 0,
      tls: { ca: PEM, insecure: true },
    });
    expect(check?.expectedStatus.text).toBe('201, 400-404');
    expect(check?.regex?.source).toBe('"id":\\s*\\d+');
    // No flags: ^ and $ anchor the whole body, so `^ok$` does not pass `error\nok`.
    expect(check?.regex?.flags).toBe('');
  });

  it('accepts lists of contains and json assertions, and json equals of any type', () => {
    const [check] = parseChecks(
      [
        {
          url: 'http://x.test/',
          contains: ['a', 'b'],
          json: [
            { path: '$.ok', equals: true },
            { path: '$.db', equals: { up: true } },
            { path: '$.gone', equals: null },
            { path: '$.error', exists: false },
          ],
        },
      ],
      settings(),
    );
    expect(check?.contains).toEqual(['a', 'b']);
    expect(check?.json).toEqual([
      { path: '$.ok', equals: true },
      { path: '$.db', equals: { up: true } },
      { path: '$.gone', equals: null },
      { path: '$.error', exists: false },
    ]);
  });

  it('names a check without a name after its method and URL', () => {
    const checks = parseChecks(
      [
        { url: 'http://x.test/a' },
        { url: 'http://x.test/b', method: 'HEAD' },
        { url: 'http://x.test/c', name: 42 },
      ],
      settings(),
    );
    expect(checks.map((check) => check.name)).toEqual(['GET http://x.test/a', 'HEAD http://x.test/b', '42']);
  });

  it('masks the values of credential-like headers as soon as they are read', () => {
    parseChecks(
      [
        {
          url: 'http://x.test/',
          headers: {
            Authorization: 'Bearer bearer-value-1',
            'X-Api-Key': 'api-key-value-2',
            'X-Trace': 'visible',
          },
        },
      ],
      settings(),
    );
    expect(redact('bearer-value-1 api-key-value-2 visible')).toBe('*** *** visible');
    parseChecks([{ url: 'http://x.test/', headers: { 'X-Functions-Key': 'functions-key-3' } }], settings());
    expect(redact('functions-key-3')).toBe('***');
    expect(stdout.text()).toContain('::add-mask::bearer-value-1');
  });

  it.each<[string, unknown, string]>([
    [
      'a mapping instead of a list',
      { url: 'http://x.test/' },
      'must be a YAML list of checks, each a mapping with at least "url"; got a mapping',
    ],
    ['a plain string', 'http://x.test/', 'got the text "http://x.test/"'],
    [
      'an item that is a string',
      ['http://x.test/'],
      'check 1: expected a mapping with at least "url", got the text "http://x.test/"',
    ],
    ['an item that is a list', [[1]], 'check 1: expected a mapping with at least "url", got a list'],
    [
      'an empty name',
      [{ url: 'http://x.test/', name: ' ' }],
      'check 1: "name" has an invalid value " ": expected a non-empty text',
    ],
    ['a mapping as name', [{ url: 'http://x.test/', name: { a: 1 } }], '"name" has an invalid value {"a":1}'],
    [
      'a check-level ca-certificate that is not PEM',
      [{ url: 'https://x.test/', 'ca-certificate': 'MIIBfake' }],
      '"ca-certificate" has an invalid value "MIIBfake": expected PEM text starting with -----BEGIN CERTIFICATE-----',
    ],
  ])('rejects %s', (_label, value, message) => {
    const error = configurationError(() => parseChecks(value, settings()));
    expect(error.input).toBe('checks');
    expect(error.message).toContain('Input "checks"');
    expect(error.message).toContain(message);
  });

  it('does not show the value under an unknown field, which may be a credential', () => {
    const error = configurationError(() =>
      parseChecks(
        [{ name: 'api', url: 'http://x.test/', header: { Authorization: 'Bearer typo-token' } }],
        settings(),
      ),
    );
    expect(error.message).toBe(
      'Input "checks", check 1 ("api"): unknown field "header"; a check accepts name, url, method, headers, body, ' +
        'status, contains, regex, json, max-latency, p95-latency, timeout, follow-redirects, samples, failure-limit, ' +
        'consecutive-successes, interval, ca-certificate, insecure.',
    );
  });

  it('does not show header values it rejects', () => {
    const error = configurationError(() =>
      parseChecks(
        [{ url: 'http://x.test/', headers: { Authorization: 'Bearer line\nbreak-token' } }],
        settings(),
      ),
    );
    expect(error.message).not.toContain('break-token');
    expect(error.message).toContain('"headers.Authorization" has an invalid value "(not shown)"');
  });
});

describe('parseActionHeaders', () => {
  it('lower-cases header names and keeps values', () => {
    expect(parseActionHeaders({ 'X-Env': 'staging', Accept: 'application/json' })).toEqual({
      'x-env': 'staging',
      accept: 'application/json',
    });
  });

  it('masks credential-like header values with and without their scheme', () => {
    parseActionHeaders({ Authorization: 'Bearer action-bearer-3', Cookie: 'session=cookie-value-4' });
    expect(redact('Bearer action-bearer-3 / action-bearer-3 / session=cookie-value-4')).toBe(
      '*** / *** / ***',
    );
  });

  it('rejects a header name that HTTP does not allow', () => {
    const error = configurationError(() => parseActionHeaders({ 'Bad Name': 'x' }));
    expect(error.input).toBe('headers');
    expect(error.message).toBe(
      'Input "headers", a header: "headers" has an invalid value "Bad Name": not a valid HTTP header name.',
    );
  });
});
