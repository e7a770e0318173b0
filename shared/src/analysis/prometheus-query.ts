import type { Deadline } from '../async/deadline.ts';
import { classifyHttpFailure, HttpRequestError, isTransientStatus, type HttpResponse } from '../net/http.ts';
import { retry, RetryExhaustedError } from '../async/retry.ts';
import type { ClientPool } from '../smoke-checks/client-pool.ts';
import { substitute, UnknownPlaceholderError } from './placeholders.ts';
import {
  PrometheusAnswerError,
  readQueryAnswer,
  type QueryAnswer,
  type Series,
} from './prometheus-response.ts';
import type { Judged, PrometheusCheck } from './types.ts';

/**
 * One measurement of a prometheus check: an instant query at this moment, judged the way Argo
 * Rollouts judges a metric (a failure condition that holds wins; with both conditions and neither
 * holding, the measurement is inconclusive), except that the condition is applied to each series in
 * turn (success needs every series, failure any) and that no data (no series, or NaN) is a failure,
 * not an error.
 * 429 and 5xx answers and dropped connections are retried within the measurement.
 */

const ATTEMPTS = 3;

export async function measurePrometheus(
  check: PrometheusCheck,
  variables: Record<string, string>,
  clients: ClientPool,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<Judged> {
  let url: URL;
  let query: string;
  try {
    query = substitute(check.query, variables);
    url = new URL(`${substitute(check.address, variables).replace(/\/+$/, '')}/api/v1/query`);
  } catch (error) {
    if (!(error instanceof UnknownPlaceholderError || error instanceof TypeError)) throw error;
    return { outcome: 'error', detail: `the query cannot be built: ${error.message}` };
  }
  url.searchParams.set('query', query);
  url.searchParams.set('time', (Date.now() / 1000).toFixed(3));
  let answer: QueryAnswer;
  try {
    answer = readQueryAnswer(...(await ask(check, url.toString(), clients, deadline, signal)));
  } catch (error) {
    const why = error instanceof RetryExhaustedError ? error.lastError : error;
    if (!(
      why instanceof PrometheusAnswerError ||
      why instanceof HttpRequestError ||
      why instanceof TransientAnswer
    )) {
      throw error;
    }
    return { outcome: 'error', detail: `query ${JSON.stringify(query)} at ${url.origin}: ${why.message}` };
  }
  const judged = judge(check, query, answer.series);
  if (answer.warnings.length === 0) return judged;
  const warned = answer.warnings.map((warning) => warning.replace(/\s+/g, ' ').trim()).join('; ');
  return { ...judged, detail: `${judged.detail} (Prometheus warned: ${warned.slice(0, 500)})` };
}

class TransientAnswer extends Error {}

async function ask(
  check: PrometheusCheck,
  url: string,
  clients: ClientPool,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<[number, string]> {
  const response: HttpResponse = await retry(
    async () => {
      const timeoutMs = Math.max(1, Math.min(check.requestTimeoutMs, deadline.remaining()));
      const answer = await clients
        .for({ insecure: check.insecure })
        .request({
          url,
          headers: {
            accept: 'application/json',
            ...(check.authorization && { authorization: check.authorization }),
          },
          timeoutMs,
          signal,
        })
        .catch((error: unknown) => {
          // Cut short by the analysis's timeout, not slow by its own: the analysis timed out.
          if (
            error instanceof HttpRequestError &&
            error.kind === 'timeout' &&
            timeoutMs < check.requestTimeoutMs
          ) {
            throw deadline.error();
          }
          throw error;
        });
      if (isTransientStatus(answer.status)) {
        throw new TransientAnswer(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      }
      return answer;
    },
    {
      what: `the query of ${check.name}`,
      attempts: ATTEMPTS,
      deadline,
      signal,
      initialDelayMs: 200,
      maxDelayMs: 2000,
      classify: (error) =>
        error instanceof TransientAnswer
          ? { transient: true, reason: error.message }
          : classifyHttpFailure(error),
    },
  );
  return [response.status, response.body];
}

function judge(check: PrometheusCheck, query: string, series: Series[]): Judged {
  if (series.length === 0) {
    return { outcome: 'failure', detail: `query ${JSON.stringify(query)} returned no data` };
  }
  const value =
    series.length === 1
      ? (series[0] as Series).value
      : series.map((one) => `${one.labels} ${one.value}`).join(', ');
  const shown = typeof value === 'number' ? String(value) : `${series.length} series: ${value}`;
  // NaN is what a ratio gives when nothing was counted (0/0: the canary got no requests): no data.
  // Judged by the conditions, `not (result > x)` or a failure condition alone would pass it.
  const nan = series.filter((one) => Number.isNaN(one.value));
  if (nan.length > 0) {
    const which = series.length === 1 ? '' : ` for ${nan.map((one) => one.labels).join(', ')}`;
    return {
      outcome: 'failure',
      value,
      detail: `query ${JSON.stringify(query)} returned NaN${which}, which is no data (0/0: no requests were measured)`,
    };
  }
  const failing = check.failureCondition && series.filter((one) => check.failureCondition?.holds(one.value));
  if (failing && failing.length > 0) {
    return {
      outcome: 'failure',
      value,
      detail: `${shown}: failure-condition "${check.failureCondition?.text}" holds`,
    };
  }
  if (check.successCondition) {
    const unmet = series.filter((one) => !check.successCondition?.holds(one.value));
    if (unmet.length === 0) {
      return {
        outcome: 'success',
        value,
        detail: `${shown}: success-condition "${check.successCondition.text}" holds`,
      };
    }
    const which = series.length === 1 ? '' : ` for ${unmet.map((one) => one.labels).join(', ')}`;
    return check.failureCondition
      ? { outcome: 'inconclusive', value, detail: `${shown}: neither condition holds${which}` }
      : {
          outcome: 'failure',
          value,
          detail: `${shown}: success-condition "${check.successCondition.text}" does not hold${which}`,
        };
  }
  return {
    outcome: 'success',
    value,
    detail: `${shown}: failure-condition "${check.failureCondition?.text}" does not hold`,
  };
}
