import { SHARED_POSTGRES_ENV, startPostgres, type PostgresServer } from './postgres.ts';

/**
 * One PostgreSQL cluster for the whole jest run: started by the global setup before any worker
 * exists, so the workers inherit its URL in GANTRY_TEST_PG_URL, and stopped by the global teardown.
 * The handle lives on globalThis because that is what jest shares between the two (they may load
 * this module separately).
 */
const HANDLE = Symbol.for('gantry.test.postgres');

type WithHandle = typeof globalThis & { [HANDLE]?: PostgresServer };

export async function setupPostgres(): Promise<void> {
  const server = await startPostgres();
  (globalThis as WithHandle)[HANDLE] = server;
  process.env[SHARED_POSTGRES_ENV] = server.url;
}

export async function teardownPostgres(): Promise<void> {
  const holder = globalThis as WithHandle;
  await holder[HANDLE]?.close();
  delete holder[HANDLE];
  delete process.env[SHARED_POSTGRES_ENV];
}
