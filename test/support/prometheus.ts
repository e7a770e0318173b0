import type { IncomingHttpHeaders } from 'node:http';
import { startHttpService, type HttpService, type ScriptedResponse } from './http-service.ts';

/**
 * A Prometheus-compatible instant query endpoint (`GET /api/v1/query?query=&time=`) for tests,
 * answering in the real response format of Prometheus's HTTP API: `{"status":"success","data":
 * {"resultType":"vector","result":[{"metric":{...},"value":[<unix time>,"<value>"]}]}}`, scalar,
 * matrix and string results, and `{"status":"error","errorType":...,"error":...}` with the status
 * codes Prometheus uses (400 bad_data, 422 execution, 503 timeout). Each test programs the answer
 * per query; a query nobody programmed gets an empty vector, as Prometheus answers for series that
 * do not exist. Every query is recorded with its headers; `requireAuthorization` answers 401 to a
 * request without the expected Authorization header, as the reverse proxy in front of a real
 * Prometheus does.
 */

export type SampleValue = number | string;

export type PrometheusAnswer =
  | { vector: { metric?: Record<string, string>; value: SampleValue }[] }
  | { scalar: SampleValue }
  | { matrix: { metric?: Record<string, string>; values: SampleValue[] }[] }
  | { string: string }
  | { error: { errorType: 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal'; error: string } }
  /** Anything else, as is: a 502 page from a proxy, a slow answer. */
  | { raw: ScriptedResponse };

export interface RecordedQuery {
  query: string;
  /** The `time` parameter as sent, or undefined. */
  time: string | undefined;
  headers: IncomingHttpHeaders;
  /** 1-based: how many times this query had been asked, this one included. */
  count: number;
}

export type QueryHandler = (query: RecordedQuery) => PrometheusAnswer | Promise<PrometheusAnswer>;

export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`: what a check's `address` is. */
  readonly address: string;
  readonly queries: RecordedQuery[];
  /** Programs the answer to one query (matched exactly, after trimming) or to every query matching a RegExp. */
  answer(query: string | RegExp, answer: PrometheusAnswer | QueryHandler): void;
  /** From now on, answers 401 unless the Authorization header is exactly this. */
  requireAuthorization(value: string): void;
  close(): Promise<void>;
}

const STATUS_OF_ERROR: Record<string, number> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
};

export async function startPrometheus(): Promise<PrometheusServer> {
  const programmed: { query: string | RegExp; answer: PrometheusAnswer | QueryHandler }[] = [];
  const queries: RecordedQuery[] = [];
  const counts = new Map<string, number>();
  let authorization: string | undefined;
  const service: HttpService = await startHttpService({
    routes: {
      '/api/v1/query': async (request) => {
        if (request.method !== 'GET') return { status: 405, body: 'Method Not Allowed\n' };
        if (authorization !== undefined && request.headers.authorization !== authorization) {
          return {
            status: 401,
            headers: { 'www-authenticate': 'Basic realm="prometheus"' },
            body: 'Unauthorized\n',
          };
        }
        const params = new URL(request.path, 'http://prometheus.invalid').searchParams;
        const query = (params.get('query') ?? '').trim();
        const count = (counts.get(query) ?? 0) + 1;
        counts.set(query, count);
        const recorded: RecordedQuery = {
          query,
          time: params.get('time') ?? undefined,
          headers: request.headers,
          count,
        };
        queries.push(recorded);
        if (query === '')
          return errorResponse(
            'bad_data',
            'invalid parameter "query": 1:1: parse error: no expression found in input',
          );
        const time = Number(recorded.time ?? Date.now() / 1000);
        if (!Number.isFinite(time))
          return errorResponse(
            'bad_data',
            `invalid parameter "time": cannot parse "${recorded.time}" to a valid timestamp`,
          );
        const match = [...programmed]
          .reverse()
          .find((entry) =>
            typeof entry.query === 'string' ? entry.query === query : entry.query.test(query),
          );
        const answer =
          typeof match?.answer === 'function'
            ? await match.answer(recorded)
            : (match?.answer ?? { vector: [] });
        return respond(answer, time);
      },
    },
  });
  return {
    address: service.origin,
    queries,
    answer: (query, answer) => {
      programmed.push({ query: typeof query === 'string' ? query.trim() : query, answer });
    },
    requireAuthorization: (value) => {
      authorization = value;
    },
    close: () => service.close(),
  };
}

function respond(answer: PrometheusAnswer, time: number): ScriptedResponse {
  if ('raw' in answer) return answer.raw;
  if ('error' in answer) return errorResponse(answer.error.errorType, answer.error.error);
  const sample = (value: SampleValue): [number, string] => [time, formatValue(value)];
  let data: { resultType: string; result: unknown };
  if ('vector' in answer) {
    data = {
      resultType: 'vector',
      result: answer.vector.map((series) => ({ metric: series.metric ?? {}, value: sample(series.value) })),
    };
  } else if ('scalar' in answer) {
    data = { resultType: 'scalar', result: sample(answer.scalar) };
  } else if ('matrix' in answer) {
    data = {
      resultType: 'matrix',
      // A range vector's samples, one per second up to the evaluation time.
      result: answer.matrix.map((series) => ({
        metric: series.metric ?? {},
        values: series.values.map((value, index) => [
          time - (series.values.length - 1 - index),
          formatValue(value),
        ]),
      })),
    };
  } else {
    data = { resultType: 'string', result: [time, answer.string] };
  }
  return { status: 200, body: { status: 'success', data } };
}

function errorResponse(errorType: string, error: string): ScriptedResponse {
  return { status: STATUS_OF_ERROR[errorType] ?? 500, body: { status: 'error', errorType, error } };
}

/** Sample values are strings in the API, with NaN and infinities spelt as Prometheus spells them. */
function formatValue(value: SampleValue): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
