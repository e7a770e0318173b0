import { SHARED_S3_DIR_ENV, SHARED_S3_ENV, startS3, type S3Server } from './s3.ts';

/**
 * One S3 server for the whole jest run, as postgres-global.ts does for PostgreSQL: tests make a
 * bucket of their own (names of 3 characters or more) and reach it through GANTRY_TEST_S3_ENDPOINT.
 */
const HANDLE = Symbol.for('gantry.test.s3');

type WithHandle = typeof globalThis & { [HANDLE]?: S3Server };

export async function setupS3(): Promise<void> {
  const server = await startS3();
  (globalThis as WithHandle)[HANDLE] = server;
  process.env[SHARED_S3_ENV] = server.endpoint;
  process.env[SHARED_S3_DIR_ENV] = server.directory;
}

export async function teardownS3(): Promise<void> {
  const holder = globalThis as WithHandle;
  await holder[HANDLE]?.close();
  delete holder[HANDLE];
  delete process.env[SHARED_S3_ENV];
  delete process.env[SHARED_S3_DIR_ENV];
}
