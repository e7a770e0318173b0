import { ActionError } from '../../../../shared/src/errors.ts';

/**
 * verify: restore compares the rows of every table in the dump's snapshot with those restored. A
 * table the restore does not have was left out of the dump (schemas, tables, exclude-*) and is not
 * compared; a table named in exclude-table-data (schema.table or table) must be restored empty.
 */

export interface TableCount {
  table: string;
  rows: number;
}

export function compareRowCounts(
  source: Map<string, number>,
  restored: Map<string, number>,
  excludedData: string[],
): TableCount[] {
  const compared: TableCount[] = [];
  const mismatches: string[] = [];
  for (const [table, rows] of source) {
    const got = restored.get(table);
    if (got === undefined) continue;
    const bare = table.slice(table.indexOf('.') + 1);
    const expected = excludedData.includes(table) || excludedData.includes(bare) ? 0 : rows;
    if (got !== expected) mismatches.push(`${table}: ${expected} in the source, ${got} restored`);
    compared.push({ table, rows: got });
  }
  if (mismatches.length > 0) {
    throw new ActionError(`The test restore does not match the source: ${mismatches.join('; ')}.`, {
      hint: 'the dump was deleted and no manifest was written; check the pg_dump and pg_restore output above',
    });
  }
  return compared;
}
