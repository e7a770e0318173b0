import { statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getOptionalString,
  getString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import { readConnectionSettings } from '../../../shared/src/postgres/connection-inputs.ts';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import { historyTable, type HistoryTable } from './native/database/history.ts';
import { parseVersion, type Version } from './native/files/version.ts';

/** Everything the migrate action needs, read and validated before it connects to anything. */

export const COMMANDS = ['migrate', 'plan', 'validate', 'baseline', 'undo', 'info'] as const;
export type Command = (typeof COMMANDS)[number];

export interface MigrateInputs {
  command: Command;
  /** Absolute. */
  migrationsDir: string;
  /** Annotation paths are relative to it. */
  workspace: string;
  connection: ConnectionSettings;
  history: HistoryTable;
  lockTimeoutMs: number;
  /** 0: no limit. */
  statementTimeoutMs: number;
  lockRetries: number;
  lockWaitMs: number;
  connectTimeoutMs: number;
  outOfOrder: boolean;
  allowDestructive: boolean;
  /** Only for command baseline. */
  baseline: { version: Version; description: string } | undefined;
}

const HOUR = 3_600_000;
/** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server. */
const MAX_IDENTIFIER_BYTES = 63;
export const MODES = ['native', 'kubernetes-job', 'ecs-task'] as const;
export type Mode = (typeof MODES)[number];

/** native: Gantry runs the SQL files; the others run the application's own command in its cluster. */
export function readMode(): Mode {
  return getEnum('mode', MODES, 'native');
}

/** The inputs of mode native. */
export function readInputs(): MigrateInputs {
  const command = getEnum('command', COMMANDS, 'migrate');
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  return {
    command,
    migrationsDir: readMigrationsDir(workspace),
    workspace,
    connection: readConnectionSettings(),
    history: historyTable(identifier('schema', 'public'), readTableName()),
    lockTimeoutMs: getDuration('lock-timeout', { default: 5000, min: 10, max: HOUR }),
    statementTimeoutMs: getDuration('statement-timeout', { default: 0, min: 0, max: 24 * HOUR }),
    lockRetries: getInteger('lock-retries', { default: 3, min: 0, max: 20 }),
    lockWaitMs: getDuration('lock-wait', { default: 5 * 60_000, min: 0, max: 6 * HOUR }),
    connectTimeoutMs: getDuration('connect-timeout', { default: 30_000, min: 1000, max: HOUR }),
    outOfOrder: getBoolean('out-of-order', false),
    allowDestructive: getBoolean('allow-destructive', false),
    baseline: readBaseline(command),
  };
}

function readMigrationsDir(workspace: string): string {
  const given = getString('migrations-dir', { default: 'migrations' });
  const dir = path.resolve(workspace, given);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      `Input "migrations-dir" is "${given}", which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`} (looked for ${dir}).`,
      {
        input: 'migrations-dir',
        hint: 'give the directory of the .sql files relative to the repository root, and check the repository out first (actions/checkout)',
      },
    );
  }
  if (!isDirectory)
    throw invalidInput('migrations-dir', given, 'expected a directory of .sql migration files');
  return dir;
}

function readTableName(): string {
  const table = identifier('table', 'gantry_schema_history');
  if (table.includes('.')) {
    throw invalidInput(
      'table',
      table,
      'expected a table name without a schema: the schema goes in the schema input',
    );
  }
  return table;
}

function identifier(name: string, fallback: string): string {
  const value = getString(name, { default: fallback });
  if (Buffer.byteLength(value, 'utf8') > MAX_IDENTIFIER_BYTES || value.includes('\0')) {
    throw invalidInput(name, value, `expected a PostgreSQL name of at most ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  return value;
}

function readBaseline(command: Command): MigrateInputs['baseline'] {
  const raw = getOptionalString('baseline-version');
  if (command !== 'baseline') {
    if (raw !== undefined) {
      throw new ConfigurationError(
        `Input "baseline-version" is only used by command baseline, and the command is ${command}.`,
        {
          input: 'baseline-version',
          hint: 'set command: baseline to mark an existing database, or drop baseline-version',
        },
      );
    }
    return undefined;
  }
  if (raw === undefined) {
    throw new ConfigurationError('Input "baseline-version" is required with command baseline.', {
      input: 'baseline-version',
      hint: 'the version the existing database already matches, like 1 or 2024.01.15',
    });
  }
  const version = parseVersion(raw.replace(/^V/, ''));
  if (!version)
    throw invalidInput('baseline-version', raw, 'expected a version like 1, 1.2 or 20240115093000');
  return { version, description: getString('baseline-description', { default: 'baseline' }) };
}
