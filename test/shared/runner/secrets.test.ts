import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  maskSecret,
  redact,
  redactUrlCredentials,
  REDACTED,
  urlForMessages,
} from '../../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../helpers.ts';

// The registry of known secrets is module state: every test uses values of its own.
let stdout: Captured;

beforeEach(() => {
  stdout = capture();
});

afterEach(() => {
  stdout.restore();
});

function masks(): string[] {
  return [...stdout.text().matchAll(/^::add-mask::(.*)$/gm)].map((match) => match[1] as string);
}

describe('maskSecret', () => {
  it('announces the value with ::add-mask:: and redacts it afterwards', () => {
    maskSecret('s3cr3t-token-value');
    expect(masks()).toEqual(['s3cr3t-token-value']);
    expect(redact('token=s3cr3t-token-value;again s3cr3t-token-value')).toBe('token=***;again ***');
  });

  it('masks a multi-line value line by line, and redacts each line on its own too', () => {
    const key = '-----BEGIN KEY-----\r\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n-----END KEY-----';
    maskSecret(key);
    // The runner matches line by line; the URL-encoded form is a single line of its own.
    expect(masks()).toEqual([
      '-----BEGIN KEY-----',
      'MIIEvQIBADANBg',
      'kqhkiG9w0BAQEF',
      '-----END KEY-----',
      // %25 is how a workflow command escapes the % of the encoded form.
      encodeURIComponent(key).replace(/%/g, '%25'),
    ]);
    expect(redact(`whole: ${key}`)).toBe('whole: ***');
    // Output is redacted line by line (exec keeps line tails), so each line must be known by itself.
    expect(redact('stderr: MIIEvQIBADANBg')).toBe('stderr: ***');
    expect(redact('kqhkiG9w0BAQEF')).toBe('***');
  });

  it('does not mask lines of a multi-line value that are too short to be worth masking', () => {
    maskSecret('first-line-secret\nab\n  \nsecond-line-secret');
    expect(masks().slice(0, 2)).toEqual(['first-line-secret', 'second-line-secret']);
    expect(masks()).not.toContain('ab');
    expect(redact('ab')).toBe('ab');
  });

  it.each([[''], ['a'], ['ab'], [undefined], [null]])('ignores %p', (value) => {
    maskSecret(value);
    expect(stdout.text()).toBe('');
    expect(redact('a ab abc')).toBe('a ab abc');
  });

  it('masks the URL-encoded form too', () => {
    maskSecret('p@ss w/rd');
    expect(masks()).toEqual(['p@ss w/rd', 'p%2540ss%2520w%252Frd']);
    expect(redact('raw p@ss w/rd and encoded p%40ss%20w%2Frd')).toBe(
      `raw ${REDACTED} and encoded ${REDACTED}`,
    );
  });

  it('announces a value only once', () => {
    maskSecret('repeated-secret');
    maskSecret('repeated-secret');
    expect(masks()).toEqual(['repeated-secret']);
  });
});

describe('redact', () => {
  it('replaces the longest secret first, so one containing another goes whole', () => {
    maskSecret('inner-secret');
    maskSecret('outer-inner-secret-suffix');
    stdout.clear();
    expect(redact('x outer-inner-secret-suffix y inner-secret z')).toBe('x *** y *** z');
  });

  it('leaves text without secrets alone', () => {
    expect(redact('nothing to hide here')).toBe('nothing to hide here');
  });

  it('treats secrets literally, not as patterns', () => {
    maskSecret('a.b*c+(d)');
    expect(redact('a.b*c+(d) aXbbc+d')).toBe('*** aXbbc+d');
  });
});

describe('urlForMessages', () => {
  it.each([
    ['https://host/a?sig=signed-77&v=1', 'https://host/a?…'],
    ['https://user:pw-secret-77@host/a', 'https://user:***@host/a'],
    [' https://host:99999/h?token=t-77 ', 'https://host:99999/h?…'],
    ['https://host/plain', 'https://host/plain'],
  ])('%s -> %s', (raw, shown) => {
    expect(urlForMessages(raw)).toBe(shown);
  });
});

describe('redactUrlCredentials', () => {
  it('hides the password and registers it', () => {
    expect(redactUrlCredentials('https://deploy:hunter2-pass@registry.example.com/v2/')).toBe(
      'https://deploy:***@registry.example.com/v2/',
    );
    expect(masks()).toContain('hunter2-pass');
    expect(redact('password is hunter2-pass')).toBe('password is ***');
  });

  it('hides a percent-encoded password and registers both the raw and the encoded form', () => {
    const hidden = redactUrlCredentials('postgres://app:p%40ss%3Aw%2Frd@db.internal:5432/app');
    expect(hidden).toBe('postgres://app:***@db.internal:5432/app');
    expect(redact('raw p@ss:w/rd')).toBe('raw ***');
    expect(redact('encoded p%40ss%3Aw%2Frd')).toBe('encoded ***');
  });

  it('hides a password containing a % that is not an escape', () => {
    expect(redactUrlCredentials('postgres://app:100%pure-pw@db/app')).toBe('postgres://app:***@db/app');
    expect(redact('100%pure-pw')).toBe('***');
  });

  it.each([
    ['https://example.com/a?b=c#d'],
    ['HTTPS://Example.COM'],
    ['postgres://db.internal:5432/app'],
    ['not a url at all'],
    [''],
  ])('leaves %p unchanged', (url) => {
    expect(redactUrlCredentials(url)).toBe(url);
    expect(stdout.text()).toBe('');
  });

  it('keeps an ordinary user name without a password', () => {
    expect(redactUrlCredentials('postgres://app@db.internal/orders')).toBe(
      'postgres://app@db.internal/orders',
    );
  });

  it('hides a lone user name, the way tokens are put in URLs', () => {
    expect(redactUrlCredentials('https://ghp_tokenvalue123@example.com/')).toBe('https://***@example.com/');
    expect(redact('clone ghp_tokenvalue123 failed')).toBe('clone *** failed');
  });
});
