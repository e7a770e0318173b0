import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import { exec, ExecError } from '../../../../shared/src/process/exec.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { RetryVerdict } from '../../../../shared/src/async/retry.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';
import { parseImageReference } from '../image-name.ts';
import { classifyPushFailure, pushWithRetry } from '../push-retry.ts';
import { parseBuildkitVersion, rewritesTimestamps } from './buildkit-version.ts';
import type {
  BuildCommand,
  Builder,
  BuilderReadiness,
  BuildOptions,
  BuildOutcome,
  BuildPaths,
  BuildRequest,
} from './types.ts';
import { withWorkDir } from './work-dir.ts';

/**
 * `docker buildx build`, the builder of GitHub-hosted runners, with the argument list in the order
 * docker/build-push-action (src/context.ts) builds it, so its users find the same command in the log.
 */

export interface DockerOptions {
  /** The runner's docker configuration directory; by default `DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
}

const PROGRAM = 'docker';
const INSTALL_HINT = 'set up docker buildx first, for example with docker/setup-buildx-action';
const IID_FILE = 'image-id';
const METADATA_FILE = 'metadata.json';

export function dockerBuilder(options: DockerOptions = {}): Builder {
  const configDir = (): string =>
    options.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  // Until `prepare` finds an older BuildKit, exports rewrite the layers' file times (BuildKit >= 0.13).
  const exporter: ExporterOptions = { rewriteTimestamp: true };
  return {
    name: PROGRAM,
    prepare: async (signal) => {
      const readiness = await checkBuildkit(signal);
      exporter.rewriteTimestamp = readiness.rewriteTimestamp;
      return readiness;
    },
    // A push is a build, then the same command again with --push (see `build`): the build is shown.
    command: (request, paths) =>
      buildCommand(request.push ? buildPhase(request) : request, paths, configDir(), exporter),
    build: (request, buildOptions) => build(request, buildOptions, configDir(), exporter),
    runnerLogins: () => ({ files: [join(configDir(), 'config.json')], credsStore: true }),
  };
}

/** How the image is exported, decided by the builder's BuildKit version (see `prepare`). */
interface ExporterOptions {
  rewriteTimestamp: boolean;
}

function buildCommand(
  request: BuildRequest,
  paths: BuildPaths,
  runnerConfigDir: string,
  exporter: ExporterOptions,
): BuildCommand {
  const env: Record<string, string> = {};
  const { settings } = request;
  const args = ['buildx', 'build'];
  for (const host of settings.addHosts) args.push('--add-host', host);
  for (const entitlement of settings.allow) args.push('--allow', entitlement);
  for (const annotation of settings.annotations) args.push('--annotation', annotation);
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  for (const context of settings.buildContexts) args.push('--build-context', context);
  const scope = defaultCacheScope(request.tags);
  for (const entry of request.cacheFrom) args.push('--cache-from', withGhaScope(entry, scope));
  for (const entry of request.cacheTo) args.push('--cache-to', withGhaScope(entry, scope));
  if (settings.call) args.push('--call', settings.call);
  if (settings.cgroupParent) args.push('--cgroup-parent', settings.cgroupParent);
  // Values travel in the environment of the docker process alone (build-push-action's `secret-envs`).
  request.secrets.forEach((secret, index) => {
    if (secret.env !== undefined) {
      args.push('--secret', `id=${secret.id},env=${secret.env}`);
      return;
    }
    if (secret.value === undefined) return;
    const name = `GANTRY_SECRET_${index}`;
    maskSecret(secret.value);
    env[name] = secret.value;
    args.push('--secret', `id=${secret.id},env=${name}`);
  });
  if (request.file) args.push('--file', request.file);
  // build-push-action's rule: the local and tar exporters write files, not an image with an ID.
  if (!settings.outputs.some((output) => /(?:^|,)type=(?:local|tar)(?:,|$)|^[^=]+$/.test(output))) {
    args.push('--iidfile', join(paths.workDir, IID_FILE));
  }
  for (const [name, value] of Object.entries(request.labels)) args.push('--label', `${name}=${value}`);
  for (const filter of settings.noCacheFilters) args.push('--no-cache-filter', filter);
  for (const output of settings.outputs) args.push('--output', output);
  const rewrite =
    exporter.rewriteTimestamp && request.sourceDateEpoch !== undefined ? ',rewrite-timestamp=true' : '';
  // Without an export buildx reports no image ID (docker/buildx#1712); this one keeps the image in the
  // builder's store (with the docker driver, the daemon's) and pushes nothing. --load exports already.
  if (request.reportImageId && !request.push && !request.load && settings.outputs.length === 0) {
    args.push('--output', `type=image,push=false${rewrite}`);
  }
  if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
  args.push(...attestArgs(request));
  request.secrets.forEach((secret) => {
    if (secret.value === undefined && secret.file !== undefined) {
      args.push('--secret', `id=${secret.id},src=${secret.file}`);
    } else if (secret.value === undefined && secret.env === undefined) {
      throw new ActionError(`the build secret "${secret.id}" has neither a value, a file nor a variable`);
    }
  });
  if (settings.shmSize) args.push('--shm-size', settings.shmSize);
  for (const ssh of settings.ssh) args.push('--ssh', ssh);
  for (const tag of request.tags) args.push('--tag', tag);
  if (request.target) args.push('--target', request.target);
  for (const ulimit of settings.ulimits) args.push('--ulimit', ulimit);
  // --load and --push are buildx's shorthands for these exporters, which take no options.
  if (request.load) args.push(...(rewrite ? ['--output', `type=docker${rewrite}`] : ['--load']));
  args.push('--metadata-file', join(paths.workDir, METADATA_FILE));
  if (settings.network) args.push('--network', settings.network);
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  if (request.push) args.push(...(rewrite ? ['--output', `type=registry${rewrite}`] : ['--push']));
  args.push(request.context);
  // buildx passes SOURCE_DATE_EPOCH to BuildKit, which stamps the image config and history with it.
  if (request.sourceDateEpoch !== undefined) env.SOURCE_DATE_EPOCH = String(request.sourceDateEpoch);
  if (paths.authFile) {
    env.DOCKER_CONFIG = dirname(paths.authFile);
    // Builders made by docker/setup-buildx-action are kept under the runner's config directory.
    env.BUILDX_CONFIG = process.env.BUILDX_CONFIG ?? join(runnerConfigDir, 'buildx');
  }
  return { command: PROGRAM, args, env };
}

/**
 * provenance and sbom are explicit either way: buildx adds provenance by default, which turns a
 * single-platform image into a manifest list; when asked for, the default (min) mode, which leaves
 * build arguments out. An `attests` entry of the same type replaces the `false` (the inputs take
 * precedence only when true, as in build-push-action).
 */
function attestArgs(request: BuildRequest): string[] {
  const { attests } = request.settings;
  const isType = (attest: string, type: string): boolean =>
    new RegExp(`(?:^|,)type=${type}(?:,|$)`).test(attest);
  const args: string[] = [];
  const provenanceAttest = attests.some((attest) => isType(attest, 'provenance'));
  const sbomAttest = attests.some((attest) => isType(attest, 'sbom'));
  if (request.provenance || !provenanceAttest)
    args.push(request.provenance ? '--provenance=true' : '--provenance=false');
  if (request.sbom || !sbomAttest) args.push(request.sbom ? '--sbom=true' : '--sbom=false');
  for (const attest of attests) {
    if (request.provenance && isType(attest, 'provenance')) continue;
    if (request.sbom && isType(attest, 'sbom')) continue;
    args.push('--attest', attest);
  }
  return args;
}

/**
 * Asks BuildKit's version (build-push-action's toolkit does the same): rewrite-timestamp needs 0.13.
 * A builder that cannot be asked is not a reason to fail here; the build will say what is wrong.
 */
async function checkBuildkit(signal: AbortSignal): Promise<BuilderReadiness & { rewriteTimestamp: boolean }> {
  let output: string;
  try {
    output = (
      await exec(PROGRAM, ['buildx', 'inspect', '--bootstrap'], {
        signal,
        captureStdout: true,
        silent: true,
        installHint: INSTALL_HINT,
      })
    ).stdout;
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      rewriteTimestamp: false,
      notes: [
        `BuildKit's version could not be read (docker buildx inspect: ${(error as Error).message}), so the layers keep the checkout's file times: a re-run of this commit builds a different image.`,
      ],
    };
  }
  const version = parseBuildkitVersion(output);
  if (version && rewritesTimestamps(version)) return { rewriteTimestamp: true, notes: [] };
  return {
    rewriteTimestamp: false,
    notes: [
      `BuildKit ${version?.text ?? '(version not reported)'} is older than 0.13, which cannot rewrite the layers' file times (rewrite-timestamp): ` +
        'a re-run of this commit builds a different image, so it cannot match the image an immutable tag already holds. Update BuildKit (docker/setup-buildx-action) to make re-runs reproducible.',
    ],
  };
}

/** The first image's name, so that images built in one repository keep apart in the gha cache. */
function defaultCacheScope(tags: string[]): string | undefined {
  const first = tags[0] === undefined ? undefined : parseImageReference(tags[0]);
  return first?.ok ? first.value.name : undefined;
}

function withGhaScope(entry: string, scope: string | undefined): string {
  const fields = entry.split(',').map((field) => field.trim());
  const isGha = fields.includes('type=gha');
  if (!isGha || scope === undefined || fields.some((field) => field.startsWith('scope='))) return entry;
  return `${entry},scope=${scope}`;
}

async function build(
  request: BuildRequest,
  options: BuildOptions,
  runnerConfigDir: string,
  exporter: ExporterOptions,
): Promise<BuildOutcome> {
  return withWorkDir(async (workDir) => {
    const paths = { workDir, authFile: options.authFile };
    if (options.authFile) await linkCliPlugins(dirname(options.authFile), runnerConfigDir);
    const secrets = request.secrets.flatMap((secret) => (secret.value === undefined ? [] : [secret.value]));
    const run = (phase: BuildRequest, signal: AbortSignal): Promise<unknown> => {
      const { command, args, env } = buildCommand(phase, paths, runnerConfigDir, exporter);
      return exec(command, args, { env, signal, secrets, installHint: INSTALL_HINT });
    };
    // The build is bounded by the step's cancellation alone: cutting a long build short at the push
    // deadline would be wrong, so it runs before the deadline starts.
    await run(request.push ? buildPhase(request) : request, options.signal);
    if (request.push) {
      // Pushing starts now, and the deadline with it. Each run finds every step in the builder's cache
      // and goes straight to pushing; pushWithRetry stops a run that hangs at the deadline.
      const what = `pushing ${request.tags.join(', ')}`;
      await pushWithRetry(what, (signal) => run(pushPhase(request), signal), {
        deadline: new Deadline(options.pushTimeoutMs, what),
        signal: options.signal,
        classify: pushFailure,
      });
    }
    const metadata = await readMetadata(join(workDir, METADATA_FILE));
    const imageId = await readImageId(join(workDir, IID_FILE), metadata, request);
    const digest = metadata['containerimage.digest'];
    if (request.push && (typeof digest !== 'string' || digest === '')) {
      throw new ActionError('docker buildx pushed, but its metadata file has no containerimage.digest');
    }
    return { imageId, digest: request.push ? (digest as string) : undefined, metadata };
  });
}

/**
 * The build of a push: everything the user asked for (cache export, --no-cache, --pull, --load)
 * except the push, with the image exported to the builder's own store so that its layers are
 * compressed, and its ID known, before pushing starts.
 */
function buildPhase(request: BuildRequest): BuildRequest {
  return { ...request, push: false, reportImageId: true };
}

/**
 * The push: the same build, so it is served from the builder's cache, without what must happen once
 * (cache export, loading) and without what would defeat the cache (--no-cache; --pull, which could
 * find a newer base image than the build used).
 */
function pushPhase(request: BuildRequest): BuildRequest {
  return { ...request, cacheTo: [], noCache: false, pull: false, load: false };
}

/**
 * With buildx's docker-container driver, a build that exports nothing leaves an empty iidfile
 * (docker/buildx#1712): no image ID is then an answer, not a failure, unless an export was asked for.
 */
async function readImageId(
  file: string,
  metadata: Record<string, unknown>,
  request: BuildRequest,
): Promise<string | undefined> {
  const written = (await readFile(file, 'utf8').catch(() => '')).trim();
  const configDigest = metadata['containerimage.config.digest'];
  const imageId = written || (typeof configDigest === 'string' ? configDigest : '');
  if (imageId !== '') return imageId;
  const exportsFiles = request.settings.outputs.length > 0 || request.settings.call !== undefined;
  if (!exportsFiles && (request.push || request.load || request.reportImageId)) {
    throw new ActionError(
      'docker buildx exported the image but reported no image ID (iidfile and metadata file)',
    );
  }
  log.info(
    'docker buildx exported nothing (push and load are false), so it reports no image ID: the imageid output is empty.',
  );
  return undefined;
}

function pushFailure(error: unknown): RetryVerdict {
  if (!(error instanceof ExecError) || !error.stderrTail.some((line) => /failed to push/i.test(line))) {
    return { transient: false };
  }
  return classifyPushFailure(error);
}

async function readMetadata(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ActionError(`docker buildx wrote a metadata file that is not JSON (${file})`, { cause: error });
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/**
 * With DOCKER_CONFIG pointing at the credentials' directory, docker would no longer see the plugins
 * installed for the runner's user (setup-buildx-action puts a pinned buildx there), nor the docker
 * contexts that the copied `currentContext` names: link them in.
 */
async function linkCliPlugins(authDir: string, runnerConfigDir: string): Promise<void> {
  for (const name of ['cli-plugins', 'contexts']) {
    const source = join(runnerConfigDir, name);
    if (!existsSync(source)) continue;
    try {
      await symlink(source, join(authDir, name));
    } catch (error) {
      // An earlier build with the same credentials linked them already.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
