import {
  invalidParameter,
  optionalInteger,
  optionalObject,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requiredString,
} from '../../core/input.ts';
import { ecsArn, lastSegment, type EcsTaskDefinition } from '../model.ts';
import {
  checkPlacement,
  clusterOf,
  includesTags,
  launchTypeOf,
  tagsOf,
  taskDefinitionToUse,
} from '../requests.ts';
import { describeTask } from './shapes.ts';
import type { EcsState } from '../state.ts';
import { requestStop } from './lifecycle.ts';
import { paginate } from '../../core/paging.ts';
import { AwsServiceError, type JsonObject, type Operation } from '../../core/protocol.ts';

/**
 * Standalone tasks: RunTask (with container overrides of command and environment), DescribeTasks,
 * StopTask, ListTasks. What a task then does is its plan, from the emulator's `taskBehaviour` rules.
 */

export function taskOperations(state: EcsState): Record<string, Operation> {
  return {
    RunTask: (input, context) => {
      const cluster = clusterOf(state, input);
      const definition = taskDefinitionToUse(state, requiredString(input, 'taskDefinition'));
      const count = optionalInteger(input, 'count', { min: 1, max: 10 }) ?? 1;
      const launchType = launchTypeOf(input);
      const networkConfiguration = optionalObject(input, 'networkConfiguration');
      checkPlacement(definition, launchType, networkConfiguration);
      const overrides = overridesOf(definition, optionalObject(input, 'overrides') ?? {});
      const startedBy = optionalString(input, 'startedBy');
      const tasks = Array.from({ length: count }, () =>
        state.launchTask({
          cluster,
          taskDefinition: definition,
          region: context.region,
          launchType,
          group: optionalString(input, 'group') ?? `family:${definition.family}`,
          ...(startedBy !== undefined && { startedBy }),
          overrides,
          ...(networkConfiguration && { networkConfiguration }),
          tags: tagsOf(input),
        }),
      );
      // A task the behaviour rules say cannot be placed never existed: RunTask reports a failure instead.
      const unplaced = tasks.filter((task) => task.plan.placementFailure !== undefined);
      for (const task of unplaced) state.tasks.delete(task.id);
      return {
        tasks: tasks.filter((task) => !unplaced.includes(task)).map((task) => describeTask(task, true)),
        failures: unplaced.map((task) => ({ arn: cluster.arn, reason: task.plan.placementFailure })),
      };
    },

    DescribeTasks: (input, context) => {
      const cluster = clusterOf(state, input);
      const references = optionalStringList(input, 'tasks') ?? [];
      if (references.length === 0) throw invalidParameter('Tasks cannot be empty.');
      if (references.length > 100) throw invalidParameter('Tasks cannot have more than 100 elements.');
      const found = references.map((reference) => {
        const task = state.tasks.get(lastSegment(reference));
        return task?.cluster === cluster ? task : undefined;
      });
      return {
        tasks: found
          .filter((task) => task !== undefined)
          .map((task) => describeTask(task, includesTags(input))),
        failures: references
          .filter((_, index) => found[index] === undefined)
          .map((reference) => ({
            arn: reference.startsWith('arn:')
              ? reference
              : ecsArn(context.region, state.accountId, `task/${cluster.name}/${reference}`),
            reason: 'MISSING',
          })),
      };
    },

    StopTask: (input) => {
      const cluster = clusterOf(state, input);
      const task = state.tasks.get(lastSegment(requiredString(input, 'task')));
      if (!task || task.cluster !== cluster) throw invalidParameter('The referenced task was not found.');
      requestStop(
        task,
        'UserInitiated',
        optionalString(input, 'reason') ?? 'Task stopped by user',
        state.now(),
      );
      return { task: describeTask(task, false) };
    },

    ListTasks: (input) => {
      const cluster = clusterOf(state, input);
      const serviceName = optionalString(input, 'serviceName');
      const service = serviceName === undefined ? undefined : cluster.services.get(lastSegment(serviceName));
      if (serviceName !== undefined && !service) {
        throw new AwsServiceError('ServiceNotFoundException', 'Service not found.');
      }
      const family = optionalString(input, 'family');
      const startedBy = optionalString(input, 'startedBy');
      const launchType = optionalString(input, 'launchType');
      const desiredStatus = optionalString(input, 'desiredStatus') ?? 'RUNNING';
      const arns = [...state.tasks.values()]
        .filter(
          (task) =>
            task.cluster === cluster &&
            task.desiredStatus === desiredStatus &&
            (service === undefined || task.service === service) &&
            (family === undefined || task.taskDefinition.family === family) &&
            (startedBy === undefined || task.startedBy === startedBy) &&
            (launchType === undefined || task.launchType === launchType),
        )
        .map((task) => task.arn);
      const page = paginate(arns, input, { size: 'maxResults', max: 100 });
      return { taskArns: page.items, ...(page.nextToken !== undefined && { nextToken: page.nextToken }) };
    },
  };
}

/**
 * The overrides as the task reports them: one entry per container of the definition, carrying the
 * request's override of it, if any. Overriding a container the definition lacks is refused.
 */
function overridesOf(definition: EcsTaskDefinition, overrides: JsonObject): JsonObject {
  const given = optionalObjectList(overrides, 'containerOverrides') ?? [];
  const names = definition.containers.map((container) => container.name);
  for (const override of given) {
    const name = requiredString(override, 'name');
    if (!names.includes(name)) {
      throw invalidParameter(
        `Override for container named ${name} is not a container in the TaskDefinition.`,
      );
    }
  }
  return {
    ...overrides,
    containerOverrides: names.map((name) => ({ name, ...given.find((override) => override.name === name) })),
    inferenceAcceleratorOverrides: overrides.inferenceAcceleratorOverrides ?? [],
  };
}
