import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Deadline } from '../../../../shared/src/deadline.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import { exec, ExecError } from '../../../../shared/src/exec.ts';
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
    command: (request, paths) => buildCommand(request, paths, configDir()),
    build: (request, buildOptions) => build(request, buildOptions, configDir()),
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
    const { command, args, env } = buildCommand(
      request,
      { workDir, authFile: options.authFile },
      runnerConfigDir,
    );
    if (options.authFile) await linkCliPlugins(dirname(options.authFile), runnerConfigDir);
    const secrets = request.secrets.flatMap((secret) => (secret.value === undefined ? [] : [secret.value]));
    // Each run is the whole build too: the step's cancellation stops it, while the push deadline only
    // decides whether another run may start (cutting a long build short at it would be wrong).
    const run = (): Promise<unknown> =>
      exec(command, args, { env, signal: options.signal, secrets, installHint: INSTALL_HINT });
    if (request.push) {
      // Only a failure of the push itself is worth a second run, which finds every layer in the
      // builder's cache and goes straight to pushing.
      const deadline = new Deadline(options.pushTimeoutMs, `pushing ${request.tags.join(', ')}`);
      await pushWithRetry(`pushing ${request.tags.join(', ')}`, run, {
        deadline,
        signal: options.signal,
        classify: pushFailure,
      });
    } else {
      await run();
    }
    const imageId = (await readFile(join(workDir, IID_FILE), 'utf8').catch(() => '')).trim();
    if (imageId === '') throw new ActionError('docker buildx did not write the image ID file');
    const metadata = await readMetadata(join(workDir, METADATA_FILE));
    const digest = metadata['containerimage.digest'];
    if (request.push && (typeof digest !== 'string' || digest === '')) {
      throw new ActionError('docker buildx pushed, but its metadata file has no containerimage.digest');
    }
    return { imageId, digest: request.push ? (digest as string) : undefined, metadata };
  });
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
