import { maskSecret } from '../runner/secrets.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import { CONDITION_ACCEPTED, ConditionSyntaxError, parseCondition, type Condition } from './condition.ts';
import { placeholderNames, urlWithStandIns } from './placeholders.ts';
import {
  optionalDuration,
  optionalFlag,
  optionalText,
  refuseUnknown,
  requiredText,
  type Fields,
} from './read-fields.ts';
import type { PrometheusCheck } from './types.ts';

/**
 * A `prometheus` check: an instant query against Prometheus's HTTP API (`/api/v1/query`) judged by
 * conditions on its result. Credentials are masked as they are read, before any message could show them.
 */

const FIELDS = [
  'address',
  'query',
  'success-condition',
  'failure-condition',
  'bearer-token',
  'username',
  'password',
  'timeout',
  'insecure',
] as const;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export function readPrometheusCheck(name: string, fields: Fields, where: Where): PrometheusCheck {
  refuseUnknown(fields, FIELDS, where, 'a prometheus check');
  // Masked first: a later error in this check must not be the first place they appear.
  const authorization = readAuthorization(fields, where);
  const address = requiredText(
    fields,
    'address',
    where,
    'expected the Prometheus server URL, like http://prometheus.monitoring:9090',
  );
  checkAddress(address, where);
  const query = requiredText(
    fields,
    'query',
    where,
    'expected a PromQL query, like sum(rate(http_requests_total{code=~"5.."}[1m]))',
  );
  const successCondition = readCondition(fields, 'success-condition', where);
  const failureCondition = readCondition(fields, 'failure-condition', where);
  if (!successCondition && !failureCondition) {
    throw where.error(
      'success-condition',
      undefined,
      `a prometheus check needs success-condition, failure-condition or both; ${CONDITION_ACCEPTED}`,
    );
  }
  return {
    name,
    kind: 'prometheus',
    address: address.replace(/\/+$/, ''),
    query,
    successCondition,
    failureCondition,
    authorization,
    requestTimeoutMs:
      optionalDuration(fields, 'timeout', { min: 1, max: 300_000 }, where) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    insecure: optionalFlag(fields, 'insecure', where) ?? false,
  };
}

function readAuthorization(fields: Fields, where: Where): string | undefined {
  const noPlaceholder = (key: string, value: string, shown: string): void => {
    if (placeholderNames(value).length > 0) {
      throw where.error(
        key,
        shown,
        'a ${name} placeholder is filled in address and query only, and would be sent as written; give the credential itself, like ${{ secrets.PROMETHEUS_TOKEN }}',
      );
    }
  };
  const secretText = (key: string): string | undefined => {
    const value = fields[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '')
      throw where.error(key, '(not shown)', 'expected a non-empty string');
    maskSecret(value);
    noPlaceholder(key, value, '(not shown)');
    return value;
  };
  const token = secretText('bearer-token');
  // Sent as the header as it is: undici would refuse it at every measurement instead.
  if (token !== undefined && /\p{Cc}/u.test(token)) {
    throw where.error(
      'bearer-token',
      '(not shown)',
      'expected a non-empty string without line breaks or control characters: it is sent as a header',
    );
  }
  const password = secretText('password');
  const username = optionalText(fields, 'username', where, 'expected a user name');
  if (username !== undefined) noPlaceholder('username', username, username);
  if (username?.includes(':')) {
    throw where.error(
      'username',
      username,
      'expected a user name without a colon: basic auth ends the user name at the first colon',
    );
  }
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    throw where.error('bearer-token', '(not shown)', 'give bearer-token or username and password, not both');
  }
  if ((username === undefined) !== (password === undefined)) {
    throw where.error(
      username === undefined ? 'username' : 'password',
      undefined,
      'basic auth needs both username and password',
    );
  }
  if (token !== undefined) return `Bearer ${token}`;
  if (username === undefined) return undefined;
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  maskSecret(basic);
  return `Basic ${basic}`;
}

function checkAddress(address: string, where: Where): void {
  let url: URL;
  try {
    url = new URL(urlWithStandIns(address));
  } catch {
    throw where.error('address', address, 'expected an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw where.error('address', address, 'expected an http:// or https:// URL');
  }
  if (url.username || url.password) {
    throw where.error(
      'address',
      '(not shown: it holds credentials)',
      'put credentials in username and password or bearer-token, not in the URL',
    );
  }
  if (url.search || url.hash) {
    throw where.error(
      'address',
      address,
      'expected the server URL without a query or fragment; the query goes in query',
    );
  }
}

function readCondition(fields: Fields, key: string, where: Where): Condition | undefined {
  const text = optionalText(fields, key, where, CONDITION_ACCEPTED);
  if (text === undefined) return undefined;
  try {
    return parseCondition(text);
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    throw where.error(key, text, `${error.message}; ${CONDITION_ACCEPTED}`);
  }
}
