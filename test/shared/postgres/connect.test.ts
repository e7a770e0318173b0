import { describe, expect, it } from '@jest/globals';
import { classifyConnectError, openClient } from '../../../shared/src/postgres/connect.ts';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import { unusedPort } from '../../support/http-service.ts';
import { usePostgres } from '../../migrate/postgres-fixture.ts';

const postgres = usePostgres();

function settingsOf(url: string, changes: Partial<ConnectionSettings> = {}): ConnectionSettings {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password) || undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'prefer',
    ca: undefined,
    options: undefined,
    ...changes,
  };
}

describe('classifyConnectError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'connection refused'],
    [{ code: '57P03' }, 'the database system is starting up'],
    [{ code: '53300' }, 'too many connections'],
    [{ errors: [{ code: 'EHOSTUNREACH' }] }, 'host unreachable'],
    [new Error('Connection terminated unexpectedly'), 'Connection terminated unexpectedly'],
  ])('%j is retried as %s', (error, reason) => {
    expect(classifyConnectError(error)).toEqual({ transient: true, reason });
  });

  it.each([
    ['a wrong password', { code: '28P01' }],
    ['an unknown database', { code: '3D000' }],
    ['a refused TLS certificate', new Error('self-signed certificate in certificate chain')],
  ])('%s is final', (_label, error) => {
    expect(classifyConnectError(error)).toEqual({ transient: false });
  });
});

describe('openClient against a real server', () => {
  it('connects with sslmode prefer, falling back to plain on a server without TLS, and sets the session options', async () => {
    const opened = await openClient(settingsOf(await postgres.freshDatabase('connect')), {
      applicationName: 'gantry-test',
      timeoutMs: 20_000,
      sessionOptions: '-c default_transaction_read_only=on',
    });
    try {
      expect(opened.ssl).toBe(false);
      const { rows } = await opened.client.query<{ name: string; readOnly: string }>(
        "SELECT current_setting('application_name') AS name, current_setting('default_transaction_read_only') AS \"readOnly\"",
      );
      expect(rows[0]).toEqual({ name: 'gantry-test', readOnly: 'on' });
    } finally {
      await opened.client.end();
    }
  });

  it('names the database that does not exist, without retrying', async () => {
    const settings = settingsOf(postgres.url(), { database: 'no_such_db' });
    await expect(openClient(settings, { applicationName: 'gantry-test', timeoutMs: 20_000 })).rejects.toThrow(
      /^The database "no_such_db" does not exist on 127\.0\.0\.1:\d+\.$/,
    );
  });

  it('retries an unreachable server until the timeout, then says how long and how often it tried', async () => {
    const settings = settingsOf(`postgresql://app:pw@127.0.0.1:${await unusedPort()}/app`);
    await expect(openClient(settings, { applicationName: 'gantry-test', timeoutMs: 2000 })).rejects.toThrow(
      /^Could not connect to app@127\.0\.0\.1:\d+\/app within 2s \(connect-timeout, \d+ attempts\): connection refused\.$/,
    );
  });
});
