import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { connect, type Connection } from '../../../actions/migrate/src/native/database/database.ts';
import {
  createHistoryTable,
  historyTable,
  HISTORY_ROWS_DETAILED,
  readHistory,
} from '../../../actions/migrate/src/native/database/history.ts';
import { usePostgres } from '../postgres-fixture.ts';

/**
 * readHistory reads what analyse compares for every row, and the details (who, when, how long, the
 * error) only for the rows the summary shows and for failed ones: those must be exactly what the
 * table holds, and the rest of every row too.
 */

const postgres = usePostgres();
const history = historyTable('public', 'gantry_schema_history');

const connections: Connection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.end();
});

async function open(url: string): Promise<Connection> {
  const parsed = new URL(url);
  const connection = await connect(
    {
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      user: decodeURIComponent(parsed.username),
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      database: parsed.pathname.slice(1),
      sslmode: 'disable',
      ca: undefined,
      options: undefined,
    },
    { readOnly: false, timeoutMs: 10_000 },
  );
  connections.push(connection);
  return connection;
}

/** Every column of every row, read plainly. */
async function plainRows(url: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT id::float8 AS id, version, description, type, script, checksum, applied_by AS "appliedBy",
              to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "appliedAt",
              execution_ms AS "executionMs", success, error
       FROM gantry_schema_history ORDER BY id`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe('readHistory', () => {
  it('reads every row, with the details of the latest rows and of failed ones exactly', async () => {
    const url = await postgres.freshDatabase('history_details');
    const connection = await open(url);
    await createHistoryTable(connection, history);
    const count = 3 * HISTORY_ROWS_DETAILED;
    // Versions 7 and 20 failed (7 then succeeded), 30 is a repeatable; applied_at differs row by row.
    await connection.query(
      `INSERT INTO gantry_schema_history (version, description, type, script, checksum, applied_by, applied_at, execution_ms, success, error)
       SELECT CASE WHEN g = 30 THEN NULL ELSE g::text END, 'migration ' || g,
              CASE WHEN g = 30 THEN 'repeatable' ELSE 'versioned' END, 'V' || g || '__m.sql', md5(g::text),
              'user_' || g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1.5 second', g,
              g NOT IN (7, 20), CASE WHEN g IN (7, 20) THEN 'ERROR: failed ' || g END
       FROM generate_series(1, $1::int) AS g`,
      [count],
    );
    await connection.query(
      `INSERT INTO gantry_schema_history (version, description, type, script, checksum, execution_ms, success)
       VALUES ('7', 'migration 7', 'versioned', 'V7__m.sql', md5('7'), 3, true)`,
    );

    const rows = await readHistory(connection, history);
    const plain = await plainRows(url);
    expect(rows).toHaveLength(count + 1);
    const firstDetailed = count + 1 - HISTORY_ROWS_DETAILED;
    expect(rows).toEqual(
      plain.map((row, index) => {
        const detailed = index >= firstDetailed || row.success === false;
        return detailed ? row : { ...row, appliedBy: null, appliedAt: null, executionMs: null, error: null };
      }),
    );
    // The failed attempts, old as they are, keep their details; the last rows theirs.
    expect(rows[6]).toMatchObject({ success: false, appliedBy: 'user_7', error: 'ERROR: failed 7' });
    expect(rows[19]).toMatchObject({
      success: false,
      appliedAt: '2026-01-01T00:00:30.000Z',
      executionMs: 20,
    });
    expect(rows[firstDetailed]).toMatchObject({ appliedBy: `user_${firstDetailed + 1}` });
    expect(rows[firstDetailed - 1]).toMatchObject({
      description: `migration ${firstDetailed}`,
      appliedBy: null,
    });
  });

  it('carries every text and number exactly as the table holds it', async () => {
    const url = await postgres.freshDatabase('history_texts');
    const connection = await open(url);
    await createHistoryTable(connection, history);
    const texts = [
      'quotes " and \\ backslashes \\" and \'single\'',
      'tab\tnew line\ncarriage return\r\nform feed\f end',
      'control \u0001\u001f\u007f and a line separator \u2028',
      'unicode: naïve café, 日本語, emoji 🚀👩‍💻, combining é',
      '{"looks": ["like", "json"]}',
      '',
    ];
    await connection.query(
      `INSERT INTO gantry_schema_history (version, description, type, script, checksum, applied_by, execution_ms, success, error)
       SELECT g::text, t, 'versioned', 'V' || g || '__' || t || '.sql', t, t, 2147483647, false, t
       FROM unnest($1::text[]) WITH ORDINALITY AS u(t, g)`,
      [texts],
    );
    // An id past 2^32, as a table that has seen many attempts (or a restarted sequence) may have.
    await connection.query(
      `INSERT INTO gantry_schema_history (id, version, description, type, script, checksum, execution_ms, success)
       OVERRIDING SYSTEM VALUE VALUES (9007199254740991, NULL, 'baseline', 'baseline', '<< baseline >>', NULL, 0, true)`,
    );
    const rows = await readHistory(connection, history);
    expect(rows).toEqual(await plainRows(url));
    expect(rows.map((row) => row.description)).toEqual([...texts, 'baseline']);
    expect(rows.at(-1)).toMatchObject({ id: 9007199254740991, version: null, checksum: null });
  });

  it('reads an empty table as no rows', async () => {
    const url = await postgres.freshDatabase('history_empty');
    const connection = await open(url);
    await createHistoryTable(connection, history);
    expect(await readHistory(connection, history)).toEqual([]);
  });

  it('reads a history shorter than the summary in full', async () => {
    const url = await postgres.freshDatabase('history_short');
    const connection = await open(url);
    await createHistoryTable(connection, history);
    await connection.query(
      `INSERT INTO gantry_schema_history (version, description, type, script, checksum, execution_ms, success)
       VALUES ('1', 'one', 'versioned', 'V1__one.sql', 'abc', 4, true), ('2', 'two', 'versioned', 'V2__two.sql', 'def', 5, true)`,
    );
    expect(await readHistory(connection, history)).toEqual(await plainRows(url));
    expect(await readHistory(connection, history)).toHaveLength(2);
  });
});
