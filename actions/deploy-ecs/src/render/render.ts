import { registrable, type TaskDefinitionJson } from '../../../../shared/src/ecs/task-definitions.ts';

/**
 * Renders the task definition in process, as amazon-ecs-render-task-definition does, but without a
 * file between steps: images per container, environment variables added, updated and removed,
 * secrets, Docker labels, log configuration, command, task sizes and roles. The read-only fields
 * DescribeTaskDefinition returns are dropped; every other field, known to Gantry or not, is kept.
 * Pure: a problem comes back as a value naming the input, for inputs.ts's message.
 */

export interface RenderRequest {
  /** The container that image, environment and the others apply to; undefined with one container. */
  containerName: string | undefined;
  /** Image per container name; the key '' is "the only container". */
  images: Record<string, string>;
  environment: Record<string, string>;
  removeEnvironment: string[];
  secrets: Record<string, string>;
  dockerLabels: Record<string, string>;
  logConfiguration: Record<string, unknown> | undefined;
  command: string[] | undefined;
  cpu: string | undefined;
  memory: string | undefined;
  taskRoleArn: string | undefined;
  executionRoleArn: string | undefined;
}

export interface RenderProblem {
  input: string;
  message: string;
}

export type RenderResult = { definition: TaskDefinitionJson } | { problem: RenderProblem };

type Container = Record<string, unknown>;
type NameValue = { name: string; value?: string; valueFrom?: string };

export function renderTaskDefinition(source: TaskDefinitionJson, request: RenderRequest): RenderResult {
  const definition = structuredClone(registrable(source));
  const containers = (definition.containerDefinitions as Container[]).map((container) => ({ ...container }));
  definition.containerDefinitions = containers;
  const names = containers.map((container) => String(container.name));
  const missing = (name: string, input: string): RenderResult => ({
    problem: {
      input,
      message: `Input "${input}" names container ${name}, which is not in task definition ${String(definition.family)}: it has ${names.join(', ') || 'none'}.`,
    },
  });
  const containerSettings =
    request.command !== undefined ||
    request.logConfiguration !== undefined ||
    Object.keys(request.environment).length + request.removeEnvironment.length > 0 ||
    Object.keys(request.secrets).length + Object.keys(request.dockerLabels).length > 0 ||
    request.images[''] !== undefined;
  let target: Container | undefined;
  if (request.containerName !== undefined) {
    target = containers.find((container) => container.name === request.containerName);
    if (!target) return missing(request.containerName, 'container-name');
  } else if (containerSettings) {
    if (containers.length !== 1) {
      return {
        problem: {
          input: 'container-name',
          message: `Task definition ${String(definition.family)} has ${containers.length} containers (${names.join(', ')}): input "container-name" must say which one the image and container settings are for.`,
        },
      };
    }
    target = containers[0];
  }
  for (const [name, image] of Object.entries(request.images)) {
    const container = name === '' ? target : containers.find((entry) => entry.name === name);
    if (!container) return missing(name, 'images');
    container.image = image;
  }
  if (target) applyContainerSettings(target, request);
  if (request.cpu !== undefined) definition.cpu = request.cpu;
  if (request.memory !== undefined) definition.memory = request.memory;
  if (request.taskRoleArn !== undefined) definition.taskRoleArn = request.taskRoleArn;
  if (request.executionRoleArn !== undefined) definition.executionRoleArn = request.executionRoleArn;
  return { definition };
}

function applyContainerSettings(container: Container, request: RenderRequest): void {
  if (Object.keys(request.environment).length > 0 || request.removeEnvironment.length > 0) {
    const removed = new Set(request.removeEnvironment);
    container.environment = upsert(
      ((container.environment as NameValue[] | undefined) ?? []).filter((entry) => !removed.has(entry.name)),
      request.environment,
      'value',
    );
  }
  if (Object.keys(request.secrets).length > 0) {
    container.secrets = upsert(
      (container.secrets as NameValue[] | undefined) ?? [],
      request.secrets,
      'valueFrom',
    );
  }
  if (Object.keys(request.dockerLabels).length > 0) {
    container.dockerLabels = {
      ...((container.dockerLabels as Record<string, string> | undefined) ?? {}),
      ...request.dockerLabels,
    };
  }
  if (request.logConfiguration !== undefined) container.logConfiguration = request.logConfiguration;
  if (request.command !== undefined) container.command = request.command;
}

/** Updates entries in place (keeping their order), appends new ones. */
function upsert(
  entries: NameValue[],
  values: Record<string, string>,
  field: 'value' | 'valueFrom',
): NameValue[] {
  const result = entries.map((entry) =>
    values[entry.name] === undefined ? entry : { name: entry.name, [field]: values[entry.name] },
  );
  for (const [name, value] of Object.entries(values)) {
    if (!entries.some((entry) => entry.name === name)) result.push({ name, [field]: value });
  }
  return result;
}
