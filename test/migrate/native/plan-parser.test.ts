import { afterEach, describe, expect, it } from '@jest/globals';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';
import { connect, type Connection } from '../../../actions/migrate/src/native/database/database.ts';
import { historyTable } from '../../../actions/migrate/src/native/database/history.ts';
import type { Command, MigrateInputs } from '../../../actions/migrate/src/inputs.ts';
import type { MigrationSet } from '../../../actions/migrate/src/native/files/migration-files.ts';
import { loadSqlParser, type SqlParser } from '../../../actions/migrate/src/native/sql/sql-script.ts';
import { plan } from '../../../actions/migrate/src/native/commands/read-commands.ts';
import { migrate } from '../../../actions/migrate/src/native/commands/write-commands.ts';
import { migrationFile } from './helpers.ts';
import { usePostgres } from '../postgres-fixture.ts';

/**
 * plan loads the SQL parser (a WebAssembly module) only when something is pending: a plan with
 * nothing to do needs none. In-process against a real server, with a parser that counts its loads.
 */

const postgres = usePostgres();

const connections: Connection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.end();
});

function settingsOf(url: string): ConnectionSettings {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.slice(1),
    sslmode: 'disable',
    ca: undefined,
    options: undefined,
  };
}

function inputs(url: string, command: Command): MigrateInputs {
  return {
    command,
    migrationsDir: '/nonexistent',
    workspace: '/nonexistent',
    connection: settingsOf(url),
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

function set(...files: [string, string][]): MigrationSet {
  return {
    versioned: files.map(([script, sql]) => migrationFile(script, sql)),
    repeatable: [],
    undo: new Map(),
    ignored: [],
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

async function run(
  url: string,
  command: 'migrate' | 'plan',
  migrations: MigrationSet,
  parser = countingParser(),
) {
  const connection = await connect(settingsOf(url), {
    readOnly: command === 'plan',
    timeoutMs: 10_000,
  });
  connections.push(connection);
  const handler = command === 'plan' ? plan : migrate;
  const outcome = await handler({
    inputs: inputs(url, command),
    migrations,
    connection,
    parser: parser.load,
    signal: new AbortController().signal,
    runUrl: null,
  });
  return { outcome, parserLoads: parser.loads() };
}

const ONE: [string, string] = ['V1__one.sql', 'CREATE TABLE one (id int);\n'];
const TWO: [string, string] = ['V2__two.sql', 'CREATE TABLE two (id int);\nDROP TABLE one;\n'];

describe('plan and the SQL parser', () => {
  it('with nothing pending, plans without loading the parser, and still reads the history exactly', async () => {
    const url = await postgres.freshDatabase('plan_parser_none');
    const applied = await run(url, 'migrate', set(ONE));
    expect(applied.outcome.problems).toEqual([]);
    expect(applied.parserLoads).toBe(1);

    const { outcome, parserLoads } = await run(url, 'plan', set(ONE));
    expect(parserLoads).toBe(0);
    expect(outcome.pending).toEqual([]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.findings).toEqual([]);
    expect(outcome.currentVersion).toBe('1');
    expect(outcome.rows).toEqual([
      {
        id: 1,
        version: '1',
        description: 'one',
        type: 'versioned',
        script: 'V1__one.sql',
        checksum: migrationFile(...ONE).checksum,
        appliedBy: 'postgres',
        appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        executionMs: expect.any(Number),
        success: true,
        error: null,
      },
    ]);
  });

  it('with nothing pending, still reports an applied file that changed', async () => {
    const url = await postgres.freshDatabase('plan_parser_changed');
    await run(url, 'migrate', set(ONE));

    const { outcome, parserLoads } = await run(
      url,
      'plan',
      set(['V1__one.sql', 'CREATE TABLE one (id bigint);\n']),
    );
    expect(parserLoads).toBe(0);
    expect(outcome.problems.map((problem) => problem.title)).toEqual(['Applied migration changed']);
  });

  it('with a pending file, loads the parser once, and lints the file before anything runs', async () => {
    const url = await postgres.freshDatabase('plan_parser_pending');
    await run(url, 'migrate', set(ONE));

    const { outcome, parserLoads } = await run(url, 'plan', set(ONE, TWO));
    expect(parserLoads).toBe(1);
    expect(outcome.pending.map(({ migration }) => migration.script)).toEqual(['V2__two.sql']);
    expect(outcome.findings.map((finding) => [finding.rule, finding.line])).toEqual([['drop-table', 2]]);
  });
});
