import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { S3Client } from '@aws-sdk/client-s3';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { freshDatabase } from '../support/postgres.ts';
import { ageObject, sharedS3Endpoint } from '../support/s3.ts';
import {
  databaseName,
  freshBucket,
  listKeys,
  multipartUploads,
  query,
  readObject,
  runBackupAction,
  s3Client,
  seededDatabase,
  serverUrl,
  writeObject,
} from './helpers.ts';

/**
 * What goes wrong: pg_dump dying mid-stream, S3 failing parts or too slow for the deadline, a
 * pg_dump older than the server, a damaged object, a dump without a manifest, a restore without
 * confirmation. After each, the bucket holds no object, manifest or multipart upload it should not.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
let client: S3Client;
let source: string;
let bigSource: string;
let scratch: string;
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  client = s3Client();
  source = await seededDatabase('backup_faults', 100);
  // About 24 MB of dump with compression 0: several 5 MiB parts.
  bigSource = await seededDatabase('backup_big', 100);
  await query(
    bigSource,
    'CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 6) AS pad FROM generate_series(1, 120000) g',
  );
  scratch = await mkdtemp(join(tmpdir(), 'gantry-backup-faults-'));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  client.destroy();
  await rm(scratch, { recursive: true, force: true });
});

function messages(run: { annotations: { message: string }[] }): string {
  return run.annotations.map((annotation) => annotation.message).join('\n');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectEmpty(bucket: string): Promise<void> {
  expect(await listKeys(client, bucket)).toEqual([]);
  expect(await multipartUploads(client, bucket)).toEqual([]);
}

describe('a failing dump', () => {
  it('aborts the upload when pg_dump is killed mid-stream: no manifest, no object, no multipart upload', async () => {
    const bucket = await freshBucket();
    const pidFile = join(scratch, 'pg_dump.pid');
    const wrapper = join(scratch, 'pg_dump');
    await writeFile(wrapper, `#!/bin/sh\necho $$ > ${pidFile}\nexec ${PG_BIN}/pg_dump "$@"\n`);
    await chmod(wrapper, 0o755);
    // Slow parts hold pg_dump back (its pipe fills), so it is still running when it is killed.
    proxy = await startFaultProxy(sharedS3Endpoint());
    proxy.delay(1500, { method: 'PUT', path: /uploadId=/ });
    const running = runBackupAction({
      endpoint: proxy.url,
      inputs: { 'database-url': bigSource, bucket, 'pg-dump-path': wrapper, compression: '0' },
    });
    await waitFor('a multipart upload', async () =>
      (await multipartUploads(client, bucket)).length > 0 ? true : undefined,
    );
    const pid = Number(await readFile(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    const run = await running;
    expect(run.outcome).toBe('failure');
    expect(messages(run)).toMatch(/pg_dump.* was killed by SIGKILL/);
    await expectEmpty(bucket);
  });

  it('names both versions when pg_dump is older than the server', async () => {
    const bucket = await freshBucket();
    const old = join(scratch, 'old', 'pg_dump');
    await mkdir(join(scratch, 'old'), { recursive: true });
    // A pg_dump 14 is not installed here: this one only reports the version, which is all the check reads.
    await writeFile(old, '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.11 (Debian 14.11-1.pgdg120+1)"\n');
    await chmod(old, 0o755);
    const run = await runBackupAction({ inputs: { 'database-url': source, bucket, 'pg-dump-path': old } });
    expect(run.outcome).toBe('failure');
    expect(messages(run)).toMatch(
      /pg_dump \(PostgreSQL\) 14\.11.*older than the server \(PostgreSQL 15\.\d+.*major version 15.*postgresql-client-15/,
    );
    await expectEmpty(bucket);
  });
});

describe('a failing S3', () => {
  it('retries part uploads that fail with 500, and completes', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(sharedS3Endpoint());
    proxy.inject({ method: 'PUT', path: /partNumber=1&/, status: 500, times: 2 });
    const run = await runBackupAction({
      endpoint: proxy.url,
      inputs: { 'database-url': bigSource, bucket, compression: '0' },
    });
    expect(run.outcome).toBe('success');
    const parts = proxy.requests.filter(
      (request) => request.method === 'PUT' && /partNumber=1&/.test(request.path),
    );
    expect(parts.map((request) => request.status)).toEqual([500, 500, 200]);
    const stored = await readObject(client, bucket, run.outputs.key ?? '');
    expect(stored.length).toBe(Number(run.outputs.size));
    expect(stored.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(await multipartUploads(client, bucket)).toEqual([]);
  });

  it('aborts cleanly when parts are too slow for the timeout', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(sharedS3Endpoint());
    proxy.delay(12_000, { method: 'PUT', path: /uploadId=/ });
    const run = await runBackupAction({
      endpoint: proxy.url,
      inputs: { 'database-url': bigSource, bucket, compression: '0', timeout: '10s' },
    });
    expect(run.outcome).toBe('failure');
    expect(messages(run)).toContain('Timed out after 10s waiting for the backup to finish');
    expect(
      proxy.requests.some((request) => request.method === 'DELETE' && /uploadId=/.test(request.path)),
    ).toBe(true);
    await expectEmpty(bucket);
  }, 60_000);
});

describe('restore refusals', () => {
  let bucket: string;
  let key: string;

  beforeAll(async () => {
    bucket = await freshBucket();
    const run = await runBackupAction({ inputs: { 'database-url': source, bucket } });
    if (run.outcome !== 'success') throw new Error(run.log);
    key = run.outputs.key ?? '';
  });

  it.each([
    ['without confirm', {}, 'restore needs confirm'],
    [
      'with the wrong name in confirm',
      { confirm: 'production' },
      'Input "confirm" is "production" but the target database is',
    ],
  ])('refuses %s before any download', async (_label, extra: Record<string, string>, says) => {
    const target = await freshDatabase(serverUrl(), 'backup_unconfirmed');
    proxy = await startFaultProxy(sharedS3Endpoint());
    const run = await runBackupAction({
      endpoint: proxy.url,
      inputs: { command: 'restore', bucket, backup: key, 'target-database-url': target, ...extra },
    });
    expect(run.outcome).toBe('failure');
    expect(messages(run)).toContain(says);
    expect(proxy.requests).toEqual([]);
    expect(await query(target, "SELECT 1 FROM pg_tables WHERE schemaname = 'shop'")).toEqual([]);
  });

  it('refuses a damaged object on its checksum before touching the target', async () => {
    const damagedBucket = await freshBucket();
    const backup = await runBackupAction({ inputs: { 'database-url': source, bucket: damagedBucket } });
    const damagedKey = backup.outputs.key ?? '';
    const bytes = await readObject(client, damagedBucket, damagedKey);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await writeObject(client, damagedBucket, damagedKey, bytes);
    const target = await freshDatabase(serverUrl(), 'backup_damaged');
    const run = await runBackupAction({
      inputs: {
        command: 'restore',
        bucket: damagedBucket,
        backup: damagedKey,
        'target-database-url': target,
        confirm: databaseName(target),
      },
    });
    expect(run.outcome).toBe('failure');
    expect(messages(run)).toMatch(
      /but its manifest says \d+ bytes with SHA-256 [0-9a-f]{64}: refusing to restore it\. The target was not touched/,
    );
    expect(run.log).not.toMatch(/\[command\].*pg_restore/);
    expect(await query(target, "SELECT 1 FROM pg_tables WHERE schemaname = 'shop'")).toEqual([]);
  });
});

describe('a dump without a manifest', () => {
  it('is ignored by list and restore latest, kept while young, and deleted by a backup once a day old', async () => {
    const bucket = await freshBucket();
    const first = await runBackupAction({ inputs: { 'database-url': source, bucket } });
    expect(first.outcome).toBe('success');
    const database = databaseName(source);
    const orphan = `backups/${database}/29990101T000000Z-0badc0de.dump`;
    await writeObject(client, bucket, orphan, await readObject(client, bucket, first.outputs.key ?? ''));

    const list = await runBackupAction({ inputs: { command: 'list', 'database-url': source, bucket } });
    expect(JSON.parse(list.outputs.backups ?? '[]').map((m: { key: string }) => m.key)).toEqual([
      first.outputs.key,
    ]);
    expect(list.summary).toContain('1 dump(s) without a manifest are not backups');
    const target = await freshDatabase(serverUrl(), 'backup_latest');
    const latest = await runBackupAction({
      inputs: {
        command: 'restore',
        'database-url': source,
        bucket,
        'target-database-url': target,
        confirm: databaseName(target),
      },
    });
    expect(latest.outputs.key).toBe(first.outputs.key);

    const young = await runBackupAction({ inputs: { 'database-url': source, bucket } });
    expect(young.outcome).toBe('success');
    expect(await listKeys(client, bucket)).toContain(orphan);

    await ageObject(bucket, orphan, new Date(Date.now() - 25 * 3_600_000));
    const cleaning = await runBackupAction({ inputs: { 'database-url': source, bucket } });
    expect(cleaning.outcome).toBe('success');
    expect(await listKeys(client, bucket)).not.toContain(orphan);
    expect(cleaning.summary).toContain('Deleted 1 dump(s) without a manifest');
    expect((await listKeys(client, bucket)).filter((key) => key.endsWith('.json'))).toHaveLength(3);
  }, 60_000);
});
