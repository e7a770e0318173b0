import type { Node } from 'libpg-query';
import * as log from '../../../../../shared/src/runner/log.ts';
import type { Session } from './session.ts';
import { quoteIdentifier } from '../sql/sql-quote.ts';

/**
 * CREATE INDEX CONCURRENTLY that fails (a lock timeout, a duplicate key for a unique index, a
 * cancel) leaves an INVALID index behind: a retry then fails with "already exists", and with IF NOT
 * EXISTS it silently keeps the broken index. Before each attempt, and after a failure, an invalid
 * index of the statement's name on its table is dropped (concurrently, so nothing is blocked).
 */
export async function dropInvalidIndex(session: Session, node: Node): Promise<void> {
  if (!('IndexStmt' in node)) return;
  const { concurrent, idxname, relation } = node.IndexStmt;
  if (!concurrent || !idxname || !relation?.relname) return;
  const table = `${relation.schemaname ? `${quoteIdentifier(relation.schemaname)}.` : ''}${quoteIdentifier(relation.relname)}`;
  const [invalid] = await session.query<{ name: string }>(
    `SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE NOT i.indisvalid AND c.relname = $1 AND i.indrelid = to_regclass($2)`,
    [idxname, table],
  );
  if (!invalid) return;
  log.info(`Dropping the invalid index ${invalid.name} that a failed CREATE INDEX CONCURRENTLY left behind.`);
  await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${invalid.name}`);
}
