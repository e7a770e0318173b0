import type { Client, QueryResult } from 'pg';
import * as log from '../../../../../shared/src/log.ts';
import { throwIfAborted } from '../../../../../shared/src/sleep.ts';
import { pgDriverConfig } from '../../../../../shared/src/postgres/client-config.ts';
import { openClient } from '../../../../../shared/src/postgres/connect.ts';
import type { ConnectionSettings } from '../../../../../shared/src/postgres/connection-settings.ts';
import { ownQuery, type Session } from './session.ts';

/**
 * migrate's session: the core's connection (retried until connect-timeout, failures in plain words,
 * shared/src/postgres/connect.ts), plus the server version, notices, and a way to cancel a statement.
 */

export interface ConnectOptions {
  /** plan, validate and info: every transaction of the session is read-only, enforced by the server. */
  readOnly: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Connection extends Session {
  /** Cancels the statement running on this connection, from a second, short-lived one. */
  cancel(): Promise<void>;
  end(): Promise<void>;
}

const APPLICATION_NAME = 'gantry-migrate';

export async function connect(settings: ConnectionSettings, options: ConnectOptions): Promise<Connection> {
  const { client, ssl, target } = await openClient(settings, {
    applicationName: APPLICATION_NAME,
    timeoutMs: options.timeoutMs,
    sessionOptions: options.readOnly ? '-c default_transaction_read_only=on' : undefined,
    signal: options.signal,
  });
  client.on('notice', (notice) => log.info(`${notice.severity ?? 'NOTICE'}: ${notice.message}`));
  let info: { pid: number; version: number };
  try {
    const result = await ownQuery(`Reading the server version of ${target}`, () =>
      client.query<{ pid: number; version: number }>(
        "SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version",
      ),
    );
    info = result.rows[0] as { pid: number; version: number };
    // A cancellation that came while connecting: nothing may run on the new session.
    throwIfAborted(options.signal);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return new PgConnection(client, info.version, target, async () => {
    const { default: pg } = await import('pg');
    const canceller = new pg.Client({
      ...pgDriverConfig(settings, APPLICATION_NAME),
      ssl,
      connectionTimeoutMillis: 5000,
    });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [info.pid]);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  });
}

class PgConnection implements Connection {
  readonly serverVersion: number;
  readonly target: string;
  private readonly client: Client;
  private readonly cancelBackend: () => Promise<void>;

  constructor(client: Client, serverVersion: number, target: string, cancel: () => Promise<void>) {
    this.client = client;
    this.serverVersion = serverVersion;
    this.target = target;
    this.cancelBackend = cancel;
  }

  async query<Row extends object>(sql: string, values?: unknown[]): Promise<Row[]> {
    const result = (await this.client.query(sql, values)) as QueryResult | QueryResult[];
    // Several statements in one simple query answer with one result each: the last is the answer.
    const last = Array.isArray(result) ? result.at(-1) : result;
    return (last?.rows ?? []) as Row[];
  }

  cancel(): Promise<void> {
    return this.cancelBackend();
  }

  async end(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
