import type { ConnectionOptions } from 'node:tls';
import type { Client, ClientConfig, QueryResult } from 'pg';
import { Deadline } from '../../../../../shared/src/deadline.ts';
import { formatDuration } from '../../../../../shared/src/duration.ts';
import { ActionError, errorMessage } from '../../../../../shared/src/errors.ts';
import * as log from '../../../../../shared/src/log.ts';
import { retry, RetryExhaustedError, type RetryVerdict } from '../../../../../shared/src/retry.ts';
import { throwIfAborted } from '../../../../../shared/src/sleep.ts';
import { describeTarget, type ConnectionSettings } from '../../connection-settings.ts';
import { ownQuery, sqlState, type Session } from './session.ts';

/**
 * Connecting with the pg driver (loaded here, on first use, to keep it out of the action's start):
 * retried until connect-timeout while the server is unreachable or starting up, never for a wrong
 * password or an unknown database, which no retry fixes; each failure is reported in plain words.
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
const ATTEMPT_TIMEOUT_MS = 10_000;
const SSL_REFUSED = 'The server does not support SSL connections';

export async function connect(settings: ConnectionSettings, options: ConnectOptions): Promise<Connection> {
  const { default: pg } = await import('pg');
  const target = describeTarget(settings);
  const deadline = new Deadline(options.timeoutMs, `a connection to ${target}`);
  // sslmode=prefer as libpq does it: try TLS, and fall back to plain when the server has none.
  let ssl = sslOptions(settings);
  const open = async (): Promise<Client> => {
    const config: ClientConfig = {
      ...clientSettings(settings, ssl),
      options:
        [settings.options, options.readOnly ? '-c default_transaction_read_only=on' : undefined]
          .filter(Boolean)
          .join(' ') || undefined,
      connectionTimeoutMillis: Math.max(1000, Math.min(deadline.remaining(), ATTEMPT_TIMEOUT_MS)),
    };
    const client = new pg.Client(config);
    // An idle connection the server drops emits 'error'; unheard, it would crash the process.
    client.on('error', (error) => log.debug(`connection error: ${error.message}`));
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (settings.sslmode === 'prefer' && ssl !== false && errorMessage(error).includes(SSL_REFUSED)) {
        ssl = false;
        return open();
      }
      throw error;
    }
  };

  let client: Client;
  try {
    client = await retry(open, {
      what: `connecting to ${target}`,
      classify: classifyConnectError,
      deadline,
      signal: options.signal,
      initialDelayMs: 250,
      maxDelayMs: 5000,
      onRetry: ({ attempt, delayMs, reason }) =>
        log.info(
          `Connecting to ${target} failed (attempt ${attempt}: ${reason}); retrying in ${formatDuration(delayMs)}.`,
        ),
    });
  } catch (error) {
    throw connectError(error, settings, target, options.timeoutMs);
  }
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
    const canceller = new pg.Client({ ...clientSettings(settings, ssl), connectionTimeoutMillis: 5000 });
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

function clientSettings(settings: ConnectionSettings, ssl: ClientConfig['ssl']): ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password ?? '',
    database: settings.database,
    ssl,
    application_name: APPLICATION_NAME,
  };
}

function sslOptions(settings: ConnectionSettings): false | ConnectionOptions {
  const ca = settings.ca;
  switch (settings.sslmode) {
    case 'disable':
      return false;
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'require':
      // As libpq: with a root certificate given, require verifies the chain like verify-ca.
      return ca
        ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca, rejectUnauthorized: true };
  }
}

/** Network errors and a server that is starting, shutting down or full are worth another try. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  '57P03',
  '53300',
  '08006',
  '08001',
]);

function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | undefined)?.code;
  if (typeof direct === 'string') return direct;
  // Node reports a host with several addresses that all failed as an AggregateError.
  const inner = (error as { errors?: unknown[] } | undefined)?.errors?.[0];
  const code = (inner as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyConnectError(error: unknown): RetryVerdict {
  const code = errorCode(error);
  const message = errorMessage(error);
  if (code && TRANSIENT_CODES.has(code))
    return { transient: true, reason: describeNetworkError(code, message) };
  if (/Connection terminated|timeout expired|connection timeout/i.test(message)) {
    return { transient: true, reason: message };
  }
  return { transient: false };
}

function describeNetworkError(code: string, message: string): string {
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EAI_AGAIN: 'host name lookup failed (temporary)',
    ENOTFOUND: 'host name not found',
    '57P03': 'the database system is starting up',
    '53300': 'too many connections',
  };
  return words[code] ?? (message || code);
}

function connectError(
  error: unknown,
  settings: ConnectionSettings,
  target: string,
  timeoutMs: number,
): Error {
  if (error instanceof RetryExhaustedError) {
    const reason = classifyConnectError(error.lastError);
    const why = reason.transient ? reason.reason : errorMessage(error.lastError);
    return new ActionError(
      `Could not connect to ${target} within ${formatDuration(timeoutMs)} (connect-timeout, ${error.attempts} attempts): ${why}.`,
      {
        cause: error,
        hint: 'check host and port, and that this runner can reach the database (firewall or security group, a service container, a VPN or bastion)',
      },
    );
  }
  if (error instanceof ActionError) return error;
  const state = sqlState(error);
  const message = errorMessage(error);
  if (state === '28P01' || state === '28000') {
    return new ActionError(`Authentication failed for ${target}: ${message}.`, {
      cause: error,
      hint:
        state === '28000'
          ? 'the server refused this user, host or database (pg_hba.conf); an sslmode the server requires may also be missing'
          : 'check the password (or database-url) secret, and that the user exists',
    });
  }
  if (state === '3D000') {
    return new ActionError(
      `The database "${settings.database}" does not exist on ${target.split('@')[1]?.split('/')[0]}.`,
      {
        cause: error,
        hint: 'check the database input (or the path of database-url); Gantry migrates an existing database and does not create it',
      },
    );
  }
  if (/certificate|self.signed|SSL|TLS/i.test(message)) {
    return new ActionError(`TLS with ${target} failed (sslmode ${settings.sslmode}): ${message}.`, {
      cause: error,
      hint:
        settings.sslmode === 'verify-full' || settings.sslmode === 'verify-ca'
          ? "give the server's CA certificate in ca-certificate (RDS and Cloud SQL publish theirs)"
          : 'the server may not offer TLS: use sslmode prefer or disable for it',
    });
  }
  return new ActionError(`Could not connect to ${target}: ${message}.`, { cause: error });
}
