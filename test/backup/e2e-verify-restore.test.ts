import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { S3Client } from '@aws-sdk/client-s3';
import { freshDatabase } from '../support/postgres.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import {
  freshBucket,
  listKeys,
  query,
  runBackupAction,
  s3Client,
  seededDatabase,
  serverUrl,
  tableContents,
} from './helpers.ts';

/** verify: restore restores every backup into a scratch database and compares row counts. */

let client: S3Client;
let source: string;

beforeAll(async () => {
  client = s3Client();
  source = await seededDatabase('backup_verified', 300);
});
afterAll(() => client.destroy());

describe('verify: restore', () => {
  it('restores into the scratch database and compares every table’s rows with the dump’s snapshot', async () => {
    const bucket = await freshBucket();
    const scratch = await freshDatabase(serverUrl(), 'backup_scratch');
    const run = await runBackupAction({
      inputs: {
        'database-url': source,
        bucket,
        verify: 'restore',
        'verify-database-url': scratch,
        'exclude-table-data': 'public.audit',
      },
    });
    expect(run.outcome).toBe('success');
    expect(JSON.parse(run.outputs.manifest ?? '{}')).toMatchObject({ verified: 'restore', tables: 3 });
    expect(run.summary).toMatch(/\| shop\.orders \| 900 \|/);
    expect(run.summary).toMatch(/\| public\.audit \| 0 \|/);
    const restored = await tableContents(scratch);
    const original = await tableContents(source);
    expect(restored['shop.orders']).toEqual(original['shop.orders']);
    expect(restored['public.audit']).toEqual([]);
    expectNoSecretLeaks(run, [decodeURIComponent(new URL(scratch).password)]);
    expect(await listKeys(client, bucket)).toHaveLength(2);
  });

  it('publishes no manifest and deletes the dump when the scratch restore fails', async () => {
    const bucket = await freshBucket();
    const scratch = await freshDatabase(serverUrl(), 'backup_scratch_blocked');
    // A table the dump's schema cannot be created over: the scratch restore fails on it.
    await query(scratch, 'CREATE SCHEMA shop; CREATE VIEW shop.customers AS SELECT 1 AS id');
    const run = await runBackupAction({
      inputs: { 'database-url': source, bucket, verify: 'restore', 'verify-database-url': scratch },
    });
    expect(run.outcome).toBe('failure');
    expect(run.annotations.map((a) => a.message).join('\n')).toMatch(/pg_restore.*exited with code 1/);
    expect(await listKeys(client, bucket)).toEqual([]);
  });
});
