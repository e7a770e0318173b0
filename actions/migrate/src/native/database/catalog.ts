import type { RangeVar } from 'libpg-query';
import {
  relationKey,
  type CatalogFacts,
  type CatalogRequest,
  type ColumnFacts,
  type RelationFacts,
  type RelationKind,
  typeKey,
} from '../sql/lint/catalog-facts.ts';
import { typeFromCatalog } from '../sql/lint/sql-type.ts';
import { ownQuery, type Session } from './session.ts';

/**
 * What lint asks the database, for the whole run in one query (one round trip, whatever the number
 * of files), and only when the batch names an existing table at all: whether each table exists and
 * what it is (to_regclass resolves a name as the migrations' session would), its size, the current
 * type of the columns whose type changes, whether the functions ADD COLUMN defaults call are VOLATILE,
 * which types ADD COLUMN names are domains with constraints, and the session's TimeZone. Catalog reads only: it runs in plan's read-only session too and needs
 * no privilege on the tables. The size is the catalog's (relpages of the table, its TOAST table and
 * its indexes, as VACUUM and ANALYZE last counted them; a partitioned table's are its leaf partitions',
 * at any depth, since a partitioned table or sub-partition has no pages of its own: relpages -1), not
 * pg_total_relation_size(), which opens each table and so would wait behind any ACCESS EXCLUSIVE lock
 * on it (as would pg_partition_tree(), which locks the partitions it lists).
 */
const CATALOG_QUERY = `
WITH relation AS (
  SELECT r.schema, r.name, to_regclass(CASE WHEN r.schema IS NULL THEN '' ELSE quote_ident(r.schema) || '.' END || quote_ident(r.name)) AS oid
  FROM unnest($1::text[], $2::text[]) AS r(schema, name)
), column_wanted AS (
  SELECT k.schema, k.name, k.column_name,
    to_regclass(CASE WHEN k.schema IS NULL THEN '' ELSE quote_ident(k.schema) || '.' END || quote_ident(k.name)) AS oid
  FROM unnest($3::text[], $4::text[], $5::text[]) AS k(schema, name, column_name)
)
SELECT current_setting('TimeZone') AS time_zone,
  (SELECT coalesce(json_agg(json_build_object(
      'schema', r.schema, 'name', r.name, 'kind', c.relkind,
      'rows', CASE WHEN z.analysed THEN z.rows END, 'bytes', CASE WHEN z.analysed THEN z.bytes END)), '[]')
    FROM relation r LEFT JOIN pg_class c ON c.oid = r.oid
    LEFT JOIN LATERAL (
      SELECT bool_and(s.reltuples >= 0) AS analysed, sum(s.reltuples) AS rows,
        sum(s.relpages::bigint + coalesce(t.relpages, 0) + coalesce(ix.pages, 0)) * current_setting('block_size')::bigint AS bytes
      FROM (WITH RECURSIVE tree(oid, kind) AS (
              SELECT c.oid, c.relkind
              UNION ALL SELECT i.inhrelid, p.relkind FROM tree JOIN pg_inherits i ON i.inhparent = tree.oid
              JOIN pg_class p ON p.oid = i.inhrelid WHERE tree.kind = 'p'
            ) SELECT oid FROM tree WHERE kind <> 'p') AS part(oid)
      JOIN pg_class s ON s.oid = part.oid
      LEFT JOIN pg_class t ON t.oid = s.reltoastrelid
      LEFT JOIN LATERAL (
        SELECT sum(ic.relpages) AS pages FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = s.oid
      ) ix ON true
    ) z ON true) AS relations,
  (SELECT coalesce(json_agg(json_build_object(
      'schema', k.schema, 'name', k.name, 'column', k.column_name,
      'display', format_type(a.atttypid, a.atttypmod), 'typmod', a.atttypmod,
      'typname', CASE WHEN t.typcategory = 'A' THEN e.typname ELSE t.typname END,
      'builtin', (CASE WHEN t.typcategory = 'A' THEN e.typnamespace ELSE t.typnamespace END) = 'pg_catalog'::regnamespace
        AND t.typtype <> 'd' AND coalesce(e.typtype, 'b') <> 'd',
      'array', t.typcategory = 'A',
      'indexed', EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)),
      'checked', EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.contype = 'c'
        AND a.attnum = ANY (c.conkey)),
      'in_expression_index', EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid
        AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)
        AND (a.attnum = ANY (i.indkey) OR EXISTS (SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
            AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum))))), '[]')
    FROM column_wanted k
    JOIN pg_attribute a ON a.attrelid = k.oid AND a.attname = k.column_name AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A') AS columns,
  (SELECT coalesce(json_agg(json_build_object('name', v.name, 'volatile', v.volatile)), '[]')
    FROM (SELECT f.name, bool_or(p.provolatile = 'v') AS volatile
      FROM unnest($6::text[]) AS f(name) JOIN pg_proc p ON p.proname = f.name GROUP BY f.name) v) AS functions,
  (SELECT coalesce(json_agg(json_build_object('schema', d.schema, 'name', d.name)), '[]')
    FROM unnest($7::text[], $8::text[]) AS d(schema, name)
    WHERE EXISTS (
      WITH RECURSIVE chain(oid) AS (
        SELECT t.oid FROM pg_type t WHERE t.typtype = 'd'
          AND t.oid = to_regtype(CASE WHEN d.schema IS NULL THEN '' ELSE quote_ident(d.schema) || '.' END || quote_ident(d.name))
        UNION ALL SELECT b.oid FROM chain JOIN pg_type t ON t.oid = chain.oid JOIN pg_type b ON b.oid = t.typbasetype
          WHERE b.typtype = 'd'
      ) SELECT 1 FROM chain JOIN pg_type t ON t.oid = chain.oid
      WHERE t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = chain.oid))) AS constrained_domains`;

interface CatalogRow {
  time_zone: string;
  relations: {
    schema: string | null;
    name: string;
    kind: string | null;
    rows: number | null;
    bytes: number | string | null;
  }[];
  columns: {
    schema: string | null;
    name: string;
    column: string;
    display: string;
    typmod: number;
    typname: string;
    builtin: boolean;
    array: boolean;
    indexed: boolean;
    in_expression_index: boolean;
    checked: boolean;
  }[];
  functions: { name: string; volatile: boolean }[];
  constrained_domains: { schema: string | null; name: string }[];
}

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'partitioned table', m: 'materialized view' };

export async function readCatalogFacts(session: Session, request: CatalogRequest): Promise<CatalogFacts> {
  const empty =
    request.relations.length + request.columns.length + request.functions.length + request.types.length === 0;
  const facts: CatalogFacts = {
    serverVersion: session.serverVersion,
    timeZone: '',
    relations: new Map(),
    columns: new Map(),
    functions: new Map(),
    constrainedDomains: new Set(),
  };
  if (empty) return facts;
  const schemaOf = (relation: RangeVar): string | null => relation.schemaname ?? null;
  const [row] = await ownQuery('Reading the tables the pending migrations change, for lint', () =>
    session.query<CatalogRow>(CATALOG_QUERY, [
      request.relations.map(schemaOf),
      request.relations.map((relation) => relation.relname),
      request.columns.map(({ relation }) => schemaOf(relation)),
      request.columns.map(({ relation }) => relation.relname),
      request.columns.map(({ column }) => column),
      request.functions,
      request.types.map(({ schema }) => schema),
      request.types.map(({ name }) => name),
    ]),
  );
  if (!row) return facts;
  return { ...facts, timeZone: row.time_zone, ...readRows(row) };
}

function readRows(
  row: CatalogRow,
): Pick<CatalogFacts, 'relations' | 'columns' | 'functions' | 'constrainedDomains'> {
  const relations = new Map<string, RelationFacts | null>();
  for (const { schema, name, kind, rows, bytes } of row.relations) {
    const key = relationKey({ schemaname: schema ?? undefined, relname: name });
    relations.set(
      key,
      kind === null
        ? null
        : {
            kind: KINDS[kind] ?? 'other',
            rows: rows ?? undefined,
            bytes: bytes === null ? undefined : Number(bytes),
          },
    );
  }
  const columns = new Map<string, Map<string, ColumnFacts>>();
  for (const column of row.columns) {
    const key = relationKey({ schemaname: column.schema ?? undefined, relname: column.name });
    const table = columns.get(key) ?? new Map<string, ColumnFacts>();
    table.set(column.column, {
      type: column.builtin ? typeFromCatalog(column.typname, column.typmod, column.array) : undefined,
      display: column.display,
      indexed: column.indexed,
      inExpressionIndex: column.in_expression_index,
      checked: column.checked,
    });
    columns.set(key, table);
  }
  const functions = new Map(row.functions.map(({ name, volatile }) => [name, volatile]));
  const constrainedDomains = new Set(
    row.constrained_domains.map(({ schema, name }) => typeKey(schema === null ? [name] : [schema, name])),
  );
  return { relations, columns, functions, constrainedDomains };
}
