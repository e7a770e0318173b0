import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.ts';

/** The test Prometheus endpoint itself answers in the format of Prometheus's HTTP API. */

let prometheus: PrometheusServer;
beforeEach(async () => {
  prometheus = await startPrometheus();
});
afterEach(async () => {
  await prometheus.close();
});

async function get(
  query: string | undefined,
  time = '1700000000.5',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(`${prometheus.address}/api/v1/query`);
  if (query !== undefined) url.searchParams.set('query', query);
  url.searchParams.set('time', time);
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

describe('test Prometheus endpoint', () => {
  it('answers a vector with string values at the evaluation time, and an empty vector for an unknown query', async () => {
    prometheus.answer('up', { vector: [{ metric: { job: 'web' }, value: 1 }, { value: Number.NaN }] });
    expect(await get('up')).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { job: 'web' }, value: [1700000000.5, '1'] },
            { metric: {}, value: [1700000000.5, 'NaN'] },
          ],
        },
      },
    });
    expect(await get('absent_metric')).toEqual({
      status: 200,
      body: { status: 'success', data: { resultType: 'vector', result: [] } },
    });
  });

  it('answers scalar, matrix and string results', async () => {
    prometheus.answer('scalar(1)', { scalar: Infinity });
    prometheus.answer(/\[2s\]$/, { matrix: [{ metric: { pod: 'a' }, values: [1, 2] }] });
    prometheus.answer('"x"', { string: 'x' });
    expect((await get('scalar(1)')).body).toEqual({
      status: 'success',
      data: { resultType: 'scalar', result: [1700000000.5, '+Inf'] },
    });
    expect((await get('up[2s]')).body).toEqual({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { pod: 'a' },
            values: [
              [1699999999.5, '1'],
              [1700000000.5, '2'],
            ],
          },
        ],
      },
    });
    expect((await get('"x"')).body).toEqual({
      status: 'success',
      data: { resultType: 'string', result: [1700000000.5, 'x'] },
    });
  });

  it('answers errors with Prometheus status codes and error types', async () => {
    prometheus.answer('bad', {
      error: { errorType: 'execution', error: 'many-to-many matching not allowed' },
    });
    expect(await get('bad')).toEqual({
      status: 422,
      body: { status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' },
    });
    expect(await get(undefined)).toMatchObject({
      status: 400,
      body: { status: 'error', errorType: 'bad_data' },
    });
    expect(await get('up', 'yesterday')).toMatchObject({
      status: 400,
      body: { status: 'error', errorType: 'bad_data' },
    });
  });

  it('records each query with its time and headers, counting per query', async () => {
    await get('up', '1700000000.5', { 'x-test': 'one' });
    await get('up');
    expect(prometheus.queries.map((query) => [query.query, query.time, query.count])).toEqual([
      ['up', '1700000000.5', 1],
      ['up', '1700000000.5', 2],
    ]);
    expect(prometheus.queries[0]?.headers['x-test']).toBe('one');
  });

  it('answers 401 without the required Authorization header, and records nothing', async () => {
    prometheus.requireAuthorization('Bearer right');
    expect(await get('up', '1', { authorization: 'Bearer wrong' })).toEqual({
      status: 401,
      body: 'Unauthorized\n',
    });
    expect((await get('up', '1', { authorization: 'Bearer right' })).status).toBe(200);
    expect(prometheus.queries).toHaveLength(1);
  });
});
