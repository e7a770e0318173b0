import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  listTags,
  readBlob,
  readManifest,
  startRegistry,
  type Registry,
  type RegistryCredentials,
} from './registry.ts';

const ALICE: RegistryCredentials = { username: 'alice', password: 'correct horse battery' };

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Uploads a blob the way clients do: POST for an upload URL, then PUT the content with its digest. */
async function pushBlob(registry: Registry, repository: string, data: Buffer, auth: string): Promise<string> {
  const digest = sha256(data);
  const started = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers: { authorization: auth },
  });
  expect(started.status).toBe(202);
  const location = new URL(started.headers.get('location') as string, registry.url);
  location.searchParams.set('digest', digest);
  const finished = await fetch(location, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/octet-stream' },
    body: data,
  });
  expect(finished.status).toBe(201);
  return digest;
}

/** A one-layer OCI image with a label in its config; returns the manifest's digest. */
async function pushImage(registry: Registry, repository: string, tag: string, auth: string): Promise<string> {
  const layer = Buffer.from('not really a tarball, the registry does not look inside');
  const layerDigest = await pushBlob(registry, repository, layer, auth);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.title': 'probe' } },
      rootfs: { type: 'layers', diff_ids: [layerDigest] },
    }),
  );
  const configDigest = await pushBlob(registry, repository, config, auth);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length },
    ],
  });
  const put = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  expect(put.status).toBe(201);
  return sha256(manifest);
}

describe('startRegistry with htpasswd auth', () => {
  let registry: Registry;

  beforeAll(async () => {
    registry = await startRegistry({ users: { alice: ALICE.password } });
  });

  afterAll(async () => {
    await registry.close();
  });

  it('serves the v2 API on 127.0.0.1 and asks for Basic credentials', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.url).toBe(`http://${registry.host}`);
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="gantry-test-registry"');
    const authorized = await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(ALICE) } });
    expect(authorized.status).toBe(200);
  });

  it('rejects a wrong password and an unknown user', async () => {
    for (const credentials of [
      { ...ALICE, password: 'wrong' },
      { username: 'mallory', password: ALICE.password },
    ]) {
      const response = await fetch(`${registry.url}/v2/`, { headers: { authorization: basic(credentials) } });
      expect(response.status).toBe(401);
    }
  });

  it('reads back a pushed manifest, its config and its tags', async () => {
    const digest = await pushImage(registry, 'team/app', 'v1', basic(ALICE));
    await pushImage(registry, 'team/app', 'latest', basic(ALICE));

    const read = await readManifest(registry, 'team/app', 'v1', ALICE);
    expect(read.digest).toBe(digest);
    expect(read.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const byDigest = await readManifest(registry, 'team/app', digest, ALICE);
    expect(byDigest.manifest).toEqual(read.manifest);

    const configDigest = (read.manifest.config as { digest: string }).digest;
    const config = JSON.parse((await readBlob(registry, 'team/app', configDigest, ALICE)).toString('utf8'));
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.title': 'probe' });

    expect(await listTags(registry, 'team/app', ALICE)).toEqual(['latest', 'v1']);
    expect(await listTags(registry, 'team/nothing-here', ALICE)).toEqual([]);
  });

  it('fails clearly without credentials or with wrong ones', async () => {
    await expect(readManifest(registry, 'team/app', 'v1')).rejects.toThrow(
      '401, the registry wants credentials',
    );
    await expect(readManifest(registry, 'team/app', 'v1', { ...ALICE, password: 'nope' })).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:\d+\/v2\/team\/app\/manifests\/v1: 401/,
    );
  });

  it('allows deletes, as the config enables them', async () => {
    const digest = await pushImage(registry, 'team/doomed', 'v1', basic(ALICE));
    const deleted = await fetch(`${registry.url}/v2/team/doomed/manifests/${digest}`, {
      method: 'DELETE',
      headers: { authorization: basic(ALICE) },
    });
    expect(deleted.status).toBe(202);
    await expect(readManifest(registry, 'team/doomed', digest, ALICE)).rejects.toThrow(/: 404 /);
  });
});

describe('startRegistry without auth', () => {
  it('serves anonymous clients and stops on close', async () => {
    const registry = await startRegistry();
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(200);
    expect(await listTags(registry, 'nothing')).toEqual([]);
    await registry.close();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('names the missing program and how to install it', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'gantry-no-tools-'));
    const path = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      await expect(startRegistry()).rejects.toThrow(
        '"docker-registry" is not installed: install it with `apt-get install -y docker-registry`',
      );
    } finally {
      process.env.PATH = path;
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
