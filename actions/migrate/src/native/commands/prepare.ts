import type { MigrationType } from '../database/apply.ts';
import { readCatalogFacts } from '../database/catalog.ts';
import type { Session } from '../database/session.ts';
import { lintScripts, type Finding } from '../sql/lint.ts';
import { catalogRequest } from '../sql/lint/catalog-request.ts';
import type { MigrationFile } from '../files/migration-files.ts';
import { readScript, SqlSyntaxError, type Script, type SqlParser } from '../sql/sql-script.ts';

/**
 * Parses and lints the migrations about to run, all of them before the first one runs: a syntax error
 * in the fifth file or a destructive statement that is not allowed stops the step while the database
 * is still untouched. Lint asks the database (one catalog query for the whole batch) what the text
 * alone cannot tell: which tables exist, their size, a column's current type.
 */

export interface PrepareOptions {
  allowDestructive: boolean;
  /** The session whose catalog lint reads; without it lint judges from the text alone. */
  database?: Session;
}

export interface PreparedMigration {
  migration: MigrationFile;
  type: MigrationType;
  script: Script;
}

export interface Preparation {
  prepared: PreparedMigration[];
  findings: Finding[];
  /** Findings of severity error: nothing may run. */
  blocking: Finding[];
}

export async function prepareMigrations(
  migrations: readonly { migration: MigrationFile; type: MigrationType }[],
  parser: SqlParser,
  serverVersion: number,
  options: PrepareOptions,
): Promise<Preparation> {
  const prepared: PreparedMigration[] = [];
  const syntaxErrors: Finding[] = [];
  for (const { migration, type } of migrations) {
    try {
      prepared.push({ migration, type, script: readScript(migration.sql, parser, serverVersion) });
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      syntaxErrors.push({
        rule: 'syntax-error',
        severity: 'error',
        destructive: false,
        script: migration.script,
        file: migration.annotationPath,
        line: error.line,
        endLine: error.line,
        message: `${migration.script} line ${error.line}, column ${error.column}: ${error.message} (PostgreSQL's parser).`,
      });
    }
  }
  const facts = options.database
    ? await readCatalogFacts(options.database, catalogRequest(prepared.map(({ script }) => script)))
    : undefined;
  const findings = [
    ...syntaxErrors,
    ...lintScripts(prepared, { allowDestructive: options.allowDestructive, facts }),
  ];
  return { prepared, findings, blocking: findings.filter((finding) => finding.severity === 'error') };
}
