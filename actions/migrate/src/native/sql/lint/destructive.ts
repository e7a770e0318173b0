import type { Node, RangeVar } from 'libpg-query';
import type { CreatedTables } from '../created-tables.ts';
import { rangeVars, strings } from '../parse-nodes.ts';
import { tableName, type Report } from './finding.ts';

/** The rules for statements that destroy data: refused unless allow-destructive is true. */

export function lintDrop(
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
      created.drop(relation);
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
