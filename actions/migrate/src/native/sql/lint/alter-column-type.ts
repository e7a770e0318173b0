import type { ColumnDef, RangeVar } from 'libpg-query';
import { strings } from '../parse-nodes.ts';
import { columnFacts, isNewTable, relationFacts, type StatementContext } from './context.ts';
import { tableName } from './finding.ts';
import { typeFromParseTree, typeLabel, type SqlType } from './sql-type.ts';
import { rankBySize, sizeNote } from './table-size.ts';
import { judgeTypeChange, type TypeChangeVerdict } from './type-change.ts';

/**
 * ALTER COLUMN … TYPE on a table that has rows rewrites it and its indexes under an ACCESS EXCLUSIVE
 * lock, unless the change cannot alter a value (type-change.ts). Judging that needs the column's
 * current type: the one declared earlier in the batch when the batch added or changed the column,
 * else the database's (pg_attribute). Without either, the finding stays and names the exceptions.
 * The table's size (from the catalog) ranks the finding.
 */
export function lintAlterColumnType(
  column: string,
  definition: ColumnDef,
  relation: RangeVar,
  context: StatementContext,
): void {
  if (isNewTable(context, relation)) return;
  const table = tableName(relation);
  const target = typeLabel(definition.typeName);
  const facts = relationFacts(context, relation);
  const current = currentType(column, relation, context);
  const next = typeFromParseTree(definition.typeName);
  const verdict: TypeChangeVerdict =
    current.type && next && keepsValues(column, definition)
      ? judgeTypeChange(current.type, next, {
          serverVersion: context.facts?.serverVersion,
          timeZone: context.timeZone,
        })
      : { rewrites: undefined };
  const change = `Changing the type of ${table}.${column}${current.display ? ` from ${current.display}` : ''} to ${target}`;
  const severity = rankBySize(facts);
  if (verdict.rewrites === false) {
    // A new collation or operator class: the table stays, the column's indexes are built again.
    const rebuildsIndexes = verdict.rebuildsIndexes === true || definition.collClause !== undefined;
    const which =
      rebuildsIndexes && current.indexed !== false
        ? 'the indexes on the column'
        : current.inExpressionIndex === true
          ? 'the indexes on an expression of the column or with a WHERE clause naming it'
          : undefined;
    const work = [
      ...(which ? [`rebuilds ${which}`] : []),
      // PostgreSQL adds the column's CHECK constraints again, which scans the table.
      ...(current.checked === true ? ['checks every row against the CHECK constraints on the column'] : []),
    ];
    if (work.length === 0) return;
    context.report(
      'alter-column-type',
      `${change} keeps the table (${verdict.why}), but ${work.join(' and ')}${sizeNote(facts)} under an ACCESS EXCLUSIVE lock that blocks reads and writes. ` +
        'On a large table: add a new column, backfill it, index it CONCURRENTLY, and switch over.',
      { severity },
    );
    return;
  }
  const consequence =
    verdict.rewrites === true
      ? `rewrites the table${sizeNote(facts)} and its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes: ${verdict.why}.`
      : `rewrites the table${sizeNote(facts)} and its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes, ` +
        'unless the change keeps every value as it is (varchar(n) to text or to a longer varchar, numeric to a higher precision with the same scale, timestamp to timestamptz when the session time zone is UTC).';
  context.report(
    'alter-column-type',
    `${change} ${consequence} To change it without the lock: add a new column, backfill it, and switch over.`,
    { severity },
  );
}

function currentType(
  column: string,
  relation: RangeVar,
  context: StatementContext,
): {
  type: SqlType | undefined;
  display: string | undefined;
  indexed: boolean | undefined;
  inExpressionIndex: boolean | undefined;
  checked: boolean | undefined;
} {
  const known = context.created.columnType(relation, column);
  if (known !== 'database') {
    return {
      type: typeFromParseTree(known.declared),
      display: known.declared ? typeLabel(known.declared) : undefined,
      indexed: undefined,
      inExpressionIndex: undefined,
      checked: undefined,
    };
  }
  const facts = columnFacts(context, relation, column);
  return {
    type: facts?.type,
    display: facts?.display,
    indexed: facts?.indexed,
    inExpressionIndex: facts?.inExpressionIndex,
    checked: facts?.checked,
  };
}

/** No USING, or USING the column itself: the values are only reinterpreted. */
function keepsValues(column: string, definition: ColumnDef): boolean {
  const using = definition.raw_default;
  if (!using) return true;
  return 'ColumnRef' in using && strings(using.ColumnRef.fields).at(-1) === column;
}
