import type { Node, RangeVar } from 'libpg-query';
import type { Script } from '../sql-script.ts';
import { relationKey, type CatalogRequest } from './catalog-facts.ts';
import { calledFunctions } from './volatility.ts';

/**
 * What lint will ask the database about the whole batch, gathered from the statements' top-level
 * nodes before it runs, so that one query answers for every file: the tables that CREATE INDEX,
 * ALTER TABLE and CREATE TABLE IF NOT EXISTS name (less those a plain CREATE TABLE in the batch made
 * first), the columns whose type changes, and the functions that ADD COLUMN defaults call.
 */
export function catalogRequest(scripts: readonly Script[]): CatalogRequest {
  const created = new Set<string>();
  const relations = new Map<string, RangeVar>();
  const columns = new Map<string, { relation: RangeVar; column: string }>();
  const functions = new Set<string>();
  const ask = (relation: RangeVar | undefined): void => {
    if (!relation?.relname || created.has(relationKey(relation))) return;
    relations.set(relationKey(relation), { relname: relation.relname, schemaname: relation.schemaname });
  };
  for (const script of scripts) {
    for (const { node } of script.statements) {
      if ('CreateStmt' in node) {
        const { relation, if_not_exists } = node.CreateStmt;
        if (if_not_exists) ask(relation);
        else if (relation) created.add(relationKey(relation));
      } else if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.if_not_exists) {
        ask(node.CreateTableAsStmt.into?.rel);
      } else if ('IndexStmt' in node && !node.IndexStmt.concurrent) {
        ask(node.IndexStmt.relation);
      } else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
        const { relation, cmds } = node.AlterTableStmt;
        ask(relation);
        const isNew = relation !== undefined && created.has(relationKey(relation));
        for (const cmd of cmds ?? []) askAbout(cmd, isNew ? undefined : relation, columns, functions);
      }
    }
  }
  return { relations: [...relations.values()], columns: [...columns.values()], functions: [...functions] };
}

/**
 * The column whose type changes (`relation` undefined for a table the batch created), and every
 * function an ADD COLUMN default calls: lint asks the facts about each of them, so each is asked.
 */
function askAbout(
  cmd: Node,
  relation: RangeVar | undefined,
  columns: Map<string, { relation: RangeVar; column: string }>,
  functions: Set<string>,
): void {
  if (!('AlterTableCmd' in cmd)) return;
  const { subtype, name, def } = cmd.AlterTableCmd;
  if (subtype === 'AT_AlterColumnType' && name && relation?.relname) {
    columns.set(`${relationKey(relation)}\0${name}`, {
      relation: { relname: relation.relname, schemaname: relation.schemaname },
      column: name,
    });
  } else if (subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
    for (const constraint of def.ColumnDef.constraints ?? []) {
      if ('Constraint' in constraint && constraint.Constraint.contype === 'CONSTR_DEFAULT') {
        for (const fn of calledFunctions(constraint.Constraint.raw_expr)) functions.add(fn);
      }
    }
  }
}
