/**
 * What the migration code needs from a database connection. The pg client behind it is loaded only
 * once a command connects (database.ts), so the modules written against this interface stay light
 * and can be tested against a real server through the same interface.
 */
export interface Session {
  /** The simple query protocol when no values are given (several statements allowed), else extended. */
  query<Row extends object = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<Row[]>;
  /** server_version_num, like 150004. */
  readonly serverVersion: number;
  /** user@host:port/database, without the password. */
  readonly target: string;
}

/** A PostgreSQL error as the pg driver reports it: the SQLSTATE and the server's fields. */
export interface PostgresError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
