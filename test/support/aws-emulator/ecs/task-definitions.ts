import {
  optionalInteger,
  optionalObject,
  optionalObjectList,
  optionalString,
  requiredString,
  validationError,
} from '../core/input.ts';
import { ecsArn, type ContainerSpec, type EcsTaskDefinition } from './model.ts';
import { clientException, includesTags, tagsOf } from './requests.ts';
import { describeTaskDefinition } from './shapes.ts';
import type { EcsState } from './state.ts';
import { paginate } from '../core/paging.ts';
import type { JsonObject, Operation } from '../core/protocol.ts';

/**
 * Task definitions: families of numbered revisions, ACTIVE until deregistered (an INACTIVE
 * revision can still be described, not run). Registration checks what ECS refuses outright: no
 * containers, a container without name or image, Fargate without awsvpc or task-level cpu/memory,
 * EC2 without any memory setting.
 */

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export function taskDefinitionOperations(state: EcsState): Record<string, Operation> {
  const describeOrFail = (reference: string): EcsTaskDefinition => {
    const definition = state.findTaskDefinition(reference);
    if (!definition) throw clientException('Unable to describe task definition.');
    return definition;
  };

  return {
    RegisterTaskDefinition: (input, context) => {
      const family = requiredString(input, 'family');
      if (!FAMILY.test(family)) {
        throw validationError(
          'family',
          family,
          'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+',
        );
      }
      const networkMode = optionalString(input, 'networkMode') ?? 'bridge';
      const requires = (input.requiresCompatibilities ?? []) as string[];
      const cpu = optionalString(input, 'cpu');
      const memory = optionalString(input, 'memory');
      if (requires.includes('FARGATE')) {
        if (networkMode !== 'awsvpc') throw clientException('Fargate only supports network mode ‘awsvpc’.');
        if (cpu === undefined)
          throw clientException("Fargate requires that 'cpu' be defined at the task level.");
        if (memory === undefined)
          throw clientException("Fargate requires that 'memory' be defined at the task level.");
      }
      const containers = containersOf(input, memory !== undefined);
      const revisions = state.taskDefinitions.get(family) ?? [];
      const revision = revisions.length + 1;
      const { tags: _tags, ...registered } = input;
      const definition: EcsTaskDefinition = {
        family,
        revision,
        arn: ecsArn(context.region, state.accountId, `task-definition/${family}:${revision}`),
        status: 'ACTIVE',
        registeredAt: state.now(),
        registeredBy: `arn:aws:iam::${state.accountId}:root`,
        body: {
          ...registered,
          containerDefinitions: (input.containerDefinitions as JsonObject[]).map((container) =>
            withContainerDefaults(container, networkMode),
          ),
          volumes: input.volumes ?? [],
          placementConstraints: input.placementConstraints ?? [],
        },
        containers,
        networkMode,
        compatibilities: ['EC2', ...(networkMode === 'awsvpc' && cpu && memory ? ['FARGATE'] : [])],
        tags: tagsOf(input),
      };
      state.taskDefinitions.set(family, [...revisions, definition]);
      return { taskDefinition: describeTaskDefinition(definition), tags: definition.tags };
    },

    DescribeTaskDefinition: (input) => {
      const definition = describeOrFail(requiredString(input, 'taskDefinition'));
      return {
        taskDefinition: describeTaskDefinition(definition),
        ...(includesTags(input) && { tags: definition.tags }),
      };
    },

    DeregisterTaskDefinition: (input) => {
      const reference = requiredString(input, 'taskDefinition');
      if (!reference.includes(':')) throw clientException('Revision is missing.');
      const definition = describeOrFail(reference);
      if (definition.status === 'ACTIVE') {
        definition.status = 'INACTIVE';
        definition.deregisteredAt = state.now();
      }
      return { taskDefinition: describeTaskDefinition(definition) };
    },

    ListTaskDefinitions: (input) => {
      const prefix = optionalString(input, 'familyPrefix');
      const status = optionalString(input, 'status') ?? 'ACTIVE';
      const descending = optionalString(input, 'sort') === 'DESC';
      const arns = [...state.taskDefinitions.keys()]
        .filter((family) => prefix === undefined || family.startsWith(prefix))
        .sort()
        .flatMap((family) => state.taskDefinitions.get(family)!)
        .filter((definition) => definition.status === status)
        .map((definition) => definition.arn);
      if (descending) arns.reverse();
      const page = paginate(arns, input, { size: 'maxResults', max: 100 });
      return {
        taskDefinitionArns: page.items,
        ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
      };
    },
  };
}

function containersOf(input: JsonObject, taskMemory: boolean): ContainerSpec[] {
  const definitions = optionalObjectList(input, 'containerDefinitions') ?? [];
  if (definitions.length === 0) throw clientException('Container list cannot be empty.');
  return definitions.map((container) => {
    const name = optionalString(container, 'name');
    const image = optionalString(container, 'image');
    if (!name) throw clientException('Container.name should not be null or empty.');
    if (!image) throw clientException('Container.image should not be null or empty.');
    const memory = optionalInteger(container, 'memory', { min: 4 });
    if (!taskMemory && memory === undefined && container.memoryReservation === undefined) {
      throw clientException(
        `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    const logging = optionalObject(container, 'logConfiguration');
    const command = container.command;
    return {
      name,
      image,
      essential: container.essential !== false,
      healthCheck: optionalObject(container, 'healthCheck') !== undefined,
      cpu: optionalInteger(container, 'cpu', { min: 0 }) ?? 0,
      ...(memory !== undefined && { memory }),
      ...(Array.isArray(command) && { command: command as string[] }),
      ...(logging?.logDriver === 'awslogs' && {
        awslogs: (optionalObject(logging, 'options') ?? {}) as Record<string, string>,
      }),
    };
  });
}

/** A container definition as DescribeTaskDefinition returns it, with the defaults ECS fills in. */
function withContainerDefaults(container: JsonObject, networkMode: string): JsonObject {
  const ports = ((container.portMappings ?? []) as JsonObject[]).map((mapping) => ({
    ...mapping,
    // In awsvpc mode the host port is the container port; elsewhere 0 means "any".
    hostPort: mapping.hostPort ?? (networkMode === 'awsvpc' ? mapping.containerPort : 0),
    protocol: mapping.protocol ?? 'tcp',
  }));
  return {
    cpu: 0,
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    ...container,
    portMappings: ports,
  };
}
