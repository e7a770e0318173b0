import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runAnalysis, type AnalysisResult } from '../../shared/src/analysis/index.ts';
import { capture, type Captured } from '../shared/helpers.ts';
import { startCluster, type SimulatedCluster } from '../shared/kubernetes/simulated-cluster.ts';
import { plan } from './helpers.ts';

/** job checks: a Job per measurement on the Kubernetes simulator, through the shared Job code and the real client. */

let cluster: SimulatedCluster;
let stdout: Captured;
beforeEach(async () => {
  cluster = await startCluster({ readyDelayMs: 20, jobDurationMs: 80 });
  cluster.simulator.objects.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  stdout = capture();
});
afterEach(async () => {
  stdout.restore();
  await cluster.close();
});

const JOB = `
      apiVersion: batch/v1
      kind: Job
      metadata: {name: e2e, labels: {team: web}}
      spec:
        template:
          spec:
            containers: [{name: tests, image: "e2e:1", args: [run]}]`;

function analyse(settings = 'interval: 100ms\ncount: 2'): Promise<AnalysisResult> {
  return runAnalysis(plan(`${settings}\ntimeout: 30s\nchecks:\n  - name: e2e\n    job:${JOB}`), {
    kubernetes: cluster.client,
    namespace: 'shop',
  });
}

interface PostedJob {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    template: { metadata: { labels: Record<string, string> }; spec: { restartPolicy: string } };
  };
}

function requests(method: string): { path: string; body: string }[] {
  return cluster.simulator.requests.filter(
    (request) => request.method === method && /\/jobs(\/|$)/.test(request.path),
  );
}

describe('job checks', () => {
  it('passes on exit code 0, one Job per round, each deleted afterwards, its log tail in the detail', async () => {
    cluster.simulator.behaviour.containerLog('e2e:1', 'ran 12 tests\nall passed\n');
    const result = await analyse();
    expect(result).toMatchObject({ decision: 'passed', rounds: 2 });
    expect(result.measurements.map((m) => [m.kind, m.outcome, m.value])).toEqual([
      ['job', 'success', 0],
      ['job', 'success', 0],
    ]);
    expect(result.measurements[0]?.detail).toMatch(
      /^Job shop\/e2e-r1-[a-z0-9]+ \(context .*\): exit code 0\. Its log:\n(.*\n)* {2}all passed$/,
    );
    const posted = requests('POST').map((request) => JSON.parse(request.body) as PostedJob);
    expect(posted.map((job) => job.metadata.name)).toEqual([
      expect.stringMatching(/^e2e-r1-/),
      expect.stringMatching(/^e2e-r2-/),
    ]);
    const [first] = posted;
    expect(first?.metadata).toMatchObject({
      namespace: 'shop',
      labels: { team: 'web', 'gantry.dev/job': first?.metadata.name },
    });
    expect(first?.spec).toMatchObject({ backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } });
    expect(first?.spec.activeDeadlineSeconds).toBeGreaterThan(60);
    expect(requests('DELETE').map((request) => request.path.split('/').at(-1))).toEqual(
      posted.map((job) => job.metadata.name),
    );
    expect(stdout.text()).toContain('ran 12 tests');
  });

  it('fails on a non-zero exit code, with the exit code as the value and the log tail', async () => {
    cluster.simulator.behaviour.failJobs(
      { name: /^e2e-/ },
      { exitCode: 3, log: 'checkout test failed: 500\n' },
    );
    const result = await analyse();
    expect(result).toMatchObject({ decision: 'failed', rounds: 1 });
    expect(result.measurements[0]).toMatchObject({ outcome: 'failure', value: 3 });
    expect(result.measurements[0]?.detail).toMatch(
      /failed: container tests exited with code 3.*\n(.*\n)* {2}checkout test failed: 500$/,
    );
    expect(requests('DELETE')).toHaveLength(1);
  });

  it('makes a Job that cannot start an error measurement', async () => {
    cluster.simulator.behaviour.unpullableImage('e2e:1');
    const result = await analyse('interval: 100ms\ncount: 1');
    expect(result.decision).toBe('failed');
    expect(result.measurements[0]).toMatchObject({ outcome: 'error' });
    expect(result.measurements[0]?.detail).toMatch(
      /^Analysis Job of check e2e shop\/e2e-r1-[a-z0-9]+ cannot start: /,
    );
  });

  it('fails at the analysis timeout while a Job runs, and deletes the Job', async () => {
    cluster.simulator.behaviour.jobDurationMs = 60_000;
    const result = await runAnalysis(plan(`count: 1\ntimeout: 2s\nchecks:\n  - name: e2e\n    job:${JOB}`), {
      kubernetes: cluster.client,
      namespace: 'shop',
    });
    expect(result).toMatchObject({ decision: 'failed', rounds: 1, measurements: [] });
    expect(result.reason).toMatch(/^The analysis timed out after 2s \(timeout\) in round 1/);
    const [posted] = requests('POST').map((request) => JSON.parse(request.body) as PostedJob);
    expect(requests('DELETE').map((request) => request.path.split('/').at(-1))).toEqual([
      posted?.metadata.name,
    ]);
  });

  it('deletes the Job when the caller cancels while it is being created, and rejects with the cancellation', async () => {
    cluster.simulator.behaviour.jobDurationMs = 60_000;
    const controller = new AbortController();
    const running = runAnalysis(plan(`count: 1\ntimeout: 30s\nchecks:\n  - name: e2e\n    job:${JOB}`), {
      kubernetes: cluster.client,
      namespace: 'shop',
      signal: controller.signal,
    });
    while (requests('POST').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(running).rejects.toThrow('cancelled');
    const [posted] = requests('POST').map((request) => JSON.parse(request.body) as PostedJob);
    expect(requests('DELETE').map((request) => request.path.split('/').at(-1))).toEqual([
      posted?.metadata.name,
    ]);
    expect(
      cluster.simulator.objects.get('batch/v1', 'Job', 'shop', posted?.metadata.name as string),
    ).toBeUndefined();
  });

  it('makes a job check without a cluster an error measurement', async () => {
    const result = await runAnalysis(plan(`count: 1\nchecks:\n  - name: e2e\n    job:${JOB}`), {});
    expect(result.measurements[0]).toMatchObject({
      outcome: 'error',
      detail: 'a job check needs a Kubernetes cluster, and this step has none',
    });
  });
});
