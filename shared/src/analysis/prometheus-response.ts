/**
 * Reads the answer of Prometheus's instant query API (`GET /api/v1/query`): `{"status":"success",
 * "data":{"resultType":"vector","result":[{"metric":{...},"value":[<time>,"<number>"]}]}}`, a
 * `scalar` (`"result":[<time>,"<number>"]`), a `matrix` (each series' `values`; its latest one is
 * used), or `{"status":"error","errorType":...,"error":...}`. Sample values are strings so that
 * NaN and ±Inf survive JSON; they are read the way Prometheus writes them.
 */

export interface Series {
  /** `{job="web",code="500"}`, or '' for a scalar. */
  labels: string;
  value: number;
}

export interface QueryAnswer {
  series: Series[];
  /** The answer's `warnings` (a partial answer, a dropped store): they explain its data. */
  warnings: string[];
}

export class PrometheusAnswerError extends Error {}

export function readQueryAnswer(status: number, body: string): QueryAnswer {
  const series = readSeries(status, body);
  const warnings = (JSON.parse(body) as { warnings?: unknown }).warnings;
  return {
    series,
    warnings: Array.isArray(warnings)
      ? warnings.filter((warning): warning is string => typeof warning === 'string')
      : [],
  };
}

function readSeries(status: number, body: string): Series[] {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw new PrometheusAnswerError(
      `HTTP ${status} with a body that is not JSON (starts with ${JSON.stringify(body.slice(0, 60))}); is address a Prometheus server?`,
    );
  }
  const record = answer as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown };
  if (record?.status === 'error') {
    throw new PrometheusAnswerError(
      `Prometheus answered HTTP ${status}, ${String(record.errorType)}: ${String(record.error)}`,
    );
  }
  if (record?.status !== 'success' || typeof record.data !== 'object' || record.data === null) {
    throw new PrometheusAnswerError(
      `HTTP ${status} without the "status":"success" and "data" of Prometheus's query API`,
    );
  }
  const data = record.data as { resultType?: unknown; result?: unknown };
  switch (data.resultType) {
    case 'scalar':
      return [{ labels: '', value: sampleValue(data.result) }];
    case 'vector':
      return list(data.result).map((series) => ({
        labels: labels(series),
        value: sampleValue(series.value),
      }));
    case 'matrix':
      return list(data.result).flatMap((series) => {
        const values = Array.isArray(series.values) ? series.values : [];
        return values.length === 0 ? [] : [{ labels: labels(series), value: sampleValue(values.at(-1)) }];
      });
    case 'string':
      throw new PrometheusAnswerError(
        'the query returned a string, which a condition cannot compare; query a number',
      );
    default:
      throw new PrometheusAnswerError(`unknown resultType ${JSON.stringify(data.resultType)}`);
  }
}

function list(result: unknown): Record<string, unknown>[] {
  if (!Array.isArray(result)) throw new PrometheusAnswerError('"data.result" is not a list');
  return result.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  '+Inf': Infinity,
  Inf: Infinity,
  '-Inf': -Infinity,
};

function sampleValue(pair: unknown): number {
  const text = Array.isArray(pair) ? pair[1] : undefined;
  if (typeof text !== 'string')
    throw new PrometheusAnswerError(`a sample is not [<time>, "<value>"]: ${JSON.stringify(pair)}`);
  // Number('') and Number(' ') are 0: a blank value would pass an error-rate check.
  const value = SPECIAL[text] ?? (text.trim() === '' ? Number.NaN : Number(text));
  if (Number.isNaN(value) && text !== 'NaN')
    throw new PrometheusAnswerError(`a sample value ${JSON.stringify(text)} is not a number`);
  return value;
}

function labels(series: Record<string, unknown>): string {
  const metric = typeof series.metric === 'object' && series.metric !== null ? series.metric : {};
  const pairs = Object.entries(metric).map(([name, value]) => `${name}=${JSON.stringify(String(value))}`);
  return `{${pairs.join(',')}}`;
}
