import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getInteger,
  getKeyValueMap,
  getList,
  getOptionalString,
  getString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import type { AnalysisPlan } from '../../../shared/src/analysis/index.ts';
import { readRecordInputs, type RecordInputs } from '../../../shared/src/github/record-inputs.ts';
import {
  resolveKubeconfig,
  type KubeconfigSource,
} from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import {
  parseImageOverrides,
  substituteImages,
  type ImageChange,
  type ImageOverride,
} from './manifests/images.ts';
import type { Manifest } from './manifests/manifest.ts';
import { readManifestFiles } from './manifests/manifest-files.ts';
import { maskManifestSecrets } from './manifests/manifest-secrets.ts';
import { checkSecretData } from './manifests/secret-data.ts';
import { isDnsLabel, parseManifests } from './manifests/manifest-parse.ts';
import { labelValueProblem, qualifiedNameProblem } from '../../../shared/src/kubernetes/metadata-keys.ts';
import { planObjects } from './apply/plan.ts';
import { addMetadata } from './manifests/render.ts';
import { resolveLocally, type Resolution } from './apply/resource-resolution.ts';
import { traceabilityAnnotations } from './manifests/traceability.ts';
import {
  BLUE_GREEN_VARIABLES,
  CANARY_VARIABLES,
  TRAFFIC_VARIABLES,
} from './strategies/analysis-variables.ts';
import { checkStrategyManifests, readStrategySettings } from './strategies/strategy-inputs.ts';
import type { StrategySettings } from './strategies/strategy-settings.ts';

/**
 * Everything deploy-k8s needs, read and checked before the Kubernetes client is even loaded: the
 * inputs, the cluster credentials, and the manifests parsed and rendered. A mistake in any of them
 * stops the step here, with nothing sent to the cluster.
 */
export interface DeployInputs {
  manifests: Manifest[];
  resolution: Resolution;
  images: ImageOverride[];
  imageChanges: ImageChange[];
  /** The namespace of objects that name none: the input, else the context's, else `default`. */
  namespace: string;
  cluster: KubeconfigSource;
  fieldManager: string;
  forceConflicts: boolean;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  maxRestarts: number;
  rollbackOnFailure: boolean;
  /** How the deploy is recorded as a GitHub deployment. */
  record: RecordInputs;
  /** `strategy` and the inputs of progressive delivery. */
  strategy: StrategySettings;
  /** The `analysis` input, read and checked; undefined when not given. */
  analysis: AnalysisPlan | undefined;
}

const HOUR = 3_600_000;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export async function readInputs(
  env: Record<string, string | undefined> = process.env,
): Promise<DeployInputs> {
  const entries = getList('manifests', { required: true });
  const images = parseImageOverrides(getList('images'));
  const namespaceInput = getOptionalString('namespace');
  if (namespaceInput !== undefined && !isDnsLabel(namespaceInput)) {
    throw invalidInput(
      'namespace',
      namespaceInput,
      'expected a namespace name: up to 63 lowercase letters, digits and -',
    );
  }
  const labels = checkedMap('labels', true);
  const annotations = checkedMap('annotations', false);
  const fieldManager = getString('field-manager', { default: 'gantry' });
  if (fieldManager.length > 128 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(fieldManager)) {
    throw invalidInput('field-manager', fieldManager, 'expected 1 to 128 printable ASCII characters');
  }
  const settings = {
    fieldManager,
    forceConflicts: getBoolean('force-conflicts', false),
    dryRun: getBoolean('dry-run', false),
    wait: getBoolean('wait', true),
    timeoutMs: getDuration('timeout', { default: 10 * 60_000, min: 1000, max: 6 * HOUR }),
    maxRestarts: getInteger('max-restarts', { default: 3, min: 0, max: 1000 }),
    rollbackOnFailure: getBoolean('rollback-on-failure', true),
    record: readRecordInputs(),
    strategy: readStrategySettings(),
  };
  const cluster = await resolveKubeconfig({
    input: getOptionalString('kubeconfig'),
    context: getOptionalString('context'),
    env,
    cwd: workspace(env),
  });
  const namespace = namespaceInput ?? cluster.namespace ?? 'default';

  const manifests = await parseManifests(await readManifestFiles(entries, workspace(env)));
  maskManifestSecrets(manifests);
  checkSecretData(manifests);
  const imageChanges = substituteImages(manifests, images);
  addMetadata(manifests, labels, { ...traceabilityAnnotations(env), ...annotations });
  const resolution = resolveLocally(manifests);
  // Checks namespaces and duplicates of every object whose kind is known here; the custom
  // resources left to discovery are checked again with the rest once their kinds are known.
  planObjects(
    manifests.filter((manifest) => resolution.types.has(manifest)),
    resolution.types,
    namespace,
  );
  checkStrategyManifests(settings.strategy, manifests, settings);
  refuseFirstDeploymentNames(settings.strategy, manifests);
  const analysis = await readAnalysisInput(settings.strategy, workspace(env));
  return { manifests, resolution, images, imageChanges, namespace, cluster, ...settings, analysis };
}

function checkedMap(name: 'labels' | 'annotations', isLabels: boolean): Record<string, string> {
  const map = getKeyValueMap(name);
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem)
      throw invalidInput(name, `${key}=${value}`, `the key "${key}" is not valid: ${keyProblem}`);
    const valueProblem = isLabels ? labelValueProblem(value) : undefined;
    if (valueProblem) throw invalidInput(name, `${key}=${value}`, valueProblem);
  }
  if (!isLabels && JSON.stringify(map).length > MAX_ANNOTATIONS_BYTES) {
    throw new ConfigurationError(
      `Input "${name}" is larger than the 256 KiB Kubernetes allows for annotations.`,
      {
        input: name,
      },
    );
  }
  return map;
}

/**
 * The analysis engine and its parsers load only when an `analysis` is given. A `${placeholder}` the
 * strategy does not fill (strategies/analysis-variables.ts) is refused here, before anything is written, rather
 * than failing every measurement after the canary or colour is up.
 */
async function readAnalysisInput(settings: StrategySettings, cwd: string): Promise<AnalysisPlan | undefined> {
  if (settings.analysisText === undefined) return undefined;
  const { checkAnalysisNeeds, readAnalysis } = await import('../../../shared/src/analysis/index.ts');
  const plan = readAnalysis(settings.analysisText, 'analysis', { workspace: cwd });
  if (plan) checkAnalysisNeeds(plan, { kubernetes: true, placeholders: analysisPlaceholders(settings) });
  return plan;
}

/**
 * One analysis covers the release, and its per-Deployment names (`${name}`, `${canary}`, ...) can
 * name one Deployment only: with several, such a check would measure the first and pass for all.
 */
function refuseFirstDeploymentNames(settings: StrategySettings, manifests: readonly Manifest[]): void {
  const deployments = manifests.filter((manifest) => manifest.object.kind === 'Deployment');
  if (settings.analysisText === undefined || deployments.length < 2) return;
  const used = new Set(
    [...settings.analysisText.matchAll(PER_DEPLOYMENT_PLACEHOLDER)].map((match) => match[0]),
  );
  if (used.size === 0) return;
  throw new ConfigurationError(
    `Input "analysis" uses ${[...used].join(', ')}, which ${used.size === 1 ? 'names' : 'name'} one Deployment, and the manifests hold ${deployments.length} (${deployments.map((item) => item.object.metadata.name).join(', ')}): the check would measure the first and decide for all.`,
    {
      input: 'analysis',
      hint: 'spell the names out in one check per Deployment (${namespace} and ${weight} stay available), or deploy each Deployment in a step of its own',
    },
  );
}

const PER_DEPLOYMENT_PLACEHOLDER = /\$\{(name|canary|service|canary-service|colour|deployment)\}/g;

function analysisPlaceholders(settings: StrategySettings): readonly string[] {
  if (settings.strategy === 'blue-green') return BLUE_GREEN_VARIABLES;
  return settings.trafficWeights.some((weight) => weight < 100) ? TRAFFIC_VARIABLES : CANARY_VARIABLES;
}

function workspace(env: Record<string, string | undefined>): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}
