import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCommandWords } from '../../../shared/src/formats/command-words.ts';
import { readRecordInputs, type RecordInputs } from '../../../shared/src/github/record-inputs.ts';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getKeyValueMap,
  getList,
  getOptionalString,
  getString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import type { TaskNetwork } from '../../../shared/src/ecs/run-task.ts';
import { readCodeDeployInputs, type CodeDeployInputs } from './codedeploy/inputs.ts';
import { renderTaskDefinition, type RenderRequest } from './render/render.ts';
import { readRenderRequest } from './render/render-inputs.ts';

/**
 * The inputs of deploy-ecs, read and checked before any AWS client exists: a mistake here costs no
 * API call and changes nothing. Service settings have no default in action.yml: empty means "leave
 * it as it is", so they are `undefined` here and never sent.
 */

export type DefinitionSource =
  | { kind: 'file'; path: string; definition: Record<string, unknown> }
  | { kind: 'service' }
  | { kind: 'arn'; reference: string };

export interface ServiceSettings {
  desiredCount?: number;
  forceNewDeployment?: boolean;
  enableExecuteCommand?: boolean;
  propagateTags?: 'SERVICE' | 'TASK_DEFINITION' | 'NONE';
  enableECSManagedTags?: boolean;
}

export interface RunTaskInputs {
  command: string[] | undefined;
  environment: Record<string, string>;
  /** Undefined: the service's network configuration. */
  network: TaskNetwork | undefined;
  assignPublicIp: boolean | undefined;
  launchType: 'FARGATE' | 'EC2' | 'EXTERNAL' | undefined;
  capacityProvider: string | undefined;
  timeoutMs: number;
}

export interface DeployEcsInputs {
  region: string | undefined;
  cluster: string;
  service: string | undefined;
  source: DefinitionSource;
  render: RenderRequest;
  tags: { key: string; value: string }[];
  settings: ServiceSettings;
  wait: boolean;
  waitMs: number;
  pollIntervalMs: number;
  rollbackOnFailure: boolean;
  runTask: RunTaskInputs | undefined;
  dryRun: boolean;
  /** How a service deploy is recorded as a GitHub deployment. */
  record: RecordInputs;
  /** For a CODE_DEPLOY service; refused (plan.ts) for an ECS one when any is given. */
  codedeploy: CodeDeployInputs;
}

const MINUTE = 60_000;
const MAX_WAIT_MINUTES = 360;
const CLUSTER = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/;
const SERVICE =
  /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/([a-zA-Z0-9_-]{1,255}\/)?)?[a-zA-Z0-9_-]{1,255}$/;
const TASK_DEFINITION_ARN =
  /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[a-zA-Z0-9_-]{1,255}:\d+|[a-zA-Z0-9_-]{1,255}:\d+)$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
const CAPACITY_PROVIDER = /^[a-zA-Z0-9_-]{1,255}$/;

export function readCluster(): string {
  const cluster = getString('cluster', { default: 'default' });
  if (!CLUSTER.test(cluster)) throw invalidInput('cluster', cluster, 'expected a cluster name or ARN');
  return cluster;
}

export function readService(): string | undefined {
  const service = getOptionalString('service');
  if (service !== undefined && !SERVICE.test(service)) {
    throw invalidInput('service', service, 'expected a service name or ARN');
  }
  return service;
}

export function readPollInterval(): number {
  return getDuration('poll-interval', { default: 5000, min: 1000, max: 5 * MINUTE });
}

export async function readInputs(): Promise<DeployEcsInputs> {
  const cluster = readCluster();
  const service = readService();
  const source = readSource(service);
  const render = await readRenderRequest(source.kind === 'arn');
  if (source.kind === 'file') {
    // A file's definition is rendered now too, so a container it lacks is refused before any call.
    const rendered = renderTaskDefinition(source.definition, render);
    if ('problem' in rendered) {
      throw new ConfigurationError(rendered.problem.message, { input: rendered.problem.input });
    }
  }
  const settings = readSettings(service);
  const runTask = await readRunTask();
  if (service === undefined && runTask === undefined && source.kind === 'arn') {
    throw new ConfigurationError(
      'Input "task-definition-arn" deploys an existing revision: it needs "service" or "run-task: true" to do something with it.',
      { input: 'task-definition-arn' },
    );
  }
  const waitMinutes = readMinutes('wait-for-minutes');
  const wait = getBoolean('wait', true);
  const codedeploy = await readCodeDeployInputs('deploy', render.containerName);
  if (codedeploy.waitUntil === 'ready' && !wait) {
    throw new ConfigurationError(
      'Input "codedeploy-wait-until" is "ready", which waits for the deployment, and input "wait" is false.',
      { input: 'codedeploy-wait-until', hint: 'remove one of the two' },
    );
  }
  if (service === undefined && codedeploy.given.length > 0) {
    const input = codedeploy.given[0] as string;
    throw new ConfigurationError(`Input "${input}" is for a CodeDeploy deploy: it needs input "service".`, {
      input,
    });
  }
  return {
    region: getOptionalString('aws-region'),
    cluster,
    service,
    source,
    render,
    tags: readTags(source.kind === 'arn'),
    settings,
    wait,
    waitMs: waitMinutes,
    pollIntervalMs: readPollInterval(),
    rollbackOnFailure: getBoolean('rollback-on-failure', true),
    runTask,
    dryRun: getBoolean('dry-run', false),
    record: readRecordInputs(),
    codedeploy,
  };
}

function readSource(service: string | undefined): DefinitionSource {
  const file = getOptionalString('task-definition');
  const fromService = getBoolean('task-definition-from-service', false);
  const arn = getOptionalString('task-definition-arn');
  const given = [file !== undefined, fromService, arn !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new ConfigurationError(
      `Give exactly one of the inputs "task-definition", "task-definition-from-service: true" and "task-definition-arn" (${given === 0 ? 'none was' : `${given} were`} given).`,
      {
        input: 'task-definition',
        hint: 'task-definition: a JSON file; task-definition-from-service: true starts from what the service runs; task-definition-arn deploys a revision as it is',
      },
    );
  }
  if (fromService) {
    if (service === undefined) {
      throw new ConfigurationError('Input "task-definition-from-service" needs input "service".', {
        input: 'task-definition-from-service',
      });
    }
    return { kind: 'service' };
  }
  if (arn !== undefined) {
    if (!TASK_DEFINITION_ARN.test(arn)) {
      throw invalidInput('task-definition-arn', arn, 'expected family:revision or a task definition ARN');
    }
    return { kind: 'arn', reference: arn };
  }
  return readDefinitionFile(file as string);
}

function readDefinitionFile(file: string): DefinitionSource {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const resolved = path.resolve(workspace, file);
  let text: string;
  try {
    if (!statSync(resolved).isFile()) throw new Error('not a file');
    text = readFileSync(resolved, 'utf8');
  } catch {
    throw new ConfigurationError(
      `Input "task-definition" is "${file}", which is not a readable file (looked for ${resolved}).`,
      {
        input: 'task-definition',
        hint: 'check the repository out first (actions/checkout), or fix the path',
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `Input "task-definition": ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
      { input: 'task-definition' },
    );
  }
  // `aws ecs describe-task-definition` output wraps the definition in {"taskDefinition": ...}.
  const record = isRecord(parsed) && isRecord(parsed.taskDefinition) ? parsed.taskDefinition : parsed;
  if (!isRecord(record) || !Array.isArray(record.containerDefinitions) || typeof record.family !== 'string') {
    throw new ConfigurationError(
      `Input "task-definition": ${file} is not a task definition: it needs "family" and "containerDefinitions".`,
      { input: 'task-definition' },
    );
  }
  return { kind: 'file', path: file, definition: record };
}

function readSettings(service: string | undefined): ServiceSettings {
  const settings: ServiceSettings = {};
  const count = getOptionalString('desired-count');
  if (count !== undefined) {
    if (!/^\d+$/.test(count) || Number(count) > 5000) {
      throw invalidInput(
        'desired-count',
        count,
        'expected a whole number from 0 to 5000, or empty to leave it',
      );
    }
    settings.desiredCount = Number(count);
  }
  const flag = (name: string): boolean | undefined =>
    getOptionalString(name) === undefined ? undefined : getBoolean(name, false);
  const force = flag('force-new-deployment');
  if (force !== undefined) settings.forceNewDeployment = force;
  const exec = flag('enable-execute-command');
  if (exec !== undefined) settings.enableExecuteCommand = exec;
  const managed = flag('enable-ecs-managed-tags');
  if (managed !== undefined) settings.enableECSManagedTags = managed;
  if (getOptionalString('propagate-tags') !== undefined) {
    settings.propagateTags = getEnum(
      'propagate-tags',
      ['SERVICE', 'TASK_DEFINITION', 'NONE'] as const,
      'NONE',
    );
  }
  const set = Object.keys(settings);
  if (service === undefined && set.length > 0) {
    const names: Record<string, string> = {
      desiredCount: 'desired-count',
      forceNewDeployment: 'force-new-deployment',
      enableExecuteCommand: 'enable-execute-command',
      enableECSManagedTags: 'enable-ecs-managed-tags',
      propagateTags: 'propagate-tags',
    };
    const input = names[set[0] as string] as string;
    throw new ConfigurationError(`Input "${input}" is a service setting: it needs input "service".`, {
      input,
    });
  }
  return settings;
}

function readTags(existing: boolean): { key: string; value: string }[] {
  const tags = getKeyValueMap('task-definition-tags', { perLine: true });
  const entries = Object.entries(tags);
  if (existing && entries.length > 0) {
    throw new ConfigurationError(
      'Input "task-definition-tags" tags a new revision, and task-definition-arn registers none.',
      { input: 'task-definition-tags' },
    );
  }
  for (const [key, value] of entries) {
    if (key.length > 128 || value.length > 256 || /^aws:/i.test(key)) {
      throw invalidInput(
        'task-definition-tags',
        `${key}=${value}`,
        'expected keys of at most 128 characters not starting with aws:, values of at most 256',
      );
    }
  }
  return entries.map(([key, value]) => ({ key, value }));
}

async function readRunTask(): Promise<RunTaskInputs | undefined> {
  const names = [
    'run-task-command',
    'run-task-environment',
    'run-task-subnets',
    'run-task-security-groups',
    'run-task-assign-public-ip',
    'run-task-launch-type',
    'run-task-capacity-provider',
  ];
  if (!getBoolean('run-task', false)) {
    const stray = names.find((name) => getOptionalString(name) !== undefined);
    if (stray !== undefined) {
      throw new ConfigurationError(`Input "${stray}" is only used with "run-task: true".`, { input: stray });
    }
    return undefined;
  }
  const rawCommand = getOptionalString('run-task-command');
  const subnets = getList('run-task-subnets');
  const badSubnet = subnets.find((subnet) => !SUBNET.test(subnet));
  if (badSubnet !== undefined) {
    throw invalidInput('run-task-subnets', badSubnet, 'expected subnet IDs like subnet-0abc12345def67890');
  }
  const groups = getList('run-task-security-groups');
  const badGroup = groups.find((group) => !SECURITY_GROUP.test(group));
  if (badGroup !== undefined) {
    throw invalidInput(
      'run-task-security-groups',
      badGroup,
      'expected security group IDs like sg-0abc12345def67890',
    );
  }
  if (groups.length > 0 && subnets.length === 0) {
    throw new ConfigurationError('Input "run-task-security-groups" needs "run-task-subnets" to go with it.', {
      input: 'run-task-security-groups',
    });
  }
  const publicIp = getOptionalString('run-task-assign-public-ip');
  const launchType =
    getOptionalString('run-task-launch-type') === undefined
      ? undefined
      : getEnum('run-task-launch-type', ['FARGATE', 'EC2', 'EXTERNAL'] as const, 'FARGATE');
  const capacityProvider = getOptionalString('run-task-capacity-provider');
  if (capacityProvider !== undefined && !CAPACITY_PROVIDER.test(capacityProvider)) {
    throw invalidInput('run-task-capacity-provider', capacityProvider, 'expected a capacity provider name');
  }
  if (capacityProvider !== undefined && launchType !== undefined) {
    throw new ConfigurationError(
      'Inputs "run-task-launch-type" and "run-task-capacity-provider" exclude each other: RunTask takes one or the other.',
      { input: 'run-task-capacity-provider' },
    );
  }
  const assignPublicIp = publicIp === undefined ? undefined : getBoolean('run-task-assign-public-ip', false);
  return {
    command: rawCommand === undefined ? undefined : await parseCommandWords('run-task-command', rawCommand),
    environment: getKeyValueMap('run-task-environment', { perLine: true }),
    network:
      subnets.length > 0
        ? { subnets, securityGroups: groups, assignPublicIp: assignPublicIp ?? false }
        : undefined,
    assignPublicIp,
    launchType,
    capacityProvider,
    timeoutMs: readMinutes('run-task-wait-for-minutes'),
  };
}

/** Minutes, fractions allowed (`0.5`), as milliseconds. */
export function readMinutes(name: string): number {
  const raw = getString(name, { default: '30' });
  const minutes = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || minutes <= 0 || minutes > MAX_WAIT_MINUTES) {
    throw invalidInput(
      name,
      raw,
      `expected minutes from more than 0 to ${MAX_WAIT_MINUTES}, fractions allowed (like 0.5)`,
    );
  }
  return Math.round(minutes * MINUTE);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
