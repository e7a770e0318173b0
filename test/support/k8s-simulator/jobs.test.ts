import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, failure, type Clients } from './test-clients.ts';

/** Jobs run to Complete or Failed with the Job controller's conditions; CronJobs are stored. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20, jobDurationMs: 40 });
  clients = clientsFor(simulator);
});

afterEach(async () => {
  expect(simulator.controllerErrors).toEqual([]);
  await simulator.close();
});

function job(name: string, backoffLimit?: number): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(backoffLimit === undefined ? {} : { backoffLimit }),
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'migrate', image: 'app:1', command: ['npm', 'run', 'migrate'] }],
        },
      },
    },
  };
}

async function finished(name: string): Promise<V1Job> {
  return eventually(`job ${name} to finish`, () => {
    const stored = simulator.objects.get('batch/v1', 'Job', 'default', name) as unknown as V1Job | undefined;
    return (
      stored?.status?.conditions?.some(
        (condition) => ['Complete', 'Failed'].includes(condition.type) && condition.status === 'True',
      ) && stored
    );
  });
}

describe('a Job', () => {
  it('completes: SuccessCriteriaMet and Complete, succeeded 1, its pod Succeeded with its log', async () => {
    simulator.behaviour.containerLog('app:1', 'migrated 3 tables\n');
    const created = await clients.batch.createNamespacedJob({ namespace: 'default', body: job('migrate') });
    expect(created.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
    expect(created.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(
      created.metadata?.uid,
    );
    const done = await finished('migrate');
    expect(done.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0 });
    expect(done.status?.completionTime).toBeDefined();
    expect(
      done.status?.conditions?.map(
        (condition) => `${condition.type}=${condition.status}:${condition.reason}`,
      ),
    ).toEqual(['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
    const pods = await clients.core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'batch.kubernetes.io/job-name=migrate',
    });
    expect(pods.items.map((pod) => pod.status?.phase)).toEqual(['Succeeded']);
    expect(pods.items[0]?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(
      await clients.core.readNamespacedPodLog({ name: pods.items[0]!.metadata!.name!, namespace: 'default' }),
    ).toBe('migrated 3 tables\n');
  });

  it('fails after backoffLimit failed pods: FailureTarget and Failed, reason BackoffLimitExceeded', async () => {
    simulator.behaviour.failJobs(
      { name: 'migrate' },
      { exitCode: 2, log: 'error: relation "users" does not exist\n' },
    );
    await clients.batch.createNamespacedJob({ namespace: 'default', body: job('migrate', 1) });
    const done = await finished('migrate');
    expect(done.status).toMatchObject({ failed: 2 });
    expect(done.status?.succeeded).toBeUndefined();
    expect(done.status?.conditions?.find((condition) => condition.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(done.status?.conditions?.map((condition) => condition.type)).toEqual(['FailureTarget', 'Failed']);
    const pods = await clients.core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'job-name=migrate',
    });
    expect(pods.items.map((pod) => pod.status?.phase)).toEqual(['Failed', 'Failed']);
    const pod = pods.items[0]!;
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 2,
      reason: 'Error',
    });
    expect(await clients.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: 'default' })).toBe(
      'error: relation "users" does not exist\n',
    );
    const events = await clients.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.kind=Job,type=Warning',
    });
    expect(events.items.map((event) => event.reason)).toEqual(['BackoffLimitExceeded']);
  });

  it('refuses restartPolicy Always', async () => {
    const always = job('always');
    always.spec!.template.spec!.restartPolicy = 'Always';
    const error = await failure(clients.batch.createNamespacedJob({ namespace: 'default', body: always }));
    expect(error.status.message).toBe(
      'Job.batch "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
  });
});

describe('a CronJob', () => {
  it('is stored with its defaults and starts nothing', async () => {
    const body: V1CronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: job('unused').spec! } },
    };
    const created = await clients.batch.createNamespacedCronJob({ namespace: 'default', body });
    expect(created.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(created.spec?.jobTemplate.spec?.template.spec?.containers[0]).toMatchObject({
      image: 'app:1',
      imagePullPolicy: 'IfNotPresent',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulator.objects.list('batch/v1', 'Job', 'default')).toEqual([]);
  });
});
