import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { S3Client } from '@aws-sdk/client-s3';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { freshDatabase } from '../support/postgres.ts';
import {
  databaseName,
  freshBucket,
  listKeys,
  query,
  multipartUploads,
  readObject,
  runBackupAction,
  s3Client,
  seededDatabase,
  serverUrl,
  tableContents,
} from './helpers.ts';

/**
 * backup -> list -> restore through the committed bundle, against the real PostgreSQL and s3rver
 * read through the real S3 SDK: the stored object, its manifest, and the restored data table by
 * table.
 */

let client: S3Client;
let bucket: string;
let source: string;
let password: string;

beforeAll(async () => {
  client = s3Client();
  bucket = await freshBucket();
  source = await seededDatabase('backup_roundtrip');
  password = decodeURIComponent(new URL(source).password);
});
afterAll(() => client.destroy());

describe('backup, list, restore', () => {
  let manifest: Record<string, unknown>;

  it('streams a verified dump and its manifest to S3', async () => {
    const run = await runBackupAction({ inputs: { 'database-url': source, bucket, prefix: 'nightly/' } });
    expect(run.outcome).toBe('success');
    manifest = JSON.parse(run.outputs.manifest ?? '{}') as Record<string, unknown>;
    const database = databaseName(source);
    expect(run.outputs.key).toMatch(new RegExp(`^nightly/${database}/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.dump$`));
    expect(await listKeys(client, bucket)).toEqual([
      run.outputs.key,
      run.outputs.key!.replace(/\.dump$/, '.json'),
    ]);
    expect(await multipartUploads(client, bucket)).toEqual([]);

    const stored = await readObject(client, bucket, run.outputs.key!);
    expect(stored.subarray(0, 5).toString()).toBe('PGDMP');
    const published = JSON.parse(
      (await readObject(client, bucket, run.outputs.key!.replace(/\.dump$/, '.json'))).toString(),
    );
    expect(published).toEqual(manifest);
    expect(manifest).toMatchObject({
      format: 'gantry-backup/1',
      database,
      key: run.outputs.key,
      size: stored.length,
      sha256: createHash('sha256').update(stored).digest('hex'),
      encryption: null,
      verified: 'list',
      tables: 3,
    });
    expect(manifest.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(manifest.finished_at as string)).toBeGreaterThanOrEqual(
      Date.parse(manifest.started_at as string),
    );
    expect(manifest.pg_dump_version).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(manifest.server_version).toMatch(/^\d+\.\d+/);
    expect(run.outputs).toMatchObject({
      size: String(stored.length),
      sha256: manifest.sha256,
      verified: 'list',
    });
    expect(run.summary).toContain('Throughput');
    expectNoSecretLeaks(run, [password]);
  });

  it('lists it, newest first, with its manifest', async () => {
    const run = await runBackupAction({
      inputs: { command: 'list', 'database-url': source, bucket, prefix: 'nightly' },
    });
    expect(run.outcome).toBe('success');
    expect(JSON.parse(run.outputs.backups ?? '[]')).toEqual([manifest]);
    expect(run.summary).toContain(manifest.key as string);
    expectNoSecretLeaks(run, [password]);
  });

  it('restores it into another database, table by table the same', async () => {
    const target = await freshDatabase(serverUrl(), 'backup_restored');
    const run = await runBackupAction({
      inputs: {
        command: 'restore',
        'database-url': source,
        bucket,
        prefix: 'nightly',
        'target-database-url': target,
        confirm: databaseName(target),
      },
    });
    expect(run.outcome).toBe('success');
    expect(run.outputs.key).toBe(manifest.key);
    expect(await tableContents(target)).toEqual(await tableContents(source));
    expect(run.summary).toContain('shop.orders');
    expect(run.summary).toContain('1500');
    expectNoSecretLeaks(run, [password]);
  });

  it('restores again over the copy with clean and parallel jobs, from the spooled file', async () => {
    const target = await freshDatabase(serverUrl(), 'backup_restored_twice');
    const inputs = {
      command: 'restore',
      'database-url': source,
      bucket,
      prefix: 'nightly',
      'target-database-url': target,
      confirm: databaseName(target),
    };
    expect((await runBackupAction({ inputs })).outcome).toBe('success');
    await query(
      target,
      "DELETE FROM shop.orders WHERE id > 10; INSERT INTO public.audit (line) VALUES ('changed')",
    );
    const again = await runBackupAction({ inputs: { ...inputs, clean: 'true', jobs: '2' } });
    expect(again.outcome).toBe('success');
    expect(again.log).toMatch(/pg_restore .*--clean --if-exists.*--jobs=2/);
    expect(await tableContents(target)).toEqual(await tableContents(source));
  });
});
