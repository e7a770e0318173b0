import {
  invalidParameter,
  optionalObject,
  optionalObjectList,
  optionalString,
  optionalStringList,
} from '../core/input.ts';
import { lastSegment, type EcsCluster, type EcsTaskDefinition } from './model.ts';
import type { EcsState } from './state.ts';
import { AwsServiceError, type JsonObject } from '../core/protocol.ts';

/** What several ECS operations read from a request, checked as ECS checks it. */

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL'];

export function clientException(message: string): AwsServiceError {
  return new AwsServiceError('ClientException', message);
}

/** The request's `cluster` (name or ARN; ECS's default is the cluster named `default`). */
export function clusterOf(state: EcsState, input: JsonObject): EcsCluster {
  const cluster = state.clusters.get(lastSegment(optionalString(input, 'cluster') ?? 'default'));
  if (!cluster) throw new AwsServiceError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

/** A task definition to run or deploy: it must exist and be ACTIVE. */
export function taskDefinitionToUse(state: EcsState, reference: string): EcsTaskDefinition {
  const definition = state.findTaskDefinition(reference);
  if (!definition) throw clientException('TaskDefinition not found.');
  if (definition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  return definition;
}

/** `launchType`: without capacity providers, ECS's default is EC2. */
export function launchTypeOf(input: JsonObject): string {
  const launchType = optionalString(input, 'launchType') ?? 'EC2';
  if (!LAUNCH_TYPES.includes(launchType)) {
    throw invalidParameter(`launchType must be one of [${LAUNCH_TYPES.join(', ')}], not ${launchType}.`);
  }
  return launchType;
}

/** Whether a definition can run with this launch type and network configuration. */
export function checkPlacement(
  definition: EcsTaskDefinition,
  launchType: string,
  networkConfiguration: JsonObject | undefined,
): void {
  if (!definition.compatibilities.includes(launchType)) {
    throw invalidParameter(`Task definition does not support launch_type ${launchType}.`);
  }
  const vpc = networkConfiguration && optionalObject(networkConfiguration, 'awsvpcConfiguration');
  if (definition.networkMode !== 'awsvpc') {
    if (networkConfiguration) {
      throw invalidParameter(
        'Network Configuration is not valid for the given networkMode of this task definition.',
      );
    }
    return;
  }
  if (!vpc)
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if ((optionalStringList(vpc, 'subnets') ?? []).length === 0)
    throw invalidParameter('subnets can not be empty.');
}

/** `include: ["TAGS"]`, the only inclusion the emulator answers. */
export function includesTags(input: JsonObject): boolean {
  return (optionalStringList(input, 'include') ?? []).includes('TAGS');
}

export function tagsOf(input: JsonObject): JsonObject[] {
  return optionalObjectList(input, 'tags') ?? [];
}
