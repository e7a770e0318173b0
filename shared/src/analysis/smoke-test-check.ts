import type { Deadline } from '../async/deadline.ts';
import { ConfigurationError } from '../errors.ts';
import type { ClientPool } from '../smoke-checks/client-pool.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import { takeSample } from '../smoke-checks/check-runner.ts';
import { readCheckFields, type CheckSettings, type CheckSpec } from '../smoke-checks/check-spec.ts';
import { parseStatusSet } from '../smoke-checks/status-set.ts';
import { substituteDeep, UnknownPlaceholderError, urlWithStandIns, withStandIns } from './placeholders.ts';
import { refuseUnknown, type Fields } from './read-fields.ts';
import type { Judged, SmokeTestCheck } from './types.ts';

/**
 * A `smoke-test` check: the fields of one check of the smoke-test action's `checks` input, read and
 * judged by the same code (shared/src/smoke-checks). One measurement is one request. The sampling
 * fields of smoke-test (samples, failure-limit, interval...) are the analysis's run settings here.
 */

const FIELDS = [
  'url',
  'method',
  'headers',
  'body',
  'status',
  'contains',
  'body-contains',
  'regex',
  'json',
  'json-path',
  'json-equals',
  'max-latency',
  'timeout',
  'follow-redirects',
  'ca-certificate',
  'insecure',
] as const;
const RUN_SETTINGS = ['samples', 'failure-limit', 'consecutive-successes', 'interval', 'p95-latency'];

const DEFAULTS: CheckSettings = {
  headers: {},
  expectedStatus: parseStatusSet('200-299') as CheckSettings['expectedStatus'],
  samples: 1,
  failureLimit: 0,
  consecutiveSuccesses: 1,
  intervalMs: 0,
  requestTimeoutMs: 10_000,
  maxLatencyMs: undefined,
  p95LatencyMs: undefined,
  followRedirects: true,
  tls: {},
};

export function readSmokeTestCheck(name: string, raw: Fields, where: Where): SmokeTestCheck {
  for (const key of RUN_SETTINGS) {
    if (Object.hasOwn(raw, key)) {
      throw where.error(
        key,
        raw[key],
        `an analysis sets ${key === 'samples' ? 'count' : key} once, at the top, for every check`,
      );
    }
  }
  refuseUnknown(raw, FIELDS, where, 'a smoke-test check');
  const fields = normalise(raw, where);
  return { name, kind: 'smoke-test', fields, spec: read(name, standIns(fields), where), where };
}

/** `json-path` (with `json-equals`, else it must exist) is the issue's short form of `json`. */
function normalise(raw: Fields, where: Where): Fields {
  const { 'json-path': path, 'json-equals': equals, ...rest } = raw;
  if (raw.contains !== undefined && raw['body-contains'] !== undefined) {
    throw where.error(
      'body-contains',
      raw['body-contains'],
      'give contains or body-contains, not both (they are one field)',
    );
  }
  if (path === undefined) {
    if (Object.hasOwn(raw, 'json-equals'))
      throw where.error('json-equals', equals, 'needs json-path beside it');
    return rest;
  }
  if (raw.json !== undefined) throw where.error('json-path', path, 'give json or json-path, not both');
  if (typeof path !== 'string' || !path.startsWith('$')) {
    throw where.error('json-path', path, 'expected a JSONPath starting with $, like $.status');
  }
  return { ...rest, json: Object.hasOwn(raw, 'json-equals') ? { path, equals } : { path, exists: true } };
}

function standIns(fields: Fields): Fields {
  const url = typeof fields.url === 'string' ? urlWithStandIns(fields.url) : fields.url;
  return { ...(withStandIns(fields) as Fields), url };
}

function read(name: string, fields: Fields, where: Where): CheckSpec {
  return readCheckFields(fields, where, DEFAULTS, name);
}

export async function measureSmokeTest(
  check: SmokeTestCheck,
  variables: Record<string, string>,
  clients: ClientPool,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<Judged> {
  let spec: CheckSpec;
  try {
    spec = read(check.name, substituteDeep(check.fields, variables) as Fields, check.where);
  } catch (error) {
    if (!(error instanceof UnknownPlaceholderError || error instanceof ConfigurationError)) throw error;
    return { outcome: 'error', detail: `the check cannot be built: ${error.message}` };
  }
  const sample = await takeSample(spec, { client: clients.for(spec.tls), deadline, signal }, 0);
  // Cut short by the analysis's timeout: that says nothing about the service.
  if (sample.cutByDeadline) throw deadline.error();
  const answered =
    sample.status === undefined ? 'no response' : `${sample.status} in ${Math.round(sample.latencyMs)} ms`;
  return {
    outcome: sample.ok ? 'success' : 'failure',
    ...(sample.status !== undefined && { value: sample.status }),
    detail: `${spec.method} ${spec.displayUrl}: ${answered}${sample.ok ? '' : ` — ${sample.reason}`}`,
  };
}
