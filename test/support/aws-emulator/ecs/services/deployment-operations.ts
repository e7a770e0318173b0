import {
  invalidParameter,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredString,
  validationError,
} from '../../core/input.ts';
import { paginate } from '../../core/paging.ts';
import { AwsServiceError, type JsonObject, type Operation } from '../../core/protocol.ts';
import {
  lastSegment,
  type EcsDeployment,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '../model.ts';
import { clusterOf } from '../requests.ts';
import type { EcsState } from '../state.ts';
import {
  describeServiceDeployment,
  describeServiceDeploymentBrief,
  describeServiceRevision,
} from './deployment-shapes.ts';
import { isInFlight, setStatus } from './service-deployment.ts';

/**
 * Service deployments: ListServiceDeployments (the newest first, filtered by status and creation
 * time), DescribeServiceDeployments and DescribeServiceRevisions (up to 20 ARNs, unknown ones as
 * MISSING failures), and StopServiceDeployment, which asks for a rollback (or, with ABORT, a stop)
 * that the scheduler carries out at its next pass.
 */

const STOP_TYPES = ['ROLLBACK', 'ABORT'];

export function serviceDeploymentOperations(state: EcsState): Record<string, Operation> {
  // An ECS without service deployments (`serviceDeployments: false`) knows none of them.
  const everyDeployment = (): ServiceDeployment[] =>
    state.recordsServiceDeployments
      ? [...state.clusters.values()].flatMap((cluster) =>
          [...cluster.services.values()].flatMap((service) => service.serviceDeployments),
        )
      : [];
  const arnsOf = (input: JsonObject, field: string): string[] => {
    const arns = optionalStringList(input, field) ?? [];
    if (arns.length === 0 || arns.length > 20) {
      throw validationError(field, undefined, 'Member must have length between 1 and 20');
    }
    return arns;
  };

  return {
    ListServiceDeployments: (input) => {
      const cluster = clusterOf(state, input);
      const service = cluster.services.get(lastSegment(requiredString(input, 'service')));
      if (!service) throw new AwsServiceError('ServiceNotFoundException', 'Service not found.');
      const statuses = optionalStringList(input, 'status');
      const created = optionalObject(input, 'createdAt');
      const after = created && epochMs(created, 'after');
      const before = created && epochMs(created, 'before');
      const listed = (state.recordsServiceDeployments ? service.serviceDeployments : []).filter(
        (deployment) =>
          (statuses === undefined || statuses.includes(deployment.status)) &&
          (after === undefined || deployment.createdAt >= after) &&
          (before === undefined || deployment.createdAt <= before),
      );
      const page = paginate(listed, input, { size: 'maxResults', max: 100, default: 20 });
      return {
        serviceDeployments: page.items.map(describeServiceDeploymentBrief),
        ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
      };
    },

    DescribeServiceDeployments: (input) => {
      const arns = arnsOf(input, 'serviceDeploymentArns');
      const known = everyDeployment();
      const found = arns.map((arn) => known.find((deployment) => deployment.arn === arn));
      return {
        serviceDeployments: found
          .filter((deployment) => deployment !== undefined)
          .map(describeServiceDeployment),
        failures: arns
          .filter((_, index) => found[index] === undefined)
          .map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },

    DescribeServiceRevisions: (input) => {
      const arns = arnsOf(input, 'serviceRevisionArns');
      const revisions = new Map<string, { deployment: ServiceDeployment; revision: EcsDeployment }>();
      for (const deployment of everyDeployment().reverse()) {
        for (const revision of [deployment.target, ...deployment.sources]) {
          if (!revisions.has(revision.revisionArn))
            revisions.set(revision.revisionArn, { deployment, revision });
        }
      }
      const found = arns.map((arn) => revisions.get(arn));
      return {
        serviceRevisions: found
          .filter((entry) => entry !== undefined)
          .map(({ deployment, revision }) => describeServiceRevision(deployment, revision)),
        failures: arns
          .filter((_, index) => found[index] === undefined)
          .map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },

    StopServiceDeployment: (input) => {
      const arn = requiredString(input, 'serviceDeploymentArn');
      const stopType = optionalString(input, 'stopType') ?? 'ROLLBACK';
      if (!STOP_TYPES.includes(stopType)) {
        throw invalidParameter(`stopType must be one of [${STOP_TYPES.join(', ')}], not ${stopType}.`);
      }
      const deployment = everyDeployment().find((candidate) => candidate.arn === arn);
      if (!deployment) {
        throw new AwsServiceError(
          'ServiceDeploymentNotFoundException',
          'The service deployment does not exist.',
        );
      }
      if (!isInFlight(deployment)) {
        throw new AwsServiceError(
          'ConflictException',
          `The service deployment is ${deployment.status} and can no longer be stopped.`,
        );
      }
      // A deployment already stopping or rolling back carries on as it is.
      if (deployment.status === 'PENDING' || deployment.status === 'IN_PROGRESS') {
        const requested: ServiceDeploymentStatus =
          stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
        setStatus(deployment, requested, state.now());
      }
      return { serviceDeploymentArn: deployment.arn };
    },
  };
}

/** A `createdAt` bound: epoch seconds on the wire. */
function epochMs(range: JsonObject, field: 'after' | 'before'): number | undefined {
  const value = range[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw invalidParameter(`createdAt.${field} must be a timestamp.`);
  return value * 1000;
}
