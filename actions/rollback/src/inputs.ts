import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getInteger,
  getList,
  getOptionalString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import {
  resolveKubeconfig,
  type KubeconfigSource,
} from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { labelSelectorProblem } from '../../../shared/src/kubernetes/label-selector.ts';
import { readRecordInputs, type RecordInputs } from '../../../shared/src/github/record-inputs.ts';
import { parseWorkloadRef, WORKLOAD_REF_ACCEPTED, type WorkloadRef } from './kubernetes/workload-refs.ts';
import { ECS_INPUTS, readEcsInputs, type EcsInputs } from './ecs/inputs.ts';
import { PLATFORMS, type Platform } from './platform.ts';

/**
 * Everything the rollback needs, read and checked before any request to the cluster, ECS or GitHub:
 * which workloads or service (named, selected, or taken from a deployment record), which revision,
 * the credentials, and how to record the rollback. Inputs that exclude each other (two platforms,
 * two ways to name the target) are refused here, never half-applied later.
 */
export type TargetSource =
  | { kind: 'workloads'; workloads: WorkloadRef[] }
  | { kind: 'selector'; selector: string }
  /** Restore exactly what this GitHub deployment recorded. */
  | { kind: 'from-deployment'; id: number }
  /** An ECS service named by `cluster` and `service`. */
  | { kind: 'service' }
  /** Only an environment: its latest record says what to roll back. */
  | { kind: 'environment' };

export interface RollbackInputs extends RecordInputs {
  /** Undefined until a deployment record says (from-deployment, environment alone). */
  platform: Platform | undefined;
  source: TargetSource;
  /** Undefined when not given; 0 means the previous revision, as in kubectl. */
  toRevision: number | undefined;
  namespace: string | undefined;
  /** Resolved here when the kubeconfig inputs are given or the platform is known to be Kubernetes. */
  cluster: KubeconfigSource | undefined;
  ecs: EcsInputs;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  maxRestarts: number;
}

const HOUR = 3_600_000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function readInputs(
  env: Record<string, string | undefined> = process.env,
): Promise<RollbackInputs> {
  const platformInput = getOptionalString('platform');
  if (platformInput !== undefined && !(PLATFORMS as readonly string[]).includes(platformInput)) {
    throw invalidInput('platform', platformInput, `expected ${PLATFORMS.join(' or ')}`);
  }
  const named = readSource();
  const toRevision = readToRevision(named);
  const ecs = readEcsInputs();
  const platform = readPlatform(platformInput as Platform | undefined, named, ecs);
  const source: TargetSource =
    named.kind === 'environment' && platform === 'ecs' ? { kind: 'service' } : named;
  if (source.kind === 'service') {
    for (const name of ['cluster', 'service'] as const) {
      if (!ecs[name]) {
        throw new ConfigurationError(`Input "${name}" is required to roll back an ECS service.`, {
          input: name,
        });
      }
    }
  }
  if (named.kind === 'from-deployment' && ecs.toTaskDefinition) {
    throw new ConfigurationError(
      'Inputs "to-task-definition" and "from-deployment" exclude each other: the deployment record says what to restore.',
      { input: 'to-task-definition' },
    );
  }
  const record = readRecordInputs();
  const { environment, token } = record;
  const settings = {
    dryRun: getBoolean('dry-run', false),
    wait: getBoolean('wait', true),
    timeoutMs: getDuration('timeout', { default: 10 * 60_000, min: 1000, max: 6 * HOUR }),
    maxRestarts: getInteger('max-restarts', { default: 3, min: 0, max: 1000 }),
  };
  if (source.kind === 'environment' && !environment) {
    throw new ConfigurationError(
      'Nothing to roll back: give workloads, selector, from-deployment, or environment (whose latest deployment record names the workloads).',
      { input: 'workloads' },
    );
  }
  const needsRecords = source.kind === 'from-deployment' || source.kind === 'environment';
  if (needsRecords && !token) {
    throw new ConfigurationError(
      `Input "github-token" is empty, and ${source.kind === 'environment' ? 'environment alone' : 'from-deployment'} needs it to read the deployment records.`,
      {
        input: 'github-token',
        hint: 'keep its default, ${{ github.token }}, with permissions: deployments: write.',
      },
    );
  }
  const namespace = getOptionalString('namespace');
  if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    throw invalidInput(
      'namespace',
      namespace,
      'expected a namespace name: up to 63 lowercase letters, digits and -',
    );
  }
  const kubeconfig = getOptionalString('kubeconfig');
  const context = getOptionalString('context');
  const cluster =
    platform === 'kubernetes' || kubeconfig !== undefined || context !== undefined
      ? await resolveKubernetesCluster(env, kubeconfig, context)
      : undefined;
  return {
    platform,
    source,
    toRevision,
    namespace,
    cluster,
    ecs,
    ...record,
    ...settings,
  };
}

function readSource(): TargetSource {
  const workloadsText = getList('workloads');
  const selector = getOptionalString('selector');
  const fromDeployment = getOptionalString('from-deployment');
  const given = [
    workloadsText.length > 0 ? 'workloads' : undefined,
    selector !== undefined ? 'selector' : undefined,
    fromDeployment !== undefined ? 'from-deployment' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (given.length > 1) {
    throw new ConfigurationError(
      `Inputs ${given.map((name) => `"${name}"`).join(' and ')} exclude each other: give one way to name what is rolled back.`,
      { input: given[1] },
    );
  }
  if (fromDeployment !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(fromDeployment) || !Number.isSafeInteger(Number(fromDeployment))) {
      throw invalidInput(
        'from-deployment',
        fromDeployment,
        'expected the id of a GitHub deployment, a positive whole number',
      );
    }
    return { kind: 'from-deployment', id: Number(fromDeployment) };
  }
  if (selector !== undefined) {
    const problem = labelSelectorProblem(selector);
    if (problem) throw invalidInput('selector', selector, `not a label selector: ${problem}`);
    return { kind: 'selector', selector };
  }
  if (workloadsText.length > 0) {
    const workloads: WorkloadRef[] = [];
    for (const text of workloadsText) {
      const ref = parseWorkloadRef(text);
      if (!ref) throw invalidInput('workloads', text, WORKLOAD_REF_ACCEPTED);
      if (workloads.some((other) => other.kind === ref.kind && other.name === ref.name)) {
        throw invalidInput('workloads', text, `${ref.kind} ${ref.name} is listed twice`);
      }
      workloads.push(ref);
    }
    return { kind: 'workloads', workloads };
  }
  return { kind: 'environment' };
}

function readToRevision(source: TargetSource): number | undefined {
  const text = getOptionalString('to-revision');
  if (text === undefined) return undefined;
  if (source.kind === 'from-deployment') {
    throw new ConfigurationError(
      'Inputs "to-revision" and "from-deployment" exclude each other: the deployment record says what to restore.',
      { input: 'to-revision' },
    );
  }
  return getInteger('to-revision', { default: 0, min: 0, max: 2 ** 31 - 1 });
}

/**
 * The platform from the `platform` input or the inputs given; undefined when only a deployment
 * record can say (from-deployment, environment alone). Inputs of two platforms are refused.
 */
function readPlatform(
  input: Platform | undefined,
  source: TargetSource,
  ecs: EcsInputs,
): Platform | undefined {
  const ecsGiven = ECS_INPUTS.filter((name) =>
    name === 'to-task-definition' ? ecs.toTaskDefinition !== undefined : ecs[name] !== undefined,
  );
  const kubernetesGiven = [
    ...(source.kind === 'workloads' || source.kind === 'selector' ? [source.kind] : []),
    ...['to-revision', 'namespace', 'kubeconfig', 'context'].filter(
      (name) => getOptionalString(name) !== undefined,
    ),
  ];
  if (ecsGiven.length > 0 && kubernetesGiven.length > 0) {
    throw new ConfigurationError(
      `Inputs "${kubernetesGiven[0]}" (Kubernetes) and "${ecsGiven[0]}" (ECS) name two platforms: give the inputs of one.`,
      { input: ecsGiven[0] },
    );
  }
  const inferred = ecsGiven.length > 0 ? 'ecs' : kubernetesGiven.length > 0 ? 'kubernetes' : undefined;
  if (input && inferred && input !== inferred) {
    const given = (inferred === 'ecs' ? ecsGiven : kubernetesGiven)[0];
    throw invalidInput('platform', input, `the input "${given}" is one of ${inferred}`);
  }
  return input ?? inferred;
}

/** The cluster credentials as deploy-k8s reads them: the inputs, else KUBECONFIG, ~/.kube/config, in-cluster. */
export function resolveKubernetesCluster(
  env: Record<string, string | undefined>,
  kubeconfig?: string,
  context?: string,
): Promise<KubeconfigSource> {
  return resolveKubeconfig({ input: kubeconfig, context, env, cwd: env.GITHUB_WORKSPACE || process.cwd() });
}
