import type { Client } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { Deadline } from '../async/deadline.ts';
import { formatDuration } from '../formats/duration.ts';
import { ActionError, errorMessage } from '../errors.ts';
import * as log from '../runner/log.ts';
import { retry, RetryExhaustedError, type RetryVerdict } from '../async/retry.ts';
import { pgDriverConfig } from './client-config.ts';
import { describeTarget, type ConnectionSettings } from './connection-settings.ts';

/**
 * Opening a pg driver connection, as migrate and backup both need it (the driver is loaded here, on
 * first use, to keep it out of an action's start): retried until `connect-timeout` while the server
 * is unreachable or starting up, never for a wrong password or an unknown database, which no retry
 * fixes; each failure is reported in plain words. sslmode=prefer falls back to plain as libpq does.
 */

export interface OpenOptions {
  /** `application_name`, which the server shows in pg_stat_activity: `gantry-migrate`. */
  applicationName: string;
  timeoutMs: number;
  /** Extra `options` for the session (`-c default_transaction_read_only=on`), after the user's own. */
  sessionOptions?: string;
  signal?: AbortSignal;
}

export interface OpenedClient {
  client: Client;
  /** The TLS settings the connection was made with (false after prefer fell back to plain). */
  ssl: false | ConnectionOptions;
  target: string;
}

const ATTEMPT_TIMEOUT_MS = 10_000;
const SSL_REFUSED = 'The server does not support SSL connections';

export async function openClient(settings: ConnectionSettings, options: OpenOptions): Promise<OpenedClient> {
  const { default: pg } = await import('pg');
  const target = describeTarget(settings);
  const deadline = new Deadline(options.timeoutMs, `a connection to ${target}`);
  const base = pgDriverConfig(settings, options.applicationName);
  let ssl = base.ssl;
  const open = async (): Promise<Client> => {
    const client = new pg.Client({
      ...base,
      ssl,
      options: [settings.options, options.sessionOptions].filter(Boolean).join(' ') || undefined,
      connectionTimeoutMillis: Math.max(1000, Math.min(deadline.remaining(), ATTEMPT_TIMEOUT_MS)),
    });
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
  try {
    const client = await retry(open, {
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
    return { client, ssl, target };
  } catch (error) {
    throw connectError(error, settings, target, options.timeoutMs);
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
  const code = errorCode(error);
  const state = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
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
        hint: 'check the database input (or the path of database-url); Gantry works on an existing database and does not create it',
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
