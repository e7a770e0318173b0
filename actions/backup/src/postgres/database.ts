import type { Client } from 'pg';
import { Deadline } from '../../../../shared/src/deadline.ts';
import { formatDuration } from '../../../../shared/src/duration.ts';
import { ActionError, errorMessage } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/log.ts';
import { pgDriverConfig } from '../../../../shared/src/postgres/client-config.ts';
import {
  describeTarget,
  type ConnectionSettings,
} from '../../../../shared/src/postgres/connection-settings.ts';
import { retry, RetryExhaustedError } from '../../../../shared/src/retry.ts';

/**
 * The few queries backup needs (server version, database size, row counts) through the pg driver,
 * loaded on first use. A connection is retried until connect-timeout while the server is
 * unreachable or starting; a wrong password or database fails at once.
 */

const APPLICATION_NAME = 'gantry-backup';
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P03',
  '53300',
]);
const SSL_REFUSED = 'The server does not support SSL connections';

export interface ServerInfo {
  /** 150018 */
  versionNum: number;
  /** 15.18 (Debian 15.18-0+deb12u1) */
  version: string;
  major: number;
  databaseSizeBytes: number;
}

export async function connect(
  settings: ConnectionSettings,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Client> {
  const { default: pg } = await import('pg');
  const target = describeTarget(settings);
  const deadline = new Deadline(timeoutMs, `a connection to ${target}`);
  const base = pgDriverConfig(settings, APPLICATION_NAME);
  let ssl = base.ssl;
  const open = async (): Promise<Client> => {
    const client = new pg.Client({
      ...base,
      ssl,
      connectionTimeoutMillis: Math.max(1000, Math.min(deadline.remaining(), 10_000)),
    });
    client.on('error', (error) => log.debug(`connection error: ${error.message}`));
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      // sslmode=prefer as libpq does it: plain when the server has no TLS.
      if (settings.sslmode === 'prefer' && ssl !== false && errorMessage(error).includes(SSL_REFUSED)) {
        ssl = false;
        return open();
      }
      throw error;
    }
  };
  try {
    return await retry(open, {
      what: `connecting to ${target}`,
      deadline,
      signal,
      initialDelayMs: 250,
      maxDelayMs: 5000,
      classify: (error) => {
        const code = (error as { code?: unknown }).code;
        return typeof code === 'string' && TRANSIENT.has(code)
          ? { transient: true, reason: code }
          : { transient: false };
      },
      onRetry: ({ attempt, delayMs, reason }) =>
        log.info(
          `Connecting to ${target} failed (attempt ${attempt}: ${reason}); retrying in ${formatDuration(delayMs)}.`,
        ),
    });
  } catch (error) {
    const cause = error instanceof RetryExhaustedError ? error.lastError : error;
    throw new ActionError(`Could not connect to ${target}: ${errorMessage(cause)}.`, {
      cause: error,
      hint: 'check the connection inputs (database-url or host/user/password/database) and that this runner can reach the database',
    });
  }
}

export async function serverInfo(client: Client): Promise<ServerInfo> {
  const { rows } = await client.query<{ num: string; version: string; size: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, pg_database_size(current_database())::text AS size",
  );
  const row = rows[0] as { num: string; version: string; size: string };
  const versionNum = Number(row.num);
  return {
    versionNum,
    version: row.version,
    major: versionNum >= 100_000 ? Math.floor(versionNum / 10_000) : Math.floor(versionNum / 100) / 10,
    databaseSizeBytes: Number(row.size),
  };
}

/** `schema.table` -> rows, for every ordinary and partitioned table outside the system schemas. */
export async function countRows(client: Client): Promise<Map<string, number>> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
     ORDER BY 1, 2`,
  );
  const counts = new Map<string, number>();
  for (const { schema, name } of tables) {
    const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM ${qualified}`,
    );
    counts.set(`${schema}.${name}`, Number(rows[0]?.count ?? 0));
  }
  return counts;
}

/**
 * A REPEATABLE READ transaction whose snapshot pg_dump shares (--snapshot): the row counts read in
 * it are those of the dump, however the database changes meanwhile. End it with `release`.
 */
export async function exportSnapshot(client: Client): Promise<{ id: string; release: () => Promise<void> }> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  return {
    id: (rows[0] as { id: string }).id,
    release: async () => void (await client.query('COMMIT').catch(() => undefined)),
  };
}
