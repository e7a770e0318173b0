import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { databaseUrl, freshDatabase, serverBinDir, startPostgres, type PostgresServer } from './postgres.ts';

/** The harness itself: a real cluster, password auth, databases per test, and a clean stop. */

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.close();
});

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] as object)[0];
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  it('serves on loopback with the generated superuser password', async () => {
    expect(server.url).toBe(
      `postgresql://postgres:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/postgres`,
    );
    expect(server.password.length).toBeGreaterThanOrEqual(20);
    expect(await scalar(server.url, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).toBe(true);
    expect(await scalar(server.url, "SELECT current_setting('server_version_num')::int >= 100000")).toBe(
      true,
    );
  });

  it('refuses a wrong password: authentication is really on', async () => {
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password';
    await expect(scalar(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('makes empty databases with any name, each its own', async () => {
    const first = await server.createDatabase('with space & "quotes"');
    expect(await scalar(first, 'SELECT current_database()')).toBe('with space & "quotes"');
    expect(first).toContain('/with%20space%20&%20%22quotes%22');
    const a = await freshDatabase(server.url, 'harness');
    const b = await freshDatabase(server.url, 'harness');
    expect(a).not.toBe(b);
    expect(await scalar(a, "SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'")).toBe(0);
  });

  it('stops and removes everything on close', async () => {
    const other = await startPostgres();
    const { url } = other;
    await other.close();
    await expect(scalar(url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('helpers', () => {
  it('finds the server programs', () => {
    expect(serverBinDir()).toMatch(/bin$/);
  });

  it('builds the URL of another database on the same server', () => {
    expect(databaseUrl('postgresql://u:p%40ss@127.0.0.1:5432/postgres', 'my db')).toBe(
      'postgresql://u:p%40ss@127.0.0.1:5432/my%20db',
    );
  });
});
