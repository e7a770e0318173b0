import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { unusedPort } from './http-service.ts';

/**
 * The real distribution registry (`docker-registry serve`, the Debian package of
 * github.com/distribution/distribution 2.8) on 127.0.0.1, with filesystem storage in a temp dir and,
 * when users are given, htpasswd auth: the same server, paths and error bodies a pushing builder meets
 * in production. Plus a small HTTP client that reads back what was pushed.
 */

const BINARY = 'docker-registry';
const INSTALL = 'apt-get install -y docker-registry';
const START_TIMEOUT_MS = 10_000;
/** bcrypt's lowest cost: the registry checks the hash on every request, and these are throwaway users. */
const BCRYPT_COST = 4;

export interface Registry {
  /** `127.0.0.1:<port>`: the registry part of image references. */
  readonly host: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

export async function startRegistry(options: { users?: Record<string, string> } = {}): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-registry-'));
  try {
    const port = await unusedPort();
    const host = `127.0.0.1:${port}`;
    const auth = options.users === undefined ? undefined : await writeHtpasswd(dir, options.users);
    const config = join(dir, 'config.yml');
    await writeFile(config, registryConfig(dir, host, auth));
    // The env explicitly: under jest, `process.env` is the test's copy, which a spawn would not see.
    const child = spawn(BINARY, ['serve', config], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const output = keepTail(child);
    const url = `http://${host}`;
    await waitUntilServing(child, url, output);
    return {
      host,
      url,
      close: async () => {
        await stop(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A test run that ends without closing its registries (a crash, a timeout) must not leave them running. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function registryConfig(dir: string, host: string, htpasswd: string | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
  ];
  if (htpasswd !== undefined) {
    lines.push('auth:', '  htpasswd:', '    realm: gantry-test-registry', `    path: ${htpasswd}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The registry reads bcrypt hashes only (`htpasswd -B`). */
async function writeHtpasswd(dir: string, users: Record<string, string>): Promise<string> {
  const file = join(dir, 'htpasswd');
  const lines = Object.entries(users).map(([user, password]) => `${user}:${hashSync(password, BCRYPT_COST)}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

function keepTail(child: ChildProcess): () => string {
  let text = '';
  const append = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}

async function waitUntilServing(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`"${BINARY}" is not installed: install it with \`${INSTALL}\``)
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`${BINARY} exited (${signal ?? `code ${code}`}) before serving:\n${output()}`));
    });
  });
  // Keeps a rejection that comes after startup from being reported as unhandled.
  exited.catch(() => undefined);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answered = await Promise.race([answers(`${url}/v2/`), exited]);
    if (answered) return;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), exited]);
  }
  await stop(child);
  throw new Error(`${BINARY} did not answer GET ${url}/v2/ within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** 200, or 401 when auth is on: either way the registry is serving. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

// --- Reading back what was pushed -----------------------------------------------------------------

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

export interface ManifestResponse {
  /** The registry's `Docker-Content-Digest` header: the digest a pull by tag resolves to. */
  digest: string;
  mediaType: string;
  manifest: Record<string, unknown>;
}

/** Anything with the registry's base URL: a `Registry`, or a proxy in front of one. */
export interface RegistryEndpoint {
  readonly url: string;
}

export async function readManifest(
  registry: RegistryEndpoint,
  repository: string,
  reference: string,
  credentials?: RegistryCredentials,
): Promise<ManifestResponse> {
  const response = await registryGet(registry, `/v2/${repository}/manifests/${reference}`, credentials, {
    accept: MANIFEST_TYPES.join(', '),
  });
  const digest = response.headers.get('docker-content-digest');
  if (!digest) throw new Error(`${response.url} answered without a Docker-Content-Digest header`);
  const manifest = (await response.json()) as Record<string, unknown>;
  const mediaType = response.headers.get('content-type') ?? String(manifest.mediaType);
  return { digest, mediaType, manifest };
}

export async function readBlob(
  registry: RegistryEndpoint,
  repository: string,
  digest: string,
  credentials?: RegistryCredentials,
): Promise<Buffer> {
  const response = await registryGet(registry, `/v2/${repository}/blobs/${digest}`, credentials);
  return Buffer.from(await response.arrayBuffer());
}

/** The tags of a repository, sorted; none for a repository the registry does not know. */
export async function listTags(
  registry: RegistryEndpoint,
  repository: string,
  credentials?: RegistryCredentials,
): Promise<string[]> {
  const response = await registryGet(registry, `/v2/${repository}/tags/list`, credentials, {}, [404]);
  if (response.status === 404) return [];
  const body = (await response.json()) as { tags?: string[] | null };
  return [...(body.tags ?? [])].sort();
}

/**
 * GET with the registry's auth dance: anonymous first, and on `401` with a `Basic` challenge the same
 * request again with the credentials, as docker and buildah do against an htpasswd registry.
 */
async function registryGet(
  registry: RegistryEndpoint,
  path: string,
  credentials: RegistryCredentials | undefined,
  headers: Record<string, string> = {},
  acceptedFailures: number[] = [],
): Promise<Response> {
  const url = `${registry.url}${path}`;
  let response = await fetch(url, { headers });
  if (response.status === 401) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    await response.body?.cancel();
    if (!/^basic\b/i.test(challenge)) {
      throw new Error(`GET ${url}: 401 with challenge "${challenge}", expected Basic`);
    }
    if (!credentials) throw new Error(`GET ${url}: 401, the registry wants credentials`);
    const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    response = await fetch(url, { headers: { ...headers, authorization: `Basic ${token}` } });
  }
  if (!response.ok && !acceptedFailures.includes(response.status)) {
    throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  }
  return response;
}
