import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { runCheck, type CheckResult } from '../../shared/src/smoke-checks/check-runner.ts';
import type { CheckSpec } from '../../shared/src/smoke-checks/check-spec.ts';
import { Deadline } from '../../shared/src/async/deadline.ts';
import { CancelledError } from '../../shared/src/errors.ts';
import { HttpClient } from '../../shared/src/net/http.ts';
import {
  startHttpService,
  unusedPort,
  type HttpService,
  type ScriptedResponse,
} from '../support/http-service.ts';
import { generateTestCertificates, type TestCertificates } from '../support/tls-certificates.ts';
import { makeCheck, statusSet } from './helpers.ts';

/** runCheck against a real service on loopback, through the real HttpClient, with a real Deadline. */

const CONNECTION_REFUSED = /^connection refused$|; last: connection refused$/;
const TLS_FAILURE = /last: TLS verification failed: [A-Z_]+ \(/;

const OK: ScriptedResponse = { status: 200, body: 'ok' };
const DOWN: ScriptedResponse = { status: 503, body: 'unavailable' };

let client: HttpClient;
let service: HttpService;

beforeAll(() => {
  client = new HttpClient();
});
afterAll(async () => {
  await client.close();
});
afterEach(async () => {
  await service?.close();
});

/** Answers the n-th request (1-based) with `script[n - 1]`, and the last entry from then on. */
async function serve(...script: ScriptedResponse[]): Promise<HttpService> {
  service = await startHttpService({
    routes: {
      '/health': (_request, count) => script[Math.min(count, script.length) - 1] as ScriptedResponse,
    },
  });
  return service;
}

function check(overrides: Partial<CheckSpec> = {}): CheckSpec {
  return makeCheck({ url: service.url('/health'), ...overrides });
}

function run(spec: CheckSpec, timeoutMs = 5000, signal = new AbortController().signal): Promise<CheckResult> {
  return runCheck(spec, { client, deadline: new Deadline(timeoutMs, 'test checks'), signal });
}

describe('runCheck', () => {
  it('passes a healthy service after exactly `samples` samples', async () => {
    await serve(OK);
    const result = await run(check({ samples: 4 }));
    expect(result).toMatchObject({ passed: true, reason: undefined, startupFailures: 0 });
    expect(result.samples).toHaveLength(4);
    expect(result.samples.every((sample) => sample.ok && sample.status === 200)).toBe(true);
    expect(service.requests).toHaveLength(4);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p95Ms).toBeGreaterThanOrEqual(result.p50Ms as number);
    expect(result.maxMs).toBeGreaterThanOrEqual(result.p95Ms as number);
    expect(result.url).toBe(service.url('/health'));
  });

  it('spaces samples by the interval, start to start', async () => {
    await serve(OK);
    const result = await run(check({ samples: 3, intervalMs: 100 }));
    const starts = result.samples.map((sample) => sample.at);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(95);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(95);
  });

  it('sends the method, headers and body of the check', async () => {
    await serve({ status: 201 });
    await run(check({ method: 'POST', body: '{"ping":true}', headers: { 'x-probe': 'smoke' }, samples: 1 }));
    expect(service.requests[0]).toMatchObject({
      method: 'POST',
      path: '/health',
      body: '{"ping":true}',
      headers: expect.objectContaining({ 'x-probe': 'smoke' }),
    });
  });

  it('waits for a service that starts late: startup failures are counted, not judged', async () => {
    await serve(DOWN, DOWN, DOWN, OK);
    const result = await run(check({ samples: 3 }));
    expect(result.passed).toBe(true);
    expect(result.startupFailures).toBe(3);
    expect(result.lastStartupFailure).toBe('expected status 200-299, got 503');
    expect(result.samples).toHaveLength(3);
    expect(result.samples.every((sample) => sample.ok)).toBe(true);
    expect(service.requests).toHaveLength(6);
  });

  it('waits for a service whose port is refused until it starts listening', async () => {
    const port = await unusedPort();
    const spec = makeCheck({ url: `http://127.0.0.1:${port}/health`, samples: 2 });
    const pending = run(spec);
    await new Promise((resolve) => setTimeout(resolve, 600));
    service = await startHttpService({ port, routes: { '/health': () => OK } });
    const result = await pending;
    expect(result.passed).toBe(true);
    expect(result.startupFailures).toBeGreaterThanOrEqual(1);
    expect(result.lastStartupFailure).toMatch(CONNECTION_REFUSED);
    expect(result.samples).toHaveLength(2);
  });

  it('fails a flapping service at the first failed sample past the limit, naming the sample', async () => {
    service = await startHttpService({
      routes: { '/health': (_request, count) => (count % 2 === 1 ? OK : DOWN) },
    });
    const result = await run(check({ samples: 5 }));
    expect(result.passed).toBe(false);
    expect(result.reason).toBe(
      'sample 2: expected status 200-299, got 503 (1 failed sample > failure-limit 0)',
    );
    expect(result.samples.map((sample) => sample.status)).toEqual([200, 503]);
    expect(service.requests).toHaveLength(2);
  });

  describe('failure-limit', () => {
    // Requests 2 and 4 fail: two failed samples among six.
    const flapTwice = (): Promise<HttpService> => serve(OK, DOWN, OK, DOWN, OK, OK);

    it('tolerates exactly failure-limit failed samples', async () => {
      await flapTwice();
      const result = await run(check({ samples: 6, failureLimit: 2 }));
      expect(result.passed).toBe(true);
      expect(result.samples).toHaveLength(6);
      expect(result.samples.filter((sample) => !sample.ok)).toHaveLength(2);
    });

    it('fails at the failed sample that goes one past it', async () => {
      await flapTwice();
      const result = await run(check({ samples: 6, failureLimit: 1 }));
      expect(result.passed).toBe(false);
      expect(result.reason).toBe(
        'sample 4: expected status 200-299, got 503 (2 failed samples > failure-limit 1)',
      );
      expect(result.samples).toHaveLength(4);
    });
  });

  describe('consecutive-successes', () => {
    it('samples past `samples` until the check ends with enough successes in a row', async () => {
      await serve(OK, OK, DOWN, OK);
      const result = await run(check({ samples: 3, failureLimit: 1, consecutiveSuccesses: 3 }));
      expect(result.passed).toBe(true);
      expect(result.samples.map((sample) => sample.ok)).toEqual([true, true, false, true, true, true]);
      expect(service.requests).toHaveLength(6);
    });

    it('counts the first healthy sample towards the streak', async () => {
      await serve(OK);
      const result = await run(check({ samples: 1, consecutiveSuccesses: 3 }));
      expect(result.passed).toBe(true);
      expect(result.samples).toHaveLength(3);
    });

    it('fails at the deadline when the streak never completes, saying how far it got', async () => {
      service = await startHttpService({
        routes: { '/health': (_request, count) => (count % 3 === 0 ? DOWN : OK) },
      });
      const result = await run(
        check({ samples: 2, failureLimit: 999, consecutiveSuccesses: 3, intervalMs: 100 }),
        1500,
      );
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(
        /^timed out after 1\.5s with \d+ of 2 samples and [0-2] of 3 consecutive successes$/,
      );
    });
  });

  describe('latency', () => {
    it('fails when the p95 latency over the samples is above its limit', async () => {
      await serve({ ...OK, delayMs: 150 });
      const result = await run(check({ samples: 3, p95LatencyMs: 100 }));
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(/^p95 \d{3,} ms > 100 ms over 3 samples$/);
      expect(result.samples.every((sample) => sample.ok)).toBe(true);
      expect(result.p95Ms).toBeGreaterThanOrEqual(150);
    });

    it('passes when the p95 latency is within its limit', async () => {
      await serve(OK);
      const result = await run(check({ samples: 3, p95LatencyMs: 3000 }));
      expect(result.passed).toBe(true);
    });

    it('fails a sample slower than max-latency like any unhealthy sample', async () => {
      // A limit far above a fast answer on a loaded machine, so only the slow sample fails.
      await serve(OK, { ...OK, delayMs: 1500 });
      const result = await run(check({ samples: 3, maxLatencyMs: 1000 }));
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(
        /^sample 2: latency \d{4,} ms > max-latency 1000 ms \(1 failed sample > failure-limit 0\)$/,
      );
    });

    it('counts a sample that timed out in the p95, at the time it waited', async () => {
      await serve(OK, { ...OK, delayMs: 3000 }, OK, OK);
      const result = await run(
        check({ samples: 4, failureLimit: 1, p95LatencyMs: 500, requestTimeoutMs: 800 }),
        10_000,
      );
      expect(result.samples.map((sample) => sample.ok)).toEqual([true, false, true, true]);
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(/^p95 (8\d\d|\d{4,}) ms > 500 ms over 4 samples$/);
    });

    it('does not count a sample against the service when the deadline cut its request short', async () => {
      await serve(OK, { ...OK, delayMs: 5000 });
      const result = await run(check({ samples: 3, requestTimeoutMs: 4000 }), 1000);
      expect(result.passed).toBe(false);
      expect(result.reason).toBe('timed out after 1s with 1 of 3 samples');
      expect(result.samples).toHaveLength(1);
    });

    it('fails a sample that exceeds the request timeout, without a status', async () => {
      await serve(OK, { ...OK, delayMs: 2000 });
      const result = await run(check({ samples: 3, requestTimeoutMs: 200 }));
      expect(result.passed).toBe(false);
      expect(result.reason).toBe(
        'sample 2: no complete response within 200ms (1 failed sample > failure-limit 0)',
      );
      expect(result.samples[1]?.status).toBeUndefined();
    });
  });

  describe('a service that never becomes healthy', () => {
    it('fails at the deadline with zero samples and the last reason, never passing', async () => {
      await serve(DOWN);
      const started = performance.now();
      const result = await run(check(), 1200);
      expect(result.passed).toBe(false);
      expect(result.samples).toHaveLength(0);
      expect(result.startupFailures).toBe(service.requests.length);
      expect(result.startupFailures).toBeGreaterThanOrEqual(2);
      expect(result.reason).toMatch(
        /^never healthy within 1\.2s \(\d+ attempts\); last: expected status 200-299, got 503$/,
      );
      expect(result.p50Ms).toBeUndefined();
      // It ends at the deadline, not after it (a generous margin, not a speed test).
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('gives the reason of the last complete attempt, not of one the deadline cut short', async () => {
      // 503 at once, then answers that would take longer than the time left.
      await serve(DOWN, { ...OK, delayMs: 5000 });
      const result = await run(check({ requestTimeoutMs: 4000 }), 1000);
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(
        /^never healthy within 1s \(2 attempts\); last: expected status 200-299, got 503$/,
      );
    });

    it('fails on connection refused', async () => {
      service = await startHttpService();
      const port = await unusedPort();
      const result = await run(makeCheck({ url: `http://127.0.0.1:${port}/` }), 1000);
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(/\(\d+ attempts\); last: /);
      expect(result.reason).toMatch(CONNECTION_REFUSED);
    });

    it('fails on a redirect loop', async () => {
      service = await startHttpService({
        routes: {
          '/a': () => ({ status: 302, headers: { location: '/b' } }),
          '/b': () => ({ status: 302, headers: { location: '/a' } }),
        },
      });
      const result = await run(makeCheck({ url: service.url('/a') }), 1000);
      expect(result.passed).toBe(false);
      expect(result.reason).toContain('redirect loop');
    });

    it('judges a redirect as the answer when follow-redirects is off', async () => {
      service = await startHttpService({
        routes: { '/old': () => ({ status: 301, headers: { location: '/new' } }) },
      });
      const expectRedirect = await run(
        makeCheck({ url: service.url('/old'), followRedirects: false, expectedStatus: statusSet('301') }),
      );
      expect(expectRedirect.passed).toBe(true);
      expect(service.requestsTo('/new')).toHaveLength(0);
    });
  });

  describe('cancellation', () => {
    it('rejects with the CancelledError while waiting for a late service', async () => {
      await serve(DOWN);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new CancelledError('Cancelled by SIGTERM.')), 300);
      await expect(run(check(), 10_000, controller.signal)).rejects.toThrow(CancelledError);
    });

    it('rejects with the CancelledError between samples', async () => {
      await serve(OK);
      const controller = new AbortController();
      const pending = run(check({ samples: 100, intervalMs: 100 }), 10_000, controller.signal);
      setTimeout(() => controller.abort(new CancelledError('Cancelled by SIGINT.')), 300);
      await expect(pending).rejects.toThrow('Cancelled by SIGINT.');
      const seen = service.requests.length;
      expect(seen).toBeGreaterThanOrEqual(1);
      expect(seen).toBeLessThan(100);
    });

    it('rejects with the CancelledError during a slow request', async () => {
      await serve({ ...OK, delayMs: 5000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new CancelledError()), 200);
      const started = performance.now();
      await expect(run(check(), 10_000, controller.signal)).rejects.toBeInstanceOf(CancelledError);
      expect(performance.now() - started).toBeLessThan(4000);
    });
  });
});

describe('runCheck over HTTPS', () => {
  let certificates: TestCertificates;

  beforeAll(() => {
    certificates = generateTestCertificates();
  });

  async function serveTls(pair: { cert: string; key: string }): Promise<HttpService> {
    service = await startHttpService({ tls: pair, routes: { '/health': () => OK } });
    return service;
  }

  async function runWith(tls: { ca?: string; insecure?: boolean }, timeoutMs = 5000): Promise<CheckResult> {
    const tlsClient = new HttpClient(tls);
    try {
      return await runCheck(check({ samples: 2, tls }), {
        client: tlsClient,
        deadline: new Deadline(timeoutMs, 'tls checks'),
        signal: new AbortController().signal,
      });
    } finally {
      await tlsClient.close();
    }
  }

  it('passes with the CA that signed the server certificate', async () => {
    await serveTls(certificates.server);
    expect((await runWith({ ca: certificates.ca.cert })).passed).toBe(true);
  });

  it('fails, naming TLS, when the server certificate is not from the trusted CA', async () => {
    await serveTls(certificates.unrelated);
    const result = await runWith({ ca: certificates.ca.cert }, 1000);
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(TLS_FAILURE);
    expect(result.samples).toHaveLength(0);
  });

  it('fails, naming TLS, with the system store only (the test CA is not in it)', async () => {
    await serveTls(certificates.server);
    const result = await runWith({}, 1000);
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(TLS_FAILURE);
  });

  it('passes a certificate it cannot verify only with insecure', async () => {
    await serveTls(certificates.unrelated);
    expect((await runWith({ insecure: true })).passed).toBe(true);
  });
});
