import { ConfigurationError } from '../errors.ts';
import { getEnum, getInteger, getOptionalString, invalidInput } from '../runner/inputs.ts';
import { maskSecret, redactUrlCredentials, safeDecode } from '../runner/secrets.ts';
import { SSL_MODES, type ConnectionSettings, type SslMode } from './connection-settings.ts';

/**
 * The connection inputs: `database-url`, or `host`, `port`, `user`, `password` and `database`, with
 * libpq's environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE) filling
 * what those leave empty. The URL and the password are masked the moment they are read.
 */

/** Every input readConnectionSettings reads, for actions that refuse them where they mean nothing. */
export const CONNECTION_INPUTS = [
  'database-url',
  'host',
  'port',
  'user',
  'password',
  'database',
  'sslmode',
  'ca-certificate',
] as const;

const URL_INPUT = 'database-url';
const DISCRETE = ['host', 'port', 'user', 'database'] as const;
const URL_PARAMETERS = ['sslmode', 'options'];
const URL_EXAMPLE = 'postgresql://user:password@db.example.com:5432/app?sslmode=verify-full';

export function readConnectionSettings(): ConnectionSettings {
  const rawUrl = getOptionalString(URL_INPUT, { secret: true });
  const password = getOptionalString('password', { secret: true });
  const sslInput = getOptionalString('sslmode');
  const ca = getOptionalString('ca-certificate');
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalidInput(
      'ca-certificate',
      ca.slice(0, 30),
      'expected PEM text starting with -----BEGIN CERTIFICATE-----',
    );
  }
  const base = rawUrl === undefined ? fromDiscreteInputs(password) : fromUrl(rawUrl, password);
  if (sslInput !== undefined && base.urlSslmode !== undefined && sslInput !== base.urlSslmode) {
    throw new ConfigurationError(
      `Input "sslmode" is "${sslInput}" but database-url says sslmode=${base.urlSslmode}: give it in one place.`,
      { input: 'sslmode' },
    );
  }
  const sslmode =
    base.urlSslmode ?? (sslInput !== undefined ? getEnum('sslmode', SSL_MODES, 'prefer') : envSslmode());
  if (ca !== undefined && sslmode === 'disable') {
    throw new ConfigurationError(
      'Input "ca-certificate" is given but sslmode is disable, which never uses it.',
      {
        input: 'ca-certificate',
        hint: 'use sslmode verify-full (or verify-ca) to check the server against this CA',
      },
    );
  }
  return { ...base.settings, sslmode, ca };
}

/**
 * A second database given as a URL input of its own (a restore target, a scratch database), with
 * the same checks as database-url; masked the moment it is read. Its TLS settings come from the
 * URL alone (sslmode parameter, else prefer); `ca` is the main connection's CA, if any.
 */
export function readDatabaseUrl(input: string, ca?: string): ConnectionSettings | undefined {
  const raw = getOptionalString(input, { secret: true });
  if (raw === undefined) return undefined;
  const { settings, urlSslmode } = fromUrl(raw, undefined, input);
  return { ...settings, sslmode: urlSslmode ?? 'prefer', ca };
}

interface PartialSettings {
  settings: Omit<ConnectionSettings, 'sslmode' | 'ca'>;
  urlSslmode: SslMode | undefined;
}

function fromUrl(raw: string, password: string | undefined, input = URL_INPUT): PartialSettings {
  maskUrlPassword(raw);
  const given = input === URL_INPUT ? DISCRETE.filter((name) => getOptionalString(name) !== undefined) : [];
  if (given.length > 0) {
    throw new ConfigurationError(
      `Inputs "${URL_INPUT}" and "${given[0]}" are both given: the connection comes from one or the other.`,
      {
        input: given[0],
        hint: `leave ${given.join(', ')} empty when database-url is set, or drop database-url`,
      },
    );
  }
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')) {
    throw invalidInput(input, raw, `expected a postgresql:// URL like ${URL_EXAMPLE}`, true);
  }
  const parameters = url.searchParams;
  const unknown = [...parameters.keys()].filter((key) => !URL_PARAMETERS.includes(key));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Input "${input}" has the parameter(s) ${unknown.join(', ')}, which Gantry does not use; it accepts ${URL_PARAMETERS.join(', ')}.`,
      { input, hint: 'use the inputs instead: connect-timeout, ca-certificate' },
    );
  }
  if (url.port === '0') throw invalidInput(input, raw, 'the port must be from 1 to 65535', true);
  const host = safeDecode(url.hostname).replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    throw new ConfigurationError(`Input "${input}" names no host.`, {
      input,
      hint: 'for a unix socket, give its directory in the host input instead of a URL',
    });
  }
  const user = safeDecode(url.username);
  if (user === '') {
    throw new ConfigurationError(`Input "${input}" names no user: expected a URL like ${URL_EXAMPLE}.`, {
      input,
    });
  }
  const database = safeDecode(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new ConfigurationError(
      `Input "${input}" names ${database === '' ? 'no database' : `"${database}", which is not a database name`}: expected a URL like ${URL_EXAMPLE}.`,
      { input },
    );
  }
  const urlPassword = url.password === '' ? undefined : safeDecode(url.password);
  if (urlPassword !== undefined && password !== undefined) {
    throw new ConfigurationError(
      `Inputs "${input}" and "password" both carry a password: give it in one place.`,
      { input: 'password' },
    );
  }
  const sslText = parameters.get('sslmode') ?? undefined;
  if (sslText !== undefined && !(SSL_MODES as readonly string[]).includes(sslText)) {
    throw new ConfigurationError(
      `Input "${input}" has sslmode=${sslText}: expected one of ${SSL_MODES.join(', ')}.`,
      { input },
    );
  }
  return {
    settings: {
      host,
      port: url.port === '' ? 5432 : Number(url.port),
      user,
      password: urlPassword ?? password,
      database,
      options: parameters.get('options') ?? undefined,
    },
    urlSslmode: sslText as SslMode | undefined,
  };
}

function fromDiscreteInputs(password: string | undefined): PartialSettings {
  const host = getOptionalString('host') ?? env('PGHOST');
  if (host === undefined) {
    throw new ConfigurationError(
      'No database to connect to: set database-url, or host (with user and password).',
      {
        input: URL_INPUT,
        hint: `database-url: \${{ secrets.DATABASE_URL }}, a URL like ${URL_EXAMPLE}`,
      },
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw invalidInput(
      'host',
      redactUrlCredentials(host),
      'expected a host name or address, not a URL (a URL goes in database-url)',
    );
  }
  if (/\s/.test(host) || (host.includes('/') && !host.startsWith('/'))) {
    throw invalidInput(
      'host',
      host,
      'expected a host name, an IP address, or a unix socket directory starting with /',
    );
  }
  const envPort = env('PGPORT');
  const port = getInteger('port', {
    default: envPort === undefined ? 5432 : Number(envPort),
    min: 1,
    max: 65535,
  });
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidInput('port', String(envPort), 'PGPORT must be a port number from 1 to 65535');
  }
  const user = getOptionalString('user') ?? env('PGUSER');
  if (user === undefined) {
    throw new ConfigurationError('Input "user" is required with host.', {
      input: 'user',
      hint: 'the database user to connect as',
    });
  }
  const envPassword = env('PGPASSWORD');
  maskSecret(envPassword);
  return {
    settings: {
      host,
      port,
      user,
      password: password ?? envPassword,
      database: getOptionalString('database') ?? env('PGDATABASE') ?? user,
      options: undefined,
    },
    urlSslmode: undefined,
  };
}

function envSslmode(): SslMode {
  const value = env('PGSSLMODE');
  if (value === undefined) return 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(value)) {
    throw new ConfigurationError(`PGSSLMODE is "${value}": expected one of ${SSL_MODES.join(', ')}.`, {
      input: 'sslmode',
    });
  }
  return value as SslMode;
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/**
 * The whole URL is masked as it is read; its password is masked on its own too, since the server's
 * messages may quote it apart from the URL. (Not redactUrlCredentials: it takes a URL's lone user
 * name for a token, and a PostgreSQL user name is no secret.)
 */
function maskUrlPassword(raw: string): void {
  const password = URL.parse(raw)?.password;
  if (!password) return;
  maskSecret(password);
  maskSecret(safeDecode(password));
}
