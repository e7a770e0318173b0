import type pg from 'pg';
import type { Client, QueryResult } from 'pg';
import * as log from '../../../../../shared/src/runner/log.ts';
import { throwIfAborted } from '../../../../../shared/src/async/sleep.ts';
import { pgDriverConfig } from '../../../../../shared/src/postgres/client-config.ts';
import { openClient } from '../../../../../shared/src/postgres/connect.ts';
import type { ConnectionSettings } from '../../../../../shared/src/postgres/connection-settings.ts';
import { errorMessage } from '../../../../../shared/src/errors.ts';
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
  /**
   * Several statements as one simple query: each one's rows, or the first error with the number of
   * statements that completed before it (the server runs none after it).
   */
  script(sql: string): Promise<ScriptResult>;
  /** COPY … FROM STDIN, with its rows streamed after it. */
  copyFrom(sql: string, rows: Buffer): Promise<void>;
  /** Cancels the statement running on this connection, from a second, short-lived one. */
  cancel(): Promise<void>;
  end(): Promise<void>;
}

/** `rows`: each completed statement's rows, in order; on an error, those that completed before it. */
export type ScriptResult =
  | { ok: true; rows: Record<string, unknown>[][] }
  | { ok: false; error: unknown; completed: number; rows: Record<string, unknown>[][] };

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
  const { default: pg } = await import('pg');
  return new PgConnection(client, pg.Query, info.version, target, async () => {
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

/** What pg's Query does as each statement of a simple query completes; not in its type declarations. */
interface CommandCompleteHook {
  handleCommandComplete(message: unknown, connection: unknown): void;
  /** The result of the statement being read, which handleCommandComplete completes. */
  _result: { rows: Record<string, unknown>[] };
}

class PgConnection implements Connection {
  readonly serverVersion: number;
  readonly target: string;
  private readonly client: Client;
  private readonly Query: typeof pg.Query;
  private readonly cancelBackend: () => Promise<void>;

  constructor(
    client: Client,
    query: typeof pg.Query,
    serverVersion: number,
    target: string,
    cancel: () => Promise<void>,
  ) {
    this.client = client;
    this.Query = query;
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

  script(sql: string): Promise<ScriptResult> {
    return new Promise((resolve) => {
      const rows: Record<string, unknown>[][] = [];
      const query = new this.Query(sql, (error) => {
        resolve(error ? { ok: false, error, completed: rows.length, rows } : { ok: true, rows });
      });
      // Each CommandComplete ends a statement: its rows are kept, and their count says which statement
      // an error without a position came from.
      const hook = query as unknown as CommandCompleteHook;
      const complete = hook.handleCommandComplete.bind(query);
      hook.handleCommandComplete = (message, connection) => {
        complete(message, connection);
        rows.push(hook._result.rows);
      };
      this.client.query(query);
    });
  }

  async copyFrom(sql: string, rows: Buffer): Promise<void> {
    const { from } = await import('pg-copy-streams');
    const stream = this.client.query(from(sql));
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(rows);
    });
  }

  cancel(): Promise<void> {
    return this.cancelBackend();
  }

  async end(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** Runs `work`, cancelling the statement running on `connection` if `signal` aborts meanwhile. */
export async function cancelOnAbort<T>(
  connection: Connection,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const onAbort = (): void => {
    connection
      .cancel()
      .catch((error: unknown) =>
        log.warning(`Could not cancel the running statement: ${errorMessage(error)}`),
      );
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
