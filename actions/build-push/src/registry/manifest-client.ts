import { ActionError } from '../../../../shared/src/errors.ts';
import { HttpClient, type HttpResponse } from '../../../../shared/src/net/http.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';
import type { ImageName } from '../image-name.ts';

/**
 * Reads a manifest back from the registry (the Docker Registry HTTP API v2 that every OCI registry
 * speaks): the digest when the builder did not report one, and the image size for the summary. It
 * answers both authentication schemes registries use: Basic, and the Bearer token flow
 * (`WWW-Authenticate: Bearer realm=...,service=...,scope=...`) of Docker Hub, GHCR and ECR.
 */

export interface RegistryLogin {
  username: string;
  password: string;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** Config plus layers, compressed, as stored; undefined for an index (sizes are per platform). */
  sizeBytes: number | undefined;
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export async function readManifest(
  image: ImageName,
  reference: string,
  options: { login: RegistryLogin | undefined; insecure: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<ManifestInfo> {
  const client = new HttpClient();
  try {
    const scheme = options.insecure ? 'http' : 'https';
    const host = image.registry === 'docker.io' ? 'registry-1.docker.io' : image.registry;
    const url = `${scheme}://${host}/v2/${image.repository}/manifests/${encodeURIComponent(reference)}`;
    const request = (authorization?: string): Promise<HttpResponse> =>
      client.request({
        url,
        headers: { accept: ACCEPT, ...(authorization ? { authorization } : {}) },
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
    let response = await request(basic(options.login));
    if (response.status === 401) {
      const challenge = response.headers['www-authenticate'] ?? '';
      if (/^bearer/i.test(challenge)) {
        response = await request(`Bearer ${await bearerToken(client, challenge, options)}`);
      }
    }
    if (response.status !== 200) {
      throw new ActionError(
        `Reading the manifest of ${image.name}:${reference} from ${image.registry} answered ${response.status}.`,
      );
    }
    const digest = response.headers['docker-content-digest'];
    if (!digest)
      throw new ActionError(
        `${image.registry} did not return a Docker-Content-Digest for ${image.name}:${reference}.`,
      );
    return {
      digest,
      mediaType: response.headers['content-type'] ?? '',
      sizeBytes: manifestSize(response.body),
    };
  } finally {
    await client.close();
  }
}

async function bearerToken(
  client: HttpClient,
  challenge: string,
  options: { login: RegistryLogin | undefined; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const params = Object.fromEntries(
    [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1] as string, match[2] as string]),
  );
  if (!params.realm) throw new ActionError(`The registry's Bearer challenge names no realm: ${challenge}`);
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
  const response = await client.request({
    url: tokenUrl.toString(),
    headers: basic(options.login) ? { authorization: basic(options.login) as string } : {},
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  if (response.status !== 200)
    throw new ActionError(`The registry's token service answered ${response.status}.`);
  const body = JSON.parse(response.body) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new ActionError("The registry's token service returned no token.");
  maskSecret(token);
  return token;
}

function basic(login: RegistryLogin | undefined): string | undefined {
  return login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` : undefined;
}

function manifestSize(body: string): number | undefined {
  const manifest = JSON.parse(body) as { config?: { size?: number }; layers?: { size?: number }[] };
  if (!manifest.layers) return undefined;
  return (manifest.config?.size ?? 0) + manifest.layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0);
}
