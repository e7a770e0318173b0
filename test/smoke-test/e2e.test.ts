import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { SmokeTestReport } from '../../actions/smoke-test/src/report.ts';
import { runActionBundle, type ActionRun, type Annotation } from '../support/action-runner.ts';
import {
  startHttpService,
  unusedPort,
  type HttpService,
  type HttpServiceOptions,
  type ScriptedResponse,
} from '../support/http-service.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { generateTestCertificates, type TestCertificates } from '../support/tls-certificates.ts';

/**
 * The committed bundle (dist/smoke-test/index.js) run as the GitHub runner runs it, against real
 * HTTP and HTTPS services on loopback.
 */

const OK: ScriptedResponse = { status: 200, body: 'ok' };
const DOWN: ScriptedResponse = { status: 503, body: 'unavailable' };
/** Short timings, so each run takes a second or two; the request timeout leaves a loaded machine room. */
const FAST = { interval: '50ms', timeout: '10s', 'request-timeout': '5s' };

const services: HttpService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

async function serve(options: HttpServiceOptions): Promise<HttpService> {
  const service = await startHttpService(options);
  services.push(service);
  return service;
}

/** Answers the n-th request (1-based) of a route with `script[n - 1]`, and the last entry from then on. */
function scripted(...script: ScriptedResponse[]): (request: unknown, count: number) => ScriptedResponse {
  return (_request, count) => script[Math.min(count, script.length) - 1] as ScriptedResponse;
}

function smokeTest(inputs: Record<string, string>): Promise<ActionRun> {
  return runActionBundle({ action: 'smoke-test', inputs: { ...FAST, ...inputs }, timeoutMs: 30_000 });
}

function report(run: ActionRun): SmokeTestReport {
  expect(run.outputs.report).toBeDefined();
  return JSON.parse(run.outputs.report as string) as SmokeTestReport;
}

function errors(run: ActionRun): Annotation[] {
  return run.annotations.filter((annotation) => annotation.level === 'error');
}

function expectVerdict(run: ActionRun, passed: boolean): void {
  const context = `log:\n${run.log}`;
  expect({ exitCode: run.exitCode, outcome: run.outcome, passed: run.outputs.passed, context }).toEqual({
    exitCode: passed ? 0 : 1,
    outcome: passed ? 'success' : 'failure',
    passed: String(passed),
    context,
  });
}

describe('a healthy service', () => {
  let service: HttpService;
  let run: ActionRun;

  beforeAll(async () => {
    service = await startHttpService({
      routes: {
        '/health': () => OK,
        '/status': () => ({ body: { status: 'up', checks: { db: { ok: true } }, version: '1.4.2' } }),
      },
    });
    try {
      run = await smokeTest({
        url: service.url('/health'),
        checks: [
          '- name: status',
          `  url: ${service.url('/status')}`,
          '  contains: up',
          '  regex: \'"version":"1\\.\\d+\'',
          '  json:',
          '    - path: $.checks.db.ok',
          '      equals: true',
          '    - path: $.error',
          '      exists: false',
          '  samples: 2',
        ].join('\n'),
      });
    } finally {
      await service.close();
    }
  });

  it('passes: exit 0, passed=true, no failed checks, no error annotation', () => {
    expectVerdict(run, true);
    expect(run.outputs['failed-checks']).toBe('[]');
    expect(errors(run)).toEqual([]);
  });

  it('reports every check in the report output', () => {
    const parsed = report(run);
    expect(parsed.passed).toBe(true);
    expect(parsed.checks).toEqual([
      expect.objectContaining({
        name: `GET ${service.url('/health')}`,
        url: service.url('/health'),
        status: 'passed',
        reason: null,
        samples: 3,
        failures: 0,
        'startup-failures': 0,
      }),
      expect.objectContaining({ name: 'status', status: 'passed', samples: 2, failures: 0 }),
    ]);
    for (const check of parsed.checks) {
      for (const field of ['p50-ms', 'p95-ms', 'max-ms', 'duration-ms'] as const) {
        expect(typeof check[field]).toBe('number');
      }
    }
  });

  it('writes a job summary table with one row per check', () => {
    expect(run.summary).toContain('## Smoke test passed: 2 of 2 checks healthy');
    expect(run.summary).toContain('| Check | Result | Samples | Failures | p50 | p95 | Why |');
    expect(run.summary).toMatch(
      /\| GET http:\/\/127\.0\.0\.1:\d+\/health \| ✅ passed \| 3 \| 0 \| \d+ ms \| \d+ ms \|/,
    );
    expect(run.summary).toMatch(/\| status \| ✅ passed \| 2 \| 0 \|/);
    expect(run.summary).toMatch(/Ran 2 checks in /);
  });

  it('sent exactly the samples it counted', () => {
    expect(service.requestsTo('/health')).toHaveLength(3);
    expect(service.requestsTo('/status')).toHaveLength(2);
    expect(service.requests.every((request) => request.method === 'GET')).toBe(true);
  });
});

describe('a service that starts late', () => {
  it('passes once it answers, counting the failed attempts before as startup failures', async () => {
    const service = await serve({ routes: { '/health': scripted(DOWN, DOWN, DOWN, OK) } });
    const run = await smokeTest({ url: service.url('/health') });
    expectVerdict(run, true);
    expect(report(run).checks[0]).toMatchObject({ samples: 3, failures: 0, 'startup-failures': 3 });
    expect(run.summary).toContain('healthy after 3 failed attempts');
    expect(service.requests).toHaveLength(6);
  });

  it('passes when the port starts listening only after the first requests were refused', async () => {
    const port = await unusedPort();
    const pending = smokeTest({ url: `http://127.0.0.1:${port}/health` });
    // Long enough for the bundle to start and be refused at least once.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const service = await serve({ port, routes: { '/health': () => OK } });
    const run = await pending;
    expectVerdict(run, true);
    expect(report(run).checks[0]?.['startup-failures']).toBeGreaterThanOrEqual(1);
    expect(service.requests).toHaveLength(3);
  });
});

describe('a flapping service', () => {
  let service: HttpService;
  let run: ActionRun;

  beforeAll(async () => {
    service = await startHttpService({
      routes: {
        '/flap': (_request, count) => (count % 2 === 1 ? OK : DOWN),
        '/flap-later': scripted(OK, OK, OK, DOWN),
        '/steady': () => OK,
      },
    });
    try {
      run = await smokeTest({
        samples: '5',
        checks: [
          `- name: flap\n  url: ${service.url('/flap')}`,
          `- name: flap later\n  url: ${service.url('/flap-later')}`,
          `- name: steady\n  url: ${service.url('/steady')}`,
        ].join('\n'),
      });
    } finally {
      await service.close();
    }
  });

  it('fails: exit 1, passed=false, the failed checks named in order', () => {
    expectVerdict(run, false);
    expect(JSON.parse(run.outputs['failed-checks'] as string)).toEqual(['flap', 'flap later']);
    expect(report(run).checks.map((check) => check.status)).toEqual(['failed', 'failed', 'passed']);
  });

  it('annotates each failed check once, with a title and the reason', () => {
    expect(errors(run)).toEqual([
      {
        level: 'error',
        message: `flap (${service.url('/flap')}): sample 2: expected status 200-299, got 503 (1 failed sample > failure-limit 0)`,
        properties: { title: 'Smoke check failed: flap' },
      },
      {
        level: 'error',
        message: `flap later (${service.url('/flap-later')}): sample 4: expected status 200-299, got 503 (1 failed sample > failure-limit 0)`,
        properties: { title: 'Smoke check failed: flap later' },
      },
    ]);
  });

  it('says in the summary why each check failed, sample by sample', () => {
    expect(run.summary).toContain('## Smoke test failed: 2 of 3 checks unhealthy');
    expect(run.summary).toMatch(
      /\| flap \| ❌ failed \| 2 \| 1 \| .* \| sample 2: expected status 200-299, got 503/,
    );
    expect(run.summary).toMatch(/\| steady \| ✅ passed \| 5 \| 0 \|/);
    expect(run.summary).toContain(`<details><summary>Samples of flap (${service.url('/flap')})</summary>`);
    expect(run.summary).toMatch(/2\. \+[\d.]+m?s 503 in \d+ ms — expected status 200-299, got 503/);
  });

  it('stops sampling a check at its first failure past the limit', () => {
    expect(service.requestsTo('/flap')).toHaveLength(2);
    expect(service.requestsTo('/flap-later')).toHaveLength(4);
    expect(service.requestsTo('/steady')).toHaveLength(5);
  });
});

describe('a slow service', () => {
  it('fails when p95 latency is over the limit, with both figures in the summary', async () => {
    const service = await serve({ routes: { '/slow': () => ({ ...OK, delayMs: 250 }) } });
    const run = await smokeTest({ url: service.url('/slow'), 'p95-latency': '100ms' });
    expectVerdict(run, false);
    // `>` is escaped for Markdown (`\>` renders as `>`).
    expect(run.summary).toMatch(/p95 \d{3,} ms \\> 100 ms over 3 samples/);
    const check = report(run).checks[0];
    expect(check?.['p95-ms']).toBeGreaterThanOrEqual(250);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.message).toMatch(/p95 \d{3,} ms > 100 ms/);
  });

  it('fails a sample slower than max-latency', async () => {
    // The limit leaves the fast first sample seconds of slack: under CI load, a first request
    // from a cold bundle has taken over a second.
    const service = await serve({ routes: { '/slow': scripted(OK, { ...OK, delayMs: 3500 }) } });
    const run = await smokeTest({
      url: service.url('/slow'),
      'max-latency': '3s',
      'request-timeout': '8s',
    });
    expectVerdict(run, false);
    expect(report(run).checks[0]?.reason).toMatch(
      /^sample 2: latency \d{4,} ms > max-latency 3000 ms \(1 failed sample > failure-limit 0\)$/,
    );
  });
});

describe('a service with the wrong body', () => {
  let run: ActionRun;

  beforeAll(async () => {
    const service = await startHttpService({
      routes: { '/status': () => ({ body: { status: 'degraded' } }) },
    });
    try {
      run = await smokeTest({
        timeout: '3s',
        checks: [
          `- name: contains\n  url: ${service.url('/status')}\n  contains: healthy`,
          `- name: regex\n  url: ${service.url('/status')}\n  regex: 'up$'`,
          `- name: json\n  url: ${service.url('/status')}\n  json: [{path: $.status, equals: up}]`,
          `- name: json exists\n  url: ${service.url('/status')}\n  json: [{path: $.db.ok, exists: true}]`,
        ].join('\n'),
      });
    } finally {
      await service.close();
    }
  });

  it('fails every check, each with its own reason', () => {
    expectVerdict(run, false);
    const reasons = Object.fromEntries(report(run).checks.map((check) => [check.name, check.reason]));
    expect(reasons.contains).toMatch(/; last: body does not contain "healthy"$/);
    expect(reasons.regex).toMatch(/; last: body does not match \/up\$\/$/);
    expect(reasons.json).toMatch(/; last: \$\.status is "degraded", expected "up"$/);
    expect(reasons['json exists']).toMatch(/; last: \$\.db\.ok does not exist$/);
    expect(errors(run)).toHaveLength(4);
  });

  it('never passes a check that had no healthy sample', () => {
    expect(report(run).checks.every((check) => check.status === 'failed' && check.samples === 0)).toBe(true);
    expect(run.summary).toContain('Last attempt: body does not contain "healthy"');
  });
});

describe('a service that cannot be reached', () => {
  it('fails on a redirect loop, naming it', async () => {
    const service = await serve({
      routes: {
        '/a': () => ({ status: 302, headers: { location: '/b' } }),
        '/b': () => ({ status: 302, headers: { location: '/a' } }),
      },
    });
    const run = await smokeTest({ url: service.url('/a'), timeout: '3s' });
    expectVerdict(run, false);
    expect(report(run).checks[0]?.reason).toMatch(
      /^never healthy within 3s \(\d+ attempts\); last: redirect loop: http:\/\/127\.0\.0\.1:\d+\/b -> http:\/\/127\.0\.0\.1:\d+\/a$/,
    );
    expect(run.summary).toContain('redirect loop');
    expect(errors(run)).toHaveLength(1);
  });

  it('judges the redirect itself when follow-redirects is false', async () => {
    const service = await serve({ routes: { '/a': () => ({ status: 302, headers: { location: '/a' } }) } });
    const run = await smokeTest({
      url: service.url('/a'),
      'follow-redirects': 'false',
      'expected-status': '302',
    });
    expectVerdict(run, true);
    expect(service.requests).toHaveLength(3);
  });

  it('fails on connection refused, naming it', async () => {
    const port = await unusedPort();
    const run = await smokeTest({ url: `http://127.0.0.1:${port}/health`, timeout: '3s' });
    expectVerdict(run, false);
    expect(report(run).checks[0]?.reason).toMatch(
      /^never healthy within 3s \(\d+ attempts\); last: connection refused$/,
    );
    expect(errors(run)[0]?.message).toContain('connection refused');
  });
});

describe('TLS', () => {
  let certificates: TestCertificates;

  beforeAll(() => {
    certificates = generateTestCertificates();
  });

  async function https(pair: { cert: string; key: string }): Promise<HttpService> {
    return serve({ tls: pair, routes: { '/health': () => OK } });
  }

  it('passes with the custom CA that signed the server certificate', async () => {
    const service = await https(certificates.server);
    expect(service.url('/health')).toMatch(/^https:/);
    const run = await smokeTest({ url: service.url('/health'), 'ca-certificate': certificates.ca.cert });
    expectVerdict(run, true);
    expect(service.requests).toHaveLength(3);
  });

  it('fails, naming TLS, when the server certificate is not signed by that CA', async () => {
    const service = await https(certificates.unrelated);
    const run = await smokeTest({
      url: service.url('/health'),
      'ca-certificate': certificates.ca.cert,
      timeout: '3s',
    });
    expectVerdict(run, false);
    expect(report(run).checks[0]?.reason).toMatch(/last: TLS verification failed: [A-Z_]+/);
    expect(service.requests).toHaveLength(0);
  });

  it('fails, naming TLS, when no CA is given for a private certificate', async () => {
    const service = await https(certificates.server);
    const run = await smokeTest({ url: service.url('/health'), timeout: '3s' });
    expectVerdict(run, false);
    expect(report(run).checks[0]?.reason).toContain('TLS verification failed');
  });

  it('passes an unverifiable certificate only with insecure: true', async () => {
    const service = await https(certificates.unrelated);
    const run = await smokeTest({ url: service.url('/health'), insecure: 'true' });
    expectVerdict(run, true);
  });

  it('takes the CA from a check, overriding the action-level one', async () => {
    const service = await https(certificates.server);
    const indent = (pem: string): string => pem.trim().split('\n').join('\n    ');
    const run = await smokeTest({
      'ca-certificate': certificates.unrelated.cert,
      checks: `- url: ${service.url('/health')}\n  ca-certificate: |\n    ${indent(certificates.ca.cert)}\n`,
    });
    expectVerdict(run, true);
  });
});

describe('bad inputs through the bundle', () => {
  let service: HttpService;

  beforeAll(async () => {
    service = await startHttpService({ routes: { '/health': () => OK } });
  });
  afterAll(async () => {
    await service.close();
  });

  // Each case is its own process, as a user meets it; a few run at once (jest's maxConcurrency),
  // since a run mostly waits for node to start. None may send a request, so they share the service.
  it.concurrent.each<[string, (url: string) => Record<string, string>, string, string]>([
    ['samples 0', (url) => ({ url, samples: '0' }), 'samples', 'expected a whole number from 1 to 1000'],
    ['an ftp URL next to a good one', (url) => ({ url: `${url}\nftp://127.0.0.1/` }), 'url', 'URL 2'],
    [
      'a misspelt check field',
      (url) => ({ checks: `- url: ${url}\n  contain: ok` }),
      'checks',
      'unknown field "contain"',
    ],
    [
      'a header name with a space',
      (url) => ({ url, headers: 'Bad Name=1' }),
      'headers',
      'not a valid HTTP header name',
    ],
    ['a bare number for a latency', (url) => ({ url, 'p95-latency': '500' }), 'p95-latency', '"500"'],
    [
      'failure-limit not below samples',
      (url) => ({ url, samples: '2', 'failure-limit': '2' }),
      'failure-limit',
      'must be less than samples (2)',
    ],
    [
      'GET with a body',
      (url) => ({ checks: `- url: ${url}\n  body: hello` }),
      'checks',
      'a GET request cannot have a body',
    ],
    ['insecure: yes', (url) => ({ url, insecure: 'yes' }), 'insecure', 'expected true or false'],
    [
      'a bad check after a good one',
      (url) => ({ url, checks: `- url: ${url}?2\n- url: ${url}?3\n  status: 700` }),
      'checks',
      'check 2',
    ],
  ])('%s: exit 1, an error naming the input, no request sent', async (_label, inputs, input, detail) => {
    const run = await smokeTest(inputs(service.url('/health')));
    expect(run.exitCode).toBe(1);
    expect(run.outcome).toBe('failure');
    const annotations = errors(run);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]?.message).toMatch(new RegExp(`^Invalid configuration: .*"${input}"`));
    expect(annotations[0]?.message).toContain(detail);
    // A user mistake gets one line, never a stack trace.
    expect(run.log).not.toMatch(/^\s+at /m);
    expect(run.outputs.passed).toBeUndefined();
    expect(service.requests).toHaveLength(0);
  });
});

describe('secrets', () => {
  const PASSWORD = 'url-pass-5ec7';
  const QUERY_TOKEN = 'query-token-9b1e';
  const BEARER = 'bearer-token-31d4';
  const API_KEY = 'api-key-7f0a';
  const BASIC = Buffer.from(`deploy:${PASSWORD}`).toString('base64');
  const SECRETS = [PASSWORD, QUERY_TOKEN, BEARER, API_KEY, BASIC];

  async function runWithSecrets(
    routes: HttpServiceOptions['routes'],
    timeout = '10s',
  ): Promise<{ run: ActionRun; service: HttpService }> {
    const service = await serve({ routes });
    const credentialsUrl = service
      .url(`/a?token=${QUERY_TOKEN}&page=1`)
      .replace('http://', `http://deploy:${PASSWORD}@`);
    const run = await smokeTest({
      url: credentialsUrl,
      headers: `X-Api-Key=${API_KEY}`,
      checks: `- name: bearer\n  url: ${service.url('/b')}\n  headers:\n    Authorization: Bearer ${BEARER}`,
      timeout,
    });
    return { run, service };
  }

  function expectCredentialsReceived(service: HttpService): void {
    const a = service.requestsTo('/a')[0];
    const b = service.requestsTo('/b')[0];
    expect(a?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(a?.headers['x-api-key']).toBe(API_KEY);
    expect(a?.path).toBe(`/a?token=${QUERY_TOKEN}&page=1`);
    expect(b?.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(b?.headers['x-api-key']).toBe(API_KEY);
  }

  it('sends the credentials and never shows them when the checks pass', async () => {
    const { run, service } = await runWithSecrets({ '/a': () => OK, '/b': () => OK });
    expectVerdict(run, true);
    expectCredentialsReceived(service);
    expect(report(run).checks[0]?.name).toMatch(
      /^GET http:\/\/deploy:\*\*\*@127\.0\.0\.1:\d+\/a\?token=\*\*\*&page=1$/,
    );
    expect(run.masks).toEqual(expect.arrayContaining([PASSWORD, QUERY_TOKEN, BEARER, API_KEY]));
    expectNoSecretLeaks(run, SECRETS);
  });

  it('never shows them in failure reasons, annotations and the summary either', async () => {
    const loop = (): ScriptedResponse => ({
      status: 302,
      headers: { location: `/a?token=${QUERY_TOKEN}&page=1` },
    });
    const { run, service } = await runWithSecrets(
      {
        '/a': loop,
        '/b': scripted(OK, { status: 401, body: `bad token ${BEARER}` }),
      },
      '1s',
    );
    expectVerdict(run, false);
    expectCredentialsReceived(service);
    expect(errors(run)).toHaveLength(2);
    expect(run.summary).toContain('redirect loop');
    expectNoSecretLeaks(run, SECRETS);
  });
});

describe('cancellation', () => {
  it('stops at SIGTERM while waiting for a service, long before its timeout', async () => {
    const service = await serve({ routes: { '/health': () => DOWN } });
    const run = await runActionBundle({
      action: 'smoke-test',
      inputs: { url: service.url('/health'), timeout: '5m', interval: '50ms' },
      // Once it is waiting for the service: the checks have started.
      signal: { afterLine: /^Running 1 checks/, name: 'SIGTERM' },
      timeoutMs: 20_000,
    });
    expect(run.outcome).toBe('cancelled');
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((annotation) => annotation.message)).toContain('Cancelled by SIGTERM.');
    expect(run.durationMs).toBeLessThan(15_000);
  });
});
