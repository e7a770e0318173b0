import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { KubernetesJobInputs } from '../../../actions/migrate/src/in-cluster/inputs.ts';
import { runKubernetesJob } from '../../../actions/migrate/src/in-cluster/kubernetes-job.ts';
import { resolveKubeconfig } from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { capture, type Captured } from '../../shared/helpers.ts';

/** mode: kubernetes-job in-process, through the real Kubernetes client against the API simulator. */

let simulator: KubernetesSimulator;
let stdout: Captured;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20, jobDurationMs: 80 });
  simulator.objects.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  stdout = capture();
});
afterEach(async () => {
  stdout.restore();
  await simulator.close();
});

const TEMPLATE = {
  metadata: { labels: { app: 'shop' } },
  spec: {
    serviceAccountName: 'migrator',
    containers: [{ name: 'app', image: 'shop:1', env: [{ name: 'A', value: 'b' }] }],
  },
};

async function jobInputs(overrides: Partial<KubernetesJobInputs> = {}): Promise<KubernetesJobInputs> {
  return {
    mode: 'kubernetes-job',
    cluster: await resolveKubeconfig({ input: simulator.kubeconfig }),
    source: { kind: 'template', template: TEMPLATE, name: 'shop', namespace: 'shop' },
    namespace: 'shop',
    image: 'shop:2',
    command: ['npm', 'run', 'migrate'],
    container: undefined,
    keepJob: false,
    timeoutMs: 20_000,
    suffix: 'abc1234',
    ...overrides,
  };
}

interface CreatedJob {
  metadata: { labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { serviceAccountName?: string; containers: Record<string, unknown>[] };
    };
  };
}

function createdJob(): CreatedJob {
  const post = simulator.requests.find(
    (request) => request.method === 'POST' && request.path.endsWith('/jobs'),
  );
  if (!post) throw new Error('no Job was created');
  return JSON.parse(post.body) as CreatedJob;
}

describe('mode kubernetes-job', () => {
  it('runs the command in a one-attempt Job, copies its output to the log, then deletes the Job', async () => {
    simulator.behaviour.containerLog('shop:2', 'Migrating...\nApplied 3 migrations\n');
    const result = await runKubernetesJob(await jobInputs(), new AbortController().signal);

    expect(result).toMatchObject({
      mode: 'kubernetes-job',
      id: 'shop-migrate-abc1234',
      exitCode: 0,
      failure: undefined,
    });
    expect(stdout.text()).toContain('Migrating...\nApplied 3 migrations\n');
    // The simulator stamps each line with the time of the request, not of its writing, so a read while
    // the pod runs and the last read can both show the lines; pod-logs.test.ts covers the resume logic
    // with timestamps as a kubelet writes them.
    expect(result.tail.text()).toMatch(/(^|\n)Migrating\.\.\.\nApplied 3 migrations$/);
    const job = createdJob();
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec).toMatchObject({
      restartPolicy: 'Never',
      serviceAccountName: 'migrator',
      containers: [
        {
          name: 'app',
          image: 'shop:2',
          command: ['npm', 'run', 'migrate'],
          env: [{ name: 'A', value: 'b' }],
        },
      ],
    });
    expect(job.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'gantry',
      'gantry.dev/action': 'migrate',
    });
    // The application's labels would put the migration pod behind its Services.
    expect(job.spec.template.metadata.labels.app).toBeUndefined();
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeUndefined();
    const deletion = simulator.requests.find((request) => request.method === 'DELETE');
    expect(deletion?.query.propagationPolicy).toBe('Background');
  });

  it('waits for a long-running Job with a watch, not by polling the Job', async () => {
    simulator.behaviour.jobDurationMs = 1500;
    simulator.behaviour.containerLog('shop:2', 'Applied 3 migrations\n');
    const result = await runKubernetesJob(await jobInputs(), new AbortController().signal);
    expect(result.failure).toBeUndefined();
    const jobPath = '/apis/batch/v1/namespaces/shop/jobs';
    const watches = simulator.requests.filter(
      (request) => request.path === jobPath && request.query.watch === 'true',
    );
    expect(watches).toHaveLength(1);
    expect(watches[0]?.query.fieldSelector).toBe('metadata.name=shop-migrate-abc1234');
    expect(
      simulator.requests.filter(
        (request) => request.path === `${jobPath}/shop-migrate-abc1234` && request.method === 'GET',
      ),
    ).toHaveLength(1);
    expect(stdout.text()).toContain('Applied 3 migrations\n');
  });

  it('keeps the Job with keep-job', async () => {
    const result = await runKubernetesJob(await jobInputs({ keepJob: true }), new AbortController().signal);
    expect(result.failure).toBeUndefined();
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeDefined();
    expect(simulator.requests.some((request) => request.method === 'DELETE')).toBe(false);
  });

  it('a second run of the same commit next to a kept Job gets its own name', async () => {
    await runKubernetesJob(await jobInputs({ keepJob: true }), new AbortController().signal);
    const second = await runKubernetesJob(await jobInputs(), new AbortController().signal);
    expect(second.failure).toBeUndefined();
    expect(second.id).toMatch(/^shop-migrate-abc1234-[a-z0-9]{4}$/);
  });

  it('reports the exit code and the log tail of a failed migration, and still deletes the Job', async () => {
    simulator.behaviour.failJobs(
      { name: /migrate/ },
      { exitCode: 3, log: 'Migrating...\nERROR: relation "users" does not exist\n' },
    );
    const result = await runKubernetesJob(await jobInputs(), new AbortController().signal);
    expect(result.exitCode).toBe(3);
    expect(result.failure).toBe(
      'Migration Job shop/shop-migrate-abc1234 failed: container app exited with code 3 (Error).',
    );
    expect(result.tail.describe()).toContain('ERROR: relation "users" does not exist');
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeUndefined();
  });

  it("runs in an existing Deployment's pod template, without its probes, ports and sidecars", async () => {
    simulator.objects.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' }, annotations: { 'sidecar.istio.io/inject': 'false' } },
          spec: {
            serviceAccountName: 'web',
            containers: [
              {
                name: 'web',
                image: 'shop:1',
                command: ['node', 'server.js'],
                args: ['--port', '8080'],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/health', port: 8080 } },
                envFrom: [{ secretRef: { name: 'db' } }],
              },
              { name: 'proxy', image: 'envoy:1' },
            ],
          },
        },
      },
    });
    const result = await runKubernetesJob(
      await jobInputs({ source: { kind: 'deployment', namespace: 'shop', name: 'web' }, container: 'web' }),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ id: 'web-migrate-abc1234', exitCode: 0, failure: undefined });
    const job = createdJob();
    expect(job.spec.template.metadata).toEqual({
      labels: expect.not.objectContaining({ app: 'web' }),
      annotations: { 'sidecar.istio.io/inject': 'false' },
    });
    expect(job.spec.template.spec.containers).toHaveLength(1);
    const container = job.spec.template.spec.containers[0];
    expect(container).toMatchObject({
      name: 'web',
      image: 'shop:2',
      command: ['npm', 'run', 'migrate'],
      envFrom: [{ secretRef: { name: 'db' } }],
    });
    for (const serving of ['args', 'ports', 'readinessProbe']) expect(container?.[serving]).toBeUndefined();
    expect(job.spec.template.spec.serviceAccountName).toBe('web');
  });

  it('fails on a missing Deployment before creating anything', async () => {
    const run = runKubernetesJob(
      await jobInputs({ source: { kind: 'deployment', namespace: 'shop', name: 'nope' } }),
      new AbortController().signal,
    );
    await expect(run).rejects.toThrow('Deployment shop/nope (input "from-deployment") does not exist.');
    expect(simulator.requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('fails as soon as the image cannot be pulled, names the image, and deletes the Job', async () => {
    simulator.behaviour.unpullableImage('shop:2', { message: 'manifest unknown' });
    const started = Date.now();
    const result = await runKubernetesJob(
      await jobInputs({ timeoutMs: 60_000 }),
      new AbortController().signal,
    );
    expect(result.exitCode).toBeUndefined();
    expect(result.failure).toMatch(
      /^Migration Job shop\/shop-migrate-abc1234 cannot start: pod shop-migrate-abc1234-\w+: container "app" cannot pull image "shop:2" \(ImagePullBackOff: .*manifest unknown.*\)\.$/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeUndefined();
  });

  it('gives up at the timeout, says what the pod was waiting for, and deletes the Job even with keep-job', async () => {
    simulator.behaviour.unschedulable({}, '2 Insufficient memory');
    const result = await runKubernetesJob(
      await jobInputs({ timeoutMs: 1500, keepJob: true }),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ id: 'shop-migrate-abc1234', exitCode: undefined, kept: false });
    expect(result.failure).toMatch(
      /^Timed out after 1\.5s waiting for Job shop\/shop-migrate-abc1234 to finish: pod shop-migrate-abc1234-\w+ cannot be scheduled: 0\/2 nodes are available: 2 Insufficient memory\. .*\.$/,
    );
    expect(result.tail.describe()).toBe('It wrote nothing to its log.');
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeUndefined();
    const deletion = simulator.requests.find((request) => request.method === 'DELETE');
    expect(deletion?.query.propagationPolicy).toBe('Background');
  });

  it('stops a running Job when the run is cancelled, even with keep-job, and says where it was', async () => {
    simulator.behaviour.jobDurationMs = 60_000;
    simulator.behaviour.containerLog('shop:2', 'Migrating...\n');
    const cancel = new AbortController();
    // Cancelled once the pod's output has been read, however long a loaded machine takes.
    const running = setInterval(() => {
      if (stdout.text().includes('Migrating...')) cancel.abort();
    }, 20);
    const result = await runKubernetesJob(await jobInputs({ keepJob: true }), cancel.signal).finally(() =>
      clearInterval(running),
    );
    expect(result).toMatchObject({ id: 'shop-migrate-abc1234', exitCode: undefined, kept: false });
    expect(result.failure).toMatch(
      /^The run was cancelled while Job shop\/shop-migrate-abc1234 ran: pod shop-migrate-abc1234-\w+ is still running\.$/,
    );
    expect(result.tail.text()).toContain('Migrating...');
    expect(simulator.objects.get('batch/v1', 'Job', 'shop', 'shop-migrate-abc1234')).toBeUndefined();
  });
});
