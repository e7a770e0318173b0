import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Deadline } from '../../../../shared/src/deadline.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import { exec, ExecError } from '../../../../shared/src/exec.ts';
import * as log from '../../../../shared/src/log.ts';
import type { RetryVerdict } from '../../../../shared/src/retry.ts';
import { maskSecret } from '../../../../shared/src/secrets.ts';
import { parseImageReference } from '../image-name.ts';
import { classifyPushFailure, pushWithRetry } from '../push-retry.ts';
import type { BuildCommand, Builder, BuildOptions, BuildOutcome, BuildPaths, BuildRequest } from './types.ts';
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
  return {
    name: PROGRAM,
    // A push is a build, then the same command again with --push (see `build`): the build is shown.
    command: (request, paths) =>
      buildCommand(request.push ? buildPhase(request) : request, paths, configDir()),
    build: (request, buildOptions) => build(request, buildOptions, configDir()),
    runnerLogins: () => ({ files: [join(configDir(), 'config.json')], credsStore: true }),
  };
}

function buildCommand(request: BuildRequest, paths: BuildPaths, runnerConfigDir: string): BuildCommand {
  const env: Record<string, string> = {};
  const args = ['buildx', 'build'];
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  const scope = defaultCacheScope(request.tags);
  for (const entry of request.cacheFrom) args.push('--cache-from', withGhaScope(entry, scope));
  for (const entry of request.cacheTo) args.push('--cache-to', withGhaScope(entry, scope));
  // Values travel in the environment of the docker process alone (build-push-action's `secret-envs`).
  request.secrets.forEach((secret, index) => {
    if (secret.value === undefined) return;
    const name = `GANTRY_SECRET_${index}`;
    maskSecret(secret.value);
    env[name] = secret.value;
    args.push('--secret', `id=${secret.id},env=${name}`);
  });
  if (request.file) args.push('--file', request.file);
  args.push('--iidfile', join(paths.workDir, IID_FILE));
  for (const [name, value] of Object.entries(request.labels)) args.push('--label', `${name}=${value}`);
  // Without an export buildx reports no image ID (docker/buildx#1712); this one keeps the image in the
  // builder's store (with the docker driver, the daemon's) and pushes nothing. --load exports already.
  if (request.reportImageId && !request.push && !request.load) {
    args.push('--output', 'type=image,push=false');
  }
  if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
  // Explicit either way: buildx adds provenance by default, which turns a single-platform image into
  // a manifest list. When asked for, the default (min) mode, which leaves build arguments out.
  args.push(request.provenance ? '--provenance=true' : '--provenance=false');
  args.push(request.sbom ? '--sbom=true' : '--sbom=false');
  request.secrets.forEach((secret) => {
    if (secret.value === undefined && secret.file !== undefined) {
      args.push('--secret', `id=${secret.id},src=${secret.file}`);
    } else if (secret.value === undefined) {
      throw new ActionError(`the build secret "${secret.id}" has neither a value nor a file`);
    }
  });
  for (const tag of request.tags) args.push('--tag', tag);
  if (request.target) args.push('--target', request.target);
  if (request.load) args.push('--load');
  args.push('--metadata-file', join(paths.workDir, METADATA_FILE));
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  if (request.push) args.push('--push');
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
): Promise<BuildOutcome> {
  return withWorkDir(async (workDir) => {
    const paths = { workDir, authFile: options.authFile };
    if (options.authFile) await linkCliPlugins(dirname(options.authFile), runnerConfigDir);
    const secrets = request.secrets.flatMap((secret) => (secret.value === undefined ? [] : [secret.value]));
    const run = (phase: BuildRequest, signal: AbortSignal): Promise<unknown> => {
      const { command, args, env } = buildCommand(phase, paths, runnerConfigDir);
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
  if (request.push || request.load || request.reportImageId) {
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
 * installed for the runner's user (setup-buildx-action puts a pinned buildx there): link them in.
 */
async function linkCliPlugins(authDir: string, runnerConfigDir: string): Promise<void> {
  const plugins = join(runnerConfigDir, 'cli-plugins');
  if (!existsSync(plugins)) return;
  try {
    await symlink(plugins, join(authDir, 'cli-plugins'));
  } catch (error) {
    // An earlier build with the same credentials linked them already.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
