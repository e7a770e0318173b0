/** Where and how to connect, resolved from the inputs (database-url, or host/port/user/…). */

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface ConnectionSettings {
  /** A host name, an IP address, or a unix socket directory (starting with `/`). */
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  sslmode: SslMode;
  /** PEM certificates of the CA to trust instead of the system store. */
  ca: string | undefined;
  /** Server settings from the URL's `options` parameter (`-c search_path=app`). */
  options: string | undefined;
}

/** user@host:port/database: the target as messages show it, never with the password. */
export function describeTarget(settings: ConnectionSettings): string {
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `${settings.user}@${host}:${settings.port}/${settings.database}`;
}
