import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { ServiceSettings } from '../inputs.ts';

/**
 * The UpdateService request, with only what the user set: an empty input is never sent as false,
 * [] or 0, so settings another tool manages (Terraform's desired count, autoscaling) stay as they are.
 */

export function updateRequest(
  cluster: string,
  service: string,
  taskDefinition: string,
  settings: ServiceSettings,
): UpdateServiceCommandInput {
  return {
    cluster,
    service,
    taskDefinition,
    ...(settings.desiredCount !== undefined && { desiredCount: settings.desiredCount }),
    ...(settings.forceNewDeployment !== undefined && { forceNewDeployment: settings.forceNewDeployment }),
    ...(settings.enableExecuteCommand !== undefined && {
      enableExecuteCommand: settings.enableExecuteCommand,
    }),
    ...(settings.propagateTags !== undefined && { propagateTags: settings.propagateTags }),
    ...(settings.enableECSManagedTags !== undefined && {
      enableECSManagedTags: settings.enableECSManagedTags,
    }),
  };
}

/** The settings that would change the service, as `name: old -> new`; empty when nothing would. */
export function settingChanges(service: Service, settings: ServiceSettings): string[] {
  const changes: string[] = [];
  const compare = (name: string, current: unknown, wanted: unknown): void => {
    if (wanted !== undefined && wanted !== current)
      changes.push(`${name}: ${String(current)} -> ${String(wanted)}`);
  };
  compare('desired-count', service.desiredCount, settings.desiredCount);
  compare('enable-execute-command', service.enableExecuteCommand ?? false, settings.enableExecuteCommand);
  compare('propagate-tags', service.propagateTags ?? 'NONE', settings.propagateTags);
  compare('enable-ecs-managed-tags', service.enableECSManagedTags ?? false, settings.enableECSManagedTags);
  return changes;
}

/** ECS starts no deployment for an update that changes nothing: say so rather than wait for one. */
export function nothingToDeploy(
  service: Service,
  currentTaskDefinition: string | undefined,
  taskDefinition: string,
  settings: ServiceSettings,
): boolean {
  return (
    currentTaskDefinition === taskDefinition &&
    settings.forceNewDeployment !== true &&
    settingChanges(service, settings).length === 0 &&
    (service.deployments ?? []).length === 1
  );
}
