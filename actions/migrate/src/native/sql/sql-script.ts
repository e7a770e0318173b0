import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { Node } from 'libpg-query';
import { LineIndex } from './line-index.ts';
import { splitStatements } from './split-statements.ts';
import type { SqlParser, Statement } from './statement.ts';

/**
 * A migration's SQL split into statements by PostgreSQL's own parser (libpg-query, the server's
 * grammar compiled to WebAssembly), never by regular expressions: semicolons inside dollar-quoted
 * function bodies, string literals and comments cannot confuse it. Each statement keeps its parse
 * tree (for lint and for deciding whether the file can run in a transaction) and its line numbers
 * (for annotations and error messages). The rows that follow a COPY … FROM STDIN are data, not SQL:
 * split-statements.ts keeps them apart, with the COPY.
 */

export type { CopyData, SqlParser, Statement } from './statement.ts';
export { SqlSyntaxError } from './statement.ts';

export interface Script {
  statements: Statement[];
  /** Why the file cannot run in one transaction; undefined when it can. */
  outsideTransaction: { reason: string; line: number } | undefined;
  /** `-- gantry:<word>` header lines Gantry does not know, probably typos. */
  unknownDirectives: { directive: string; line: number }[];
}

/**
 * V8 recompiles hot WebAssembly functions with TurboFan on a background thread, and a process cannot
 * exit while such a job runs: for the parser's huge generated grammar function that kept every run
 * alive 0.6 to 1.5 s after its work was done, longer than the work. The baseline (Liftoff) code parses
 * a thousand migrations in about 0.2 s, so tier-up is limited to a function index that does not exist.
 */
const NO_WASM_TIER_UP = '--wasm-tier-up-filter=2147483647';

/** Loads the parser's WebAssembly module (some 30 ms), only for the commands that read SQL. */
export async function loadSqlParser(): Promise<SqlParser> {
  v8.setFlagsFromString(NO_WASM_TIER_UP);
  const parser = await withWasmDirectory(() => import('libpg-query'));
  await parser.loadModule();
  return { parse: (sql) => parser.parseSync(sql) };
}

/**
 * libpg-query's Emscripten loader looks for libpg-query.wasm in `__dirname`, which its CommonJS file
 * has in node_modules but the ES module bundle built by ncc does not. The `new URL(…, import.meta.url)`
 * below makes ncc ship the file beside the bundle (and rewrites the URL into that file's path); while
 * the module loads, a global `__dirname` naming that directory stands in for the missing one.
 */
async function withWasmDirectory<T>(load: () => Promise<T>): Promise<T> {
  const shipped: URL | string = new URL(
    '../../../../../node_modules/libpg-query/wasm/libpg-query.wasm',
    import.meta.url,
  );
  const file = shipped instanceof URL ? fileURLToPath(shipped) : shipped;
  const global = globalThis as { __dirname?: string };
  if ('__dirname' in global) return load();
  global.__dirname = path.dirname(file);
  try {
    return await load();
  } finally {
    delete global.__dirname;
  }
}

export const NO_TRANSACTION_DIRECTIVE = 'no-transaction';

/** `serverVersion` is server_version_num (150004): what runs in a transaction depends on it. */
export function readScript(sql: string, parser: SqlParser, serverVersion: number): Script {
  const bytes = Buffer.from(sql, 'utf8');
  const { directives, unknownDirectives } = readDirectives(sql);
  const statements = splitStatements(bytes, new LineIndex(bytes), parser);
  const forced = directives.get(NO_TRANSACTION_DIRECTIVE);
  let outsideTransaction: Script['outsideTransaction'] =
    forced === undefined
      ? undefined
      : { reason: `the "-- gantry:${NO_TRANSACTION_DIRECTIVE}" header`, line: forced };
  for (const statement of statements) {
    if (outsideTransaction) break;
    const reason = cannotRunInTransaction(statement.node, serverVersion);
    if (reason) outsideTransaction = { reason, line: statement.line };
  }
  return { statements, outsideTransaction, unknownDirectives };
}

/**
 * `-- gantry:<word>` lines in the comment block that opens the file (before the first statement);
 * returns each known directive's line.
 */
function readDirectives(sql: string): {
  directives: Map<string, number>;
  unknownDirectives: Script['unknownDirectives'];
} {
  const directives = new Map<string, number>();
  const unknownDirectives: Script['unknownDirectives'] = [];
  const lineBreak = /\r?\n|\r/g;
  for (let start = 0, number = 1; start <= sql.length; number++) {
    const found = lineBreak.exec(sql);
    const line = sql.slice(start, found ? found.index : sql.length).trim();
    start = found ? found.index + found[0].length : sql.length + 1;
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const match = /^--\s*gantry:\s*(\S+)\s*$/i.exec(line);
    if (!match) continue;
    const directive = (match[1] as string).toLowerCase();
    if (directive === NO_TRANSACTION_DIRECTIVE) directives.set(directive, number);
    else unknownDirectives.push({ directive: match[1] as string, line: number });
  }
  return { directives, unknownDirectives };
}

/** PostgreSQL 12 lets ALTER TYPE … ADD VALUE run in a transaction block. */
const ENUM_ADD_VALUE_IN_TRANSACTION = 120000;

/**
 * The statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction
 * block"), as a label for messages; undefined for everything else.
 */
export function cannotRunInTransaction(node: Node, serverVersion: number): string | undefined {
  if ('IndexStmt' in node && node.IndexStmt.concurrent) return 'CREATE INDEX CONCURRENTLY';
  if ('DropStmt' in node && node.DropStmt.concurrent) return 'DROP INDEX CONCURRENTLY';
  if ('ReindexStmt' in node) {
    const { kind, params } = node.ReindexStmt;
    if (kind === 'REINDEX_OBJECT_DATABASE' || kind === 'REINDEX_OBJECT_SYSTEM')
      return `REINDEX ${kind.slice(15)}`;
    if (params?.some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently')) {
      return 'REINDEX CONCURRENTLY';
    }
  }
  if ('VacuumStmt' in node && node.VacuumStmt.is_vacuumcmd) return 'VACUUM';
  if ('ClusterStmt' in node && !node.ClusterStmt.relation) return 'CLUSTER without a table';
  if ('CreatedbStmt' in node) return 'CREATE DATABASE';
  if ('DropdbStmt' in node) return 'DROP DATABASE';
  if ('CreateTableSpaceStmt' in node) return 'CREATE TABLESPACE';
  if ('DropTableSpaceStmt' in node) return 'DROP TABLESPACE';
  if ('AlterSystemStmt' in node) return 'ALTER SYSTEM';
  if ('CreateSubscriptionStmt' in node) return 'CREATE SUBSCRIPTION';
  if ('DropSubscriptionStmt' in node) return 'DROP SUBSCRIPTION';
  if ('AlterEnumStmt' in node && node.AlterEnumStmt.newVal && serverVersion < ENUM_ADD_VALUE_IN_TRANSACTION) {
    return 'ALTER TYPE … ADD VALUE (before PostgreSQL 12)';
  }
  if (
    'AlterTableStmt' in node &&
    node.AlterTableStmt.cmds?.some(
      (cmd) =>
        'AlterTableCmd' in cmd &&
        cmd.AlterTableCmd.subtype === 'AT_DetachPartition' &&
        cmd.AlterTableCmd.def !== undefined &&
        'PartitionCmd' in cmd.AlterTableCmd.def &&
        cmd.AlterTableCmd.def.PartitionCmd.concurrent,
    )
  ) {
    return 'DETACH PARTITION CONCURRENTLY';
  }
  return undefined;
}
