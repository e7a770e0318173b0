import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import { ActionError } from '../../../../shared/src/errors.ts';
import { exec } from '../../../../shared/src/process/exec.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';
import type { BuildSettings } from '../build-settings.ts';
import { parseImageReference } from '../image-name.ts';
import { pushWithRetry } from '../push-retry.ts';
import type { BuildCommand, Builder, BuildOptions, BuildOutcome, BuildPaths, BuildRequest } from './types.ts';
import { withWorkDir } from './work-dir.ts';

/**
 * buildah: daemonless, for self-hosted and rootless runners. The storage driver and isolation are the
 * runner's choice, read by buildah itself from STORAGE_DRIVER, BUILDAH_ISOLATION and
 * CONTAINERS_STORAGE_CONF; nothing here overrides them. Pushing is a step of its own per tag, so each
 * push is retried alone without building again.
 */

export interface BuildahOptions {
  /**
   * Registries (`host:port`) reached over plain HTTP or with an unverifiable certificate: pushes to
   * these, and only these, go without TLS verification.
   */
  insecureRegistries?: string[];
}

const PROGRAM = 'buildah';
const INSTALL_HINT = 'install buildah, for example with `apt-get install -y buildah`';
const IID_FILE = 'image-id';
/** A multi-platform build without tags still needs a name for its manifest list. */
const UNTAGGED_LIST = 'localhost/gantry-build:latest';

export function buildahBuilder(options: BuildahOptions = {}): Builder {
  const insecure = new Set(options.insecureRegistries ?? []);
  return {
    name: PROGRAM,
    // buildah's timestamps follow --timestamp on every version this action supports: nothing to ask.
    prepare: () => Promise.resolve({ notes: [] }),
    command: buildCommand,
    build: (request, buildOptions) => build(request, buildOptions, insecure),
    runnerLogins: () => ({ files: defaultAuthFiles(), credsStore: false }),
  };
}

/**
 * The files buildah reads credentials from when no --authfile is given, in its order (containers/image,
 * pkg/docker/config): REGISTRY_AUTH_FILE alone when set, else the `buildah login` files, then docker's.
 */
function defaultAuthFiles(): string[] {
  const env = process.env;
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE];
  const home = homedir();
  return [
    join(env.XDG_RUNTIME_DIR || `/run/containers/${process.getuid?.() ?? 0}`, 'containers', 'auth.json'),
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'),
    join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json'),
  ];
}

function buildCommand(request: BuildRequest, paths: BuildPaths): BuildCommand {
  const multiPlatform = request.platforms.length > 1;
  // Docker's format, as docker builds: the OCI format drops HEALTHCHECK, SHELL and ONBUILD.
  const args = ['build', '--format', 'docker'];
  // buildah refuses an iidfile for several images. Its layer cache ignores the platform for `FROM
  // scratch` stages (1.28 reused the amd64 layers for arm64, and the list lost a platform), so a
  // multi-platform build does without it.
  if (!multiPlatform) args.push('--iidfile', join(paths.workDir, IID_FILE), '--layers');
  if (request.file) args.push('--file', request.file);
  if (request.target) args.push('--target', request.target);
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  for (const [name, value] of Object.entries(request.labels)) args.push('--label', `${name}=${value}`);
  request.secrets.forEach((secret, index) => {
    args.push('--secret', secretFlag(secret, index, paths.workDir));
  });
  args.push(...settingsArgs(request.settings));
  if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
  if (multiPlatform) args.push('--manifest', manifestList(request));
  else for (const tag of request.tags) args.push('--tag', tag);
  if (request.sourceDateEpoch !== undefined) args.push('--timestamp', String(request.sourceDateEpoch));
  if (request.noCache) args.push('--no-cache');
  // Plain `--pull` is buildah's default ("if newer"); docker's `--pull` means always.
  if (request.pull) args.push('--pull=always');
  if (paths.authFile) args.push('--authfile', paths.authFile);
  args.push(request.context);
  return { command: PROGRAM, args, env: {} };
}

/** A secret given as a value is written to a file in the build's private directory, named by position. */
function secretFlag(secret: BuildRequest['secrets'][number], index: number, workDir: string): string {
  if (secret.value !== undefined) return `id=${secret.id},src=${join(workDir, `secret-${index}`)}`;
  if (secret.file !== undefined) return `id=${secret.id},src=${secret.file}`;
  if (secret.env !== undefined) return `id=${secret.id},env=${secret.env}`;
  throw new ActionError(`the build secret "${secret.id}" has neither a value, a file nor a variable`);
}

/**
 * build-push-action's inputs that buildah has a flag for (inputs.ts refused the others). buildx's
 * `network: default` is buildah's default network, which has no name of its own there.
 */
function settingsArgs(settings: BuildSettings): string[] {
  const args: string[] = [];
  for (const host of settings.addHosts) args.push('--add-host', host);
  for (const context of settings.buildContexts) args.push('--build-context', context);
  if (settings.cgroupParent) args.push('--cgroup-parent', settings.cgroupParent);
  if (settings.network && settings.network !== 'default') args.push('--network', settings.network);
  if (settings.shmSize) args.push('--shm-size', settings.shmSize);
  for (const ssh of settings.ssh) args.push('--ssh', ssh);
  for (const ulimit of settings.ulimits) args.push('--ulimit', ulimit);
  for (const output of settings.outputs) args.push('--output', output);
  return args;
}

function manifestList(request: BuildRequest): string {
  return request.tags[0] ?? UNTAGGED_LIST;
}

async function build(
  request: BuildRequest,
  options: BuildOptions,
  insecure: ReadonlySet<string>,
): Promise<BuildOutcome> {
  warnAboutIgnoredInputs(request);
  if (request.push && request.tags.length === 0) throw new ActionError('nothing to push: there are no tags');
  const { signal } = options;
  const multiPlatform = request.platforms.length > 1;
  return withWorkDir(async (workDir) => {
    const secretValues = await writeSecretFiles(request, workDir);
    const listId = multiPlatform ? await createManifestList(manifestList(request), signal) : undefined;
    const { command, args, env } = buildCommand(request, { workDir, authFile: options.authFile });
    const result = await exec(command, args, {
      env,
      signal,
      secrets: secretValues,
      installHint: INSTALL_HINT,
      captureStdout: true,
    });
    const imageId = listId ?? (await readNonEmpty(join(workDir, IID_FILE), 'the image ID'));
    const source = multiPlatform ? manifestList(request) : imageId;
    const pushed: { tag: string; digest: string }[] = [];
    if (request.push) {
      // One deadline for every push, started now: the build's own time does not count against it.
      const deadline = new Deadline(options.pushTimeoutMs, `pushing ${request.tags.join(', ')}`);
      for (const [index, tag] of request.tags.entries()) {
        const digestFile = join(workDir, `digest-${index}`);
        const registry = registryOf(tag);
        const args = pushArgs(source, tag, {
          multiPlatform,
          digestFile,
          authFile: options.authFile,
          verifyTls: !insecure.has(registry),
        });
        await pushWithRetry(
          `pushing ${tag} to ${registry}`,
          (attemptSignal) => exec(PROGRAM, args, { signal: attemptSignal, installHint: INSTALL_HINT }),
          { deadline, signal },
        );
        pushed.push({ tag, digest: await readNonEmpty(digestFile, `the digest buildah pushed for ${tag}`) });
      }
    }
    return outcome(request, imageId, pushed, cacheUse(result.stdout));
  });
}

function pushArgs(
  source: string,
  tag: string,
  options: { multiPlatform: boolean; digestFile: string; authFile: string | undefined; verifyTls: boolean },
): string[] {
  // `buildah push` of a manifest list pushes one of its images only: lists go through `manifest push`,
  // kept in docker's format like the images (it would make an OCI index of it otherwise).
  // `buildah push` retries network errors 3 times by itself (1.28 ignores `--retry`), 2 s apart by
  // default: kept quick, so that push-retry's backoff and deadline decide how long a push may take.
  const args = options.multiPlatform
    ? ['manifest', 'push', '--all', '--format', 'v2s2']
    : ['push', '--retry-delay', '100ms'];
  args.push('--digestfile', options.digestFile);
  if (options.authFile) args.push('--authfile', options.authFile);
  if (!options.verifyTls) args.push('--tls-verify=false');
  args.push(source, `docker://${tag}`);
  return args;
}

async function writeSecretFiles(request: BuildRequest, workDir: string): Promise<string[]> {
  const values: string[] = [];
  for (const [index, secret] of request.secrets.entries()) {
    if (secret.value === undefined) continue;
    maskSecret(secret.value);
    values.push(secret.value);
    await writeFile(join(workDir, `secret-${index}`), secret.value, { mode: 0o600, flag: 'wx' });
  }
  return values;
}

/**
 * A fresh, empty manifest list for `build --manifest` to add to, and its image ID: a list has no
 * iidfile, and the ID `manifest create` prints stays the list's as images are added. Asking
 * `buildah images` for it afterwards fails (1.28) when an instance's digest is also that of another
 * image in storage, as a rebuild of unchanged content with the same --timestamp is: libimage then
 * reads the instance's manifest from the list's own record, where it is not.
 */
async function createManifestList(list: string, signal: AbortSignal): Promise<string> {
  // `--manifest` adds to a list of that name: a list left by an earlier run would be pushed too.
  await exec(PROGRAM, ['manifest', 'rm', list], { ignoreReturnCode: true, silent: true, signal });
  const { stdout } = await exec(PROGRAM, ['manifest', 'create', list], {
    captureStdout: true,
    silent: true,
    signal,
    installHint: INSTALL_HINT,
  });
  const id = stdout.trim().split('\n').at(-1) ?? '';
  if (!/^[a-f0-9]{64}$/.test(id)) {
    throw new ActionError(
      `buildah created the manifest list ${list} but printed no image ID ("${stdout.trim()}")`,
    );
  }
  return `sha256:${id}`;
}

async function readNonEmpty(file: string, what: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim() === '') {
    throw new ActionError(`buildah did not report ${what} (${file} is missing or empty)`);
  }
  return text.trim();
}

function registryOf(tag: string): string {
  const parsed = parseImageReference(tag);
  if (!parsed.ok) throw new ActionError(`"${tag}" is not an image reference: ${parsed.reason}`);
  return parsed.value.registry;
}

/** buildah reports each build step, and `--> Using cache <id>` for the steps its layer cache served. */
function cacheUse(output: string): { steps: number; hits: number } {
  return {
    steps: (output.match(/^STEP \d+\/\d+:/gm) ?? []).length,
    hits: (output.match(/^--> Using cache /gm) ?? []).length,
  };
}

function outcome(
  request: BuildRequest,
  imageId: string,
  pushed: { tag: string; digest: string }[],
  cache: { steps: number; hits: number },
): BuildOutcome {
  const digest = pushed[0]?.digest;
  const differing = pushed.filter((push) => push.digest !== digest);
  if (differing.length > 0) {
    // A registry may store another manifest format than the one built (buildah converts as needed).
    log.warning(
      `the pushed digests differ: ${pushed.map((push) => `${push.tag} ${push.digest}`).join(', ')}; ` +
        `the digest output is the first`,
    );
  }
  // The keys buildx writes to its metadata file where they mean the same, so consumers need not care.
  const metadata: Record<string, unknown> = {
    'image.name': request.tags.join(','),
    'buildah.image-id': imageId,
    'buildah.steps': cache.steps,
    'buildah.cache-hits': cache.hits,
  };
  if (digest !== undefined) {
    metadata['containerimage.digest'] = digest;
    metadata['buildah.pushed'] = pushed;
  }
  return { imageId, digest, metadata };
}

function warnAboutIgnoredInputs(request: BuildRequest): void {
  const ignored = [...(request.provenance ? ['provenance'] : []), ...(request.sbom ? ['sbom'] : [])];
  if (ignored.length === 0) return;
  log.warning(
    `buildah does not support ${ignored.join(', ')}: ignored. It makes no attestations, and it caches ` +
      `layers in its local storage (--layers) instead of exporting a cache.`,
  );
}
