import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 4809:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9406);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8000);


await (0,_shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runActionProcess */ .l)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 704:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Em: () => (/* binding */ readMode),
/* harmony export */   Ko: () => (/* binding */ readInputs)
/* harmony export */ });
/* unused harmony exports COMMANDS, MODES */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3904);
/* harmony import */ var _shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(4608);
/* harmony import */ var _shared_src_postgres_connection_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(885);
/* harmony import */ var _native_database_history_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(2463);
/* harmony import */ var _native_files_version_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(5573);







/** Everything the migrate action needs, read and validated before it connects to anything. */
const COMMANDS = ['migrate', 'plan', 'validate', 'baseline', 'undo', 'info'];
const HOUR = 3_600_000;
/** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server. */
const MAX_IDENTIFIER_BYTES = 63;
const MODES = ['native', 'kubernetes-job', 'ecs-task'];
/** native: Gantry runs the SQL files; the others run the application's own command in its cluster. */
function readMode() {
    return (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getEnum */ .GV)('mode', MODES, 'native');
}
/** The inputs of mode native. */
function readInputs() {
    const command = (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getEnum */ .GV)('command', COMMANDS, 'migrate');
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    return {
        command,
        migrationsDir: readMigrationsDir(workspace),
        workspace,
        connection: (0,_shared_src_postgres_connection_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readConnectionSettings */ .S4)(),
        history: (0,_native_database_history_js__WEBPACK_IMPORTED_MODULE_5__/* .historyTable */ .f1)(identifier('schema', 'public'), readTableName()),
        lockTimeoutMs: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getDuration */ .Ds)('lock-timeout', { default: 5000, min: 10, max: HOUR }),
        statementTimeoutMs: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getDuration */ .Ds)('statement-timeout', { default: 0, min: 0, max: 24 * HOUR }),
        lockRetries: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getInteger */ .XU)('lock-retries', { default: 3, min: 0, max: 20 }),
        lockWaitMs: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getDuration */ .Ds)('lock-wait', { default: 5 * 60_000, min: 0, max: 6 * HOUR }),
        connectTimeoutMs: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getDuration */ .Ds)('connect-timeout', { default: 30_000, min: 1000, max: HOUR }),
        outOfOrder: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getBoolean */ .pW)('out-of-order', false),
        allowDestructive: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getBoolean */ .pW)('allow-destructive', false),
        baseline: readBaseline(command),
    };
}
function readMigrationsDir(workspace) {
    const given = (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getString */ .AA)('migrations-dir', { default: 'migrations' });
    const dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, given);
    let isDirectory;
    try {
        isDirectory = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(dir).isDirectory();
    }
    catch (error) {
        const code = error.code;
        throw new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input "migrations-dir" is "${given}", which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`} (looked for ${dir}).`, {
            input: 'migrations-dir',
            hint: 'give the directory of the .sql files relative to the repository root, and check the repository out first (actions/checkout)',
        });
    }
    if (!isDirectory)
        throw (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .invalidInput */ .aY)('migrations-dir', given, 'expected a directory of .sql migration files');
    return dir;
}
function readTableName() {
    const table = identifier('table', 'gantry_schema_history');
    if (table.includes('.')) {
        throw (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .invalidInput */ .aY)('table', table, 'expected a table name without a schema: the schema goes in the schema input');
    }
    return table;
}
function identifier(name, fallback) {
    const value = (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getString */ .AA)(name, { default: fallback });
    if (Buffer.byteLength(value, 'utf8') > MAX_IDENTIFIER_BYTES || value.includes('\0')) {
        throw (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .invalidInput */ .aY)(name, value, `expected a PostgreSQL name of at most ${MAX_IDENTIFIER_BYTES} bytes`);
    }
    return value;
}
function readBaseline(command) {
    const raw = (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getOptionalString */ .Eq)('baseline-version');
    if (command !== 'baseline') {
        if (raw !== undefined) {
            throw new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input "baseline-version" is only used by command baseline, and the command is ${command}.`, {
                input: 'baseline-version',
                hint: 'set command: baseline to mark an existing database, or drop baseline-version',
            });
        }
        return undefined;
    }
    if (raw === undefined) {
        throw new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1('Input "baseline-version" is required with command baseline.', {
            input: 'baseline-version',
            hint: 'the version the existing database already matches, like 1 or 2024.01.15',
        });
    }
    const version = (0,_native_files_version_js__WEBPACK_IMPORTED_MODULE_6__/* .parseVersion */ .o)(raw.replace(/^V/, ''));
    if (!version)
        throw (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .invalidInput */ .aY)('baseline-version', raw, 'expected a version like 1, 1.2 or 20240115093000');
    return { version, description: (0,_shared_src_runner_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .getString */ .AA)('baseline-description', { default: 'baseline' }) };
}


/***/ }),

/***/ 8000:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(704);

/**
 * Picks the mode, nothing more: native (Gantry applies the SQL itself) or in-cluster (the
 * application's own command runs as a Kubernetes Job or an ECS task). Each loads only its own code.
 */
async function run(context) {
    const mode = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .readMode */ .Em)();
    if (mode === 'native') {
        const { runNative } = await __nccwpck_require__.e(/* import() */ 779).then(__nccwpck_require__.bind(__nccwpck_require__, 3779));
        return runNative(context);
    }
    const { runInCluster } = await __nccwpck_require__.e(/* import() */ 418).then(__nccwpck_require__.bind(__nccwpck_require__, 5418));
    return runInCluster(mode, context.signal);
}


/***/ }),

/***/ 2463:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AV: () => (/* binding */ insertHistorySql),
/* harmony export */   Ab: () => (/* binding */ historyPrivilegeHints),
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   e5: () => (/* binding */ ownWriteTransaction),
/* harmony export */   eo: () => (/* binding */ MARK_NEXT_MIGRATION_START),
/* harmony export */   f1: () => (/* binding */ historyTable),
/* harmony export */   gg: () => (/* binding */ HISTORY_ROWS_DETAILED),
/* harmony export */   iV: () => (/* binding */ START_MARK_SETTING),
/* harmony export */   jt: () => (/* binding */ createHistoryTable),
/* harmony export */   z2: () => (/* binding */ historyExists)
/* harmony export */ });
/* harmony import */ var _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);
/* harmony import */ var _session_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4459);
/* harmony import */ var _sql_sql_quote_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8071);



/** The latest rows, shown in the job summary, which readHistory reads in full. */
const HISTORY_ROWS_DETAILED = 50;
function historyTable(schema, table) {
    return {
        schema,
        table,
        sql: `${(0,_sql_sql_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdentifier */ .C)(schema)}.${(0,_sql_sql_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdentifier */ .C)(table)}`,
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
async function createHistoryTable(session, history) {
    await (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .ownQuery */ .r9)(`Creating the history table ${history.display}`, () => createTable(session, history), {
        '42501': `the user needs the CREATE privilege on schema ${history.schema} (and on the database when the schema is missing), or create the table beforehand with a user that has it`,
    });
}
async function createTable(session, history) {
    const [schema] = await session.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [history.schema]);
    if (!schema)
        await session.query(`CREATE SCHEMA ${(0,_sql_sql_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteIdentifier */ .C)(history.schema)}`);
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
function insertHistorySql(history, row, runUrl, { measuredByServer = false, fromMark = false } = {}) {
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
    ].map(_sql_sql_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quoteLiteral */ .c);
    if (!measuredByServer)
        return `INSERT INTO ${history.sql} (${COLUMNS}) VALUES (${values.join(', ')})`;
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
function ownWriteTransaction(insert) {
    return `BEGIN READ WRITE; ${insert}; COMMIT`;
}
/** Milliseconds since the transaction began: now() is its start, clock_timestamp() the moment. */
const TRANSACTION_MS = 'pg_catalog.round(1000 * extract(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.now()))::integer';
/**
 * The start of the next migration sent in the same round trip (apply-group.ts), where now() will not
 * do: it is when the server received the round trip, the same for every migration in it. Set at
 * session level, just before that migration's BEGIN, by the transaction that resets the session
 * after the one before (a statement after BEGIN would take the transaction's snapshot before the
 * file's SET TRANSACTION can choose it). Whole microseconds since the epoch: a bigint's text,
 * which neither DateStyle nor extra_float_digits changes. The reset after the next one clears it.
 */
const START_MARK_SETTING = 'gantry.migration_started';
const MARK_NEXT_MIGRATION_START = `SELECT pg_catalog.set_config('${START_MARK_SETTING}', (1000000 * pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()))::bigint::text, false)`;
const microseconds = (at) => `(1000000 * pg_catalog.date_part('epoch', ${at}))::bigint`;
/** The mark, or now() if the migration's own RESET ALL emptied it. */
const MARKED = `COALESCE(NULLIF(pg_catalog.current_setting('${START_MARK_SETTING}', true), '')::bigint, ${microseconds('pg_catalog.now()')})`;
const MARKED_MS = `pg_catalog.round((${microseconds('pg_catalog.clock_timestamp()')} - ${MARKED}) / 1000.0)::integer`;
const MARKED_AT = `pg_catalog.to_timestamp(${MARKED} / 1000000.0)`;
async function historyExists(session, history) {
    const [row] = await (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .ownQuery */ .r9)(`Looking up the history table ${history.display}`, () => session.query('SELECT to_regclass($1) IS NOT NULL AS exists', [history.sql]));
    return row?.exists === true;
}
/** What to do when the user may not read or write the history table. */
function historyPrivilegeHints(history) {
    return {
        '42501': `grant the user SELECT on ${history.display} (and INSERT, for migrate, undo and baseline), and USAGE on schema ${history.schema}`,
    };
}
async function readHistory(session, history) {
    try {
        // The rows come back as one JSON text of HistoryRows, named and typed by the query itself (the
        // casts keep a hand-made table's numeric version a string, as the files compare it): the driver
        // decoding ten thousand rows field by field costs the action's one busy thread more than twice
        // what parsing the text does. A row's own JSON form is compact, keys without padding.
        // What every row needs is what analyse compares; the details are read only where they are shown
        // or reported (the latest rows, failed ones): formatting and decoding ten thousand of them costs
        // more than the rest of the read. The cut is found once, by the primary key.
        const [result] = await session.query(`SELECT coalesce(json_agg(row ORDER BY row.id)::text, '[]') AS rows
       FROM (SELECT id::float8 AS id, version::text, description::text, type::text, script::text,
                    checksum::text, success::boolean,
                    CASE WHEN detailed THEN applied_by::text END AS "appliedBy",
                    CASE WHEN detailed THEN to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS "appliedAt",
                    CASE WHEN detailed THEN execution_ms::float8 END AS "executionMs",
                    CASE WHEN detailed THEN error::text END AS error
             FROM (SELECT *, NOT success OR id >= coalesce(
                     (SELECT id FROM ${history.sql} ORDER BY id DESC OFFSET ${HISTORY_ROWS_DETAILED - 1} LIMIT 1), 0) AS detailed
                   FROM ${history.sql}) AS history) AS row`);
        return JSON.parse(result.rows);
    }
    catch (error) {
        if ((0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .sqlState */ .cn)(error) === '42703') {
            throw new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`The table ${history.display} exists but is not a Gantry schema history table: ${error.message}.`, {
                cause: error,
                hint: 'point the schema and table inputs at a table of its own (the default is public.gantry_schema_history)',
            });
        }
        throw (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .queryFailed */ .Kz)(`Reading the history table ${history.display}`, error, historyPrivilegeHints(history));
    }
}


/***/ }),

/***/ 4459:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bx: () => (/* binding */ connectionLost),
/* harmony export */   Kz: () => (/* binding */ queryFailed),
/* harmony export */   cn: () => (/* binding */ sqlState),
/* harmony export */   kH: () => (/* binding */ CONNECTION_LOST_HINT),
/* harmony export */   r9: () => (/* binding */ ownQuery)
/* harmony export */ });
/* harmony import */ var _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);

function sqlState(error) {
    const code = error?.code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
/** Server shutdown or restart, a session ended by an administrator, or a network failure. */
const LOST_STATES = new Set(['57P01', '57P02', '57P03']);
const LOST_MESSAGE = /Connection terminated|not queryable|ECONNRESET|EPIPE/i;
/** Whether the connection is gone: nothing more can be sent on it. */
function connectionLost(error) {
    const state = sqlState(error);
    if (state)
        return state.startsWith('08') || LOST_STATES.has(state);
    return LOST_MESSAGE.test((0,_shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error));
}
const CONNECTION_LOST_HINT = 'the connection to the database was lost (a server restart or failover, a session ended with pg_terminate_backend, a proxy or network timeout): run the step again';
/**
 * A query of Gantry's own (the history table, the migration lock, the session's settings) that
 * failed, as an operational failure: what was being done, the SQLSTATE and the server's message.
 * `hints` by SQLSTATE say what to do about the failures that `what` can meet.
 */
function queryFailed(what, error, hints = {}) {
    const state = sqlState(error);
    const hint = connectionLost(error) ? CONNECTION_LOST_HINT : state ? hints[state] : undefined;
    return new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`${what} failed: ${state ? `ERROR ${state}: ` : ''}${(0,_shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}.`, {
        cause: error,
        ...(hint === undefined ? {} : { hint }),
    });
}
/** Runs Gantry's own queries in `fn`, turning a failure into queryFailed's error. */
async function ownQuery(what, fn, hints = {}) {
    try {
        return await fn();
    }
    catch (error) {
        throw queryFailed(what, error, hints);
    }
}


/***/ }),

/***/ 5573:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ compareVersions),
/* harmony export */   o: () => (/* binding */ parseVersion)
/* harmony export */ });
/** The parts of each key, split once: sorting ten thousand versions compares them often. */
const partsOf = new Map();
function parts(version) {
    let cached = partsOf.get(version.key);
    if (!cached) {
        cached = version.key.split('.');
        partsOf.set(version.key, cached);
    }
    return cached;
}
const VERSION = /^\d+(?:[._]\d+)*$/;
/** One whole number without leading zeros, as most versions are: its own text and key. */
const PLAIN_NUMBER = /^[1-9]\d*$/;
function parseVersion(raw) {
    if (PLAIN_NUMBER.test(raw))
        return { text: raw, key: raw };
    if (!VERSION.test(raw))
        return undefined;
    const text = raw.replaceAll('_', '.');
    const parts = text.split('.').map((part) => part.replace(/^0+(?=\d)/, ''));
    while (parts.length > 1 && parts.at(-1) === '0')
        parts.pop();
    return { text, key: parts.join('.') };
}
function compareVersions(a, b) {
    // Most versions are one whole number (1, 2, 20240115093000): those compare without splitting.
    if (!a.key.includes('.') && !b.key.includes('.'))
        return compareWholeNumbers(a.key, b.key);
    const left = parts(a);
    const right = parts(b);
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
        const order = compareWholeNumbers(left[index] ?? '0', right[index] ?? '0');
        if (order !== 0)
            return order;
    }
    return 0;
}
/** Decimal strings without leading zeros: the longer is larger, equal lengths compare as text. */
function compareWholeNumbers(a, b) {
    if (a.length !== b.length)
        return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 8071:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ quoteIdentifier),
/* harmony export */   c: () => (/* binding */ quoteLiteral)
/* harmony export */ });
/** Quoting for the few values Gantry writes into SQL text itself, as libpq's PQescapeIdentifier/Literal do. */
function quoteIdentifier(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
/** An E'' literal when the text has a backslash, so it means the same whatever standard_conforming_strings is. */
function quoteLiteral(value) {
    if (value === null)
        return 'NULL';
    if (typeof value !== 'string')
        return String(value);
    const quoted = `'${value.replaceAll("'", "''")}'`;
    return value.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}


/***/ }),

/***/ 3904:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BI: () => (/* binding */ isExpectedError),
/* harmony export */   Kt: () => (/* binding */ DeadlineExceededError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   g7: () => (/* binding */ ReportedFailure),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   j1: () => (/* binding */ ConfigurationError),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/**
 * The error kinds every action distinguishes. `runAction` prints a stack trace only for errors that
 * are none of these, because those are bugs in Gantry; these are the user's or the environment's.
 */
/** A user mistake in the inputs: reported before anything is changed. */
class ConfigurationError extends Error {
    input;
    hint;
    constructor(message, options = {}) {
        super(message);
        this.name = 'ConfigurationError';
        this.input = options.input;
        this.hint = options.hint;
    }
}
/** An expected operational failure (a check failed, a service is down, a command exited non-zero). */
class ActionError extends Error {
    hint;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'ActionError';
        this.hint = options.hint;
    }
}
/**
 * A failure already reported in full (one annotation per problem, the job summary): `runAction`
 * only fails the step with this one-line message and adds no annotation of its own.
 */
class ReportedFailure extends ActionError {
    constructor(message) {
        super(message);
        this.name = 'ReportedFailure';
    }
}
/** The run was cancelled (SIGINT/SIGTERM from the runner, or the caller's AbortSignal). */
class CancelledError extends ActionError {
    constructor(message = 'the step was cancelled') {
        super(message);
        this.name = 'CancelledError';
    }
}
/** A deadline passed while waiting for something; the message says what. */
class DeadlineExceededError extends ActionError {
    constructor(message, options = {}) {
        super(message, options);
        this.name = 'DeadlineExceededError';
    }
}
/** True for the errors that are not bugs: their message is the whole story. */
function isExpectedError(error) {
    return error instanceof ConfigurationError || error instanceof ActionError;
}
/** Read by shape: errors from Node's own realm fail `instanceof Error` under jest's VM modules. */
function errorMessage(error) {
    const message = typeof error === 'object' && error !== null ? error.message : undefined;
    return typeof message === 'string' ? message : String(error);
}


/***/ }),

/***/ 5082:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ parseDuration),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/**
 * Durations as users write them in workflow YAML: `90s`, `5m`, `1h30m`, `250ms`, or a bare number of
 * seconds (`30`), which is what most actions' `timeout` inputs take.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
/** Returns milliseconds, or undefined when the text is not a duration. */
function parseDuration(text) {
    const value = text.trim();
    if (value === '')
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    let total = 0;
    let position = 0;
    PART.lastIndex = 0;
    while (position < value.length) {
        PART.lastIndex = position;
        const match = PART.exec(value);
        if (!match)
            return undefined;
        total += Number(match[1]) * UNIT_MS[match[2]];
        position = PART.lastIndex;
    }
    return Math.round(total);
}
/** The inverse, for messages: 90500 -> "1m30.5s", 250 -> "250ms". */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    const tenths = Math.round(ms / 100);
    const hours = Math.floor(tenths / 36_000);
    const minutes = Math.floor((tenths % 36_000) / 600);
    const seconds = (tenths % 600) / 10;
    return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}


/***/ }),

/***/ 885:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   S4: () => (/* binding */ readConnectionSettings),
/* harmony export */   vS: () => (/* binding */ CONNECTION_INPUTS)
/* harmony export */ });
/* unused harmony export readDatabaseUrl */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);
/* harmony import */ var _runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4608);
/* harmony import */ var _runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(2663);
/* harmony import */ var _connection_settings_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(6181);




/**
 * The connection inputs: `database-url`, or `host`, `port`, `user`, `password` and `database`, with
 * libpq's environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE) filling
 * what those leave empty. The URL and the password are masked the moment they are read.
 */
/** Every input readConnectionSettings reads, for actions that refuse them where they mean nothing. */
const CONNECTION_INPUTS = [
    'database-url',
    'host',
    'port',
    'user',
    'password',
    'database',
    'sslmode',
    'ca-certificate',
];
const URL_INPUT = 'database-url';
const DISCRETE = ['host', 'port', 'user', 'database'];
const URL_PARAMETERS = ['sslmode', 'options'];
const URL_EXAMPLE = 'postgresql://user:password@db.example.com:5432/app?sslmode=verify-full';
function readConnectionSettings() {
    const rawUrl = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)(URL_INPUT, { secret: true });
    const password = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('password', { secret: true });
    const sslInput = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('sslmode');
    const ca = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('ca-certificate');
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)('ca-certificate', ca.slice(0, 30), 'expected PEM text starting with -----BEGIN CERTIFICATE-----');
    }
    const base = rawUrl === undefined ? fromDiscreteInputs(password) : fromUrl(rawUrl, password);
    if (sslInput !== undefined && base.urlSslmode !== undefined && sslInput !== base.urlSslmode) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "sslmode" is "${sslInput}" but database-url says sslmode=${base.urlSslmode}: give it in one place.`, { input: 'sslmode' });
    }
    const sslmode = base.urlSslmode ?? (sslInput !== undefined ? (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getEnum */ .GV)('sslmode', _connection_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .SSL_MODES */ .y, 'prefer') : envSslmode());
    if (ca !== undefined && sslmode === 'disable') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('Input "ca-certificate" is given but sslmode is disable, which never uses it.', {
            input: 'ca-certificate',
            hint: 'use sslmode verify-full (or verify-ca) to check the server against this CA',
        });
    }
    return { ...base.settings, sslmode, ca };
}
/**
 * A second database given as a URL input of its own (a restore target, a scratch database), with
 * the same checks as database-url; masked the moment it is read. Its TLS settings come from the
 * URL alone (sslmode parameter, else prefer); `ca` is the main connection's CA, if any.
 */
function readDatabaseUrl(input, ca) {
    const raw = getOptionalString(input, { secret: true });
    if (raw === undefined)
        return undefined;
    const { settings, urlSslmode } = fromUrl(raw, undefined, input);
    return { ...settings, sslmode: urlSslmode ?? 'prefer', ca };
}
function fromUrl(raw, password, input = URL_INPUT) {
    maskUrlPassword(raw);
    const given = input === URL_INPUT ? DISCRETE.filter((name) => (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)(name) !== undefined) : [];
    if (given.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Inputs "${URL_INPUT}" and "${given[0]}" are both given: the connection comes from one or the other.`, {
            input: given[0],
            hint: `leave ${given.join(', ')} empty when database-url is set, or drop database-url`,
        });
    }
    const url = URL.parse(raw);
    if (!url || (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')) {
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, raw, `expected a postgresql:// URL like ${URL_EXAMPLE}`, true);
    }
    const parameters = url.searchParams;
    const unknown = [...parameters.keys()].filter((key) => !URL_PARAMETERS.includes(key));
    if (unknown.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "${input}" has the parameter(s) ${unknown.join(', ')}, which Gantry does not use; it accepts ${URL_PARAMETERS.join(', ')}.`, { input, hint: 'use the inputs instead: connect-timeout, ca-certificate' });
    }
    if (url.port === '0')
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)(input, raw, 'the port must be from 1 to 65535', true);
    const host = (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(url.hostname).replace(/^\[(.*)\]$/, '$1');
    if (host === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "${input}" names no host.`, {
            input,
            hint: 'for a unix socket, give its directory in the host input instead of a URL',
        });
    }
    const user = (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(url.username);
    if (user === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "${input}" names no user: expected a URL like ${URL_EXAMPLE}.`, {
            input,
        });
    }
    const database = (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(url.pathname.replace(/^\//, ''));
    if (database === '' || database.includes('/')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "${input}" names ${database === '' ? 'no database' : `"${database}", which is not a database name`}: expected a URL like ${URL_EXAMPLE}.`, { input });
    }
    const urlPassword = url.password === '' ? undefined : (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(url.password);
    if (urlPassword !== undefined && password !== undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Inputs "${input}" and "password" both carry a password: give it in one place.`, { input: 'password' });
    }
    const sslText = parameters.get('sslmode') ?? undefined;
    if (sslText !== undefined && !_connection_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .SSL_MODES */ .y.includes(sslText)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input "${input}" has sslmode=${sslText}: expected one of ${_connection_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .SSL_MODES */ .y.join(', ')}.`, { input });
    }
    return {
        settings: {
            host,
            port: url.port === '' ? 5432 : Number(url.port),
            user,
            password: urlPassword ?? password,
            database,
            options: parameters.get('options') ?? undefined,
        },
        urlSslmode: sslText,
    };
}
function fromDiscreteInputs(password) {
    const host = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('host') ?? env('PGHOST');
    if (host === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('No database to connect to: set database-url, or host (with user and password).', {
            input: URL_INPUT,
            hint: `database-url: \${{ secrets.DATABASE_URL }}, a URL like ${URL_EXAMPLE}`,
        });
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)('host', (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrlCredentials */ .dE)(host), 'expected a host name or address, not a URL (a URL goes in database-url)');
    }
    if (/\s/.test(host) || (host.includes('/') && !host.startsWith('/'))) {
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)('host', host, 'expected a host name, an IP address, or a unix socket directory starting with /');
    }
    const envPort = env('PGPORT');
    const port = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getInteger */ .XU)('port', {
        default: envPort === undefined ? 5432 : Number(envPort),
        min: 1,
        max: 65535,
    });
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .invalidInput */ .aY)('port', String(envPort), 'PGPORT must be a port number from 1 to 65535');
    }
    const user = (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('user') ?? env('PGUSER');
    if (user === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('Input "user" is required with host.', {
            input: 'user',
            hint: 'the database user to connect as',
        });
    }
    const envPassword = env('PGPASSWORD');
    (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(envPassword);
    return {
        settings: {
            host,
            port,
            user,
            password: password ?? envPassword,
            database: (0,_runner_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .getOptionalString */ .Eq)('database') ?? env('PGDATABASE') ?? user,
            options: undefined,
        },
        urlSslmode: undefined,
    };
}
function envSslmode() {
    const value = env('PGSSLMODE');
    if (value === undefined)
        return 'prefer';
    if (!_connection_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .SSL_MODES */ .y.includes(value)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`PGSSLMODE is "${value}": expected one of ${_connection_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .SSL_MODES */ .y.join(', ')}.`, {
            input: 'sslmode',
        });
    }
    return value;
}
function env(name) {
    const value = process.env[name]?.trim();
    return value ? value : undefined;
}
/**
 * The whole URL is masked as it is read; its password is masked on its own too, since the server's
 * messages may quote it apart from the URL. (Not redactUrlCredentials: it takes a URL's lone user
 * name for a token, and a PostgreSQL user name is no secret.)
 */
function maskUrlPassword(raw) {
    const password = URL.parse(raw)?.password;
    if (!password)
        return;
    (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(password);
    (0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)((0,_runner_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(password));
}


/***/ }),

/***/ 6181:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ describeTarget),
/* harmony export */   y: () => (/* binding */ SSL_MODES)
/* harmony export */ });
/** Where and how to connect, resolved from the inputs (database-url, or host/port/user/…). */
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** user@host:port/database: the target as messages show it, never with the password. */
function describeTarget(settings) {
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    return `${settings.user}@${host}:${settings.port}/${settings.database}`;
}


/***/ }),

/***/ 1169:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   uH: () => (/* binding */ setOutput)
/* harmony export */ });
/* unused harmony export keyValueMessage */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7852);




/**
 * The heredoc for one value; refused when the delimiter occurs in the name or value. The delimiter is
 * random each time; only tests pass one, to show the refusal.
 */
function keyValueMessage(key, value, delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`) {
    const converted = (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_3__/* .commandValue */ .pt)(value);
    // Only a value built to break out of the heredoc could contain a fresh random UUID.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (converted.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${converted}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${delimiter}`;
}
function appendToFile(file, message) {
    // The runner creates the file before the step starts: a missing one is a misconfigured runner.
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(file, `${message}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`, { encoding: 'utf8' });
}
function issueKeyValue(command, legacyCommand, name, value) {
    const file = process.env[`GITHUB_${command}`] || '';
    if (file) {
        appendToFile(file, keyValueMessage(name, value));
        return;
    }
    // @actions/core starts a fresh line before ::set-output only, not before ::save-state.
    if (command === 'OUTPUT')
        process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_3__/* .issueCommand */ .Lb)(legacyCommand, { name }, value);
}
function setOutput(name, value) {
    issueKeyValue('OUTPUT', 'set-output', name, value);
}
/** Saved for the post step, which reads it back with getState. */
function saveState(name, value) {
    issueKeyValue('STATE', 'save-state', name, value);
}
/** What the main step saved (the runner hands it over as STATE_<name>); '' when nothing was. */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}


/***/ }),

/***/ 4608:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  pW: () => (/* binding */ getBoolean),
  Ds: () => (/* binding */ getDuration),
  GV: () => (/* binding */ getEnum),
  XU: () => (/* binding */ getInteger),
  vS: () => (/* binding */ getList),
  Eq: () => (/* binding */ getOptionalString),
  AA: () => (/* binding */ getString),
  mA: () => (/* binding */ getStructured),
  aY: () => (/* binding */ invalidInput)
});

// UNUSED EXPORTS: getInput, getKeyValueMap, getLines

// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __nccwpck_require__(5082);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
;// CONCATENATED MODULE: ./shared/src/formats/list.ts
/**
 * Lists and maps as the anchors accept them: newline- or comma-separated, surrounding whitespace
 * trimmed, empty items and `#` comment lines dropped, double- or single-quoted items kept whole (so
 * `"a,b"` is one item), like docker/build-push-action's `Util.getInputList`.
 */
function parseList(text) {
    const items = [];
    for (const line of text.split(/\r?\n/)) {
        if (line.trim().startsWith('#'))
            continue;
        for (const item of splitOutsideQuotes(line, ',')) {
            const trimmed = unquote(item.trim());
            if (trimmed !== '')
                items.push(trimmed);
        }
    }
    return items;
}
/** Non-empty lines, trimmed, without `#` comment lines and without the quotes around a whole line. */
function parseLines(text) {
    return text
        .split(/\r?\n/)
        .filter((line) => !line.trim().startsWith('#'))
        .map((line) => unquote(line.trim()))
        .filter((line) => line !== '');
}
class list_MapEntryError extends Error {
    entry;
    constructor(entry, reason) {
        super(reason);
        this.entry = entry;
    }
}
/**
 * `key=value` items (split at the first `=`, so values may contain `=`); a duplicate key is an error.
 * `perLine`: one item per line and never split at commas, as docker/build-push-action reads
 * build-args, labels and secrets, whose values may hold commas (`LIST=a,b`).
 */
function list_parseKeyValueMap(text, options = {}) {
    const map = {};
    for (const entry of options.perLine ? parseLines(text) : parseList(text)) {
        const equals = entry.indexOf('=');
        if (equals < 0)
            throw new list_MapEntryError(entry, 'expected key=value');
        const key = entry.slice(0, equals).trim();
        if (key === '')
            throw new list_MapEntryError(entry, 'the key is empty');
        if (Object.hasOwn(map, key))
            throw new list_MapEntryError(entry, `the key "${key}" is given twice`);
        // defineProperty, not assignment: `map['__proto__'] = v` would be silently dropped.
        Object.defineProperty(map, key, {
            value: unquote(entry.slice(equals + 1).trim()),
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return map;
}
function splitOutsideQuotes(line, separator) {
    const parts = [];
    let current = '';
    let quote;
    for (const char of line) {
        if (quote) {
            if (char === quote)
                quote = undefined;
            current += char;
        }
        else if ((char === '"' || char === "'") && opensValue(current)) {
            quote = char;
            current += char;
        }
        else if (char === separator) {
            parts.push(current);
            current = '';
        }
        else {
            current += char;
        }
    }
    parts.push(current);
    return parts;
}
/**
 * Only a quote at the start of an item or of its value (`key="a,b"`) quotes; one inside a word is
 * text: `X-Name=O'Brien, Authorization=...` is two items, not one that swallows the line.
 */
function opensValue(before) {
    const text = before.trim();
    return text === '' || text.endsWith('=');
}
function unquote(item) {
    const first = item[0];
    if (item.length >= 2 && (first === '"' || first === "'") && item.endsWith(first))
        return item.slice(1, -1);
    return item;
}
/** Text that csv-parse would refuse; `reason` says why, in csv-parse's terms. */
class CsvError extends (/* unused pure expression or super */ null && (Error)) {
}
/**
 * Records of comma-separated fields exactly as the `csv-parse` library reads them with
 * `relax_column_count` and `skip_empty_lines`, the options docker/metadata-action and Docker's
 * actions toolkit use, so that a rule copied from their READMEs means the same here. A field that
 * starts with `"` is quoted: commas and line breaks inside are text, `""` is one quote, and it ends
 * at a quote followed by a comma, a line break, the comment character or the end. Lines end at the
 * first kind of line break met (`\n`, `\r\n` or `\r`), as csv-parse discovers it; empty lines are
 * skipped; fields are not trimmed.
 */
function parseCsv(text, options = {}) {
    const records = [];
    let record = [];
    let field = '';
    let quoting = false;
    let wasQuoting = false;
    let commenting = false;
    let lineBreak;
    const breakAt = (pos) => {
        if (lineBreak !== undefined)
            return text.startsWith(lineBreak, pos) ? lineBreak.length : 0;
        if (text.startsWith('\r\n', pos))
            return 2;
        return text[pos] === '\n' || text[pos] === '\r' ? 1 : 0;
    };
    const endField = () => {
        record.push(field);
        field = '';
        wasQuoting = false;
    };
    const isEmptyLine = () => !wasQuoting && record.length === 0 && field.length === 0;
    for (let pos = 0; pos < text.length; pos++) {
        if (!quoting && lineBreak === undefined && breakAt(pos) > 0) {
            lineBreak = text.startsWith('\r\n', pos) ? '\r\n' : text[pos];
        }
        const char = text[pos];
        if (!commenting && char === '"') {
            if (quoting) {
                const next = text[pos + 1];
                if (next === '"') {
                    field += '"';
                    pos++;
                    continue;
                }
                quoting = false;
                wasQuoting = true;
                if (next === undefined || next === ',' || next === options.comment || breakAt(pos + 1) > 0)
                    continue;
                if (!options.relaxQuotes) {
                    throw new CsvError(`the quoted field "${field}" is followed by "${next}" instead of a comma`);
                }
                // relax_quotes: the quotes were text after all.
                field = `"${field}"`;
                continue;
            }
            if (field.length === 0) {
                quoting = true;
                continue;
            }
            if (!options.relaxQuotes) {
                throw new CsvError(`a quote inside the field "${field}"… is not allowed; quote the whole field`);
            }
        }
        if (!quoting) {
            const breakLength = breakAt(pos);
            if (breakLength > 0) {
                // A comment line and an empty line make no record.
                if (!isEmptyLine()) {
                    endField();
                    records.push(record);
                    record = [];
                }
                commenting = false;
                pos += breakLength - 1;
                continue;
            }
            if (commenting)
                continue;
            const atRecordStart = record.length === 0 && field.length === 0;
            if (char === options.comment && (!options.commentNoInfix || atRecordStart)) {
                commenting = true;
                continue;
            }
            if (char === ',') {
                endField();
                continue;
            }
        }
        field += char;
    }
    if (quoting)
        throw new CsvError(`the quote that opens "${field.split(/\r?\n/)[0]}" is never closed`);
    if (!isEmptyLine()) {
        endField();
        records.push(record);
    }
    return records;
}

// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __nccwpck_require__(2663);
;// CONCATENATED MODULE: ./shared/src/runner/inputs.ts




/**
 * An input as the runner hands it over (`INPUT_<NAME>`, spaces as `_`, upper-cased), trimmed unless
 * told otherwise, as `core.getInput` reads it; '' when not given.
 */
function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return options.trimWhitespace === false ? value : value.trim();
}
function raw(name, options = {}) {
    const value = getInput(name);
    if (options.secret)
        (0,secrets/* maskSecret */.$l)(value);
    if (options.required && value === '') {
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is required but was not given.`, { input: name });
    }
    return value;
}
function invalidInput(name, value, accepted, secret = false) {
    const shown = secret ? secrets/* REDACTED */.XF : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
    return new errors/* ConfigurationError */.j1(`Input "${name}" has an invalid value ${shown}: ${accepted}.`, {
        input: name,
    });
}
function getString(name, options = {}) {
    const value = raw(name, options);
    return value === '' ? (options.default ?? '') : value;
}
function getOptionalString(name, options = {}) {
    const value = raw(name, options);
    return value === '' ? undefined : value;
}
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];
/** The YAML 1.2 core schema words, exactly as `core.getBooleanInput` accepts them. */
function getBoolean(name, defaultValue) {
    const value = raw(name);
    if (value === '')
        return defaultValue;
    if (TRUE_WORDS.includes(value))
        return true;
    if (FALSE_WORDS.includes(value))
        return false;
    throw invalidInput(name, value, 'expected true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE)');
}
function getInteger(name, options) {
    const value = raw(name);
    if (value === '')
        return options.default;
    const range = describeRange(options.min, options.max, String);
    if (!/^-?\d+$/.test(value))
        throw invalidInput(name, value, `expected a whole number${range}`);
    const number = Number(value);
    if (!Number.isSafeInteger(number) || outOfRange(number, options.min, options.max)) {
        throw invalidInput(name, value, `expected a whole number${range}`);
    }
    return number;
}
/**
 * A duration in milliseconds: `90s`, `5m`, `1h30m`, `250ms`, or a bare number of seconds unless
 * `unitRequired` (for latencies, where a bare `500` is as likely meant as milliseconds).
 */
function getDuration(name, options) {
    const value = raw(name);
    if (value === '')
        return options.default;
    const ms = options.unitRequired && /^[\d.]+$/.test(value) ? undefined : (0,duration/* parseDuration */.E)(value);
    const range = describeRange(options.min, options.max, duration/* formatDuration */.a);
    if (ms === undefined) {
        const unit = options.unitRequired ? ' with a unit' : '';
        throw invalidInput(name, value, `expected a duration${unit} like 90s, 5m, 1h30m or 250ms${range}`);
    }
    if (outOfRange(ms, options.min, options.max))
        throw invalidInput(name, value, `expected a duration${range}`);
    return ms;
}
function getList(name, options = {}) {
    const list = parseList(raw(name, options));
    if (options.required && list.length === 0) {
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is required but lists nothing.`, { input: name });
    }
    return list;
}
/**
 * Lines only, for inputs whose items contain commas themselves (metadata-action's `tags` rules like
 * `type=semver,pattern={{version}}`): trimmed, blank and `#` comment lines dropped.
 */
function getLines(name) {
    return raw(name)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
}
/** `key=value` entries, one per line or comma; with `perLine`, one per line only (values may hold commas). */
function getKeyValueMap(name, options = {}) {
    const value = raw(name, options);
    const accepted = options.perLine
        ? 'expected key=value, one per line'
        : 'expected key=value, one per line or comma';
    try {
        return parseKeyValueMap(value, { perLine: options.perLine });
    }
    catch (error) {
        if (!(error instanceof MapEntryError))
            throw error;
        throw invalidInput(name, error.entry, error.message === 'expected key=value' ? accepted : `${error.message}; ${accepted}`, options.secret);
    }
}
function getEnum(name, allowed, defaultValue) {
    const value = raw(name);
    if (value === '')
        return defaultValue;
    if (allowed.includes(value))
        return value;
    throw invalidInput(name, value, `expected one of ${allowed.join(', ')}`);
}
/**
 * A YAML (or JSON, which is YAML) block; undefined when empty. Shape checks are the caller's. The
 * YAML parser is loaded only when a block is given, to keep it out of every action's cold start.
 */
async function getStructured(name, options = {}) {
    const value = raw(name, options);
    if (value === '')
        return undefined;
    const { parse } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
    try {
        return parse(value, { prettyErrors: true, uniqueKeys: true });
    }
    catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is not valid YAML or JSON: ${reason}.`, { input: name });
    }
}
function outOfRange(value, min, max) {
    return (min !== undefined && value < min) || (max !== undefined && value > max);
}
function describeRange(min, max, format) {
    if (min !== undefined && max !== undefined)
        return ` from ${format(min)} to ${format(max)}`;
    if (min !== undefined)
        return ` of at least ${format(min)}`;
    if (max !== undefined)
        return ` of at most ${format(max)}`;
    return '';
}


/***/ }),

/***/ 9406:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ runActionProcess)
/* harmony export */ });
/* unused harmony export runAction */
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5082);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3904);
/* harmony import */ var _file_commands_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1169);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(2663);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(7852);





const POST_STATE = 'gantry-is-post';
async function runAction(main, post) {
    const isPost = post !== undefined && (0,_file_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu)(POST_STATE) === 'true';
    if (post && !isPost)
        (0,_file_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .saveState */ .LZ)(POST_STATE, 'true');
    const step = isPost ? post : main;
    const controller = new AbortController();
    const onSignal = (signal) => {
        if (controller.signal.aborted) {
            // A second signal means the runner is about to kill us: stop now rather than be killed mid-write.
            process.exit(1);
        }
        (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .annotate */ .fz)('warning', `Received ${signal}: cancelling, finishing what cannot be interrupted.`);
        controller.abort(new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc(`Cancelled by ${signal}.`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const startedAt = Date.now();
    try {
        await step({ signal: controller.signal, startedAt });
    }
    catch (error) {
        fail(error);
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .writeLine */ ._r)(`${isPost ? 'Post step' : 'Step'} finished in ${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(Date.now() - startedAt)}.`);
    }
}
/**
 * What a bundled action's index.ts calls: runAction, then the process ends as soon as its log is
 * flushed. Nothing keeps a finished step alive ('exit' comes within milliseconds), but Node's own
 * teardown after it, which waits for V8's background compile jobs, took another 50-150 ms of every
 * step on a loaded two-core machine; process.exit() skips most of that wait (20-60 ms less in
 * bench/deploy-k8s-startup.bench.ts). Nothing of the step is cut off: it has awaited its work
 * (outputs, state and annotations are written synchronously, the summary is awaited), 'exit'
 * listeners still run, and a post step runs in a process of its own.
 */
async function runActionProcess(main, post) {
    await runAction(main, post);
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit();
}
/** Resolves once everything written before is handed to the OS (on a pipe it may be asynchronous). */
function flushed(stream) {
    return new Promise((resolve) => stream.write('', () => resolve()));
}
function fail(error) {
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ReportedFailure */ .g7) {
        process.exitCode = 1;
        (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .writeLine */ ._r)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(error.message));
        return;
    }
    if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isExpectedError */ .BI)(error)) {
        const hint = error.hint ? ` Hint: ${error.hint}` : '';
        const prefix = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1 ? 'Invalid configuration: ' : '';
        (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .setFailed */ .C1)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(`${prefix}${error.message}${hint}`));
        return;
    }
    // Anything else is a bug in Gantry: the stack is what a maintainer needs to fix it.
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .writeLine */ ._r)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(error instanceof Error && error.stack ? error.stack : String(error)));
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .setFailed */ .C1)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(`Unexpected error (a bug in Gantry; please report it with this log): ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`));
}


/***/ }),

/***/ 2663:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   XF: () => (/* binding */ REDACTED),
/* harmony export */   dE: () => (/* binding */ redactUrlCredentials),
/* harmony export */   ex: () => (/* binding */ safeDecode)
/* harmony export */ });
/* unused harmony exports isCredentialName, urlForMessages */
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7852);

/**
 * Every secret the action learns is registered here the moment it is known: the runner masks it in
 * the log (`::add-mask::`), and `redact` removes it from text Gantry writes itself (job summary,
 * outputs, error messages), which the runner does not mask.
 */
const known = new Set();
/** Values shorter than this are not masked: masking "1" or "ab" would shred the whole log. */
const MIN_SECRET_LENGTH = 3;
function maskSecret(value) {
    if (!value || value.length < MIN_SECRET_LENGTH)
        return;
    for (const form of new Set([value, encodeURIComponent(value)])) {
        if (known.has(form))
            continue;
        known.add(form);
        // A multi-line secret (a key, a kubeconfig) is masked line by line, as the runner matches lines;
        // `redact` knows each line too, because output (exec's tails) is redacted a line at a time.
        for (const line of form.split(/\r?\n/)) {
            if (line.trim().length < MIN_SECRET_LENGTH)
                continue;
            (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq)(line);
            known.add(line);
        }
    }
}
const REDACTED = '***';
/**
 * Header, query-parameter and field names whose values are credentials: `Authorization`,
 * `X-Api-Key`, `X-Functions-Key`, `Cookie`, `?token=`, `?sig=` (Azure SAS), `?code=` (Azure
 * Functions). Broad on purpose: masking a value that was no secret costs little.
 */
const CREDENTIAL_NAME = /auth|token|secret|passw|pwd|key|cookie|session|signature|credential|private|^sig$|^code$/i;
function isCredentialName(name) {
    return CREDENTIAL_NAME.test(name);
}
function redact(text) {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...known].sort((a, b) => b.length - a.length)) {
        result = result.split(secret).join(REDACTED);
    }
    return result;
}
/** Hides the password of a URL (https://user:pass@host), or a lone token (https://token@host), and registers it as a secret. */
function redactUrlCredentials(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        return raw;
    }
    if (!url.username && !url.password)
        return raw;
    if (!url.password && !looksLikeToken(url.username))
        return raw;
    if (!url.password) {
        // https://TOKEN@host: a lone user name is how tokens are put in URLs (GitHub, GitLab).
        maskSecret(safeDecode(url.username));
        maskSecret(url.username);
        url.username = REDACTED;
        return url.toString();
    }
    maskSecret(safeDecode(url.password));
    maskSecret(url.password);
    url.password = REDACTED;
    return url.toString();
}
/**
 * A lone user name is a token when it looks like one: a known token prefix, or long and random. An
 * ordinary user name (postgres://app@db) is not masked, or every "app" in the log would be.
 */
function looksLikeToken(name) {
    return /^(gh[opsur]_|github_pat_|glpat-|xox[abp]-)/.test(name) || (name.length >= 24 && /\d/.test(name));
}
/**
 * A URL for messages: no password (see redactUrlCredentials) and no query string, which may carry a
 * token nobody registered as a secret (a signed redirect target, a `?sig=` of a URL being refused).
 * Works on text that is not a valid URL too.
 */
function urlForMessages(raw) {
    return redactUrlCredentials(raw.trim()).replace(/\?.*$/s, '?…');
}
/** A password may hold a `%` that is no escape (`100%pure`): decodeURIComponent would throw on it. */
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}


/***/ }),

/***/ 7852:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   Lb: () => (/* binding */ issueCommand),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   _r: () => (/* binding */ writeLine),
/* harmony export */   fz: () => (/* binding */ annotate),
/* harmony export */   pt: () => (/* binding */ commandValue)
/* harmony export */ });
/* unused harmony exports escapeData, escapeProperty, formatCommand, annotationProperties */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);

/** A value as a command carries it: strings as they are, nothing as '', anything else as JSON. */
function commandValue(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string' || value instanceof String)
        return String(value);
    return JSON.stringify(value);
}
/** The message: `%`, CR and LF escaped, or the runner would end the command at the line break. */
function escapeData(value) {
    return commandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** A property value: also `:` and `,`, which would end the value or the property list. */
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/**
 * One command line without its line ending. As in @actions/core, properties with an empty value
 * (undefined, '', 0) are left out, but a properties object with any key at all still puts the space
 * after the command name (`::warning ::text`), which the runner reads the same as `::warning::text`.
 */
function formatCommand(command, properties, message) {
    let text = `::${command || 'missing.command'}`;
    const keys = Object.keys(properties);
    if (keys.length > 0) {
        const pairs = keys
            .filter((key) => properties[key])
            .map((key) => `${key}=${escapeProperty(properties[key])}`);
        text += ` ${pairs.join(',')}`;
    }
    return `${text}::${escapeData(message)}`;
}
function issueCommand(command, properties, message) {
    process.stdout.write(formatCommand(command, properties, message) + node_os__WEBPACK_IMPORTED_MODULE_0__.EOL);
}
/** The runner's names for an annotation's location; none at all when the location is empty. */
function annotationProperties(location) {
    if (Object.keys(location).length === 0)
        return {};
    return {
        title: location.title,
        file: location.file,
        line: location.startLine,
        endLine: location.endLine,
        col: location.startColumn,
        endColumn: location.endColumn,
    };
}
/** A plain log line (`core.info`). */
function writeLine(message) {
    process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_0__.EOL);
}
function annotate(level, message, location = {}) {
    issueCommand(level, annotationProperties(location), message);
}
/** `::add-mask::`: the runner replaces the value with *** in the log from now on. */
function setSecret(value) {
    issueCommand('add-mask', {}, value);
}
/** Marks the step failed (exit code 1) and reports why as an error annotation, as `core.setFailed`. */
function setFailed(message) {
    process.exitCode = 1;
    annotate('error', message);
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 2250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 99:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:sqlite");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7830:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/web");

/***/ }),

/***/ 7997:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers");

/***/ }),

/***/ 8500:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 8877:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 2018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 8253:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util/types");

/***/ }),

/***/ 9154:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("vm");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(4809);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
