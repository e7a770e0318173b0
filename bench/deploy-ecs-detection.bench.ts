import { EcsFixture } from '../test/deploy-ecs/fixture.ts';
import { imagePullFailure } from '../test/support/aws-emulator/index.ts';
import { median } from './support/stats.ts';

/**
 * Detection latency of deploy-ecs, through the committed bundle at the default poll interval (5 s):
 * from the instant the emulator marks our service deployment SUCCESSFUL (and, separately, STOPPED
 * by the circuit breaker) to the action's exit. Target: at most poll interval + 1 s. Beside it, what
 * the anchor's waiter (SDK v3 `waitUntilServicesStable`, minDelay 15 s, maxDelay 120 s, exponential
 * backoff with the range's midpoint for its jitter) would give for the same timeline. The anchor
 * reports a circuit-breaker failure as success once the rollback is steady, so it never detects one.
 * Also: ECS API calls per poll while waiting (target at most 2 on average).
 */

const POLL_MS = 5000;
const TARGET_MS = POLL_MS + 1000;
/** When the new tasks start, after the update: spread over two poll intervals to vary the phase. */
const START_DELAYS_MS = [1500, 4000, 6500, 9000];
const WAIT_CALLS = new Set([
  'ListServiceDeployments',
  'DescribeServiceDeployments',
  'DescribeServices',
  'ListTasks',
  'DescribeTasks',
]);

interface Measured {
  latencyMs: number;
  /** From the update to the emulator's verdict. */
  verdictAfterMs: number;
  callsPerPoll: number;
  callsPerMinute: number;
  waitedMs: number;
}

async function measure(kind: 'success' | 'failure', startDelayMs: number): Promise<Measured> {
  const f = await EcsFixture.start();
  try {
    await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: false } });
    f.aws.ecs.taskBehaviour(
      { image: 'web:2' },
      kind === 'success'
        ? { startMs: startDelayMs }
        : { startMs: startDelayMs, ...imagePullFailure('web:2') },
    );
    const before = f.aws.calls.length;
    const run = await f.deploy({
      service: 'web',
      'task-definition': 'task-definition.json',
      image: 'web:2',
      'poll-interval': '5s',
      'rollback-on-failure': 'false',
    });
    const exitedAt = Date.now();
    const arn = run.outputs['service-deployment-arn'];
    const deployment = f.aws.ecs
      .service('prod', 'web')
      ?.serviceDeployments.find((entry) => entry.arn === arn);
    const verdictAt = deployment?.finishedAt ?? deployment?.stoppedAt;
    if (!deployment || verdictAt === undefined) throw new Error(`no finished service deployment: ${run.log}`);
    // The emulator's clock is the wall clock here (never paused): its instants compare with Date.now().
    const updateAt = deployment.createdAt;
    const waitCalls = f.aws.calls.slice(before).filter((call) => WAIT_CALLS.has(call.operation));
    const waitedMs = exitedAt - deployment.createdAt;
    const polls = f.aws.calls.slice(before).filter((call) => call.operation === 'DescribeServices').length;
    return {
      latencyMs: exitedAt - verdictAt,
      verdictAfterMs: verdictAt - updateAt,
      callsPerPoll: waitCalls.length / Math.max(1, polls),
      // A minute of waiting is 60 s / poll-interval polls; the one-off calls (finding our service
      // deployment, reading stopped tasks) weigh more in these short waits than in a long one.
      callsPerMinute: (waitCalls.length / Math.max(1, polls)) * (60_000 / POLL_MS),
      waitedMs,
    };
  } finally {
    await f.close();
  }
}

/** When the anchor's waiter would first see the service stable, for a verdict `afterMs` after the update. */
function anchorDetection(afterMs: number): number {
  const minDelay = 15_000;
  const maxDelay = 120_000;
  let at = 0;
  for (let attempt = 1; at < afterMs; attempt++) {
    const ceiling = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
    at += (minDelay + ceiling) / 2;
  }
  return at - afterMs;
}

for (const kind of ['success', 'failure'] as const) {
  const results: Measured[] = [];
  for (const delay of START_DELAYS_MS) results.push(await measure(kind, delay));
  const latencies = results.map((result) => result.latencyMs);
  const worst = Math.max(...latencies);
  const verdict = worst <= TARGET_MS ? 'meets' : 'MISSES';
  const anchor =
    kind === 'success'
      ? `anchor waiter: median ${(median(results.map((result) => anchorDetection(result.verdictAfterMs))) / 1000).toFixed(1)} s after the same verdicts`
      : 'anchor waiter: never (it reports the service steady again as success)';
  console.log(
    `detection ${kind}: median ${(median(latencies) / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s ` +
      `(target <= ${TARGET_MS / 1000} s, ${verdict}) over ${results.length} runs; ${anchor}`,
  );
  const perPoll = median(results.map((result) => result.callsPerPoll));
  console.log(
    `API calls while waiting (${kind}): ${perPoll.toFixed(2)} per poll (target <= 2, ${perPoll <= 2 ? 'meets' : 'MISSES'}), ` +
      `${median(results.map((result) => result.callsPerMinute)).toFixed(1)} per minute of waiting at poll-interval 5s ` +
      `(waits of ${(median(results.map((result) => result.waitedMs)) / 1000).toFixed(1)} s median)`,
  );
}
