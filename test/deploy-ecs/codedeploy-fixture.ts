import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GroupSettings } from '../support/aws-emulator/index.ts';
import { CLUSTER, type EcsFixture } from './fixture.ts';

/**
 * A CODE_DEPLOY service for deploy-ecs's CodeDeploy tests: service `web` of the fixture created with
 * `deploymentController: CODE_DEPLOY`, and its CodeDeploy application and blue/green deployment
 * group under aws-actions' default names, `AppECS-prod-web` / `DgpECS-prod-web`.
 */

export const APPLICATION = 'AppECS-prod-web';
export const GROUP = 'DgpECS-prod-web';

export async function codeDeployService(
  f: EcsFixture,
  group: Partial<GroupSettings> = {},
  names: { application?: string; group?: string } = {},
): Promise<void> {
  await f.createService({}, { deploymentController: { type: 'CODE_DEPLOY' } });
  f.aws.codedeploy.addDeploymentGroup(names.application ?? APPLICATION, names.group ?? GROUP, {
    cluster: CLUSTER,
    service: 'web',
    ...group,
  });
}

/** An AppSpec file in the workspace, as users keep `appspec.yaml` beside the task definition. */
export function writeAppSpec(f: EcsFixture, text: string, file = 'appspec.yaml'): void {
  writeFileSync(path.join(f.workspace, file), text);
}

export const APPSPEC_WITH_HOOK = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "<TASK_DEFINITION>"
        LoadBalancerInfo:
          ContainerName: "app"
          ContainerPort: "8080"
Hooks:
  - AfterAllowTestTraffic: "CheckGreen"
`;

/** The service's task definition as ECS reports it. */
export async function serviceRevision(f: EcsFixture): Promise<string | undefined> {
  return (await f.service()).taskDefinition?.split('/').at(-1);
}
