import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { maskSecret } from '../../../../shared/src/secrets.ts';

/**
 * Registry credentials reach the builder as a docker-style `config.json` — read by docker (through
 * `DOCKER_CONFIG`) and by buildah (`--authfile`) alike — in a private directory of its own under the
 * runner's temp directory, never in the user's `~/.docker`. The post step removes it, even when the
 * main step failed.
 */

export interface RegistryCredential {
  /** `ghcr.io`, `registry.example.com:5000`, `docker.io`. */
  registry: string;
  username: string;
  password: string;
}

/** Docker Hub's credentials live under its legacy v1 URL, the one key every client looks up. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DIR_PREFIX = 'gantry-auth-';
const FILE_NAME = 'config.json';

/** Writes the file and returns its path. A registry given twice keeps its last credentials. */
export async function writeAuthFile(credentials: RegistryCredential[], dir: string): Promise<string> {
  const auths: Record<string, { auth: string }> = {};
  for (const { registry, username, password } of credentials) {
    maskSecret(password);
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    maskSecret(auth);
    auths[authKey(registry)] = { auth };
  }
  const home = await mkdtemp(join(dir, DIR_PREFIX));
  const file = join(home, FILE_NAME);
  await writeFile(file, `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
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

function authKey(registry: string): string {
  const host = registry
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB_NAMES.has(host) ? DOCKER_HUB_KEY : host;
}
