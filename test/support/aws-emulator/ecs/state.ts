import { AwsLogsDriver } from './tasks/awslogs.ts';
import type { SimulatedClock } from '../core/clock.ts';
import { TaskBehaviours, type TaskBehaviour, type TaskMatcher } from './tasks/behaviour.ts';
import {
  ecsArn,
  lastSegment,
  type EcsCluster,
  type EcsDeployment,
  type EcsService,
  type EcsTask,
  type EcsTaskDefinition,
  type ServiceDeployment,
} from './model.ts';
import { ServiceDeploymentWatch } from './services/deployment-watch.ts';
import { stepService, type SchedulerContext } from './services/scheduler.ts';
import { fingerprint, nextTimer } from './idle-time.ts';
import { createTask, stepTask, type TaskLaunch } from './tasks/lifecycle.ts';
import type { LogsState } from '../logs/state.ts';

/**
 * Everything the ECS emulator holds, how simulated time moves it, and how tests steer and read it.
 * Time moves in ticks of `tickMs`: each tick every task takes one lifecycle step, then every
 * service's scheduler runs once. Ticks are computed when someone looks (a request, a state read,
 * `clock.advance`), never by a timer; when nothing is in motion, time skips ahead for free.
 */

export interface EcsOptions {
  /** The length of one lifecycle step of a task and one scheduler pass; default 20 ms. */
  tickMs?: number;
  /**
   * false: answer as an ECS without service deployments (ListServiceDeployments empty,
   * DescribeServiceDeployments MISSING), so a client must fall back on the service's `deployments`.
   */
  serviceDeployments?: boolean;
}

/** A task must stay RUNNING this many ticks to count as healthy, and a rollout as steady. */
const STEADY_TICKS = 3;

export class EcsState {
  readonly accountId: string;
  readonly tickMs: number;
  readonly recordsServiceDeployments: boolean;
  /** By name. */
  readonly clusters = new Map<string, EcsCluster>();
  /** Family → its revisions, revision n at index n - 1. */
  readonly taskDefinitions = new Map<string, EcsTaskDefinition[]>();
  /** By task id, in launch order. */
  readonly tasks = new Map<string, EcsTask>();
  private readonly clock: SimulatedClock;
  private readonly behaviours = new TaskBehaviours();
  private readonly awslogs: AwsLogsDriver;
  private readonly watch = new ServiceDeploymentWatch();
  private lastTick: number;
  private readonly steadyMs: number;

  constructor(clock: SimulatedClock, logs: LogsState, accountId: string, options: EcsOptions = {}) {
    const tickMs = options.tickMs ?? 20;
    if (!Number.isFinite(tickMs) || tickMs <= 0) throw new Error(`ecs.tickMs must be above 0, not ${tickMs}`);
    this.clock = clock;
    this.accountId = accountId;
    this.tickMs = tickMs;
    this.recordsServiceDeployments = options.serviceDeployments ?? true;
    this.steadyMs = STEADY_TICKS * tickMs;
    this.awslogs = new AwsLogsDriver(logs);
    this.lastTick = clock.now();
    clock.follow(() => this.settle());
  }

  /**
   * How matching tasks behave from now on (tasks already launched keep their plan). The newest
   * matching rule wins; the returned function removes the rule.
   */
  taskBehaviour(match: TaskMatcher, behaviour: TaskBehaviour): () => void {
    return this.behaviours.add(match, behaviour);
  }

  /**
   * Calls `listener` whenever a service deployment's status, lifecycle stage or traffic weight
   * changes (seen at the scheduler pass after it); returns the function that stops it.
   */
  watchServiceDeployments(listener: (deployment: ServiceDeployment) => void): () => void {
    return this.watch.watch(listener);
  }

  /** The first service deployment that satisfies `predicate`, now or when a scheduler pass gets there. */
  serviceDeploymentReaches(
    predicate: (deployment: ServiceDeployment) => boolean,
  ): Promise<ServiceDeployment> {
    this.clock.catchUp();
    return this.watch.when(this.clusters.values(), predicate);
  }

  /** Seeds a cluster, as CreateCluster would; throws when it exists. */
  addCluster(name: string, region = 'eu-west-1'): EcsCluster {
    if (this.clusters.has(name)) throw new Error(`the emulator already has cluster ${name}`);
    return this.createCluster(name, region, [], []);
  }

  /** A task by id or ARN, brought up to the current time. */
  task(reference: string): EcsTask | undefined {
    this.clock.catchUp();
    return this.tasks.get(lastSegment(reference));
  }

  /** A service by cluster and service name, brought up to the current time. */
  service(clusterName: string, serviceName: string): EcsService | undefined {
    this.clock.catchUp();
    return this.clusters.get(clusterName)?.services.get(serviceName);
  }

  createCluster(
    name: string,
    region: string,
    tags: EcsCluster['tags'],
    settings: EcsCluster['settings'],
  ): EcsCluster {
    const cluster: EcsCluster = {
      name,
      arn: ecsArn(region, this.accountId, `cluster/${name}`),
      tags,
      settings,
      services: new Map(),
    };
    this.clusters.set(name, cluster);
    return cluster;
  }

  /** Family, family:revision, or ARN; a bare family names its latest ACTIVE revision. */
  findTaskDefinition(reference: string): EcsTaskDefinition | undefined {
    const name = reference.startsWith('arn:') ? /:task-definition\/(.+)$/.exec(reference)?.[1] : reference;
    if (name === undefined) return undefined;
    const [family, revision] = name.split(':') as [string, string | undefined];
    const revisions = this.taskDefinitions.get(family) ?? [];
    if (revision === undefined) return revisions.findLast((definition) => definition.status === 'ACTIVE');
    return /^\d+$/.test(revision) ? revisions[Number(revision) - 1] : undefined;
  }

  launchTask(launch: Omit<TaskLaunch, 'accountId'>): EcsTask {
    const task = createTask({ ...launch, accountId: this.accountId }, this.behaviours, {
      now: this.clock.now(),
      tickMs: this.tickMs,
    });
    this.tasks.set(task.id, task);
    return task;
  }

  now(): number {
    return this.clock.now();
  }

  /** Runs every tick due by now; the clock calls it before any request or read. */
  settle(): void {
    const now = this.clock.now();
    while (this.lastTick + this.tickMs <= now) {
      const before = fingerprint(this.tasks.values(), this.clusters.values());
      this.lastTick += this.tickMs;
      this.step(this.lastTick);
      if (fingerprint(this.tasks.values(), this.clusters.values()) !== before) continue;
      // Nothing changed, so nothing will until the next timer: skip the idle ticks before it.
      const next = nextTimer(this.tasks.values(), this.clusters.values(), this.lastTick, this.steadyMs);
      this.lastTick = Math.max(this.lastTick, Math.min(now, next - this.tickMs));
    }
  }

  private step(at: number): void {
    for (const task of this.tasks.values()) stepTask(task, at, this.awslogs);
    const context: SchedulerContext = {
      tasksOf: (service) => this.tasksOf(service),
      launch: (service, deployment, launchedAt) => this.launchServiceTask(service, deployment, launchedAt),
      steadyMs: this.steadyMs,
    };
    for (const cluster of this.clusters.values()) {
      for (const service of cluster.services.values()) stepService(service, at, context);
    }
    this.watch.notice(this.clusters.values());
  }

  private tasksOf(service: EcsService): EcsTask[] {
    return [...this.tasks.values()].filter((task) => task.service === service);
  }

  private launchServiceTask(service: EcsService, deployment: EcsDeployment, at: number): EcsTask {
    const task = this.launchTask({
      cluster: service.cluster,
      taskDefinition: deployment.taskDefinition,
      region: service.region,
      launchType: deployment.launchType,
      group: `service:${service.name}`,
      startedBy: deployment.id,
      overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
      ...(deployment.networkConfiguration && { networkConfiguration: deployment.networkConfiguration }),
      tags: [],
      service,
      deployment,
    });
    // Launched within a tick: it exists from that tick's time, not from whenever the tick was computed.
    task.createdAt = at;
    return task;
  }
}
