import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as log from '../../../../shared/src/runner/log.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';

/**
 * Registry credentials reach the builder as a docker-style `config.json` — read by docker (through
 * `DOCKER_CONFIG`) and by buildah (`--authfile`) alike — in a private directory of its own under the
 * runner's temp directory, never in the user's `~/.docker`. The post step removes it, even when the
 * main step failed.
 *
 * Either way the builder then reads that file alone, so the logins the runner already has (from
 * docker/login-action, `docker login`, `buildah login`) are copied into it: the build still pulls
 * private base images with them, and ours take precedence for a registry both know. So are the
 * runner's `proxies` (a corporate proxy the build's RUN steps need) and `currentContext` (the
 * docker endpoint to build on), which docker reads from the same file.
 */

export interface RegistryCredential {
  /** `ghcr.io`, `registry.example.com:5000`, `docker.io`. */
  registry: string;
  username: string;
  password: string;
}

/** Where the runner's own logins are, as the builder would read them without our file. */
export interface RunnerLogins {
  /** Credential files in the builder's order of lookup: for a registry in several, the first wins. */
  files: string[];
  /**
   * Whether the builder honours `credsStore` (docker does; buildah's containers/image ignores it, and
   * would take an empty `credHelpers` entry for a helper named "docker-credential-").
   */
  credsStore: boolean;
}

interface AuthConfig {
  auths: Record<string, unknown>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  proxies?: Record<string, unknown>;
  currentContext?: string;
}

/** Docker Hub's credentials live under its legacy v1 URL, the one key every client looks up. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DIR_PREFIX = 'gantry-auth-';
const FILE_NAME = 'config.json';

/** Writes the file and returns its path. A registry given twice keeps its last credentials. */
export async function writeAuthFile(
  credentials: RegistryCredential[],
  dir: string,
  runner: RunnerLogins,
): Promise<string> {
  const ours = new Map<string, { auth: string }>();
  for (const { registry, username, password } of credentials) {
    maskSecret(password);
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    maskSecret(auth);
    ours.set(authKey(registry), { auth });
  }
  const config = await readRunnerLogins(runner.files);
  // Any entry the runner has for one of our registries, under whatever spelling (`https://ghcr.io`,
  // a namespaced `ghcr.io/team`), would compete with ours: it goes.
  const isOurs = (key: string): boolean => ours.has(authKey(key));
  config.auths = { ...withoutKeys(config.auths, isOurs), ...Object.fromEntries(ours) };
  const helpers = withoutKeys(config.credHelpers ?? {}, isOurs);
  if (runner.credsStore && config.credsStore !== undefined) {
    // docker asks a credsStore before the file, and gets nothing for our registries from it; an empty
    // helper for a registry sends docker to the file (docker/cli's getConfiguredCredentialStore).
    for (const key of ours.keys()) helpers[key] = '';
  } else {
    delete config.credsStore;
  }
  if (Object.keys(helpers).length > 0) config.credHelpers = helpers;
  else delete config.credHelpers;
  const home = await mkdtemp(join(dir, DIR_PREFIX));
  const file = join(home, FILE_NAME);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/**
 * Removes the file and the directory `writeAuthFile` made for it; a second call, or a call for a file
 * already gone, does nothing. A file anywhere else is removed alone, never its directory.
 */
export async function removeAuthFile(path: string): Promise<void> {
  const home = dirname(path);
  const ours = basename(home).startsWith(DIR_PREFIX) && basename(path) === FILE_NAME;
  await rm(ours ? home : path, { recursive: ours, force: true });
}

/**
 * `auths`, `credHelpers` and `credsStore` of the runner's files, merged in lookup order. A missing
 * file is the usual case (no login); one that cannot be read or parsed is left out with a warning,
 * because the build may still succeed without it.
 */
async function readRunnerLogins(files: string[]): Promise<AuthConfig> {
  const merged: AuthConfig = { auths: {} };
  for (const file of files) {
    const found = await readRunnerFile(file);
    if (found === undefined) continue;
    merged.auths = { ...record(found.auths), ...merged.auths };
    const helpers = Object.entries(record(found.credHelpers)).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    if (helpers.length > 0) merged.credHelpers = { ...Object.fromEntries(helpers), ...merged.credHelpers };
    if (typeof found.credsStore === 'string' && found.credsStore !== '') {
      merged.credsStore ??= found.credsStore;
    }
    // docker's own settings, from the first file that has them (only docker's config.json does).
    const proxies = record(found.proxies);
    if (Object.keys(proxies).length > 0) merged.proxies ??= proxies;
    if (typeof found.currentContext === 'string' && found.currentContext !== '') {
      merged.currentContext ??= found.currentContext;
    }
  }
  return merged;
}

async function readRunnerFile(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    log.warning(
      `Could not read the runner's registry logins in ${file} (${(error as Error).message}): the build goes without them.`,
    );
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    log.warning(
      `The runner's registry logins in ${file} are not a JSON object: the build goes without them.`,
    );
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function withoutKeys<T>(entries: Record<string, T>, drop: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).filter(([key]) => !drop(key)));
}

function authKey(registry: string): string {
  const host = registry
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB_NAMES.has(host) ? DOCKER_HUB_KEY : host;
}
