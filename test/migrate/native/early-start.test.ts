import { afterEach, describe, expect, it } from '@jest/globals';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import type { Connection } from '../../../actions/migrate/src/native/database/database.ts';
import { historyTable } from '../../../actions/migrate/src/native/database/history.ts';
import type { Command, MigrateInputs } from '../../../actions/migrate/src/inputs.ts';
import { migrate } from '../../../actions/migrate/src/native/commands/write-commands.ts';
import { readHistoryTable } from '../../../actions/migrate/src/native/commands/command-context.ts';
import { EarlyStart } from '../../../actions/migrate/src/native/early-start.ts';
import { loadSqlParser, type SqlParser } from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { migrationFile } from './helpers.ts';
import { usePostgres } from '../postgres-fixture.ts';

/**
 * What runs while the files load (early-start.ts): the connection once the names are checked, the
 * history for the read-only commands, and the SQL parser: at once for migrate and undo, for plan only
 * when the names and the history show a new version. In-process against a real server.
 */

const postgres = usePostgres();

const connections: Connection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.end();
});

function inputs(url: string, command: Command): MigrateInputs {
  const parsed = new URL(url);
  const connection: ConnectionSettings = {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'disable',
    ca: undefined,
    options: undefined,
  };
  return {
    command,
    migrationsDir: '/nonexistent',
    workspace: '/nonexistent',
    connection,
    history: historyTable('public', 'gantry_schema_history'),
    lockTimeoutMs: 5000,
    statementTimeoutMs: 0,
    lockRetries: 0,
    lockWaitMs: 5000,
    connectTimeoutMs: 10_000,
    outOfOrder: false,
    allowDestructive: false,
    baseline: undefined,
  };
}

/** A parser loader that counts how often it is asked for the parser. */
function countingParser(): { load: () => Promise<SqlParser>; loads: () => number } {
  let loads = 0;
  return {
    load: () => {
      loads++;
      return loadSqlParser();
    },
    loads: () => loads,
  };
}

function start(url: string, command: Command, parser = countingParser()) {
  const early = new EarlyStart(inputs(url, command), new AbortController().signal, parser.load);
  return { early, parser };
}

async function connectionOf(early: EarlyStart): Promise<Connection> {
  const connection = await early.connection();
  connections.push(connection);
  return connection;
}

/** A database where version 1 is applied. */
async function withVersionOne(prefix: string): Promise<string> {
  const url = await postgres.freshDatabase(prefix);
  const { early } = start(url, 'migrate');
  const connection = await connectionOf(early);
  const outcome = await migrate({
    inputs: inputs(url, 'migrate'),
    migrations: {
      versioned: [migrationFile('V1__one.sql', 'CREATE TABLE one (id int);\n')],
      repeatable: [],
      undo: new Map(),
      ignored: [],
    },
    connection,
    parser: early.sqlParser,
    signal: new AbortController().signal,
    runUrl: null,
  });
  expect(outcome.problems).toEqual([]);
  return url;
}

describe('EarlyStart', () => {
  it('plan with a new version: the parser is loading before anyone asks for it, and is loaded once', async () => {
    const url = await withVersionOne('early_plan_new');
    const { early, parser } = start(url, 'plan');
    early.onListed({ versions: ['1', '2'] });
    expect(early.history).toBeDefined();
    const { rows } = await (early.history as NonNullable<typeof early.history>);
    expect(rows.map((row) => row.version)).toEqual(['1']);
    connections.push(await early.connection());
    // The history is in, so the load has begun without sqlParser() being called.
    await Promise.resolve();
    expect(parser.loads()).toBe(1);
    const loaded = await early.sqlParser();
    expect(loaded.parse('SELECT 1').stmts).toHaveLength(1);
    expect(parser.loads()).toBe(1);
  });

  it('plan with every version applied loads no parser until one is asked for', async () => {
    const url = await withVersionOne('early_plan_none');
    const { early, parser } = start(url, 'plan');
    early.onListed({ versions: ['1'] });
    await early.history;
    connections.push(await early.connection());
    await new Promise((resolve) => setImmediate(resolve));
    expect(parser.loads()).toBe(0);
    // A repeatable migration whose checksum changed still gets its parser, loaded then.
    await early.sqlParser();
    expect(parser.loads()).toBe(1);
  });

  it('plan on a database without a history table reads no rows and loads the parser for the new files', async () => {
    const url = await postgres.freshDatabase('early_plan_empty');
    const { early, parser } = start(url, 'plan');
    early.onListed({ versions: ['1'] });
    expect(await early.history).toEqual({ historyExisted: false, rows: [] });
    connections.push(await early.connection());
    await early.sqlParser();
    expect(parser.loads()).toBe(1);
  });

  it('validate reads the history early, exactly as readHistoryTable does, and never loads a parser', async () => {
    const url = await withVersionOne('early_validate');
    const { early, parser } = start(url, 'validate');
    early.onListed({ versions: ['1', '2'] });
    const connection = await connectionOf(early);
    expect(await early.history).toEqual(await readHistoryTable(connection, inputs(url, 'validate').history));
    expect(parser.loads()).toBe(0);
  });

  it('migrate loads its parser at once, connects only once the names are checked, and reads no history early', async () => {
    const url = await postgres.freshDatabase('early_migrate');
    const { early, parser } = start(url, 'migrate');
    expect(parser.loads()).toBe(1);
    const before = await sessionsOf(url);
    early.onListed({ versions: ['1'] });
    expect(early.history).toBeUndefined();
    await connectionOf(early);
    expect(await sessionsOf(url)).toBe(before + 1);
    await early.sqlParser();
    expect(parser.loads()).toBe(1);
  });

  it('abandon closes a connection that was already made', async () => {
    const url = await postgres.freshDatabase('early_abandon');
    const { early } = start(url, 'validate');
    early.onListed({ versions: [] });
    await early.connection();
    expect(await sessionsOf(url)).toBe(1);
    early.abandon(new Error('a file could not be read'));
    await waitFor(async () => (await sessionsOf(url)) === 0);
  });
});

/** gantry-migrate sessions connected to the database of `url`, seen from a session of the test's own. */
async function sessionsOf(url: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'gantry-migrate'`,
    );
    return rows[0]?.count ?? 0;
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
