import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import {
  groupProblems,
  podProblems,
  type PodProblem,
} from '../../../shared/src/kubernetes/rollout/pod-problems.ts';

function pod(
  name: string,
  status: Record<string, unknown>,
  containers = [{ name: 'app', image: 'registry.example.com:5000/shop/web:2.0' }],
): KubeObject {
  return { metadata: { name }, spec: { containers }, status };
}

const waiting = (
  reason: string,
  message?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name: 'app',
  image: 'registry.example.com:5000/shop/web:2.0',
  state: { waiting: { reason, ...(message ? { message } : {}) } },
  ...extra,
});

describe('podProblems', () => {
  it.each<[string, KubeObject, Partial<PodProblem>[]]>([
    [
      'a running, ready pod has none',
      pod('web-1', {
        phase: 'Running',
        containerStatuses: [{ name: 'app', state: { running: {} }, ready: true }],
      }),
      [],
    ],
    [
      'ImagePullBackOff names the image and is fatal',
      pod('web-1', {
        phase: 'Pending',
        containerStatuses: [
          waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.com:5000/shop/web:2.0"'),
        ],
      }),
      [
        {
          kind: 'image-pull',
          reason: 'ImagePullBackOff',
          image: 'registry.example.com:5000/shop/web:2.0',
          fatal: true,
          message:
            'pod web-1: container "app" cannot pull image "registry.example.com:5000/shop/web:2.0" (ImagePullBackOff: Back-off pulling image "registry.example.com:5000/shop/web:2.0")',
        },
      ],
    ],
    [
      'ErrImagePull is reported but not fatal yet (a registry hiccup may pass)',
      pod('web-1', { phase: 'Pending', containerStatuses: [waiting('ErrImagePull', 'manifest unknown')] }),
      [{ kind: 'image-pull', reason: 'ErrImagePull', fatal: false }],
    ],
    [
      'InvalidImageName is fatal',
      pod('web-1', { phase: 'Pending', containerStatuses: [waiting('InvalidImageName')] }),
      [{ kind: 'image-pull', reason: 'InvalidImageName', fatal: true }],
    ],
    [
      'an init container that cannot pull is found too',
      pod(
        'web-1',
        { phase: 'Pending', initContainerStatuses: [{ ...waiting('ImagePullBackOff'), name: 'migrate' }] },
        [{ name: 'app', image: 'a' }],
      ),
      [{ kind: 'image-pull', container: 'migrate', fatal: true }],
    ],
    [
      'CrashLoopBackOff within max-restarts: reported, not fatal, with the previous log to read',
      pod('web-1', {
        phase: 'Running',
        containerStatuses: [
          waiting('CrashLoopBackOff', 'back-off 10s', {
            restartCount: 2,
            lastState: { terminated: { reason: 'Error', exitCode: 3 } },
          }),
        ],
      }),
      [
        {
          kind: 'crash-loop',
          exitCode: 3,
          restarts: 2,
          fatal: false,
          log: { container: 'app', previous: true },
          message:
            'pod web-1: container "app" is crash-looping (CrashLoopBackOff, restarted 2 times; last exit: Error, exit code 3)',
        },
      ],
    ],
    [
      'CrashLoopBackOff beyond max-restarts is fatal',
      pod('web-1', {
        phase: 'Running',
        containerStatuses: [
          waiting('CrashLoopBackOff', undefined, {
            restartCount: 4,
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          }),
        ],
      }),
      [{ kind: 'crash-loop', reason: 'CrashLoopBackOff', exitCode: 137, fatal: true }],
    ],
    [
      'CrashLoopBackOff with no last state says so',
      pod('web-1', {
        phase: 'Running',
        containerStatuses: [waiting('CrashLoopBackOff', undefined, { restartCount: 1 })],
      }),
      [{ message: 'pod web-1: container "app" is crash-looping (CrashLoopBackOff, restarted 1 time)' }],
    ],
    [
      'CreateContainerConfigError (a missing Secret) is reported, not fatal',
      pod('web-1', {
        phase: 'Pending',
        containerStatuses: [waiting('CreateContainerConfigError', 'secret "db" not found')],
      }),
      [
        {
          kind: 'container-config',
          fatal: false,
          message:
            'pod web-1: container "app" cannot start (CreateContainerConfigError: secret "db" not found)',
        },
      ],
    ],
    [
      'unschedulable with the scheduler message',
      pod('web-1', {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
          },
        ],
      }),
      [
        {
          kind: 'unschedulable',
          fatal: false,
          message: 'pod web-1 cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.',
        },
      ],
    ],
    [
      'a failed Job pod: exit code, reason and its own log',
      pod('migrate-x', {
        phase: 'Failed',
        containerStatuses: [{ name: 'app', state: { terminated: { reason: 'Error', exitCode: 2 } } }],
      }),
      [
        {
          kind: 'pod-failed',
          exitCode: 2,
          log: { container: 'app', previous: false },
          message: 'pod migrate-x failed: container "app" exited with code 2 (Error)',
        },
      ],
    ],
    [
      'a failed pod without a failed container: the pod reason (evicted)',
      pod('web-1', { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      [
        {
          kind: 'pod-failed',
          reason: 'Evicted',
          message: 'pod web-1 failed: Evicted (The node was low on resource: memory.)',
        },
      ],
    ],
    [
      'a pod being deleted is not a problem',
      {
        ...pod('web-1', { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] }),
        metadata: { name: 'web-1', deletionTimestamp: '2030-01-01T00:00:00Z' },
      },
      [],
    ],
    [
      'ContainerCreating is normal',
      pod('web-1', { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }),
      [],
    ],
  ])('%s', (_name, input, expected) => {
    const problems = podProblems([input], { maxRestarts: 3 });
    expect(problems).toHaveLength(expected.length);
    expected.forEach((partial, index) => expect(problems[index]).toMatchObject(partial));
  });

  it('max-restarts 0 fails the first crash loop', () => {
    const crashing = pod('web-1', {
      containerStatuses: [waiting('CrashLoopBackOff', undefined, { restartCount: 1 })],
    });
    expect(podProblems([crashing], { maxRestarts: 0 })[0]?.fatal).toBe(true);
  });
});

describe('groupProblems', () => {
  it('collapses the same problem in many pods and keeps different ones apart', () => {
    const pull = pod('web-1', { containerStatuses: [waiting('ImagePullBackOff')] });
    const pods = [pull, { ...pull, metadata: { name: 'web-2' } }, { ...pull, metadata: { name: 'web-3' } }];
    const crash = pod('web-4', {
      containerStatuses: [waiting('CrashLoopBackOff', undefined, { restartCount: 1 })],
    });
    const groups = groupProblems(podProblems([...pods, crash], { maxRestarts: 3 }));
    expect(groups.map((group) => [group.problem.pod, group.problem.reason, group.pods])).toEqual([
      ['web-1', 'ImagePullBackOff', 3],
      ['web-4', 'CrashLoopBackOff', 1],
    ]);
  });
});
