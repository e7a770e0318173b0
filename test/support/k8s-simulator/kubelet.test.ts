import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { startKubernetesSimulator, type KubernetesSimulator } from './index.ts';
import { clientsFor, eventually, failure, type Clients } from './test-clients.ts';
import { applyWith, deploymentOf, podsOf } from './test-workloads.ts';

/** What the simulated scheduler and kubelets do to pods, as a client sees it: statuses, events and logs. */

let simulator: KubernetesSimulator;
let clients: Clients;

beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 20, backOffMs: 40 });
  clients = clientsFor(simulator);
});

afterEach(async () => {
  expect(simulator.controllerErrors).toEqual([]);
  await simulator.close();
});

async function eventsOf(pod: V1Pod): Promise<CoreV1Event[]> {
  const list = await clients.core.listNamespacedEvent({
    namespace: 'default',
    fieldSelector: `involvedObject.name=${pod.metadata!.name!},involvedObject.kind=Pod`,
  });
  return list.items;
}

function waitingReason(pod: V1Pod | undefined): string | undefined {
  return pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
}

describe('a running pod', () => {
  it('is scheduled on one of two nodes, started, and ready after the ready delay', async () => {
    simulator.behaviour.containerLog('web:1', 'listening on :8080\n');
    await applyWith(clients, deploymentOf('web', 'web:1', { replicas: 2 }));
    const pods = await eventually('two ready pods', () => {
      const ready = podsOf(simulator, 'web').filter((pod) =>
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length === 2 && ready;
    });
    expect(new Set(pods.map((pod) => pod.spec?.nodeName))).toEqual(new Set(['sim-node-1', 'sim-node-2']));
    const pod = (
      await clients.core.readNamespacedPod({ name: pods[0]!.metadata!.name!, namespace: 'default' })
    ).status!;
    expect(pod.phase).toBe('Running');
    expect(pod.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(pod.conditions?.map((condition) => `${condition.type}=${condition.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(pod.containerStatuses?.[0]).toMatchObject({
      name: 'app',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'web:1',
      imageID: expect.stringMatching(/^docker\.io\/library\/web@sha256:[0-9a-f]{64}$/),
      containerID: expect.stringMatching(/^containerd:\/\//),
    });
    const log = await clients.core.readNamespacedPodLog({
      name: pods[0]!.metadata!.name!,
      namespace: 'default',
    });
    expect(log).toBe('listening on :8080\n');
    const reasons = (await eventsOf(pods[0]!)).map((event) => event.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
  });

  it('runs init containers first', async () => {
    const deployment = deploymentOf('init', 'web:1');
    deployment.spec!.template.spec!.initContainers = [{ name: 'migrate', image: 'tools:1' }];
    await applyWith(clients, deployment);
    const pod = await eventually('an initialised pod', () =>
      podsOf(simulator, 'init').find((candidate) => candidate.status?.phase === 'Running'),
    );
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });
});

describe('an image that cannot be pulled', () => {
  it('leaves the container in ErrImagePull, then ImagePullBackOff, naming the image, with Warning events', async () => {
    const image = 'registry.example.com:5000/team/web:missing';
    simulator.behaviour.unpullableImage(image);
    const seen = new Set<string>();
    const watching = setInterval(() => {
      for (const pod of podsOf(simulator, 'web')) {
        const reason = waitingReason(pod);
        if (reason) seen.add(reason);
      }
    }, 2);
    await applyWith(clients, deploymentOf('web', 'web:1'));
    await applyWith(clients, deploymentOf('web', image));
    const pod = await eventually('ImagePullBackOff', () =>
      podsOf(simulator, 'web').find((candidate) => waitingReason(candidate) === 'ImagePullBackOff'),
    );
    clearInterval(watching);
    // Frozen in the back-off, so what the client reads next is that state and not the next pull.
    simulator.behaviour.pauseControllers();
    expect(seen).toContain('ErrImagePull');
    const read = await clients.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: 'default' });
    const waiting = read.status!.containerStatuses![0]!.state!.waiting!;
    expect(waiting.message).toBe(
      `Back-off pulling image "${image}": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image ` +
        `"${image}": failed to resolve reference "${image}": ${image}: not found`,
    );
    expect(read.status?.phase).toBe('Pending');

    const events = await eventsOf(pod);
    expect(events.every((event) => event.involvedObject.kind === 'Pod')).toBe(true);
    const warnings = events.filter((event) => event.type === 'Warning').map((event) => event.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Failed to pull image "${image}"`),
        'Error: ErrImagePull',
        'Error: ImagePullBackOff',
      ]),
    );
    expect(events.find((event) => event.reason === 'BackOff')).toMatchObject({
      type: 'Normal',
      message: `Back-off pulling image "${image}"`,
      source: { component: 'kubelet' },
      involvedObject: { fieldPath: 'spec.containers{app}' },
    });

    const logError = await failure(
      clients.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: 'default' }),
    );
    expect(logError.code).toBe(400);
  });

  it('is pulled once the test removes the rule', async () => {
    const heal = simulator.behaviour.unpullableImage(/:broken$/, {
      message: 'unauthorized: authentication required',
    });
    await applyWith(clients, deploymentOf('web', 'web:broken'));
    const stuck = await eventually('a failed pull', () =>
      podsOf(simulator, 'web').find((pod) => waitingReason(pod)),
    );
    expect(stuck.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain(
      'unauthorized: authentication required',
    );
    heal();
    await eventually('a running pod', () =>
      podsOf(simulator, 'web').find((pod) => pod.status?.phase === 'Running'),
    );
  });
});

describe('a crashing container', () => {
  it('crash-loops with a growing restartCount, its last termination, and its log', async () => {
    const output = 'booting\nconnecting to postgres\npanic: DATABASE_URL is not set\n';
    simulator.behaviour.crashingImage('web:crash', { exitCode: 3, log: output, runMs: 20 });
    await applyWith(clients, deploymentOf('web', 'web:crash'));
    const pod = await eventually('two restarts', () =>
      podsOf(simulator, 'web').find(
        (candidate) =>
          (candidate.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 &&
          waitingReason(candidate) === 'CrashLoopBackOff',
      ),
    );
    // Frozen in the back-off, so what the client reads next is that state and not the next restart.
    simulator.behaviour.pauseControllers();
    const name = pod.metadata!.name!;
    const status = (await clients.core.readNamespacedPod({ name, namespace: 'default' })).status!;
    expect(status.phase).toBe('Running');
    const container = status.containerStatuses![0]!;
    expect(container.ready).toBe(false);
    expect(container.state?.waiting?.message).toMatch(
      new RegExp(
        `^back-off \\d+(m\\d+)?s restarting failed container=app pod=${name}_default\\(${pod.metadata!.uid}\\)$`,
      ),
    );
    expect(container.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(container.lastState?.terminated?.finishedAt).toBeInstanceOf(Date);

    expect(await clients.core.readNamespacedPodLog({ name, namespace: 'default', tailLines: 1 })).toBe(
      'panic: DATABASE_URL is not set\n',
    );
    expect(
      await clients.core.readNamespacedPodLog({
        name,
        namespace: 'default',
        previous: true,
        container: 'app',
      }),
    ).toBe(output);
    const backOff = (await eventsOf(pod)).find((event) => event.reason === 'BackOff');
    expect(backOff).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container app in pod ${name}_default(${pod.metadata!.uid})`,
    });
    expect(backOff!.count).toBeGreaterThanOrEqual(2);
  });

  it('serves the crashed instance as the previous log before the first restart', async () => {
    simulator.behaviour.crashingImage('web:crash', { exitCode: 1, log: 'FATAL: bad config\n', runMs: 20 });
    await applyWith(clients, deploymentOf('once', 'web:crash'));
    const pod = await eventually('the first crash', () =>
      podsOf(simulator, 'once').find(
        (candidate) =>
          candidate.status?.containerStatuses?.[0]?.restartCount === 1 &&
          waitingReason(candidate) === 'CrashLoopBackOff',
      ),
    );
    // Frozen before the restart: no second instance has started.
    simulator.behaviour.pauseControllers();
    const name = pod.metadata!.name!;
    expect(
      await clients.core.readNamespacedPodLog({
        name,
        namespace: 'default',
        container: 'app',
        previous: true,
      }),
    ).toBe('FATAL: bad config\n');
  });

  it('answers log requests the way the kubelet does when there is no such output', async () => {
    const deployment = deploymentOf('two', 'web:1');
    deployment.spec!.template.spec!.containers.push({ name: 'sidecar', image: 'proxy:1' });
    await applyWith(clients, deployment);
    const pod = await eventually('a running pod', () =>
      podsOf(simulator, 'two').find((candidate) => candidate.status?.phase === 'Running'),
    );
    const name = pod.metadata!.name!;
    const ambiguous = await failure(clients.core.readNamespacedPodLog({ name, namespace: 'default' }));
    expect(ambiguous.status.message).toBe(
      `a container name must be specified for pod ${name}, choose one of: [app sidecar]`,
    );
    const previous = await failure(
      clients.core.readNamespacedPodLog({ name, namespace: 'default', container: 'app', previous: true }),
    );
    expect(previous.status.message).toBe(`previous terminated container "app" in pod "${name}" not found`);
    const unknown = await failure(
      clients.core.readNamespacedPodLog({ name, namespace: 'default', container: 'nope' }),
    );
    expect(unknown.status.message).toBe(`container nope is not valid for pod ${name}`);
  });
});

describe('a pod no node can take', () => {
  it('stays Pending with PodScheduled=False, reason Unschedulable and the scheduler’s message, until it fits', async () => {
    const fits = simulator.behaviour.unschedulable({ labels: { app: 'big' } });
    await applyWith(clients, deploymentOf('big', 'web:1'));
    const pod = await eventually('an unschedulable pod', () =>
      podsOf(simulator, 'big').find((candidate) =>
        candidate.status?.conditions?.some((condition) => condition.reason === 'Unschedulable'),
      ),
    );
    const condition = pod.status!.conditions!.find((entry) => entry.type === 'PodScheduled')!;
    expect(condition).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    const event = (await eventsOf(pod)).find((entry) => entry.reason === 'FailedScheduling');
    expect(event).toMatchObject({
      type: 'Warning',
      source: { component: 'default-scheduler' },
      message: condition.message,
    });

    fits();
    await eventually('the pod to be scheduled', () =>
      podsOf(simulator, 'big').find((candidate) => candidate.spec?.nodeName),
    );
  });
});
