import { createServer, connect as connectTcp, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { ConnectionSettings } from '../../../actions/migrate/src/connection-settings.ts';
import { connect, type Connection } from '../../../actions/migrate/src/native/database/database.ts';
import { historyTable } from '../../../actions/migrate/src/native/database/history.ts';
import type { MigrateInputs } from '../../../actions/migrate/src/inputs.ts';
import type { MigrationSet } from '../../../actions/migrate/src/native/files/migration-files.ts';
import { loadSqlParser } from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { migrate } from '../../../actions/migrate/src/native/commands/write-commands.ts';
import { CancelledError } from '../../../shared/src/errors.ts';
import { migrationFile } from './helpers.ts';
import { usePostgres } from '../postgres-fixture.ts';
import { history, query, relationExists } from '../project.ts';

/**
 * A cancellation that comes before a migration starts, in-process against a real server: nothing
 * may run, and nothing is recorded, since no attempt was made.
 */

const postgres = usePostgres();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function settingsOf(url: string): ConnectionSettings {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'disable',
    ca: undefined,
    options: undefined,
  };
}

async function open(url: string, signal?: AbortSignal): Promise<Connection> {
  const connection = await connect(settingsOf(url), { readOnly: false, timeoutMs: 10_000, signal });
  cleanups.push(() => connection.end());
  return connection;
}

function inputs(url: string): MigrateInputs {
  return {
    command: 'migrate',
    migrationsDir: '/nonexistent',
    workspace: '/nonexistent',
    connection: settingsOf(url),
    history: historyTable('public', 'gantry_schema_history'),
    lockTimeoutMs: 5000,
    statementTimeoutMs: 0,
    lockRetries: 0,
    lockWaitMs: 5000,
    connectTimeoutMs: 10_000,
    outOfOrder: false,
    allowDestructive: false,
    baseline: undefined,
  };
}

const MIGRATIONS: MigrationSet = {
  versioned: [
    migrationFile('V1__one.sql', 'CREATE TABLE one (id int);\n'),
    migrationFile('V2__two.sql', 'CREATE TABLE two (id int);\n'),
  ],
  repeatable: [],
  undo: new Map(),
  ignored: [],
};

function runMigrate(url: string, connection: Connection, signal: AbortSignal): Promise<unknown> {
  return migrate({
    inputs: inputs(url),
    migrations: MIGRATIONS,
    connection,
    parser: loadSqlParser,
    signal,
    runUrl: null,
  });
}

/** Aborts `controller` once a line containing `text` is written to stdout. */
function abortOnLine(controller: AbortController, text: string): void {
  const write = process.stdout.write.bind(process.stdout);
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    if (String(chunk).includes(text)) controller.abort(new CancelledError('Cancelled by SIGTERM.'));
    return write(chunk);
  });
  cleanups.push(() => spy.mockRestore());
}

describe('a cancellation before anything runs', () => {
  it('while connecting: the new session is ended, and connect fails as cancelled', async () => {
    const url = await postgres.freshDatabase('cancel_connect');
    const server = settingsOf(url);
    const controller = new AbortController();
    // A proxy that lets the connection through, but cancels the run the moment it is made.
    const proxy: Server = createServer((socket) => {
      controller.abort(new CancelledError('Cancelled by SIGTERM.'));
      const upstream = connectTcp(server.port, server.host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const address = proxy.address() as { port: number };
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(address.port);

    await expect(open(proxied.toString(), controller.signal)).rejects.toThrow('Cancelled by SIGTERM.');
    // The server process exits just after the client says goodbye.
    const sessions = async (): Promise<unknown[]> =>
      query(
        url,
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'gantry-migrate' AND datname = current_database()",
      );
    for (let wait = 0; wait < 20 && (await sessions()).length > 0; wait++) await sleep(100);
    expect(await sessions()).toEqual([]);
  });

  it('while the lock is taken: no history table is created and no row recorded', async () => {
    const url = await postgres.freshDatabase('cancel_lock');
    const connection = await open(url);
    const controller = new AbortController();
    controller.abort(new CancelledError('Cancelled by SIGTERM.'));
    await expect(runMigrate(url, connection, controller.signal)).rejects.toThrow(CancelledError);
    expect(await relationExists(url, 'public.gantry_schema_history')).toBe(false);
    expect(await relationExists(url, 'one')).toBe(false);
  });

  it('between two migrations: the first stays applied, the second is not recorded as failed', async () => {
    const url = await postgres.freshDatabase('cancel_between');
    const connection = await open(url);
    const controller = new AbortController();
    abortOnLine(controller, '[2/2] Applying version 2');
    await expect(runMigrate(url, connection, controller.signal)).rejects.toThrow(CancelledError);
    expect((await history(url)).map((row) => [row.version, row.success])).toEqual([['1', true]]);
    expect(await relationExists(url, 'two')).toBe(false);
  });
});
