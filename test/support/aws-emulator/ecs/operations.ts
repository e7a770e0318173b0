import { catchingUp, type SimulatedClock } from '../core/clock.ts';
import { optionalString, optionalStringList, validationError } from '../core/input.ts';
import { ecsArn, lastSegment } from './model.ts';
import { includesTags, tagsOf } from './requests.ts';
import { serviceDeploymentOperations } from './services/deployment-operations.ts';
import { serviceOperations } from './services/operations.ts';
import { describeCluster } from './shapes.ts';
import type { EcsState } from './state.ts';
import { taskDefinitionOperations } from './task-definitions.ts';
import { taskOperations } from './tasks/operations.ts';
import type { AwsService, JsonObject, Operation } from '../core/protocol.ts';

/**
 * Amazon ECS's API (2014-11-13) as the migrate and deploy-ecs actions use it: clusters, task
 * definitions, services with rolling deployments, and standalone tasks, answering with ECS's field
 * names, error types and messages, `failures` rather than errors for missing items in the batch
 * calls, and epoch-second timestamps. Every call first brings the simulation up to the current time.
 */

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function ecsService(state: EcsState, clock: SimulatedClock): AwsService {
  return {
    name: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113.',
    serverErrorType: 'ServerException',
    operations: catchingUp(clock, {
      ...clusterOperations(state),
      ...taskDefinitionOperations(state),
      ...serviceOperations(state),
      ...serviceDeploymentOperations(state),
      ...taskOperations(state),
    }),
  };
}

function clusterOperations(state: EcsState): Record<string, Operation> {
  return {
    CreateCluster: (input, context) => {
      const name = optionalString(input, 'clusterName') ?? 'default';
      if (!CLUSTER_NAME.test(name)) {
        throw validationError(
          'clusterName',
          name,
          'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+',
        );
      }
      // Creating a cluster that exists returns it, as ECS does.
      const cluster =
        state.clusters.get(name) ??
        state.createCluster(
          name,
          context.region,
          tagsOf(input),
          (input.settings as JsonObject[] | undefined) ?? [{ name: 'containerInsights', value: 'disabled' }],
        );
      return { cluster: describeCluster(cluster, [...state.tasks.values()], true) };
    },

    DescribeClusters: (input, context) => {
      const references = optionalStringList(input, 'clusters') ?? ['default'];
      const tasks = [...state.tasks.values()];
      const found = references.map((reference) => state.clusters.get(lastSegment(reference)));
      return {
        clusters: found
          .filter((cluster) => cluster !== undefined)
          .map((cluster) => describeCluster(cluster, tasks, includesTags(input))),
        failures: references
          .filter((_, index) => found[index] === undefined)
          .map((reference) => ({
            arn: reference.startsWith('arn:')
              ? reference
              : ecsArn(context.region, state.accountId, `cluster/${reference}`),
            reason: 'MISSING',
          })),
      };
    },
  };
}
