import type { MigrateInputs, Command } from '../inputs.ts';
import { readHistoryTable, type HistoryRead } from './commands/command-context.ts';
import { connect, type Connection } from './database/database.ts';
import type { ListedMigrations } from './files/migration-files.ts';
import { loadSqlParser, type SqlParser } from './sql/sql-script.ts';

/** These never write: their session is read-only, enforced by the server. */
const READ_ONLY = new Set<Command>(['plan', 'validate', 'info']);
/** These parse SQL whatever the history says: their parser starts loading before anything else. */
const LOADS_PARSER_EARLY = new Set<Command>(['migrate', 'undo']);

/**
 * What runs while the migration files are read, rather than after: with thousands of files, reading
 * and checksumming them is most of a plan or validate. It is synchronous work, which the loader
 * interrupts every few milliseconds, so that meanwhile:
 * - the connection is made (the server forks and authenticates the session on its own core), as
 *   soon as the file names are checked: a misnamed migration still fails the step before any
 *   connection is attempted;
 * - plan, validate and info read the history: they take no lock, so when it is read does not matter;
 * - the SQL parser loads (its WebAssembly compiles off the main thread): at once for migrate and
 *   undo, and for plan as soon as the names and the history show a version the database does not
 *   have. A plan with nothing pending never loads it.
 * Should a file then turn out unreadable, `abandon` stops the connection's retries and closes it.
 */
export class EarlyStart {
  private readonly inputs: MigrateInputs;
  private readonly stopConnecting = new AbortController();
  private readonly signal: AbortSignal;
  private connecting: Promise<Connection> | undefined;
  private historyRead: Promise<HistoryRead> | undefined;
  private readonly loadParser: () => Promise<SqlParser>;
  private parser: Promise<SqlParser | undefined> | undefined;

  /** `loadParser` is loadSqlParser, or in tests one that counts its loads. */
  constructor(inputs: MigrateInputs, signal: AbortSignal, loadParser = loadSqlParser) {
    this.inputs = inputs;
    this.signal = AbortSignal.any([signal, this.stopConnecting.signal]);
    this.loadParser = loadParser;
    if (LOADS_PARSER_EARLY.has(inputs.command)) this.parser = quiet(loadParser());
  }

  /** For loadMigrations: the names are checked, the files are about to be read. */
  readonly onListed = (listed: ListedMigrations): void => {
    const connecting = this.connection();
    if (!READ_ONLY.has(this.inputs.command)) return;
    const history = quiet(connecting.then((connection) => readHistoryTable(connection, this.inputs.history)));
    this.historyRead = history;
    if (this.inputs.command === 'plan') {
      this.parser = quiet(
        history.then(({ rows }) => (hasNewVersion(listed, rows) ? this.loadParser() : undefined)),
      );
    }
  };

  connection(): Promise<Connection> {
    this.connecting ??= quiet(
      connect(this.inputs.connection, {
        readOnly: READ_ONLY.has(this.inputs.command),
        timeoutMs: this.inputs.connectTimeoutMs,
        signal: this.signal,
      }),
    );
    return this.connecting;
  }

  /** The history as read while the files loaded: only for the read-only commands. */
  get history(): Promise<HistoryRead> | undefined {
    return this.historyRead;
  }

  /** The parser: the one already loading, or a fresh load. */
  readonly sqlParser = async (): Promise<SqlParser> => (await this.parser) ?? this.loadParser();

  /** The files could not be loaded: nothing else may go on. */
  abandon(reason: unknown): void {
    this.stopConnecting.abort(reason);
    void this.connecting?.then(
      (connection) => connection.end(),
      () => undefined,
    );
  }
}

/**
 * Each of these is awaited later, or never when something fails first: a rejection must then not
 * surface as an unhandled one. Whoever awaits it still sees it.
 */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Only a hint for loading the parser early: analyse() decides what is pending. A version written
 * differently in the table (`1.0` for the file's `1`) merely starts a load that was not needed; a
 * changed repeatable migration, which only its checksum shows, has the parser loaded when needed.
 */
function hasNewVersion(listed: ListedMigrations, rows: HistoryRead['rows']): boolean {
  const applied = new Set<string>();
  for (const row of rows) if (row.success && row.version !== null) applied.add(row.version);
  return listed.versions.some((version) => !applied.has(version));
}
