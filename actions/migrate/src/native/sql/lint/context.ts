import type { RangeVar } from 'libpg-query';
import type { CreatedTables } from '../created-tables.ts';
import { relationKey, type CatalogFacts, type ColumnFacts, type RelationFacts } from './catalog-facts.ts';
import type { Report } from './finding.ts';

/** What a rule knows when it judges one statement. */
export interface StatementContext {
  report: Report;
  created: CreatedTables;
  /** From the database; undefined when lint runs without one. */
  facts: CatalogFacts | undefined;
  /** The file runs outside a transaction. */
  outside: boolean;
  /** The session's TimeZone at this statement; undefined when unknown (no database, or set_config). */
  timeZone: string | undefined;
  isVolatile(name: string): boolean;
  /** The type (its names as written) is a domain with constraints, in the database or created earlier in the batch. */
  isConstrainedDomain(names: readonly string[]): boolean;
}

/**
 * The table is new in this batch, so locking or rewriting it hurts no one: created earlier in the
 * batch, or (with the database) absent from it, so that whatever makes it before this statement is
 * part of the batch too — unless an existing table may have been renamed or moved to its name.
 */
export function isNewTable(context: StatementContext, relation: RangeVar): boolean {
  return context.created.has(relation) || absentFromDatabase(context, relation);
}

export function absentFromDatabase(context: StatementContext, relation: RangeVar): boolean {
  return (
    context.facts?.relations.get(relationKey(relation)) === null && context.created.trustsDatabase(relation)
  );
}

/** The table's catalog facts, when they still describe the table this name means here. */
export function relationFacts(context: StatementContext, relation: RangeVar): RelationFacts | undefined {
  if (!context.created.trustsDatabase(relation)) return undefined;
  return context.facts?.relations.get(relationKey(relation)) ?? undefined;
}

export function columnFacts(
  context: StatementContext,
  relation: RangeVar,
  column: string,
): ColumnFacts | undefined {
  if (!context.created.trustsDatabase(relation)) return undefined;
  return context.facts?.columns.get(relationKey(relation))?.get(column);
}
