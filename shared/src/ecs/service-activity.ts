import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import * as log from '../runner/log.ts';
import { ecsCall, type Ecs } from './client.ts';

/**
 * What a service does while a deployment runs, streamed into the step log as it appears: new
 * service events (DescribeServices, which the tracker calls each poll anyway) and, only when a
 * deployment's failed-task count rises, each stopped task's stoppedReason and container exit codes
 * (ListTasks and DescribeTasks, not every poll).
 */

export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn: string | undefined;
  stoppedReason: string;
  /** `app exited 1 (Essential container in task exited)`. */
  containers: string[];
}

export class ServiceActivity {
  readonly events: string[] = [];
  readonly stoppedTasks: StoppedTask[] = [];
  private readonly seenEvents = new Set<string>();
  private readonly seenTasks = new Set<string>();
  private readonly failedTasks = new Map<string, number>();
  private readonly since: number;

  constructor(since: Date) {
    this.since = since.getTime();
  }

  /** The service as DescribeServices returned it: prints new events, and stopped tasks when there are new failures. */
  async observe(ecs: Ecs, cluster: string, service: Service, signal?: AbortSignal): Promise<void> {
    this.printEvents(service.events ?? []);
    if (this.failuresRose(service.deployments ?? [])) {
      await this.readStoppedTasks(ecs, cluster, service.serviceName as string, signal);
    }
  }

  private printEvents(events: ServiceEvent[]): void {
    // DescribeServices lists the newest first; print in the order they happened.
    const fresh = events.filter(
      (event) =>
        event.id && !this.seenEvents.has(event.id) && (event.createdAt?.getTime() ?? 0) >= this.since - 1000,
    );
    for (const event of events) if (event.id) this.seenEvents.add(event.id);
    for (const event of fresh.reverse()) {
      const line = `${event.createdAt?.toISOString() ?? ''} ${event.message ?? ''}`.trim();
      this.events.push(line);
      log.info(`event: ${line}`);
    }
  }

  private failuresRose(deployments: Deployment[]): boolean {
    let rose = false;
    for (const deployment of deployments) {
      const id = deployment.id ?? '';
      const failed = deployment.failedTasks ?? 0;
      // A deployment seen for the first time counts from 0: the stopped tasks are filtered by time.
      if (failed > (this.failedTasks.get(id) ?? 0)) rose = true;
      this.failedTasks.set(id, failed);
    }
    return rose;
  }

  /**
   * Reads the tasks stopped since the deployment began: on failures seen rising, and once more when
   * the deployment failed, since a failed deployment ECS rolled back between two polls leaves no
   * failure count behind.
   */
  async readStoppedTasks(ecs: Ecs, cluster: string, service: string, signal?: AbortSignal): Promise<void> {
    const listed = await ecsCall('ListTasks', () =>
      ecs.client.send(
        new ecs.sdk.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }),
        { abortSignal: signal },
      ),
    );
    const arns = (listed.taskArns ?? []).filter((arn) => !this.seenTasks.has(arn)).slice(0, 100);
    if (arns.length === 0) return;
    const described = await ecsCall('DescribeTasks', () =>
      ecs.client.send(new ecs.sdk.DescribeTasksCommand({ cluster, tasks: arns }), { abortSignal: signal }),
    );
    for (const task of described.tasks ?? []) {
      if (!task.taskArn || (task.createdAt?.getTime() ?? 0) < this.since - 1000) {
        if (task.taskArn) this.seenTasks.add(task.taskArn);
        continue;
      }
      this.seenTasks.add(task.taskArn);
      const stopped: StoppedTask = {
        taskArn: task.taskArn,
        taskDefinitionArn: task.taskDefinitionArn,
        stoppedReason: task.stoppedReason ?? task.stopCode ?? 'no reason given',
        containers: (task.containers ?? []).map(
          (container) =>
            `${container.name} ${container.exitCode === undefined || container.exitCode === null ? 'did not exit' : `exited ${container.exitCode}`}${container.reason && container.reason !== task.stoppedReason ? ` (${container.reason})` : ''}`,
        ),
      };
      this.stoppedTasks.push(stopped);
      log.info(
        `stopped task ${task.taskArn.split('/').at(-1)}: ${stopped.stoppedReason}${stopped.containers.length > 0 ? `; ${stopped.containers.join('; ')}` : ''}`,
      );
    }
  }
}
