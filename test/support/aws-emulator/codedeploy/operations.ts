import { catchingUp, type SimulatedClock } from '../core/clock.ts';
import { optionalBoolean, optionalString, optionalStringList, requiredString } from '../core/input.ts';
import { AwsServiceError, type AwsService, type JsonObject, type Operation } from '../core/protocol.ts';
import { readRevision } from './appspec.ts';
import { isWaiting, stop } from './lifecycle.ts';
import { ECS_LIFECYCLE_EVENTS, isActive, type CodeDeployDeployment, type CodeDeployGroup } from './model.ts';
import { deploymentGroupInfo, deploymentInfo, ecsTarget, targetId } from './shapes.ts';
import type { CodeDeployState } from './state.ts';

/**
 * AWS CodeDeploy's API (2014-10-06) for ECS blue/green deployments, as deploy-ecs uses it, with
 * CodeDeploy's error types. One active deployment per group (DeploymentLimitExceededException), as
 * CodeDeploy enforces it.
 */

const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

export function codeDeployService(
  state: CodeDeployState,
  clock: SimulatedClock,
  accountId: string,
): AwsService {
  return {
    name: 'codedeploy',
    targetPrefix: 'CodeDeploy_20141006.',
    serverErrorType: 'InternalFailure',
    operations: catchingUp(clock, operations(state, accountId)),
  };
}

function operations(state: CodeDeployState, accountId: string): Record<string, Operation> {
  const application = (input: JsonObject) => {
    const name = optionalString(input, 'applicationName');
    if (!name) throw new AwsServiceError('ApplicationNameRequiredException', 'Application name is required.');
    const found = state.applications.get(name);
    if (!found)
      throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
    return found;
  };
  const group = (input: JsonObject): CodeDeployGroup => {
    const app = application(input);
    const name = optionalString(input, 'deploymentGroupName');
    if (!name)
      throw new AwsServiceError('DeploymentGroupNameRequiredException', 'Deployment Group name is required.');
    const found = state.group(app.name, name);
    if (!found)
      throw new AwsServiceError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name}`,
      );
    return found;
  };
  const deployment = (input: JsonObject): CodeDeployDeployment => {
    const id = optionalString(input, 'deploymentId');
    if (!id) throw new AwsServiceError('DeploymentIdRequiredException', 'Deployment ID is required.');
    if (!DEPLOYMENT_ID.test(id))
      throw new AwsServiceError('InvalidDeploymentIdException', `Specified deploymentId is invalid: ${id}`);
    const found = state.deployments.get(id);
    if (!found)
      throw new AwsServiceError(
        'DeploymentDoesNotExistException',
        `The deployment ${id} could not be found.`,
      );
    return found;
  };
  const target = (found: CodeDeployDeployment, id: string): JsonObject => {
    if (id !== targetId(found)) {
      throw new AwsServiceError(
        'DeploymentTargetDoesNotExistException',
        `The target ${id} could not be found.`,
      );
    }
    return ecsTarget(found, found.service.region, accountId);
  };

  return {
    GetApplication: (input) => {
      const found = application(input);
      return {
        application: {
          applicationId: found.id,
          applicationName: found.name,
          createTime: found.createdAt / 1000,
          linkedToGitHub: false,
          computePlatform: 'ECS',
        },
      };
    },

    GetApplicationRevision: (input) => state.revisions.get(application(input).name, input),

    GetDeploymentGroup: (input) => ({ deploymentGroupInfo: deploymentGroupInfo(group(input)) }),

    CreateDeployment: (input) => {
      const target = group(input);
      const active = [...state.deployments.values()].find((d) => d.group === target && isActive(d));
      if (active) {
        throw new AwsServiceError(
          'DeploymentLimitExceededException',
          `The Deployment Group '${target.name}' already has an active Deployment '${active.id}'`,
        );
      }
      const service = state.ecs.clusters.get(target.cluster)?.services.get(target.service);
      if (!service || service.status !== 'ACTIVE' || service.deploymentController !== 'CODE_DEPLOY') {
        throw new AwsServiceError(
          'InvalidECSServiceException',
          `The ECS service ${target.cluster}:${target.service} does not exist or does not use the CODE_DEPLOY deployment controller.`,
        );
      }
      const { revision, appSpec } = readRevision(input);
      const now = state.now();
      const created: CodeDeployDeployment = {
        id: state.newId(),
        group: target,
        status: 'Created',
        creator: 'user',
        description: optionalString(input, 'description'),
        deploymentConfigName: optionalString(input, 'deploymentConfigName') ?? target.deploymentConfigName,
        revision,
        appSpec,
        service,
        blue: service.deployments[0]!.taskDefinition,
        green: state.ecs.findTaskDefinition(appSpec.taskDefinition),
        events: ECS_LIFECYCLE_EVENTS.map((name) => ({ name, status: 'Pending' })),
        production: 0,
        test: 0,
        instanceTerminationWaitTimeStarted: false,
        nextStepAt: now + state.tickMs,
        createdAt: now,
      };
      state.deployments.set(created.id, created);
      state.revisions.use(created, now);
      return { deploymentId: created.id };
    },

    GetDeployment: (input) => ({ deploymentInfo: deploymentInfo(deployment(input)) }),

    BatchGetDeployments: (input) => {
      const ids = optionalStringList(input, 'deploymentIds') ?? [];
      if (ids.length > 25) {
        throw new AwsServiceError(
          'BatchLimitExceededException',
          'The maximum number of names or IDs allowed for this request (25) was exceeded.',
        );
      }
      // Unknown IDs are left out of the answer, as CodeDeploy does.
      return {
        deploymentsInfo: ids.flatMap((id) => {
          const found = state.deployments.get(id);
          return found ? [deploymentInfo(found)] : [];
        }),
      };
    },

    ListDeployments: (input) => {
      const statuses = optionalStringList(input, 'includeOnlyStatuses');
      let scope: CodeDeployGroup | undefined;
      if (optionalString(input, 'deploymentGroupName') !== undefined) scope = group(input);
      else if (optionalString(input, 'applicationName') !== undefined) application(input);
      const appName = optionalString(input, 'applicationName');
      const listed = [...state.deployments.values()]
        .filter((d) =>
          scope ? d.group === scope : appName === undefined || d.group.application.name === appName,
        )
        .filter((d) => statuses === undefined || statuses.includes(d.status))
        .reverse();
      return { deployments: listed.map((d) => d.id) };
    },

    ListDeploymentTargets: (input) => {
      const found = deployment(input);
      return { targetIds: [targetId(found)] };
    },

    BatchGetDeploymentTargets: (input) => {
      const found = deployment(input);
      const ids = optionalStringList(input, 'targetIds') ?? [];
      return { deploymentTargets: ids.map((id) => target(found, id)) };
    },

    GetDeploymentTarget: (input) => {
      const found = deployment(input);
      return { deploymentTarget: target(found, requiredString(input, 'targetId')) };
    },

    ContinueDeployment: (input) => {
      const found = deployment(input);
      const type = optionalString(input, 'deploymentWaitType') ?? 'READY_WAIT';
      if (!isActive(found)) {
        throw new AwsServiceError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${found.id} has already completed.`,
        );
      }
      if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT') {
        throw new AwsServiceError('InvalidDeploymentWaitTypeException', `The wait type ${type} is invalid.`);
      }
      if (!isWaiting(found, type)) {
        throw new AwsServiceError(
          'DeploymentIsNotInReadyStateException',
          `The deployment ${found.id} is not waiting for ${type === 'READY_WAIT' ? 'traffic rerouting' : 'the termination of the original task set'}.`,
        );
      }
      found.waiting = undefined;
      found.waitUntil = undefined;
      found.status = 'InProgress';
      found.nextStepAt = state.now();
      return {};
    },

    StopDeployment: (input) => {
      const found = deployment(input);
      if (!isActive(found)) {
        throw new AwsServiceError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${found.id} has already completed.`,
        );
      }
      const rollback = optionalBoolean(input, 'autoRollbackEnabled') ?? found.group.autoRollback;
      stop(
        found,
        state.now(),
        { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user.' },
        state.lifecycle,
        rollback,
      );
      return { status: 'Pending', statusMessage: 'Stopping Pending. Stopping to be complete' };
    },
  };
}
