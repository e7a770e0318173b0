import { describe, expect, it } from '@jest/globals';
import { judgeResponse } from '../../shared/src/smoke-checks/assertions.ts';
import type { JsonAssertion } from '../../shared/src/smoke-checks/check-spec.ts';
import type { HttpResponse } from '../../shared/src/net/http.ts';
import { makeCheck, statusSet } from './helpers.ts';

function response(overrides: Partial<HttpResponse> = {}): HttpResponse {
  return {
    status: 200,
    headers: {},
    body: 'ok',
    bodyTruncated: false,
    url: 'http://127.0.0.1:1/health',
    redirects: [],
    latencyMs: 12,
    ...overrides,
  };
}

function reasonOf(verdict: ReturnType<typeof judgeResponse>): string | undefined {
  return verdict.ok ? undefined : verdict.reason;
}

describe('status', () => {
  it('passes a status inside the expected set', () => {
    expect(judgeResponse(makeCheck(), response({ status: 204 }))).toEqual({ ok: true });
  });

  it('names the expected set and the status it got', () => {
    expect(judgeResponse(makeCheck(), response({ status: 503 }))).toEqual({
      ok: false,
      reason: 'expected status 200-299, got 503',
    });
  });

  it('says how many redirects led to the status', () => {
    const verdict = judgeResponse(
      makeCheck({ expectedStatus: statusSet('200') }),
      response({ status: 404, redirects: ['http://a/1', 'http://a/2'] }),
    );
    expect(reasonOf(verdict)).toBe('expected status 200, got 404 (after 2 redirects)');
  });

  it('accepts a redirect status when it is expected', () => {
    const check = makeCheck({ expectedStatus: statusSet('301-302'), followRedirects: false });
    expect(judgeResponse(check, response({ status: 302 })).ok).toBe(true);
    expect(reasonOf(judgeResponse(check, response({ status: 200 })))).toBe(
      'expected status 301-302, got 200',
    );
  });

  it('judges the status before the body', () => {
    const check = makeCheck({ contains: ['ready'] });
    expect(reasonOf(judgeResponse(check, response({ status: 500, body: 'boom' })))).toBe(
      'expected status 200-299, got 500',
    );
  });
});

describe('contains', () => {
  it('passes when the body contains every text', () => {
    const check = makeCheck({ contains: ['"status"', 'up'] });
    expect(judgeResponse(check, response({ body: '{"status":"up"}' })).ok).toBe(true);
  });

  it('names the first missing text', () => {
    const check = makeCheck({ contains: ['status', 'ready', 'later'] });
    expect(reasonOf(judgeResponse(check, response({ body: 'status: starting' })))).toBe(
      'body does not contain "ready"',
    );
  });

  it('is case-sensitive', () => {
    const check = makeCheck({ contains: ['OK'] });
    expect(reasonOf(judgeResponse(check, response({ body: 'ok' })))).toBe('body does not contain "OK"');
  });

  it('notes when only the first MiB of the body was read', () => {
    const check = makeCheck({ contains: ['footer'] });
    expect(reasonOf(judgeResponse(check, response({ body: 'x'.repeat(100), bodyTruncated: true })))).toBe(
      'body does not contain "footer" (only the first 1 MiB was read)',
    );
  });

  it('does not add the note when the body was read whole', () => {
    const check = makeCheck({ contains: ['footer'] });
    expect(reasonOf(judgeResponse(check, response({ body: 'x' })))).not.toContain('1 MiB');
  });
});

describe('regex', () => {
  it('passes a matching body', () => {
    const check = makeCheck({ regex: /"version":\s*"\d+\.\d+"/ });
    expect(judgeResponse(check, response({ body: '{"version": "1.42"}' })).ok).toBe(true);
  });

  it('shows the pattern as /source/ when it does not match', () => {
    const check = makeCheck({ regex: /^ok$/ });
    expect(reasonOf(judgeResponse(check, response({ body: 'not ok!' })))).toBe('body does not match /^ok$/');
  });

  it('anchors ^ and $ to the whole body, as the inputs compile it (no flags)', () => {
    const check = makeCheck({ regex: /^ok$/ });
    expect(judgeResponse(check, response({ body: 'error: db down\nok' })).ok).toBe(false);
    expect(judgeResponse(check, response({ body: 'ok' })).ok).toBe(true);
  });

  it('adds the truncation note', () => {
    const check = makeCheck({ regex: /end/ });
    expect(reasonOf(judgeResponse(check, response({ body: 'start', bodyTruncated: true })))).toBe(
      'body does not match /end/ (only the first 1 MiB was read)',
    );
  });

  it('is checked after contains', () => {
    const check = makeCheck({ contains: ['a'], regex: /b/ });
    expect(reasonOf(judgeResponse(check, response({ body: 'c' })))).toBe('body does not contain "a"');
  });
});

describe('json', () => {
  const body = JSON.stringify({
    status: 'up',
    version: 3,
    ready: true,
    nothing: null,
    database: { primary: { ok: true, lagMs: 12 }, replicas: [{ ok: true }, { ok: false }] },
    tags: ['a', 'b'],
  });
  const judge = (json: JsonAssertion[], text = body): ReturnType<typeof judgeResponse> =>
    judgeResponse(makeCheck({ json }), response({ body: text }));

  it.each<[string, JsonAssertion[]]>([
    ['a string', [{ path: '$.status', equals: 'up' }]],
    ['a number', [{ path: '$.version', equals: 3 }]],
    ['a boolean', [{ path: '$.ready', equals: true }]],
    ['null', [{ path: '$.nothing', equals: null }]],
    ['a nested value', [{ path: '$.database.primary.ok', equals: true }]],
    ['a whole nested object', [{ path: '$.database.primary', equals: { ok: true, lagMs: 12 } }]],
    ['an array element', [{ path: '$.database.replicas[1].ok', equals: false }]],
    ['a whole array', [{ path: '$.tags', equals: ['a', 'b'] }]],
    ['several matches as a list', [{ path: '$.database.replicas[*].ok', equals: [true, false] }]],
    ['bracket notation', [{ path: "$['database']['primary']['lagMs']", equals: 12 }]],
    ['exists: true', [{ path: '$.database.primary', exists: true }]],
    ['exists: true on a null value', [{ path: '$.nothing', exists: true }]],
    ['exists: false', [{ path: '$.error', exists: false }]],
    ['exists on an array element', [{ path: '$.tags[1]', exists: true }]],
    [
      'several assertions',
      [
        { path: '$.status', equals: 'up' },
        { path: '$.tags[0]', equals: 'a' },
        { path: '$.error', exists: false },
      ],
    ],
  ])('passes equals/exists on %s', (_label, json) => {
    expect(judge(json)).toEqual({ ok: true });
  });

  it.each<[string, JsonAssertion[], string]>([
    ['a different string', [{ path: '$.status', equals: 'down' }], '$.status is "up", expected "down"'],
    ['a string for a number', [{ path: '$.version', equals: '3' }], '$.version is 3, expected "3"'],
    [
      'a nested object with another value',
      [{ path: '$.database.primary', equals: { ok: true, lagMs: 0 } }],
      '$.database.primary is {"ok":true,"lagMs":12}, expected {"ok":true,"lagMs":0}',
    ],
    [
      'an array in another order',
      [{ path: '$.tags', equals: ['b', 'a'] }],
      '$.tags is ["a","b"], expected ["b","a"]',
    ],
    [
      'an array element',
      [{ path: '$.database.replicas[1].ok', equals: true }],
      '$.database.replicas[1].ok is false, expected true',
    ],
    [
      'a missing path with equals',
      [{ path: '$.database.cache.ok', equals: true }],
      '$.database.cache.ok does not exist (expected true)',
    ],
    ['exists: true on a missing path', [{ path: '$.error', exists: true }], '$.error does not exist'],
    [
      'exists: false on a present path',
      [{ path: '$.status', exists: false }],
      '$.status exists but should not',
    ],
    ['an index past the end', [{ path: '$.tags[5]', exists: true }], '$.tags[5] does not exist'],
    [
      'the second of several assertions',
      [
        { path: '$.status', equals: 'up' },
        { path: '$.version', equals: 4 },
      ],
      '$.version is 3, expected 4',
    ],
  ])('fails on %s', (_label, json, reason) => {
    expect(judge(json)).toEqual({ ok: false, reason });
  });

  it('fails a body that is not JSON, quoting its start', () => {
    expect(
      reasonOf(judge([{ path: '$.status', exists: true }], '<html><body>502 Bad Gateway</body></html>')),
    ).toBe('body is not JSON (starts with "<html><body>502 Bad Gateway</body></html")');
  });

  it('fails an empty body as not JSON', () => {
    expect(reasonOf(judge([{ path: '$.status', equals: 'up' }], ''))).toBe(
      'body is not JSON (starts with "")',
    );
  });

  it('judges a JSON body that is a top-level array', () => {
    expect(judge([{ path: '$[0].id', equals: 7 }], '[{"id":7}]')).toEqual({ ok: true });
  });

  it('judges JSON bodies that are not objects without crashing', () => {
    expect(judge([{ path: '$', equals: 42 }], '42')).toEqual({ ok: true });
    expect(reasonOf(judge([{ path: '$.status', exists: true }], '"up"'))).toBe('$.status does not exist');
    expect(reasonOf(judge([{ path: '$.status', equals: 'up' }], 'null'))).toBe(
      '$.status does not exist (expected "up")',
    );
  });

  it('fails a sample, rather than throwing, when a JSONPath filter cannot be evaluated', () => {
    const verdict = judge([{ path: '$.database.replicas[?(@.ok', exists: true }]);
    expect(verdict.ok).toBe(false);
    expect(reasonOf(verdict)).toContain('$.database.replicas[?(@.ok');
    expect(reasonOf(verdict)).toContain('JSONPath');
  });

  it('is judged only after status, contains and regex', () => {
    const check = makeCheck({ regex: /nope/, json: [{ path: '$.x', exists: true }] });
    expect(reasonOf(judgeResponse(check, response({ body: 'not json' })))).toBe('body does not match /nope/');
  });
});

describe('max-latency', () => {
  it('passes a sample at or below the limit', () => {
    const check = makeCheck({ maxLatencyMs: 500 });
    expect(judgeResponse(check, response({ latencyMs: 499.6 })).ok).toBe(true);
    expect(judgeResponse(check, response({ latencyMs: 500 })).ok).toBe(true);
  });

  it('fails a slower sample with both figures in milliseconds', () => {
    const check = makeCheck({ maxLatencyMs: 500 });
    expect(reasonOf(judgeResponse(check, response({ latencyMs: 812.4 })))).toBe(
      'latency 812 ms > max-latency 500 ms',
    );
  });

  it('has no limit when not set', () => {
    expect(judgeResponse(makeCheck(), response({ latencyMs: 60_000 })).ok).toBe(true);
  });

  it('reports a wrong status before a slow answer', () => {
    const check = makeCheck({ maxLatencyMs: 10 });
    expect(reasonOf(judgeResponse(check, response({ status: 502, latencyMs: 900 })))).toBe(
      'expected status 200-299, got 502',
    );
  });
});
