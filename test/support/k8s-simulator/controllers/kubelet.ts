import { objectAt, objectsAt, stringAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { ContainerRun, type ContainerPlan } from './container-runtime.ts';
import { PODS, type ControllerContext } from './context.ts';
import { normalizeImage } from './images.ts';
import { containersOf, nameOf, namespaceOf, podIsActive, uidOf, writeStatus } from './objects.ts';

/**
 * The kubelets of the simulated nodes: for every pod bound to a node they run its init
 * containers in order, then its containers, and keep `status` (phase, conditions,
 * containerStatuses, IPs) and the container logs up to date, recording the events a kubelet
 * records (Pulling, Pulled, Created, Started, Failed, BackOff).
 */

const MANAGER = 'kubelet';

export const NODE_ADDRESSES: Record<string, string> = {
  'sim-node-1': '172.18.0.2',
  'sim-node-2': '172.18.0.3',
};

interface PodRun {
  containers: ContainerRun[];
  podIp: string;
  startTime: number;
}

function controllerOf(pod: JsonObject): JsonObject | undefined {
  return objectsAt(pod, 'metadata', 'ownerReferences').find((owner) => owner.controller === true);
}

export class Kubelet {
  private readonly context: ControllerContext;
  private readonly runs = new Map<string, PodRun>();
  private addresses = 0;

  constructor(context: ControllerContext) {
    this.context = context;
  }

  /** The pods a kubelet runs: bound to a node and not finished. Forgets the containers of deleted pods. */
  podsToRun(): JsonObject[] {
    const pods = this.context.objects.list(PODS);
    const present = new Set(pods.map(uidOf));
    for (const uid of this.runs.keys()) if (!present.has(uid)) this.runs.delete(uid);
    return pods.filter((pod) => stringAt(pod, 'spec', 'nodeName') && podIsActive(pod));
  }

  private plan(pod: JsonObject, run: ContainerRun): ContainerPlan {
    const { behaviour } = this.context;
    const owner = controllerOf(pod);
    const isJob = owner?.kind === 'Job';
    const jobFailure = isJob ? behaviour.jobFailure(namespaceOf(pod), String(owner.name)) : undefined;
    const image = run.spec.image;
    const crash = behaviour.crash(image);
    const restartPolicy = stringAt(pod, 'spec', 'restartPolicy') ?? 'Always';
    let exit: ContainerPlan['exit'];
    if (crash) exit = { code: crash.exitCode, runMs: crash.runMs };
    else if (run.spec.init) exit = { code: 0, runMs: behaviour.readyDelayMs };
    else if (isJob) exit = { code: jobFailure?.exitCode ?? 0, runMs: behaviour.jobDurationMs };
    return {
      pullFailure: behaviour.pullFailure(image, normalizeImage(image)),
      exit,
      restarts: restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && !isJob),
      output: crash ? crash.log : (jobFailure?.log ?? behaviour.logFor(image)),
      readyDelayMs: behaviour.readyDelayMs,
      backOffMs: behaviour.backOffMs,
    };
  }

  private newRun(pod: JsonObject, node: string, now: number): PodRun {
    const label = `${nameOf(pod)}_${namespaceOf(pod)}(${uidOf(pod)})`;
    const containers = [
      ...containersOf(pod, 'initContainers').map((container) => ({ container, init: true })),
      ...containersOf(pod).map((container) => ({ container, init: false })),
    ].map(
      ({ container, init }) =>
        new ContainerRun({ name: String(container.name), image: String(container.image ?? ''), init }, label),
    );
    this.addresses += 1;
    const nodeIndex = node.endsWith('2') ? 2 : 1;
    return { containers, podIp: `10.244.${nodeIndex}.${(this.addresses % 250) + 2}`, startTime: now };
  }

  syncPod(pod: JsonObject, now: number): void {
    const node = stringAt(pod, 'spec', 'nodeName') ?? '';
    const uid = uidOf(pod);
    let run = this.runs.get(uid);
    if (!run) {
      run = this.newRun(pod, node, now);
      this.runs.set(uid, run);
    }
    const plans = new Map(run.containers.map((container) => [container, this.plan(pod, container)]));
    const initContainers = run.containers.filter((container) => container.spec.init);
    const mainContainers = run.containers.filter((container) => !container.spec.init);
    const record =
      (container: ContainerRun) => (event: { type: 'Normal' | 'Warning'; reason: string; message: string }) =>
        this.context.events.record(
          pod,
          event.type,
          event.reason,
          event.message,
          { component: 'kubelet', host: node },
          `spec.${container.spec.init ? 'initContainers' : 'containers'}{${container.spec.name}}`,
        );
    const advance = (container: ContainerRun): void => {
      const events = container.advance(plans.get(container)!, now, (output) =>
        this.context.logs.start(uid, container.spec.name, output),
      );
      events.forEach(record(container));
    };

    let initDone = true;
    for (const container of initContainers) {
      if (container.exitCode === 0) continue;
      advance(container);
      if (container.exitCode !== 0) {
        initDone = false;
        break;
      }
    }
    if (initDone) mainContainers.forEach(advance);
    for (const container of run.containers) {
      const next = container.nextChangeAt(plans.get(container)!);
      if (next !== undefined && next > now) this.context.wake(next);
    }

    const latest = this.context.objects.get(PODS, namespaceOf(pod), nameOf(pod));
    if (!latest) return;
    writeStatus(this.context, PODS, latest, this.status(latest, run, plans, initDone, node, now), MANAGER);
  }

  private status(
    pod: JsonObject,
    run: PodRun,
    plans: Map<ContainerRun, ContainerPlan>,
    initDone: boolean,
    node: string,
    now: number,
  ): JsonObject {
    const main = run.containers.filter((container) => !container.spec.init);
    const init = run.containers.filter((container) => container.spec.init);
    let phase = 'Pending';
    if (main.length > 0 && main.every((container) => container.exitCode !== undefined)) {
      phase = main.every((container) => container.exitCode === 0) ? 'Succeeded' : 'Failed';
    } else if (initDone && main.every((container) => container.hasStarted)) {
      phase = 'Running';
    }
    const unready = main
      .filter((container) => !container.isReady(plans.get(container)!, now))
      .map((container) => container.spec.name);
    const incomplete = init
      .filter((container) => container.exitCode !== 0)
      .map((container) => container.spec.name);
    const finished = phase === 'Succeeded' || phase === 'Failed';
    const readiness = finished
      ? { status: 'False', reason: 'PodCompleted' }
      : unready.length > 0
        ? {
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${unready.join(' ')}]`,
          }
        : { status: 'True' };
    const old = objectsAt(pod, 'status', 'conditions');
    const condition = (
      type: string,
      value: { status: string; reason?: string; message?: string },
    ): JsonObject => {
      const previous = old.find((entry) => entry.type === type);
      const since = previous?.status === value.status ? previous.lastTransitionTime : undefined;
      const { status, ...explanation } = value;
      return {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: since ?? timestamp(now),
        ...explanation,
      };
    };
    const scheduled = old.find((entry) => entry.type === 'PodScheduled');
    const conditions = [
      condition('PodReadyToStartContainers', { status: 'True' }),
      condition(
        'Initialized',
        initDone
          ? { status: 'True' }
          : {
              status: 'False',
              reason: 'ContainersNotInitialized',
              message: `containers with incomplete status: [${incomplete.join(' ')}]`,
            },
      ),
      condition('Ready', readiness),
      condition('ContainersReady', readiness),
      scheduled ?? condition('PodScheduled', { status: 'True' }),
    ];
    const hostIp = NODE_ADDRESSES[node] ?? '172.18.0.2';
    const status: JsonObject = {
      conditions,
      containerStatuses: main.map((container) => container.status(plans.get(container)!, now)),
      hostIP: hostIp,
      hostIPs: [{ ip: hostIp }],
    };
    if (init.length > 0)
      status.initContainerStatuses = init.map((container) => container.status(plans.get(container)!, now));
    Object.assign(status, {
      phase,
      podIP: run.podIp,
      podIPs: [{ ip: run.podIp }],
      qosClass: objectAt(pod, 'status')?.qosClass ?? 'BestEffort',
      startTime: timestamp(run.startTime),
    });
    return status;
  }
}
