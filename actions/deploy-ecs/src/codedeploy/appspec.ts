import { ecsServiceAppSpec } from '../../../../shared/src/codedeploy/ecs-service-appspec.ts';

/**
 * The ECS AppSpec CodeDeploy deploys (CodeDeploy User Guide, "AppSpec File structure for Amazon ECS
 * deployments"): `version: 0.0`, one `Resources` entry `TargetService` of `Type: AWS::ECS::Service`
 * whose `Properties` name the `TaskDefinition` and the `LoadBalancerInfo` (`ContainerName`,
 * `ContainerPort`), optionally `PlatformVersion`, `NetworkConfiguration` and
 * `CapacityProviderStrategy`, and optional `Hooks`: lifecycle events mapped to Lambda functions.
 * Read from a file (JSON or YAML) or built from inputs; Gantry always fills the TaskDefinition in.
 * Pure: no core, no throw; `problem` says what is wrong for inputs.ts to report. The YAML parser is
 * passed in, so the bundle loads it only when an AppSpec file is read.
 */

export const HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface AppSpecDocument {
  /** The parsed document, every field kept; `Resources[0].TargetService.Properties` checked. */
  document: Record<string, unknown>;
  containerName: string;
  containerPort: number;
  hooks: Partial<Record<HookEvent, string>>;
}

export type AppSpecResult = AppSpecDocument | { problem: string };

const LAMBDA_NAME = /^[a-zA-Z0-9_:.-]{1,140}$/;

export function parseAppSpec(text: string, parseYaml: (text: string) => unknown): AppSpecResult {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    return { problem: `is not valid JSON or YAML: ${firstLine(error)}` };
  }
  if (!isRecord(parsed)) return { problem: 'is not a mapping with "version" and "Resources"' };
  const resources = parsed.Resources;
  if (!Array.isArray(resources) || resources.length !== 1) {
    return { problem: 'needs "Resources" with exactly one entry, TargetService' };
  }
  const target = isRecord(resources[0]) ? resources[0].TargetService : undefined;
  if (!isRecord(target) || target.Type !== 'AWS::ECS::Service') {
    return { problem: 'needs Resources[0].TargetService with "Type: AWS::ECS::Service"' };
  }
  const properties = target.Properties;
  const balancer = isRecord(properties) ? properties.LoadBalancerInfo : undefined;
  if (!isRecord(properties) || !isRecord(balancer)) {
    return { problem: 'needs TargetService.Properties with LoadBalancerInfo (ContainerName, ContainerPort)' };
  }
  const port = readPort(balancer.ContainerPort);
  if (typeof balancer.ContainerName !== 'string' || balancer.ContainerName === '' || port === undefined) {
    return {
      problem:
        'needs LoadBalancerInfo.ContainerName (a container name) and LoadBalancerInfo.ContainerPort (1 to 65535)',
    };
  }
  const hooks = readHooks(parsed.Hooks);
  if ('problem' in hooks) return hooks;
  return { document: parsed, containerName: balancer.ContainerName, containerPort: port, hooks };
}

/** `Hooks: [{BeforeInstall: fn}, ...]`, as the AppSpec lists them. */
function readHooks(value: unknown): Partial<Record<HookEvent, string>> | { problem: string } {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) return { problem: `has "Hooks" that is not a list of {Event: LambdaFunction}` };
  const hooks: Partial<Record<HookEvent, string>> = {};
  for (const entry of value) {
    if (!isRecord(entry)) return { problem: `has a hook that is not {Event: LambdaFunction}` };
    for (const [event, fn] of Object.entries(entry)) {
      const problem = hookProblem(event, fn);
      if (problem) return { problem: `has ${problem}` };
      hooks[event as HookEvent] = fn as string;
    }
  }
  return hooks;
}

/** What is wrong with one `event: function` hook, or undefined. */
export function hookProblem(event: string, fn: unknown): string | undefined {
  if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
    return `the hook "${event}", which is not one of ${HOOK_EVENTS.join(', ')}`;
  }
  if (typeof fn !== 'string' || !LAMBDA_NAME.test(fn)) {
    return `the hook ${event} whose Lambda function ${JSON.stringify(fn)} is not a function name or ARN`;
  }
  return undefined;
}

/** A port number 1..65535 from a number or a numeric string (AppSpec examples quote it). */
export function readPort(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The AppSpec Gantry writes when no file is given. */
export function buildAppSpec(request: {
  containerName: string;
  containerPort: number;
  hooks: Partial<Record<HookEvent, string>>;
}): AppSpecDocument {
  const hooks = HOOK_EVENTS.filter((event) => request.hooks[event] !== undefined).map((event) => ({
    [event]: request.hooks[event],
  }));
  return {
    document: ecsServiceAppSpec({ name: request.containerName, port: request.containerPort, hooks }),
    ...request,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
