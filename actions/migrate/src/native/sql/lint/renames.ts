import type { RangeVar } from 'libpg-query';
import type { CreatedTables } from '../created-tables.ts';
import { tableName, type Report } from './finding.ts';

/** Renames the release running now does not know about. */
export function lintRename(
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
  } else if (renameType === 'OBJECT_COLUMN') {
    // Both column names now hold something else: their types are no longer the catalog's.
    if (subname) created.forgetColumn(relation, subname);
    if (newname) created.forgetColumn(relation, newname);
    if (created.has(relation)) return;
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
