import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getList,
  getOptionalString,
  getString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import {
  CONNECTION_INPUTS,
  readConnectionSettings,
  readDatabaseUrl,
} from '../../../shared/src/postgres/connection-inputs.ts';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import type { RetentionPolicy } from '../../../shared/src/retention/policy.ts';
import { maskSecret, redactUrlCredentials } from '../../../shared/src/runner/secrets.ts';
import { COMPRESSION_ACCEPTED, parseCompression } from './postgres/compression.ts';
import type { Decryption, Encryption } from './streams/encryption.ts';
import { readEncryption, readIdentities } from './encryption-inputs.ts';
import { RETENTION_INPUTS, readRetentionPolicy } from './retention-inputs.ts';
import { readStoreInputs, type StoreInputs } from './store-inputs.ts';

/**
 * The only module that reads inputs. Everything is checked before anything connects, dumps,
 * uploads or deletes; an input that the command does not use is refused rather than ignored (a
 * keep-daily given to backup means the workflow is not doing what its author thinks).
 */

export const COMMANDS = ['backup', 'list', 'prune', 'restore'] as const;
export type Command = (typeof COMMANDS)[number];

interface Common {
  store: StoreInputs;
  timeoutMs: number;
}

export interface DumpOptions {
  schemas: string[];
  excludeSchemas: string[];
  tables: string[];
  excludeTables: string[];
  excludeTableData: string[];
  compression: string | undefined;
}

export interface BackupInputs extends Common {
  command: 'backup';
  connection: ConnectionSettings;
  connectTimeoutMs: number;
  pgDumpPath: string | undefined;
  dump: DumpOptions;
  encryption: Encryption | undefined;
  /** Identities that read the uploaded object back for verification. */
  verifyDecryption: Decryption | undefined;
  verify: 'list' | 'restore';
  verifyConnection: ConnectionSettings | undefined;
}

export interface ListInputs extends Common {
  command: 'list';
  database: string;
}

export interface PruneInputs extends Common {
  command: 'prune';
  database: string;
  policy: RetentionPolicy;
  confirmDelete: boolean;
}

export interface RestoreInputs extends Common {
  command: 'restore';
  /** The key of a backup, or undefined for the latest of `database`. */
  backupKey: string | undefined;
  database: string | undefined;
  target: ConnectionSettings;
  connectTimeoutMs: number;
  clean: boolean;
  jobs: number;
  decryption: Decryption | undefined;
}

export type ActionInputs = BackupInputs | ListInputs | PruneInputs | RestoreInputs;

const HOUR = 3_600_000;
const BACKUP_ONLY = [
  'pg-dump-path',
  'schemas',
  'exclude-schemas',
  'tables',
  'exclude-tables',
  'exclude-table-data',
  'compression',
  'encrypt-to',
  'encrypt-passphrase',
  'verify',
  'verify-database-url',
];
const RESTORE_ONLY = ['target-database-url', 'confirm', 'clean', 'jobs', 'decrypt-passphrase'];
/** Inputs each command uses, beyond the S3 ones and timeout which all use. */
const USED_BY: Record<Command, string[]> = {
  backup: [...CONNECTION_INPUTS, 'connect-timeout', ...BACKUP_ONLY, 'decrypt-identity'],
  list: [...CONNECTION_INPUTS],
  prune: [...CONNECTION_INPUTS, ...RETENTION_INPUTS, 'confirm-delete'],
  restore: [...CONNECTION_INPUTS, 'connect-timeout', 'backup', ...RESTORE_ONLY, 'decrypt-identity'],
};
/** Inputs with a default in action.yml: they always arrive, so "given" means "not the default". */
const DEFAULTS: Record<string, string> = {
  'connect-timeout': '30s',
  verify: 'list',
  'confirm-delete': 'false',
  backup: 'latest',
  clean: 'false',
  jobs: '1',
};

export async function readInputs(): Promise<ActionInputs> {
  const command = getEnum('command', COMMANDS, 'backup');
  // Secrets first, so that no message below can show one before it is masked.
  for (const name of ['encrypt-passphrase', 'decrypt-passphrase', 'decrypt-identity'])
    maskSecret(getOptionalString(name));
  refuseUnused(command);
  const store = readStoreInputs();
  const timeoutMs = getDuration('timeout', { default: 6 * HOUR, min: 10_000, max: 72 * HOUR });
  switch (command) {
    case 'backup':
      return { command, store, timeoutMs, ...(await readBackupInputs()) };
    case 'list':
      return { command, store, timeoutMs, database: readConnectionSettings().database };
    case 'prune':
      return {
        command,
        store,
        timeoutMs,
        database: readConnectionSettings().database,
        policy: readRetentionPolicy(),
        confirmDelete: getBoolean('confirm-delete', false),
      };
    case 'restore':
      return { command, store, timeoutMs, ...(await readRestoreInputs()) };
  }
}

/** Masked even when refused as unused: a URL input holds a password. */
const SECRET_INPUTS = new Set(['database-url', 'password', 'target-database-url', 'verify-database-url']);

function refuseUnused(command: Command): void {
  const used = new Set(USED_BY[command]);
  const all = new Set(Object.values(USED_BY).flat());
  for (const name of all) {
    if (used.has(name)) continue;
    const value = getOptionalString(name, { secret: SECRET_INPUTS.has(name) });
    if (value !== undefined && SECRET_INPUTS.has(name)) redactUrlCredentials(value);
    if (value === undefined || value === DEFAULTS[name]) continue;
    const users = (Object.keys(USED_BY) as Command[]).filter((other) => USED_BY[other].includes(name));
    throw new ConfigurationError(
      `Input "${name}" is for ${users.join(' and ')}, not for command ${command}.`,
      {
        input: name,
        hint: `remove it from this step, or set command: ${users[0]}`,
      },
    );
  }
}

const CONNECT_TIMEOUT = { default: 30_000, min: 1000, max: HOUR };

async function readBackupInputs(): Promise<Omit<BackupInputs, keyof Common | 'command'>> {
  const connection = readConnectionSettings();
  const compression = getOptionalString('compression');
  if (compression !== undefined && !parseCompression(compression)) {
    throw invalidInput('compression', compression, COMPRESSION_ACCEPTED);
  }
  const encryption = await readEncryption();
  const verifyDecryption = await readIdentities();
  if (verifyDecryption && !encryption) {
    throw new ConfigurationError(
      'Input "decrypt-identity" is given but the backup is not encrypted (no encrypt-to).',
      {
        input: 'decrypt-identity',
        hint: 'backup uses decrypt-identity only to verify an encrypted upload: add encrypt-to, or drop decrypt-identity',
      },
    );
  }
  if (verifyDecryption && encryption && 'passphrase' in encryption) {
    throw new ConfigurationError(
      'Input "decrypt-identity" cannot read a backup encrypted with encrypt-passphrase.',
      {
        input: 'decrypt-identity',
      },
    );
  }
  const verify = getEnum('verify', ['list', 'restore'] as const, 'list');
  const verifyConnection = readDatabaseUrl('verify-database-url', connection.ca);
  if (verify === 'restore' && !verifyConnection) {
    throw new ConfigurationError(
      'verify: restore needs verify-database-url, a throwaway database to restore into.',
      {
        input: 'verify-database-url',
      },
    );
  }
  if (verify === 'list' && verifyConnection) {
    throw new ConfigurationError(
      'Input "verify-database-url" is given but verify is list, which does not use it.',
      {
        input: 'verify-database-url',
        hint: 'set verify: restore to restore every backup into it, or drop it',
      },
    );
  }
  if (verifyConnection && sameDatabase(verifyConnection, connection)) {
    throw new ConfigurationError(
      'Input "verify-database-url" names the database being backed up: verification empties the database it restores into.',
      { input: 'verify-database-url', hint: 'give a separate, throwaway database' },
    );
  }
  return {
    connection,
    connectTimeoutMs: getDuration('connect-timeout', CONNECT_TIMEOUT),
    pgDumpPath: getOptionalString('pg-dump-path'),
    dump: {
      schemas: getList('schemas'),
      excludeSchemas: getList('exclude-schemas'),
      tables: getList('tables'),
      excludeTables: getList('exclude-tables'),
      excludeTableData: getList('exclude-table-data'),
      compression,
    },
    encryption,
    verifyDecryption,
    verify,
    verifyConnection,
  };
}

async function readRestoreInputs(): Promise<Omit<RestoreInputs, keyof Common | 'command'>> {
  const backup = getString('backup', { default: 'latest' });
  const backupKey = backup === 'latest' ? undefined : readBackupKey(backup);
  const target = readDatabaseUrl('target-database-url');
  if (!target) {
    throw new ConfigurationError('Input "target-database-url" is required for restore.', {
      input: 'target-database-url',
      hint: 'the database to restore into, like postgresql://user:password@host:5432/app_restore',
    });
  }
  const confirm = getOptionalString('confirm');
  if (confirm !== target.database) {
    throw new ConfigurationError(
      confirm === undefined
        ? `restore needs confirm: ${target.database}, the name of the target database, to replace what it holds.`
        : `Input "confirm" is "${confirm}" but the target database is "${target.database}": nothing was downloaded or restored.`,
      {
        input: 'confirm',
        hint: `set confirm: ${target.database} once you are sure this is the database to restore into`,
      },
    );
  }
  const identities = await readIdentities();
  const passphrase = getOptionalString('decrypt-passphrase', { secret: true });
  if (identities && passphrase !== undefined) {
    throw new ConfigurationError(
      'Inputs "decrypt-identity" and "decrypt-passphrase" are both given: a backup is encrypted with one or the other.',
      {
        input: 'decrypt-passphrase',
      },
    );
  }
  const database =
    backupKey === undefined || hasConnectionInputs() ? readConnectionSettings().database : undefined;
  return {
    backupKey,
    database,
    target,
    connectTimeoutMs: getDuration('connect-timeout', CONNECT_TIMEOUT),
    clean: getBoolean('clean', false),
    jobs: getInteger('jobs', { default: 1, min: 1, max: 64 }),
    decryption: identities ?? (passphrase === undefined ? undefined : { passphrase }),
  };
}

const KEY_PATTERN = /\/\d{8}T\d{6}Z-[0-9a-f]{8}\.(dump|dump\.age|json)$/;

function readBackupKey(text: string): string {
  if (!KEY_PATTERN.test(text)) {
    throw invalidInput(
      'backup',
      text,
      'expected latest, or the key of a backup like backups/app/20260101T020000Z-1a2b3c4d.dump (its .dump, .dump.age or .json key)',
    );
  }
  return text;
}

/** With a backup key, restore needs no source database; when one is named, it is read (and checked). */
function hasConnectionInputs(): boolean {
  return (
    getOptionalString('database-url') !== undefined ||
    getOptionalString('host') !== undefined ||
    !!process.env.PGHOST
  );
}

function sameDatabase(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.host === b.host && a.port === b.port && a.database === b.database;
}
