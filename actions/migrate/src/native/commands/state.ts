import type { HistoryRow } from '../database/history.ts';
import type { MigrationFile, MigrationSet } from '../files/migration-files.ts';
import { compareVersions, parseVersion, type Version } from '../files/version.ts';

/**
 * Where the database stands against the files on disk, worked out from the history rows alone (no
 * database access): what is applied, what is pending, what drifted, what failed last time.
 */

export interface AppliedMigration {
  version: Version;
  row: HistoryRow;
  /** The file on disk with this version, when there is one. */
  file: MigrationFile | undefined;
}

export type DriftKind = 'changed' | 'missing' | 'unknown';

export interface Drift {
  kind: DriftKind;
  version: string;
  script: string;
  /** The annotation path of the file on disk, for `changed`. */
  file: string | undefined;
  message: string;
}

export interface DatabaseState {
  /** The version of the latest baseline, when the database was baselined. */
  baseline: Version | undefined;
  /** Versioned migrations applied now (undone ones excluded), ascending. */
  applied: AppliedMigration[];
  /** The highest applied or baseline version. */
  currentVersion: Version | undefined;
  /** Versioned migrations to apply, ascending, then repeatable ones whose checksum changed or that are new. */
  pendingVersioned: MigrationFile[];
  pendingRepeatable: MigrationFile[];
  /** Pending versioned migrations lower than the highest applied version. */
  outOfOrder: MigrationFile[];
  /** Versioned files at or below the baseline that were never applied: skipped for good. */
  belowBaseline: MigrationFile[];
  drift: Drift[];
  /** The latest attempt of a migration that failed and has not succeeded since. */
  failed: HistoryRow[];
}

export function analyse(set: MigrationSet, rows: readonly HistoryRow[]): DatabaseState {
  // One map serves both the files by key and the versions by text: with ten thousand applied
  // versions, building maps is most of the analysis, and a plain version's text is its key.
  const files = new Map<string, MigrationFile>();
  for (const file of set.versioned) files.set((file.version as Version).key, file);
  const appliedRows = new Map<string, { version: Version; row: HistoryRow }>();
  const repeatableChecksums = new Map<string, string | null>();
  /** The latest attempt of each migration, kept only while it is a failure: few ever are. */
  const failedAttempts = new Map<string, HistoryRow>();
  let baseline: Version | undefined;

  for (const row of rows) {
    const version = row.version === null ? undefined : versionOf(row.version, files);
    // The identity is only needed while some attempt failed: most histories have none.
    if (row.type !== 'baseline' && (!row.success || failedAttempts.size > 0)) {
      const identity = row.type === 'repeatable' ? `R:${row.description}` : `V:${version?.key}`;
      if (!row.success) failedAttempts.set(identity, row);
      else failedAttempts.delete(identity);
    }
    if (!row.success) continue;
    if (row.type === 'repeatable') repeatableChecksums.set(row.description, row.checksum);
    else if (!version) continue;
    else if (row.type === 'baseline') baseline = version;
    else if (row.type === 'versioned') appliedRows.set(version.key, { version, row });
    else appliedRows.delete(version.key);
  }

  const applied = [...appliedRows.values()]
    .sort((a, b) => compareVersions(a.version, b.version))
    .map(({ version, row }) => ({ version, row, file: files.get(version.key) }));
  const highestApplied = applied.at(-1)?.version;
  const currentVersion = maxVersion(highestApplied, baseline);

  const pendingVersioned: MigrationFile[] = [];
  const belowBaseline: MigrationFile[] = [];
  for (const file of set.versioned) {
    const version = file.version as Version;
    if (appliedRows.has(version.key)) continue;
    if (baseline && compareVersions(version, baseline) <= 0) belowBaseline.push(file);
    else pendingVersioned.push(file);
  }
  const outOfOrder = highestApplied
    ? pendingVersioned.filter((file) => compareVersions(file.version as Version, highestApplied) < 0)
    : [];
  const pendingRepeatable = set.repeatable.filter(
    (file) => repeatableChecksums.get(file.description) !== file.checksum,
  );
  const failed = [...failedAttempts.values()].sort((a, b) => a.id - b.id);

  return {
    baseline,
    applied,
    currentVersion,
    pendingVersioned,
    pendingRepeatable,
    outOfOrder,
    belowBaseline,
    drift: findDrift(applied, set.versioned.at(-1)?.version),
    failed,
  };
}

function findDrift(applied: AppliedMigration[], highestFile: Version | undefined): Drift[] {
  const drift: Drift[] = [];
  for (const { version, row, file } of applied) {
    if (file) {
      if (row.checksum !== null && row.checksum !== file.checksum) {
        drift.push({
          kind: 'changed',
          version: version.text,
          script: file.script,
          file: file.annotationPath,
          message:
            `${file.script} was changed after it was applied as version ${version.text} ` +
            `(checksum ${short(row.checksum)} when applied, ${short(file.checksum)} now): the database does not have the change. ` +
            'Put the change in a new migration and restore the file.',
        });
      }
    } else if (highestFile && compareVersions(version, highestFile) <= 0) {
      drift.push({
        kind: 'missing',
        version: version.text,
        script: row.script,
        file: undefined,
        message: `Version ${version.text} (${row.script}) is applied, but its file is no longer in migrations-dir: restore it.`,
      });
    } else {
      drift.push({
        kind: 'unknown',
        version: version.text,
        script: row.script,
        file: undefined,
        message:
          `Version ${version.text} (${row.script}) is applied, but is newer than every file in migrations-dir: ` +
          'the database is ahead of this checkout (a newer release migrated it).',
      });
    }
  }
  return drift;
}

/**
 * A version text from the table; one edited by hand into something else still gets an identity.
 * The version of the file with that text is used as it is, so most rows parse nothing: with
 * thousands of rows, parsing dominates the analysis otherwise.
 */
function versionOf(text: string, files: Map<string, MigrationFile>): Version {
  const file = files.get(text);
  if (file?.version?.text === text) return file.version;
  return parseVersion(text) ?? { text, key: text };
}

function maxVersion(a: Version | undefined, b: Version | undefined): Version | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

function short(checksum: string): string {
  return checksum.slice(0, 12);
}
