import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readInputs, type SmokeTestInputs } from '../../actions/smoke-test/src/inputs.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { redact } from '../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../shared/helpers.ts';

/**
 * readInputs() in-process, with the inputs given as the runner gives them: INPUT_<NAME>,
 * upper-cased, hyphens kept (INPUT_FAILURE-LIMIT).
 */

const URL = 'http://127.0.0.1:9/health';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----';

function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

async function read(inputs: Record<string, string>): Promise<SmokeTestInputs> {
  setInputs(inputs);
  return await readInputs();
}

async function readError(inputs: Record<string, string>): Promise<ConfigurationError> {
  try {
    await read(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(inputs)}, got valid inputs`);
}

/** A `checks` input of one check: `url` plus the YAML lines given. */
function oneCheck(...lines: string[]): string {
  return [`- url: ${URL}`, ...lines.map((line) => `  ${line}`)].join('\n');
}

let stdout: Captured;
beforeEach(() => {
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

interface BadCase {
  /** The inputs of the step; `url` is not added for you. */
  inputs: Record<string, string>;
  /** The input the error must name. */
  input: string;
  /** Where in the checks input, for YAML checks: `check 2`, `check 1 ("api")`. */
  where?: string;
  /** The bad value as the message shows it; undefined when it must not be shown (a secret) or there is none. */
  shows?: string;
  /** What is accepted, as the message says it. */
  accepts: string;
  /** Text that must not appear (secrets). */
  hides?: string[];
}

const BAD_INPUTS: [string, BadCase][] = [
  // url
  [
    'url: not a URL',
    {
      inputs: { url: 'not a url' },
      input: 'url',
      where: 'URL 1',
      shows: '"not a url"',
      accepts: 'expected an absolute http:// or https:// URL',
    },
  ],
  [
    'url: an ftp URL',
    {
      inputs: { url: 'ftp://files.example.com/health' },
      input: 'url',
      shows: '"ftp://files.example.com/health"',
      accepts: 'expected an http:// or https:// URL',
    },
  ],
  [
    'url: the second of a list is bad',
    {
      inputs: { url: `${URL}, mailto:ops@example.com` },
      input: 'url',
      where: 'URL 2',
      shows: '"mailto:ops@example.com"',
      accepts: 'http:// or https://',
    },
  ],
  [
    'url: a relative path',
    {
      inputs: { url: '/health' },
      input: 'url',
      shows: '"/health"',
      accepts: 'expected an absolute http:// or https:// URL',
    },
  ],
  [
    'url: a host with a space',
    {
      inputs: { url: 'http://exa mple.com/' },
      input: 'url',
      shows: '"http://exa mple.com/"',
      accepts: 'http:// or https://',
    },
  ],
  [
    'url: an ftp URL with a password',
    {
      inputs: { url: 'ftp://deploy:hunter2-secret@example.com/' },
      input: 'url',
      shows: 'ftp://deploy:***@example.com/',
      accepts: 'http:// or https://',
      hides: ['hunter2-secret'],
    },
  ],
  [
    'url: the same URL twice',
    {
      inputs: { url: `${URL}\n${URL}` },
      input: 'url',
      where: 'URL 2',
      shows: `"GET ${URL}"`,
      accepts: 'list each URL once',
    },
  ],
  // checks: shape
  [
    'checks: a mapping, not a list',
    {
      inputs: { checks: `url: ${URL}` },
      input: 'checks',
      shows: 'a mapping',
      accepts: 'must be a YAML list of checks, each a mapping with at least "url"',
    },
  ],
  [
    'checks: invalid YAML',
    { inputs: { checks: '- url: [unclosed' }, input: 'checks', accepts: 'is not valid YAML or JSON' },
  ],
  [
    'checks: a key given twice',
    {
      inputs: { checks: `- url: ${URL}\n  url: ${URL}` },
      input: 'checks',
      shows: 'unique',
      accepts: 'is not valid YAML or JSON',
    },
  ],
  [
    'checks: an item that is only a URL',
    {
      inputs: { checks: `- ${URL}` },
      input: 'checks',
      where: 'check 1',
      shows: `"${URL}"`,
      accepts: 'expected a mapping with at least "url"',
    },
  ],
  [
    'checks: an unknown field (typo contain)',
    {
      inputs: { checks: `- name: home\n  url: ${URL}\n  contain: ok` },
      input: 'checks',
      where: 'check 1 ("home")',
      shows: '"contain"',
      accepts: 'a check accepts name, url, method, headers',
    },
  ],
  [
    'checks: a check without url',
    {
      inputs: { checks: '- name: home\n  method: GET' },
      input: 'checks',
      where: 'check 1 ("home")',
      shows: '"url"',
      accepts: 'every check needs a url',
    },
  ],
  [
    'checks: a url that is a number',
    {
      inputs: { checks: '- url: 42' },
      input: 'checks',
      where: 'check 1',
      shows: '42',
      accepts: 'expected an http:// or https:// URL',
    },
  ],
  [
    'checks: an ftp url in the second check',
    {
      inputs: { checks: `- url: ${URL}\n- url: ftp://x.example/` },
      input: 'checks',
      where: 'check 2',
      shows: '"ftp://x.example/"',
      accepts: 'expected an http:// or https:// URL',
    },
  ],
  [
    'checks: an empty name',
    {
      inputs: { checks: oneCheck('name: ""') },
      input: 'checks',
      where: 'check 1',
      shows: '""',
      accepts: 'expected a non-empty text',
    },
  ],
  [
    'checks: two checks with one name',
    {
      inputs: { checks: `- name: api\n  url: ${URL}\n- name: api\n  url: ${URL}/2` },
      input: 'checks',
      where: 'check 2',
      shows: '"api"',
      accepts: 'give the checks distinct names',
    },
  ],
  [
    'checks: a check named like a url check',
    {
      inputs: { url: URL, checks: `- url: ${URL}` },
      input: 'checks',
      where: 'check 1',
      shows: `"GET ${URL}"`,
      accepts: 'already used by "url" URL 1',
    },
  ],
  // expected status
  [
    'expected-status: a word',
    {
      inputs: { url: URL, 'expected-status': 'abc' },
      input: 'expected-status',
      shows: '"abc"',
      accepts: 'expected HTTP statuses from 100 to 599',
    },
  ],
  [
    'expected-status: 600',
    {
      inputs: { url: URL, 'expected-status': '600' },
      input: 'expected-status',
      shows: '"600"',
      accepts: 'from 100 to 599',
    },
  ],
  [
    'expected-status: a reversed range',
    {
      inputs: { url: URL, 'expected-status': '299-200' },
      input: 'expected-status',
      shows: '"299-200"',
      accepts: 'like 200, 200-299',
    },
  ],
  [
    'expected-status: 2xx',
    {
      inputs: { url: URL, 'expected-status': '2xx' },
      input: 'expected-status',
      shows: '"2xx"',
      accepts: 'like 200, 200-299',
    },
  ],
  [
    'checks status: 99',
    {
      inputs: { checks: oneCheck('status: 99') },
      input: 'checks',
      where: 'check 1',
      shows: '99',
      accepts: 'expected HTTP statuses from 100 to 599',
    },
  ],
  [
    'checks status: a list with a word',
    {
      inputs: { checks: oneCheck('status: [200, ok]') },
      input: 'checks',
      shows: '[200,"ok"]',
      accepts: 'from 100 to 599',
    },
  ],
  // body assertions
  [
    'checks regex: does not compile',
    {
      inputs: { checks: oneCheck("regex: '(unclosed'") },
      input: 'checks',
      where: 'check 1',
      shows: '"(unclosed"',
      accepts: 'not a valid JavaScript regular expression',
    },
  ],
  [
    'checks regex: empty',
    {
      inputs: { checks: oneCheck("regex: ''") },
      input: 'checks',
      shows: '""',
      accepts: 'expected a regular expression',
    },
  ],
  [
    'checks contains: empty',
    {
      inputs: { checks: oneCheck("contains: ''") },
      input: 'checks',
      shows: '""',
      accepts: 'expected a non-empty string or a list of them',
    },
  ],
  [
    'checks contains: a number',
    {
      inputs: { checks: oneCheck('contains: [ok, 42]') },
      input: 'checks',
      shows: '["ok",42]',
      accepts: 'expected a non-empty string',
    },
  ],
  [
    'checks json: a path without $',
    {
      inputs: { checks: oneCheck('json:', '  - path: status', '    equals: up') },
      input: 'checks',
      where: 'check 1',
      shows: '"status"',
      accepts: 'expected a JSONPath starting with $',
    },
  ],
  [
    'checks json: both equals and exists',
    {
      inputs: { checks: oneCheck('json: {path: $.status, equals: up, exists: true}') },
      input: 'checks',
      shows: '"$.status"',
      accepts: 'needs exactly one of equals or exists',
    },
  ],
  [
    'checks json: neither equals nor exists',
    {
      inputs: { checks: oneCheck('json: [{path: $.status}]') },
      input: 'checks',
      shows: '$.status',
      accepts: 'needs exactly one of equals or exists',
    },
  ],
  [
    'checks json: exists yes',
    {
      inputs: { checks: oneCheck('json: [{path: $.status, exists: "yes"}]') },
      input: 'checks',
      shows: '"yes"',
      accepts: 'expected true or false',
    },
  ],
  [
    'checks json: unknown field equal',
    {
      inputs: { checks: oneCheck('json: [{path: $.status, equal: up}]') },
      input: 'checks',
      shows: '"json.equal"',
      accepts: 'use path with equals or exists',
    },
  ],
  [
    'checks json: a bare path',
    {
      inputs: { checks: oneCheck('json: $.status') },
      input: 'checks',
      shows: '"$.status"',
      accepts: 'expected a list of {path, equals} or {path, exists}',
    },
  ],
  // durations
  [
    'interval: 5x',
    {
      inputs: { url: URL, interval: '5x' },
      input: 'interval',
      shows: '"5x"',
      accepts: 'expected a duration like 90s, 5m, 1h30m or 250ms',
    },
  ],
  [
    'interval: 2 seconds',
    {
      inputs: { url: URL, interval: '2 seconds' },
      input: 'interval',
      shows: '"2 seconds"',
      accepts: 'expected a duration like 90s',
    },
  ],
  [
    'initial-delay: negative',
    {
      inputs: { url: URL, 'initial-delay': '-5s' },
      input: 'initial-delay',
      shows: '"-5s"',
      accepts: 'expected a duration like 90s',
    },
  ],
  [
    'max-latency: a bare 500',
    {
      inputs: { url: URL, 'max-latency': '500' },
      input: 'max-latency',
      shows: '"500"',
      accepts: 'expected a duration with a unit like 90s, 5m, 1h30m or 250ms',
    },
  ],
  [
    'p95-latency: a bare 0.5',
    {
      inputs: { url: URL, 'p95-latency': '0.5' },
      input: 'p95-latency',
      shows: '"0.5"',
      accepts: 'expected a duration with a unit like',
    },
  ],
  [
    'p95-latency: 0ms',
    {
      inputs: { url: URL, 'p95-latency': '0ms' },
      input: 'p95-latency',
      shows: '"0ms"',
      accepts: 'expected a duration from 1ms to 1h',
    },
  ],
  [
    'request-timeout: 0s',
    {
      inputs: { url: URL, 'request-timeout': '0s' },
      input: 'request-timeout',
      shows: '"0s"',
      accepts: 'expected a duration from 1ms to 1h',
    },
  ],
  [
    'timeout: 500ms',
    {
      inputs: { url: URL, timeout: '500ms' },
      input: 'timeout',
      shows: '"500ms"',
      accepts: 'expected a duration from 1s to 6h',
    },
  ],
  [
    'timeout: 7h',
    { inputs: { url: URL, timeout: '7h' }, input: 'timeout', shows: '"7h"', accepts: 'from 1s to 6h' },
  ],
  [
    'checks timeout: 0s',
    {
      inputs: { checks: oneCheck('timeout: 0s') },
      input: 'checks',
      where: 'check 1',
      shows: '"0s"',
      accepts: 'expected a duration with a unit like 500ms, 2s or 1m, above 0 and at most 1h',
    },
  ],
  [
    'checks max-latency: a bare 500',
    {
      inputs: { checks: oneCheck('max-latency: 500') },
      input: 'checks',
      shows: '500',
      accepts: 'expected a duration with a unit',
    },
  ],
  [
    'checks interval: 5x',
    {
      inputs: { checks: oneCheck('interval: 5x') },
      input: 'checks',
      shows: '"5x"',
      accepts: 'expected a duration with a unit',
    },
  ],
  [
    'checks p95-latency: 2h',
    {
      inputs: { checks: oneCheck('p95-latency: 2h') },
      input: 'checks',
      shows: '"2h"',
      accepts: 'at most 1h',
    },
  ],
  // whole numbers
  [
    'samples: 0',
    {
      inputs: { url: URL, samples: '0' },
      input: 'samples',
      shows: '"0"',
      accepts: 'expected a whole number from 1 to 1000',
    },
  ],
  [
    'samples: negative',
    {
      inputs: { url: URL, samples: '-3' },
      input: 'samples',
      shows: '"-3"',
      accepts: 'expected a whole number from 1 to 1000',
    },
  ],
  [
    'samples: a decimal',
    {
      inputs: { url: URL, samples: '2.5' },
      input: 'samples',
      shows: '"2.5"',
      accepts: 'expected a whole number',
    },
  ],
  [
    'samples: a word',
    {
      inputs: { url: URL, samples: 'three' },
      input: 'samples',
      shows: '"three"',
      accepts: 'expected a whole number',
    },
  ],
  [
    'failure-limit: equal to samples',
    {
      inputs: { url: URL, 'failure-limit': '3' },
      input: 'failure-limit',
      shows: '"3"',
      accepts: 'must be less than samples (3)',
    },
  ],
  [
    'failure-limit: above samples',
    {
      inputs: { url: URL, samples: '5', 'failure-limit': '9' },
      input: 'failure-limit',
      shows: '"9"',
      accepts: 'must be less than samples (5)',
    },
  ],
  [
    'failure-limit: negative',
    {
      inputs: { url: URL, 'failure-limit': '-1' },
      input: 'failure-limit',
      shows: '"-1"',
      accepts: 'expected a whole number from 0 to 1000',
    },
  ],
  [
    'consecutive-successes: 0',
    {
      inputs: { url: URL, 'consecutive-successes': '0' },
      input: 'consecutive-successes',
      shows: '"0"',
      accepts: 'from 1 to 1000',
    },
  ],
  [
    'concurrency: 0',
    {
      inputs: { url: URL, concurrency: '0' },
      input: 'concurrency',
      shows: '"0"',
      accepts: 'expected a whole number from 1 to 100',
    },
  ],
  [
    'concurrency: 1000',
    {
      inputs: { url: URL, concurrency: '1000' },
      input: 'concurrency',
      shows: '"1000"',
      accepts: 'from 1 to 100',
    },
  ],
  [
    'concurrency: a decimal',
    {
      inputs: { url: URL, concurrency: '1.5' },
      input: 'concurrency',
      shows: '"1.5"',
      accepts: 'expected a whole number',
    },
  ],
  [
    'checks samples: 0',
    {
      inputs: { checks: oneCheck('samples: 0') },
      input: 'checks',
      where: 'check 1',
      shows: '0',
      accepts: 'expected a whole number from 1 to 1000',
    },
  ],
  [
    'checks samples: a quoted number',
    {
      inputs: { checks: oneCheck('samples: "3"') },
      input: 'checks',
      shows: '"3"',
      accepts: 'expected a whole number',
    },
  ],
  [
    'checks failure-limit: equal to samples',
    {
      inputs: { checks: oneCheck('samples: 2', 'failure-limit: 2') },
      input: 'checks',
      shows: '2',
      accepts: 'must be less than samples (2)',
    },
  ],
  [
    'checks consecutive-successes: a decimal',
    {
      inputs: { checks: oneCheck('consecutive-successes: 1.5') },
      input: 'checks',
      shows: '1.5',
      accepts: 'expected a whole number from 1 to 1000',
    },
  ],
  // booleans
  [
    'insecure: yes',
    {
      inputs: { url: URL, insecure: 'yes' },
      input: 'insecure',
      shows: '"yes"',
      accepts: 'expected true or false',
    },
  ],
  [
    'follow-redirects: on',
    {
      inputs: { url: URL, 'follow-redirects': 'on' },
      input: 'follow-redirects',
      shows: '"on"',
      accepts: 'expected true or false',
    },
  ],
  [
    'checks insecure: yes',
    {
      inputs: { checks: oneCheck('insecure: yes') },
      input: 'checks',
      where: 'check 1',
      shows: '"yes"',
      accepts: 'expected true or false',
    },
  ],
  [
    'checks follow-redirects: 1',
    {
      inputs: { checks: oneCheck('follow-redirects: 1') },
      input: 'checks',
      shows: '1',
      accepts: 'expected true or false',
    },
  ],
  // headers
  [
    'headers: an entry without =',
    {
      inputs: { url: URL, headers: 'Authorization' },
      input: 'headers',
      shows: '***',
      accepts: 'expected key=value',
    },
  ],
  [
    'headers: a name given twice',
    {
      inputs: { url: URL, headers: 'X-Env=a\nX-Env=b' },
      input: 'headers',
      shows: '***',
      accepts: 'given twice',
    },
  ],
  [
    'headers: an empty name',
    {
      inputs: { url: URL, headers: '=value-only' },
      input: 'headers',
      accepts: 'the key is empty',
      hides: ['value-only'],
    },
  ],
  [
    'headers: a name with a space',
    {
      inputs: { url: URL, headers: 'Bad Name=1' },
      input: 'headers',
      shows: '"Bad Name"',
      accepts: 'not a valid HTTP header name',
    },
  ],
  [
    'headers: a name with a colon',
    {
      inputs: { url: URL, headers: 'X-Env:=prod' },
      input: 'headers',
      shows: '"X-Env:"',
      accepts: 'not a valid HTTP header name',
    },
  ],
  [
    'checks headers: a value with a newline',
    {
      inputs: { checks: oneCheck('headers:', '  Authorization: "Bearer abc\\ninjected-secret"') },
      input: 'checks',
      where: 'check 1',
      accepts: 'a header value cannot contain line breaks',
      hides: ['injected-secret'],
    },
  ],
  [
    'checks headers: a name with a space',
    {
      inputs: { checks: oneCheck('headers: {"Bad Name": x}') },
      input: 'checks',
      shows: '"Bad Name"',
      accepts: 'not a valid HTTP header name',
    },
  ],
  [
    'checks headers: a list',
    {
      inputs: { checks: oneCheck('headers: [a, b]') },
      input: 'checks',
      accepts: 'expected a mapping of header name to value',
    },
  ],
  [
    'checks headers: a nested value',
    {
      inputs: { checks: oneCheck('headers: {X-Token: {value: nested-secret}}') },
      input: 'checks',
      accepts: 'expected a string value',
      hides: ['nested-secret'],
    },
  ],
  [
    'checks: a misspelt headers field with a credential',
    {
      inputs: { checks: oneCheck('header: {Authorization: Bearer typo-secret}') },
      input: 'checks',
      shows: '"header"',
      accepts: 'a check accepts',
      hides: ['typo-secret'],
    },
  ],
  // method and body
  [
    'checks: GET with a body',
    {
      inputs: { checks: oneCheck('body: "{}"') },
      input: 'checks',
      where: 'check 1',
      shows: '"(not shown)"',
      accepts: 'a GET request cannot have a body',
    },
  ],
  [
    'checks: HEAD with a body',
    {
      inputs: { checks: oneCheck('method: HEAD', 'body: ping') },
      input: 'checks',
      shows: '"(not shown)"',
      accepts: 'a HEAD request cannot have a body',
    },
  ],
  [
    'checks: an unknown method',
    {
      inputs: { checks: oneCheck('method: FETCH') },
      input: 'checks',
      shows: '"FETCH"',
      accepts: 'expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    },
  ],
  [
    'checks: a method that is a number',
    {
      inputs: { checks: oneCheck('method: 42') },
      input: 'checks',
      shows: '42',
      accepts: 'expected a string',
    },
  ],
  // TLS
  [
    'ca-certificate: not PEM',
    {
      inputs: { url: URL, 'ca-certificate': 'not a certificate' },
      input: 'ca-certificate',
      shows: '"not a certificate"',
      accepts: 'expected PEM text starting with -----BEGIN CERTIFICATE-----',
    },
  ],
  [
    'ca-certificate: base64 without the PEM armour',
    {
      inputs: { url: URL, 'ca-certificate': 'MIIBszCCAVmgAwIBAgIUQx1234567890abcdef' },
      input: 'ca-certificate',
      shows: '"MIIBszCCAVmgAwIBAgIUQx12345678"',
      accepts: 'expected PEM text',
    },
  ],
  [
    'checks ca-certificate: not PEM',
    {
      inputs: { checks: oneCheck("ca-certificate: 'not a certificate'") },
      input: 'checks',
      where: 'check 1',
      shows: '"not a certificate"',
      accepts: 'expected PEM text',
    },
  ],
  // nothing to check
  [
    'no url and no checks',
    { inputs: {}, input: 'url', accepts: 'set "url" (one or more URLs) or "checks" (a YAML list)' },
  ],
  [
    'an empty checks list',
    { inputs: { checks: '[]' }, input: 'url', accepts: 'set "url" (one or more URLs) or "checks"' },
  ],
  [
    'a url list of only separators',
    { inputs: { url: ' , \n# commented-out' }, input: 'url', accepts: 'set "url"' },
  ],
];

describe('readInputs rejects malformed inputs', () => {
  it('has at least 40 cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUTS)('%s', async (_label, bad) => {
    const error = await readError(bad.inputs);
    expect(error.input).toBe(bad.input);
    expect(error.message).toContain(`"${bad.input}"`);
    if (bad.where) expect(error.message).toContain(bad.where);
    if (bad.shows) expect(error.message).toContain(bad.shows);
    expect(error.message).toContain(bad.accepts);
    for (const secret of bad.hides ?? []) {
      expect(error.message).not.toContain(secret);
      expect(redact(error.message)).not.toContain(secret);
    }
  });
});

describe('readInputs resolves good inputs', () => {
  it('applies the documented defaults to a url', async () => {
    const inputs = await read({ url: URL });
    expect(inputs).toMatchObject({ initialDelayMs: 0, timeoutMs: 300_000, concurrency: 10 });
    expect(inputs.checks).toHaveLength(1);
    expect(inputs.checks[0]).toMatchObject({
      name: `GET ${URL}`,
      url: URL,
      method: 'GET',
      headers: {},
      samples: 3,
      failureLimit: 0,
      consecutiveSuccesses: 1,
      intervalMs: 2000,
      requestTimeoutMs: 10_000,
      maxLatencyMs: undefined,
      p95LatencyMs: undefined,
      followRedirects: true,
      tls: { ca: undefined, insecure: false },
    });
    expect(inputs.checks[0]?.expectedStatus.text).toBe('200-299');
  });

  it('resolves the same with the defaults written in action.yml, as the runner passes them', async () => {
    const metadata = parse(
      readFileSync(new globalThis.URL('../../actions/smoke-test/action.yml', import.meta.url), 'utf8'),
    ) as { inputs: Record<string, { default?: string }> };
    const defaults = Object.fromEntries(
      Object.entries(metadata.inputs).map(([name, spec]) => [name, spec.default ?? '']),
    );
    const fromCode = await read({ url: URL });
    const fromActionYml = await read({ ...defaults, url: URL });
    expect(fromActionYml).toEqual(fromCode);
  });

  it('applies every action-level override to url checks', async () => {
    const inputs = await read({
      url: `${URL}\nhttps://127.0.0.1:9443/ready`,
      'expected-status': '200, 301-302',
      headers: 'X-Env=staging\nAuthorization=Bearer action-level-token',
      'initial-delay': '1m30s',
      interval: '250ms',
      samples: '10',
      'failure-limit': '2',
      'consecutive-successes': '3',
      timeout: '30',
      'request-timeout': '1.5s',
      'max-latency': '800ms',
      'p95-latency': '1s',
      'follow-redirects': 'FALSE',
      'ca-certificate': PEM,
      insecure: 'True',
      concurrency: '100',
    });
    expect(inputs).toMatchObject({ initialDelayMs: 90_000, timeoutMs: 30_000, concurrency: 100 });
    expect(inputs.checks.map((check) => check.url)).toEqual([URL, 'https://127.0.0.1:9443/ready']);
    for (const check of inputs.checks) {
      expect(check).toMatchObject({
        headers: { 'x-env': 'staging', authorization: 'Bearer action-level-token' },
        samples: 10,
        failureLimit: 2,
        consecutiveSuccesses: 3,
        intervalMs: 250,
        requestTimeoutMs: 1500,
        maxLatencyMs: 800,
        p95LatencyMs: 1000,
        followRedirects: false,
        tls: { ca: PEM, insecure: true },
      });
      expect(check.expectedStatus.text).toBe('200, 301-302');
    }
    expect(redact('Bearer action-level-token')).toBe('***');
  });

  it('reads url lists separated by commas and newlines, skipping comments and blanks', async () => {
    const inputs = await read({
      url: `http://127.0.0.1:9/a, http://127.0.0.1:9/b\n\n# http://127.0.0.1:9/skipped\n  http://127.0.0.1:9/c  `,
    });
    expect(inputs.checks.map((check) => check.url)).toEqual([
      'http://127.0.0.1:9/a',
      'http://127.0.0.1:9/b',
      'http://127.0.0.1:9/c',
    ]);
  });

  it('puts url checks before YAML checks, and YAML checks inherit the action-level settings', async () => {
    const inputs = await read({
      url: URL,
      samples: '5',
      'max-latency': '2s',
      checks: [
        '- name: api',
        '  url: http://127.0.0.1:9/api',
        '  method: POST',
        '  body: "{}"',
        '  status: 201',
        '  samples: 2',
        '- url: http://127.0.0.1:9/version',
        '  json:',
        '    - path: $.version',
        '      equals: "1.2.3"',
      ].join('\n'),
    });
    expect(inputs.checks.map((check) => check.name)).toEqual([
      `GET ${URL}`,
      'api',
      'GET http://127.0.0.1:9/version',
    ]);
    expect(inputs.checks[1]).toMatchObject({ method: 'POST', body: '{}', samples: 2, maxLatencyMs: 2000 });
    expect(inputs.checks[1]?.expectedStatus.text).toBe('201');
    expect(inputs.checks[2]).toMatchObject({ samples: 5, json: [{ path: '$.version', equals: '1.2.3' }] });
  });

  it('accepts checks written as JSON', async () => {
    const inputs = await read({
      checks: JSON.stringify([{ name: 'health', url: URL, contains: ['ok'], 'follow-redirects': false }]),
    });
    expect(inputs.checks[0]).toMatchObject({ name: 'health', contains: ['ok'], followRedirects: false });
  });

  it('accepts a bare number of seconds for timing inputs other than latencies', async () => {
    const inputs = await read({ url: URL, interval: '0', 'initial-delay': '2', 'request-timeout': '3' });
    expect(inputs.initialDelayMs).toBe(2000);
    expect(inputs.checks[0]).toMatchObject({ intervalMs: 0, requestTimeoutMs: 3000 });
  });

  it('accepts the boundaries of each range', async () => {
    const low = await read({
      url: URL,
      samples: '1',
      concurrency: '1',
      timeout: '1s',
      'request-timeout': '1ms',
    });
    expect(low).toMatchObject({ concurrency: 1, timeoutMs: 1000 });
    expect(low.checks[0]).toMatchObject({ samples: 1, failureLimit: 0, requestTimeoutMs: 1 });
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
    const high = await read({
      url: URL,
      samples: '1000',
      'failure-limit': '999',
      timeout: '6h',
      'initial-delay': '1h',
    });
    expect(high).toMatchObject({ timeoutMs: 6 * 3_600_000, initialDelayMs: 3_600_000 });
    expect(high.checks[0]).toMatchObject({ samples: 1000, failureLimit: 999 });
  });

  it('masks the whole headers input and URL credentials at once', async () => {
    await read({ url: 'http://deploy:url-password-7@127.0.0.1:9/', headers: 'X-Api-Key=header-key-8' });
    expect(redact('url-password-7 header-key-8')).toBe('*** ***');
    expect(stdout.text()).toContain('::add-mask::url-password-7');
    expect(stdout.text()).toContain('::add-mask::header-key-8');
  });
});
