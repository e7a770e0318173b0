import type { Client } from 'pg';
import { openClient } from '../../../../shared/src/postgres/connect.ts';
import type { ConnectionSettings } from '../../../../shared/src/postgres/connection-settings.ts';

/**
 * The few queries backup needs (server version, database size, row counts) through the pg driver,
 * loaded on first use; connecting is the core's (retried until connect-timeout while the server is
 * unreachable or starting; a wrong password or database fails at once).
 */

const APPLICATION_NAME = 'gantry-backup';

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
  const { client } = await openClient(settings, { applicationName: APPLICATION_NAME, timeoutMs, signal });
  return client;
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
