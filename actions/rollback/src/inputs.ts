import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getInteger,
  getList,
  getOptionalString,
  invalidInput,
} from '../../../shared/src/inputs.ts';
import { resolveKubeconfig, type KubeconfigSource } from '../../../shared/src/kubernetes/kubeconfig.ts';
import { labelSelectorProblem } from '../../../shared/src/kubernetes/label-selector.ts';
import { readRecordInputs, type RecordInputs } from '../../../shared/src/github/record-inputs.ts';
import { parseWorkloadRef, WORKLOAD_REF_ACCEPTED, type WorkloadRef } from './kubernetes/workload-refs.ts';
import { PLATFORMS, type Platform } from './platform.ts';

/**
 * Everything the rollback needs, read and checked before any request to the cluster or to GitHub:
 * which workloads (named, selected, or taken from a deployment record), which revision, the
 * cluster credentials, and how to record the rollback. Inputs that exclude each other are refused
 * together here, never half-applied later.
 */
export type TargetSource =
  | { kind: 'workloads'; workloads: WorkloadRef[] }
  | { kind: 'selector'; selector: string }
  /** Restore exactly what this GitHub deployment recorded. */
  | { kind: 'from-deployment'; id: number }
  /** Only an environment: its latest record says what to roll back. */
  | { kind: 'environment' };

export interface RollbackInputs extends RecordInputs {
  /** Undefined until a deployment record says (from-deployment, environment alone). */
  platform: Platform | undefined;
  source: TargetSource;
  /** Undefined when not given; 0 means the previous revision, as in kubectl. */
  toRevision: number | undefined;
  namespace: string | undefined;
  cluster: KubeconfigSource;
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
  const source = readSource();
  const toRevision = readToRevision(source);
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
  const cluster = await resolveKubeconfig({
    input: getOptionalString('kubeconfig'),
    context: getOptionalString('context'),
    env,
    cwd: env.GITHUB_WORKSPACE || process.cwd(),
  });
  return {
    platform: (platformInput as Platform | undefined) ?? (needsRecords ? undefined : 'kubernetes'),
    source,
    toRevision,
    namespace,
    cluster,
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
