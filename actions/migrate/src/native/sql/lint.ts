import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query';
import type { MigrationFile } from '../files/migration-files.ts';
import { changesNameResolution, CreatedTables } from './created-tables.ts';
import { rangeVars, strings } from './parse-nodes.ts';
import type { Script, Statement } from './sql-script.ts';

/**
 * Lint for the changes that hurt in production, read from the parse tree: destructive statements,
 * renames the running release does not know about, and DDL that locks or rewrites a table that
 * already exists. Tables created earlier in the same batch of pending migrations are new and empty,
 * so the lock and rewrite rules leave them alone.
 */

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Destroys data: fails the step before anything runs unless allow-destructive is true. */
  destructive: boolean;
  /** The migration's script (its path inside migrations-dir) and the annotation path of the file. */
  script: string;
  file: string;
  line: number;
  endLine: number;
  message: string;
}

export interface LintTarget {
  migration: MigrationFile;
  script: Script;
}

export interface LintOptions {
  allowDestructive: boolean;
}

type Report = (
  rule: string,
  message: string,
  options?: { destructive?: boolean; severity?: Severity },
) => void;

/** Lints the scripts in the order they would run. */
export function lintScripts(targets: readonly LintTarget[], options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const created = new CreatedTables();
  for (const { migration, script } of targets) {
    const at =
      (line: number, endLine: number): Report =>
      (rule, message, { destructive = false, severity } = {}) => {
        const refused = destructive && !options.allowDestructive;
        findings.push({
          rule,
          severity: severity ?? (refused ? 'error' : 'warning'),
          destructive,
          script: migration.script,
          file: migration.annotationPath,
          line,
          endLine,
          message: refused ? `${message} Set allow-destructive: true to run it anyway.` : message,
        });
      };
    for (const { directive, line } of script.unknownDirectives) {
      at(line, line)(
        'unknown-directive',
        `"-- gantry:${directive}" is not a Gantry directive (the only one is "-- gantry:no-transaction"), so it has no effect.`,
      );
    }
    const outside = script.outsideTransaction;
    if (outside && script.statements.length > 1) {
      at(outside.line, outside.line)(
        'no-transaction',
        `${migration.script} runs outside a transaction, because of ${outside.reason} (line ${outside.line}): ` +
          `its ${script.statements.length} statements run one by one, and when one fails the ones before it stay applied. ` +
          'Keep such a file to one statement, or make each statement safe to repeat (IF NOT EXISTS).',
        { severity: 'notice' },
      );
    }
    for (const statement of script.statements) {
      lintStatement(statement, created, at(statement.line, statement.endLine), outside !== undefined);
    }
    created.endFile();
  }
  return findings;
}

function lintStatement(statement: Statement, created: CreatedTables, report: Report, outside: boolean): void {
  const node: Node = statement.node;
  if (changesNameResolution(node)) created.resolutionChanged();
  if ('CreateStmt' in node) {
    const { relation, if_not_exists, oncommit } = node.CreateStmt;
    // IF NOT EXISTS may well have found the table there already, with its rows.
    if (relation && !if_not_exists)
      created.add(relation, { outside, dropAtCommit: oncommit === 'ONCOMMIT_DROP' });
  } else if ('CreateTableAsStmt' in node) {
    const { into, if_not_exists } = node.CreateTableAsStmt;
    if (into?.rel && !if_not_exists) {
      created.add(into.rel, { outside, dropAtCommit: into.onCommit === 'ONCOMMIT_DROP' });
    }
  } else if ('SelectStmt' in node && node.SelectStmt.intoClause?.rel) {
    const { rel, onCommit } = node.SelectStmt.intoClause;
    created.add(rel, { outside, dropAtCommit: onCommit === 'ONCOMMIT_DROP' });
  } else if ('AlterObjectSchemaStmt' in node && node.AlterObjectSchemaStmt.relation) {
    created.forgetName(node.AlterObjectSchemaStmt.relation);
  } else if ('TransactionStmt' in node) lintTransaction(node.TransactionStmt.kind, report, outside);
  else if ('DropStmt' in node)
    lintDrop(node.DropStmt.removeType, node.DropStmt.objects ?? [], created, report);
  else if ('DropdbStmt' in node) {
    report('drop-database', `DROP DATABASE ${node.DropdbStmt.dbname} deletes a whole database.`, {
      destructive: true,
    });
  } else if ('TruncateStmt' in node) {
    for (const relation of rangeVars(node.TruncateStmt.relations)) {
      if (created.has(relation)) continue;
      report('truncate', `TRUNCATE ${tableName(relation)} deletes every row of the table.`, {
        destructive: true,
      });
    }
  } else if ('DeleteStmt' in node) {
    const { relation, whereClause } = node.DeleteStmt;
    if (relation && !whereClause && !created.has(relation)) {
      report(
        'delete-without-where',
        `DELETE FROM ${tableName(relation)} without WHERE deletes every row of the table.`,
        { destructive: true },
      );
    }
  } else if ('RenameStmt' in node) {
    lintRename(node.RenameStmt, created, report);
  } else if ('IndexStmt' in node) {
    const { relation, concurrent, idxname } = node.IndexStmt;
    if (relation && !concurrent && !created.has(relation)) {
      report(
        'create-index-non-concurrently',
        `CREATE INDEX${idxname ? ` ${idxname}` : ''} on ${tableName(relation)} without CONCURRENTLY blocks every write to the table while the index builds: ` +
          'use CREATE INDEX CONCURRENTLY (Gantry runs that file outside a transaction).',
      );
    }
  } else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
    const { relation, cmds } = node.AlterTableStmt;
    if (!relation) return;
    const isNew = created.has(relation);
    for (const cmd of cmds ?? []) {
      if ('AlterTableCmd' in cmd) lintAlterTable(cmd.AlterTableCmd, relation, isNew, report);
    }
  }
}

function lintTransaction(kind: string | undefined, report: Report, outside: boolean): void {
  // Savepoints work inside Gantry's transaction; files run outside one may manage their own.
  if (
    outside ||
    kind === 'TRANS_STMT_SAVEPOINT' ||
    kind === 'TRANS_STMT_RELEASE' ||
    kind === 'TRANS_STMT_ROLLBACK_TO'
  ) {
    return;
  }
  report(
    'transaction-control',
    `${transactionWord(kind)} in a migration: Gantry runs each file in its own transaction, and this would end it early, ` +
      'so a later failure could no longer be rolled back. Remove it (or add "-- gantry:no-transaction" to manage transactions yourself).',
    { severity: 'error' },
  );
}

function transactionWord(kind: string | undefined): string {
  const words: Record<string, string> = {
    TRANS_STMT_BEGIN: 'BEGIN',
    TRANS_STMT_START: 'START TRANSACTION',
    TRANS_STMT_COMMIT: 'COMMIT',
    TRANS_STMT_ROLLBACK: 'ROLLBACK',
    TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
    TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
    TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
  };
  return words[kind ?? ''] ?? 'A transaction statement';
}

function lintDrop(
  removeType: string | undefined,
  objects: Node[],
  created: CreatedTables,
  report: Report,
): void {
  if (removeType === 'OBJECT_TABLE') {
    for (const object of objects) {
      const names = 'List' in object ? strings(object.List.items) : [];
      const relation: RangeVar = {
        relname: names.at(-1),
        schemaname: names.length > 1 ? names.at(-2) : undefined,
      };
      if (created.has(relation)) {
        created.forget(relation);
        continue;
      }
      report(
        'drop-table',
        `DROP TABLE ${tableName(relation)} deletes the table and all its rows. The release running now may still use it: ` +
          'drop it in a later release, once no code reads it.',
        { destructive: true },
      );
    }
  } else if (removeType === 'OBJECT_SCHEMA') {
    for (const name of strings(objects)) {
      report('drop-schema', `DROP SCHEMA ${name} deletes the schema and, with CASCADE, every table in it.`, {
        destructive: true,
      });
    }
  }
}

function lintRename(
  rename: { renameType?: string; relation?: RangeVar; subname?: string; newname?: string },
  created: CreatedTables,
  report: Report,
): void {
  const { renameType, relation, subname, newname } = rename;
  if (!relation) return;
  // Whatever carries either name afterwards may be an old table: neither counts as new any more.
  if (renameType === 'OBJECT_TABLE') {
    const isNew = created.has(relation);
    created.forgetName(relation);
    if (newname) created.forgetName({ relname: newname });
    if (isNew) return;
  } else if (created.has(relation)) return;
  const expandContract =
    'The release running now still uses the old name until the deploy finishes: add the new name, move the code to it, and remove the old one in a later release.';
  if (renameType === 'OBJECT_TABLE') {
    report('rename-table', `Renaming table ${tableName(relation)} to ${newname}. ${expandContract}`);
  } else if (renameType === 'OBJECT_COLUMN') {
    report(
      'rename-column',
      `Renaming column ${tableName(relation)}.${subname} to ${newname}. ${expandContract}`,
    );
  }
}

function lintAlterTable(cmd: AlterTableCmd, relation: RangeVar, isNew: boolean, report: Report): void {
  const table = tableName(relation);
  const def = cmd.def;
  if (cmd.subtype === 'AT_DropColumn') {
    if (isNew) return;
    report(
      'drop-column',
      `DROP COLUMN ${table}.${cmd.name} deletes the column's data. The release running now may still read it: drop it in a later release.`,
      { destructive: true },
    );
    return;
  }
  if (isNew) return;
  if (cmd.subtype === 'AT_SetNotNull') {
    report(
      'set-not-null',
      `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
        `add CHECK (${cmd.name} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in another migration, then SET NOT NULL (PostgreSQL 12+ then skips the scan).`,
    );
  } else if (cmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
    lintAddColumn(def.ColumnDef, table, report);
  } else if (cmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
    lintAddConstraint(def.Constraint, table, report);
  } else if (cmd.subtype === 'AT_AlterColumnType' && def && 'ColumnDef' in def) {
    report(
      'alter-column-type',
      `Changing the type of ${table}.${cmd.name} to ${typeLabel(def.ColumnDef.typeName)} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, ` +
        'unless the change is binary-compatible (varchar(n) to text or to a longer varchar): add a new column, backfill it, and switch over.',
    );
  }
}

function lintAddColumn(column: ColumnDef, table: string, report: Report): void {
  const constraints = (column.constraints ?? []).flatMap((node) =>
    'Constraint' in node ? [node.Constraint] : [],
  );
  const types = new Set(constraints.map((constraint) => constraint.contype));
  const notNull = types.has('CONSTR_NOTNULL') || types.has('CONSTR_PRIMARY');
  const filled = types.has('CONSTR_DEFAULT') || types.has('CONSTR_IDENTITY') || types.has('CONSTR_GENERATED');
  if (notNull && !filled) {
    report(
      'add-not-null-column',
      `ADD COLUMN ${column.colname} NOT NULL without a DEFAULT fails on ${table} as soon as the table has rows: ` +
        'give it a DEFAULT (PostgreSQL 11+ adds it without rewriting the table), or add it nullable, backfill, then set NOT NULL.',
    );
  }
  if (types.has('CONSTR_PRIMARY') || types.has('CONSTR_UNIQUE')) {
    report(
      types.has('CONSTR_PRIMARY') ? 'add-primary-key' : 'add-unique-constraint',
      `ADD COLUMN ${column.colname} ${types.has('CONSTR_PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE'} builds an index on ${table} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.`,
    );
  }
}

function lintAddConstraint(constraint: Constraint, table: string, report: Report): void {
  const name = constraint.conname ? ` ${constraint.conname}` : '';
  if (
    (constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY') &&
    !constraint.indexname
  ) {
    const kind = constraint.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
    report(
      constraint.contype === 'CONSTR_PRIMARY' ? 'add-primary-key' : 'add-unique-constraint',
      `ADD${constraint.conname ? ` CONSTRAINT${name}` : ''} ${kind} builds an index on ${table} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
        `CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … ${kind} USING INDEX.`,
    );
  } else if (
    (constraint.contype === 'CONSTR_FOREIGN' || constraint.contype === 'CONSTR_CHECK') &&
    !constraint.skip_validation
  ) {
    const kind = constraint.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
    report(
      'validating-constraint',
      `ADD ${kind}${name} on ${table} checks every existing row while holding a lock that blocks writes: ` +
        'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration, which lets writes go on.',
    );
  }
}

function tableName(relation: RangeVar): string {
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : String(relation.relname);
}

function typeLabel(type: TypeName | undefined): string {
  const names = strings(type?.names).filter((name) => name !== 'pg_catalog');
  const modifiers = (type?.typmods ?? []).flatMap((node) =>
    'A_Const' in node && node.A_Const.ival?.ival !== undefined ? [String(node.A_Const.ival.ival)] : [],
  );
  return `${names.join('.') || 'another type'}${modifiers.length > 0 ? `(${modifiers.join(', ')})` : ''}`;
}
