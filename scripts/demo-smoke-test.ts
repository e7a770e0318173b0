import { createServer, type Server } from 'node:http';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';

/**
 * `node scripts/demo-smoke-test.ts`: a small local service, and the committed smoke-test bundle run
 * against it through the runner harness exactly as GitHub would run it, twice: once on a healthy
 * release and once on a release whose API starts failing, to show what a failed verdict looks like.
 */
let requests = 0;
let degraded = false;
const service = createServer((request, response) => {
  requests++;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health') {
    const body = {
      status: degraded ? 'degraded' : 'ok',
      checks: { database: 'ok', cache: degraded ? 'down' : 'ok' },
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  } else if (path === '/api/orders') {
    // The degraded release answers its first request and then fails every other one.
    const failing = degraded && requests % 2 === 0;
    response
      .writeHead(failing ? 503 : 200, { 'content-type': 'application/json' })
      .end(failing ? '{"error":"unavailable"}' : '[]');
  } else {
    response.writeHead(404).end('not found');
  }
});
const port = await listen(service);
const checks = `
- name: health
  url: http://127.0.0.1:${port}/health
  json:
    - path: $.status
      equals: ok
    - path: $.checks.database
      exists: true
- name: orders API
  url: http://127.0.0.1:${port}/api/orders
  headers: { Authorization: Bearer demo-token-not-a-real-secret }
  status: 200
  p95-latency: 500ms
`;

try {
  const healthy = await smokeTest('a healthy release');
  degraded = true;
  const broken = await smokeTest('a release whose API fails');
  const asExpected = healthy.exitCode === 0 && broken.exitCode === 1;
  console.log(
    asExpected
      ? 'Demo finished: the healthy release passed and the broken one failed.'
      : 'Demo FAILED: unexpected verdicts.',
  );
  process.exitCode = asExpected ? 0 : 1;
} finally {
  service.close();
}

async function smokeTest(title: string): Promise<ActionRun> {
  console.log(`\n=== smoke-test against ${title} ===\n`);
  const run = await runActionBundle({
    action: 'smoke-test',
    inputs: { checks, samples: '4', interval: '200ms', timeout: '8s' },
  });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  console.log(
    `\n--- outputs ---\npassed=${run.outputs.passed}\nfailed-checks=${run.outputs['failed-checks']}`,
  );
  return run;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
