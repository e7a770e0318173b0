import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  databaseName,
  freshBucket,
  listKeys,
  runBackupAction,
  s3Client,
  seededDatabase,
  writeObject,
} from './helpers.ts';

/**
 * prune over a bucket of backups 40 days deep (made by writing dumps and manifests as backup
 * writes them): a dry run changes nothing; confirm-delete deletes what the policy does not keep,
 * dump and manifest both; a dump without a manifest is not counted.
 */

let client: S3Client;
let source: string;
let database: string;

beforeAll(async () => {
  client = s3Client();
  source = await seededDatabase('backup_prune', 10);
  database = databaseName(source);
});
afterAll(() => client.destroy());

/** Daily backups at 02:00 UTC for 40 days up to 2026-11-30, and an orphan dump. */
async function fillBucket(bucket: string): Promise<string[]> {
  const dumps: string[] = [];
  for (let day = 0; day < 40; day++) {
    const started = new Date(Date.UTC(2026, 10, 30 - day, 2, 0, 0, 123));
    const stamp = started
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    const key = `backups/${database}/${stamp}-${randomBytes(4).toString('hex')}.dump`;
    const body = randomBytes(64);
    await writeObject(client, bucket, key, body);
    const manifest = {
      format: 'gantry-backup/1',
      database,
      key,
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      started_at: started.toISOString(),
      finished_at: new Date(started.getTime() + 60_000).toISOString(),
      server_version: '15.18',
      pg_dump_version: 'pg_dump (PostgreSQL) 15.18',
      encryption: null,
      verified: 'list',
      compression: null,
      tables: 3,
      commit: null,
      run_url: null,
    };
    await writeObject(client, bucket, key.replace(/\.dump$/, '.json'), JSON.stringify(manifest));
    dumps.push(key);
  }
  await writeObject(client, bucket, `backups/${database}/20261201T020000Z-0badc0de.dump`, 'orphan');
  return dumps;
}

describe('prune', () => {
  let bucket: string;
  let dumps: string[];
  const policy = { 'keep-daily': '7', 'keep-weekly': '2', 'keep-monthly': '3' };

  beforeAll(async () => {
    bucket = await freshBucket();
    dumps = await fillBucket(bucket);
  });

  it('reports what it would keep and why, and deletes nothing, by default', async () => {
    const before = await listKeys(client, bucket);
    const run = await runBackupAction({
      inputs: { command: 'prune', 'database-url': source, bucket, ...policy },
    });
    expect(run.outcome).toBe('success');
    const kept = JSON.parse(run.outputs.kept ?? '[]') as {
      key: string;
      started_at: string;
      reasons: string[];
    }[];
    const deleted = JSON.parse(run.outputs.deleted ?? '[]') as { key: string }[];
    // 7 days (Nov 24-30); Sunday Nov 22 for week 47; month ends Oct 31; and the oldest, Oct 22, with monthly count left.
    expect(kept.map((k) => [k.started_at.slice(0, 10), k.reasons.join(', ')])).toEqual([
      ['2026-11-30', 'daily 1, weekly 1, monthly 1'],
      ['2026-11-29', 'daily 2, weekly 2'],
      ['2026-11-28', 'daily 3'],
      ['2026-11-27', 'daily 4'],
      ['2026-11-26', 'daily 5'],
      ['2026-11-25', 'daily 6'],
      ['2026-11-24', 'daily 7'],
      ['2026-10-31', 'monthly 2'],
      ['2026-10-22', 'oldest monthly 3'],
    ]);
    expect(deleted).toHaveLength(40 - 9);
    expect(new Set([...kept, ...deleted].map((item) => item.key))).toEqual(new Set(dumps));
    expect(await listKeys(client, bucket)).toEqual(before);
    expect(run.summary).toContain('dry run: nothing deleted');
    expect(run.summary).toContain('daily 1, weekly 1, monthly 1');
  });

  it('deletes dump and manifest of what the policy does not keep with confirm-delete', async () => {
    const run = await runBackupAction({
      inputs: { command: 'prune', 'database-url': source, bucket, ...policy, 'confirm-delete': 'true' },
    });
    expect(run.outcome).toBe('success');
    const kept = (JSON.parse(run.outputs.kept ?? '[]') as { key: string }[]).map((k) => k.key);
    const after = await listKeys(client, bucket);
    const expected = [
      ...kept.flatMap((key) => [key, key.replace(/\.dump$/, '.json')]),
      `backups/${database}/20261201T020000Z-0badc0de.dump`,
    ];
    expect(after).toEqual(expected.sort());
    expect(JSON.parse(run.outputs.deleted ?? '[]')).toHaveLength(31);

    const again = await runBackupAction({
      inputs: { command: 'prune', 'database-url': source, bucket, ...policy },
    });
    expect(JSON.parse(again.outputs.deleted ?? '[]')).toEqual([]);
  });
});
