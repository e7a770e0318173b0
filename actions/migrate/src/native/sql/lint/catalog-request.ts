import type { Node, RangeVar } from 'libpg-query';
import type { Script } from '../sql-script.ts';
import { strings } from '../parse-nodes.ts';
import { relationKey, typeKey, type CatalogRequest } from './catalog-facts.ts';
import { droppedRelation } from './destructive.ts';
import { calledFunctions } from './volatility.ts';

/**
 * What lint will ask the database about the whole batch, gathered from the statements' top-level
 * nodes before it runs, so that one query answers for every file: the tables that CREATE INDEX,
 * ALTER TABLE, CREATE TABLE IF NOT EXISTS and DROP TABLE IF EXISTS name (less those a plain CREATE TABLE in the batch made
 * first), the columns whose type changes, the functions that ADD COLUMN defaults call, and the types
 * ADD COLUMN gives existing tables (a domain with constraints rewrites the table).
 */
export function catalogRequest(scripts: readonly Script[]): CatalogRequest {
  const created = new Set<string>();
  const relations = new Map<string, RangeVar>();
  const columns = new Map<string, { relation: RangeVar; column: string }>();
  const functions = new Set<string>();
  const types = new Map<string, CatalogRequest['types'][number]>();
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
      } else if (
        'DropStmt' in node &&
        node.DropStmt.missing_ok &&
        node.DropStmt.removeType === 'OBJECT_TABLE'
      ) {
        for (const object of node.DropStmt.objects ?? []) ask(droppedRelation(object));
      } else if ('IndexStmt' in node && !node.IndexStmt.concurrent) {
        ask(node.IndexStmt.relation);
      } else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
        const { relation, cmds } = node.AlterTableStmt;
        ask(relation);
        const isNew = relation !== undefined && created.has(relationKey(relation));
        for (const cmd of cmds ?? [])
          askAbout(cmd, isNew ? undefined : relation, { columns, functions, types });
      }
    }
  }
  return {
    relations: [...relations.values()],
    columns: [...columns.values()],
    functions: [...functions],
    types: [...types.values()],
  };
}

/**
 * The column whose type changes and the type a column is added with (`relation` undefined for a
 * table the batch created), and every function an ADD COLUMN default calls: lint asks the facts
 * about each of them, so each is asked.
 */
function askAbout(
  cmd: Node,
  relation: RangeVar | undefined,
  {
    columns,
    functions,
    types,
  }: {
    columns: Map<string, { relation: RangeVar; column: string }>;
    functions: Set<string>;
    types: Map<string, CatalogRequest['types'][number]>;
  },
): void {
  if (!('AlterTableCmd' in cmd)) return;
  const { subtype, name, def } = cmd.AlterTableCmd;
  if (subtype === 'AT_AlterColumnType' && name && relation?.relname) {
    columns.set(`${relationKey(relation)}\0${name}`, {
      relation: { relname: relation.relname, schemaname: relation.schemaname },
      column: name,
    });
  } else if (subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
    const names = strings(def.ColumnDef.typeName?.names);
    if (relation && names.length > 0 && (def.ColumnDef.typeName?.arrayBounds ?? []).length === 0) {
      types.set(typeKey(names), {
        schema: names.length > 1 ? (names.at(-2) ?? null) : null,
        name: names.at(-1) as string,
      });
    }
    for (const constraint of def.ColumnDef.constraints ?? []) {
      if ('Constraint' in constraint && constraint.Constraint.contype === 'CONSTR_DEFAULT') {
        for (const fn of calledFunctions(constraint.Constraint.raw_expr)) functions.add(fn);
      }
    }
  }
}
