import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { checkFromUrl, type CheckSettings } from '../shared/src/smoke-checks/check-spec.ts';
import { runCheck } from '../shared/src/smoke-checks/check-runner.ts';
import { parseStatusSet, type StatusSet } from '../shared/src/smoke-checks/status-set.ts';
import { mapConcurrent } from '../shared/src/async/concurrency.ts';
import { Deadline } from '../shared/src/async/deadline.ts';
import { HttpClient } from '../shared/src/net/http.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * smoke-test overhead: 100 checks x 20 samples at concurrency 10 against a local server, run by the
 * smoke-test engine (sampling, judging, deadlines) against a plain undici loop making the same 2,000
 * requests at the same concurrency and reading every body. Alternating rounds; medians compared.
 */
const CHECKS = 100;
const SAMPLES = 20;
const CONCURRENCY = 10;
const ROUNDS = 7;
const TARGET = 1.25;

const server = spawn(process.execPath, [join(import.meta.dirname, 'support', 'http-target.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.setEncoding('utf8').on('data', (text: string) => {
      const match = /port=(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    server.on('exit', (code) => reject(new Error(`the target server exited with ${code}`)));
  });
  const urls = Array.from({ length: CHECKS }, (_, index) => `http://127.0.0.1:${port}/health?check=${index}`);

  await plainUndici(urls);
  await smokeTest(urls);
  const baselineTimes: number[] = [];
  const smokeTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineTimes.push(await plainUndici(urls));
    smokeTimes.push(await smokeTest(urls));
  }
  const ratio = median(smokeTimes) / median(baselineTimes);
  console.log(
    formatRatio(
      'smoke-test overhead',
      ratio,
      TARGET,
      `${CHECKS} checks x ${SAMPLES} samples at concurrency ${CONCURRENCY}: median ${median(smokeTimes).toFixed(0)} ms ` +
        `vs plain undici ${median(baselineTimes).toFixed(0)} ms over ${ROUNDS} rounds`,
    ),
  );
} finally {
  server.kill();
}

async function plainUndici(urls: string[]): Promise<number> {
  const agent = new Agent();
  const started = performance.now();
  await mapConcurrent(urls, CONCURRENCY, async (url) => {
    for (let sample = 0; sample < SAMPLES; sample++) {
      const response = await request(url, { dispatcher: agent });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.length === 0) throw new Error(`unexpected answer from ${url}`);
    }
  });
  const elapsed = performance.now() - started;
  await agent.close();
  return elapsed;
}

async function smokeTest(urls: string[]): Promise<number> {
  const settings: CheckSettings = {
    headers: {},
    expectedStatus: parseStatusSet('200-299') as StatusSet,
    samples: SAMPLES,
    failureLimit: 0,
    consecutiveSuccesses: 1,
    intervalMs: 0,
    requestTimeoutMs: 10_000,
    maxLatencyMs: undefined,
    p95LatencyMs: undefined,
    followRedirects: true,
    tls: {},
  };
  const checks = urls.map((url, index) => checkFromUrl(url, index, settings));
  const client = new HttpClient();
  const deadline = new Deadline(60_000, 'benchmark');
  const signal = new AbortController().signal;
  const started = performance.now();
  const results = await mapConcurrent(checks, CONCURRENCY, (check) =>
    runCheck(check, { client, deadline, signal }),
  );
  const elapsed = performance.now() - started;
  await client.close();
  const unhealthy = results.filter((result) => !result.passed || result.samples.length !== SAMPLES);
  if (unhealthy.length > 0)
    throw new Error(`${unhealthy.length} checks did not pass with ${SAMPLES} samples`);
  return elapsed;
}
