import type { Node, RangeVar } from 'libpg-query';
import type { CreatedTables } from '../created-tables.ts';
import { rangeVars, strings } from '../parse-nodes.ts';
import { absentFromDatabase, type StatementContext } from './context.ts';
import { tableName, type Report } from './finding.ts';

/** The rules for statements that destroy data: refused unless allow-destructive is true. */

/**
 * DROP TABLE of a table the batch created deletes nothing anyone had; so does DROP TABLE IF EXISTS of
 * one the database does not have (a clean-up that finds nothing), which the catalog tells when lint
 * has it, or of one the batch dropped already.
 */
export function lintDrop(
  drop: { removeType?: string; objects?: Node[]; missing_ok?: boolean },
  context: StatementContext,
): void {
  const { created, report } = context;
  if (drop.removeType === 'OBJECT_TABLE') {
    for (const object of drop.objects ?? []) {
      const relation = droppedRelation(object);
      if (created.has(relation)) {
        created.forget(relation);
        continue;
      }
      const findsNothing =
        drop.missing_ok === true && (absentFromDatabase(context, relation) || created.wasDropped(relation));
      created.drop(relation);
      if (findsNothing) continue;
      report(
        'drop-table',
        `DROP TABLE ${tableName(relation)} deletes the table and all its rows. The release running now may still use it: ` +
          'drop it in a later release, once no code reads it.',
        { destructive: true },
      );
    }
  } else if (drop.removeType === 'OBJECT_SCHEMA') {
    for (const name of strings(drop.objects)) {
      report('drop-schema', `DROP SCHEMA ${name} deletes the schema and, with CASCADE, every table in it.`, {
        destructive: true,
      });
    }
  }
}

/** A DROP TABLE object, a list of names: `[schema,] table`. */
export function droppedRelation(object: Node): RangeVar {
  const names = 'List' in object ? strings(object.List.items) : [];
  return { relname: names.at(-1), schemaname: names.length > 1 ? names.at(-2) : undefined };
}

export function lintDropDatabase(name: string | undefined, report: Report): void {
  report('drop-database', `DROP DATABASE ${name} deletes a whole database.`, { destructive: true });
}

export function lintTruncate(relations: Node[] | undefined, created: CreatedTables, report: Report): void {
  for (const relation of rangeVars(relations)) {
    if (created.has(relation)) continue;
    report('truncate', `TRUNCATE ${tableName(relation)} deletes every row of the table.`, {
      destructive: true,
    });
  }
}

export function lintDelete(
  relation: RangeVar | undefined,
  whereClause: Node | undefined,
  created: CreatedTables,
  report: Report,
): void {
  if (relation && !whereClause && !created.has(relation)) {
    report(
      'delete-without-where',
      `DELETE FROM ${tableName(relation)} without WHERE deletes every row of the table.`,
      { destructive: true },
    );
  }
}
