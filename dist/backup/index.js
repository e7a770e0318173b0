import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 9956:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9406);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1685);


await (0,_shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runActionProcess */ .l)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1685:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __nccwpck_require__(5082);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
;// CONCATENATED MODULE: ./shared/src/async/deadline.ts


const systemClock = { now: () => Date.now() };
/**
 * One deadline for one long wait: created from the user's timeout input, passed down to every
 * retry and poll inside that wait, and reporting what was awaited when it passes.
 */
class Deadline {
    at;
    what;
    timeoutMs;
    clock;
    constructor(timeoutMs, what, clock = systemClock) {
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.at = clock.now() + timeoutMs;
        this.what = what;
    }
    remaining() {
        return Math.max(0, this.at - this.clock.now());
    }
    expired() {
        return this.remaining() === 0;
    }
    /**
     * A signal for every call made under this deadline: it aborts with this deadline's error when the
     * deadline passes, or with `parent`'s reason when that aborts first.
     */
    signal(parent) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(this.error()), this.remaining());
        // The deadline alone must not keep a finished action's process alive.
        timer.unref();
        controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
        if (parent?.aborted)
            controller.abort(parent.reason);
        parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
        return controller.signal;
    }
    error(detail = '') {
        return new errors/* DeadlineExceededError */.Kt(`Timed out after ${(0,duration/* formatDuration */.a)(this.timeoutMs)} waiting for ${this.what}${detail ? `: ${detail}` : ''}.`);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __nccwpck_require__(2663);
// EXTERNAL MODULE: ./shared/src/runner/workflow-commands.ts
var workflow_commands = __nccwpck_require__(7852);
;// CONCATENATED MODULE: ./shared/src/runner/log.ts


function info(message) {
    (0,workflow_commands/* writeLine */._r)((0,secrets/* redact */.E$)(message));
}
function debug(message) {
    (0,workflow_commands/* issueCommand */.Lb)('debug', {}, (0,secrets/* redact */.E$)(message));
}
function warning(message, location = {}) {
    (0,workflow_commands/* annotate */.fz)('warning', (0,secrets/* redact */.E$)(message), redactLocation(location));
}
function log_error(message, location = {}) {
    (0,workflow_commands/* annotate */.fz)('error', (0,secrets/* redact */.E$)(message), redactLocation(location));
}
function notice(message, location = {}) {
    annotate('notice', redact(message), redactLocation(location));
}
/** Runs `fn` inside a collapsible log group, closing the group however `fn` ends. */
async function group(title, fn) {
    issueCommand('group', {}, redact(title));
    try {
        return await fn();
    }
    finally {
        issueCommand('endgroup', {}, '');
    }
}
function redactLocation(location) {
    return location.title === undefined ? location : { ...location, title: (0,secrets/* redact */.E$)(location.title) };
}

;// CONCATENATED MODULE: ./shared/src/postgres/client-config.ts
function pgDriverConfig(settings, applicationName) {
    return {
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password ?? '',
        database: settings.database,
        ssl: sslOptions(settings),
        application_name: applicationName,
        ...(settings.options === undefined ? {} : { options: settings.options }),
    };
}
/** sslmode as libpq applies it; `prefer` tries TLS unverified (the caller falls back to plain). */
function sslOptions(settings) {
    const ca = settings.ca;
    switch (settings.sslmode) {
        case 'disable':
            return false;
        case 'prefer':
            return { rejectUnauthorized: false };
        case 'require':
            // As libpq: with a root certificate given, require verifies the chain like verify-ca.
            return ca
                ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
                : { rejectUnauthorized: false };
        case 'verify-ca':
            return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
        case 'verify-full':
            return { ca, rejectUnauthorized: true };
    }
}
/**
 * PGHOST, PGPORT, … for a libpq program. `caFile` is where the caller wrote `settings.ca` (libpq
 * reads the CA from a file only). PGPASSWORD is what `pg_dump` documents for non-interactive use.
 */
function libpqEnvironment(settings, applicationName, caFile) {
    const env = {
        PGHOST: settings.host,
        PGPORT: String(settings.port),
        PGUSER: settings.user,
        PGDATABASE: settings.database,
        PGSSLMODE: settings.sslmode,
        PGAPPNAME: applicationName,
    };
    if (settings.password !== undefined)
        env.PGPASSWORD = settings.password;
    if (settings.options !== undefined)
        env.PGOPTIONS = settings.options;
    if (caFile !== undefined)
        env.PGSSLROOTCERT = caFile;
    return env;
}

;// CONCATENATED MODULE: ./actions/backup/src/storage/backup-key.ts
/**
 * Where a backup lives: `<prefix>/<database>/<started_at as YYYYMMDDTHHMMSSZ>-<8 hex>.dump`
 * (`.dump.age` when encrypted), and its manifest at the same key with `.json`. Keys sort by time,
 * so a listing is chronological. A database name is used as it is unless it holds a character a
 * key segment cannot (a `/`, a control character), which is then percent-encoded.
 */
function databasePrefix(prefix, database) {
    const segment = /^[^/\\%]+$/.test(database) && !hasControlCharacter(database) ? database : encodeURIComponent(database);
    return prefix === '' ? `${segment}/` : `${prefix}/${segment}/`;
}
function hasControlCharacter(text) {
    return [...text].some((char) => char.charCodeAt(0) < 0x20);
}
/** 2026-01-02T03:04:05.678Z -> 20260102T030405Z */
function keyTimestamp(date) {
    return date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}Z$/, 'Z');
}
function backupKey(prefix, database, startedAt, shortId, encrypted) {
    const base = `${databasePrefix(prefix, database)}${keyTimestamp(startedAt)}-${shortId}`;
    return { dumpKey: `${base}.dump${encrypted ? '.age' : ''}`, manifestKey: `${base}.json` };
}
const DUMP_SUFFIX = /\.dump(\.age)?$/;
const NAME = /\d{8}T\d{6}Z-[0-9a-f]{8}\.(dump|dump\.age|json)$/;
/** The manifest key of a dump key (or of a manifest key), or undefined for a key of neither. */
function manifestKeyOf(key) {
    if (!NAME.test(key))
        return undefined;
    return key.endsWith('.json') ? key : key.replace(DUMP_SUFFIX, '.json');
}
function isDumpKey(key) {
    return NAME.test(key) && DUMP_SUFFIX.test(key);
}
function isManifestKey(key) {
    return NAME.test(key) && key.endsWith('.json');
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
;// CONCATENATED MODULE: ./actions/backup/src/postgres/ca-file.ts



/** libpq reads a CA from a file only: ca-certificate is written to a private temp file for the step. */
async function withCaFile(ca, fn) {
    if (ca === undefined)
        return fn(undefined);
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'gantry-backup-ca-'));
    try {
        const file = (0,external_node_path_.join)(dir, 'root.crt');
        await (0,promises_.writeFile)(file, ca, { mode: 0o600 });
        return await fn(file);
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: external "node:timers/promises"
const external_node_timers_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./shared/src/async/sleep.ts


/** Waits `ms`, or rejects with the signal's reason (a CancelledError) as soon as it is aborted. */
async function sleep_sleep(ms, signal) {
    if (ms <= 0) {
        throwIfAborted(signal);
        return;
    }
    try {
        await (0,external_node_timers_promises_namespaceObject.setTimeout)(ms, undefined, signal ? { signal } : undefined);
    }
    catch (error) {
        if (signal?.aborted)
            throw abortReason(signal);
        throw error;
    }
}
function throwIfAborted(signal) {
    if (signal?.aborted)
        throw abortReason(signal);
}
/** The reason an abort carries when Gantry aborted; a bare abort (a DOMException) is a cancellation. */
function abortReason(signal) {
    return signal.reason instanceof errors/* ActionError */.lZ ? signal.reason : new errors/* CancelledError */.cc();
}

;// CONCATENATED MODULE: ./shared/src/async/retry.ts




class RetryExhaustedError extends errors/* ActionError */.lZ {
    attempts;
    lastError;
    constructor(message, attempts, lastError) {
        super(message, { cause: lastError });
        this.name = 'RetryExhaustedError';
        this.attempts = attempts;
        this.lastError = lastError;
    }
}
async function retry(fn, options) {
    const { attempts = Number.POSITIVE_INFINITY, initialDelayMs = 500, maxDelayMs = 30_000, clock = systemClock, sleep = sleep_sleep, random = Math.random, } = options;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        throwIfAborted(options.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            // An attempt that failed once the signal was aborted: the abort is the answer, not a retry
            // (nor a "retrying" line after whatever aborted it).
            throwIfAborted(options.signal);
            const verdict = options.classify(error);
            if (!verdict.transient)
                throw error;
            const backoff = random() * Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
            const delayMs = Math.max(backoff, verdict.retryAfterMs ?? 0);
            const elapsed = (0,duration/* formatDuration */.a)(clock.now() - started);
            if (attempt >= attempts) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}: ${(0,errors/* errorMessage */.gJ)(error)}`, attempt, error);
            }
            if (options.deadline && delayMs >= options.deadline.remaining()) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}, the deadline of ` +
                    `${(0,duration/* formatDuration */.a)(options.deadline.timeoutMs)} leaves no time for another: ${(0,errors/* errorMessage */.gJ)(error)}`, attempt, error);
            }
            options.onRetry?.({ attempt, delayMs, reason: verdict.reason, error });
            await sleep(delayMs, options.signal);
        }
    }
}
/** Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from now. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    // Delta-seconds are whole by the RFC; a fraction some servers send is still seconds, not a date.
    if (/^\d+(\.\d+)?$/.test(trimmed))
        return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

;// CONCATENATED MODULE: ./shared/src/postgres/connection-settings.ts
/** Where and how to connect, resolved from the inputs (database-url, or host/port/user/…). */
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** user@host:port/database: the target as messages show it, never with the password. */
function describeTarget(settings) {
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    return `${settings.user}@${host}:${settings.port}/${settings.database}`;
}

;// CONCATENATED MODULE: ./shared/src/postgres/connect.ts







const ATTEMPT_TIMEOUT_MS = 10_000;
const SSL_REFUSED = 'The server does not support SSL connections';
async function openClient(settings, options) {
    const { default: pg } = await __nccwpck_require__.e(/* import() */ 849).then(__nccwpck_require__.bind(__nccwpck_require__, 3849));
    const target = describeTarget(settings);
    const deadline = new Deadline(options.timeoutMs, `a connection to ${target}`);
    const base = pgDriverConfig(settings, options.applicationName);
    let ssl = base.ssl;
    const open = async () => {
        const client = new pg.Client({
            ...base,
            ssl,
            options: [settings.options, options.sessionOptions].filter(Boolean).join(' ') || undefined,
            connectionTimeoutMillis: Math.max(1000, Math.min(deadline.remaining(), ATTEMPT_TIMEOUT_MS)),
        });
        // An idle connection the server drops emits 'error'; unheard, it would crash the process.
        client.on('error', (error) => debug(`connection error: ${error.message}`));
        try {
            await client.connect();
            return client;
        }
        catch (error) {
            await client.end().catch(() => undefined);
            if (settings.sslmode === 'prefer' && ssl !== false && (0,errors/* errorMessage */.gJ)(error).includes(SSL_REFUSED)) {
                ssl = false;
                return open();
            }
            throw error;
        }
    };
    try {
        const client = await retry(open, {
            what: `connecting to ${target}`,
            classify: classifyConnectError,
            deadline,
            signal: options.signal,
            initialDelayMs: 250,
            maxDelayMs: 5000,
            onRetry: ({ attempt, delayMs, reason }) => info(`Connecting to ${target} failed (attempt ${attempt}: ${reason}); retrying in ${(0,duration/* formatDuration */.a)(delayMs)}.`),
        });
        return { client, ssl, target };
    }
    catch (error) {
        throw connectError(error, settings, target, options.timeoutMs);
    }
}
/** Network errors and a server that is starting, shutting down or full are worth another try. */
const TRANSIENT_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EPIPE',
    '57P03',
    '53300',
    '08006',
    '08001',
]);
function errorCode(error) {
    const direct = error?.code;
    if (typeof direct === 'string')
        return direct;
    // Node reports a host with several addresses that all failed as an AggregateError.
    const inner = error?.errors?.[0];
    const code = inner?.code;
    return typeof code === 'string' ? code : undefined;
}
function classifyConnectError(error) {
    const code = errorCode(error);
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (code && TRANSIENT_CODES.has(code))
        return { transient: true, reason: describeNetworkError(code, message) };
    if (/Connection terminated|timeout expired|connection timeout/i.test(message)) {
        return { transient: true, reason: message };
    }
    return { transient: false };
}
function describeNetworkError(code, message) {
    const words = {
        ECONNREFUSED: 'connection refused',
        ECONNRESET: 'connection reset',
        ETIMEDOUT: 'timed out',
        EHOSTUNREACH: 'host unreachable',
        ENETUNREACH: 'network unreachable',
        EAI_AGAIN: 'host name lookup failed (temporary)',
        ENOTFOUND: 'host name not found',
        '57P03': 'the database system is starting up',
        '53300': 'too many connections',
    };
    return words[code] ?? (message || code);
}
function connectError(error, settings, target, timeoutMs) {
    if (error instanceof RetryExhaustedError) {
        const reason = classifyConnectError(error.lastError);
        const why = reason.transient ? reason.reason : (0,errors/* errorMessage */.gJ)(error.lastError);
        return new errors/* ActionError */.lZ(`Could not connect to ${target} within ${(0,duration/* formatDuration */.a)(timeoutMs)} (connect-timeout, ${error.attempts} attempts): ${why}.`, {
            cause: error,
            hint: 'check host and port, and that this runner can reach the database (firewall or security group, a service container, a VPN or bastion)',
        });
    }
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = errorCode(error);
    const state = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (state === '28P01' || state === '28000') {
        return new errors/* ActionError */.lZ(`Authentication failed for ${target}: ${message}.`, {
            cause: error,
            hint: state === '28000'
                ? 'the server refused this user, host or database (pg_hba.conf); an sslmode the server requires may also be missing'
                : 'check the password (or database-url) secret, and that the user exists',
        });
    }
    if (state === '3D000') {
        return new errors/* ActionError */.lZ(`The database "${settings.database}" does not exist on ${target.split('@')[1]?.split('/')[0]}.`, {
            cause: error,
            hint: 'check the database input (or the path of database-url); Gantry works on an existing database and does not create it',
        });
    }
    if (/certificate|self.signed|SSL|TLS/i.test(message)) {
        return new errors/* ActionError */.lZ(`TLS with ${target} failed (sslmode ${settings.sslmode}): ${message}.`, {
            cause: error,
            hint: settings.sslmode === 'verify-full' || settings.sslmode === 'verify-ca'
                ? "give the server's CA certificate in ca-certificate (RDS and Cloud SQL publish theirs)"
                : 'the server may not offer TLS: use sslmode prefer or disable for it',
        });
    }
    return new errors/* ActionError */.lZ(`Could not connect to ${target}: ${message}.`, { cause: error });
}

;// CONCATENATED MODULE: ./actions/backup/src/postgres/database.ts

/**
 * The few queries backup needs (server version, database size, row counts) through the pg driver,
 * loaded on first use; connecting is the core's (retried until connect-timeout while the server is
 * unreachable or starting; a wrong password or database fails at once).
 */
const APPLICATION_NAME = 'gantry-backup';
async function connect(settings, timeoutMs, signal) {
    const { client } = await openClient(settings, { applicationName: APPLICATION_NAME, timeoutMs, signal });
    return client;
}
async function serverInfo(client) {
    const { rows } = await client.query("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, pg_database_size(current_database())::text AS size");
    const row = rows[0];
    const versionNum = Number(row.num);
    return {
        versionNum,
        version: row.version,
        major: versionNum >= 100_000 ? Math.floor(versionNum / 10_000) : Math.floor(versionNum / 100) / 10,
        databaseSizeBytes: Number(row.size),
    };
}
/** `schema.table` -> rows, for every ordinary and partitioned table outside the system schemas. */
async function countRows(client) {
    const { rows: tables } = await client.query(`SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
     ORDER BY 1, 2`);
    const counts = new Map();
    for (const { schema, name } of tables) {
        const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
        const { rows } = await client.query(`SELECT count(*)::text AS count FROM ${qualified}`);
        counts.set(`${schema}.${name}`, Number(rows[0]?.count ?? 0));
    }
    return counts;
}
/**
 * A REPEATABLE READ transaction whose snapshot pg_dump shares (--snapshot): the row counts read in
 * it are those of the dump, however the database changes meanwhile. End it with `release`.
 */
async function exportSnapshot(client) {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query('SELECT pg_export_snapshot() AS id');
    return {
        id: rows[0].id,
        release: async () => void (await client.query('COMMIT').catch(() => undefined)),
    };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
;// CONCATENATED MODULE: ./shared/src/runner/untrusted-output.ts

/**
 * A line of output from a program Gantry runs for the user (a build's RUN step, a migration's
 * container), ready for the step log. The runner executes a line that starts with `::` (or the old
 * `##[`) as a workflow command: a build could add annotations, masks, or a `::stop-commands::` that
 * silences Gantry's own commands. Such a line is printed between stop-commands markers whose token
 * nobody can guess; every other line is printed as it is.
 */
function untrustedLine(line) {
    const text = line.trimStart();
    if (!text.startsWith('::') && !text.startsWith('##['))
        return `${line}\n`;
    const token = (0,external_node_crypto_.randomBytes)(16).toString('hex');
    return `::stop-commands::${token}\n${line}\n::${token}::\n`;
}

;// CONCATENATED MODULE: ./shared/src/process/exec.ts





class ExecError extends errors/* ActionError */.lZ {
    exitCode;
    stderrTail;
    constructor(message, exitCode, stderrTail, hint) {
        super(message, hint === undefined ? {} : { hint });
        this.name = 'ExecError';
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }
}
async function exec(command, args, options = {}) {
    for (const secret of options.secrets ?? [])
        (0,secrets/* maskSecret */.$l)(secret);
    throwIfAborted(options.signal);
    const tailLines = options.tailLines ?? 30;
    // Redact each argument before quoting it: quoting rewrites a secret that holds a single quote
    // (it's -> 'it'\''s'), and then neither redact nor the runner's mask would match it any more.
    const display = (0,secrets/* redact */.E$)([command, ...args.map((arg) => quoteForDisplay((0,secrets/* redact */.E$)(arg)))].join(' '));
    if (!options.silent)
        process.stdout.write(`[command]${display}\n`);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(command, [...args], {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            shell: false,
            stdio: ['pipe', 'pipe', 'pipe'],
            signal: options.signal,
            killSignal: 'SIGTERM',
        });
        const stdoutTail = new LineTail(tailLines, options.silent ? undefined : process.stdout);
        const stderrTail = new LineTail(tailLines, options.silent ? undefined : process.stderr);
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
            if (options.captureStdout)
                stdout += chunk;
            stdoutTail.push(chunk);
        });
        child.stderr.setEncoding('utf8').on('data', (chunk) => {
            stderrTail.push(chunk);
        });
        // A program that exits without reading stdin closes the pipe; that is not our failure.
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input ?? '');
        child.on('error', (error) => {
            if (options.signal?.aborted) {
                reject(abortReason(options.signal));
            }
            else if (error.code === 'ENOENT') {
                reject(new ExecError(`The program "${command}" was not found on PATH.`, null, [], options.installHint));
            }
            else {
                reject(new ExecError(`Could not run "${command}": ${error.message}`, null, []));
            }
        });
        child.on('close', (code, signal) => {
            if (options.signal?.aborted)
                return reject(abortReason(options.signal));
            const result = {
                exitCode: code ?? 128,
                stdout,
                stdoutTail: stdoutTail.finish(),
                stderrTail: stderrTail.finish(),
            };
            if (result.exitCode === 0 || options.ignoreReturnCode)
                return resolve(result);
            const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            const tail = result.stderrTail.length > 0 ? result.stderrTail : result.stdoutTail;
            const detail = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
            reject(new ExecError((0,secrets/* redact */.E$)(`"${display}" ${how}${detail}`), code, result.stderrTail));
        });
    });
}
/**
 * `exec` for a program whose stdout (or stdin) is data to stream, like pg_dump's archive: the same
 * conventions (no shell, `[command]` echo with secrets redacted, stderr echoed, fenced and tailed
 * for the error, exit code checked), but stdout is handed to the caller instead of being read as
 * text. `done` must be awaited: a program that fails after writing all its output is a failure.
 */
function spawnPiped(command, args, options = {}) {
    for (const secret of options.secrets ?? [])
        (0,secrets/* maskSecret */.$l)(secret);
    throwIfAborted(options.signal);
    const display = (0,secrets/* redact */.E$)([command, ...args.map((arg) => quoteForDisplay((0,secrets/* redact */.E$)(arg)))].join(' '));
    if (!options.silent)
        process.stdout.write(`[command]${display}\n`);
    const child = (0,external_node_child_process_.spawn)(command, [...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        shell: false,
        stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
        signal: options.signal,
        killSignal: 'SIGTERM',
    });
    // A program that exits without reading all of its stdin closes the pipe; its exit code tells.
    child.stdin?.on('error', () => undefined);
    const stderrTail = new LineTail(options.tailLines ?? 30, options.silent ? undefined : process.stderr);
    // stdio 'pipe' for both: the streams exist.
    const stdout = child.stdout;
    child.stderr.setEncoding('utf8').on('data', (chunk) => stderrTail.push(chunk));
    const done = new Promise((resolve, reject) => {
        child.on('error', (error) => {
            if (options.signal?.aborted)
                reject(abortReason(options.signal));
            else if (error.code === 'ENOENT')
                reject(new ExecError(`The program "${command}" was not found.`, null, [], options.installHint));
            else
                reject(new ExecError(`Could not run "${command}": ${error.message}`, null, []));
        });
        child.on('close', (code, signal) => {
            const tail = stderrTail.finish();
            if (options.signal?.aborted)
                return reject(abortReason(options.signal));
            if (code === 0)
                return resolve({ exitCode: 0, stdout: '', stdoutTail: [], stderrTail: tail });
            const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            const detail = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
            reject(new ExecError((0,secrets/* redact */.E$)(`"${display}" ${how}${detail}`), code, tail));
        });
    });
    // The caller may be failing for another reason when this rejects; it still learns through `done`.
    done.catch(() => undefined);
    return { stdin: child.stdin, stdout, done };
}
function quoteForDisplay(arg) {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** Echoes complete lines (redacted) and remembers the last `size` of them. */
class LineTail {
    size;
    echo;
    kept = [];
    partial = '';
    constructor(size, echo) {
        this.size = size;
        this.echo = echo;
    }
    push(chunk) {
        const lines = (this.partial + chunk).split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines)
            this.keep(line);
    }
    /** Called once the stream has ended: a last line without a newline still counts. */
    finish() {
        if (this.partial !== '')
            this.keep(this.partial);
        this.partial = '';
        return this.kept.slice(-this.size);
    }
    keep(line) {
        const clean = (0,secrets/* redact */.E$)(line);
        this.echo?.write(untrustedLine(clean));
        this.kept.push(clean);
        if (this.kept.length > this.size * 2)
            this.kept.splice(0, this.kept.length - this.size);
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/streams/encryption.ts


function manifestEncryption(encryption) {
    if (!encryption)
        return null;
    return 'recipients' in encryption ? { recipients: encryption.recipients } : { passphrase: true };
}
/** The reason a recipient is refused, or undefined when age accepts it. */
async function recipientProblem(recipient) {
    const { Encrypter } = await __nccwpck_require__.e(/* import() */ 539).then(__nccwpck_require__.bind(__nccwpck_require__, 1539));
    try {
        new Encrypter().addRecipient(recipient);
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}
/**
 * The AGE-SECRET-KEY-… lines of an identity input: an age-keygen file (with its `# created` and
 * `# public key` comments) or the key line alone. Empty when there is none.
 */
function identityLines(text) {
    return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => /^AGE-SECRET-KEY-/i.test(line));
}
/** The reason an identity is refused, or undefined when age accepts it. */
async function identityProblem(identity) {
    const { identityToRecipient } = await __nccwpck_require__.e(/* import() */ 539).then(__nccwpck_require__.bind(__nccwpck_require__, 1539));
    try {
        await identityToRecipient(identity);
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}
async function encryptStream(plaintext, encryption) {
    const { Encrypter } = await __nccwpck_require__.e(/* import() */ 539).then(__nccwpck_require__.bind(__nccwpck_require__, 1539));
    const encrypter = new Encrypter();
    if ('recipients' in encryption)
        for (const recipient of encryption.recipients)
            encrypter.addRecipient(recipient);
    else
        encrypter.setPassphrase(encryption.passphrase);
    const web = external_node_stream_.Readable.toWeb(plaintext);
    const encrypted = await encrypter.encrypt(web);
    return external_node_stream_.Readable.fromWeb(encrypted);
}
/**
 * The plaintext of an age file as a stream. The header is read and checked before this resolves,
 * so a wrong identity or passphrase fails here, before anything reads the plaintext.
 */
async function decryptStream(ciphertext, decryption) {
    const { Decrypter } = await __nccwpck_require__.e(/* import() */ 539).then(__nccwpck_require__.bind(__nccwpck_require__, 1539));
    const decrypter = new Decrypter();
    if ('identities' in decryption)
        for (const identity of decryption.identities)
            decrypter.addIdentity(identity);
    else
        decrypter.addPassphrase(decryption.passphrase);
    const web = external_node_stream_.Readable.toWeb(ciphertext);
    try {
        const plaintext = await decrypter.decrypt(web);
        return external_node_stream_.Readable.fromWeb(plaintext);
    }
    catch (error) {
        ciphertext.destroy();
        const reason = error instanceof Error ? error.message : String(error);
        throw new errors/* ActionError */.lZ(`The backup could not be decrypted: ${reason}.`, {
            cause: error,
            hint: 'identities' in decryption
                ? 'decrypt-identity must be the identity of one of the recipients in the manifest (encryption.recipients)'
                : 'decrypt-passphrase must be the encrypt-passphrase the backup was made with',
        });
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/streams/stream-tap.ts


/**
 * Small transforms the backup streams pass through: a SHA-256 and byte count of what flows, a
 * gate that holds the end of a program's output until the program's exit code is known, and a tap
 * that copies the flow into a second consumer (a verifying pg_restore) with its backpressure.
 */
class Digest extends external_node_stream_.Transform {
    sizeBytes = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    _transform(chunk, _encoding, callback) {
        this.hash.update(chunk);
        this.sizeBytes += chunk.length;
        this.push(chunk);
        callback();
    }
    /** Hex; call once, after the stream has ended. */
    sha256() {
        return this.hash.digest('hex');
    }
}
/**
 * Passes a program's stdout on, but ends only once `exited` resolves, and errors when it rejects:
 * the reader (an S3 upload) never sees a clean end of a dump whose program failed, however much
 * output came before the failure.
 */
class ExitGate extends external_node_stream_.Transform {
    exited;
    constructor(exited) {
        super();
        this.exited = exited;
    }
    _transform(chunk, _encoding, callback) {
        callback(null, chunk);
    }
    _flush(callback) {
        this.exited.then(() => callback(), (error) => callback(error instanceof Error ? error : new Error(String(error))));
    }
}
/**
 * Copies every chunk into `copy` as well, waiting when it is full. When the copy's reader stops
 * early (pg_restore --list reads only the table of contents, then exits), the rest flows on alone:
 * whether that reader succeeded is its exit code's business.
 */
class Tee extends external_node_stream_.Transform {
    copy;
    open = true;
    constructor(copy) {
        super();
        this.copy = copy;
        const close = () => {
            this.open = false;
        };
        copy.on('close', close);
        copy.on('error', close);
    }
    _transform(chunk, _encoding, callback) {
        if (!this.open || this.copy.write(chunk))
            return callback(null, chunk);
        const resume = () => {
            this.copy.off('drain', resume);
            this.copy.off('close', resume);
            callback(null, chunk);
        };
        this.copy.on('drain', resume);
        this.copy.on('close', resume);
    }
    _flush(callback) {
        if (this.open)
            this.copy.end();
        callback();
    }
    /** A failed flow must not leave the copy's reader waiting for more. */
    _destroy(error, callback) {
        if (this.open && error)
            this.copy.destroy();
        callback(error);
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/streams/dump-upload.ts





const MIB = 1024 * 1024;
const MIN_PART_BYTES = 5 * MIB;
const MAX_PART_BYTES = 5 * 1024 * MIB;
const MAX_PARTS = 10_000;
/**
 * Parts large enough that S3's 10,000 cover twice the database's size (a dump is usually smaller,
 * but not always: an uncompressed dump of compressed TOAST data can be larger), in whole MiB.
 */
function partSizeFor(databaseSizeBytes) {
    const needed = Math.ceil((2 * databaseSizeBytes) / MAX_PARTS / MIB) * MIB;
    return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, needed));
}
async function dumpAndUpload(options) {
    const dump = spawnPiped(options.pgDump.path, options.args, {
        env: options.env,
        secrets: options.secrets,
        signal: options.signal,
    });
    let dumpFailure;
    dump.done.catch((reason) => {
        dumpFailure = reason;
    });
    const digest = new Digest();
    const onAbort = () => {
        digest.destroy(abortReason(options.signal));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const fail = (error) => {
        if (error)
            digest.destroy(error);
    };
    try {
        const stages = [new ExitGate(dump.done)];
        if (options.plaintextCopy)
            stages.push(new Tee(options.plaintextCopy));
        const plaintext = (0,external_node_stream_.pipeline)([dump.stdout, ...stages], fail);
        const stored = options.encryption ? await encryptStream(plaintext, options.encryption) : plaintext;
        (0,external_node_stream_.pipeline)(stored, digest, fail);
        await options.store.upload({
            key: options.key,
            body: digest,
            partSizeBytes: options.partSizeBytes,
            contentType: options.encryption ? 'application/octet-stream' : 'application/vnd.postgresql.custom-dump',
        });
        await dump.done;
        return { key: options.key, sizeBytes: digest.sizeBytes, sha256: digest.sha256() };
    }
    catch (error) {
        // When pg_dump failed first, its exit code and stderr say more than the upload it broke. When
        // the upload failed first, pg_dump dies of the closed pipe later, and that is no news.
        throw dumpFailure ?? error;
    }
    finally {
        dump.stdout.destroy();
        options.signal.removeEventListener('abort', onAbort);
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/storage/manifest.ts
/**
 * The manifest: the contract other tools read (format `gantry-backup/1`, documented in the README).
 * It is written only after the dump was verified, so a manifest means a backup; a dump without one
 * is not a backup.
 */
const MANIFEST_FORMAT = 'gantry-backup/1';
/** The manifest in `text`, or the reason it is not one (a foreign or damaged file). */
function parseManifest(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return 'not JSON';
    }
    if (typeof value !== 'object' || value === null)
        return 'not a JSON object';
    const manifest = value;
    if (manifest.format !== MANIFEST_FORMAT)
        return `format is ${JSON.stringify(manifest.format)}, not ${MANIFEST_FORMAT}`;
    for (const field of [
        'database',
        'key',
        'sha256',
        'started_at',
        'finished_at',
        'pg_dump_version',
    ]) {
        if (typeof manifest[field] !== 'string')
            return `${field} is missing`;
    }
    if (typeof manifest.size !== 'number' || !Number.isSafeInteger(manifest.size) || manifest.size < 0)
        return 'size is missing';
    if (!/^[0-9a-f]{64}$/.test(manifest.sha256))
        return 'sha256 is not 64 hex digits';
    if (Number.isNaN(Date.parse(manifest.started_at)))
        return 'started_at is not a time';
    if (manifest.verified !== 'list' && manifest.verified !== 'restore')
        return 'verified is missing';
    return manifest;
}
function startedAtMs(manifest) {
    return Date.parse(manifest.started_at);
}

;// CONCATENATED MODULE: ./actions/backup/src/storage/orphans.ts



/**
 * A dump without a manifest was never verified (a run that died before publishing, a failed
 * clean-up): list and prune ignore it, and a backup run deletes it once its object is more than a
 * day old (S3 LastModified), which no run still uploading or verifying it can be.
 */
const ORPHAN_AGE_MS = 24 * 3_600_000;
async function deleteOrphans(store, prefix, database, signal, now = Date.now()) {
    const objects = await store.list(databasePrefix(prefix, database), signal);
    const keys = new Set(objects.map((object) => object.key));
    const orphans = objects.filter((object) => isDumpKey(object.key) &&
        !keys.has(manifestKeyOf(object.key) ?? '') &&
        now - object.lastModified.getTime() > ORPHAN_AGE_MS);
    const deleted = [];
    for (const orphan of orphans) {
        try {
            await store.delete(orphan.key, signal);
            deleted.push(orphan.key);
            info(`Deleted ${store.where(orphan.key)}: a dump without a manifest, from ${orphan.lastModified.toISOString()}.`);
        }
        catch (error) {
            warning(`Could not delete the orphan dump ${store.where(orphan.key)}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    return deleted;
}

;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: ./actions/backup/src/postgres/pg-restore.ts





const pg_restore_APPLICATION_NAME = 'gantry-backup';
function listArchive(pgRestore, signal) {
    const run = spawnPiped(pgRestore.path, ['--list'], { stdin: 'pipe', signal, silent: true });
    let listing = '';
    run.stdout.setEncoding('utf8').on('data', (chunk) => {
        listing += chunk;
    });
    const done = run.done.then(() => countEntries(listing));
    done.catch(() => undefined);
    return { input: run.stdin, done };
}
function countEntries(listing) {
    const entries = listing.split('\n').filter((line) => /^\d+;/.test(line));
    return { entries: entries.length, tables: entries.filter((line) => / TABLE DATA /.test(line)).length };
}
function restoreArgs(target, options) {
    return [
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
        ...(options.clean ? ['--clean', '--if-exists'] : []),
        // libpq reads the rest of the connection from the environment; the name alone is no secret.
        `--dbname=${target.database}`,
    ];
}
/** A restore from stdin (one job: a pipe cannot be read in parallel). */
function restoreFromStream(pgRestore, target, options) {
    const run = spawnPiped(pgRestore.path, restoreArgs(target, options), {
        stdin: 'pipe',
        signal: options.signal,
        env: libpqEnvironment(target, pg_restore_APPLICATION_NAME, options.caFile),
        secrets: target.password ? [target.password] : [],
    });
    run.stdout.resume();
    return { input: run.stdin, done: run.done.then(() => undefined) };
}
/** A restore from a file, which `jobs` pg_restore workers can read in parallel. */
async function restoreFromFile(pgRestore, target, file, options) {
    const run = spawnPiped(pgRestore.path, [...restoreArgs(target, options), `--jobs=${options.jobs}`, file], {
        signal: options.signal,
        env: libpqEnvironment(target, pg_restore_APPLICATION_NAME, options.caFile),
        secrets: target.password ? [target.password] : [],
    });
    run.stdout.resume();
    await run.done;
}
/**
 * Streams `source` through to its end, copying it into the pg_restore run as long as pg_restore
 * reads (pg_restore --list stops after the table of contents), and waits for both.
 */
async function streamThrough(source, run) {
    const [, outcome] = await Promise.all([(0,external_node_stream_promises_namespaceObject.pipeline)(source, new Tee(run.input), discard()), run.done]);
    return outcome;
}
function discard() {
    return new external_node_stream_.Writable({ write: (_chunk, _encoding, callback) => callback() });
}

;// CONCATENATED MODULE: ./actions/backup/src/postgres/compression.ts
/**
 * pg_dump's --compress values: a gzip level 0-9 for every version; from pg_dump 16 also a method
 * with an optional level, `gzip:N` (1-9), `lz4[:N]` (1-12), `zstd[:N]` (1-22) or `none`.
 */
const COMPRESSION_ACCEPTED = 'expected a gzip level 0-9, or (pg_dump 16 and later) gzip:1-9, lz4, lz4:1-12, zstd, zstd:1-22 or none';
const LEVELS = { gzip: [1, 9], lz4: [1, 12], zstd: [1, 22] };
function parseCompression(text) {
    if (/^\d$/.test(text))
        return { text, sinceMajor: 0 };
    if (text === 'none')
        return { text, sinceMajor: 16 };
    const match = /^(gzip|lz4|zstd)(?::(\d{1,2}))?$/.exec(text);
    if (!match)
        return undefined;
    const [low, high] = LEVELS[match[1]];
    if (match[2] !== undefined && (Number(match[2]) < low || Number(match[2]) > high))
        return undefined;
    return { text, sinceMajor: 16 };
}

;// CONCATENATED MODULE: ./actions/backup/src/postgres/pg-dump-args.ts


/** pg_dump's arguments for a custom-format archive on stdout; the connection comes from libpq's environment. */
function pgDumpArgs(options, pgDump, snapshot) {
    const args = ['--format=custom', '--no-password'];
    if (options.compression !== undefined) {
        const compression = parseCompression(options.compression);
        if (compression && pgDump.major < compression.sinceMajor) {
            throw new errors/* ConfigurationError */.j1(`Input "compression" is "${options.compression}", which pg_dump accepts from version ${compression.sinceMajor}; ${pgDump.path} is ${pgDump.version}.`, { input: 'compression', hint: 'use a gzip level 0-9, or a newer pg_dump (pg-dump-path)' });
        }
        args.push(`--compress=${options.compression}`);
    }
    for (const schema of options.schemas)
        args.push(`--schema=${schema}`);
    for (const schema of options.excludeSchemas)
        args.push(`--exclude-schema=${schema}`);
    for (const table of options.tables)
        args.push(`--table=${table}`);
    for (const table of options.excludeTables)
        args.push(`--exclude-table=${table}`);
    for (const table of options.excludeTableData)
        args.push(`--exclude-table-data=${table}`);
    if (snapshot !== undefined)
        args.push(`--snapshot=${snapshot}`);
    return args;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: ./actions/backup/src/postgres/pg-tools.ts




const INSTALL_CLIENT_HINT = (major) => `install the PostgreSQL ${major} client (Debian/Ubuntu: add the PGDG apt repository, then apt-get install -y postgresql-client-${major}), or give pg-dump-path`;
/** The major version of `pg_dump --version` output, or undefined for text that is no version. */
function parseToolVersion(output) {
    const line = output.trim().split('\n')[0] ?? '';
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(line);
    if (!match)
        return undefined;
    const first = Number(match[1]);
    // Before 10 the major version had two parts: 9.6.
    const major = first < 10 ? first + Number(match[2] ?? 0) / 10 : first;
    return { version: line, major };
}
async function probeTool(path) {
    try {
        const result = await exec(path, ['--version'], {
            silent: true,
            captureStdout: true,
            ignoreReturnCode: true,
        });
        const parsed = result.exitCode === 0 ? parseToolVersion(result.stdout) : undefined;
        return parsed && { path, ...parsed };
    }
    catch {
        return undefined;
    }
}
/** Every pg_dump (or pg_restore) that can be found, newest first. */
async function findTools(program) {
    const candidates = new Set();
    for (const dir of (process.env.PATH ?? '').split(external_node_path_.delimiter).filter(Boolean)) {
        const path = (0,external_node_path_.join)(dir, program);
        if ((0,external_node_fs_.existsSync)(path))
            candidates.add(path);
    }
    const root = '/usr/lib/postgresql';
    if ((0,external_node_fs_.existsSync)(root)) {
        for (const major of (0,external_node_fs_.readdirSync)(root)) {
            const path = (0,external_node_path_.join)(root, major, 'bin', program);
            if ((0,external_node_fs_.existsSync)(path))
                candidates.add(path);
        }
    }
    const tools = (await Promise.all([...candidates].map(probeTool))).filter((tool) => tool !== undefined);
    return tools.sort((a, b) => b.major - a.major);
}
/** The pg_dump for a server of `serverMajor`, and the pg_restore beside it (or the newest one). */
async function choosePgDump(serverMajor, serverVersion, explicitPath) {
    let pgDump;
    if (explicitPath !== undefined) {
        pgDump = await probeTool(explicitPath);
        if (!pgDump) {
            throw new errors/* ActionError */.lZ(`pg-dump-path "${explicitPath}" is not a pg_dump that runs (\`${explicitPath} --version\` failed).`, {
                hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)),
            });
        }
    }
    else {
        const found = await findTools('pg_dump');
        pgDump = found[0];
        if (!pgDump) {
            throw new errors/* ActionError */.lZ('No pg_dump was found on PATH or in /usr/lib/postgresql/*/bin.', {
                hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)),
            });
        }
    }
    if (pgDump.major < serverMajor) {
        throw new errors/* ActionError */.lZ(`${pgDump.path} is ${pgDump.version}, older than the server (PostgreSQL ${serverVersion}): pg_dump must be at least the server's major version ${serverMajor}.`, { hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)) });
    }
    const sibling = await probeTool((0,external_node_path_.join)((0,external_node_path_.dirname)(pgDump.path), 'pg_restore'));
    const pgRestore = sibling ?? (await findTools('pg_restore'))[0];
    if (!pgRestore || pgRestore.major < pgDump.major) {
        throw new errors/* ActionError */.lZ(`No pg_restore of version ${pgDump.major} or newer was found beside ${pgDump.path}, to verify the dump.`, {
            hint: INSTALL_CLIENT_HINT(pgDump.major),
        });
    }
    return { pgDump, pgRestore };
}
/** The newest pg_restore, which must read an archive pg_dump `dumpMajor` wrote. */
async function choosePgRestore(dumpMajor, dumpVersion) {
    const pgRestore = (await findTools('pg_restore'))[0];
    if (!pgRestore || pgRestore.major < dumpMajor) {
        throw new errors/* ActionError */.lZ(`The backup was written by ${dumpVersion}; ${pgRestore ? `the newest pg_restore here is ${pgRestore.version}, which` : 'no pg_restore was found, and one'} must be at least version ${dumpMajor} to read it.`, { hint: INSTALL_CLIENT_HINT(dumpMajor) });
    }
    return pgRestore;
}

;// CONCATENATED MODULE: ./actions/backup/src/postgres/row-counts.ts

function compareRowCounts(source, restored, excludedData) {
    const compared = [];
    const mismatches = [];
    for (const [table, rows] of source) {
        const got = restored.get(table);
        if (got === undefined)
            continue;
        const bare = table.slice(table.indexOf('.') + 1);
        const expected = excludedData.includes(table) || excludedData.includes(bare) ? 0 : rows;
        if (got !== expected)
            mismatches.push(`${table}: ${expected} in the source, ${got} restored`);
        compared.push({ table, rows: got });
    }
    if (mismatches.length > 0) {
        throw new errors/* ActionError */.lZ(`The test restore does not match the source: ${mismatches.join('; ')}.`, {
            hint: 'the dump was deleted and no manifest was written; check the pg_dump and pg_restore output above',
        });
    }
    return compared;
}

;// CONCATENATED MODULE: ./actions/backup/src/run-context.ts
/** The commit and the run that made a backup, for the manifest; null outside GitHub Actions. */
function runContext() {
    const env = process.env;
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
        : null;
    return { commit: env.GITHUB_SHA || null, run_url: runUrl };
}

;// CONCATENATED MODULE: ./actions/backup/src/streams/verify.ts




async function verifyReadBack(store, uploaded, check) {
    const { body } = await store.getStream(uploaded.key, check.signal);
    const digest = new Digest();
    body.on('error', (error) => digest.destroy(error));
    body.pipe(digest);
    let contents;
    if (check.archive) {
        const plaintext = check.archive.decryption
            ? await decryptStream(digest, check.archive.decryption)
            : digest;
        const into = check.archive.restoreInto;
        if (into) {
            const restore = restoreFromStream(check.pgRestore, into, {
                clean: true,
                jobs: 1,
                signal: check.signal,
                caFile: check.caFile,
            });
            await streamThrough(plaintext, restore);
        }
        else {
            contents = await streamThrough(plaintext, listArchive(check.pgRestore, check.signal));
        }
    }
    else {
        digest.resume();
        await new Promise((resolve, reject) => digest.on('end', resolve).on('error', reject));
    }
    const sha256 = digest.sha256();
    if (digest.sizeBytes !== uploaded.sizeBytes || sha256 !== uploaded.sha256) {
        throw new errors/* ActionError */.lZ(`${store.where(uploaded.key)} read back as ${digest.sizeBytes} bytes with SHA-256 ${sha256}, but ${uploaded.sizeBytes} bytes with SHA-256 ${uploaded.sha256} were uploaded.`, {
            hint: 'the store changed or lost data on the way: the dump was deleted and no manifest was written; run the backup again',
        });
    }
    return contents;
}

;// CONCATENATED MODULE: ./actions/backup/src/commands/backup.ts


















const backup_APPLICATION_NAME = 'gantry-backup';
async function runBackup(inputs, store, signal) {
    const client = await connect(inputs.connection, inputs.connectTimeoutMs, signal);
    try {
        const server = await serverInfo(client);
        info(`Connected: PostgreSQL ${server.version}, database ${inputs.connection.database} of ${server.databaseSizeBytes} bytes.`);
        const tools = await choosePgDump(server.major, server.version, inputs.pgDumpPath);
        info(`Using ${tools.pgDump.path} (${tools.pgDump.version}).`);
        // A compression this pg_dump does not know is a configuration error: raised here, before the
        // snapshot, the key and the upload exist.
        pgDumpArgs(inputs.dump, tools.pgDump, undefined);
        return await withCaFile(inputs.connection.ca, (caFile) => backUp(inputs, store, client, server, tools, caFile, signal));
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
async function backUp(inputs, store, client, server, tools, caFile, signal) {
    const snapshot = inputs.verify === 'restore' ? await exportSnapshot(client) : undefined;
    try {
        const startedAt = new Date();
        const { dumpKey, manifestKey } = backupKey(inputs.store.prefix, inputs.connection.database, startedAt, (0,external_node_crypto_.randomBytes)(4).toString('hex'), inputs.encryption !== undefined);
        const partSizeBytes = partSizeFor(server.databaseSizeBytes);
        // Encrypted and no identity to read it back: pg_restore checks the plaintext on its way out.
        const onPlaintext = inputs.encryption !== undefined && inputs.verifyDecryption === undefined;
        const plaintextRun = onPlaintext ? startVerifier(inputs, tools.pgRestore, caFile, signal) : undefined;
        info(`Streaming pg_dump into ${store.where(dumpKey)} (parts of ${partSizeBytes / 1024 / 1024} MiB).`);
        let uploaded;
        try {
            uploaded = await dumpAndUpload({
                pgDump: tools.pgDump,
                args: pgDumpArgs(inputs.dump, tools.pgDump, snapshot?.id),
                env: libpqEnvironment(inputs.connection, backup_APPLICATION_NAME, caFile),
                secrets: inputs.connection.password ? [inputs.connection.password] : [],
                store,
                key: dumpKey,
                partSizeBytes,
                encryption: inputs.encryption,
                plaintextCopy: plaintextRun?.input,
                signal,
            });
        }
        catch (error) {
            plaintextRun?.input.destroy();
            await plaintextRun?.done.catch(() => undefined);
            throw error;
        }
        const uploadMs = Date.now() - startedAt.getTime();
        info(`Uploaded ${uploaded.sizeBytes} bytes in ${(0,duration/* formatDuration */.a)(uploadMs)}, SHA-256 ${uploaded.sha256}.`);
        try {
            const verifyStarted = Date.now();
            const contents = await verify(inputs, store, uploaded, tools.pgRestore, plaintextRun, caFile, signal);
            const tables = snapshot && inputs.verifyConnection
                ? await checkRowCounts(inputs, client, inputs.verifyConnection, signal)
                : [];
            const manifest = {
                format: MANIFEST_FORMAT,
                database: inputs.connection.database,
                key: dumpKey,
                size: uploaded.sizeBytes,
                sha256: uploaded.sha256,
                started_at: startedAt.toISOString(),
                finished_at: new Date().toISOString(),
                server_version: server.version,
                pg_dump_version: tools.pgDump.version,
                encryption: manifestEncryption(inputs.encryption),
                verified: inputs.verify,
                compression: inputs.dump.compression ?? null,
                tables: contents?.tables ?? tables.length,
                ...runContext(),
            };
            const verifyMs = Date.now() - verifyStarted;
            info(`Verified in ${(0,duration/* formatDuration */.a)(verifyMs)}.`);
            await store.putJson(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`, signal);
            info(`Published ${store.where(manifestKey)}.`);
            const orphansDeleted = await deleteOrphans(store, inputs.store.prefix, inputs.connection.database, signal);
            return {
                manifest,
                verifiedOn: onPlaintext ? 'plaintext' : 'read-back',
                durationMs: Date.parse(manifest.finished_at) - startedAt.getTime(),
                uploadMs,
                verifyMs,
                tables,
                orphansDeleted,
                partSizeBytes,
            };
        }
        catch (error) {
            await store
                .delete(dumpKey)
                .catch((deleteError) => warning(`The unverified dump ${store.where(dumpKey)} could not be deleted: ${(0,errors/* errorMessage */.gJ)(deleteError)}. A later backup deletes it once it is a day old.`));
            throw error;
        }
    }
    finally {
        await snapshot?.release();
    }
}
function startVerifier(inputs, pgRestore, caFile, signal) {
    if (inputs.verify === 'restore' && inputs.verifyConnection) {
        const run = restoreFromStream(pgRestore, inputs.verifyConnection, {
            clean: true,
            jobs: 1,
            signal,
            caFile,
        });
        return { input: run.input, done: run.done.then(() => undefined) };
    }
    return listArchive(pgRestore, signal);
}
async function verify(inputs, store, uploaded, pgRestore, plaintextRun, caFile, signal) {
    let contents;
    if (plaintextRun) {
        contents = await plaintextRun.done.catch((error) => {
            throw new errors/* ActionError */.lZ(`Verifying the dump failed: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
        });
    }
    const readBack = await verifyReadBack(store, uploaded, {
        pgRestore,
        archive: plaintextRun
            ? undefined
            : {
                decryption: inputs.verifyDecryption,
                restoreInto: inputs.verify === 'restore' ? inputs.verifyConnection : undefined,
            },
        caFile,
        signal,
    }).catch((error) => {
        throw error instanceof errors/* ActionError */.lZ
            ? error
            : new errors/* ActionError */.lZ(`Verifying the dump failed: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    });
    return contents ?? readBack;
}
/** The rows of every table in the dump's snapshot against those restored into the scratch database. */
async function checkRowCounts(inputs, source, scratch, signal) {
    const expected = await countRows(source);
    const target = await connect(scratch, inputs.connectTimeoutMs, signal);
    try {
        return compareRowCounts(expected, await countRows(target), inputs.dump.excludeTableData);
    }
    finally {
        await target.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/storage/catalog.ts



const READ_CONCURRENCY = 8;
async function readCatalog(store, prefix, database, signal) {
    const objects = await store.list(databasePrefix(prefix, database), signal);
    const keys = new Set(objects.map((object) => object.key));
    const manifestKeys = objects.map((object) => object.key).filter(isManifestKey);
    const backups = [];
    const broken = [];
    for (let start = 0; start < manifestKeys.length; start += READ_CONCURRENCY) {
        const batch = manifestKeys.slice(start, start + READ_CONCURRENCY);
        const texts = await Promise.all(batch.map((key) => store.getText(key, signal)));
        batch.forEach((key, index) => {
            const manifest = parseManifest(texts[index] ?? '');
            if (typeof manifest === 'string')
                broken.push({ key, reason: manifest });
            else if (manifestKeyOf(manifest.key) !== key)
                broken.push({ key, reason: `it names the dump ${manifest.key}, not its own` });
            else if (!keys.has(manifest.key))
                broken.push({ key, reason: `its dump ${manifest.key} is missing` });
            else
                backups.push(manifest);
        });
    }
    for (const item of broken)
        warning(`Ignoring ${store.where(item.key)}: ${item.reason}.`);
    backups.sort((a, b) => startedAtMs(b) - startedAtMs(a));
    const orphanDumps = objects
        .map((object) => object.key)
        .filter((key) => isDumpKey(key) && !keys.has(manifestKeyOf(key) ?? ''));
    return { backups, orphanDumps, broken };
}

;// CONCATENATED MODULE: ./actions/backup/src/commands/list.ts


/** The backups of the database named by the connection inputs, newest first; nothing is changed. */
async function runList(inputs, store, signal) {
    const catalog = await readCatalog(store, inputs.store.prefix, inputs.database, signal);
    info(`${catalog.backups.length} backup(s) of ${inputs.database} in ${store.where(inputs.store.prefix)}.`);
    for (const manifest of catalog.backups) {
        info(`  ${manifest.started_at}  ${manifest.size} bytes  verified: ${manifest.verified}  ${manifest.key}`);
    }
    if (catalog.orphanDumps.length > 0) {
        info(`${catalog.orphanDumps.length} dump(s) without a manifest are not backups and are not listed.`);
    }
    return catalog;
}

;// CONCATENATED MODULE: ./shared/src/retention/buckets.ts
/** Every backup its own bucket: keep-last. */
const always = (_timeMs, position) => position;
const hourBucket = (timeMs) => {
    const date = new Date(timeMs);
    return dayNumber(date) * 100 + date.getUTCHours();
};
const dayBucket = (timeMs) => dayNumber(new Date(timeMs));
/** YYYYWW of the ISO 8601 week (Monday first; week 1 holds the year's first Thursday), as Go's ISOWeek. */
const weekBucket = (timeMs) => {
    const { year, week } = isoWeek(timeMs);
    return year * 100 + week;
};
const monthBucket = (timeMs) => {
    const date = new Date(timeMs);
    return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
};
const yearBucket = (timeMs) => new Date(timeMs).getUTCFullYear();
function dayNumber(date) {
    return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}
const DAY_MS = 86_400_000;
function isoWeek(timeMs) {
    const date = new Date(timeMs);
    const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    // The Thursday of this week decides the year the week belongs to.
    const weekday = (date.getUTCDay() + 6) % 7;
    const thursday = new Date(midnight + (3 - weekday) * DAY_MS);
    const year = thursday.getUTCFullYear();
    const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
    return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

;// CONCATENATED MODULE: ./shared/src/retention/calendar-duration.ts
const UNITS = { y: 'years', m: 'months', d: 'days', h: 'hours' };
/** The parts, or undefined for text restic refuses (no number, no unit, an unknown unit like `w`). */
function parseCalendarDuration(text) {
    const duration = { years: 0, months: 0, days: 0, hours: 0 };
    let rest = text.trim();
    if (rest === '')
        return undefined;
    while (rest !== '') {
        const match = /^(-?)(\d+)(.?)/.exec(rest);
        if (!match)
            return undefined;
        const unit = UNITS[match[3] ?? ''];
        if (!unit)
            return undefined;
        const number = Number(match[2]);
        if (!Number.isSafeInteger(number))
            return undefined;
        duration[unit] = match[1] === '-' ? -number : number;
        rest = rest.slice(match[0].length);
    }
    return duration;
}
function isZeroDuration(duration) {
    return duration.years === 0 && duration.months === 0 && duration.days === 0 && duration.hours === 0;
}
function hasNegativePart(duration) {
    return duration.years < 0 || duration.months < 0 || duration.days < 0 || duration.hours < 0;
}
/** restic's String(): the non-zero parts in the order y, m, d, h (`5d7m` is shown as `7m5d`). */
function formatCalendarDuration(duration) {
    return Object.entries(UNITS)
        .filter(([, part]) => duration[part] !== 0)
        .map(([unit, part]) => `${duration[part]}${unit}`)
        .join('');
}
/**
 * restic's PastTime: `AddDate(-years, -months, -days)` then minus the hours, in UTC. Date.UTC
 * normalises an overflowing day as Go's AddDate does (31 March minus one month is 3 March).
 */
function pastTime(fromMs, duration) {
    const from = new Date(fromMs);
    const shifted = Date.UTC(from.getUTCFullYear() - duration.years, from.getUTCMonth() - duration.months, from.getUTCDate() - duration.days, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds());
    return shifted - duration.hours * 3_600_000;
}

;// CONCATENATED MODULE: ./shared/src/retention/policy.ts


const UNLIMITED = -1;
const COUNT_RULES = [
    ['last', always],
    ['hourly', hourBucket],
    ['daily', dayBucket],
    ['weekly', weekBucket],
    ['monthly', monthBucket],
    ['yearly', yearBucket],
];
const WITHIN_RULES = [
    ['withinHourly', 'hourly', hourBucket],
    ['withinDaily', 'daily', dayBucket],
    ['withinWeekly', 'weekly', weekBucket],
    ['withinMonthly', 'monthly', monthBucket],
    ['withinYearly', 'yearly', yearBucket],
];
/** restic's Empty(): no rule at all. Gantry refuses such a policy rather than keep everything. */
function isEmptyPolicy(policy) {
    const counts = COUNT_RULES.every(([rule]) => policy[rule] === 0);
    const durations = [policy.within, ...WITHIN_RULES.map(([rule]) => policy[rule])];
    return counts && durations.every((duration) => duration === undefined || isZeroDuration(duration));
}
function applyRetention(items, timeOf, policy) {
    const list = [...items].sort((a, b) => timeOf(b) - timeOf(a));
    if (list.length === 0)
        return { keep: [], remove: [] };
    if (isEmptyPolicy(policy)) {
        return { keep: list.map((item) => ({ item, reasons: ['policy is empty'] })), remove: [] };
    }
    const counters = COUNT_RULES.map(([rule, bucket]) => ({
        rule,
        bucket,
        left: policy[rule],
        kept: 0,
        last: undefined,
    }));
    const windows = WITHIN_RULES.flatMap(([rule, name, bucket]) => {
        const duration = policy[rule];
        return duration && !isZeroDuration(duration)
            ? [{ name, bucket, duration, last: undefined }]
            : [];
    });
    const newest = Math.max(...list.map(timeOf));
    const oldestPosition = list.length - 1;
    const keep = [];
    const remove = [];
    list.forEach((item, position) => {
        const time = timeOf(item);
        const reasons = [];
        const isOldest = position === oldestPosition;
        if (policy.within && !isZeroDuration(policy.within) && time > pastTime(newest, policy.within)) {
            reasons.push(`within ${formatCalendarDuration(policy.within)}`);
        }
        for (const counter of counters) {
            if (counter.left === 0 || counter.left < UNLIMITED)
                continue;
            const value = counter.bucket(time, position);
            if (value === counter.last && !isOldest)
                continue;
            const newBucket = value !== counter.last;
            counter.last = value;
            counter.kept += 1;
            if (counter.left > 0)
                counter.left -= 1;
            const ordinal = policy[counter.rule] === UNLIMITED ? '' : ` ${counter.kept}`;
            reasons.push(`${newBucket ? '' : 'oldest '}${counter.rule}${ordinal}`);
        }
        for (const window of windows) {
            if (time <= pastTime(newest, window.duration))
                continue;
            const value = window.bucket(time, position);
            if (value === window.last && !isOldest)
                continue;
            const newBucket = value !== window.last;
            window.last = value;
            reasons.push(`${newBucket ? '' : 'oldest '}${window.name} within ${formatCalendarDuration(window.duration)}`);
        }
        if (reasons.length > 0)
            keep.push({ item, reasons });
        else
            remove.push(item);
    });
    return { keep, remove };
}

;// CONCATENATED MODULE: ./actions/backup/src/commands/prune.ts






async function runPrune(inputs, store, signal) {
    const { backups } = await readCatalog(store, inputs.store.prefix, inputs.database, signal);
    const decision = applyRetention(backups, startedAtMs, inputs.policy);
    const kept = decision.keep.map(({ item, reasons }) => ({
        key: item.key,
        started_at: item.started_at,
        reasons,
    }));
    const newest = backups[0];
    const remove = decision.remove.filter((manifest) => manifest !== newest);
    const dryRun = !inputs.confirmDelete;
    info(`${backups.length} backup(s) of ${inputs.database}: keeping ${kept.length}, ${dryRun ? 'would delete' : 'deleting'} ${remove.length}.`);
    for (const item of kept)
        info(`  keep    ${item.started_at}  ${item.reasons.join(', ')}  ${item.key}`);
    for (const item of remove)
        info(`  ${dryRun ? 'would delete' : 'delete'}  ${item.started_at}  ${item.key}`);
    const deleted = [];
    const failures = [];
    if (dryRun) {
        deleted.push(...remove.map(summary));
    }
    else {
        for (const manifest of remove) {
            try {
                await store.delete(manifest.key, signal);
                await store.delete(manifestKeyOf(manifest.key) ?? manifest.key, signal);
                deleted.push(summary(manifest));
            }
            catch (error) {
                failures.push(`${manifest.key}: ${(0,errors/* errorMessage */.gJ)(error)}`);
                log_error(`Could not delete ${store.where(manifest.key)}: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
        }
    }
    return { kept, deleted, dryRun, failures };
}
function summary(manifest) {
    return { key: manifest.key, started_at: manifest.started_at };
}

;// CONCATENATED MODULE: ./actions/backup/src/commands/restore.ts

















async function runRestore(inputs, store, signal) {
    const started = Date.now();
    const manifest = await resolveBackup(inputs, store, signal);
    info(`Restoring ${store.where(manifest.key)} (${manifest.database}, ${manifest.started_at}) into ${describeTarget(inputs.target)}.`);
    if (manifest.encryption && !inputs.decryption) {
        const how = 'recipients' in manifest.encryption
            ? 'decrypt-identity (an identity of its recipients)'
            : 'decrypt-passphrase';
        throw new errors/* ActionError */.lZ(`${manifest.key} is encrypted: restore needs ${how}. Nothing was downloaded.`);
    }
    const dumpTool = parseToolVersion(manifest.pg_dump_version);
    const pgRestore = await choosePgRestore(dumpTool?.major ?? 0, manifest.pg_dump_version);
    // Reachable and the right credentials, before a large download.
    const check = await connect(inputs.target, inputs.connectTimeoutMs, signal);
    await check.end().catch(() => undefined);
    const spool = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'gantry-restore-'));
    try {
        const file = (0,external_node_path_.join)(spool, 'backup');
        await download(store, manifest, file, signal);
        await withCaFile(inputs.target.ca, async (caFile) => {
            const options = { clean: inputs.clean, jobs: inputs.jobs, signal, caFile };
            const plaintext = await openPlaintext(file, manifest, inputs);
            if (inputs.jobs === 1) {
                await streamThrough(plaintext.stream, restoreFromStream(pgRestore, inputs.target, options));
            }
            else if (plaintext.path === file) {
                plaintext.stream.destroy();
                await restoreFromFile(pgRestore, inputs.target, file, options);
            }
            else {
                const decrypted = (0,external_node_path_.join)(spool, 'backup.plain');
                await (0,external_node_stream_promises_namespaceObject.pipeline)(plaintext.stream, (0,external_node_fs_.createWriteStream)(decrypted, { mode: 0o600 }));
                await restoreFromFile(pgRestore, inputs.target, decrypted, options);
            }
        });
    }
    finally {
        await (0,promises_.rm)(spool, { recursive: true, force: true });
    }
    const target = await connect(inputs.target, inputs.connectTimeoutMs, signal);
    try {
        const counts = await countRows(target);
        const tables = [...counts].map(([table, rows]) => ({ table, rows }));
        return { manifest, target: describeTarget(inputs.target), tables, durationMs: Date.now() - started };
    }
    finally {
        await target.end().catch(() => undefined);
    }
}
async function resolveBackup(inputs, store, signal) {
    if (inputs.backupKey === undefined) {
        const database = inputs.database ?? '';
        const { backups } = await readCatalog(store, inputs.store.prefix, database, signal);
        const latest = backups[0];
        if (!latest) {
            throw new errors/* ActionError */.lZ(`There is no backup of ${database} under ${store.where(inputs.store.prefix)}: nothing to restore.`, {
                hint: 'check bucket, prefix and the database named by the connection inputs (list shows what there is)',
            });
        }
        return latest;
    }
    const manifestKey = manifestKeyOf(inputs.backupKey) ?? inputs.backupKey;
    const text = await store.getText(manifestKey, signal).catch((error) => {
        throw new errors/* ActionError */.lZ(`${store.where(manifestKey)} cannot be read, so ${inputs.backupKey} is not a backup: ${error.message}`, {
            hint: 'a dump without a manifest was never verified; list shows the backups there are',
        });
    });
    const manifest = parseManifest(text);
    if (typeof manifest === 'string')
        throw new errors/* ActionError */.lZ(`${store.where(manifestKey)} is not a backup manifest: ${manifest}.`);
    return manifest;
}
/** The whole object into `file`, refused unless its size and SHA-256 are the manifest's. */
async function download(store, manifest, file, signal) {
    const { body } = await store.getStream(manifest.key, signal);
    const digest = new Digest();
    await (0,external_node_stream_promises_namespaceObject.pipeline)(body, digest, (0,external_node_fs_.createWriteStream)(file, { mode: 0o600 }), { signal });
    const sha256 = digest.sha256();
    if (digest.sizeBytes !== manifest.size || sha256 !== manifest.sha256) {
        throw new errors/* ActionError */.lZ(`${store.where(manifest.key)} is ${digest.sizeBytes} bytes with SHA-256 ${sha256}, but its manifest says ${manifest.size} bytes with SHA-256 ${manifest.sha256}: refusing to restore it. The target was not touched.`, { hint: 'the object was changed or damaged in the bucket; restore another backup (list shows them)' });
    }
    info(`Downloaded ${digest.sizeBytes} bytes; SHA-256 matches the manifest.`);
}
async function openPlaintext(file, manifest, inputs) {
    const stored = (0,external_node_fs_.createReadStream)(file);
    if (!manifest.encryption || !inputs.decryption)
        return { stream: stored, path: file };
    return { stream: await decryptStream(stored, inputs.decryption), path: undefined };
}

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
        throw new ConfigurationError(`Input "${name}" is not valid YAML or JSON: ${reason}.`, { input: name });
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

;// CONCATENATED MODULE: ./shared/src/postgres/connection-inputs.ts




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
    const rawUrl = getOptionalString(URL_INPUT, { secret: true });
    const password = getOptionalString('password', { secret: true });
    const sslInput = getOptionalString('sslmode');
    const ca = getOptionalString('ca-certificate');
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
        throw invalidInput('ca-certificate', ca.slice(0, 30), 'expected PEM text starting with -----BEGIN CERTIFICATE-----');
    }
    const base = rawUrl === undefined ? fromDiscreteInputs(password) : fromUrl(rawUrl, password);
    if (sslInput !== undefined && base.urlSslmode !== undefined && sslInput !== base.urlSslmode) {
        throw new errors/* ConfigurationError */.j1(`Input "sslmode" is "${sslInput}" but database-url says sslmode=${base.urlSslmode}: give it in one place.`, { input: 'sslmode' });
    }
    const sslmode = base.urlSslmode ?? (sslInput !== undefined ? getEnum('sslmode', SSL_MODES, 'prefer') : envSslmode());
    if (ca !== undefined && sslmode === 'disable') {
        throw new errors/* ConfigurationError */.j1('Input "ca-certificate" is given but sslmode is disable, which never uses it.', {
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
    const given = input === URL_INPUT ? DISCRETE.filter((name) => getOptionalString(name) !== undefined) : [];
    if (given.length > 0) {
        throw new errors/* ConfigurationError */.j1(`Inputs "${URL_INPUT}" and "${given[0]}" are both given: the connection comes from one or the other.`, {
            input: given[0],
            hint: `leave ${given.join(', ')} empty when database-url is set, or drop database-url`,
        });
    }
    const url = URL.parse(raw);
    if (!url || (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')) {
        throw invalidInput(input, raw, `expected a postgresql:// URL like ${URL_EXAMPLE}`, true);
    }
    const parameters = url.searchParams;
    const unknown = [...parameters.keys()].filter((key) => !URL_PARAMETERS.includes(key));
    if (unknown.length > 0) {
        throw new errors/* ConfigurationError */.j1(`Input "${input}" has the parameter(s) ${unknown.join(', ')}, which Gantry does not use; it accepts ${URL_PARAMETERS.join(', ')}.`, { input, hint: 'use the inputs instead: connect-timeout, ca-certificate' });
    }
    if (url.port === '0')
        throw invalidInput(input, raw, 'the port must be from 1 to 65535', true);
    const host = (0,secrets/* safeDecode */.ex)(url.hostname).replace(/^\[(.*)\]$/, '$1');
    if (host === '') {
        throw new errors/* ConfigurationError */.j1(`Input "${input}" names no host.`, {
            input,
            hint: 'for a unix socket, give its directory in the host input instead of a URL',
        });
    }
    const user = (0,secrets/* safeDecode */.ex)(url.username);
    if (user === '') {
        throw new errors/* ConfigurationError */.j1(`Input "${input}" names no user: expected a URL like ${URL_EXAMPLE}.`, {
            input,
        });
    }
    const database = (0,secrets/* safeDecode */.ex)(url.pathname.replace(/^\//, ''));
    if (database === '' || database.includes('/')) {
        throw new errors/* ConfigurationError */.j1(`Input "${input}" names ${database === '' ? 'no database' : `"${database}", which is not a database name`}: expected a URL like ${URL_EXAMPLE}.`, { input });
    }
    const urlPassword = url.password === '' ? undefined : (0,secrets/* safeDecode */.ex)(url.password);
    if (urlPassword !== undefined && password !== undefined) {
        throw new errors/* ConfigurationError */.j1(`Inputs "${input}" and "password" both carry a password: give it in one place.`, { input: 'password' });
    }
    const sslText = parameters.get('sslmode') ?? undefined;
    if (sslText !== undefined && !SSL_MODES.includes(sslText)) {
        throw new errors/* ConfigurationError */.j1(`Input "${input}" has sslmode=${sslText}: expected one of ${SSL_MODES.join(', ')}.`, { input });
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
    const host = getOptionalString('host') ?? env('PGHOST');
    if (host === undefined) {
        throw new errors/* ConfigurationError */.j1('No database to connect to: set database-url, or host (with user and password).', {
            input: URL_INPUT,
            hint: `database-url: \${{ secrets.DATABASE_URL }}, a URL like ${URL_EXAMPLE}`,
        });
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
        throw invalidInput('host', (0,secrets/* redactUrlCredentials */.dE)(host), 'expected a host name or address, not a URL (a URL goes in database-url)');
    }
    if (/\s/.test(host) || (host.includes('/') && !host.startsWith('/'))) {
        throw invalidInput('host', host, 'expected a host name, an IP address, or a unix socket directory starting with /');
    }
    const envPort = env('PGPORT');
    const port = getInteger('port', {
        default: envPort === undefined ? 5432 : Number(envPort),
        min: 1,
        max: 65535,
    });
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw invalidInput('port', String(envPort), 'PGPORT must be a port number from 1 to 65535');
    }
    const user = getOptionalString('user') ?? env('PGUSER');
    if (user === undefined) {
        throw new errors/* ConfigurationError */.j1('Input "user" is required with host.', {
            input: 'user',
            hint: 'the database user to connect as',
        });
    }
    const envPassword = env('PGPASSWORD');
    (0,secrets/* maskSecret */.$l)(envPassword);
    return {
        settings: {
            host,
            port,
            user,
            password: password ?? envPassword,
            database: getOptionalString('database') ?? env('PGDATABASE') ?? user,
            options: undefined,
        },
        urlSslmode: undefined,
    };
}
function envSslmode() {
    const value = env('PGSSLMODE');
    if (value === undefined)
        return 'prefer';
    if (!SSL_MODES.includes(value)) {
        throw new errors/* ConfigurationError */.j1(`PGSSLMODE is "${value}": expected one of ${SSL_MODES.join(', ')}.`, {
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
    (0,secrets/* maskSecret */.$l)(password);
    (0,secrets/* maskSecret */.$l)((0,secrets/* safeDecode */.ex)(password));
}

;// CONCATENATED MODULE: ./actions/backup/src/encryption-inputs.ts




/** The age inputs: encrypt-to or encrypt-passphrase, and decrypt-identity, checked by age itself. */
async function readEncryption() {
    const recipients = getList('encrypt-to');
    const passphrase = getOptionalString('encrypt-passphrase', { secret: true });
    if (recipients.length > 0 && passphrase !== undefined) {
        throw new errors/* ConfigurationError */.j1('Inputs "encrypt-to" and "encrypt-passphrase" are both given: age encrypts to one or the other.', {
            input: 'encrypt-passphrase',
        });
    }
    if (passphrase !== undefined) {
        if (passphrase.length < 12) {
            throw invalidInput('encrypt-passphrase', passphrase, 'expected at least 12 characters (a generated one: age-keygen, or 5 random words)', true);
        }
        return { passphrase };
    }
    if (recipients.length === 0)
        return undefined;
    for (const recipient of recipients) {
        if (/^AGE-SECRET-KEY-/i.test(recipient)) {
            (0,secrets/* maskSecret */.$l)(recipient);
            throw invalidInput('encrypt-to', recipient, 'expected public keys (age1…), and this is a secret identity: rotate it, it is in the workflow now', true);
        }
        const problem = await recipientProblem(recipient);
        if (problem)
            throw invalidInput('encrypt-to', recipient, `expected age public keys like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p (${problem})`);
    }
    return { recipients };
}
async function readIdentities() {
    const text = getOptionalString('decrypt-identity', { secret: true });
    if (text === undefined)
        return undefined;
    const identities = identityLines(text);
    if (identities.length === 0) {
        throw invalidInput('decrypt-identity', text, 'expected an age identity: an age-keygen file or its AGE-SECRET-KEY-1… line', true);
    }
    for (const identity of identities) {
        (0,secrets/* maskSecret */.$l)(identity);
        // age's message quotes the identity it refuses.
        const problem = await identityProblem(identity);
        if (problem)
            throw invalidInput('decrypt-identity', identity, `expected an age identity (${(0,secrets/* redact */.E$)(problem)})`, true);
    }
    return { identities };
}

;// CONCATENATED MODULE: ./actions/backup/src/retention-inputs.ts




/** The keep-* inputs of prune, read as restic's forget reads its --keep-* flags. */
const COUNT_INPUTS = {
    'keep-last': 'last',
    'keep-hourly': 'hourly',
    'keep-daily': 'daily',
    'keep-weekly': 'weekly',
    'keep-monthly': 'monthly',
    'keep-yearly': 'yearly',
};
const WITHIN_INPUTS = {
    'keep-within': 'within',
    'keep-within-hourly': 'withinHourly',
    'keep-within-daily': 'withinDaily',
    'keep-within-weekly': 'withinWeekly',
    'keep-within-monthly': 'withinMonthly',
    'keep-within-yearly': 'withinYearly',
};
const RETENTION_INPUTS = [...Object.keys(COUNT_INPUTS), ...Object.keys(WITHIN_INPUTS)];
const COUNT_ACCEPTED = 'expected a whole number of backups to keep, or -1 for all (as restic: 0 is off)';
const WITHIN_ACCEPTED = "expected a duration in restic's form: whole years, months, days and hours like 1y6m3d12h, 30d or 48h";
function readRetentionPolicy() {
    const policy = { last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
    for (const [input, rule] of Object.entries(COUNT_INPUTS)) {
        const text = getOptionalString(input);
        if (text === undefined)
            continue;
        if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
            throw invalidInput(input, text, COUNT_ACCEPTED);
        const count = Number(text);
        // restic: "negative values other than -1 are not allowed for --keep-*".
        if (count < -1)
            throw invalidInput(input, text, `${COUNT_ACCEPTED}; -1 is the only negative value`);
        policy[rule] = count;
    }
    for (const [input, rule] of Object.entries(WITHIN_INPUTS)) {
        const duration = readWithin(input);
        if (duration)
            policy[rule] = duration;
    }
    if (isEmptyPolicy(policy)) {
        throw new errors/* ConfigurationError */.j1('prune needs a retention policy: none of keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly or keep-within* is given (or all are 0).', {
            input: 'keep-daily',
            hint: 'for example keep-daily: 30, keep-weekly: 12, keep-monthly: 12',
        });
    }
    return policy;
}
function readWithin(input) {
    const text = getOptionalString(input);
    if (text === undefined)
        return undefined;
    const duration = parseCalendarDuration(text);
    if (!duration)
        throw invalidInput(input, text, WITHIN_ACCEPTED);
    // restic: "durations containing negative values are not allowed for --keep-within*".
    if (hasNegativePart(duration))
        throw invalidInput(input, text, `${WITHIN_ACCEPTED}; no negative parts`);
    return duration;
}

;// CONCATENATED MODULE: ./shared/src/aws.ts

/**
 * Regions in every partition: us-east-1, eu-central-2, ap-southeast-5, cn-northwest-1, us-gov-west-1,
 * us-iso-east-1, us-isob-east-1, eu-isoe-west-1, us-isof-south-1, eusc-de-east-1.
 */
const REGION_PATTERN = /^[a-z]{2,4}(?:-(?:gov|iso[a-z]?|[a-z]{2}))?-[a-z]+-\d{1,2}$/;
/**
 * More than the SDK's 3: jobs of one organisation share an account's API rate limits (ECR allows
 * GetAuthorizationToken 20 per second), and a throttled call in a pipeline is worth a few seconds of
 * standard-mode backoff rather than a failed deployment.
 */
const DEFAULT_MAX_ATTEMPTS = 5;
const CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS_LIMIT = 20;
function awsClientConfig(options = {}) {
    const input = options.input ?? 'aws-region';
    const config = {
        region: resolveRegion(options.region, input),
        maxAttempts: resolveMaxAttempts(options.maxAttempts),
        // Adaptive mode adds a client-side rate limiter that only pays off for long-lived, busy
        // clients; a step makes a handful of calls.
        retryMode: 'standard',
        requestHandler: {
            connectionTimeout: CONNECTION_TIMEOUT_MS,
            requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
            throwOnRequestTimeout: true,
        },
    };
    const endpoint = options.endpoint?.trim();
    if (endpoint)
        config.endpoint = validateEndpoint(endpoint, options.endpointInput ?? 'aws-endpoint-url');
    return config;
}
function resolveRegion(fromOption, input) {
    const candidates = [
        [fromOption, `the ${input} input`],
        [process.env.AWS_REGION, 'AWS_REGION'],
        [process.env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
    ];
    for (const [raw, source] of candidates) {
        const region = raw?.trim();
        if (!region)
            continue;
        if (!REGION_PATTERN.test(region)) {
            throw new errors/* ConfigurationError */.j1(`${source} is "${region}", which is not an AWS region (like us-east-1, eu-west-1, cn-north-1 or us-gov-west-1)`, { input, hint: 'use the region code, not the region name: eu-west-1, not "Europe (Ireland)"' });
        }
        return region;
    }
    throw new errors/* ConfigurationError */.j1(`No AWS region: the ${input} input is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set`, {
        input,
        hint: `set ${input}, or run aws-actions/configure-aws-credentials with aws-region before this step (it sets AWS_REGION)`,
    });
}
function resolveMaxAttempts(fromOption) {
    if (fromOption !== undefined)
        return checkAttempts(fromOption, String(fromOption), 'maxAttempts');
    // AWS_MAX_ATTEMPTS is the SDKs' own setting: passing maxAttempts would otherwise silence it.
    const fromEnv = process.env.AWS_MAX_ATTEMPTS?.trim();
    if (fromEnv)
        return checkAttempts(Number(fromEnv), `"${fromEnv}"`, 'AWS_MAX_ATTEMPTS');
    return DEFAULT_MAX_ATTEMPTS;
}
function checkAttempts(value, shown, source) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
        throw new errors/* ConfigurationError */.j1(`${source} is ${shown}, which is not a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT}`);
    }
    return value;
}
function validateEndpoint(endpoint, input) {
    const url = URL.parse(endpoint);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
        throw new errors/* ConfigurationError */.j1(`${input} is "${endpoint}", which is not an http:// or https:// URL`, {
            input,
            hint: 'give the service endpoint of an emulator or LocalStack, like http://127.0.0.1:4566',
        });
    }
    if (url.username || url.password) {
        throw new errors/* ConfigurationError */.j1(`${input} must not contain credentials`, {
            input,
            hint: 'AWS credentials come from the environment: use aws-actions/configure-aws-credentials',
        });
    }
    return endpoint;
}
function isSdkError(error) {
    return error instanceof Error && typeof error.name === 'string';
}
/** The error's code (`RepositoryNotFoundException`, `ThrottlingException`), or undefined for non-errors. */
function awsErrorName(error) {
    return isSdkError(error) ? error.name : undefined;
}
/** The credentials are missing, invalid or expired: the fix is configuring them. */
const CREDENTIAL_ERRORS = new Set([
    'CredentialsProviderError',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'IncompleteSignatureException',
    'MissingAuthenticationTokenException',
    'ExpiredToken',
    'ExpiredTokenException',
]);
/** The credentials work but lack a permission: the fix is the role's policy. */
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const CONFIGURE_CREDENTIALS = 'configure credentials with aws-actions/configure-aws-credentials';
/**
 * Turns an SDK error into the one-line `ActionError` runAction reports:
 * `GetAuthorizationToken failed: AccessDeniedException: User: ... is not authorized ...`,
 * with a hint when the cause is the credentials. An ActionError passes through unchanged.
 */
function awsActionError(operation, error) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const name = awsErrorName(error) ?? 'Error';
    const detail = oneLine(error instanceof Error ? error.message : String(error)) || 'no message';
    const message = `${operation} failed: ${name}: ${detail}`;
    if (CREDENTIAL_ERRORS.has(name)) {
        return new errors/* ActionError */.lZ(message, {
            cause: error,
            hint: `the AWS credentials are missing, invalid or expired: ${CONFIGURE_CREDENTIALS} before this step (with \`permissions: id-token: write\` for OIDC)`,
        });
    }
    if (PERMISSION_ERRORS.has(name)) {
        return new errors/* ActionError */.lZ(message, {
            cause: error,
            hint: `the AWS identity is not allowed to call ${operation}: allow it in the role's IAM policy, or ${CONFIGURE_CREDENTIALS} for a role that is`,
        });
    }
    return new errors/* ActionError */.lZ(message, { cause: error });
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./actions/backup/src/store-inputs.ts



const STORAGE_CLASSES = [
    'STANDARD',
    'REDUCED_REDUNDANCY',
    'STANDARD_IA',
    'ONEZONE_IA',
    'INTELLIGENT_TIERING',
    'GLACIER',
    'DEEP_ARCHIVE',
    'GLACIER_IR',
    'EXPRESS_ONEZONE',
];
/** S3's bucket naming rules (3-63 lower-case letters, digits, dots and hyphens; no IP address). */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
function readStoreInputs() {
    const bucket = getString('bucket', { required: true });
    if (!BUCKET_PATTERN.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
        throw invalidInput('bucket', bucket, 'expected an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens (no s3:// and no path: the path goes in prefix)');
    }
    const rawPrefix = getString('prefix', { default: 'backups' });
    const prefix = rawPrefix.replace(/^\/+|\/+$/g, '');
    if (/\/\/|\\/.test(prefix) ||
        [...prefix].some((char) => char.charCodeAt(0) < 0x20) ||
        prefix.split('/').some((part) => part === '.' || part === '..')) {
        throw invalidInput('prefix', rawPrefix, 'expected a key prefix like backups or team/db-backups, without empty, . or .. parts');
    }
    const sse = getOptionalString('sse');
    if (sse !== undefined && sse !== 'AES256' && sse !== 'aws:kms') {
        throw invalidInput('sse', sse, 'expected AES256 (S3-managed keys) or aws:kms');
    }
    const sseKmsKeyId = getOptionalString('sse-kms-key-id');
    if (sseKmsKeyId !== undefined && sse !== 'aws:kms') {
        throw new errors/* ConfigurationError */.j1('Input "sse-kms-key-id" is given but sse is not aws:kms.', {
            input: 'sse-kms-key-id',
            hint: 'set sse: aws:kms to encrypt with that KMS key',
        });
    }
    const storageClass = getOptionalString('storage-class');
    if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) {
        throw invalidInput('storage-class', storageClass, `expected one of ${STORAGE_CLASSES.join(', ')}`);
    }
    return {
        bucket,
        prefix,
        client: awsClientConfig({
            region: getOptionalString('aws-region'),
            endpoint: getOptionalString('s3-endpoint'),
            endpointInput: 's3-endpoint',
            // One attempt of one part (5 MiB up to 64 MiB below 320 GB databases) at 0.5 MiB/s or more.
            // It also bounds how long a failed backup waits for a part in flight before aborting.
            requestTimeoutMs: 2 * 60_000,
        }),
        storageClass,
        sse,
        sseKmsKeyId,
    };
}

;// CONCATENATED MODULE: ./actions/backup/src/inputs.ts








/**
 * The only module that reads inputs. Everything is checked before anything connects, dumps,
 * uploads or deletes; an input that the command does not use is refused rather than ignored (a
 * keep-daily given to backup means the workflow is not doing what its author thinks).
 */
const COMMANDS = ['backup', 'list', 'prune', 'restore'];
const HOUR = 3_600_000;
const BACKUP_ONLY = [
    'pg-dump-path',
    'schemas',
    'exclude-schemas',
    'tables',
    'exclude-tables',
    'exclude-table-data',
    'compression',
    'encrypt-to',
    'encrypt-passphrase',
    'verify',
    'verify-database-url',
];
const RESTORE_ONLY = ['target-database-url', 'confirm', 'clean', 'jobs', 'decrypt-passphrase'];
/** Inputs each command uses, beyond the S3 ones and timeout which all use. */
const USED_BY = {
    backup: [...CONNECTION_INPUTS, 'connect-timeout', ...BACKUP_ONLY, 'decrypt-identity'],
    list: [...CONNECTION_INPUTS],
    prune: [...CONNECTION_INPUTS, ...RETENTION_INPUTS, 'confirm-delete'],
    restore: [...CONNECTION_INPUTS, 'connect-timeout', 'backup', ...RESTORE_ONLY, 'decrypt-identity'],
};
/** Inputs with a default in action.yml: they always arrive, so "given" means "not the default". */
const DEFAULTS = {
    'connect-timeout': '30s',
    verify: 'list',
    'confirm-delete': 'false',
    backup: 'latest',
    clean: 'false',
    jobs: '1',
};
async function readInputs() {
    const command = getEnum('command', COMMANDS, 'backup');
    // Secrets first, so that no message below can show one before it is masked.
    for (const name of ['encrypt-passphrase', 'decrypt-passphrase', 'decrypt-identity'])
        (0,secrets/* maskSecret */.$l)(getOptionalString(name));
    refuseUnused(command);
    const store = readStoreInputs();
    const timeoutMs = getDuration('timeout', { default: 6 * HOUR, min: 10_000, max: 72 * HOUR });
    switch (command) {
        case 'backup':
            return { command, store, timeoutMs, ...(await readBackupInputs()) };
        case 'list':
            return { command, store, timeoutMs, database: readConnectionSettings().database };
        case 'prune':
            return {
                command,
                store,
                timeoutMs,
                database: readConnectionSettings().database,
                policy: readRetentionPolicy(),
                confirmDelete: getBoolean('confirm-delete', false),
            };
        case 'restore':
            return { command, store, timeoutMs, ...(await readRestoreInputs()) };
    }
}
/** Masked even when refused as unused: a URL input holds a password. */
const SECRET_INPUTS = new Set(['database-url', 'password', 'target-database-url', 'verify-database-url']);
function refuseUnused(command) {
    const used = new Set(USED_BY[command]);
    const all = new Set(Object.values(USED_BY).flat());
    for (const name of all) {
        if (used.has(name))
            continue;
        const value = getOptionalString(name, { secret: SECRET_INPUTS.has(name) });
        if (value !== undefined && SECRET_INPUTS.has(name))
            (0,secrets/* redactUrlCredentials */.dE)(value);
        if (value === undefined || value === DEFAULTS[name])
            continue;
        const users = Object.keys(USED_BY).filter((other) => USED_BY[other].includes(name));
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is for ${users.join(' and ')}, not for command ${command}.`, {
            input: name,
            hint: `remove it from this step, or set command: ${users[0]}`,
        });
    }
}
const CONNECT_TIMEOUT = { default: 30_000, min: 1000, max: HOUR };
async function readBackupInputs() {
    const connection = readConnectionSettings();
    const compression = getOptionalString('compression');
    if (compression !== undefined && !parseCompression(compression)) {
        throw invalidInput('compression', compression, COMPRESSION_ACCEPTED);
    }
    const encryption = await readEncryption();
    const verifyDecryption = await readIdentities();
    if (verifyDecryption && !encryption) {
        throw new errors/* ConfigurationError */.j1('Input "decrypt-identity" is given but the backup is not encrypted (no encrypt-to).', {
            input: 'decrypt-identity',
            hint: 'backup uses decrypt-identity only to verify an encrypted upload: add encrypt-to, or drop decrypt-identity',
        });
    }
    if (verifyDecryption && encryption && 'passphrase' in encryption) {
        throw new errors/* ConfigurationError */.j1('Input "decrypt-identity" cannot read a backup encrypted with encrypt-passphrase.', {
            input: 'decrypt-identity',
        });
    }
    const verify = getEnum('verify', ['list', 'restore'], 'list');
    const verifyConnection = readDatabaseUrl('verify-database-url', connection.ca);
    if (verify === 'restore' && !verifyConnection) {
        throw new errors/* ConfigurationError */.j1('verify: restore needs verify-database-url, a throwaway database to restore into.', {
            input: 'verify-database-url',
        });
    }
    if (verify === 'list' && verifyConnection) {
        throw new errors/* ConfigurationError */.j1('Input "verify-database-url" is given but verify is list, which does not use it.', {
            input: 'verify-database-url',
            hint: 'set verify: restore to restore every backup into it, or drop it',
        });
    }
    if (verifyConnection && sameDatabase(verifyConnection, connection)) {
        throw new errors/* ConfigurationError */.j1('Input "verify-database-url" names the database being backed up: verification empties the database it restores into.', { input: 'verify-database-url', hint: 'give a separate, throwaway database' });
    }
    return {
        connection,
        connectTimeoutMs: getDuration('connect-timeout', CONNECT_TIMEOUT),
        pgDumpPath: getOptionalString('pg-dump-path'),
        dump: {
            schemas: getList('schemas'),
            excludeSchemas: getList('exclude-schemas'),
            tables: getList('tables'),
            excludeTables: getList('exclude-tables'),
            excludeTableData: getList('exclude-table-data'),
            compression,
        },
        encryption,
        verifyDecryption,
        verify,
        verifyConnection,
    };
}
async function readRestoreInputs() {
    const backup = getString('backup', { default: 'latest' });
    const backupKey = backup === 'latest' ? undefined : readBackupKey(backup);
    const target = readDatabaseUrl('target-database-url');
    if (!target) {
        throw new errors/* ConfigurationError */.j1('Input "target-database-url" is required for restore.', {
            input: 'target-database-url',
            hint: 'the database to restore into, like postgresql://user:password@host:5432/app_restore',
        });
    }
    const confirm = getOptionalString('confirm');
    if (confirm !== target.database) {
        throw new errors/* ConfigurationError */.j1(confirm === undefined
            ? `restore needs confirm: ${target.database}, the name of the target database, to replace what it holds.`
            : `Input "confirm" is "${confirm}" but the target database is "${target.database}": nothing was downloaded or restored.`, {
            input: 'confirm',
            hint: `set confirm: ${target.database} once you are sure this is the database to restore into`,
        });
    }
    const identities = await readIdentities();
    const passphrase = getOptionalString('decrypt-passphrase', { secret: true });
    if (identities && passphrase !== undefined) {
        throw new errors/* ConfigurationError */.j1('Inputs "decrypt-identity" and "decrypt-passphrase" are both given: a backup is encrypted with one or the other.', {
            input: 'decrypt-passphrase',
        });
    }
    const database = backupKey === undefined || hasConnectionInputs() ? readConnectionSettings().database : undefined;
    return {
        backupKey,
        database,
        target,
        connectTimeoutMs: getDuration('connect-timeout', CONNECT_TIMEOUT),
        clean: getBoolean('clean', false),
        jobs: getInteger('jobs', { default: 1, min: 1, max: 64 }),
        decryption: identities ?? (passphrase === undefined ? undefined : { passphrase }),
    };
}
const KEY_PATTERN = /\/\d{8}T\d{6}Z-[0-9a-f]{8}\.(dump|dump\.age|json)$/;
function readBackupKey(text) {
    if (!KEY_PATTERN.test(text)) {
        throw invalidInput('backup', text, 'expected latest, or the key of a backup like backups/app/20260101T020000Z-1a2b3c4d.dump (its .dump, .dump.age or .json key)');
    }
    return text;
}
/** With a backup key, restore needs no source database; when one is named, it is read (and checked). */
function hasConnectionInputs() {
    return (getOptionalString('database-url') !== undefined ||
        getOptionalString('host') !== undefined ||
        !!process.env.PGHOST);
}
function sameDatabase(a, b) {
    return a.host === b.host && a.port === b.port && a.database === b.database;
}

;// CONCATENATED MODULE: ./shared/src/formats/bytes.ts
/** A byte count for people: `512 B`, `1.5 KiB`, `340.5 MiB`, `2.0 GiB` (binary units, as du -h). */
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

// EXTERNAL MODULE: ./shared/src/runner/file-commands.ts
var file_commands = __nccwpck_require__(1169);
;// CONCATENATED MODULE: ./shared/src/runner/outputs.ts


function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
        const text = typeof value === 'string'
            ? value
            : JSON.stringify(value, (_key, inner) => typeof inner === 'string' ? (0,secrets/* redact */.E$)(inner) : inner);
        (0,file_commands/* setOutput */.uH)(name, (0,secrets/* redact */.E$)(text));
    }
}

;// CONCATENATED MODULE: ./shared/src/runner/summary.ts


class JobSummary {
    parts = [];
    heading(text, level = 2) {
        this.parts.push(`${'#'.repeat(level)} ${escapeInline(text)}`);
        return this;
    }
    /** A paragraph of Markdown the caller has already built (use `escapeInline` for user text). */
    paragraph(markdown) {
        this.parts.push(markdown);
        return this;
    }
    table(headers, rows) {
        if (rows.length === 0)
            return this;
        const line = (cells) => `| ${cells.map((cell) => escapeCell(String(cell))).join(' | ')} |`;
        this.parts.push([line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n'));
        return this;
    }
    list(items) {
        if (items.length > 0)
            this.parts.push(items.map((item) => `- ${item}`).join('\n'));
        return this;
    }
    details(summaryText, body) {
        this.parts.push(`<details><summary>${escapeHtml(summaryText)}</summary>\n\n${body}\n\n</details>`);
        return this;
    }
    code(text, language = '') {
        this.parts.push(fencedCode(text, language));
        return this;
    }
    toMarkdown() {
        return (0,secrets/* redact */.E$)(`${this.parts.join('\n\n')}\n`);
    }
    /** Appends to the step summary file; outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write. */
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file)
            return;
        await (0,promises_.appendFile)(file, this.toMarkdown(), 'utf8');
    }
}
const PAREN_ESCAPES = { '(': '%28', ')': '%29' };
function summary_link(text, href) {
    // encodeURIComponent leaves ( and ) alone, and an unbalanced one ends the link early.
    const escaped = redact(href).replace(/[()\s]/g, (char) => PAREN_ESCAPES[char] ?? encodeURIComponent(char));
    return `[${escapeInline(text)}](${escaped})`;
}
function escapeInline(text) {
    return (0,secrets/* redact */.E$)(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}
function escapeCell(text) {
    return (0,secrets/* redact */.E$)(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeHtml(text) {
    return (0,secrets/* redact */.E$)(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
function fencedCode(text, language = '') {
    // The fence must be longer than any run of backticks in the text, or that run would close it.
    const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}

;// CONCATENATED MODULE: ./actions/backup/src/report.ts





async function reportBackup(outcome, where) {
    const { manifest } = outcome;
    setOutputs({
        key: manifest.key,
        manifest,
        size: manifest.size,
        sha256: manifest.sha256,
        verified: manifest.verified,
    });
    const seconds = Math.max(outcome.uploadMs, 1) / 1000;
    const summary = new JobSummary().heading(`Backup of ${manifest.database}`).table(['', ''], [
        ['Object', where],
        ['Size', formatBytes(manifest.size)],
        [
            'Duration',
            `${(0,duration/* formatDuration */.a)(outcome.durationMs)} (dump and upload ${(0,duration/* formatDuration */.a)(outcome.uploadMs)}, verification ${(0,duration/* formatDuration */.a)(outcome.verifyMs)})`,
        ],
        ['Throughput', `${formatBytes(manifest.size / seconds)}/s stored, dump and upload`],
        ['SHA-256', manifest.sha256],
        ['Encryption', describeEncryption(manifest)],
        [
            'Verification',
            `${manifest.verified === 'restore' ? 'restored into the scratch database, row counts compared' : 'pg_restore --list'} on the ${outcome.verifiedOn === 'plaintext' ? 'plaintext as it streamed (no identity to decrypt the upload); the uploaded object read back and its SHA-256 compared' : 'object read back from S3, SHA-256 compared'}`,
        ],
        ['pg_dump', manifest.pg_dump_version],
        ['Server', manifest.server_version],
        ['Tables', manifest.tables],
    ]);
    if (outcome.tables.length > 0)
        summary.table(['Table', 'Rows restored'], outcome.tables.map((t) => [t.table, t.rows]));
    if (outcome.orphansDeleted.length > 0) {
        summary.paragraph(`Deleted ${outcome.orphansDeleted.length} dump(s) without a manifest, older than a day.`);
    }
    await summary.write();
}
async function reportList(catalog, database) {
    setOutputs({ backups: catalog.backups });
    const summary = new JobSummary().heading(`Backups of ${database}`);
    if (catalog.backups.length === 0)
        summary.paragraph('None.');
    summary.table(['Started', 'Size', 'Verified', 'Encryption', 'Key'], catalog.backups.map((m) => [m.started_at, formatBytes(m.size), m.verified, describeEncryption(m), m.key]));
    if (catalog.orphanDumps.length > 0) {
        summary.paragraph(`${catalog.orphanDumps.length} dump(s) without a manifest are not backups and are not listed.`);
    }
    await summary.write();
}
async function reportPrune(outcome, database) {
    setOutputs({ kept: outcome.kept, deleted: outcome.deleted });
    const verb = outcome.dryRun ? 'Would delete' : 'Deleted';
    const summary = new JobSummary()
        .heading(`Prune of ${database}${outcome.dryRun ? ' (dry run: nothing deleted)' : ''}`)
        .paragraph(`Kept ${outcome.kept.length}; ${verb.toLowerCase()} ${outcome.deleted.length}.`)
        .table(['Kept', 'Why', 'Key'], outcome.kept.map((k) => [k.started_at, k.reasons.join(', '), k.key]))
        .table([verb, 'Key'], outcome.deleted.map((d) => [d.started_at, d.key]));
    if (outcome.dryRun && outcome.deleted.length > 0) {
        summary.paragraph(escapeInline('Set confirm-delete: true to delete them.'));
    }
    await summary.write();
    for (const failure of outcome.failures)
        log_error(`Not deleted: ${failure}`);
}
async function reportRestore(outcome) {
    const { manifest } = outcome;
    setOutputs({
        key: manifest.key,
        manifest,
        size: manifest.size,
        sha256: manifest.sha256,
        verified: manifest.verified,
    });
    const total = outcome.tables.reduce((sum, t) => sum + t.rows, 0);
    await new JobSummary()
        .heading(`Restore into ${outcome.target}`)
        .table(['', ''], [
        ['Backup', manifest.key],
        ['Taken', manifest.started_at],
        ['Size', formatBytes(manifest.size)],
        ['SHA-256', `${manifest.sha256} (checked before restoring)`],
        ['Duration', (0,duration/* formatDuration */.a)(outcome.durationMs)],
        ['Tables', `${outcome.tables.length}, ${total} rows`],
    ])
        .table(['Table', 'Rows'], outcome.tables.map((t) => [t.table, t.rows]))
        .write();
}
function describeEncryption(manifest) {
    if (!manifest.encryption)
        return 'none';
    return 'recipients' in manifest.encryption
        ? `age, ${manifest.encryption.recipients.length} recipient(s)`
        : 'age, passphrase';
}

;// CONCATENATED MODULE: ./actions/backup/src/storage/s3-store.ts

class BackupStore {
    bucket;
    inputs;
    client;
    sdk;
    constructor(inputs, sdk) {
        this.inputs = inputs;
        this.bucket = inputs.bucket;
        this.sdk = sdk;
        const custom = inputs.client.endpoint !== undefined;
        this.client = new sdk.S3Client({
            ...inputs.client,
            forcePathStyle: custom,
            ...(custom
                ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
                : {}),
        });
    }
    static async open(inputs) {
        return new BackupStore(inputs, await __nccwpck_require__.e(/* import() */ 711).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3711, 19)));
    }
    where(key) {
        return `s3://${this.bucket}/${key}`;
    }
    async list(prefix, signal) {
        const objects = [];
        let token;
        do {
            const page = await this.call(`ListObjectsV2 of ${this.where(prefix)}`, () => this.client.send(new this.sdk.ListObjectsV2Command({
                Bucket: this.bucket,
                Prefix: prefix,
                ContinuationToken: token,
            }), { abortSignal: signal }));
            for (const item of page.Contents ?? []) {
                if (item.Key)
                    objects.push({
                        key: item.Key,
                        size: item.Size ?? 0,
                        lastModified: item.LastModified ?? new Date(0),
                    });
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return objects;
    }
    async getText(key, signal) {
        const object = await this.call(`GetObject ${this.where(key)}`, () => this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), {
            abortSignal: signal,
        }));
        return (await object.Body?.transformToString('utf8')) ?? '';
    }
    async getStream(key, signal) {
        const object = await this.call(`GetObject ${this.where(key)}`, () => this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), {
            abortSignal: signal,
        }));
        return { body: object.Body, size: object.ContentLength ?? 0 };
    }
    async putJson(key, text, signal) {
        await this.call(`PutObject ${this.where(key)}`, () => this.client.send(new this.sdk.PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: text,
            ContentType: 'application/json',
            ...this.encryptionParams(),
        }), { abortSignal: signal }));
    }
    async delete(key, signal) {
        await this.call(`DeleteObject ${this.where(key)}`, () => this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
            abortSignal: signal,
        }));
    }
    /**
     * A multipart upload of a stream of unknown length. lib-storage aborts the multipart upload when a
     * part fails for good or the body stream errors; the caller makes the body error for every other
     * failure (a program's exit code, a deadline), so no part is ever left behind.
     */
    async upload(options) {
        const { Upload } = await Promise.all(/* import() */[__nccwpck_require__.e(711), __nccwpck_require__.e(358)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2358, 19));
        const upload = new Upload({
            client: this.client,
            params: {
                Bucket: this.bucket,
                Key: options.key,
                Body: options.body,
                ContentType: options.contentType,
                ...(this.inputs.storageClass ? { StorageClass: this.inputs.storageClass } : {}),
                ...this.encryptionParams(),
            },
            partSize: options.partSizeBytes,
            // Parts are buffered in memory: four of up to 16 MiB, two of anything larger.
            queueSize: options.partSizeBytes > 16 * 1024 * 1024 ? 2 : 4,
            leavePartsOnError: false,
        });
        await this.call(`Uploading ${this.where(options.key)}`, () => upload.done());
    }
    close() {
        this.client.destroy();
    }
    encryptionParams() {
        if (!this.inputs.sse)
            return {};
        return {
            ServerSideEncryption: this.inputs.sse,
            ...(this.inputs.sseKmsKeyId ? { SSEKMSKeyId: this.inputs.sseKmsKeyId } : {}),
        };
    }
    async call(operation, fn) {
        try {
            return await fn();
        }
        catch (error) {
            throw awsActionError(operation, error);
        }
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/main.ts









/**
 * read inputs (all checked before anything happens) -> one deadline for the step -> the command
 * (backup, list, prune or restore; each in commands/) -> outputs and job summary.
 */
async function run({ signal }) {
    const inputs = await readInputs();
    const deadline = new Deadline(inputs.timeoutMs, `the ${inputs.command} to finish (timeout)`);
    const stepSignal = deadline.signal(signal);
    const store = await BackupStore.open(inputs.store);
    try {
        switch (inputs.command) {
            case 'backup': {
                const outcome = await runBackup(inputs, store, stepSignal);
                await reportBackup(outcome, store.where(outcome.manifest.key));
                return;
            }
            case 'list':
                await reportList(await runList(inputs, store, stepSignal), inputs.database);
                return;
            case 'prune': {
                const outcome = await runPrune(inputs, store, stepSignal);
                await reportPrune(outcome, inputs.database);
                if (outcome.failures.length > 0) {
                    throw new errors/* ReportedFailure */.g7(`${outcome.failures.length} backup(s) could not be deleted; see the errors above.`);
                }
                return;
            }
            case 'restore':
                await reportRestore(await runRestore(inputs, store, stepSignal));
                return;
        }
    }
    finally {
        store.close();
    }
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

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

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

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

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

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 8253:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util/types");

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
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
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
/******/ var __webpack_exports__ = __nccwpck_require__(9956);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
