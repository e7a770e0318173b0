import type { RangeVar } from 'libpg-query';
import type { SqlType } from './sql-type.ts';

/**
 * What lint learns from the database before it judges (database/catalog.ts reads it, in one query
 * for the whole run). Lint runs without it too (every command holds a connection, but lint is a pure
 * function that tests call directly): it then judges from the migration text alone, conservatively.
 */

export type RelationKind = 'table' | 'partitioned table' | 'materialized view' | 'other';

export interface RelationFacts {
  kind: RelationKind;
  /**
   * pg_class.reltuples and relpages (of the table, its TOAST table and its indexes) in bytes, the
   * estimates VACUUM and ANALYZE keep, summed over the partitions of a partitioned table;
   * undefined when the table was never analysed.
   */
  rows: number | undefined;
  bytes: number | undefined;
}

export interface ColumnFacts {
  /** The column's type, when it is a built-in type lint knows how to compare; undefined otherwise. */
  type: SqlType | undefined;
  /** format_type(): `character varying(20)`. */
  display: string;
  /** Some index of the table has the column as a key column. */
  indexed: boolean;
  /**
   * Some index with expressions or a WHERE clause uses the column: ALTER COLUMN … TYPE builds such an
   * index again whatever the change (PostgreSQL does not compare expressions, it assumes they differ).
   */
  inExpressionIndex: boolean;
  /** A CHECK constraint of the table names the column: ALTER COLUMN … TYPE checks every row against it again. */
  checked: boolean;
}

export interface CatalogRequest {
  relations: RangeVar[];
  columns: { relation: RangeVar; column: string }[];
  functions: string[];
  /** The types ADD COLUMN names on existing tables (not arrays), as written: schema (or null) and name. */
  types: { schema: string | null; name: string }[];
}

export interface CatalogFacts {
  serverVersion: number;
  /** current_setting('TimeZone') of a session as the migrations get it (Gantry resets each session). */
  timeZone: string;
  /** Looked up, by relationKey; null: the name does not resolve to a relation in the database. */
  relations: ReadonlyMap<string, RelationFacts | null>;
  /** By relationKey, then column name; a column that was looked up and not found is absent. */
  columns: ReadonlyMap<string, ReadonlyMap<string, ColumnFacts>>;
  /** Function name to: some function of that name (any schema, any arguments) is VOLATILE. Absent: no such function. */
  functions: ReadonlyMap<string, boolean>;
  /** typeKey()s of the asked types that are domains with constraints (CHECK or NOT NULL, theirs or a base domain's). */
  constrainedDomains: ReadonlySet<string>;
}

/** Schema and table name joined by a NUL, which no identifier contains; the schema empty when unqualified. */
export function relationKey(relation: RangeVar): string {
  return `${relation.schemaname ?? ''}\0${relation.relname}`;
}

/** A type name as written (`positive`, `app.positive`), keyed like relationKey: schema, NUL, name. */
export function typeKey(names: readonly string[]): string {
  return `${names.length > 1 ? names.at(-2) : ''}\0${names.at(-1)}`;
}
