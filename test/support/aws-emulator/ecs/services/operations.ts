import {
  invalidParameter,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredString,
  validationError,
} from '../../core/input.ts';
import { ecsArn, lastSegment, type EcsService } from '../model.ts';
import {
  checkPlacement,
  clusterOf,
  includesTags,
  launchTypeOf,
  tagsOf,
  taskDefinitionToUse,
} from '../requests.ts';
import { deploymentSettings } from './deployment-settings.ts';
import { newDeployment } from './deployments.ts';
import { recordServiceDeployment } from './service-deployment.ts';
import { describeService } from './shapes.ts';
import type { EcsState } from '../state.ts';
import { AwsServiceError, type JsonObject, type Operation } from '../../core/protocol.ts';

/**
 * Services: CreateService starts the first deployment; UpdateService starts a new PRIMARY one when
 * the task definition, network configuration or platform version changes or `forceNewDeployment` is
 * set (a new desired count alone only rescales); the scheduler (scheduler.ts) does the rest.
 */

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Fields kept and echoed without the emulator acting on them. */
const ECHOED = [
  'loadBalancers',
  'serviceRegistries',
  'healthCheckGracePeriodSeconds',
  'propagateTags',
  'enableECSManagedTags',
  'enableExecuteCommand',
];

export function serviceOperations(state: EcsState): Record<string, Operation> {
  const activeService = (input: JsonObject): EcsService => {
    const cluster = clusterOf(state, input);
    const service = cluster.services.get(lastSegment(requiredString(input, 'service')));
    if (!service) throw new AwsServiceError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE')
      throw new AwsServiceError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  };

  return {
    CreateService: (input, context) => {
      const cluster = clusterOf(state, input);
      const name = requiredString(input, 'serviceName');
      if (!SERVICE_NAME.test(name)) {
        throw validationError(
          'serviceName',
          name,
          'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+',
        );
      }
      if (
        cluster.services.get(name)?.status === 'ACTIVE' ||
        cluster.services.get(name)?.status === 'DRAINING'
      ) {
        throw invalidParameter('Creation of service was not idempotent.');
      }
      const definition = taskDefinitionToUse(state, requiredString(input, 'taskDefinition'));
      const desiredCount = optionalInteger(input, 'desiredCount', { min: 0 });
      if (desiredCount === undefined)
        throw validationError('desiredCount', undefined, 'Member must not be null');
      const launchType = launchTypeOf(input);
      const networkConfiguration = optionalObject(input, 'networkConfiguration');
      checkPlacement(definition, launchType, networkConfiguration);
      const platformVersion =
        optionalString(input, 'platformVersion') ?? (launchType === 'FARGATE' ? 'LATEST' : undefined);
      const now = state.now();
      const service: EcsService = {
        name,
        arn: ecsArn(context.region, state.accountId, `service/${cluster.name}/${name}`),
        cluster,
        region: context.region,
        status: 'ACTIVE',
        desiredCount,
        launchType,
        platformVersion,
        networkConfiguration,
        deployment: deploymentSettings(optionalObject(input, 'deploymentConfiguration')),
        deployments: [],
        serviceDeployments: [],
        deploymentController: controllerOf(input),
        events: [],
        createdAt: now,
        tags: tagsOf(input),
        echoed: echoedFields(input),
      };
      const first = newDeployment(service, definition, now);
      service.deployments.push(first);
      recordServiceDeployment(service, first, now);
      cluster.services.set(name, service);
      return { service: describeService(service, false) };
    },

    UpdateService: (input) => {
      const service = activeService(input);
      const primary = service.deployments[0]!;
      const reference = optionalString(input, 'taskDefinition');
      const definition =
        reference === undefined ? primary.taskDefinition : taskDefinitionToUse(state, reference);
      if (definition !== primary.taskDefinition && service.deploymentController !== 'ECS') {
        throw invalidParameter(CONTROLLER_REFUSALS[service.deploymentController]);
      }
      const networkConfiguration =
        optionalObject(input, 'networkConfiguration') ?? service.networkConfiguration;
      checkPlacement(definition, service.launchType, networkConfiguration);
      const platformVersion = optionalString(input, 'platformVersion') ?? service.platformVersion;
      const configuration = optionalObject(input, 'deploymentConfiguration');
      if (configuration) service.deployment = deploymentSettings(configuration, service.deployment);
      const redeploy =
        definition !== primary.taskDefinition ||
        optionalBoolean(input, 'forceNewDeployment') === true ||
        JSON.stringify(networkConfiguration) !== JSON.stringify(service.networkConfiguration) ||
        platformVersion !== service.platformVersion;
      Object.assign(service, {
        desiredCount: optionalInteger(input, 'desiredCount', { min: 0 }) ?? service.desiredCount,
        networkConfiguration,
        platformVersion,
      });
      Object.assign(service.echoed, echoedFields(input));
      if (redeploy) {
        primary.status = 'ACTIVE';
        const deployment = newDeployment(service, definition, state.now());
        service.deployments.unshift(deployment);
        recordServiceDeployment(service, deployment, state.now());
      } else {
        primary.desiredCount = service.desiredCount;
      }
      return { service: describeService(service, false) };
    },

    DescribeServices: (input, context) => {
      const cluster = clusterOf(state, input);
      const references = optionalStringList(input, 'services') ?? [];
      if (references.length === 0 || references.length > 10) {
        throw validationError('services', undefined, 'Member must have length between 1 and 10');
      }
      const found = references.map((reference) => cluster.services.get(lastSegment(reference)));
      return {
        services: found
          .filter((service) => service !== undefined)
          .map((service) => describeService(service, includesTags(input))),
        failures: references
          .filter((_, index) => found[index] === undefined)
          .map((reference) => ({
            arn: reference.startsWith('arn:')
              ? reference
              : ecsArn(context.region, state.accountId, `service/${cluster.name}/${reference}`),
            reason: 'MISSING',
          })),
      };
    },

    DeleteService: (input) => {
      const service = activeService(input);
      if (service.desiredCount > 0 && optionalBoolean(input, 'force') !== true) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      }
      service.status = 'DRAINING';
      service.desiredCount = 0;
      service.deployments[0]!.desiredCount = 0;
      return { service: describeService(service, false) };
    },
  };
}

function echoedFields(input: JsonObject): JsonObject {
  return Object.fromEntries(
    ECHOED.filter((field) => input[field] !== undefined).map((field) => [field, input[field]]),
  );
}

const CONTROLLERS = ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const;

/** ECS's refusals of a new task definition through UpdateService for the other controllers. */
const CONTROLLER_REFUSALS: Record<'CODE_DEPLOY' | 'EXTERNAL', string> = {
  CODE_DEPLOY:
    'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
  EXTERNAL:
    'Unable to update task definition on services with an EXTERNAL deployment controller. Use task sets to deploy a new revision.',
};

function controllerOf(input: JsonObject): EcsService['deploymentController'] {
  const controller = optionalObject(input, 'deploymentController');
  const type = (controller && optionalString(controller, 'type')) ?? 'ECS';
  if (!(CONTROLLERS as readonly string[]).includes(type)) {
    throw invalidParameter(
      `deploymentController.type must be one of [${CONTROLLERS.join(', ')}], not ${type}.`,
    );
  }
  return type as EcsService['deploymentController'];
}
