import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import {
  cronJobStatus,
  daemonSetStatus,
  podStatus,
  deploymentStatus,
  jobStatus,
  rolloutStatus,
  statefulSetStatus,
  type RolloutStatus,
} from '../../../shared/src/kubernetes/rollout/rollout-status.ts';
import { podsOf } from '../../../shared/src/kubernetes/rollout/rollout-wait.ts';

/** kubectl's rollout status rules (polymorphichelpers/rollout_status.go), one row per branch. */

function deployment(
  generation: number,
  replicas: number | undefined,
  status: Record<string, unknown>,
): KubeObject {
  return {
    metadata: { name: 'web', generation },
    spec: replicas === undefined ? {} : { replicas },
    status,
  };
}

const timedOut = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "web-7d9" has timed out progressing.',
};
const progressing = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' };

describe('Deployment', () => {
  it.each<[string, KubeObject, RolloutStatus]>([
    [
      'spec not observed yet',
      deployment(3, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' },
    ],
    [
      'progress deadline exceeded',
      deployment(2, 2, { observedGeneration: 2, updatedReplicas: 1, conditions: [timedOut] }),
      {
        state: 'failed',
        reason: 'ProgressDeadlineExceeded',
        message:
          'deployment "web" exceeded its progress deadline (ReplicaSet "web-7d9" has timed out progressing.)',
      },
    ],
    [
      'new replicas not all updated',
      deployment(2, 3, {
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
        conditions: [progressing],
      }),
      {
        state: 'progressing',
        message:
          'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      },
    ],
    [
      'old replicas pending termination',
      deployment(2, 3, { observedGeneration: 2, replicas: 5, updatedReplicas: 3, availableReplicas: 4 }),
      {
        state: 'progressing',
        message: 'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...',
      },
    ],
    [
      'updated replicas not available',
      deployment(2, 3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }),
      {
        state: 'progressing',
        message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
      },
    ],
    [
      'complete',
      deployment(2, 3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      { state: 'complete', message: 'deployment "web" successfully rolled out' },
    ],
    [
      'observed generation ahead of generation (status from a newer write)',
      deployment(2, 1, { observedGeneration: 3, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
      { state: 'complete', message: 'deployment "web" successfully rolled out' },
    ],
    [
      'scaled to zero',
      deployment(4, 0, { observedGeneration: 4 }),
      { state: 'complete', message: 'deployment "web" successfully rolled out' },
    ],
    [
      'no spec.replicas: the updated count is not checked against it',
      deployment(1, undefined, {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        availableReplicas: 0,
      }),
      {
        state: 'progressing',
        message: 'Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...',
      },
    ],
    [
      'no status at all',
      { metadata: { name: 'web', generation: 1 }, spec: { replicas: 1 } },
      { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' },
    ],
    [
      'a deadline exceeded earlier but spec not observed: waits for the new spec first',
      deployment(3, 1, { observedGeneration: 2, conditions: [timedOut] }),
      { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' },
    ],
  ])('%s', (_name, object, expected) => {
    expect(deploymentStatus(object)).toEqual(expected);
    expect(rolloutStatus('Deployment', object)).toEqual(expected);
  });
});

function statefulSet(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 2,
): KubeObject {
  return { metadata: { name: 'db', generation }, spec, status };
}

describe('StatefulSet', () => {
  const rolling = { type: 'RollingUpdate' };
  it.each<[string, KubeObject, RolloutStatus]>([
    [
      'OnDelete cannot be tracked',
      statefulSet({ replicas: 3, updateStrategy: { type: 'OnDelete' } }, { observedGeneration: 2 }),
      {
        state: 'not-tracked',
        message: 'rollout status is only available for RollingUpdate strategy type, not OnDelete',
      },
    ],
    [
      'never observed (observedGeneration 0)',
      statefulSet({ replicas: 3, updateStrategy: rolling }, { observedGeneration: 0 }),
      { state: 'progressing', message: 'Waiting for statefulset spec update to be observed...' },
    ],
    [
      'spec not observed yet',
      statefulSet({ replicas: 3, updateStrategy: rolling }, { observedGeneration: 1 }),
      { state: 'progressing', message: 'Waiting for statefulset spec update to be observed...' },
    ],
    [
      'pods not ready',
      statefulSet({ replicas: 3, updateStrategy: rolling }, { observedGeneration: 2, readyReplicas: 1 }),
      { state: 'progressing', message: 'Waiting for 2 pods to be ready...' },
    ],
    [
      'partitioned roll out in progress',
      statefulSet(
        { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        { observedGeneration: 2, readyReplicas: 4, updatedReplicas: 1 },
      ),
      {
        state: 'progressing',
        message: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
      },
    ],
    [
      'partitioned roll out complete',
      statefulSet(
        { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        { observedGeneration: 2, readyReplicas: 4, updatedReplicas: 2 },
      ),
      { state: 'complete', message: 'partitioned roll out complete: 2 new pods have been updated...' },
    ],
    [
      "rollingUpdate without partition counts as partitioned and complete (kubectl's branch)",
      statefulSet(
        { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: {} } },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          updatedReplicas: 1,
          updateRevision: 'db-2',
          currentRevision: 'db-1',
        },
      ),
      { state: 'complete', message: 'partitioned roll out complete: 1 new pods have been updated...' },
    ],
    [
      'update revision not current yet',
      statefulSet(
        { replicas: 2, updateStrategy: rolling },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          updatedReplicas: 1,
          updateRevision: 'db-6b8',
          currentRevision: 'db-5f7',
        },
      ),
      {
        state: 'progressing',
        message: 'waiting for statefulset rolling update to complete 1 pods at revision db-6b8...',
      },
    ],
    [
      'complete',
      statefulSet(
        { replicas: 2, updateStrategy: rolling },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          updatedReplicas: 2,
          currentReplicas: 2,
          updateRevision: 'db-6b8',
          currentRevision: 'db-6b8',
        },
      ),
      { state: 'complete', message: 'statefulset rolling update complete 2 pods at revision db-6b8...' },
    ],
    [
      'no updateStrategy: the API default (RollingUpdate) applies',
      statefulSet(
        { replicas: 1 },
        {
          observedGeneration: 2,
          readyReplicas: 1,
          currentReplicas: 1,
          updateRevision: 'a',
          currentRevision: 'a',
        },
      ),
      { state: 'complete', message: 'statefulset rolling update complete 1 pods at revision a...' },
    ],
  ])('%s', (_name, object, expected) => {
    expect(statefulSetStatus(object)).toEqual(expected);
  });
});

function daemonSet(status: Record<string, unknown>, strategy = 'RollingUpdate', generation = 5): KubeObject {
  return { metadata: { name: 'agent', generation }, spec: { updateStrategy: { type: strategy } }, status };
}

describe('DaemonSet', () => {
  it.each<[string, KubeObject, RolloutStatus]>([
    [
      'OnDelete cannot be tracked',
      daemonSet({ observedGeneration: 5 }, 'OnDelete'),
      {
        state: 'not-tracked',
        message: 'rollout status is only available for RollingUpdate strategy type, not OnDelete',
      },
    ],
    [
      'spec not observed yet',
      daemonSet({
        observedGeneration: 4,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
      }),
      { state: 'progressing', message: 'Waiting for daemon set spec update to be observed...' },
    ],
    [
      'pods not all updated',
      daemonSet({
        observedGeneration: 5,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 1,
        numberAvailable: 3,
      }),
      {
        state: 'progressing',
        message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
      },
    ],
    [
      'updated pods not available',
      daemonSet({
        observedGeneration: 5,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      }),
      {
        state: 'progressing',
        message: 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...',
      },
    ],
    [
      'complete',
      daemonSet({
        observedGeneration: 5,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
      }),
      { state: 'complete', message: 'daemon set "agent" successfully rolled out' },
    ],
    [
      'no node to run on is complete (nothing desired)',
      daemonSet({ observedGeneration: 5, desiredNumberScheduled: 0 }),
      { state: 'complete', message: 'daemon set "agent" successfully rolled out' },
    ],
  ])('%s', (_name, object, expected) => {
    expect(daemonSetStatus(object)).toEqual(expected);
  });
});

describe('Job', () => {
  const job = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'migrate' },
    spec,
    status,
  });
  it.each<[string, KubeObject, RolloutStatus]>([
    [
      'running',
      job({ active: 1 }, { completions: 1 }),
      {
        state: 'progressing',
        message: 'Waiting for job "migrate" to complete: 0 of 1 succeeded, 1 active, 0 failed...',
      },
    ],
    [
      'complete',
      job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }),
      { state: 'complete', message: 'job "migrate" completed' },
    ],
    [
      'failed: backoff limit',
      job({
        failed: 3,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      }),
      {
        state: 'failed',
        reason: 'BackoffLimitExceeded',
        message: 'job "migrate" failed: BackoffLimitExceeded (Job has reached the specified backoff limit)',
      },
    ],
    [
      'a False Complete condition is not completion',
      job(
        { succeeded: 0, failed: 1, conditions: [{ type: 'Complete', status: 'False' }] },
        { completions: 2 },
      ),
      {
        state: 'progressing',
        message: 'Waiting for job "migrate" to complete: 0 of 2 succeeded, 0 active, 1 failed...',
      },
    ],
    [
      'suspended',
      job({}, { suspend: true }),
      { state: 'progressing', message: 'Waiting for job "migrate": it is suspended' },
    ],
  ])('%s', (_name, object, expected) => {
    expect(jobStatus(object)).toEqual(expected);
    expect(rolloutStatus('Job', object)).toEqual(expected);
  });
});

describe('Pod', () => {
  const pod = (status: Record<string, unknown>): KubeObject => ({ metadata: { name: 'debug' }, status });
  it.each<[string, KubeObject, RolloutStatus]>([
    [
      'pending',
      pod({ phase: 'Pending' }),
      { state: 'progressing', message: 'Waiting for pod "debug" to be ready (phase Pending)...' },
    ],
    [
      'no status yet',
      pod({}),
      { state: 'progressing', message: 'Waiting for pod "debug" to be ready (phase Pending)...' },
    ],
    [
      'running, not ready',
      pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }),
      { state: 'progressing', message: 'Waiting for pod "debug" to be ready (phase Running)...' },
    ],
    [
      'ready',
      pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }),
      { state: 'complete', message: 'pod "debug" is ready' },
    ],
    ['succeeded', pod({ phase: 'Succeeded' }), { state: 'complete', message: 'pod "debug" succeeded' }],
    [
      'failed',
      pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      {
        state: 'failed',
        reason: 'Evicted',
        message: 'pod "debug" failed: Evicted (The node was low on resource: memory.)',
      },
    ],
  ])('%s', (_name, object, expected) => {
    expect(podStatus(object)).toEqual(expected);
    expect(rolloutStatus('Pod', object)).toEqual(expected);
  });
});

describe('CronJob', () => {
  const cronJob = (suspend?: boolean): KubeObject => ({
    metadata: { name: 'nightly' },
    spec: { schedule: '0 3 * * *', ...(suspend === undefined ? {} : { suspend }) },
  });
  it('is done once accepted', () => {
    expect(rolloutStatus('CronJob', cronJob())).toEqual({
      state: 'complete',
      message: 'cronjob "nightly" accepted: scheduled "0 3 * * *"',
    });
  });
  it('fails when suspended though the manifest does not ask for it', () => {
    expect(cronJobStatus(cronJob(true), false)).toMatchObject({ state: 'failed', reason: 'Suspended' });
  });
  it('is done when suspended as the manifest asks', () => {
    expect(rolloutStatus('CronJob', cronJob(true), { suspend: true })).toEqual({
      state: 'complete',
      message: 'cronjob "nightly" accepted: suspended, as the manifest asks',
    });
  });
});

describe('the pods a DaemonSet rollout is judged by', () => {
  const template = (image: string): Record<string, unknown> => ({
    metadata: { labels: { app: 'agent' } },
    spec: { containers: [{ name: 'agent', image }] },
  });
  const daemon: KubeObject = {
    metadata: { name: 'agent', uid: 'ds-1', generation: 2 },
    spec: { template: template('agent:2') },
    status: { observedGeneration: 2 },
  };
  const owner = [{ uid: 'ds-1', kind: 'DaemonSet', name: 'agent', controller: true }];
  const revision = (hash: string, number: number, image: string): KubeObject => ({
    metadata: {
      name: `agent-${hash}`,
      uid: `rev-${hash}`,
      labels: { 'controller-revision-hash': hash },
      ownerReferences: owner,
    },
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
    revision: number,
  });
  const pod = (name: string, hash: string): KubeObject => ({
    metadata: { name, uid: name, labels: { 'controller-revision-hash': hash }, ownerReferences: owner },
  });
  const map = (objects: KubeObject[]): { objects: Map<string, KubeObject> } => ({
    objects: new Map(objects.map((object) => [object.metadata?.name ?? '', object])),
  });
  const pods = map([pod('agent-old', 'aaa'), pod('agent-new', 'bbb')]);

  it('are the pods of the newest revision that holds the current template', () => {
    const scope = podsOf('DaemonSet', daemon, {
      pods,
      revisions: map([revision('aaa', 1, 'agent:1'), revision('bbb', 2, 'agent:2')]),
    });
    expect(scope.pods.map((item) => item.metadata?.name)).toEqual(['agent-new']);
  });

  it('are none while the new revision has not been seen, rather than the old revision’s', () => {
    const scope = podsOf('DaemonSet', daemon, { pods, revisions: map([revision('aaa', 1, 'agent:1')]) });
    expect(scope.pods).toEqual([]);
  });
});
