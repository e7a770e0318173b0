import type { Service } from '@aws-sdk/client-ecs';
import { ActionError, ConfigurationError } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { DeployEcsInputs } from '../inputs.ts';
import { buildAppSpec, type AppSpecDocument } from './appspec.ts';
import { createCodeDeploy, type CodeDeploy } from '../../../../shared/src/codedeploy/client.ts';
import type { CodeDeployPlan } from './deploy.ts';
import { activeDeployments, resolveTarget } from '../../../../shared/src/codedeploy/target.ts';

/**
 * The CodeDeploy part of a deploy's plan, with reads only: for an ECS-controlled service, the
 * CodeDeploy inputs are refused; for a CODE_DEPLOY one, the AppSpec is settled (file, or container
 * name and port), the application and group are checked, `ready` is refused for a group that would
 * shift production traffic without waiting, and a deployment already in flight is refused.
 */

export interface PlannedCodeDeploy {
  client: CodeDeploy;
  plan: CodeDeployPlan;
}

const SERVICE_SETTINGS: [keyof DeployEcsInputs['settings'], string][] = [
  ['desiredCount', 'desired-count'],
  ['forceNewDeployment', 'force-new-deployment'],
  ['enableExecuteCommand', 'enable-execute-command'],
  ['propagateTags', 'propagate-tags'],
  ['enableECSManagedTags', 'enable-ecs-managed-tags'],
];

export async function planCodeDeploy(
  inputs: DeployEcsInputs,
  service: Service | undefined,
  containers: string[],
  signal: AbortSignal,
): Promise<PlannedCodeDeploy | undefined> {
  const controller = service?.deploymentController?.type ?? 'ECS';
  if (!service || controller !== 'CODE_DEPLOY') {
    const stray = inputs.codedeploy.given[0];
    if (stray !== undefined) {
      throw new ConfigurationError(
        `Input "${stray}" is for a service whose deployment controller is CODE_DEPLOY; ${service ? `service ${inputs.service} uses ${controller}` : 'no service was given'}. Nothing was registered or changed.`,
        { input: stray, hint: 'remove the codedeploy-* and container-port inputs for this service' },
      );
    }
    return undefined;
  }
  const setting = SERVICE_SETTINGS.find(([key]) => inputs.settings[key] !== undefined);
  if (setting) {
    throw new ConfigurationError(
      `Input "${setting[1]}" is an UpdateService setting, and service ${inputs.service} is deployed by CodeDeploy: Gantry sends it no UpdateService. Nothing was registered or changed.`,
      {
        input: setting[1],
        hint: "change the service's settings where it is defined (Terraform, CloudFormation)",
      },
    );
  }
  const appSpec = inputs.codedeploy.appSpec ?? appSpecFromInputs(inputs, containers);
  if (!containers.includes(appSpec.containerName)) {
    throw new ConfigurationError(
      `The AppSpec routes traffic to container "${appSpec.containerName}", which the task definition does not have (it has ${containers.join(', ')}).`,
      { input: inputs.codedeploy.appSpec ? 'codedeploy-appspec' : 'container-name' },
    );
  }
  const client = await createCodeDeploy(inputs.region);
  try {
    const target = await resolveTarget(
      client,
      {
        application: inputs.codedeploy.application,
        group: inputs.codedeploy.group,
        cluster: inputs.cluster,
        service: inputs.service as string,
      },
      signal,
    );
    const ready = target.info.blueGreenDeploymentConfiguration?.deploymentReadyOption;
    const waits = ready?.actionOnTimeout === 'STOP_DEPLOYMENT';
    if (inputs.codedeploy.waitUntil === 'ready' && !waits) {
      throw new ConfigurationError(
        `Input "codedeploy-wait-until" is "ready", but deployment group ${target.application}/${target.group} reroutes production traffic without waiting (deploymentReadyOption.actionOnTimeout is ${ready?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT'}): the deployment would never stop at Ready. Nothing was registered or changed.`,
        {
          input: 'codedeploy-wait-until',
          hint: "set the group's deploymentReadyOption to actionOnTimeout STOP_DEPLOYMENT with a waitTimeInMinutes, or use codedeploy-wait-until: complete",
        },
      );
    }
    if (inputs.codedeploy.waitUntil === 'complete' && waits && inputs.wait) {
      log.notice(
        `Deployment group ${target.application}/${target.group} waits at Ready for up to ${ready?.waitTimeInMinutes ?? 0} minutes until traffic is rerouted: this step waits for that too (a promote step, or Continue in the console), then for the end.`,
      );
    }
    const [inFlight] = await activeDeployments(client, target, signal);
    if (inFlight) {
      throw new ActionError(
        `CodeDeploy deployment ${inFlight.deploymentId} of ${target.application}/${target.group} is still ${inFlight.status}: CodeDeploy runs one deployment per group at a time. Nothing was registered or changed.`,
        { hint: 'promote it (action: promote) or abort it (action: abort) first' },
      );
    }
    return { client, plan: { target, appSpec } };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

function appSpecFromInputs(inputs: DeployEcsInputs, containers: string[]): AppSpecDocument {
  const port = inputs.codedeploy.containerPort;
  if (port === undefined) {
    throw new ConfigurationError(
      `Service ${inputs.service} is deployed by CodeDeploy, which needs the container and port its load balancer routes to: give "container-port" (and "container-name" with several containers), or an AppSpec file in "codedeploy-appspec".`,
      { input: 'container-port' },
    );
  }
  const containerName = inputs.render.containerName ?? (containers.length === 1 ? containers[0] : undefined);
  if (containerName === undefined) {
    throw new ConfigurationError(
      `The task definition has ${containers.length} containers (${containers.join(', ')}): "container-name" must say which one the load balancer routes to.`,
      { input: 'container-name' },
    );
  }
  return buildAppSpec({ containerName, containerPort: port, hooks: inputs.codedeploy.hooks });
}
