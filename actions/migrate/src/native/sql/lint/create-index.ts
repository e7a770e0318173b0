import type { IndexStmt } from 'libpg-query';
import { isNewTable, relationFacts, type StatementContext } from './context.ts';
import { tableName } from './finding.ts';
import { isSmall, sizeNote } from './table-size.ts';

/**
 * CREATE INDEX without CONCURRENTLY takes a SHARE lock on the table for the whole build: reads go on,
 * every write waits (SHARE conflicts with ROW EXCLUSIVE, which INSERT, UPDATE and DELETE take).
 * A materialized view takes no writes: what waits is REFRESH MATERIALIZED VIEW (ACCESS EXCLUSIVE, or
 * EXCLUSIVE with CONCURRENTLY), and a plain REFRESH waiting in the lock queue makes the reads that
 * come after it wait too. That matters only when the view is large enough for the build to take a
 * while: a notice then, nothing below SMALL_TABLE_BYTES.
 */
export function lintCreateIndex(index: IndexStmt, context: StatementContext): void {
  const { relation, concurrent, idxname } = index;
  if (!relation || concurrent || isNewTable(context, relation)) return;
  const name = idxname ? ` ${idxname}` : '';
  const facts = relationFacts(context, relation);
  if (facts?.kind === 'materialized view') {
    if (isSmall(facts)) return;
    context.report(
      'create-index-materialized-view',
      `CREATE INDEX${name} on the materialized view ${tableName(relation)}${sizeNote(facts)} without CONCURRENTLY holds a SHARE lock while the index builds: ` +
        'reads go on, but REFRESH MATERIALIZED VIEW waits for the build, and a plain REFRESH waiting for its ACCESS EXCLUSIVE lock holds up the reads queued behind it. ' +
        'CREATE INDEX CONCURRENTLY works on a materialized view too (Gantry runs that file outside a transaction).',
      { severity: 'notice' },
    );
    return;
  }
  const fix =
    facts?.kind === 'partitioned table'
      ? 'CONCURRENTLY is not possible on a partitioned table: CREATE INDEX … ON ONLY the table (instant, the index starts invalid), CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION each of them.'
      : 'use CREATE INDEX CONCURRENTLY (Gantry runs that file outside a transaction).';
  context.report(
    'create-index-non-concurrently',
    `CREATE INDEX${name} on ${tableName(relation)}${sizeNote(facts)} without CONCURRENTLY blocks every write to the table while the index builds: ${fix}`,
  );
}
