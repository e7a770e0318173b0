import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getInteger,
  getKeyValueMap,
  getList,
  getOptionalString,
  getString,
  getStructured,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import {
  checkFromUrl,
  parseActionHeaders,
  parseChecks,
  type CheckSettings,
  type CheckSpec,
} from '../../../shared/src/smoke-checks/check-spec.ts';
import { parseStatusSet, STATUS_SET_ACCEPTED } from '../../../shared/src/smoke-checks/status-set.ts';

/** Everything the smoke test needs, read and validated before the first request. */
export interface SmokeTestInputs {
  checks: CheckSpec[];
  initialDelayMs: number;
  timeoutMs: number;
  concurrency: number;
}

const HOUR = 3_600_000;

export async function readInputs(): Promise<SmokeTestInputs> {
  const settings = readCheckSettings();
  const urls = getList('url');
  const checks = [
    ...urls.map((url, index) => checkFromUrl(url, index, settings)),
    ...parseChecks(await getStructured('checks'), settings),
  ];
  if (checks.length === 0) {
    throw new ConfigurationError('No checks given: set "url" (one or more URLs) or "checks" (a YAML list).', {
      input: 'url',
    });
  }
  const names = new Map<string, string>();
  checks.forEach((check, index) => {
    const fromUrl = index < urls.length;
    const where = fromUrl ? `URL ${index + 1}` : `check ${index - urls.length + 1}`;
    const first = names.get(check.name);
    if (first !== undefined) {
      throw new ConfigurationError(
        `Input "${fromUrl ? 'url' : 'checks'}", ${where}: the name "${check.name}" is already used by ${first}: ` +
          (fromUrl ? 'list each URL once.' : 'give the checks distinct names.'),
        { input: fromUrl ? 'url' : 'checks' },
      );
    }
    names.set(check.name, fromUrl ? `"url" ${where}` : `"checks" ${where}`);
  });
  return {
    checks,
    initialDelayMs: getDuration('initial-delay', { default: 0, min: 0, max: HOUR }),
    timeoutMs: getDuration('timeout', { default: 5 * 60_000, min: 1000, max: 6 * HOUR }),
    concurrency: getInteger('concurrency', { default: 10, min: 1, max: 100 }),
  };
}

function readCheckSettings(): CheckSettings {
  const statusText = getString('expected-status', { default: '200-299' });
  const expectedStatus = parseStatusSet(statusText);
  if (!expectedStatus) throw invalidInput('expected-status', statusText, STATUS_SET_ACCEPTED);
  const samples = getInteger('samples', { default: 3, min: 1, max: 1000 });
  const failureLimit = getInteger('failure-limit', { default: 0, min: 0, max: 1000 });
  if (failureLimit >= samples) {
    throw invalidInput(
      'failure-limit',
      String(failureLimit),
      `must be less than samples (${samples}), or no failure could fail a check`,
    );
  }
  const insecure = getBoolean('insecure', false);
  const ca = getOptionalString('ca-certificate');
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalidInput(
      'ca-certificate',
      ca.slice(0, 30),
      'expected PEM text starting with -----BEGIN CERTIFICATE-----',
    );
  }
  return {
    headers: parseActionHeaders(getKeyValueMap('headers', { secret: true })),
    expectedStatus,
    samples,
    failureLimit,
    consecutiveSuccesses: getInteger('consecutive-successes', { default: 1, min: 1, max: 1000 }),
    intervalMs: getDuration('interval', { default: 2000, min: 0, max: HOUR }),
    requestTimeoutMs: getDuration('request-timeout', { default: 10_000, min: 1, max: HOUR }),
    maxLatencyMs: optionalLatency('max-latency'),
    p95LatencyMs: optionalLatency('p95-latency'),
    followRedirects: getBoolean('follow-redirects', true),
    tls: { ca, insecure },
  };
}

function optionalLatency(name: string): number | undefined {
  if (getOptionalString(name) === undefined) return undefined;
  return getDuration(name, { default: 0, min: 1, max: HOUR, unitRequired: true });
}
