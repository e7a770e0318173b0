import { migrationChecksum } from '../../../actions/migrate/src/native/files/checksum.ts';
import type { MigrationFile } from '../../../actions/migrate/src/native/files/migration-files.ts';
import { classifyName } from '../../../actions/migrate/src/native/files/migration-name.ts';

/** Builders shared by the migrate tests. */

/** A migration as loadMigrations would make it from a file `script` (a migration file name) holding `sql`. */
export function migrationFile(script: string, sql: string): MigrationFile {
  const verdict = classifyName(script.split('/').at(-1) as string);
  if (verdict.kind === 'other' || verdict.kind === 'malformed') {
    throw new Error(`test setup: ${script} is not a migration name`);
  }
  return {
    kind: verdict.kind,
    version: verdict.version,
    description: verdict.description,
    script,
    annotationPath: `db/migrations/${script}`,
    sql,
    checksum: migrationChecksum(sql),
  };
}
