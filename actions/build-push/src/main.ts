import { join } from 'node:path';
import { awsClientConfig } from '../../../shared/src/aws.ts';
import { ActionError, ConfigurationError } from '../../../shared/src/errors.ts';
import { getState, saveState } from '../../../shared/src/runner/file-commands.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { buildahBuilder } from './builders/buildah.ts';
import { dockerBuilder } from './builders/docker.ts';
import type { BuildCommand, Builder, BuildOptions, BuildOutcome, BuildRequest } from './builders/types.ts';
import { runnerTemp } from './builders/work-dir.ts';
import { removeAuthFile, writeAuthFile, type RegistryCredential } from './credentials/auth-file.ts';
import { readInputs, type BuildPushInputs } from './inputs.ts';
import { annotationLines } from './metadata/annotations.ts';
import { computeTags } from './metadata/compute-tags.ts';
import { readGitHubContext } from './metadata/github-context.ts';
import { ociLabels } from './metadata/labels.ts';
import type { ExistingTag } from './registry/ecr.ts';
import { compareExistingTags } from './registry/immutable-tags.ts';
import type { ManifestInfo } from './registry/manifest-client.ts';
import { planRegistries, type PlannedRegistry } from './registry/registry-plan.ts';
import { buildSummary, type BuildReport } from './report.ts';

export interface BuildPushOutputs {
  image: string;
  digest: string;
  imageid: string;
  tags: string;
  labels: string;
  annotations: string;
  version: string;
  metadata: object;
}

/** The post step finds the credentials file through this state, even when the main step failed. */
const AUTH_FILE_STATE = 'auth-file';

export async function run({ signal }: ActionContext): Promise<void> {
  const inputs = await readInputs(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const context = await readGitHubContext();
  const computed = computeTags({
    images: inputs.images.map((image) => image.name),
    rules: inputs.tagRules,
    flavor: inputs.flavor,
    context,
  });
  for (const warning of computed.warnings) log.warning(warning);
  if (inputs.push && computed.tags.length === 0) {
    throw new ConfigurationError(
      `No tag rule produced a tag for this ${context.eventName} event on ${context.ref}, so there is nothing to push.`,
      { input: 'tags', hint: 'add a rule that always applies, such as type=sha, or set push: false' },
    );
  }
  const labels = ociLabels(context, computed.version, inputs.labels);
  const registries = planRegistries(inputs.images, inputs.registryType);
  const ecrRegistries = registries.filter((registry) => registry.kind === 'ecr');
  // `registries` are logged in to even when no image is in ECR: private base images in ECR.
  const ecrLogin = ecrRegistries.length > 0 || inputs.registryIds.length > 0;
  // Checked now, before anything is built: a region that cannot be found fails at once.
  for (const registry of ecrRegistries) awsClientConfig({ region: inputs.awsRegion ?? registry.region });
  if (ecrRegistries.length === 0 && ecrLogin) awsClientConfig({ region: inputs.awsRegion });
  // Without images the tags are bare (`1.2.3`): outputs only, never image names for the builder.
  const request = buildRequest(
    inputs,
    inputs.images.length > 0 ? computed.tags : [],
    labels,
    context.commitDate,
  );
  const builder = createBuilder(inputs);
  const notes = inputs.dryRun
    ? []
    : (await log.group(`Checking ${builder.name}`, () => builder.prepare(signal))).notes;
  for (const note of notes) log.warning(note);
  const command = builder.command(request, {
    workDir: join(runnerTemp(), 'gantry-build-XXXXXX'),
    authFile: undefined,
  });
  const { separators } = inputs;
  const baseOutputs = {
    tags: computed.tags.join(separators.tags),
    labels: formatLabels(labels, separators.labels),
    annotations: annotationLines(ociLabels(context, computed.version, {})).join(separators.annotations),
    version: computed.version ?? '',
  };

  if (inputs.dryRun) {
    log.info(`Dry run: ${command.command} ${command.args.join(' ')}`);
    setOutputs<BuildPushOutputs>({
      ...baseOutputs,
      image: '',
      digest: '',
      imageid: '',
      metadata: { 'dry-run': true, command: [command.command, ...command.args].join(' ') },
    });
    await buildSummary({
      ...baseReport(builder, inputs, computed.tags, request, command),
      dryRun: true,
    }).write();
    return;
  }

  const credentials: RegistryCredential[] = genericCredentials(registries, inputs);
  let existing = new Map<string, ExistingTag>();
  if (ecrLogin) {
    const { prepareEcr } = await import('./registry/ecr-session.ts');
    const prepared = await log.group('Logging in to ECR', () =>
      prepareEcr(ecrRegistries, tagsByImage(computed.tags), inputs),
    );
    credentials.push(...prepared.credentials);
    existing = prepared.existingImmutableTags;
  }
  const authFile =
    credentials.length > 0
      ? await writeAuthFile(credentials, runnerTemp(), builder.runnerLogins())
      : undefined;
  if (authFile) saveState(AUTH_FILE_STATE, authFile);

  const started = Date.now();
  const built = await buildAndPush(builder, request, existing, {
    signal,
    pushTimeoutMs: inputs.pushTimeoutMs,
    authFile,
  });
  const durationMs = Date.now() - started;
  // Read whenever the image is in the registry, pushed now or by an earlier run (immutable tags).
  const manifest = inputs.push
    ? await readPushedManifest(inputs, credentials, request.tags, signal)
    : undefined;
  const digest = built.outcome.digest ?? built.existingDigest ?? manifest?.digest;
  if (inputs.push && !digest)
    throw new ActionError('The image was pushed but no digest could be read back from the registry.');

  const firstImage = inputs.images[0]?.name ?? '';
  setOutputs<BuildPushOutputs>({
    ...baseOutputs,
    image: digest ? `${firstImage}@${digest}` : '',
    digest: digest ?? '',
    imageid: built.outcome.imageId ?? '',
    metadata: {
      ...built.outcome.metadata,
      digest,
      'image-id': built.outcome.imageId,
      'duration-ms': durationMs,
    },
  });
  await buildSummary({
    ...baseReport(builder, inputs, computed.tags, request, command),
    notes,
    digest,
    imageId: built.outcome.imageId,
    sizeBytes: manifest?.sizeBytes,
    durationMs,
    alreadyPresent: built.alreadyPresent,
    cache: cacheUse(built.outcome.metadata),
  }).write();
}

/** The post step: remove the registry credentials written for the builder, whatever happened before. */
export async function post(): Promise<void> {
  const authFile = getState(AUTH_FILE_STATE);
  if (!authFile) return;
  await removeAuthFile(authFile);
  log.info('Removed the registry credentials written for the build.');
}

interface BuildResult {
  outcome: BuildOutcome;
  /** The digest an immutable tag already held when every tag was already there. */
  existingDigest: string | undefined;
  alreadyPresent: string[];
}

/**
 * Tags that already exist in an immutable repository cannot be pushed again. A re-run that built the
 * same image (same config digest) is fine: those tags are skipped. A different image under such a
 * tag is an error, found before anything is pushed, by building once without pushing first.
 */
async function buildAndPush(
  builder: Builder,
  request: BuildRequest,
  existing: Map<string, ExistingTag>,
  options: BuildOptions,
): Promise<BuildResult> {
  const taken = request.tags.filter((tag) => existing.has(tag));
  if (taken.length === 0) {
    return {
      outcome: await log.group(`Building with ${builder.name}`, () => builder.build(request, options)),
      existingDigest: undefined,
      alreadyPresent: [],
    };
  }
  const local = await log.group(`Building with ${builder.name} (before checking immutable tags)`, () =>
    builder.build({ ...request, push: false, reportImageId: true }, options),
  );
  const check = compareExistingTags(taken, existing, local.imageId);
  const detail = (tags: string[]): string =>
    tags.map((tag) => `${tag} -> ${existing.get(tag)?.digest}`).join(', ');
  const hint =
    'an immutable tag cannot be moved: compute a new tag (for example type=sha) or use a mutable repository';
  if (check.different.length > 0) {
    throw new ActionError(
      `These tags already exist in immutable repositories and hold a different image than the one built (${local.imageId}): ${detail(check.different)}.`,
      { hint },
    );
  }
  if (check.unknown.length > 0) {
    const why =
      local.imageId === undefined
        ? `${builder.name} reported no image ID for the build`
        : 'they hold a multi-platform index, which has no config digest to compare';
    throw new ActionError(
      `These tags already exist in immutable repositories, and whether they hold the image built cannot be told (${why}): ${detail(check.unknown)}.`,
      { hint },
    );
  }
  for (const tag of taken)
    log.info(`${tag} already points at this image in an immutable repository; not pushed again.`);
  const remaining = request.tags.filter((tag) => !existing.has(tag));
  if (remaining.length === 0) {
    return {
      outcome: local,
      existingDigest: existing.get(taken[0] as string)?.digest,
      alreadyPresent: taken,
    };
  }
  const outcome = await log.group(`Pushing with ${builder.name}`, () =>
    builder.build({ ...request, tags: remaining }, options),
  );
  return { outcome, existingDigest: undefined, alreadyPresent: taken };
}

function buildRequest(
  inputs: BuildPushInputs,
  tags: string[],
  labels: Record<string, string>,
  commitDate: Date,
): BuildRequest {
  return {
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: inputs.buildArgs,
    secrets: [...inputs.secrets, ...inputs.build.secretEnvs],
    platforms: inputs.platforms,
    labels,
    tags,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo,
    push: inputs.push,
    load: inputs.load,
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    noCache: inputs.noCache,
    settings: inputs.build,
    pull: inputs.pull,
    sourceDateEpoch: Math.floor(commitDate.getTime() / 1000),
    reportImageId: false,
  };
}

function createBuilder(inputs: BuildPushInputs): Builder {
  return inputs.builder === 'buildah'
    ? buildahBuilder({ insecureRegistries: inputs.insecureRegistries })
    : dockerBuilder();
}

/**
 * username/password log in to every registry that is not ECR; without them the runner's own login is
 * used. Also without push: the build pulls its base images with them (docker/login-action's login
 * does not depend on pushing either).
 */
function genericCredentials(registries: PlannedRegistry[], inputs: BuildPushInputs): RegistryCredential[] {
  if (!inputs.login) return [];
  const { username, password } = inputs.login;
  return registries
    .filter((registry) => registry.kind === 'generic')
    .map((registry) => ({ registry: registry.host, username, password }));
}

/** For the size in the summary (and the digest, when the builder reports none): best effort. */
async function readPushedManifest(
  inputs: BuildPushInputs,
  credentials: RegistryCredential[],
  tags: string[],
  signal: AbortSignal,
): Promise<ManifestInfo | undefined> {
  const image = inputs.images[0];
  const first = tags.find((tag) => image && tag.startsWith(`${image.name}:`));
  if (!image || !first) return undefined;
  const tag = first.slice(image.name.length + 1);
  const login = credentials.find((credential) => credential.registry === image.registry);
  try {
    // Loaded here, not at start: its HTTP client (undici) is only needed once something was pushed.
    const { readManifest } = await import('./registry/manifest-client.ts');
    return await readManifest(image, tag, {
      login,
      insecure: inputs.insecureRegistries.includes(image.registry),
      timeoutMs: 30_000,
      signal,
    });
  } catch (error) {
    log.warning(
      `Could not read the pushed manifest back from ${image.registry}: ${(error as Error).message}`,
    );
    return undefined;
  }
}

function tagsByImage(tags: string[]): Map<string, string[]> {
  const byImage = new Map<string, string[]>();
  for (const full of tags) {
    const colon = full.lastIndexOf(':');
    const name = full.slice(0, colon);
    byImage.set(name, [...(byImage.get(name) ?? []), full.slice(colon + 1)]);
  }
  return byImage;
}

function formatLabels(labels: Record<string, string>, separator: string): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(separator);
}

function baseReport(
  builder: Builder,
  inputs: BuildPushInputs,
  tags: string[],
  request: BuildRequest,
  command: BuildCommand,
): BuildReport {
  return {
    dryRun: false,
    builder: builder.name,
    call: inputs.build.call,
    notes: [],
    images: inputs.images.map((image) => image.name),
    tags,
    labels: request.labels,
    digest: undefined,
    imageId: undefined,
    sizeBytes: undefined,
    durationMs: undefined,
    alreadyPresent: [],
    cache: undefined,
    command,
  };
}

/** The builder's count of build steps its cache served, where it reports one (buildah does). */
function cacheUse(metadata: Record<string, unknown>): BuildReport['cache'] {
  const steps = metadata['buildah.steps'];
  const hits = metadata['buildah.cache-hits'];
  return typeof steps === 'number' && typeof hits === 'number' && steps > 0 ? { steps, hits } : undefined;
}
