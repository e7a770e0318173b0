import type { ConnectionOptions } from 'node:tls';
import type { ConnectionSettings } from './connection-settings.ts';

/**
 * One set of connection settings in the two forms PostgreSQL clients take them: the pg driver's
 * options (TLS mapped from sslmode as libpq does it) and libpq's environment variables for the
 * programs Gantry runs (pg_dump, pg_restore), which keeps the password out of their argument list,
 * where `ps` would show it.
 */

export interface PgDriverConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: false | ConnectionOptions;
  application_name: string;
  options?: string;
}

export function pgDriverConfig(settings: ConnectionSettings, applicationName: string): PgDriverConfig {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password ?? '',
    database: settings.database,
    ssl: sslOptions(settings),
    application_name: applicationName,
    ...(settings.options === undefined ? {} : { options: settings.options }),
  };
}

/** sslmode as libpq applies it; `prefer` tries TLS unverified (the caller falls back to plain). */
export function sslOptions(settings: ConnectionSettings): false | ConnectionOptions {
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

/**
 * PGHOST, PGPORT, … for a libpq program. `caFile` is where the caller wrote `settings.ca` (libpq
 * reads the CA from a file only). PGPASSWORD is what `pg_dump` documents for non-interactive use.
 */
export function libpqEnvironment(
  settings: ConnectionSettings,
  applicationName: string,
  caFile?: string,
): Record<string, string> {
  const env: Record<string, string> = {
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGUSER: settings.user,
    PGDATABASE: settings.database,
    PGSSLMODE: settings.sslmode,
    PGAPPNAME: applicationName,
  };
  if (settings.password !== undefined) env.PGPASSWORD = settings.password;
  if (settings.options !== undefined) env.PGOPTIONS = settings.options;
  if (caFile !== undefined) env.PGSSLROOTCERT = caFile;
  return env;
}
