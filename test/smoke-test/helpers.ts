import type { CheckSpec } from '../../shared/src/smoke-checks/check-spec.ts';
import { parseStatusSet, type StatusSet } from '../../shared/src/smoke-checks/status-set.ts';

/** Builders shared by the smoke-test unit tests. */

export function statusSet(text: string): StatusSet {
  const set = parseStatusSet(text);
  if (!set) throw new Error(`test setup: ${text} is not a status set`);
  return set;
}

/** A fully resolved check with the action's defaults, except short timings suited to tests. */
export function makeCheck(overrides: Partial<CheckSpec> = {}): CheckSpec {
  const url = overrides.url ?? 'http://127.0.0.1:1/health';
  return {
    name: `GET ${url}`,
    url,
    displayUrl: url,
    method: 'GET',
    body: undefined,
    headers: {},
    expectedStatus: statusSet('200-299'),
    contains: [],
    regex: undefined,
    json: [],
    samples: 3,
    failureLimit: 0,
    consecutiveSuccesses: 1,
    intervalMs: 50,
    requestTimeoutMs: 2000,
    maxLatencyMs: undefined,
    p95LatencyMs: undefined,
    followRedirects: true,
    tls: { ca: undefined, insecure: false },
    ...overrides,
  };
}
