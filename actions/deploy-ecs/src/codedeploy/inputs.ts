import { CODEDEPLOY_NAME } from '../../../../shared/src/codedeploy/names.ts';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../../../../shared/src/errors.ts';
import {
  getEnum,
  getKeyValueMap,
  getOptionalString,
  invalidInput,
} from '../../../../shared/src/runner/inputs.ts';
import { hookProblem, parseAppSpec, readPort, type AppSpecDocument, type HookEvent } from './appspec.ts';

/**
 * The CodeDeploy inputs of deploy-ecs (names as aws-actions/amazon-ecs-deploy-task-definition has
 * them, where it has them), read and checked before any AWS call. Whether the service is a
 * CODE_DEPLOY one is only known after DescribeServices: plan.ts refuses these inputs for an ECS one.
 */

export type StrategyAction = 'deploy' | 'promote' | 'abort';
export const ACTIONS = ['deploy', 'promote', 'abort'] as const;
export type WaitUntil = 'ready' | 'complete';

export interface CodeDeployInputs {
  /** Empty: `AppECS-<cluster>-<service>`, as aws-actions names it. */
  application: string | undefined;
  /** Empty: `DgpECS-<cluster>-<service>`. */
  group: string | undefined;
  description: string | undefined;
  deploymentConfig: string | undefined;
  /** The file's AppSpec; undefined: built from container-name, container-port and codedeploy-hooks. */
  appSpec: AppSpecDocument | undefined;
  containerPort: number | undefined;
  hooks: Partial<Record<HookEvent, string>>;
  waitUntil: WaitUntil;
  /** promote/abort: this deployment rather than the group's in-flight one. */
  deploymentId: string | undefined;
  /** The CodeDeploy inputs the user set, named: refused for an ECS-controlled service. */
  given: string[];
}

const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
const CONFIG = /^[\w.+@=,-]{1,100}$/;

export function readAction(): StrategyAction {
  return getEnum('action', ACTIONS, 'deploy');
}

export async function readCodeDeployInputs(
  action: StrategyAction,
  containerName: string | undefined,
): Promise<CodeDeployInputs> {
  const given: string[] = [];
  const optional = (name: string, pattern?: RegExp, accepted?: string): string | undefined => {
    const value = getOptionalString(name);
    if (value === undefined) return undefined;
    if (pattern && !pattern.test(value)) throw invalidInput(name, value, accepted as string);
    given.push(name);
    return value;
  };
  const application = optional(
    'codedeploy-application',
    CODEDEPLOY_NAME,
    'expected a CodeDeploy application name (1 to 100 letters, digits and _ . + @ = , -)',
  );
  const group = optional(
    'codedeploy-deployment-group',
    CODEDEPLOY_NAME,
    'expected a CodeDeploy deployment group name (1 to 100 letters, digits and _ . + @ = , -)',
  );
  const description = optional('codedeploy-deployment-description');
  if (description !== undefined && description.length > 1000) {
    throw invalidInput('codedeploy-deployment-description', description, 'expected at most 1000 characters');
  }
  const deploymentConfig = optional(
    'codedeploy-deployment-config',
    CONFIG,
    'expected a deployment configuration name such as CodeDeployDefault.ECSAllAtOnce or CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  );
  const appSpecFile = optional('codedeploy-appspec');
  const rawPort = optional('container-port');
  const containerPort = rawPort === undefined ? undefined : readPort(rawPort);
  if (rawPort !== undefined && containerPort === undefined) {
    throw invalidInput('container-port', rawPort, 'expected a port number from 1 to 65535');
  }
  const hooks = readHooks();
  if (Object.keys(hooks).length > 0) given.push('codedeploy-hooks');
  const waitUntilRaw = optional('codedeploy-wait-until');
  const waitUntil =
    waitUntilRaw === undefined
      ? 'complete'
      : getEnum('codedeploy-wait-until', ['ready', 'complete'] as const, 'complete');
  const deploymentId = optional(
    'codedeploy-deployment-id',
    DEPLOYMENT_ID,
    'expected a CodeDeploy deployment ID like d-A1B2C3D4E (d- and 9 capital letters or digits)',
  );
  if (deploymentId !== undefined && action === 'deploy') {
    throw new ConfigurationError(
      'Input "codedeploy-deployment-id" names the deployment to promote or abort: it needs "action: promote" or "action: abort" (a deploy creates its own).',
      { input: 'codedeploy-deployment-id' },
    );
  }
  let appSpec: AppSpecDocument | undefined;
  if (appSpecFile !== undefined) {
    const clash =
      rawPort !== undefined
        ? 'container-port'
        : Object.keys(hooks).length > 0
          ? 'codedeploy-hooks'
          : undefined;
    if (clash) {
      throw new ConfigurationError(
        `Inputs "codedeploy-appspec" and "${clash}" exclude each other: the AppSpec file states the container port and the hooks.`,
        { input: clash },
      );
    }
    appSpec = await readAppSpecFile(appSpecFile);
    if (containerName !== undefined && containerName !== appSpec.containerName) {
      throw new ConfigurationError(
        `Input "container-name" is "${containerName}", but the AppSpec ${appSpecFile} routes traffic to container "${appSpec.containerName}" (LoadBalancerInfo.ContainerName).`,
        { input: 'container-name', hint: 'leave container-name empty, or make the two agree' },
      );
    }
  }
  return {
    application,
    group,
    description,
    deploymentConfig,
    appSpec,
    containerPort,
    hooks,
    waitUntil,
    deploymentId,
    given,
  };
}

/** `codedeploy-hooks`: one `Event=LambdaFunction` per line, for the AppSpec Gantry builds. */
function readHooks(): Partial<Record<HookEvent, string>> {
  const entries = getKeyValueMap('codedeploy-hooks', { perLine: true });
  for (const [event, fn] of Object.entries(entries)) {
    const problem = hookProblem(event, fn);
    if (problem) {
      throw invalidInput(
        'codedeploy-hooks',
        `${event}=${fn}`,
        `${problem}: expected one Event=LambdaFunction per line`,
      );
    }
  }
  return entries as Partial<Record<HookEvent, string>>;
}

async function readAppSpecFile(file: string): Promise<AppSpecDocument> {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const resolved = path.resolve(workspace, file);
  let text: string;
  try {
    if (!statSync(resolved).isFile()) throw new Error('not a file');
    text = readFileSync(resolved, 'utf8');
  } catch {
    throw new ConfigurationError(
      `Input "codedeploy-appspec" is "${file}", which is not a readable file (looked for ${resolved}).`,
      {
        input: 'codedeploy-appspec',
        hint: 'check the repository out first (actions/checkout), or fix the path',
      },
    );
  }
  const { parse } = await import('yaml');
  const result = parseAppSpec(text, parse);
  if ('problem' in result) {
    throw new ConfigurationError(
      `Input "codedeploy-appspec": ${file} ${result.problem}. Expected an ECS AppSpec (JSON or YAML): version 0.0, Resources: [TargetService: {Type: AWS::ECS::Service, Properties: {TaskDefinition, LoadBalancerInfo: {ContainerName, ContainerPort}}}], optional Hooks.`,
      { input: 'codedeploy-appspec' },
    );
  }
  return result;
}
