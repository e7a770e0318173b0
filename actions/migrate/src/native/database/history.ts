import { ActionError } from '../../../../../shared/src/errors.ts';
import { ownQuery, queryFailed, sqlState, type Session } from './session.ts';
import { quoteIdentifier, quoteLiteral } from '../sql/sql-quote.ts';

/**
 * The schema history table: an append-only log of every attempt. A version counts as applied when
 * its latest versioned or undo row that succeeded is a versioned one; failed attempts stay in the log
 * (with the error) and change nothing, so the next run simply tries again.
 */

export type HistoryType = 'versioned' | 'repeatable' | 'baseline' | 'undo';

export interface HistoryRow {
  id: number;
  version: string | null;
  description: string;
  type: HistoryType;
  script: string;
  checksum: string | null;
  success: boolean;
  /**
   * The details below are read (see readHistory) for the rows the summary shows, the latest
   * HISTORY_ROWS_DETAILED, and for every failed one; null for the others, whose details no
   * command uses.
   */
  appliedBy: string | null;
  /** ISO 8601 in UTC: 2026-01-15T09:30:00.123Z. */
  appliedAt: string | null;
  executionMs: number | null;
  error: string | null;
}

/** The latest rows, shown in the job summary, which readHistory reads in full. */
export const HISTORY_ROWS_DETAILED = 50;

export interface NewHistoryRow {
  version: string | null;
  description: string;
  type: HistoryType;
  script: string;
  checksum: string | null;
  executionMs: number;
  success: boolean;
  error: string | null;
}

export interface HistoryTable {
  schema: string;
  table: string;
  /** Quoted for SQL: "public"."gantry_schema_history". */
  sql: string;
  /** For messages: public.gantry_schema_history. */
  display: string;
}

export function historyTable(schema: string, table: string): HistoryTable {
  return {
    schema,
    table,
    sql: `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`,
    display: `${schema}.${table}`,
  };
}

/** Longer error texts are cut: the row is a record, the step's log has the whole message. */
const MAX_ERROR_LENGTH = 4000;

/**
 * Creates the table (and its schema) when missing. The schema is looked up first because CREATE
 * SCHEMA IF NOT EXISTS still demands the CREATE privilege on the database, which a migration user
 * may well lack.
 */
export async function createHistoryTable(session: Session, history: HistoryTable): Promise<void> {
  await ownQuery(`Creating the history table ${history.display}`, () => createTable(session, history), {
    '42501': `the user needs the CREATE privilege on schema ${history.schema} (and on the database when the schema is missing), or create the table beforehand with a user that has it`,
  });
}

async function createTable(session: Session, history: HistoryTable): Promise<void> {
  const [schema] = await session.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [history.schema]);
  if (!schema) await session.query(`CREATE SCHEMA ${quoteIdentifier(history.schema)}`);
  await session.query(`CREATE TABLE IF NOT EXISTS ${history.sql} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version text,
  description text NOT NULL,
  type text NOT NULL CHECK (type IN ('versioned', 'repeatable', 'baseline', 'undo')),
  script text NOT NULL,
  checksum text,
  applied_by text NOT NULL DEFAULT current_user,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL,
  success boolean NOT NULL,
  error text,
  run_url text
)`);
}

/**
 * An INSERT as literal SQL rather than with parameters, so that it can share one round trip with the
 * COMMIT that follows it (the simple query protocol takes several statements, the extended one not).
 * With `measuredByServer`, execution_ms is what the server measured since the migration began (its
 * statements travel in the same round trip, so the client cannot know it yet), and the INSERT
 * returns it: since the transaction began (now()), or, `fromMark`, since MARK_NEXT_MIGRATION_START
 * ran, which also gives applied_at.
 */
export function insertHistorySql(
  history: HistoryTable,
  row: NewHistoryRow,
  runUrl: string | null,
  { measuredByServer = false, fromMark = false }: { measuredByServer?: boolean; fromMark?: boolean } = {},
): string {
  const error = row.error === null ? null : row.error.slice(0, MAX_ERROR_LENGTH);
  const values = [
    row.version,
    row.description,
    row.type,
    row.script,
    row.checksum,
    Math.round(row.executionMs),
    row.success,
    error,
    runUrl,
  ].map(quoteLiteral);
  if (!measuredByServer) return `INSERT INTO ${history.sql} (${COLUMNS}) VALUES (${values.join(', ')})`;
  values[5] = fromMark ? MARKED_MS : TRANSACTION_MS;
  const [columns, at] = fromMark ? [`${COLUMNS}, applied_at`, `, ${MARKED_AT}`] : [COLUMNS, ''];
  return `INSERT INTO ${history.sql} (${columns}) VALUES (${values.join(', ')}${at}) RETURNING execution_ms`;
}

const COLUMNS = 'version, description, type, script, checksum, execution_ms, success, error, run_url';

/**
 * A history row written in a transaction of its own, READ WRITE: a file run outside a transaction
 * may have left default_transaction_read_only on. On an error the transaction is left aborted, for
 * the caller to roll back.
 */
export function ownWriteTransaction(insert: string): string {
  return `BEGIN READ WRITE; ${insert}; COMMIT`;
}

/** Milliseconds since the transaction began: now() is its start, clock_timestamp() the moment. */
const TRANSACTION_MS =
  'pg_catalog.round(1000 * extract(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.now()))::integer';

/**
 * The start of the next migration sent in the same round trip (apply-group.ts), where now() will not
 * do: it is when the server received the round trip, the same for every migration in it. Set at
 * session level, just before that migration's BEGIN, by the transaction that resets the session
 * after the one before (a statement after BEGIN would take the transaction's snapshot before the
 * file's SET TRANSACTION can choose it). Whole microseconds since the epoch: a bigint's text,
 * which neither DateStyle nor extra_float_digits changes. The reset after the next one clears it.
 */
export const START_MARK_SETTING = 'gantry.migration_started';
export const MARK_NEXT_MIGRATION_START = `SELECT pg_catalog.set_config('${START_MARK_SETTING}', (1000000 * pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()))::bigint::text, false)`;

const microseconds = (at: string): string => `(1000000 * pg_catalog.date_part('epoch', ${at}))::bigint`;
/** The mark, or now() if the migration's own RESET ALL emptied it. */
const MARKED = `COALESCE(NULLIF(pg_catalog.current_setting('${START_MARK_SETTING}', true), '')::bigint, ${microseconds('pg_catalog.now()')})`;
const MARKED_MS = `pg_catalog.round((${microseconds('pg_catalog.clock_timestamp()')} - ${MARKED}) / 1000.0)::integer`;
const MARKED_AT = `pg_catalog.to_timestamp(${MARKED} / 1000000.0)`;

export async function historyExists(session: Session, history: HistoryTable): Promise<boolean> {
  const [row] = await ownQuery(`Looking up the history table ${history.display}`, () =>
    session.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [history.sql]),
  );
  return row?.exists === true;
}

/** What to do when the user may not read or write the history table. */
export function historyPrivilegeHints(history: HistoryTable): Record<string, string> {
  return {
    '42501': `grant the user SELECT on ${history.display} (and INSERT, for migrate, undo and baseline), and USAGE on schema ${history.schema}`,
  };
}

export async function readHistory(session: Session, history: HistoryTable): Promise<HistoryRow[]> {
  try {
    // The rows come back as one JSON text of HistoryRows, named and typed by the query itself (the
    // casts keep a hand-made table's numeric version a string, as the files compare it): the driver
    // decoding ten thousand rows field by field costs the action's one busy thread more than twice
    // what parsing the text does. A row's own JSON form is compact, keys without padding.
    // What every row needs is what analyse compares; the details are read only where they are shown
    // or reported (the latest rows, failed ones): formatting and decoding ten thousand of them costs
    // more than the rest of the read. The cut is found once, by the primary key.
    const [result] = await session.query<{ rows: string }>(
      `SELECT coalesce(json_agg(row ORDER BY row.id)::text, '[]') AS rows
       FROM (SELECT id::float8 AS id, version::text, description::text, type::text, script::text,
                    checksum::text, success::boolean,
                    CASE WHEN detailed THEN applied_by::text END AS "appliedBy",
                    CASE WHEN detailed THEN to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS "appliedAt",
                    CASE WHEN detailed THEN execution_ms::float8 END AS "executionMs",
                    CASE WHEN detailed THEN error::text END AS error
             FROM (SELECT *, NOT success OR id >= coalesce(
                     (SELECT id FROM ${history.sql} ORDER BY id DESC OFFSET ${HISTORY_ROWS_DETAILED - 1} LIMIT 1), 0) AS detailed
                   FROM ${history.sql}) AS history) AS row`,
    );
    return JSON.parse((result as { rows: string }).rows) as HistoryRow[];
  } catch (error) {
    if (sqlState(error) === '42703') {
      throw new ActionError(
        `The table ${history.display} exists but is not a Gantry schema history table: ${(error as Error).message}.`,
        {
          cause: error,
          hint: 'point the schema and table inputs at a table of its own (the default is public.gantry_schema_history)',
        },
      );
    }
    throw queryFailed(`Reading the history table ${history.display}`, error, historyPrivilegeHints(history));
  }
}
