import type { EcsContainer, EcsTask } from '../model.ts';
import type { LogsState } from '../../logs/state.ts';

/**
 * The awslogs log driver as ECS runs it: when a container starts it creates the stream
 * `<awslogs-stream-prefix>/<container name>/<task id>` (Docker's container id without a prefix) in
 * `awslogs-group`, creating the group only with `awslogs-create-group: true`; a missing group stops
 * the task from starting, with the agent's error. What the container prints becomes events there.
 */

const MISSING_GROUP =
  'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: ' +
  'failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. ' +
  ': exit status 1';

export class AwsLogsDriver {
  private readonly logs: LogsState;

  constructor(logs: LogsState) {
    this.logs = logs;
  }

  /** Opens every awslogs container's stream; the reason the task cannot start, when one cannot be opened. */
  start(task: EcsTask): string | undefined {
    for (const container of task.containers) {
      const options = container.spec.awslogs;
      if (!options) continue;
      const groupName = options['awslogs-group'];
      if (!groupName) {
        return "ResourceInitializationError: failed to validate logger args: must specify a value for log opt 'awslogs-group' : exit status 1";
      }
      let group = this.logs.groups.get(groupName);
      if (!group && options['awslogs-create-group'] === 'true') {
        group = this.logs.createGroup(groupName, options['awslogs-region'] ?? task.region, {});
      }
      if (!group) return MISSING_GROUP;
      const prefix = options['awslogs-stream-prefix'];
      const streamName = prefix ? `${prefix}/${container.spec.name}/${task.id}` : container.runtimeId;
      if (!group.streams.has(streamName)) this.logs.createStream(group, streamName);
      task.logStreams.set(container.spec.name, { group: groupName, stream: streamName });
    }
    return undefined;
  }

  /** Writes what a container printed; output of a container without awslogs goes nowhere, as on ECS. */
  write(task: EcsTask, container: EcsContainer, lines: { timestamp: number; message: string }[]): void {
    const target = task.logStreams.get(container.spec.name);
    const stream = target && this.logs.groups.get(target.group)?.streams.get(target.stream);
    if (stream && lines.length > 0) this.logs.append(stream, lines);
  }
}
