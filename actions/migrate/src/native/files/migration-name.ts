import { parseVersion, type Version } from './version.ts';

/**
 * Migration file names, Flyway's convention: `V<version>__<description>.sql` (versioned),
 * `R__<description>.sql` (repeatable) and `U<version>__<description>.sql` (undo of that version).
 * Underscores in the description read as spaces.
 */
export type MigrationKind = 'versioned' | 'repeatable' | 'undo';

export type NameVerdict =
  | { kind: MigrationKind; version: Version | undefined; description: string }
  /** A name that was probably meant as a migration: running without it would skip a change silently. */
  | { kind: 'malformed'; problem: string }
  /** Another `.sql` file (seed data, a helper), left alone. */
  | { kind: 'other' };

const VERSIONED = /^([VU])([^_]*(?:_(?!_)[^_]*)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
/**
 * Starts like a migration: V or U then a digit or an underscore, or R then an underscore, in either
 * case. Other names (`Values__seed.sql`, `users.sql`) are not migrations at all.
 */
const LOOKS_LIKE_MIGRATION = /^(?:[VvUu][\d_]|[Rr]_)/;

export function classifyName(name: string): NameVerdict {
  if (!LOOKS_LIKE_MIGRATION.test(name)) return { kind: 'other' };
  const versioned = VERSIONED.exec(name);
  if (versioned) {
    // Indexed rather than destructured: array destructuring walks an iterator, and this runs for every file.
    const prefix = versioned[1] as string;
    const rawVersion = versioned[2] as string;
    const rawDescription = versioned[3] as string;
    const version = parseVersion(rawVersion);
    if (!version) {
      return {
        kind: 'malformed',
        problem: `"${rawVersion}" is not a version: use whole numbers separated by "." or "_", like 1, 2_1 or 20240115093000`,
      };
    }
    const description = describe(rawDescription);
    if (description === '') return { kind: 'malformed', problem: 'the description after "__" is empty' };
    return { kind: prefix === 'V' ? 'versioned' : 'undo', version, description };
  }
  const repeatable = REPEATABLE.exec(name);
  if (repeatable) {
    const description = describe(repeatable[1] as string);
    if (description === '') return { kind: 'malformed', problem: 'the description after "__" is empty' };
    return { kind: 'repeatable', version: undefined, description };
  }
  return { kind: 'malformed', problem: malformedReason(name) };
}

function describe(raw: string): string {
  return raw.replaceAll('_', ' ').trim();
}

function malformedReason(name: string): string {
  if (/^[vur]/.test(name)) return `the prefix must be an upper-case ${name[0]?.toUpperCase()}`;
  if (!name.includes('__'))
    return 'the version and the description must be separated by two underscores ("__")';
  if (name.endsWith('__.sql')) return 'the description after "__" is empty';
  return 'expected V<version>__<description>.sql, U<version>__<description>.sql or R__<description>.sql';
}
