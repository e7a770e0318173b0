import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getList,
  getOptionalString,
  getString,
  getStructured,
  invalidInput,
} from '../../../../shared/src/runner/inputs.ts';
import {
  resolveKubeconfig,
  type KubeconfigSource,
} from '../../../../shared/src/kubernetes/client/kubeconfig.ts';
import { isRecord } from '../../../../shared/src/kubernetes/object.ts';
import { parseCommandWords } from '../../../../shared/src/formats/command-words.ts';
import { CONNECTION_INPUTS } from '../../../../shared/src/postgres/connection-inputs.ts';

/**
 * The inputs of the in-cluster modes, where the application's own migration command runs as a
 * Kubernetes Job or a one-off ECS task. Everything is read and checked before any call is made.
 */

export type InClusterMode = 'kubernetes-job' | 'ecs-task';

export interface KubernetesJobInputs {
  mode: 'kubernetes-job';
  cluster: KubeconfigSource;
  /** Where the pod template comes from. */
  source:
    | {
        kind: 'template';
        template: Record<string, unknown>;
        name: string | undefined;
        namespace: string | undefined;
      }
    | { kind: 'deployment'; namespace: string | undefined; name: string };
  /** The input, else the template's, else the context's, else `default`. */
  namespace: string | undefined;
  image: string | undefined;
  command: string[] | undefined;
  container: string | undefined;
  keepJob: boolean;
  timeoutMs: number;
  /** Makes the Job name unique to the commit, or to the run when there is no commit. */
  suffix: string;
}

export interface EcsTaskInputs {
  mode: 'ecs-task';
  region: string | undefined;
  cluster: string;
  taskDefinition: string;
  launchType: LaunchType;
  network: { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean } | undefined;
  command: string[] | undefined;
  container: string | undefined;
  timeoutMs: number;
  pollIntervalMs: number;
}

export type InClusterInputs = KubernetesJobInputs | EcsTaskInputs;

export const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;
type LaunchType = (typeof LAUNCH_TYPES)[number];

const HOUR = 3_600_000;
/** DNS-1123 label: names of containers, namespaces, and the Job name built from them. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** registry/name[:tag][@sha256:digest], as a container runtime accepts it. */
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const TASK_DEFINITION =
  /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(:\d+)?$/;
const CLUSTER = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/;

/** Inputs of native mode that mean nothing when the application migrates itself. */
const NATIVE_ONLY = [...CONNECTION_INPUTS, 'baseline-version'];
const KUBERNETES_ONLY = ['job-template', 'from-deployment', 'namespace', 'kubeconfig', 'context', 'keep-job'];
const ECS_ONLY = [
  'task-definition',
  'cluster',
  'launch-type',
  'subnets',
  'security-groups',
  'assign-public-ip',
  'poll-interval',
  'aws-region',
];

export async function readInClusterInputs(mode: InClusterMode): Promise<InClusterInputs> {
  const command = getString('command', { default: 'migrate' });
  if (command !== 'migrate') {
    throw new ConfigurationError(
      `Input "command" is "${command}", but mode ${mode} can only run the application's migration command.`,
      {
        input: 'command',
        hint: 'leave command at migrate, or use mode: native for plan, validate and the others',
      },
    );
  }
  refuseInputs(NATIVE_ONLY, mode, "the application's own configuration connects it to the database");
  const timeoutMs = getDuration('timeout', { default: 30 * 60_000, min: 1000, max: 6 * HOUR });
  const migrationCommand = await readCommand();
  const container = getOptionalString('container');
  if (mode === 'kubernetes-job') {
    refuseInputs(ECS_ONLY, mode, 'it is an input of mode ecs-task');
    return readKubernetesJob(migrationCommand, container, timeoutMs);
  }
  refuseInputs(KUBERNETES_ONLY, mode, 'it is an input of mode kubernetes-job');
  return readEcsTask(migrationCommand, container, timeoutMs);
}

async function readCommand(): Promise<string[] | undefined> {
  const raw = getOptionalString('migration-command');
  return raw === undefined ? undefined : parseCommandWords('migration-command', raw);
}

function refuseInputs(names: string[], mode: InClusterMode, why: string): void {
  for (const name of names) {
    if (getOptionalString(name, { secret: name === 'database-url' || name === 'password' }) !== undefined) {
      throw new ConfigurationError(`Input "${name}" is not used by mode ${mode}: ${why}.`, { input: name });
    }
  }
}

async function readKubernetesJob(
  command: string[] | undefined,
  container: string | undefined,
  timeoutMs: number,
): Promise<KubernetesJobInputs> {
  const image = getOptionalString('image');
  if (image !== undefined && !IMAGE.test(image)) {
    throw invalidInput(
      'image',
      image,
      'expected an image reference like ghcr.io/acme/shop:1.4.2 or repo@sha256:...',
    );
  }
  if (container !== undefined && !DNS_LABEL.test(container)) {
    throw invalidInput(
      'container',
      container,
      'expected a container name (lower-case letters, digits and -)',
    );
  }
  const namespace = getOptionalString('namespace');
  if (namespace !== undefined && (!DNS_LABEL.test(namespace) || namespace.length > 63)) {
    throw invalidInput(
      'namespace',
      namespace,
      'expected a namespace name (lower-case letters, digits and -)',
    );
  }
  const template = await getStructured('job-template');
  const fromDeployment = getOptionalString('from-deployment');
  if ((template === undefined) === (fromDeployment === undefined)) {
    throw new ConfigurationError(
      `Mode kubernetes-job needs ${template === undefined ? 'one of' : 'only one of'} the inputs "job-template" and "from-deployment".`,
      {
        input: 'job-template',
        hint: 'from-deployment: shop/web runs the command in the pod template of Deployment web; job-template takes a Job or a pod template in YAML',
      },
    );
  }
  let source: KubernetesJobInputs['source'];
  if (fromDeployment !== undefined) {
    source = readDeployment(fromDeployment, namespace);
    if (command === undefined) {
      throw new ConfigurationError(
        'Input "migration-command" is required with from-deployment: the Deployment\'s own command starts the server.',
        { input: 'migration-command', hint: 'for example migration-command: npm run migrate' },
      );
    }
  } else {
    source = readTemplate(template);
  }
  const cluster = await resolveKubeconfig({
    input: getOptionalString('kubeconfig', { secret: true }),
    context: getOptionalString('context'),
    cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  });
  return {
    mode: 'kubernetes-job',
    cluster,
    source,
    namespace: namespace ?? source.namespace,
    image,
    command,
    container,
    keepJob: getBoolean('keep-job', false),
    timeoutMs,
    suffix: (process.env.GITHUB_SHA ?? '').slice(0, 7).toLowerCase() || randomBytes(3).toString('hex'),
  };
}

function readDeployment(value: string, namespace: string | undefined): KubernetesJobInputs['source'] {
  const parts = value.split('/');
  const name = parts.at(-1) ?? '';
  const ownNamespace = parts.length === 2 ? parts[0] : undefined;
  if (
    parts.length > 2 ||
    !DNS_SUBDOMAIN.test(name) ||
    (ownNamespace !== undefined && !DNS_LABEL.test(ownNamespace))
  ) {
    throw invalidInput('from-deployment', value, 'expected <namespace>/<name> or <name> of a Deployment');
  }
  if (ownNamespace !== undefined && namespace !== undefined && ownNamespace !== namespace) {
    throw new ConfigurationError(
      `Input "from-deployment" names namespace ${ownNamespace}, but input "namespace" is ${namespace}.`,
      { input: 'from-deployment', hint: 'give the namespace once' },
    );
  }
  return { kind: 'deployment', namespace: ownNamespace, name };
}

/** A Job (its pod template is used) or a pod template (`metadata` and `spec.containers`). */
function readTemplate(value: unknown): KubernetesJobInputs['source'] {
  const accepted = 'expected a Job (kind: Job) or a pod template (metadata and spec.containers) in YAML';
  if (!isRecord(value)) throw invalidInput('job-template', String(value), accepted);
  if (value.kind !== undefined && value.kind !== 'Job' && value.kind !== 'PodTemplate') {
    throw invalidInput('job-template', `kind: ${String(value.kind)}`, accepted);
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const spec = isRecord(value.spec) ? value.spec : {};
  const podTemplate =
    value.kind === 'Job' ? spec.template : value.kind === 'PodTemplate' ? value.template : value;
  const podSpec = isRecord(podTemplate) && isRecord(podTemplate.spec) ? podTemplate.spec : undefined;
  if (
    !isRecord(podTemplate) ||
    !podSpec ||
    !Array.isArray(podSpec.containers) ||
    podSpec.containers.length === 0
  ) {
    throw new ConfigurationError(`Input "job-template" has no containers: ${accepted}.`, {
      input: 'job-template',
    });
  }
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value ? value : undefined;
  return {
    kind: 'template',
    template: podTemplate,
    name: text(metadata.name),
    namespace: text(metadata.namespace),
  };
}

function readEcsTask(
  command: string[] | undefined,
  container: string | undefined,
  timeoutMs: number,
): EcsTaskInputs {
  if (getOptionalString('image') !== undefined) {
    throw new ConfigurationError(
      'Input "image" is not used by mode ecs-task: an ECS task runs the image of its task definition.',
      {
        input: 'image',
        hint: 'register a task definition revision with the new image (deploy-ecs does) and give it in task-definition',
      },
    );
  }
  const taskDefinition = getString('task-definition', { required: true });
  if (!TASK_DEFINITION.test(taskDefinition)) {
    throw invalidInput(
      'task-definition',
      taskDefinition,
      'expected a family, family:revision, or a task definition ARN',
    );
  }
  const cluster = getString('cluster', { default: 'default' });
  if (!CLUSTER.test(cluster)) throw invalidInput('cluster', cluster, 'expected a cluster name or ARN');
  if (container !== undefined && !/^[a-zA-Z0-9_-]{1,255}$/.test(container)) {
    throw invalidInput('container', container, 'expected a container name of the task definition');
  }
  const launchType = getEnum('launch-type', LAUNCH_TYPES, 'FARGATE');
  const subnets = getList('subnets');
  const bad = subnets.find((subnet) => !/^subnet-[0-9a-f]{8,17}$/.test(subnet));
  if (bad !== undefined)
    throw invalidInput('subnets', bad, 'expected subnet IDs like subnet-0abc12345def67890');
  const securityGroups = getList('security-groups');
  const badGroup = securityGroups.find((group) => !/^sg-[0-9a-f]{8,17}$/.test(group));
  if (badGroup !== undefined) {
    throw invalidInput('security-groups', badGroup, 'expected security group IDs like sg-0abc12345def67890');
  }
  const assignPublicIp = getBoolean('assign-public-ip', false);
  if (subnets.length === 0 && (securityGroups.length > 0 || assignPublicIp)) {
    throw new ConfigurationError(
      'Inputs "security-groups" and "assign-public-ip" need "subnets" to go with them.',
      {
        input: 'subnets',
      },
    );
  }
  if (launchType === 'FARGATE' && subnets.length === 0) {
    throw new ConfigurationError(
      'Input "subnets" is required with launch-type FARGATE: every Fargate task runs in a VPC.',
      {
        input: 'subnets',
        hint: 'give the private subnets the service runs in, and its security groups',
      },
    );
  }
  const region = getOptionalString('aws-region');
  return {
    mode: 'ecs-task',
    region,
    cluster,
    taskDefinition,
    launchType,
    network: subnets.length > 0 ? { subnets, securityGroups, assignPublicIp } : undefined,
    command,
    container,
    timeoutMs,
    pollIntervalMs: getDuration('poll-interval', { default: 6000, min: 100, max: 60_000 }),
  };
}
