import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readInputs, type MigrateInputs } from '../../actions/migrate/src/inputs.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { capture, tempDir, type Captured, type TempDir } from '../shared/helpers.ts';

/**
 * readInputs() in-process, with the inputs given as the runner gives them: INPUT_<NAME>,
 * upper-cased, hyphens kept (INPUT_LOCK-TIMEOUT).
 */

const URL = 'postgresql://app:s3cret-pw@db.example.com:5432/app';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----';
const PG_ENV = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE'];

let workspace: TempDir;
let stdout: Captured;
const savedEnv = { ...process.env };
beforeEach(() => {
  workspace = tempDir('gantry-migrate-inputs-');
  mkdirSync(join(workspace.path, 'migrations'));
  writeFileSync(join(workspace.path, 'not-a-dir.sql'), 'SELECT 1;');
  process.env.GITHUB_WORKSPACE = workspace.path;
  for (const name of PG_ENV) delete process.env[name];
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  workspace.remove();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

function read(inputs: Record<string, string>, env: Record<string, string> = {}): MigrateInputs {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(process.env, env);
  return readInputs();
}

function readError(inputs: Record<string, string>, env: Record<string, string> = {}): ConfigurationError {
  try {
    read(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(inputs)}, got valid inputs`);
}

interface BadCase {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** The input the error must name. */
  input: string;
  /** Text the message must contain: the value and what is accepted. */
  says: string[];
  /** Text that must not appear (secrets). */
  hides?: string[];
}

const withUrl = (inputs: Record<string, string>): Record<string, string> => ({
  'database-url': URL,
  ...inputs,
});

const BAD_INPUTS: [string, BadCase][] = [
  [
    'command: unknown',
    {
      inputs: withUrl({ command: 'deploy' }),
      input: 'command',
      says: ['"deploy"', 'migrate, plan, validate, baseline, undo, info'],
    },
  ],
  ['command: wrong case', { inputs: withUrl({ command: 'Migrate' }), input: 'command', says: ['"Migrate"'] }],
  [
    'migrations-dir: missing',
    {
      inputs: withUrl({ 'migrations-dir': 'db/migrate' }),
      input: 'migrations-dir',
      says: ['"db/migrate"', 'does not exist', 'actions/checkout'],
    },
  ],
  [
    'migrations-dir: a file',
    {
      inputs: withUrl({ 'migrations-dir': 'not-a-dir.sql' }),
      input: 'migrations-dir',
      says: ['"not-a-dir.sql"', 'expected a directory'],
    },
  ],
  [
    'no connection at all',
    { inputs: {}, input: 'database-url', says: ['No database to connect to', 'database-url', 'host'] },
  ],
  [
    'database-url: another scheme',
    {
      inputs: { 'database-url': 'mysql://app:topsecret1@db/app' },
      input: 'database-url',
      says: ['expected a postgresql:// URL'],
      hides: ['topsecret1'],
    },
  ],
  [
    'database-url: not a URL',
    {
      inputs: { 'database-url': 'db.example.com:5432' },
      input: 'database-url',
      says: ['expected a postgresql:// URL'],
    },
  ],
  [
    'database-url: no user',
    {
      inputs: { 'database-url': 'postgresql://db.example.com/app' },
      input: 'database-url',
      says: ['names no user'],
    },
  ],
  [
    'database-url: no database',
    {
      inputs: { 'database-url': 'postgresql://app:topsecret2@db.example.com:5432' },
      input: 'database-url',
      says: ['names no database'],
      hides: ['topsecret2'],
    },
  ],
  [
    'database-url: a path, not a database',
    {
      inputs: { 'database-url': 'postgresql://app@db.example.com/app/extra' },
      input: 'database-url',
      says: ['"app/extra", which is not a database name'],
    },
  ],
  [
    'database-url: bad sslmode',
    {
      inputs: { 'database-url': `${URL}?sslmode=on` },
      input: 'database-url',
      says: ['sslmode=on', 'verify-full'],
    },
  ],
  [
    'database-url: unknown parameter',
    {
      inputs: { 'database-url': `${URL}?connect_timeout=5` },
      input: 'database-url',
      says: ['connect_timeout', 'connect-timeout'],
    },
  ],
  [
    'database-url: port out of range',
    {
      inputs: { 'database-url': 'postgresql://app@db.example.com:99999/app' },
      input: 'database-url',
      says: ['expected a postgresql:// URL'],
    },
  ],
  [
    'database-url: port zero',
    {
      inputs: { 'database-url': 'postgresql://app@db.example.com:0/app' },
      input: 'database-url',
      says: ['the port must be from 1 to 65535'],
    },
  ],
  [
    'database-url: no host',
    { inputs: { 'database-url': 'postgresql:///app' }, input: 'database-url', says: ['names no host'] },
  ],
  [
    'database-url and host',
    {
      inputs: withUrl({ host: 'other' }),
      input: 'host',
      says: ['"database-url" and "host"', 'leave host empty'],
    },
  ],
  [
    'database-url and user',
    { inputs: withUrl({ user: 'other' }), input: 'user', says: ['"database-url" and "user"'] },
  ],
  [
    'database-url and database',
    { inputs: withUrl({ database: 'other' }), input: 'database', says: ['"database-url" and "database"'] },
  ],
  [
    'two passwords',
    {
      inputs: withUrl({ password: 'another-secret' }),
      input: 'password',
      says: ['both carry a password'],
      hides: ['another-secret'],
    },
  ],
  [
    'sslmode in the URL and the input differ',
    {
      inputs: { 'database-url': `${URL}?sslmode=require`, sslmode: 'verify-full' },
      input: 'sslmode',
      says: ['"verify-full"', 'sslmode=require', 'one place'],
    },
  ],
  [
    'host: a URL',
    {
      inputs: { host: 'postgresql://app:pw-in-host@db/app', user: 'app' },
      input: 'host',
      says: ['not a URL', 'database-url'],
      hides: ['pw-in-host'],
    },
  ],
  [
    'host: with spaces',
    {
      inputs: { host: 'db example com', user: 'app' },
      input: 'host',
      says: ['"db example com"', 'host name'],
    },
  ],
  [
    'host: a path that is not a socket directory',
    {
      inputs: { host: 'db.example.com/app', user: 'app' },
      input: 'host',
      says: ['unix socket directory starting with /'],
    },
  ],
  [
    'host without user',
    { inputs: { host: 'db.example.com' }, input: 'user', says: ['"user" is required with host'] },
  ],
  [
    'port: not a number',
    {
      inputs: { host: 'db', user: 'app', port: 'postgres' },
      input: 'port',
      says: ['"postgres"', 'from 1 to 65535'],
    },
  ],
  [
    'port: zero',
    { inputs: { host: 'db', user: 'app', port: '0' }, input: 'port', says: ['"0"', 'from 1 to 65535'] },
  ],
  [
    'port: too high',
    { inputs: { host: 'db', user: 'app', port: '65536' }, input: 'port', says: ['"65536"'] },
  ],
  [
    'PGPORT: not a number',
    { inputs: { host: 'db', user: 'app' }, env: { PGPORT: 'five' }, input: 'port', says: ['PGPORT'] },
  ],
  [
    'sslmode: unknown',
    {
      inputs: withUrl({ sslmode: 'maybe' }),
      input: 'sslmode',
      says: ['"maybe"', 'disable, prefer, require, verify-ca, verify-full'],
    },
  ],
  ['sslmode: wrong case', { inputs: withUrl({ sslmode: 'REQUIRE' }), input: 'sslmode', says: ['"REQUIRE"'] }],
  [
    'PGSSLMODE: unknown',
    {
      inputs: { host: 'db', user: 'app' },
      env: { PGSSLMODE: 'on' },
      input: 'sslmode',
      says: ['PGSSLMODE is "on"'],
    },
  ],
  [
    'ca-certificate: not PEM',
    {
      inputs: withUrl({ 'ca-certificate': 'MIIBszCCAVmgAwIBAgIUQ' }),
      input: 'ca-certificate',
      says: ['-----BEGIN CERTIFICATE-----'],
    },
  ],
  [
    'ca-certificate with sslmode disable',
    {
      inputs: withUrl({ 'ca-certificate': PEM, sslmode: 'disable' }),
      input: 'ca-certificate',
      says: ['sslmode is disable', 'verify-full'],
    },
  ],
  [
    'schema: too long',
    { inputs: withUrl({ schema: 's'.repeat(64) }), input: 'schema', says: ['at most 63 bytes'] },
  ],
  [
    'table: with a schema',
    {
      inputs: withUrl({ table: 'public.history' }),
      input: 'table',
      says: ['"public.history"', 'schema input'],
    },
  ],
  [
    'table: too long in bytes',
    { inputs: withUrl({ table: 'é'.repeat(32) }), input: 'table', says: ['at most 63 bytes'] },
  ],
  [
    'lock-timeout: not a duration',
    { inputs: withUrl({ 'lock-timeout': 'soon' }), input: 'lock-timeout', says: ['"soon"', 'like 90s'] },
  ],
  [
    'lock-timeout: too short',
    { inputs: withUrl({ 'lock-timeout': '5ms' }), input: 'lock-timeout', says: ['"5ms"', 'from 10ms to 1h'] },
  ],
  [
    'lock-timeout: too long',
    { inputs: withUrl({ 'lock-timeout': '2h' }), input: 'lock-timeout', says: ['"2h"'] },
  ],
  [
    'statement-timeout: negative',
    { inputs: withUrl({ 'statement-timeout': '-1' }), input: 'statement-timeout', says: ['"-1"'] },
  ],
  [
    'statement-timeout: too long',
    {
      inputs: withUrl({ 'statement-timeout': '25h' }),
      input: 'statement-timeout',
      says: ['"25h"', 'to 24h'],
    },
  ],
  [
    'lock-retries: negative',
    { inputs: withUrl({ 'lock-retries': '-1' }), input: 'lock-retries', says: ['"-1"', 'from 0 to 20'] },
  ],
  [
    'lock-retries: too many',
    { inputs: withUrl({ 'lock-retries': '21' }), input: 'lock-retries', says: ['"21"'] },
  ],
  [
    'lock-retries: a fraction',
    { inputs: withUrl({ 'lock-retries': '1.5' }), input: 'lock-retries', says: ['"1.5"', 'whole number'] },
  ],
  [
    'lock-wait: not a duration',
    { inputs: withUrl({ 'lock-wait': 'forever' }), input: 'lock-wait', says: ['"forever"'] },
  ],
  [
    'lock-wait: too long',
    { inputs: withUrl({ 'lock-wait': '7h' }), input: 'lock-wait', says: ['"7h"', 'to 6h'] },
  ],
  [
    'connect-timeout: zero',
    { inputs: withUrl({ 'connect-timeout': '0' }), input: 'connect-timeout', says: ['"0"', 'from 1s'] },
  ],
  [
    'connect-timeout: too short',
    { inputs: withUrl({ 'connect-timeout': '500ms' }), input: 'connect-timeout', says: ['"500ms"'] },
  ],
  [
    'out-of-order: yes',
    { inputs: withUrl({ 'out-of-order': 'yes' }), input: 'out-of-order', says: ['"yes"', 'true or false'] },
  ],
  [
    'allow-destructive: 1',
    {
      inputs: withUrl({ 'allow-destructive': '1' }),
      input: 'allow-destructive',
      says: ['"1"', 'true or false'],
    },
  ],
  [
    'baseline-version with another command',
    {
      inputs: withUrl({ 'baseline-version': '3' }),
      input: 'baseline-version',
      says: ['only used by command baseline', 'the command is migrate'],
    },
  ],
  [
    'baseline without baseline-version',
    {
      inputs: withUrl({ command: 'baseline' }),
      input: 'baseline-version',
      says: ['required with command baseline'],
    },
  ],
  [
    'baseline-version: not a version',
    {
      inputs: withUrl({ command: 'baseline', 'baseline-version': 'latest' }),
      input: 'baseline-version',
      says: ['"latest"', 'like 1, 1.2'],
    },
  ],
  [
    'baseline-version: empty part',
    {
      inputs: withUrl({ command: 'baseline', 'baseline-version': '1..2' }),
      input: 'baseline-version',
      says: ['"1..2"'],
    },
  ],
];

describe('bad inputs', () => {
  it(`covers at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUTS)('%s', (_name, bad) => {
    const error = readError(bad.inputs, bad.env);
    expect(error.input).toBe(bad.input);
    const shown = `${error.message} ${error.hint ?? ''}`;
    for (const text of bad.says) expect(shown).toContain(text);
    for (const secret of bad.hides ?? []) {
      expect(shown).not.toContain(secret);
      expect(stdout.text()).toContain(`::add-mask::${secret}`);
    }
  });
});

describe('good inputs', () => {
  it('has safe defaults', () => {
    const inputs = read({ 'database-url': URL });
    expect(inputs).toMatchObject({
      command: 'migrate',
      migrationsDir: join(workspace.path, 'migrations'),
      workspace: workspace.path,
      history: { schema: 'public', table: 'gantry_schema_history', sql: '"public"."gantry_schema_history"' },
      lockTimeoutMs: 5000,
      statementTimeoutMs: 0,
      lockRetries: 3,
      lockWaitMs: 300_000,
      connectTimeoutMs: 30_000,
      outOfOrder: false,
      allowDestructive: false,
      baseline: undefined,
    });
    expect(inputs.connection).toEqual({
      host: 'db.example.com',
      port: 5432,
      user: 'app',
      password: 's3cret-pw',
      database: 'app',
      sslmode: 'prefer',
      ca: undefined,
      options: undefined,
    });
  });

  it('masks the URL and its password at once, but not the user name', () => {
    const url = 'postgresql://masked_user:only-here-pw@db.example.com/app';
    read({ 'database-url': url });
    expect(stdout.text()).toContain(`::add-mask::${url}`);
    expect(stdout.text()).toContain('::add-mask::only-here-pw');
    expect(stdout.text()).not.toContain('::add-mask::masked_user');
  });

  it('decodes a URL: escaped password and database, IPv6 host, sslmode and options', () => {
    const inputs = read({
      'database-url':
        'postgres://migrator:p%40ss%2Fw%3Ard@[2001:db8::1]:6543/my%20db?sslmode=verify-full&options=-c%20search_path%3Dapp',
      'ca-certificate': PEM,
    });
    expect(inputs.connection).toEqual({
      host: '2001:db8::1',
      port: 6543,
      user: 'migrator',
      password: 'p@ss/w:rd',
      database: 'my db',
      sslmode: 'verify-full',
      ca: PEM,
      options: '-c search_path=app',
    });
    expect(stdout.text()).toContain('::add-mask::p@ss/w:rd');
  });

  it('takes a unix socket directory as host', () => {
    expect(read({ host: '/var/run/postgresql', user: 'app' }).connection).toMatchObject({
      host: '/var/run/postgresql',
      database: 'app',
    });
  });

  it('takes a URL without password plus the password input', () => {
    const inputs = read({ 'database-url': 'postgresql://app@db/app', password: 'from-secret' });
    expect(inputs.connection.password).toBe('from-secret');
  });

  it('reads host, port, user, password and database', () => {
    const inputs = read({
      host: 'db.internal',
      port: '6432',
      user: 'app',
      password: 'pw-input',
      database: 'orders',
      sslmode: 'require',
    });
    expect(inputs.connection).toMatchObject({
      host: 'db.internal',
      port: 6432,
      user: 'app',
      password: 'pw-input',
      database: 'orders',
      sslmode: 'require',
    });
    expect(stdout.text()).toContain('::add-mask::pw-input');
  });

  it("falls back on libpq's environment variables, and the database on the user", () => {
    const inputs = read(
      {},
      { PGHOST: 'pg.local', PGPORT: '5433', PGUSER: 'ci', PGPASSWORD: 'env-secret', PGSSLMODE: 'disable' },
    );
    expect(inputs.connection).toMatchObject({
      host: 'pg.local',
      port: 5433,
      user: 'ci',
      password: 'env-secret',
      database: 'ci',
      sslmode: 'disable',
    });
    expect(stdout.text()).toContain('::add-mask::env-secret');
  });

  it('reads the baseline, with or without a V', () => {
    expect(read(withUrl({ command: 'baseline', 'baseline-version': 'V2_1' })).baseline).toEqual({
      version: { text: '2.1', key: '2.1' },
      description: 'baseline',
    });
  });

  it('reads the history table, durations, and flags', () => {
    const inputs = read(
      withUrl({
        command: 'plan',
        schema: 'Ops Data',
        table: 'schema_history',
        'lock-timeout': '250ms',
        'statement-timeout': '10m',
        'lock-retries': '0',
        'lock-wait': '0',
        'connect-timeout': '2m',
        'out-of-order': 'true',
        'allow-destructive': 'True',
      }),
    );
    expect(inputs).toMatchObject({
      command: 'plan',
      history: { sql: '"Ops Data"."schema_history"', display: 'Ops Data.schema_history' },
      lockTimeoutMs: 250,
      statementTimeoutMs: 600_000,
      lockRetries: 0,
      lockWaitMs: 0,
      connectTimeoutMs: 120_000,
      outOfOrder: true,
      allowDestructive: true,
    });
  });
});
