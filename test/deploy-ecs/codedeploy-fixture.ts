import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { appSpecRevision } from '../../shared/src/codedeploy/revision.ts';
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

/** An AppSpec as deploy-ecs writes one for container app:8080, with optional extras (hooks, platform). */
export function appSpecDocument(
  extra: { properties?: object; hooks?: object[] } = {},
): Record<string, unknown> {
  return {
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: '',
            LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
            ...extra.properties,
          },
        },
      },
    ],
    ...(extra.hooks && { Hooks: extra.hooks }),
  };
}

/**
 * A CodeDeploy deployment of `image` (registered now) made with the real CodeDeployClient, as
 * deploy-ecs or the console would have made it, for tests whose subject is what comes after; it
 * returns once the deployment is in one of `until` (the emulator's own state).
 */
export async function startDeployment(
  f: EcsFixture,
  image: string,
  until: string[],
  appSpec: Record<string, unknown> = appSpecDocument(),
): Promise<{ arn: string; id: string }> {
  const arn = await f.register(image);
  const client = new CodeDeployClient(f.aws.clientConfig());
  try {
    const { deploymentId } = await client.send(
      new CreateDeploymentCommand({
        applicationName: APPLICATION,
        deploymentGroupName: GROUP,
        revision: appSpecRevision(appSpec, arn),
      }),
    );
    await statusReaches(f, deploymentId as string, until);
    return { arn, id: deploymentId as string };
  } finally {
    client.destroy();
  }
}

/** Waits on the emulator's state (a lifecycle step per 20 ms tick): seconds are a generous deadline. */
export async function statusReaches(f: EcsFixture, id: string, statuses: string[]): Promise<void> {
  const until = Date.now() + 10_000;
  while (!statuses.includes(f.aws.codedeploy.deployment(id)?.status ?? '')) {
    if (Date.now() > until)
      throw new Error(`deployment ${id} stayed ${f.aws.codedeploy.deployment(id)?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
