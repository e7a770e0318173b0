import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import pg from 'pg';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import { freshDatabase, sharedPostgresUrl } from '../support/postgres.ts';
import { s3Environment, sharedS3Endpoint, startS3 } from '../support/s3.ts';

/**
 * The backup action's end-to-end harness: the committed bundle through the runner harness, the
 * suite's PostgreSQL cluster, and the suite's s3rver read through the real S3 SDK.
 */

export function serverUrl(): string {
  const url = sharedPostgresUrl();
  if (!url) throw new Error('GANTRY_TEST_PG_URL is not set: the jest global setup starts PostgreSQL');
  return url;
}

let bucketCount = 0;

/** A new bucket on the suite's S3 server. */
export async function freshBucket(endpoint = sharedS3Endpoint()): Promise<string> {
  const name = `backup-${process.pid}-${++bucketCount}-${randomBytes(3).toString('hex')}`;
  const response = await fetch(`${endpoint}/${name}`, { method: 'PUT' });
  if (!response.ok) throw new Error(`creating bucket ${name}: ${response.status}`);
  return name;
}

export function s3Client(endpoint = sharedS3Endpoint()): S3Client {
  const env = s3Environment();
  return new S3Client({
    region: env.AWS_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((item) => item.Key ?? '').sort();
}

export async function multipartUploads(client: S3Client, bucket: string): Promise<string[]> {
  const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (page.Uploads ?? []).map((upload) => upload.Key ?? '');
}

export async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

export async function writeObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: Buffer | string,
): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function deleteObject(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A database with a few tables of different shapes, and a password that must never leak. */
export async function seededDatabase(prefix: string, rows = 500): Promise<string> {
  const url = await freshDatabase(serverUrl(), prefix);
  await query(
    url,
    `CREATE SCHEMA shop;
     CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL, joined date);
     CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer int REFERENCES shop.customers, total numeric(10,2), note jsonb);
     CREATE TABLE public.audit (at timestamptz DEFAULT now(), line text);
     INSERT INTO shop.customers SELECT g, 'customer ' || g, date '2020-01-01' + g FROM generate_series(1, ${rows}) g;
     INSERT INTO shop.orders (customer, total, note) SELECT 1 + g % ${rows}, g * 1.25, jsonb_build_object('n', g) FROM generate_series(1, ${rows * 3}) g;
     INSERT INTO public.audit (line) SELECT md5(g::text) FROM generate_series(1, 50) g;`,
  );
  return url;
}

/** Every table's rows, ordered, as text: two databases with equal snapshots hold the same data. */
export async function tableContents(url: string): Promise<Record<string, string[]>> {
  const tables = await query<{ name: string }>(
    url,
    "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const contents: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await query<{ row: string }>(url, `SELECT t::text AS row FROM ${name} t ORDER BY 1`);
    contents[name] = rows.map((r) => r.row);
  }
  return contents;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export interface BackupRunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  endpoint?: string;
  timeoutMs?: number;
  signal?: { afterMs: number; name: 'SIGINT' | 'SIGTERM' };
}

export function runBackupAction(options: BackupRunOptions): Promise<ActionRun> {
  return runActionBundle({
    action: 'backup',
    inputs: { 's3-endpoint': options.endpoint ?? sharedS3Endpoint(), ...options.inputs },
    env: { ...s3Environment(), ...options.env },
    timeoutMs: options.timeoutMs ?? 120_000,
    signal: options.signal,
  });
}

export { startS3 };
