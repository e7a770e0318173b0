import type { AlterTableCmd, Constraint, RangeVar } from 'libpg-query';
import { lintAddColumn } from './add-column.ts';
import { lintAlterColumnType } from './alter-column-type.ts';
import { isNewTable, type StatementContext } from './context.ts';
import { tableName, type Report } from './finding.ts';

/** ALTER TABLE's subcommands: dropped columns, and the locks and rewrites on a table that has rows. */
export function lintAlterTable(cmd: AlterTableCmd, relation: RangeVar, context: StatementContext): void {
  const { report, created } = context;
  const table = tableName(relation);
  const def = cmd.def;
  if (cmd.subtype === 'AT_DropColumn') {
    if (cmd.name) created.forgetColumn(relation, cmd.name);
    if (created.has(relation)) return;
    report(
      'drop-column',
      `DROP COLUMN ${table}.${cmd.name} deletes the column's data. The release running now may still read it: drop it in a later release.`,
      { destructive: true },
    );
    return;
  }
  if (cmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
    lintAddColumn(def.ColumnDef, relation, context);
    if (def.ColumnDef.colname) created.declareColumn(relation, def.ColumnDef.colname, def.ColumnDef.typeName);
    return;
  }
  if (cmd.subtype === 'AT_AlterColumnType' && def && 'ColumnDef' in def && cmd.name) {
    lintAlterColumnType(cmd.name, def.ColumnDef, relation, context);
    created.declareColumn(relation, cmd.name, def.ColumnDef.typeName);
    return;
  }
  if (isNewTable(context, relation)) return;
  if (cmd.subtype === 'AT_SetNotNull') {
    report(
      'set-not-null',
      `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
        `add CHECK (${cmd.name} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in another migration, then SET NOT NULL (PostgreSQL 12+ then skips the scan).`,
    );
  } else if (cmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
    lintAddConstraint(def.Constraint, table, report);
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
