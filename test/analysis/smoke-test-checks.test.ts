import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runAnalysis } from '../../shared/src/analysis/index.ts';
import { startHttpService, type HttpService } from '../support/http-service.ts';
import { capture } from '../shared/helpers.ts';
import { plan } from './helpers.ts';

/** smoke-test checks, judged by smoke-test's own code, against a local HTTP service standing in for the canary. */

let service: HttpService;
beforeEach(async () => {
  service = await startHttpService();
});
afterEach(async () => {
  await service.close();
});

const VARIABLES = { host: '127.0.0.1', revision: 'abc123' };

function analysis(check: string, settings = 'interval: 50ms\ncount: 2'): string {
  return `${settings}\nchecks:\n  - name: canary\n    smoke-test:\n${check.replace(/^/gm, '      ')}`;
}

describe('smoke-test checks', () => {
  it('passes a healthy canary, with placeholders filled in the url, headers and body', async () => {
    service.route('/orders', () => ({ status: 201, body: { status: 'ok', revision: 'abc123' } }));
    const result = await runAnalysis(
      plan(
        analysis(`url: http://\${host}:${service.port}/orders?rev=\${revision}
method: POST
headers: {X-Revision: "\${revision}"}
body: '{"probe":"\${revision}"}'
status: 201
body-contains: '"status":"ok"'
json-path: $.revision
json-equals: abc123`),
      ),
      { variables: VARIABLES },
    );
    expect(result).toMatchObject({ decision: 'passed', rounds: 2 });
    const [first] = service.requestsTo('/orders');
    expect(first).toMatchObject({ method: 'POST', path: '/orders?rev=abc123', body: '{"probe":"abc123"}' });
    expect(first?.headers['x-revision']).toBe('abc123');
    expect(result.measurements[0]).toMatchObject({ kind: 'smoke-test', outcome: 'success', value: 201 });
    expect(result.measurements[0]?.detail).toMatch(
      new RegExp(`^POST http://127\\.0\\.0\\.1:${service.port}/orders\\?rev=abc123: 201 in \\d+ ms$`),
    );
  });

  it('masks a credential header filled from a placeholder, and sends it', async () => {
    service.route('/health', () => ({ status: 200, body: 'ok' }));
    const stdout = capture();
    try {
      const result = await runAnalysis(
        plan(analysis(`url: ${service.url('/health')}\nheaders: {Authorization: "Bearer \${token}"}`)),
        { variables: { token: 'canary-token-77' } },
      );
      expect(result.decision).toBe('passed');
    } finally {
      stdout.restore();
    }
    expect(service.requestsTo('/health')[0]?.headers.authorization).toBe('Bearer canary-token-77');
    expect(stdout.text()).toContain('::add-mask::canary-token-77');
  });

  it('fails on the status, the body text and the JSON value, with smoke-test reasons', async () => {
    service.route('/health', (_request, count) =>
      count === 1 ? { status: 503, body: 'down' } : { status: 200, body: { status: 'degraded' } },
    );
    const result = await runAnalysis(
      plan(
        analysis(
          `url: http://\${host}:${service.port}/health\njson-path: $.status\njson-equals: ok`,
          'interval: 50ms\ncount: 3\nfailure-limit: 1',
        ),
      ),
      { variables: VARIABLES },
    );
    expect(result).toMatchObject({ decision: 'failed', rounds: 2 });
    expect(result.measurements.map((m) => m.detail.replace(/ in \d+ ms/, ''))).toEqual([
      `GET http://127.0.0.1:${service.port}/health: 503 — expected status 200-299, got 503`,
      `GET http://127.0.0.1:${service.port}/health: 200 — $.status is "degraded", expected "ok"`,
    ]);
  });

  it('accepts contains as smoke-test names it, and fails a canary that does not answer', async () => {
    service.route('/health', () => ({ status: 200, body: 'all good' }));
    const passing = await runAnalysis(
      plan(analysis(`url: ${service.url('/health')}\ncontains: [all, good]`)),
      {},
    );
    expect(passing.decision).toBe('passed');
    const port = service.port;
    await service.close();
    const down = await runAnalysis(plan(analysis(`url: http://127.0.0.1:${port}/health`)), {});
    expect(down).toMatchObject({ decision: 'failed', rounds: 1 });
    expect(down.measurements[0]).toMatchObject({
      outcome: 'failure',
      detail: `GET http://127.0.0.1:${port}/health: no response — connection refused`,
    });
  });

  it('fails at the analysis timeout while the canary is slow to answer', async () => {
    service.route('/slow', () => ({ status: 200, body: 'late', delayMs: 20_000 }));
    const result = await runAnalysis(
      plan(analysis(`url: ${service.url('/slow')}\ntimeout: 30s`, 'count: 1\ntimeout: 1s')),
      {},
    );
    expect(result).toMatchObject({ decision: 'failed', rounds: 1, measurements: [] });
    expect(result.reason).toBe(
      'The analysis timed out after 1s (timeout) in round 1, undecided: canary: 0 succeeded, 0 failed, 0 inconclusive.',
    );
  });

  it('makes a placeholder nobody supplied a failed measurement that names it and the known ones', async () => {
    const result = await runAnalysis(plan(analysis(`url: http://\${canary}:${service.port}/`)), {
      variables: VARIABLES,
    });
    expect(result.decision).toBe('failed');
    expect(result.measurements[0]).toMatchObject({
      outcome: 'error',
      detail:
        'the check cannot be built: no value for ${canary}; the placeholders here are ${host}, ${revision}',
    });
    expect(service.requests).toHaveLength(0);
  });

  it('reports a substituted value that makes the check invalid as an error measurement', async () => {
    const result = await runAnalysis(plan(analysis('url: ${target}')), {
      variables: { target: 'ftp://example/' },
    });
    expect(result.measurements[0]).toMatchObject({ outcome: 'error' });
    expect(result.measurements[0]?.detail).toBe(
      'the check cannot be built: Input "analysis", check "canary": "checks[0].smoke-test.url" has an invalid value "ftp://example/": expected an http:// or https:// URL.',
    );
  });
});
