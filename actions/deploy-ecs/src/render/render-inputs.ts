import { parseCommandWords } from '../../../../shared/src/formats/command-words.ts';
import { ConfigurationError } from '../../../../shared/src/errors.ts';
import {
  getKeyValueMap,
  getList,
  getOptionalString,
  getStructured,
  invalidInput,
} from '../../../../shared/src/runner/inputs.ts';
import type { RenderRequest } from './render.ts';

/** The inputs that change the task definition, read into one RenderRequest. */

const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:.+$/;
const CPU = /^(\d+|\d+(\.\d+)? ?vcpu)$/i;
const MEMORY = /^(\d+|\d+(\.\d+)? ?gb)$/i;
const RENDER_INPUTS = [
  'container-name',
  'image',
  'images',
  'environment-variables',
  'remove-environment-variables',
  'secrets',
  'docker-labels',
  'log-configuration',
  'command',
  'cpu',
  'memory',
  'task-role-arn',
  'execution-role-arn',
] as const;

export async function readRenderRequest(existingRevision: boolean): Promise<RenderRequest> {
  if (existingRevision) {
    const stray = RENDER_INPUTS.find((name) => getOptionalString(name) !== undefined);
    if (stray !== undefined) {
      throw new ConfigurationError(
        `Input "${stray}" changes the task definition, but task-definition-arn deploys a revision as it is.`,
        {
          input: stray,
          hint: 'use task-definition or task-definition-from-service: true to render a new revision',
        },
      );
    }
  }
  const containerName = getOptionalString('container-name');
  if (containerName !== undefined && !CONTAINER_NAME.test(containerName)) {
    throw invalidInput(
      'container-name',
      containerName,
      'expected a container name (letters, digits, - and _)',
    );
  }
  const images: Record<string, string> = {};
  const image = getOptionalString('image');
  if (image !== undefined) {
    checkImage('image', image);
    if (containerName === undefined) images[''] = image;
    else images[containerName] = image;
  }
  for (const [name, value] of Object.entries(getKeyValueMap('images', { perLine: true }))) {
    if (!CONTAINER_NAME.test(name))
      throw invalidInput('images', `${name}=${value}`, 'expected container-name=image per line');
    checkImage('images', value);
    if (images[name] !== undefined) {
      throw new ConfigurationError(`Inputs "image" and "images" both set the image of container ${name}.`, {
        input: 'images',
      });
    }
    images[name] = value;
  }
  const environment = getKeyValueMap('environment-variables', { perLine: true });
  checkNames('environment-variables', Object.keys(environment));
  const removeEnvironment = getList('remove-environment-variables');
  checkNames('remove-environment-variables', removeEnvironment);
  const both = removeEnvironment.find((name) => environment[name] !== undefined);
  if (both !== undefined) {
    throw new ConfigurationError(
      `Input "remove-environment-variables" removes ${both}, which input "environment-variables" sets: say one or the other.`,
      { input: 'remove-environment-variables' },
    );
  }
  const secrets = getKeyValueMap('secrets', { perLine: true });
  checkNames('secrets', Object.keys(secrets));
  for (const [name, arn] of Object.entries(secrets)) {
    if (!SECRET_ARN.test(arn)) {
      throw invalidInput(
        'secrets',
        `${name}=${arn}`,
        'expected NAME=arn of a Secrets Manager secret or SSM parameter',
      );
    }
  }
  const cpu = getOptionalString('cpu');
  if (cpu !== undefined && !CPU.test(cpu))
    throw invalidInput('cpu', cpu, 'expected CPU units like 256 or 1024, or 1 vCPU');
  const memory = getOptionalString('memory');
  if (memory !== undefined && !MEMORY.test(memory))
    throw invalidInput('memory', memory, 'expected MiB like 512, or 2 GB');
  const role = (name: string): string | undefined => {
    const value = getOptionalString(name);
    if (value !== undefined && !ROLE_ARN.test(value)) {
      throw invalidInput(name, value, 'expected an IAM role ARN like arn:aws:iam::123456789012:role/name');
    }
    return value;
  };
  const rawCommand = getOptionalString('command');
  return {
    containerName,
    images,
    environment,
    removeEnvironment,
    secrets,
    dockerLabels: getKeyValueMap('docker-labels', { perLine: true }),
    logConfiguration: await readLogConfiguration(),
    command: rawCommand === undefined ? undefined : await parseCommandWords('command', rawCommand),
    cpu,
    memory,
    taskRoleArn: role('task-role-arn'),
    executionRoleArn: role('execution-role-arn'),
  };
}

function checkImage(input: string, image: string): void {
  if (!IMAGE.test(image) || /[:@]$/.test(image)) {
    throw invalidInput(
      input,
      image,
      'expected an image reference like 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.2 or repo@sha256:...',
    );
  }
}

function checkNames(input: string, names: string[]): void {
  const bad = names.find((name) => !ENV_NAME.test(name));
  if (bad !== undefined) throw invalidInput(input, bad, 'expected variable names of letters, digits and _');
}

async function readLogConfiguration(): Promise<Record<string, unknown> | undefined> {
  const value = await getStructured('log-configuration');
  if (value === undefined) return undefined;
  const accepted = 'expected a YAML mapping with logDriver (awslogs, awsfirelens, splunk, ...) and options';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput('log-configuration', String(value), accepted);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.logDriver !== 'string' || record.logDriver === '') {
    throw invalidInput('log-configuration', JSON.stringify(record), accepted);
  }
  if (record.options !== undefined) {
    const options = logOptions(record.options);
    if (options === undefined) {
      throw invalidInput(
        'log-configuration',
        JSON.stringify(record),
        'expected options as a mapping of strings, or as key=value lines (a value keeps everything after its first =)',
      );
    }
    return { ...record, options };
  }
  return record;
}

/**
 * Log options as a mapping, or as the anchor's `key=value` lines (a string or a list): a value keeps
 * everything after its first `=`, so `awslogs-datetime-format=%Y-%m-%d=x` survives whole.
 */
export function logOptions(value: unknown): Record<string, string> | undefined {
  const lines = typeof value === 'string' ? value.split(/\r?\n/) : Array.isArray(value) ? value : undefined;
  if (lines !== undefined) {
    const options: Record<string, string> = {};
    for (const line of lines) {
      if (typeof line !== 'string') return undefined;
      if (line.trim() === '') continue;
      const at = line.indexOf('=');
      if (at <= 0) return undefined;
      options[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return options;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, entry]) => typeof entry === 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}
