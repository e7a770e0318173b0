import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 4989:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9406);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(2261);


await (0,_shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runActionProcess */ .l)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e, _main_js__WEBPACK_IMPORTED_MODULE_1__/* .post */ .b);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 2261:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  b: () => (/* binding */ post),
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./shared/src/aws.ts
var aws = __nccwpck_require__(3526);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
// EXTERNAL MODULE: ./shared/src/runner/file-commands.ts
var file_commands = __nccwpck_require__(1169);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __nccwpck_require__(5392);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var runner_secrets = __nccwpck_require__(2663);
;// CONCATENATED MODULE: ./shared/src/runner/outputs.ts


function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
        const text = typeof value === 'string'
            ? value
            : JSON.stringify(value, (_key, inner) => typeof inner === 'string' ? (0,runner_secrets/* redact */.E$)(inner) : inner);
        (0,file_commands/* setOutput */.uH)(name, (0,runner_secrets/* redact */.E$)(text));
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __nccwpck_require__(5082);
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var async_sleep = __nccwpck_require__(3701);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
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
        (0,runner_secrets/* maskSecret */.$l)(secret);
    (0,async_sleep/* throwIfAborted */.Te)(options.signal);
    const tailLines = options.tailLines ?? 30;
    // Redact each argument before quoting it: quoting rewrites a secret that holds a single quote
    // (it's -> 'it'\''s'), and then neither redact nor the runner's mask would match it any more.
    const display = (0,runner_secrets/* redact */.E$)([command, ...args.map((arg) => quoteForDisplay((0,runner_secrets/* redact */.E$)(arg)))].join(' '));
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
                reject((0,async_sleep/* abortReason */.Js)(options.signal));
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
                return reject((0,async_sleep/* abortReason */.Js)(options.signal));
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
            reject(new ExecError((0,runner_secrets/* redact */.E$)(`"${display}" ${how}${detail}`), code, result.stderrTail));
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
        maskSecret(secret);
    throwIfAborted(options.signal);
    const display = redact([command, ...args.map((arg) => quoteForDisplay(redact(arg)))].join(' '));
    if (!options.silent)
        process.stdout.write(`[command]${display}\n`);
    const child = spawn(command, [...args], {
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
            reject(new ExecError(redact(`"${display}" ${how}${detail}`), code, tail));
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
        const clean = (0,runner_secrets/* redact */.E$)(line);
        this.echo?.write(untrustedLine(clean));
        this.kept.push(clean);
        if (this.kept.length > this.size * 2)
            this.kept.splice(0, this.kept.length - this.size);
    }
}

;// CONCATENATED MODULE: ./actions/build-push/src/image-name.ts
/**
 * Image references by the grammar of the distribution project (reference/regexp.go), which docker,
 * buildah and every registry share: `[registry[:port]/]path[:tag][@digest]`. The first component is a
 * registry when it contains a `.` or a `:`, is `localhost`, or is a bracketed IPv6 address;
 * otherwise the image is on Docker Hub.
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
const PORT = /^\d{1,5}$/;
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;
const DOCKER_HUB = 'docker.io';
function parseImageName(text) {
    const name = text.trim();
    if (name === '')
        return fail('the image name is empty');
    if (name.includes('@'))
        return fail('an image name has no digest here; the digest is an output');
    const slash = name.indexOf('/');
    const first = slash < 0 ? '' : name.slice(0, slash);
    const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || IPV6.test(first));
    const lastColon = name.lastIndexOf(':');
    if (lastColon > (hasRegistry ? slash : -1)) {
        return fail('an image name has no tag here; tags come from the tags input');
    }
    const registry = hasRegistry ? first : DOCKER_HUB;
    const path = hasRegistry ? name.slice(slash + 1) : name;
    if (hasRegistry) {
        const reason = registryProblem(registry);
        if (reason)
            return fail(reason);
    }
    if (path === '')
        return fail('the repository path after the registry is empty');
    if (path.length > NAME_MAX)
        return fail(`the repository path is longer than ${NAME_MAX} characters`);
    for (const component of path.split('/')) {
        if (!PATH_COMPONENT.test(component)) {
            return fail(component === ''
                ? 'the path has an empty component (two slashes in a row, or a trailing slash)'
                : `"${component}" is not a valid path component: lowercase letters, digits, and . _ __ - between them`);
        }
    }
    const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
    return { ok: true, value: { registry, repository, name } };
}
/** A full reference, as in `image` outputs and `images` inputs of other actions: name[:tag][@digest]. */
function parseImageReference(text) {
    const trimmed = text.trim();
    const at = trimmed.indexOf('@');
    const digest = at >= 0 ? trimmed.slice(at + 1) : undefined;
    if (digest !== undefined && !DIGEST_PATTERN.test(digest)) {
        return fail(`"${digest}" is not a digest like sha256:<64 hex digits>`);
    }
    const withoutDigest = at >= 0 ? trimmed.slice(0, at) : trimmed;
    const slash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.lastIndexOf(':');
    const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
    if (tag !== undefined && !TAG_PATTERN.test(tag))
        return fail(tagProblem(tag));
    const name = parseImageName(tag === undefined ? withoutDigest : withoutDigest.slice(0, colon));
    if (!name.ok)
        return name;
    return { ok: true, value: { ...name.value, tag, digest } };
}
function isValidTag(tag) {
    return TAG_PATTERN.test(tag);
}
function tagProblem(tag) {
    return `"${tag}" is not a valid tag: 1 to 128 characters of letters, digits, _ . -, not starting with . or -`;
}
function registryProblem(registry) {
    if (IPV6.test(registry) || IPV6.test(registry.replace(/:\d+$/, '')))
        return undefined;
    const colon = registry.lastIndexOf(':');
    const host = colon >= 0 ? registry.slice(0, colon) : registry;
    const port = colon >= 0 ? registry.slice(colon + 1) : undefined;
    if (port !== undefined && (!PORT.test(port) || Number(port) === 0 || Number(port) > 65535)) {
        return `"${registry}" has an invalid port: expected host:port with a port from 1 to 65535`;
    }
    if (host === '' || !host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
        return `"${registry}" is not a valid registry host name`;
    }
    return undefined;
}
function fail(reason) {
    return { ok: false, reason };
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
    const { attempts = Number.POSITIVE_INFINITY, initialDelayMs = 500, maxDelayMs = 30_000, clock = systemClock, sleep = async_sleep/* sleep */.yy, random = Math.random, } = options;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        (0,async_sleep/* throwIfAborted */.Te)(options.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            // An attempt that failed once the signal was aborted: the abort is the answer, not a retry
            // (nor a "retrying" line after whatever aborted it).
            (0,async_sleep/* throwIfAborted */.Te)(options.signal);
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

;// CONCATENATED MODULE: ./actions/build-push/src/push-retry.ts




/**
 * Pushing is safe to repeat (blobs and manifests are content-addressed), so a push that failed on a
 * registry's bad moment — a 5xx, a 429, a dropped connection — is tried again with backoff until the
 * deadline. Only the builder's own words tell what happened, so the verdict reads its stderr.
 */
/** The registry refused the push for a reason another attempt will not change. */
const FINAL = [
    /\bunauthorized\b/i,
    /\bdenied\b/i,
    /\bmanifest invalid\b/i,
    /\bname unknown\b/i,
    /\bimmutable\b/i,
    /\btag invalid\b/i,
    /\bcannot be overwritten\b/i,
];
const TRANSIENT = [
    {
        pattern: /\b429 Too Many Requests\b|\btoomanyrequests\b/i,
        reason: 'the registry is rate limiting (429)',
    },
    // A bare "503" would also match inside a digest's hex; a status is always next to words that say so.
    {
        pattern: /\b(?:HTTP(?:\/[\d.]+)?|status(?: code)?:?)\s*(429|500|502|503|504)\b|\b(500|502|503|504) [A-Z][a-z]+/,
        reason: 'the registry answered with a server error',
    },
    { pattern: /\bconnection refused\b/i, reason: 'the registry refused the connection' },
    { pattern: /\bconnection reset\b/i, reason: 'the connection was reset' },
    { pattern: /\bi\/o timeout\b/i, reason: 'the network timed out' },
    { pattern: /\bTLS handshake timeout\b/i, reason: 'the TLS handshake timed out' },
    { pattern: /\bunexpected EOF\b/i, reason: 'the connection ended early' },
];
function classifyPushFailure(error) {
    if (!(error instanceof ExecError))
        return { transient: false };
    // The message repeats the command line, whose image names could hold any word: read the output.
    const text = error.stderrTail.length > 0 ? error.stderrTail.join('\n') : error.message;
    if (FINAL.some((pattern) => pattern.test(text)))
        return { transient: false };
    const match = TRANSIENT.find(({ pattern }) => pattern.test(text));
    return match ? { transient: true, reason: match.reason } : { transient: false };
}
/**
 * Runs `push` until it succeeds, fails for good, or the deadline leaves no time for another attempt.
 * Each attempt gets a signal that aborts at the deadline, so a push hanging on a dead registry is
 * stopped then, with the deadline's error, instead of outliving it.
 */
async function pushWithRetry(what, push, options) {
    const { deadline, signal } = options;
    let lastFailure;
    return retry(() => withDeadline(deadline, () => deadline.error(deadlineSubject(what, lastFailure)), signal, push), {
        what,
        classify: options.classify ?? classifyPushFailure,
        deadline,
        signal,
        onRetry: ({ attempt, delayMs, reason }) => {
            lastFailure = reason;
            log/* warning */.$e(`${what}: attempt ${attempt} failed (${reason}); trying again in ${(0,duration/* formatDuration */.a)(delayMs)}`);
        },
    });
}
/** Why the attempt cut short by the deadline was needed at all, when an earlier one failed. */
function deadlineSubject(what, lastFailure) {
    return lastFailure === undefined ? what : `${what} (the attempt before failed: ${lastFailure})`;
}
async function withDeadline(deadline, deadlineError, signal, fn) {
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    const timer = setTimeout(() => controller.abort(deadlineError()), deadline.remaining());
    signal.addEventListener('abort', stop, { once: true });
    try {
        if (signal.aborted)
            stop();
        return await fn(controller.signal);
    }
    finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
    }
}

;// CONCATENATED MODULE: ./actions/build-push/src/builders/work-dir.ts



/**
 * A private directory (mode 0700, as mkdtemp makes it) for one build's files — the image ID, the
 * builder's metadata, secrets written for the builder — under the runner's temp directory, which the
 * runner empties after the job; removed as soon as the build ends, however it ends.
 */
async function withWorkDir(fn) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(runnerTemp(), 'gantry-build-'));
    try {
        return await fn(dir);
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
function runnerTemp() {
    return process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
}

;// CONCATENATED MODULE: ./actions/build-push/src/builders/buildah.ts











const PROGRAM = 'buildah';
const INSTALL_HINT = 'install buildah, for example with `apt-get install -y buildah`';
const IID_FILE = 'image-id';
/** A multi-platform build without tags still needs a name for its manifest list. */
const UNTAGGED_LIST = 'localhost/gantry-build:latest';
function buildahBuilder(options = {}) {
    const insecure = new Set(options.insecureRegistries ?? []);
    return {
        name: PROGRAM,
        // buildah's timestamps follow --timestamp on every version this action supports: nothing to ask.
        prepare: () => Promise.resolve({ notes: [] }),
        command: buildCommand,
        build: (request, buildOptions) => build(request, buildOptions, insecure),
        runnerLogins: () => ({ files: defaultAuthFiles(), credsStore: false }),
    };
}
/**
 * The files buildah reads credentials from when no --authfile is given, in its order (containers/image,
 * pkg/docker/config): REGISTRY_AUTH_FILE alone when set, else the `buildah login` files, then docker's.
 */
function defaultAuthFiles() {
    const env = process.env;
    if (env.REGISTRY_AUTH_FILE)
        return [env.REGISTRY_AUTH_FILE];
    const home = (0,external_node_os_.homedir)();
    return [
        (0,external_node_path_.join)(env.XDG_RUNTIME_DIR || `/run/containers/${process.getuid?.() ?? 0}`, 'containers', 'auth.json'),
        (0,external_node_path_.join)(env.XDG_CONFIG_HOME || (0,external_node_path_.join)(home, '.config'), 'containers', 'auth.json'),
        (0,external_node_path_.join)(env.DOCKER_CONFIG || (0,external_node_path_.join)(home, '.docker'), 'config.json'),
    ];
}
function buildCommand(request, paths) {
    const multiPlatform = request.platforms.length > 1;
    // Docker's format, as docker builds: the OCI format drops HEALTHCHECK, SHELL and ONBUILD.
    const args = ['build', '--format', 'docker'];
    // buildah refuses an iidfile for several images. Its layer cache ignores the platform for `FROM
    // scratch` stages (1.28 reused the amd64 layers for arm64, and the list lost a platform), so a
    // multi-platform build does without it.
    if (!multiPlatform)
        args.push('--iidfile', (0,external_node_path_.join)(paths.workDir, IID_FILE), '--layers');
    if (request.file)
        args.push('--file', request.file);
    if (request.target)
        args.push('--target', request.target);
    for (const [name, value] of Object.entries(request.buildArgs))
        args.push('--build-arg', `${name}=${value}`);
    for (const [name, value] of Object.entries(request.labels))
        args.push('--label', `${name}=${value}`);
    request.secrets.forEach((secret, index) => {
        args.push('--secret', secretFlag(secret, index, paths.workDir));
    });
    args.push(...settingsArgs(request.settings));
    if (request.platforms.length > 0)
        args.push('--platform', request.platforms.join(','));
    if (multiPlatform)
        args.push('--manifest', manifestList(request));
    else
        for (const tag of request.tags)
            args.push('--tag', tag);
    if (request.sourceDateEpoch !== undefined)
        args.push('--timestamp', String(request.sourceDateEpoch));
    if (request.noCache)
        args.push('--no-cache');
    // Plain `--pull` is buildah's default ("if newer"); docker's `--pull` means always.
    if (request.pull)
        args.push('--pull=always');
    if (paths.authFile)
        args.push('--authfile', paths.authFile);
    args.push(request.context);
    return { command: PROGRAM, args, env: {} };
}
/** A secret given as a value is written to a file in the build's private directory, named by position. */
function secretFlag(secret, index, workDir) {
    if (secret.value !== undefined)
        return `id=${secret.id},src=${(0,external_node_path_.join)(workDir, `secret-${index}`)}`;
    if (secret.file !== undefined)
        return `id=${secret.id},src=${secret.file}`;
    if (secret.env !== undefined)
        return `id=${secret.id},env=${secret.env}`;
    throw new errors/* ActionError */.lZ(`the build secret "${secret.id}" has neither a value, a file nor a variable`);
}
/**
 * build-push-action's inputs that buildah has a flag for (inputs.ts refused the others). buildx's
 * `network: default` is buildah's default network, which has no name of its own there.
 */
function settingsArgs(settings) {
    const args = [];
    for (const host of settings.addHosts)
        args.push('--add-host', host);
    for (const context of settings.buildContexts)
        args.push('--build-context', context);
    if (settings.cgroupParent)
        args.push('--cgroup-parent', settings.cgroupParent);
    if (settings.network && settings.network !== 'default')
        args.push('--network', settings.network);
    if (settings.shmSize)
        args.push('--shm-size', settings.shmSize);
    for (const ssh of settings.ssh)
        args.push('--ssh', ssh);
    for (const ulimit of settings.ulimits)
        args.push('--ulimit', ulimit);
    for (const output of settings.outputs)
        args.push('--output', output);
    return args;
}
function manifestList(request) {
    return request.tags[0] ?? UNTAGGED_LIST;
}
async function build(request, options, insecure) {
    warnAboutIgnoredInputs(request);
    if (request.push && request.tags.length === 0)
        throw new errors/* ActionError */.lZ('nothing to push: there are no tags');
    const { signal } = options;
    const multiPlatform = request.platforms.length > 1;
    return withWorkDir(async (workDir) => {
        const secretValues = await writeSecretFiles(request, workDir);
        const listId = multiPlatform ? await createManifestList(manifestList(request), signal) : undefined;
        const { command, args, env } = buildCommand(request, { workDir, authFile: options.authFile });
        const result = await exec(command, args, {
            env,
            signal,
            secrets: secretValues,
            installHint: INSTALL_HINT,
            captureStdout: true,
        });
        const imageId = listId ?? (await readNonEmpty((0,external_node_path_.join)(workDir, IID_FILE), 'the image ID'));
        const source = multiPlatform ? manifestList(request) : imageId;
        const pushed = [];
        if (request.push) {
            // One deadline for every push, started now: the build's own time does not count against it.
            const deadline = new Deadline(options.pushTimeoutMs, `pushing ${request.tags.join(', ')}`);
            for (const [index, tag] of request.tags.entries()) {
                const digestFile = (0,external_node_path_.join)(workDir, `digest-${index}`);
                const registry = registryOf(tag);
                const args = pushArgs(source, tag, {
                    multiPlatform,
                    digestFile,
                    authFile: options.authFile,
                    verifyTls: !insecure.has(registry),
                });
                await pushWithRetry(`pushing ${tag} to ${registry}`, (attemptSignal) => exec(PROGRAM, args, { signal: attemptSignal, installHint: INSTALL_HINT }), { deadline, signal });
                pushed.push({ tag, digest: await readNonEmpty(digestFile, `the digest buildah pushed for ${tag}`) });
            }
        }
        return outcome(request, imageId, pushed, cacheUse(result.stdout));
    });
}
function pushArgs(source, tag, options) {
    // `buildah push` of a manifest list pushes one of its images only: lists go through `manifest push`,
    // kept in docker's format like the images (it would make an OCI index of it otherwise).
    // `buildah push` retries network errors 3 times by itself (1.28 ignores `--retry`), 2 s apart by
    // default: kept quick, so that push-retry's backoff and deadline decide how long a push may take.
    const args = options.multiPlatform
        ? ['manifest', 'push', '--all', '--format', 'v2s2']
        : ['push', '--retry-delay', '100ms'];
    args.push('--digestfile', options.digestFile);
    if (options.authFile)
        args.push('--authfile', options.authFile);
    if (!options.verifyTls)
        args.push('--tls-verify=false');
    args.push(source, `docker://${tag}`);
    return args;
}
async function writeSecretFiles(request, workDir) {
    const values = [];
    for (const [index, secret] of request.secrets.entries()) {
        if (secret.value === undefined)
            continue;
        (0,runner_secrets/* maskSecret */.$l)(secret.value);
        values.push(secret.value);
        await (0,promises_.writeFile)((0,external_node_path_.join)(workDir, `secret-${index}`), secret.value, { mode: 0o600, flag: 'wx' });
    }
    return values;
}
/**
 * A fresh, empty manifest list for `build --manifest` to add to, and its image ID: a list has no
 * iidfile, and the ID `manifest create` prints stays the list's as images are added. Asking
 * `buildah images` for it afterwards fails (1.28) when an instance's digest is also that of another
 * image in storage, as a rebuild of unchanged content with the same --timestamp is: libimage then
 * reads the instance's manifest from the list's own record, where it is not.
 */
async function createManifestList(list, signal) {
    // `--manifest` adds to a list of that name: a list left by an earlier run would be pushed too.
    await exec(PROGRAM, ['manifest', 'rm', list], { ignoreReturnCode: true, silent: true, signal });
    const { stdout } = await exec(PROGRAM, ['manifest', 'create', list], {
        captureStdout: true,
        silent: true,
        signal,
        installHint: INSTALL_HINT,
    });
    const id = stdout.trim().split('\n').at(-1) ?? '';
    if (!/^[a-f0-9]{64}$/.test(id)) {
        throw new errors/* ActionError */.lZ(`buildah created the manifest list ${list} but printed no image ID ("${stdout.trim()}")`);
    }
    return `sha256:${id}`;
}
async function readNonEmpty(file, what) {
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
    if (text.trim() === '') {
        throw new errors/* ActionError */.lZ(`buildah did not report ${what} (${file} is missing or empty)`);
    }
    return text.trim();
}
function registryOf(tag) {
    const parsed = parseImageReference(tag);
    if (!parsed.ok)
        throw new errors/* ActionError */.lZ(`"${tag}" is not an image reference: ${parsed.reason}`);
    return parsed.value.registry;
}
/** buildah reports each build step, and `--> Using cache <id>` for the steps its layer cache served. */
function cacheUse(output) {
    return {
        steps: (output.match(/^STEP \d+\/\d+:/gm) ?? []).length,
        hits: (output.match(/^--> Using cache /gm) ?? []).length,
    };
}
function outcome(request, imageId, pushed, cache) {
    const digest = pushed[0]?.digest;
    const differing = pushed.filter((push) => push.digest !== digest);
    if (differing.length > 0) {
        // A registry may store another manifest format than the one built (buildah converts as needed).
        log/* warning */.$e(`the pushed digests differ: ${pushed.map((push) => `${push.tag} ${push.digest}`).join(', ')}; ` +
            `the digest output is the first`);
    }
    // The keys buildx writes to its metadata file where they mean the same, so consumers need not care.
    const metadata = {
        'image.name': request.tags.join(','),
        'buildah.image-id': imageId,
        'buildah.steps': cache.steps,
        'buildah.cache-hits': cache.hits,
    };
    if (digest !== undefined) {
        metadata['containerimage.digest'] = digest;
        metadata['buildah.pushed'] = pushed;
    }
    return { imageId, digest, metadata };
}
function warnAboutIgnoredInputs(request) {
    const ignored = [...(request.provenance ? ['provenance'] : []), ...(request.sbom ? ['sbom'] : [])];
    if (ignored.length === 0)
        return;
    log/* warning */.$e(`buildah does not support ${ignored.join(', ')}: ignored. It makes no attestations, and it caches ` +
        `layers in its local storage (--layers) instead of exporting a cache.`);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: ./actions/build-push/src/builders/buildkit-version.ts
const VERSION_LINE = /^\s*Build[Kk]it(?: version)?:\s*(\S+)\s*$/m;
function parseBuildkitVersion(inspectOutput) {
    const text = VERSION_LINE.exec(inspectOutput)?.[1];
    const numbers = text === undefined ? undefined : /^v?(\d+)\.(\d+)/.exec(text);
    if (text === undefined || !numbers)
        return undefined;
    return { text, major: Number(numbers[1]), minor: Number(numbers[2]) };
}
function rewritesTimestamps(version) {
    return version.major > 0 || version.minor >= 13;
}

;// CONCATENATED MODULE: ./actions/build-push/src/builders/docker.ts













const docker_PROGRAM = 'docker';
const docker_INSTALL_HINT = 'set up docker buildx first, for example with docker/setup-buildx-action';
const docker_IID_FILE = 'image-id';
const METADATA_FILE = 'metadata.json';
function dockerBuilder(options = {}) {
    const configDir = () => options.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.docker');
    // Until `prepare` finds an older BuildKit, exports rewrite the layers' file times (BuildKit >= 0.13).
    const exporter = { rewriteTimestamp: true };
    return {
        name: docker_PROGRAM,
        prepare: async (signal) => {
            const readiness = await checkBuildkit(signal);
            exporter.rewriteTimestamp = readiness.rewriteTimestamp;
            return readiness;
        },
        // A push is a build, then the same command again with --push (see `build`): the build is shown.
        command: (request, paths) => docker_buildCommand(request.push ? buildPhase(request) : request, paths, configDir(), exporter),
        build: (request, buildOptions) => docker_build(request, buildOptions, configDir(), exporter),
        runnerLogins: () => ({ files: [(0,external_node_path_.join)(configDir(), 'config.json')], credsStore: true }),
    };
}
function docker_buildCommand(request, paths, runnerConfigDir, exporter) {
    const env = {};
    const { settings } = request;
    const args = ['buildx', 'build'];
    for (const host of settings.addHosts)
        args.push('--add-host', host);
    for (const entitlement of settings.allow)
        args.push('--allow', entitlement);
    for (const annotation of settings.annotations)
        args.push('--annotation', annotation);
    for (const [name, value] of Object.entries(request.buildArgs))
        args.push('--build-arg', `${name}=${value}`);
    for (const context of settings.buildContexts)
        args.push('--build-context', context);
    const scope = defaultCacheScope(request.tags);
    for (const entry of request.cacheFrom)
        args.push('--cache-from', withGhaScope(entry, scope));
    for (const entry of request.cacheTo)
        args.push('--cache-to', withGhaScope(entry, scope));
    if (settings.call)
        args.push('--call', settings.call);
    if (settings.cgroupParent)
        args.push('--cgroup-parent', settings.cgroupParent);
    // Values travel in the environment of the docker process alone (build-push-action's `secret-envs`).
    request.secrets.forEach((secret, index) => {
        if (secret.env !== undefined) {
            args.push('--secret', `id=${secret.id},env=${secret.env}`);
            return;
        }
        if (secret.value === undefined)
            return;
        const name = `GANTRY_SECRET_${index}`;
        (0,runner_secrets/* maskSecret */.$l)(secret.value);
        env[name] = secret.value;
        args.push('--secret', `id=${secret.id},env=${name}`);
    });
    if (request.file)
        args.push('--file', request.file);
    // build-push-action's rule: the local and tar exporters write files, not an image with an ID.
    if (!settings.outputs.some((output) => /(?:^|,)type=(?:local|tar)(?:,|$)|^[^=]+$/.test(output))) {
        args.push('--iidfile', (0,external_node_path_.join)(paths.workDir, docker_IID_FILE));
    }
    for (const [name, value] of Object.entries(request.labels))
        args.push('--label', `${name}=${value}`);
    for (const filter of settings.noCacheFilters)
        args.push('--no-cache-filter', filter);
    for (const output of settings.outputs)
        args.push('--output', output);
    const rewrite = exporter.rewriteTimestamp && request.sourceDateEpoch !== undefined ? ',rewrite-timestamp=true' : '';
    // Without an export buildx reports no image ID (docker/buildx#1712); this one keeps the image in the
    // builder's store (with the docker driver, the daemon's) and pushes nothing. --load exports already.
    if (request.reportImageId && !request.push && !request.load && settings.outputs.length === 0) {
        args.push('--output', `type=image,push=false${rewrite}`);
    }
    if (request.platforms.length > 0)
        args.push('--platform', request.platforms.join(','));
    args.push(...attestArgs(request));
    request.secrets.forEach((secret) => {
        if (secret.value === undefined && secret.file !== undefined) {
            args.push('--secret', `id=${secret.id},src=${secret.file}`);
        }
        else if (secret.value === undefined && secret.env === undefined) {
            throw new errors/* ActionError */.lZ(`the build secret "${secret.id}" has neither a value, a file nor a variable`);
        }
    });
    if (settings.shmSize)
        args.push('--shm-size', settings.shmSize);
    for (const ssh of settings.ssh)
        args.push('--ssh', ssh);
    for (const tag of request.tags)
        args.push('--tag', tag);
    if (request.target)
        args.push('--target', request.target);
    for (const ulimit of settings.ulimits)
        args.push('--ulimit', ulimit);
    // --load and --push are buildx's shorthands for these exporters, which take no options.
    if (request.load)
        args.push(...(rewrite ? ['--output', `type=docker${rewrite}`] : ['--load']));
    args.push('--metadata-file', (0,external_node_path_.join)(paths.workDir, METADATA_FILE));
    if (settings.network)
        args.push('--network', settings.network);
    if (request.noCache)
        args.push('--no-cache');
    if (request.pull)
        args.push('--pull');
    if (request.push)
        args.push(...(rewrite ? ['--output', `type=registry${rewrite}`] : ['--push']));
    args.push(request.context);
    // buildx passes SOURCE_DATE_EPOCH to BuildKit, which stamps the image config and history with it.
    if (request.sourceDateEpoch !== undefined)
        env.SOURCE_DATE_EPOCH = String(request.sourceDateEpoch);
    if (paths.authFile) {
        env.DOCKER_CONFIG = (0,external_node_path_.dirname)(paths.authFile);
        // Builders made by docker/setup-buildx-action are kept under the runner's config directory.
        env.BUILDX_CONFIG = process.env.BUILDX_CONFIG ?? (0,external_node_path_.join)(runnerConfigDir, 'buildx');
    }
    return { command: docker_PROGRAM, args, env };
}
/**
 * provenance and sbom are explicit either way: buildx adds provenance by default, which turns a
 * single-platform image into a manifest list; when asked for, the default (min) mode, which leaves
 * build arguments out. An `attests` entry of the same type replaces the `false` (the inputs take
 * precedence only when true, as in build-push-action).
 */
function attestArgs(request) {
    const { attests } = request.settings;
    const isType = (attest, type) => new RegExp(`(?:^|,)type=${type}(?:,|$)`).test(attest);
    const args = [];
    const provenanceAttest = attests.some((attest) => isType(attest, 'provenance'));
    const sbomAttest = attests.some((attest) => isType(attest, 'sbom'));
    if (request.provenance || !provenanceAttest)
        args.push(request.provenance ? '--provenance=true' : '--provenance=false');
    if (request.sbom || !sbomAttest)
        args.push(request.sbom ? '--sbom=true' : '--sbom=false');
    for (const attest of attests) {
        if (request.provenance && isType(attest, 'provenance'))
            continue;
        if (request.sbom && isType(attest, 'sbom'))
            continue;
        args.push('--attest', attest);
    }
    return args;
}
/**
 * Asks BuildKit's version (build-push-action's toolkit does the same): rewrite-timestamp needs 0.13.
 * A builder that cannot be asked is not a reason to fail here; the build will say what is wrong.
 */
async function checkBuildkit(signal) {
    let output;
    try {
        output = (await exec(docker_PROGRAM, ['buildx', 'inspect', '--bootstrap'], {
            signal,
            captureStdout: true,
            silent: true,
            installHint: docker_INSTALL_HINT,
        })).stdout;
    }
    catch (error) {
        if (signal.aborted)
            throw error;
        return {
            rewriteTimestamp: false,
            notes: [
                `BuildKit's version could not be read (docker buildx inspect: ${error.message}), so the layers keep the checkout's file times: a re-run of this commit builds a different image.`,
            ],
        };
    }
    const version = parseBuildkitVersion(output);
    if (version && rewritesTimestamps(version))
        return { rewriteTimestamp: true, notes: [] };
    return {
        rewriteTimestamp: false,
        notes: [
            `BuildKit ${version?.text ?? '(version not reported)'} is older than 0.13, which cannot rewrite the layers' file times (rewrite-timestamp): ` +
                'a re-run of this commit builds a different image, so it cannot match the image an immutable tag already holds. Update BuildKit (docker/setup-buildx-action) to make re-runs reproducible.',
        ],
    };
}
/** The first image's name, so that images built in one repository keep apart in the gha cache. */
function defaultCacheScope(tags) {
    const first = tags[0] === undefined ? undefined : parseImageReference(tags[0]);
    return first?.ok ? first.value.name : undefined;
}
function withGhaScope(entry, scope) {
    const fields = entry.split(',').map((field) => field.trim());
    const isGha = fields.includes('type=gha');
    if (!isGha || scope === undefined || fields.some((field) => field.startsWith('scope=')))
        return entry;
    return `${entry},scope=${scope}`;
}
async function docker_build(request, options, runnerConfigDir, exporter) {
    return withWorkDir(async (workDir) => {
        const paths = { workDir, authFile: options.authFile };
        if (options.authFile)
            await linkCliPlugins((0,external_node_path_.dirname)(options.authFile), runnerConfigDir);
        const secrets = request.secrets.flatMap((secret) => (secret.value === undefined ? [] : [secret.value]));
        const run = (phase, signal) => {
            const { command, args, env } = docker_buildCommand(phase, paths, runnerConfigDir, exporter);
            return exec(command, args, { env, signal, secrets, installHint: docker_INSTALL_HINT });
        };
        // The build is bounded by the step's cancellation alone: cutting a long build short at the push
        // deadline would be wrong, so it runs before the deadline starts.
        await run(request.push ? buildPhase(request) : request, options.signal);
        if (request.push) {
            // Pushing starts now, and the deadline with it. Each run finds every step in the builder's cache
            // and goes straight to pushing; pushWithRetry stops a run that hangs at the deadline.
            const what = `pushing ${request.tags.join(', ')}`;
            await pushWithRetry(what, (signal) => run(pushPhase(request), signal), {
                deadline: new Deadline(options.pushTimeoutMs, what),
                signal: options.signal,
                classify: pushFailure,
            });
        }
        const metadata = await readMetadata((0,external_node_path_.join)(workDir, METADATA_FILE));
        const imageId = await readImageId((0,external_node_path_.join)(workDir, docker_IID_FILE), metadata, request);
        const digest = metadata['containerimage.digest'];
        if (request.push && (typeof digest !== 'string' || digest === '')) {
            throw new errors/* ActionError */.lZ('docker buildx pushed, but its metadata file has no containerimage.digest');
        }
        return { imageId, digest: request.push ? digest : undefined, metadata };
    });
}
/**
 * The build of a push: everything the user asked for (cache export, --no-cache, --pull, --load)
 * except the push, with the image exported to the builder's own store so that its layers are
 * compressed, and its ID known, before pushing starts.
 */
function buildPhase(request) {
    return { ...request, push: false, reportImageId: true };
}
/**
 * The push: the same build, so it is served from the builder's cache, without what must happen once
 * (cache export, loading) and without what would defeat the cache (--no-cache; --pull, which could
 * find a newer base image than the build used).
 */
function pushPhase(request) {
    return { ...request, cacheTo: [], noCache: false, pull: false, load: false };
}
/**
 * With buildx's docker-container driver, a build that exports nothing leaves an empty iidfile
 * (docker/buildx#1712): no image ID is then an answer, not a failure, unless an export was asked for.
 */
async function readImageId(file, metadata, request) {
    const written = (await (0,promises_.readFile)(file, 'utf8').catch(() => '')).trim();
    const configDigest = metadata['containerimage.config.digest'];
    const imageId = written || (typeof configDigest === 'string' ? configDigest : '');
    if (imageId !== '')
        return imageId;
    const exportsFiles = request.settings.outputs.length > 0 || request.settings.call !== undefined;
    if (!exportsFiles && (request.push || request.load || request.reportImageId)) {
        throw new errors/* ActionError */.lZ('docker buildx exported the image but reported no image ID (iidfile and metadata file)');
    }
    log/* info */.pq('docker buildx exported nothing (push and load are false), so it reports no image ID: the imageid output is empty.');
    return undefined;
}
function pushFailure(error) {
    if (!(error instanceof ExecError) || !error.stderrTail.some((line) => /failed to push/i.test(line))) {
        return { transient: false };
    }
    return classifyPushFailure(error);
}
async function readMetadata(file) {
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
    if (text.trim() === '')
        return {};
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`docker buildx wrote a metadata file that is not JSON (${file})`, { cause: error });
    }
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
}
/**
 * With DOCKER_CONFIG pointing at the credentials' directory, docker would no longer see the plugins
 * installed for the runner's user (setup-buildx-action puts a pinned buildx there), nor the docker
 * contexts that the copied `currentContext` names: link them in.
 */
async function linkCliPlugins(authDir, runnerConfigDir) {
    for (const name of ['cli-plugins', 'contexts']) {
        const source = (0,external_node_path_.join)(runnerConfigDir, name);
        if (!(0,external_node_fs_.existsSync)(source))
            continue;
        try {
            await (0,promises_.symlink)(source, (0,external_node_path_.join)(authDir, name));
        }
        catch (error) {
            // An earlier build with the same credentials linked them already.
            if (error.code !== 'EEXIST')
                throw error;
        }
    }
}

;// CONCATENATED MODULE: ./actions/build-push/src/credentials/auth-file.ts




/** Docker Hub's credentials live under its legacy v1 URL, the one key every client looks up. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DIR_PREFIX = 'gantry-auth-';
const FILE_NAME = 'config.json';
/** Writes the file and returns its path. A registry given twice keeps its last credentials. */
async function writeAuthFile(credentials, dir, runner) {
    const ours = new Map();
    for (const { registry, username, password } of credentials) {
        (0,runner_secrets/* maskSecret */.$l)(password);
        const auth = Buffer.from(`${username}:${password}`).toString('base64');
        (0,runner_secrets/* maskSecret */.$l)(auth);
        ours.set(authKey(registry), { auth });
    }
    const config = await readRunnerLogins(runner.files);
    // Any entry the runner has for one of our registries, under whatever spelling (`https://ghcr.io`,
    // a namespaced `ghcr.io/team`), would compete with ours: it goes.
    const isOurs = (key) => ours.has(authKey(key));
    config.auths = { ...withoutKeys(config.auths, isOurs), ...Object.fromEntries(ours) };
    const helpers = withoutKeys(config.credHelpers ?? {}, isOurs);
    if (runner.credsStore && config.credsStore !== undefined) {
        // docker asks a credsStore before the file, and gets nothing for our registries from it; an empty
        // helper for a registry sends docker to the file (docker/cli's getConfiguredCredentialStore).
        for (const key of ours.keys())
            helpers[key] = '';
    }
    else {
        delete config.credsStore;
    }
    if (Object.keys(helpers).length > 0)
        config.credHelpers = helpers;
    else
        delete config.credHelpers;
    const home = await (0,promises_.mkdtemp)((0,external_node_path_.join)(dir, DIR_PREFIX));
    const file = (0,external_node_path_.join)(home, FILE_NAME);
    await (0,promises_.writeFile)(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return file;
}
/**
 * Removes the file and the directory `writeAuthFile` made for it; a second call, or a call for a file
 * already gone, does nothing. A file anywhere else is removed alone, never its directory.
 */
async function removeAuthFile(path) {
    const home = (0,external_node_path_.dirname)(path);
    const ours = (0,external_node_path_.basename)(home).startsWith(DIR_PREFIX) && (0,external_node_path_.basename)(path) === FILE_NAME;
    await (0,promises_.rm)(ours ? home : path, { recursive: ours, force: true });
}
/**
 * `auths`, `credHelpers` and `credsStore` of the runner's files, merged in lookup order. A missing
 * file is the usual case (no login); one that cannot be read or parsed is left out with a warning,
 * because the build may still succeed without it.
 */
async function readRunnerLogins(files) {
    const merged = { auths: {} };
    for (const file of files) {
        const found = await readRunnerFile(file);
        if (found === undefined)
            continue;
        merged.auths = { ...record(found.auths), ...merged.auths };
        const helpers = Object.entries(record(found.credHelpers)).filter((entry) => typeof entry[1] === 'string');
        if (helpers.length > 0)
            merged.credHelpers = { ...Object.fromEntries(helpers), ...merged.credHelpers };
        if (typeof found.credsStore === 'string' && found.credsStore !== '') {
            merged.credsStore ??= found.credsStore;
        }
        // docker's own settings, from the first file that has them (only docker's config.json does).
        const proxies = record(found.proxies);
        if (Object.keys(proxies).length > 0)
            merged.proxies ??= proxies;
        if (typeof found.currentContext === 'string' && found.currentContext !== '') {
            merged.currentContext ??= found.currentContext;
        }
    }
    return merged;
}
async function readRunnerFile(file) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        log/* warning */.$e(`Could not read the runner's registry logins in ${file} (${error.message}): the build goes without them.`);
        return undefined;
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        log/* warning */.$e(`The runner's registry logins in ${file} are not a JSON object: the build goes without them.`);
        return undefined;
    }
    return parsed;
}
function record(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : {};
}
function withoutKeys(entries, drop) {
    return Object.fromEntries(Object.entries(entries).filter(([key]) => !drop(key)));
}
function authKey(registry) {
    const host = registry
        .trim()
        .replace(/^https?:\/\//i, '')
        .replace(/\/.*$/, '')
        .toLowerCase();
    return DOCKER_HUB_NAMES.has(host) ? DOCKER_HUB_KEY : host;
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
class MapEntryError extends Error {
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
function parseKeyValueMap(text, options = {}) {
    const map = {};
    for (const entry of options.perLine ? parseLines(text) : parseList(text)) {
        const equals = entry.indexOf('=');
        if (equals < 0)
            throw new MapEntryError(entry, 'expected key=value');
        const key = entry.slice(0, equals).trim();
        if (key === '')
            throw new MapEntryError(entry, 'the key is empty');
        if (Object.hasOwn(map, key))
            throw new MapEntryError(entry, `the key "${key}" is given twice`);
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
class CsvError extends Error {
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
        (0,runner_secrets/* maskSecret */.$l)(value);
    if (options.required && value === '') {
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is required but was not given.`, { input: name });
    }
    return value;
}
function invalidInput(name, value, accepted, secret = false) {
    const shown = secret ? runner_secrets/* REDACTED */.XF : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
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

;// CONCATENATED MODULE: ./actions/build-push/src/build-settings.ts

const ANNOTATION = /^(?:(?:manifest|index|manifest-descriptor|index-descriptor)(?:\[[^\]]+\])?(?:,(?:manifest|index|manifest-descriptor|index-descriptor)(?:\[[^\]]+\])?)*:)?[^=:\s][^=:]*=/;
const SSH = /^[A-Za-z0-9_.-]+(?:=.+)?$/;
const NAME_VALUE = /^[A-Za-z0-9_.-]+=.+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ADD_HOST = /^[^\s:=]+[:=]\S+$/;
const SIZE = /^\d+(?:\.\d+)?[bkmg]?b?$/i;
const ULIMIT = /^[a-z]+=-?\d+(?::-?\d+)?$/;
const STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENTITLEMENT = /^(?:network\.host|security\.insecure|device(?:=.+)?)$/;
const CALL = /^(?:build|check|outline|targets)(?:,.+)?$/;
const NO_SPACE = /^\S+$/;
function readBuildSettings(builder) {
    const options = {
        ssh: checked('ssh', getList('ssh'), SSH, 'default or <id>[=<socket or key>], as in default or github=/path/to/key'),
        buildContexts: checked('build-contexts', getLines('build-contexts'), NAME_VALUE, 'name=<path, URL or docker-image://image> per line, as in alpine=docker-image://alpine:3.20'),
        annotations: checked('annotations', getLines('annotations'), ANNOTATION, '[<level>:]key=value per line, where a level is manifest, index, manifest-descriptor or index-descriptor'),
        outputs: readOutputs(),
        secretEnvs: readSecretEnvs(),
        addHosts: checked('add-hosts', getList('add-hosts'), ADD_HOST, 'host:ip entries, as in db.local:10.0.0.5'),
        network: optional('network', NO_SPACE, 'default, none, host, or a network name'),
        shmSize: optional('shm-size', SIZE, 'a size such as 64m or 2g'),
        ulimits: checked('ulimit', getLines('ulimit'), ULIMIT, 'name=soft[:hard] per line, as in nofile=1024:1024'),
        noCacheFilters: checked('no-cache-filters', getList('no-cache-filters'), STAGE, 'build stage names'),
        allow: checked('allow', getList('allow'), ENTITLEMENT, 'network.host, security.insecure or device entitlements'),
        attests: checked('attests', getLines('attests'), /(?:^|,)type=[a-z]+/, 'type=sbom|provenance,... per line'),
        cgroupParent: optional('cgroup-parent', NO_SPACE, 'a cgroup path'),
        call: optional('call', CALL, 'build, check, outline or targets (with buildx options after a comma)'),
    };
    if (builder === 'buildah')
        refuseForBuildah(options);
    return options;
}
function checked(name, entries, pattern, accepted) {
    for (const entry of entries)
        if (!pattern.test(entry))
            throw invalidInput(name, entry, accepted);
    return entries;
}
function optional(name, pattern, accepted) {
    const value = getOptionalString(name);
    if (value !== undefined && !pattern.test(value))
        throw invalidInput(name, value, accepted);
    return value;
}
/** buildx: `type=<exporter>,…` or a bare path (the local exporter). */
function readOutputs() {
    return checked('outputs', getLines('outputs'), /^(?:(?:[a-z-]+=[^,]*,)*type=[a-z]+(?:,.*)?|[^=,]+)$/, 'buildx exporters per line, as in type=local,dest=out or type=tar,dest=image.tar');
}
/** build-push-action's `secret-envs`: `id=VARIABLE`, the secret's value in that variable of the runner. */
function readSecretEnvs() {
    return getList('secret-envs').map((entry) => {
        const [id = '', env = ''] = entry.split('=', 2).map((part) => part.trim());
        if (!SECRET_ID.test(id) || !ENV_NAME.test(env)) {
            throw invalidInput('secret-envs', entry, 'id=VARIABLE entries, as in npm_token=NPM_TOKEN');
        }
        return { id, env };
    });
}
/** The inputs buildah has no flag for (1.28 and later): refused before anything runs. */
function refuseForBuildah(options) {
    const refuse = (name, value, reason) => {
        throw invalidInput(name, value, `${reason}; it needs builder: docker (buildx), and builder is buildah`);
    };
    if (options.annotations.length > 0) {
        refuse('annotations', options.annotations[0], 'buildah builds docker-format images, whose manifests carry no annotations (buildah drops them)');
    }
    if (options.noCacheFilters.length > 0)
        refuse('no-cache-filters', options.noCacheFilters.join(','), 'buildah has no --no-cache-filter');
    if (options.allow.length > 0)
        refuse('allow', options.allow.join(','), 'buildah has no entitlements (--allow)');
    if (options.attests.length > 0)
        refuse('attests', options.attests[0], 'buildah makes no attestations (--attest)');
    if (options.call !== undefined && options.call !== 'build')
        refuse('call', options.call, 'buildah has no --call');
    if (options.outputs.length > 1)
        refuse('outputs', options.outputs.join('\n'), 'buildah takes one --output');
    const [output] = options.outputs;
    if (output !== undefined && /(?:^|,)type=/.test(output) && !/(?:^|,)type=(?:local|tar)(?:,|$)/.test(output))
        refuse('outputs', output, 'buildah exports only type=local and type=tar (push with push: true)');
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/refs.ts
/** The parts of a Git ref (`GITHUB_REF`) the tag rules read; each is undefined for other kinds of ref. */
function branchOf(ref) {
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
function tagOf(ref) {
    return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}
/** `refs/pull/15/merge` -> `15` (metadata-action strips only a trailing `/merge`). */
function pullRequestOf(ref) {
    return ref.startsWith('refs/pull/') ? ref.slice('refs/pull/'.length).replace(/\/merge$/, '') : undefined;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/github-context.ts



/**
 * The commit an image built for this run is made of. For pull requests this is the head commit, not
 * GITHUB_SHA's merge commit: a merge commit exists nowhere but in this run, so a tag or label naming it
 * points at nothing a reader can find (metadata-action's DOCKER_METADATA_PR_HEAD_SHA=true, by default).
 */
function revisionOf(context) {
    return context.prHeadSha ?? context.sha;
}
async function readGitHubContext(env = process.env, now = new Date()) {
    const payload = await readPayload(env['GITHUB_EVENT_PATH']);
    const eventName = env['GITHUB_EVENT_NAME'] ?? '';
    const isPullRequest = eventName.startsWith('pull_request');
    const prNumber = integer(field(payload, 'number') ?? field(payload, 'pull_request', 'number'));
    // pull_request_target runs on the base branch's ref; metadata-action reads the PR's ref instead so
    // that type=ref,event=pr still names the pull request.
    const ref = eventName === 'pull_request_target' && prNumber !== undefined
        ? `refs/pull/${prNumber}/merge`
        : (env['GITHUB_REF'] ?? '');
    const sha = env['GITHUB_SHA'] ?? '';
    const prHeadSha = isPullRequest ? github_context_text(field(payload, 'pull_request', 'head', 'sha')) : undefined;
    const defaultBranch = github_context_text(field(payload, 'repository', 'default_branch')) ??
        (eventName === 'schedule' ? branchOf(ref) : undefined);
    return {
        eventName,
        ref,
        sha,
        repository: env['GITHUB_REPOSITORY'] ?? '',
        serverUrl: env['GITHUB_SERVER_URL'] || 'https://github.com',
        defaultBranch,
        prNumber: isPullRequest ? prNumber : undefined,
        prHeadSha,
        prBaseRef: isPullRequest ? github_context_text(field(payload, 'pull_request', 'base', 'ref')) : undefined,
        prHeadRef: isPullRequest ? github_context_text(field(payload, 'pull_request', 'head', 'ref')) : undefined,
        pushBaseRef: github_context_text(field(payload, 'base_ref')),
        commitDate: commitDate(payload, prHeadSha ?? sha) ?? now,
        now,
        runNumber: integer(env['GITHUB_RUN_NUMBER']),
        repositoryName: github_context_text(field(payload, 'repository', 'name')),
        repositoryDescription: github_context_text(field(payload, 'repository', 'description')),
        repositoryUrl: github_context_text(field(payload, 'repository', 'html_url')),
        license: github_context_text(field(payload, 'repository', 'license', 'spdx_id')),
    };
}
async function readPayload(path) {
    if (!path)
        return {};
    let content;
    try {
        content = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        // @actions/github does the same: a run without an event file has an empty payload.
        if (error.code === 'ENOENT')
            return {};
        throw error;
    }
    try {
        return JSON.parse(content);
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`the event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON`, {
            cause: error,
        });
    }
}
/** As metadata-action: the pushed commit's own timestamp when the payload lists it, else unknown. */
function commitDate(payload, sha) {
    const commits = field(payload, 'commits');
    if (Array.isArray(commits)) {
        const commit = commits.find((item) => field(item, 'id') === sha);
        const timestamp = github_context_text(field(commit, 'timestamp'));
        if (timestamp)
            return validDate(timestamp);
    }
    if (field(payload, 'head_commit', 'id') === sha) {
        const timestamp = github_context_text(field(payload, 'head_commit', 'timestamp'));
        if (timestamp)
            return validDate(timestamp);
    }
    return undefined;
}
function validDate(timestamp) {
    const date = new Date(timestamp);
    return Number.isNaN(date.getTime()) ? undefined : date;
}
function field(value, ...path) {
    let current = value;
    for (const key of path) {
        if (typeof current !== 'object' || current === null)
            return undefined;
        current = current[key];
    }
    return current;
}
function github_context_text(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
function integer(value) {
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/expressions.ts


/**
 * metadata-action's global expressions, usable in the `prefix`, `suffix`, `value` and `enable` of a
 * tag rule, in the flavor's prefix and suffix, and in label values. Each value follows meta.ts.
 */
const GLOBAL_EXPRESSIONS = {
    branch: 'value',
    tag: 'value',
    sha: 'value',
    base_ref: 'value',
    is_default_branch: 'value',
    is_not_default_branch: 'value',
    date: 'date',
    commit_date: 'date',
};
/** A `type=schedule` pattern is rendered with the dates only, as metadata-action's procSchedule does. */
const DATE_EXPRESSIONS = { date: 'date', commit_date: 'date' };
const SHORT_SHA_LENGTH = 7;
function shortSha(sha) {
    return sha.slice(0, SHORT_SHA_LENGTH);
}
function expressionScope(context) {
    const isDefault = isDefaultBranch(context);
    return {
        values: {
            branch: branchOf(context.ref) ?? '',
            tag: tagOf(context.ref) ?? '',
            sha: shortSha(revisionOf(context)),
            base_ref: baseRef(context),
            is_default_branch: String(isDefault),
            is_not_default_branch: String(!isDefault),
        },
        dates: { date: context.now, commit_date: context.commitDate },
    };
}
function baseRef(context) {
    if (tagOf(context.ref) !== undefined && context.pushBaseRef !== undefined) {
        return context.pushBaseRef.replace(/^refs\/heads\//, '');
    }
    if (context.ref.startsWith('refs/pull/') && context.prBaseRef !== undefined)
        return context.prBaseRef;
    return '';
}
/**
 * meta.ts compares the ref with `refs/heads/` removed to the payload's default branch (so a tag or a
 * pull request ref is never the default branch), and counts the events GitHub only ever runs on the
 * default branch's last commit as on it.
 */
function isDefaultBranch(context) {
    const branch = context.ref.replace(/^refs\/heads\//, '');
    if (branch === '')
        return false;
    if (context.defaultBranch === branch)
        return true;
    return /create|discussion|issues|schedule/.test(context.eventName);
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/rule-fields.ts

const COMMENTED_LIST = { relaxQuotes: true, comment: '#', commentNoInfix: true };
/** Pass 1: the lines of an input, or why metadata-action would read them otherwise. */
function readRuleLines(text) {
    let records;
    try {
        records = parseCsv(text, COMMENTED_LIST);
    }
    catch (error) {
        if (error instanceof CsvError)
            return { ok: false, reason: error.message };
        throw error;
    }
    const lines = [];
    for (const record of records) {
        const lost = record.length > 1 ? record.find((field) => field.includes(',')) : undefined;
        if (lost !== undefined) {
            return {
                ok: false,
                reason: `the quoted field "${lost}" holds a comma, and metadata-action loses the quotes of a field ` +
                    `inside a line, so it would split there; quote the whole line instead: ${quoteLine(record)}`,
            };
        }
        const line = record.join(',').trim();
        if (line.startsWith('#')) {
            // metadata-action would read it as a raw tag (`# old` -> tag `-old`).
            return {
                ok: false,
                reason: `"${line}" is indented, and only a # at the very start of a line starts a comment for metadata-action; remove the spaces before it`,
            };
        }
        if (line !== '')
            lines.push(line);
    }
    return { ok: true, value: lines };
}
/** Pass 2: the fields of one line. */
function splitRuleFields(line) {
    let records;
    try {
        records = parseCsv(line);
    }
    catch (error) {
        if (error instanceof CsvError) {
            return {
                ok: false,
                reason: `${error.message} (to keep a comma in a value, write the whole line as one quoted field, as in "type=raw,""value=a,b""")`,
            };
        }
        throw error;
    }
    const fields = (records[0] ?? []).map((field) => {
        const equals = field.indexOf('=');
        if (equals < 0)
            return { key: undefined, value: field.trim() };
        return { key: field.slice(0, equals).trim().toLowerCase(), value: field.slice(equals + 1).trim() };
    });
    return { ok: true, value: fields };
}
/** `a,b,c` with the field holding commas quoted, all as one quoted CSV field. */
function quoteLine(record) {
    const inner = record.map((field) => (field.includes(',') ? csvQuote(field) : field)).join(',');
    return csvQuote(inner);
}
function csvQuote(text) {
    return `"${text.replace(/"/g, '""')}"`;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/date-format.ts
const MONTHS = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;
const pad = (value, width) => (value < 0 ? '-' : '') + String(Math.abs(value)).padStart(width, '0');
function ordinal(value) {
    const lastTwo = value % 100;
    if (lastTwo >= 11 && lastTwo <= 13)
        return `${value}th`;
    return `${value}${['th', 'st', 'nd', 'rd'][value % 10] ?? 'th'}`;
}
function offset(minutes, separator) {
    const sign = minutes < 0 ? '-' : '+';
    const absolute = Math.abs(minutes);
    return `${sign}${pad(Math.floor(absolute / 60), 2)}${separator}${pad(absolute % 60, 2)}`;
}
const TOKENS = {
    YYYYYY: (w) => (w.year < 0 ? '-' : '+') + pad(Math.abs(w.year), 6),
    YYYYY: (w) => pad(w.year, 5),
    YYYY: (w) => pad(w.year, 4),
    YY: (w) => pad(w.year % 100, 2),
    Y: (w) => (w.year <= 9999 ? pad(w.year, 4) : `+${w.year}`),
    Q: (w) => String(Math.ceil(w.month / 3)),
    Qo: (w) => ordinal(Math.ceil(w.month / 3)),
    M: (w) => String(w.month),
    Mo: (w) => ordinal(w.month),
    MM: (w) => pad(w.month, 2),
    MMM: (w) => MONTHS[w.month - 1].slice(0, 3),
    MMMM: (w) => MONTHS[w.month - 1],
    D: (w) => String(w.day),
    Do: (w) => ordinal(w.day),
    DD: (w) => pad(w.day, 2),
    DDD: (w) => String(w.dayOfYear),
    DDDo: (w) => ordinal(w.dayOfYear),
    DDDD: (w) => pad(w.dayOfYear, 3),
    d: (w) => String(w.weekday),
    do: (w) => ordinal(w.weekday),
    dd: (w) => DAYS[w.weekday].slice(0, 2),
    ddd: (w) => DAYS[w.weekday].slice(0, 3),
    dddd: (w) => DAYS[w.weekday],
    E: (w) => String(w.weekday === 0 ? 7 : w.weekday),
    W: (w) => String(w.isoWeek),
    Wo: (w) => ordinal(w.isoWeek),
    WW: (w) => pad(w.isoWeek, 2),
    GG: (w) => pad(w.isoWeekYear % 100, 2),
    GGGG: (w) => pad(w.isoWeekYear, 4),
    H: (w) => String(w.hour),
    HH: (w) => pad(w.hour, 2),
    h: (w) => String(w.hour % 12 || 12),
    hh: (w) => pad(w.hour % 12 || 12, 2),
    k: (w) => String(w.hour || 24),
    kk: (w) => pad(w.hour || 24, 2),
    m: (w) => String(w.minute),
    mm: (w) => pad(w.minute, 2),
    s: (w) => String(w.second),
    ss: (w) => pad(w.second, 2),
    a: (w) => (w.hour < 12 ? 'am' : 'pm'),
    A: (w) => (w.hour < 12 ? 'AM' : 'PM'),
    X: (w) => String(Math.floor(w.epochMs / 1000)),
    x: (w) => String(w.epochMs),
    Z: (w) => offset(w.offsetMinutes, ':'),
    ZZ: (w) => offset(w.offsetMinutes, ''),
};
// Longest alternatives first, as moment's own tokenizer; `[...]` and `\x` print literally.
const TOKEN_PATTERN = /\[([^[]*)\]|\\(.)|(YYYYYY|YYYYY|YYYY|YY|Qo|MMMM|MMM|Mo|MM|DDDD|DDDo|DDD|Do|DD|dddd|ddd|do|dd|Wo|WW|GGGG|GG|HH|hh|kk|mm|ss|S{1,9}|ZZ|[YQMDdEWHhkmsaAXxZ])|([A-Za-z])|([^A-Za-z[\\]+|.)/gsu;
// Letters moment reads as tokens that are not rendered here (locale week, era, zone name, `L` formats).
const UNSUPPORTED = new Set(['w', 'e', 'g', 'G', 'y', 'N', 'z', 'L', 'l']);
function compileDateFormat(format) {
    const parts = [];
    for (const match of format.matchAll(TOKEN_PATTERN)) {
        const [whole, bracketed, escaped, token, letter] = match;
        if (bracketed !== undefined)
            parts.push(bracketed);
        else if (escaped !== undefined)
            parts.push(escaped);
        else if (token !== undefined)
            parts.push(token.startsWith('S') ? fraction(token.length) : tokenFunction(token));
        else if (letter !== undefined && UNSUPPORTED.has(letter)) {
            return {
                ok: false,
                reason: `the date format "${format}" uses the moment token "${letter}", which is not supported ` +
                    '(supported: Y M D d E Q W GG H h k m s S a A X x Z and their ordinals; write letters as [text])',
            };
        }
        else
            parts.push(whole);
    }
    return { ok: true, value: parts };
}
function tokenFunction(token) {
    return TOKENS[token];
}
/** moment: `S` tenths, `SS` hundredths, `SSS` milliseconds, longer runs pad with zeros. */
function fraction(digits) {
    if (digits <= 3)
        return (w) => pad(Math.floor(w.millisecond / 10 ** (3 - digits)), digits);
    return (w) => pad(w.millisecond, 3) + '0'.repeat(digits - 3);
}
const formatters = new Map();
function zoneFormatter(timeZone) {
    let formatter = formatters.get(timeZone);
    if (!formatter) {
        formatter = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        });
        formatters.set(timeZone, formatter);
    }
    return formatter;
}
function isTimeZone(timeZone) {
    try {
        zoneFormatter(timeZone);
        return true;
    }
    catch {
        return false;
    }
}
function offsetMinutes(date, timeZone) {
    if (timeZone.toUpperCase() === 'UTC')
        return 0;
    const fields = {};
    for (const part of zoneFormatter(timeZone).formatToParts(date))
        fields[part.type] = Number(part.value);
    const asUtc = Date.UTC(fields['year'] ?? 0, (fields['month'] ?? 1) - 1, fields['day'] ?? 1, fields['hour'] ?? 0, fields['minute'] ?? 0, fields['second'] ?? 0);
    return Math.round((asUtc - (date.getTime() - date.getUTCMilliseconds())) / 60_000);
}
function wallClock(date, timeZone) {
    const minutes = offsetMinutes(date, timeZone);
    // The same instant shifted by the zone's offset reads the zone's calendar fields through getUTC*.
    const shifted = new Date(date.getTime() + minutes * 60_000);
    const year = shifted.getUTCFullYear();
    const weekday = shifted.getUTCDay();
    const midnight = Date.UTC(year, shifted.getUTCMonth(), shifted.getUTCDate());
    // ISO 8601: a week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
    const thursday = new Date(midnight + (3 - ((weekday + 6) % 7)) * DAY_MS);
    const isoWeekYear = thursday.getUTCFullYear();
    return {
        year,
        month: shifted.getUTCMonth() + 1,
        day: shifted.getUTCDate(),
        hour: shifted.getUTCHours(),
        minute: shifted.getUTCMinutes(),
        second: shifted.getUTCSeconds(),
        millisecond: shifted.getUTCMilliseconds(),
        weekday,
        dayOfYear: Math.round((midnight - Date.UTC(year, 0, 1)) / DAY_MS) + 1,
        offsetMinutes: minutes,
        epochMs: date.getTime(),
        isoWeek: Math.ceil(((thursday.getTime() - Date.UTC(isoWeekYear, 0, 1)) / DAY_MS + 1) / 7),
        isoWeekYear,
    };
}
function formatDate(date, format, timeZone) {
    const wall = wallClock(date, timeZone);
    let text = '';
    for (const part of format)
        text += typeof part === 'string' ? part : part(wall);
    return text;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/template.ts

class TemplateError extends Error {
}
const NAME = /^[A-Za-z_]\w*$/;
const ARGUMENTS = /(?:([A-Za-z_]\w*)=)?(?:'([^']*)'|"([^"]*)"|(\S+))/g;
function compileTemplate(source, helpers) {
    const segments = [];
    let position = 0;
    while (position < source.length) {
        const open = source.indexOf('{{', position);
        if (open < 0) {
            segments.push({ kind: 'text', text: source.slice(position) });
            break;
        }
        if (open > position)
            segments.push({ kind: 'text', text: source.slice(position, open) });
        const close = closingBraces(source, open + 2);
        segments.push(compileMustache(source.slice(open + 2, close), helpers));
        position = close + 2;
    }
    return { source, segments };
}
/** The index of the `}}` that closes a mustache, skipping quoted arguments (a format may hold `}`). */
function closingBraces(source, from) {
    let quote;
    for (let index = from; index < source.length; index++) {
        const char = source[index];
        if (quote) {
            if (char === quote)
                quote = undefined;
        }
        else if (char === "'" || char === '"') {
            quote = char;
        }
        else if (char === '}' && source[index + 1] === '}') {
            return index;
        }
    }
    throw new TemplateError(`"{{" at position ${from - 2} is not closed by "}}"`);
}
function compileMustache(inner, helpers) {
    const trimmed = inner.trim();
    if (trimmed.startsWith('{')) {
        throw new TemplateError(`"{{${inner}}}": triple braces are not supported; write {{name}}`);
    }
    const name = /^\S*/.exec(trimmed)?.[0] ?? '';
    const accepted = Object.keys(helpers)
        .map((helper) => `{{${helper}}}`)
        .join(', ');
    if (!NAME.test(name) || !Object.hasOwn(helpers, name)) {
        throw new TemplateError(`"{{${inner}}}" is not a known expression here (accepted: ${accepted})`);
    }
    const positional = [];
    const named = new Map();
    for (const [, key, single, double, bare] of trimmed.slice(name.length).matchAll(ARGUMENTS)) {
        if (bare !== undefined) {
            const [attribute, value] = key === undefined ? bare.split('=') : [key, bare];
            throw new TemplateError(value === undefined
                ? `"{{${inner}}}": the argument "${bare}" must be quoted, as in '${bare}'`
                : `"{{${inner}}}": ${attribute}= needs a quoted value, as in ${attribute}='${value || 'UTC'}'`);
        }
        const value = single ?? double ?? '';
        if (key === undefined)
            positional.push(value);
        else
            named.set(key, value);
    }
    if (helpers[name] === 'value') {
        if (positional.length > 0 || named.size > 0) {
            throw new TemplateError(`"{{${inner}}}": {{${name}}} takes no arguments`);
        }
        return { kind: 'value', name };
    }
    return compileDate(inner, name, positional, named);
}
function compileDate(inner, name, positional, named) {
    const usage = `{{${name} 'YYYYMMDD' tz='Europe/Paris'}} (a quoted moment format, tz optional, UTC by default)`;
    const [format] = positional;
    if (format === undefined || positional.length > 1) {
        throw new TemplateError(`"{{${inner}}}" needs exactly one quoted format: ${usage}`);
    }
    for (const key of named.keys()) {
        if (key !== 'tz')
            throw new TemplateError(`"{{${inner}}}": unknown attribute "${key}"; only tz= is accepted`);
    }
    const timeZone = named.get('tz') ?? 'UTC';
    if (!isTimeZone(timeZone)) {
        throw new TemplateError(`"{{${inner}}}": "${timeZone}" is not an IANA time zone such as Asia/Tokyo or UTC`);
    }
    const compiled = compileDateFormat(format);
    if (!compiled.ok)
        throw new TemplateError(compiled.reason);
    return { kind: 'date', name, format: compiled.value, timeZone };
}
function hasExpressions(template) {
    return template.segments.some((segment) => segment.kind !== 'text');
}
function renderTemplate(template, scope) {
    let text = '';
    for (const segment of template.segments) {
        if (segment.kind === 'text')
            text += segment.text;
        else if (segment.kind === 'value')
            text += escapeHtml(scope.values[segment.name] ?? '');
        else
            text += escapeHtml(formatDate(scope.dates[segment.name], segment.format, segment.timeZone));
    }
    return text;
}
const HTML_ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
};
/**
 * Handlebars HTML-escapes every `{{...}}` output, so metadata-action turns a branch `a&b` in
 * `value={{branch}}` into `a&amp;b` (then `a-amp-b` once sanitized); the same results need the same.
 */
function escapeHtml(text) {
    return /[&<>"'`=]/.test(text) ? text.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char]) : text;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/flavor.ts




const ACCEPTED = 'latest=auto|true|false, prefix=<text>[,onlatest=true|false], suffix=<text>[,onlatest=true|false]';
function flavor_fail(line, reason) {
    throw new errors/* ConfigurationError */.j1(`Input "flavor", entry "${line}": ${reason} (accepted: ${ACCEPTED}).`, {
        input: 'flavor',
    });
}
function parseFlavor(lines) {
    const flavor = {
        latest: 'auto',
        prefix: compileTemplate('', GLOBAL_EXPRESSIONS),
        prefixOnLatest: false,
        suffix: compileTemplate('', GLOBAL_EXPRESSIONS),
        suffixOnLatest: false,
    };
    for (const rawLine of lines) {
        const line = rawLine.trim();
        // `onlatest` applies to the prefix or suffix given before it on the same line.
        let lastAffix;
        const fields = splitRuleFields(line);
        if (!fields.ok)
            flavor_fail(line, fields.reason);
        for (const { key, value } of fields.value) {
            if (key !== undefined && value.includes('=')) {
                flavor_fail(line, `"${key}=${value}" holds a second "=", and metadata-action keeps only the text before it`);
            }
            switch (key) {
                case undefined:
                    flavor_fail(line, `"${value}" is not a key=value entry`);
                    break;
                case 'latest':
                    if (value !== 'auto' && value !== 'true' && value !== 'false')
                        flavor_fail(line, `latest "${value}" is not valid`);
                    flavor.latest = value === 'auto' ? 'auto' : value === 'true';
                    break;
                case 'prefix':
                case 'suffix':
                    flavor[key] = affix(line, key, value);
                    lastAffix = key;
                    break;
                case 'onlatest':
                    if (value !== 'true' && value !== 'false')
                        flavor_fail(line, `onlatest "${value}" must be true or false`);
                    if (lastAffix === undefined)
                        flavor_fail(line, 'onlatest= must follow a prefix= or suffix= on the same line');
                    flavor[lastAffix === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = value === 'true';
                    break;
                default:
                    flavor_fail(line, `unknown entry "${key}"`);
            }
        }
    }
    return flavor;
}
function affix(line, key, value) {
    try {
        return compileTemplate(value, GLOBAL_EXPRESSIONS);
    }
    catch (error) {
        if (error instanceof TemplateError)
            flavor_fail(line, `${key}: ${error.message}`);
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/images.ts

const IMAGES_ACCEPTED = 'repositories one a line (or comma-separated on one line), each either a name or name=<repository>,enable=true|false';
function parseImageLines(lines) {
    const split = [];
    for (const line of lines) {
        const fields = splitRuleFields(line);
        if (!fields.ok)
            return { ok: false, reason: `"${line}": ${fields.reason}` };
        split.push({ line, fields: fields.value });
    }
    const [only] = split;
    if (split.length === 1 && only && only.fields.every((field) => field.key === undefined)) {
        return {
            ok: true,
            value: only.fields
                .filter((field) => field.value !== '')
                .map((field) => ({ name: field.value.toLowerCase(), enable: true })),
        };
    }
    const images = [];
    for (const { line, fields } of split) {
        const image = parseImageLine(line, fields);
        if (!image.ok)
            return image;
        images.push(image.value);
    }
    return { ok: true, value: images };
}
function parseImageLine(line, fields) {
    let name;
    let enable = true;
    for (const { key, value } of fields) {
        if (key === undefined || key === 'name') {
            // metadata-action keeps the last name of a line; two names on one line are a mistake.
            if (name !== undefined)
                return { ok: false, reason: `"${line}" names two images; write one a line` };
            name = value.toLowerCase();
        }
        else if (key === 'enable') {
            if (value !== 'true' && value !== 'false') {
                return { ok: false, reason: `"${line}": enable "${value}" must be true or false` };
            }
            enable = value === 'true';
        }
        else {
            return { ok: false, reason: `"${line}": unknown attribute "${key}" (accepted: name, enable)` };
        }
    }
    if (!name)
        return { ok: false, reason: `"${line}" has no image name` };
    return { ok: true, value: { name, enable } };
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/tag-rules.ts




const DEFAULT_PRIORITY = {
    schedule: 1000,
    semver: 900,
    pep440: 900,
    match: 800,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const COMMON_ATTRIBUTES = ['enable', 'priority', 'prefix', 'suffix'];
const TYPE_ATTRIBUTES = {
    schedule: ['pattern'],
    semver: ['pattern', 'value', 'match'],
    pep440: ['pattern', 'value', 'match'],
    match: ['pattern', 'group', 'value'],
    edge: ['branch'],
    ref: ['event'],
    raw: ['value'],
    sha: ['format'],
};
const RULE_TYPES = Object.keys(DEFAULT_PRIORITY);
const REF_EVENTS = ['branch', 'tag', 'pr'];
const SHA_FORMATS = ['short', 'long'];
const SEMVER_PLACEHOLDERS = {
    version: 'value',
    major: 'value',
    minor: 'value',
    patch: 'value',
    raw: 'value',
};
/** metadata-action's rules when the input is empty. */
const DEFAULT_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
/** Parses the lines of readRuleLines, highest priority first (ties keep their input order). */
function parseTagRules(lines) {
    const given = lines.map((line) => line.trim()).filter((line) => line !== '');
    const rules = (given.length > 0 ? given : DEFAULT_RULES).map(parseRule);
    return rules.sort((a, b) => b.priority - a.priority);
}
function tag_rules_fail(source, reason) {
    throw new errors/* ConfigurationError */.j1(`Input "tags", rule "${source}": ${reason}.`, { input: 'tags' });
}
function parseRule(source) {
    const attributes = new Map();
    const fields = splitRuleFields(source);
    if (!fields.ok)
        tag_rules_fail(source, fields.reason);
    for (const { key, value } of fields.value) {
        const name = key ?? 'value';
        if (name === '')
            tag_rules_fail(source, `"=${value}" has no attribute name before "="`);
        if (attributes.has(name))
            tag_rules_fail(source, `the attribute "${name}" is given twice`);
        attributes.set(name, value);
    }
    const type = ruleType(source, attributes.get('type'));
    attributes.delete('type');
    const accepted = [...TYPE_ATTRIBUTES[type], ...COMMON_ATTRIBUTES];
    for (const name of attributes.keys()) {
        if (!accepted.includes(name)) {
            tag_rules_fail(source, `unknown attribute "${name}" for type=${type} (accepted: type, ${accepted.join(', ')})`);
        }
    }
    const attribute = (name) => attributes.get(name);
    const template = (name, text, helpers = GLOBAL_EXPRESSIONS) => {
        try {
            return compileTemplate(text, helpers);
        }
        catch (error) {
            if (error instanceof TemplateError)
                tag_rules_fail(source, `${name}: ${error.message}`);
            throw error;
        }
    };
    const prefixText = attribute('prefix') ?? defaultPrefix(type, attribute('event'));
    const suffixText = attribute('suffix');
    const common = {
        source,
        priority: priority(source, attribute('priority'), type),
        enable: enable(source, template('enable', attribute('enable') ?? 'true')),
        prefix: prefixText === undefined ? undefined : template('prefix', prefixText),
        suffix: suffixText === undefined ? undefined : template('suffix', suffixText),
    };
    switch (type) {
        case 'schedule':
            return {
                ...common,
                type,
                pattern: template('pattern', attribute('pattern') ?? 'nightly', DATE_EXPRESSIONS),
            };
        case 'semver':
        case 'pep440': {
            const pattern = versionPattern(source, type, attribute('pattern'), template);
            const only = pattern.segments.length === 1 ? pattern.segments[0] : undefined;
            const patternIsRaw = only?.kind === 'value' && only.name === 'raw';
            return {
                ...common,
                type,
                pattern,
                patternIsRaw,
                value: template('value', attribute('value') ?? ''),
                match: versionMatch(source, attribute('match')),
            };
        }
        case 'match':
            return {
                ...common,
                type,
                pattern: matchPattern(source, attribute('pattern')),
                group: group(source, attribute('group')),
                value: template('value', attribute('value') ?? ''),
            };
        case 'edge':
            return { ...common, type, branch: attribute('branch') ?? '' };
        case 'ref':
            return { ...common, type, event: oneOf(source, 'event', attribute('event'), REF_EVENTS) };
        case 'raw': {
            const value = attribute('value');
            if (value === undefined)
                tag_rules_fail(source, 'type=raw needs a value, as in type=raw,value=latest (or just latest)');
            return { ...common, type, value: template('value', value) };
        }
        case 'sha':
            return {
                ...common,
                type,
                format: oneOf(source, 'format', attribute('format') ?? 'short', SHA_FORMATS),
            };
    }
}
function ruleType(source, type) {
    if (type === undefined)
        return 'raw';
    if (!RULE_TYPES.includes(type)) {
        tag_rules_fail(source, `unknown type "${type}" (accepted: ${RULE_TYPES.join(', ')})`);
    }
    return type;
}
/** metadata-action: `type=sha` tags start `sha-` and `type=ref,event=pr` tags `pr-` unless prefix= is given. */
function defaultPrefix(type, event) {
    if (type === 'sha')
        return 'sha-';
    if (type === 'ref' && event === 'pr')
        return 'pr-';
    return undefined;
}
function priority(source, text, type) {
    if (text === undefined)
        return DEFAULT_PRIORITY[type];
    if (!/^-?\d+$/.test(text))
        tag_rules_fail(source, `priority "${text}" is not a whole number (the default is ${DEFAULT_PRIORITY[type]})`);
    return Number(text);
}
function enable(source, template) {
    if (!hasExpressions(template) && template.source !== 'true' && template.source !== 'false') {
        tag_rules_fail(source, `enable "${template.source}" must be true, false or an expression such as {{is_default_branch}}`);
    }
    return template;
}
function versionPattern(source, type, text, template) {
    const examples = '{{version}}, {{major}}.{{minor}}, {{major}}, {{minor}}, {{patch}} or {{raw}}';
    if (text === undefined)
        tag_rules_fail(source, `type=${type} needs a pattern, such as ${examples}`);
    const pattern = template('pattern', text, SEMVER_PLACEHOLDERS);
    if (!hasExpressions(pattern))
        tag_rules_fail(source, `pattern "${text}" has no {{...}} placeholder (use ${examples})`);
    return pattern;
}
/**
 * metadata-action takes group 1 of `String#match(match)`: the text is the body of a regular expression
 * without flags. Without a group 1 metadata-action fails on an undefined version, so it is refused here.
 */
function versionMatch(source, text) {
    if (text === undefined || text === '')
        return undefined;
    let pattern;
    try {
        pattern = new RegExp(text);
    }
    catch (error) {
        return tag_rules_fail(source, `match "${text}" is not a valid regular expression: ${error.message}`);
    }
    if (new RegExp(`${text}|`).exec('')?.length === 1) {
        tag_rules_fail(source, `match "${text}" has no capture group: the version is its group 1, as in match=v(\\d+\\.\\d+\\.\\d+)$`);
    }
    return pattern;
}
/** `/body/flags` is a regular expression with flags; anything else is the body of one without flags. */
function matchPattern(source, text) {
    if (text === undefined || text === '')
        tag_rules_fail(source, 'type=match needs a pattern, a regular expression such as \\d+\\.\\d+');
    const literal = /^\/(.+)\/(.*)$/.exec(text);
    try {
        return literal ? new RegExp(literal[1], literal[2]) : new RegExp(text);
    }
    catch (error) {
        return tag_rules_fail(source, `pattern "${text}" is not a valid regular expression: ${error.message}`);
    }
}
function group(source, text) {
    if (text === undefined)
        return 0;
    if (!/^\d+$/.test(text))
        tag_rules_fail(source, `group "${text}" is not a capture group number such as 0 or 1`);
    return Number(text);
}
function oneOf(source, name, text, accepted) {
    if (text === undefined)
        tag_rules_fail(source, `${name}= is required (accepted: ${accepted.join(', ')})`);
    if (!accepted.includes(text)) {
        tag_rules_fail(source, `${name} "${text}" is not one of ${accepted.join(', ')}`);
    }
    return text;
}

;// CONCATENATED MODULE: ./actions/build-push/src/inputs.ts











const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const inputs_SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const ACCOUNT_ID = /^\d{12}$/;
const CACHE_TYPES = ['registry', 'local', 'gha', 's3', 'azblob', 'inline'];
async function readInputs(workspace = process.cwd()) {
    const builder = getEnum('builder', ['docker', 'buildah'], 'docker');
    const build = readBuildSettings(builder);
    const secrets = readSecrets(workspace);
    // `call: check` (and outline, targets) evaluates the build without building it: nothing to push.
    const checksOnly = build.call !== undefined && !build.call.startsWith('build');
    const push = getBoolean('push', true) && !checksOnly;
    const load = getBoolean('load', false);
    const dryRun = getBoolean('dry-run', false);
    const images = readImages(push && !dryRun);
    if (build.outputs.length > 0 && (push || load)) {
        throw invalidInput(push ? 'push' : 'load', 'true', 'outputs already decides where the image goes (buildx would export it twice): set push and load to false with outputs');
    }
    for (const { id } of build.secretEnvs) {
        if (secrets.some((secret) => secret.id === id))
            throw invalidInput('secret-envs', id, 'this id is already given in secrets or secret-files');
    }
    if (checksOnly && load)
        throw invalidInput('load', 'true', `call: ${build.call} builds no image to load`);
    const provenance = getBoolean('provenance', false);
    const sbom = getBoolean('sbom', false);
    const platforms = readPlatforms();
    if (builder === 'buildah') {
        if (load)
            throw invalidInput('load', 'true', 'load is for the docker builder; buildah keeps images in its own store');
        if (provenance)
            throw invalidInput('provenance', 'true', 'attestations need the docker builder (buildx)');
        if (sbom)
            throw invalidInput('sbom', 'true', 'attestations need the docker builder (buildx)');
    }
    if (load && platforms.length > 1) {
        throw invalidInput('load', 'true', `the local image store cannot load ${platforms.length} platforms at once; build one platform to load`);
    }
    const context = getString('context', { default: '.' });
    return {
        images,
        separators: {
            tags: readSeparator('sep-tags'),
            labels: readSeparator('sep-labels'),
            annotations: readSeparator('sep-annotations'),
        },
        build,
        tagRules: parseTagRules(readMetadataLines('tags')),
        flavor: parseFlavor(readMetadataLines('flavor')),
        builder,
        context: readContext(context, workspace),
        file: readFile(workspace, context),
        target: readTarget(),
        buildArgs: readBuildArgs(),
        secrets,
        platforms,
        labels: readLabels(),
        cacheFrom: readCache('cache-from', builder),
        cacheTo: readCache('cache-to', builder),
        push,
        load,
        provenance,
        sbom,
        noCache: getBoolean('no-cache', false),
        pull: getBoolean('pull', false),
        registryType: getEnum('registry-type', ['auto', 'ecr', 'generic'], 'auto'),
        registryIds: readRegistryIds(),
        awsRegion: getOptionalString('aws-region'),
        createRepository: getBoolean('create-repository', false),
        scanOnPush: getBoolean('scan-on-push', false),
        tagMutability: getEnum('tag-mutability', ['MUTABLE', 'IMMUTABLE'], 'MUTABLE'),
        login: readLogin(),
        insecureRegistries: readInsecureRegistries(),
        pushTimeoutMs: getDuration('push-timeout', { default: 10 * 60_000, min: 1000, max: 6 * 3_600_000 }),
        dryRun,
    };
}
/** The lines of a metadata-action input, read as metadata-action reads them (see readRuleLines). */
function readMetadataLines(name) {
    const raw = getOptionalString(name) ?? '';
    const lines = readRuleLines(raw);
    if (!lines.ok)
        throw invalidInput(name, raw, lines.reason);
    return lines.value;
}
/** As metadata-action: untrimmed (a separator may be a space), newline when empty. */
function readSeparator(name) {
    return getInput(name, { trimWhitespace: false }) || '\n';
}
/** Images are needed to push; without push, none gives bare tags, as metadata-action without images. */
function readImages(pushing) {
    const entries = parseImageLines(readMetadataLines('images'));
    if (!entries.ok)
        throw invalidInput('images', getOptionalString('images') ?? '', `${entries.reason} (${IMAGES_ACCEPTED})`);
    const enabled = entries.value.filter((entry) => entry.enable);
    if (pushing && enabled.length === 0) {
        throw new errors/* ConfigurationError */.j1(entries.value.length === 0
            ? 'Input "images" is required to push: name the repositories to push to.'
            : 'Input "images" enables no image (every one has enable=false), so there is nowhere to push.', { input: 'images', hint: 'set push: false (or dry-run: true) to build without pushing' });
    }
    const images = [];
    for (const { name: text } of enabled) {
        const parsed = parseImageName(text);
        if (!parsed.ok)
            throw invalidInput('images', text, parsed.reason);
        if (images.some((image) => image.name === parsed.value.name)) {
            throw invalidInput('images', text, 'each repository may be listed once');
        }
        images.push(parsed.value);
    }
    return images;
}
function readSecrets(workspace) {
    const secrets = [];
    for (const [id, value] of Object.entries(getKeyValueMap('secrets', { secret: true, perLine: true }))) {
        if (!inputs_SECRET_ID.test(id))
            throw invalidInput('secrets', id, 'a secret id is letters, digits, _ . - (id=value)');
        if (value === '') {
            throw new errors/* ConfigurationError */.j1(`Input "secrets": the secret "${id}" has no value (expected id=value).`, {
                input: 'secrets',
                hint: 'an unset repository secret expands to an empty string: check that the secret exists',
            });
        }
        (0,runner_secrets/* maskSecret */.$l)(value);
        secrets.push({ id, value });
    }
    for (const [id, path] of Object.entries(getKeyValueMap('secret-files', { perLine: true }))) {
        if (!inputs_SECRET_ID.test(id))
            throw invalidInput('secret-files', id, 'a secret id is letters, digits, _ . - (id=path)');
        if (secrets.some((secret) => secret.id === id)) {
            throw invalidInput('secret-files', id, 'this id is already given in secrets');
        }
        const file = (0,external_node_path_.resolve)(workspace, path);
        if (!(0,external_node_fs_.existsSync)(file) || !(0,external_node_fs_.statSync)(file).isFile()) {
            throw invalidInput('secret-files', `${id}=${path}`, 'the file does not exist');
        }
        secrets.push({ id, file });
    }
    return secrets;
}
function readPlatforms() {
    const platforms = getList('platforms');
    for (const platform of platforms) {
        if (!PLATFORM.test(platform))
            throw invalidInput('platforms', platform, 'expected os/arch[/variant] like linux/amd64 or linux/arm/v7');
    }
    return platforms;
}
/** A remote context (a Git or HTTP URL) goes to the builder as it is; a local one must exist. */
function readContext(context, workspace) {
    if (/^(https?|git):\/\/|^git@/.test(context))
        return context;
    const path = (0,external_node_path_.resolve)(workspace, context);
    if (!(0,external_node_fs_.existsSync)(path) || !(0,external_node_fs_.statSync)(path).isDirectory()) {
        throw invalidInput('context', context, 'expected a directory (relative to the workspace) or a Git URL');
    }
    return path;
}
function readFile(workspace, context) {
    const file = getOptionalString('file');
    if (file === undefined)
        return undefined;
    const path = (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(workspace, file);
    if (!(0,external_node_fs_.existsSync)(path) || !(0,external_node_fs_.statSync)(path).isFile()) {
        throw invalidInput('file', file, `the Dockerfile does not exist (looked at ${path}; the context is ${(0,external_node_path_.join)(workspace, context)})`);
    }
    return path;
}
function readTarget() {
    const target = getOptionalString('target');
    if (target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
        throw invalidInput('target', target, 'expected a build stage name');
    }
    return target;
}
function readBuildArgs() {
    const args = getKeyValueMap('build-args', { perLine: true });
    for (const name of Object.keys(args)) {
        if (!BUILD_ARG_NAME.test(name))
            throw invalidInput('build-args', name, 'a build argument name is letters, digits and _');
    }
    return args;
}
function readLabels() {
    const labels = getKeyValueMap('labels', { perLine: true });
    for (const key of Object.keys(labels)) {
        if (!LABEL_KEY.test(key))
            throw invalidInput('labels', key, 'a label key is letters, digits, . _ / -');
    }
    return labels;
}
function readCache(name, builder) {
    // One entry per line: an entry is itself comma-separated (type=gha,mode=max).
    const entries = getLines(name);
    for (const entry of entries) {
        if (builder === 'buildah') {
            throw invalidInput(name, entry, 'buildah keeps its layer cache in its own storage (--layers); cache-from and cache-to need the docker builder');
        }
        const problem = cacheEntryProblem(entry);
        if (problem !== undefined)
            throw invalidInput(name, entry, problem);
    }
    return entries;
}
/**
 * buildx's reading of a cache entry (util/buildflags/cache.go): without any `=` it is a registry
 * reference, `type=registry,ref=<it>` (for --cache-from and --cache-to alike); otherwise its fields
 * must name a type, in any position.
 */
function cacheEntryProblem(entry) {
    if (!entry.includes('=')) {
        const bad = entry.split(',').find((ref) => !parseImageReference(ref.trim()).ok);
        return bad === undefined
            ? undefined
            : `"${bad.trim()}" is not a registry reference; expected buildx syntax like type=gha or type=registry,ref=<repository>:<tag>, or a bare <repository>:<tag>, one per line`;
    }
    const type = entry
        .split(',')
        .map((field) => field.trim())
        .find((field) => field.toLowerCase().startsWith('type='))
        ?.slice('type='.length);
    if (type === undefined)
        return 'the entry names no type=, which buildx requires when it has attributes';
    if (!CACHE_TYPES.includes(type))
        return `expected type=${CACHE_TYPES.join('|')},... in buildx syntax`;
    return undefined;
}
function readRegistryIds() {
    const ids = getList('registries');
    for (const id of ids) {
        if (!ACCOUNT_ID.test(id))
            throw invalidInput('registries', id, 'expected 12-digit AWS account IDs');
    }
    return ids;
}
function readLogin() {
    const username = getOptionalString('username');
    const password = getOptionalString('password', { secret: true });
    if (username === undefined && password === undefined)
        return undefined;
    if (username === undefined)
        throw new errors/* ConfigurationError */.j1('Input "password" is set but "username" is not: set both.', {
            input: 'username',
        });
    if (password === undefined)
        throw new errors/* ConfigurationError */.j1('Input "username" is set but "password" is not: set both.', {
            input: 'password',
        });
    return { username, password };
}
function readInsecureRegistries() {
    const registries = getList('insecure-registries');
    for (const registry of registries) {
        const parsed = parseImageName(`${registry}/probe`);
        if (!parsed.ok || parsed.value.registry !== registry) {
            throw invalidInput('insecure-registries', registry, 'expected registry hosts like localhost:5000 or 10.0.0.5:5000');
        }
    }
    return registries;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/annotations.ts
/**
 * metadata-action's `annotations` output: its OCI annotations (the same eight keys and values as the
 * generated labels) once per level in DOCKER_METADATA_ANNOTATIONS_LEVELS (comma-separated, `manifest`
 * by default), each line `<level>:<key>=<value>`, the form build-push-action's `annotations` input and
 * `docker buildx imagetools create --annotation` take.
 */
function annotationLines(annotations, levels = process.env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest') {
    return levels
        .split(',')
        .flatMap((level) => Object.entries(annotations).map(([key, value]) => `${level}:${key}=${value}`));
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/pep440.ts
const PATTERN = new RegExp('^v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$', 'i');
const LETTER_SPELLINGS = {
    alpha: 'a',
    beta: 'b',
    c: 'rc',
    pre: 'rc',
    preview: 'rc',
    rev: 'post',
    r: 'post',
};
/** undefined for text that is not a PEP 440 version (metadata-action then tags nothing). */
function parsePep440(raw) {
    const groups = PATTERN.exec(raw)?.groups;
    if (!groups)
        return undefined;
    const release = groups['release'].split('.').map(Number);
    const pre = letterPart(groups['preL'], groups['preN']);
    const post = letterPart(groups['postL'], groups['postN1'] ?? groups['postN2']);
    const dev = letterPart(groups['devL'], groups['devN']);
    const epoch = Number(groups['epoch'] ?? 0);
    const local = groups['local']
        ?.split(/[._-]/)
        .map((part) => (Number.isNaN(Number(part)) ? part.toLowerCase() : String(Number(part))));
    const version = (epoch !== 0 ? `${epoch}!` : '') +
        release.join('.') +
        (pre ?? '') +
        (post === undefined ? '' : `.${post}`) +
        (dev === undefined ? '' : `.${dev}`) +
        (local === undefined ? '' : `+${local.join(',')}`);
    return {
        raw,
        version,
        major: release[0],
        minor: release[1] ?? 0,
        patch: release[2] ?? 0,
        isPrePostOrDev: pre !== undefined || post !== undefined || dev !== undefined,
    };
}
/** `rc` + `2` -> `rc2`; a number alone is the implicit post-release of `1.0-1`. */
function letterPart(letter, number) {
    if (letter) {
        const lower = letter.toLowerCase();
        return `${LETTER_SPELLINGS[lower] ?? lower}${Number(number ?? 0)}`;
    }
    return number ? `post${Number(number)}` : undefined;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/semver.ts
const NUMERIC = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMERIC}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD = '[a-zA-Z0-9-]+';
const FULL = new RegExp(`^v?(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+${BUILD}(?:\\.${BUILD})*)?$`);
// node-semver refuses longer strings and components beyond Number.MAX_SAFE_INTEGER.
const MAX_LENGTH = 256;
function parseSemver(raw) {
    if (raw.length > MAX_LENGTH)
        return undefined;
    const match = FULL.exec(raw.trim());
    if (!match)
        return undefined;
    const [major, minor, patch] = [match[1], match[2], match[3]].map(Number);
    if (![major, minor, patch].every(Number.isSafeInteger))
        return undefined;
    const prerelease = match[4] === undefined ? [] : match[4].split('.');
    const core = `${major}.${minor}.${patch}`;
    return {
        raw,
        major,
        minor,
        patch,
        prerelease,
        version: prerelease.length > 0 ? `${core}-${prerelease.join('.')}` : core,
    };
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/rule-values.ts






const NOTHING = { value: undefined, warning: undefined };
function ruleOutcome(rule, input) {
    const { context, scope } = input;
    const yields = (raw, latestWhenAuto) => ({
        value: withAffixes(raw, rule, input),
        latestWhenAuto,
    });
    switch (rule.type) {
        case 'schedule':
            return /schedule/.test(context.eventName)
                ? yields(renderTemplate(rule.pattern, scope), false)
                : NOTHING;
        case 'semver':
            return semver(rule, input, yields);
        case 'pep440':
            return pep440(rule, input, yields);
        case 'match':
            return match(rule, input, yields);
        case 'edge':
            return edge(rule, context, yields);
        case 'ref': {
            const name = { branch: branchOf, tag: tagOf, pr: pullRequestOf }[rule.event](context.ref);
            return name === undefined ? NOTHING : yields(name, rule.event === 'tag');
        }
        case 'raw':
            return yields(renderTemplate(rule.value, scope), false);
        case 'sha': {
            const sha = revisionOf(context);
            if (sha === '')
                return NOTHING;
            return yields(rule.format === 'short' ? shortSha(sha) : sha, false);
        }
    }
}
/** semver, pep440 and match read the pushed Git tag, or their value= on any event. */
function versionSource(rule, input) {
    if (rule.value.source !== '')
        return renderTemplate(rule.value, input.scope);
    return tagOf(input.context.ref);
}
/**
 * The version text of a semver or pep440 rule: match='s group 1 when it matches (metadata-action warns
 * and goes on with the whole text when it does not), then `/` as `-`.
 */
function versionText(rule, input, warnings) {
    const source = versionSource(rule, input);
    if (source === undefined)
        return undefined;
    let text = source;
    if (rule.match) {
        const found = source.match(rule.match);
        if (found?.[1] !== undefined)
            text = found[1];
        else
            warnings.push(`match "${rule.match.source}" of tag rule "${rule.source}" does not match "${source}"`);
    }
    return text.replace(/\//g, '-');
}
function semver(rule, input, yields) {
    const warnings = [];
    const source = versionText(rule, input, warnings);
    if (source === undefined)
        return NOTHING;
    const version = parseSemver(source);
    if (!version) {
        warnings.push(`"${source}" is not a semantic version (https://semver.org), so tag rule "${rule.source}" yields no tag`);
        return { value: undefined, warning: warnings.join('; ') };
    }
    const values = {
        raw: version.raw,
        version: version.version,
        major: String(version.major),
        minor: String(version.minor),
        patch: String(version.patch),
    };
    // A pre-release only ever gets its full version (or {{raw}}), and never `latest`: README, type=semver.
    if (version.prerelease.length > 0) {
        return warned(yields(rule.patternIsRaw ? version.raw : version.version, false), warnings);
    }
    return warned(yields(renderTemplate(rule.pattern, { values, dates: {} }), true), warnings);
}
/** metadata-action's procPep440: like semver, with PEP 440's pre-, post- and dev-releases. */
function pep440(rule, input, yields) {
    const warnings = [];
    const source = versionText(rule, input, warnings);
    if (source === undefined)
        return NOTHING;
    const version = parsePep440(source);
    if (!version) {
        warnings.push(`"${source}" does not conform to PEP 440 (https://peps.python.org/pep-0440/), so tag rule "${rule.source}" yields no tag`);
        return { value: undefined, warning: warnings.join('; ') };
    }
    if (version.isPrePostOrDev) {
        return warned(yields(rule.patternIsRaw ? version.raw : version.version, false), warnings);
    }
    const values = {
        raw: version.raw,
        version: version.version,
        major: String(version.major),
        minor: String(version.minor),
        patch: String(version.patch),
    };
    return warned(yields(renderTemplate(rule.pattern, { values, dates: {} }), true), warnings);
}
function warned(outcome, warnings) {
    return warnings.length === 0 ? outcome : { ...outcome, warning: warnings.join('; ') };
}
function match(rule, input, yields) {
    const source = versionSource(rule, input);
    if (source === undefined)
        return NOTHING;
    // String#match, as metadata-action: with the g flag it lists whole matches instead of groups.
    rule.pattern.lastIndex = 0;
    const found = source.match(rule.pattern);
    if (!found)
        return { value: undefined, warning: `tag rule "${rule.source}" does not match "${source}"` };
    const group = found[rule.group];
    if (group === undefined) {
        return {
            value: undefined,
            warning: `tag rule "${rule.source}" has no group ${rule.group} in its match of "${source}"`,
        };
    }
    return yields(group, true);
}
function edge(rule, context, yields) {
    const branch = branchOf(context.ref);
    if (branch === undefined)
        return NOTHING;
    const target = rule.branch || context.defaultBranch;
    return target === branch ? yields('edge', false) : NOTHING;
}
/** A rule's own prefix= / suffix= (even empty) replaces the flavor's. */
function withAffixes(raw, rule, { flavor, scope }) {
    const prefix = rule.prefix ?? (flavor.prefix.source === '' ? undefined : flavor.prefix);
    const suffix = rule.suffix ?? (flavor.suffix.source === '' ? undefined : flavor.suffix);
    return ((prefix === undefined ? '' : renderTemplate(prefix, scope)) +
        raw +
        (suffix === undefined ? '' : renderTemplate(suffix, scope)));
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/compute-tags.ts





/**
 * metadata-action's getVersion and getTags (src/meta.ts): enabled rules in priority order each yield
 * at most one tag; the first is the version, `latest` is decided once by the first rule that yields a
 * tag (with latest=auto: a release semver, a match or a Git tag ref; never a pre-release, a branch, a
 * pull request or a schedule), and each tag is sanitized (runs of characters a tag cannot hold become
 * `-`, case kept) then checked, so an impossible tag fails here rather than at push.
 */
function computeTags(input) {
    const { rules, flavor, context } = input;
    const scope = expressionScope(context);
    const found = [];
    const warnings = [];
    let latest;
    for (const rule of rules) {
        if (!isEnabled(rule, scope))
            continue;
        const outcome = ruleOutcome(rule, { context, scope, flavor });
        if (outcome.warning !== undefined)
            warnings.push(outcome.warning);
        if (outcome.value === undefined || outcome.value === '')
            continue;
        const tag = compute_tags_checked(sanitizeTag(outcome.value), `tag rule "${rule.source}"`, 'tags');
        if (!found.includes(tag))
            found.push(tag);
        latest ??= flavor.latest === 'auto' ? outcome.latestWhenAuto : flavor.latest;
    }
    if (latest) {
        const tag = compute_tags_checked(latestTag(flavor, scope), 'the flavor', 'flavor');
        if (!found.includes(tag))
            found.push(tag);
    }
    const images = [...new Set(input.images.map((image) => image.toLowerCase()))];
    return {
        version: found[0],
        tags: images.length === 0 ? found : images.flatMap((image) => found.map((tag) => `${image}:${tag}`)),
        tagSuffixes: found,
        warnings,
    };
}
function isEnabled(rule, scope) {
    const enabled = renderTemplate(rule.enable, scope);
    if (enabled !== 'true' && enabled !== 'false') {
        throw new errors/* ConfigurationError */.j1(`Input "tags", rule "${rule.source}": enable "${rule.enable.source}" gave "${enabled}" for this run; it must give true or false.`, { input: 'tags' });
    }
    return enabled === 'true';
}
function sanitizeTag(tag) {
    return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}
/** `latest`, with the flavor's prefix and suffix where onlatest=true. */
function latestTag(flavor, scope) {
    const prefix = flavor.prefixOnLatest ? renderTemplate(flavor.prefix, scope) : '';
    const suffix = flavor.suffixOnLatest ? renderTemplate(flavor.suffix, scope) : '';
    return sanitizeTag(`${prefix}latest${suffix}`);
}
function compute_tags_checked(tag, origin, input) {
    if (!isValidTag(tag))
        throw new errors/* ConfigurationError */.j1(`Input "${input}": ${origin} gives ${tagProblem(tag)}.`, { input });
    return tag;
}

;// CONCATENATED MODULE: ./actions/build-push/src/metadata/labels.ts




/**
 * The OCI image labels metadata-action generates (getOCIAnnotationsWithCustoms in src/meta.ts), from the
 * event payload's repository where metadata-action asks the API for it. All eight are always set, empty
 * when unknown, as metadata-action does: an empty label still replaces the one a base image carries,
 * which would describe someone else's image. User labels win, may use the global expressions
 * (`{{branch}}`, `{{date '...'}}`, ...), and the result is sorted by name.
 */
function ociLabels(context, version, userLabels) {
    const [, repositoryName = ''] = context.repository.split('/');
    const url = context.repositoryUrl ?? (context.repository ? `${context.serverUrl}/${context.repository}` : '');
    const labels = new Map([
        ['org.opencontainers.image.title', context.repositoryName ?? repositoryName],
        ['org.opencontainers.image.description', context.repositoryDescription ?? ''],
        ['org.opencontainers.image.url', url],
        ['org.opencontainers.image.source', url],
        ['org.opencontainers.image.version', version ?? ''],
        // The commit's date, not the build's: a rebuild of one commit gets the same labels, so (with the
        // builder's timestamps pinned to the same date) the same image, which immutable tags rely on.
        ['org.opencontainers.image.created', context.commitDate.toISOString()],
        ['org.opencontainers.image.revision', revisionOf(context)],
        ['org.opencontainers.image.licenses', context.license ?? ''],
    ]);
    const scope = expressionScope(context);
    for (const [name, value] of Object.entries(userLabels))
        labels.set(name, expand(name, value, scope));
    const sorted = {};
    for (const name of [...labels.keys()].sort((a, b) => a.localeCompare(b))) {
        // defineProperty, not assignment: a label named __proto__ would be dropped by `sorted[name] = ...`.
        Object.defineProperty(sorted, name, {
            value: labels.get(name),
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return sorted;
}
function expand(name, value, scope) {
    try {
        return renderTemplate(compileTemplate(value, GLOBAL_EXPRESSIONS), scope);
    }
    catch (error) {
        if (error instanceof TemplateError) {
            throw new errors/* ConfigurationError */.j1(`Input "labels", label "${name}": ${error.message}.`, { input: 'labels' });
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/build-push/src/registry/immutable-tags.ts
function compareExistingTags(taken, existing, imageId) {
    const check = { same: [], different: [], unknown: [] };
    for (const tag of taken) {
        const configDigest = existing.get(tag)?.configDigest;
        if (imageId === undefined || configDigest === undefined)
            check.unknown.push(tag);
        else if (configDigest === imageId)
            check.same.push(tag);
        else
            check.different.push(tag);
    }
    return check;
}

;// CONCATENATED MODULE: ./actions/build-push/src/registry/ecr-host.ts
/**
 * ECR registry host names, kept apart from the ECR client module so that telling an ECR image from
 * another costs no SDK load.
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → account and region; undefined for other hosts. */
function parseEcrHost(host) {
    const match = ECR_HOST.exec(host.toLowerCase());
    if (!match)
        return undefined;
    const [, accountId, region] = match;
    return { accountId, region };
}

;// CONCATENATED MODULE: ./actions/build-push/src/registry/registry-plan.ts

function planRegistries(images, registryType) {
    const byHost = new Map();
    for (const image of images) {
        let planned = byHost.get(image.registry);
        if (!planned) {
            const ecrHost = parseEcrHost(image.registry);
            const kind = registryType === 'auto' ? (ecrHost ? 'ecr' : 'generic') : registryType;
            planned = {
                host: image.registry,
                kind,
                images: [],
                accountId: ecrHost?.accountId,
                region: ecrHost?.region,
            };
            byHost.set(image.registry, planned);
        }
        planned.images.push(image);
    }
    return [...byHost.values()];
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
        this.parts.push(`<details><summary>${summary_escapeHtml(summaryText)}</summary>\n\n${body}\n\n</details>`);
        return this;
    }
    code(text, language = '') {
        this.parts.push(fencedCode(text, language));
        return this;
    }
    toMarkdown() {
        return (0,runner_secrets/* redact */.E$)(`${this.parts.join('\n\n')}\n`);
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
    return (0,runner_secrets/* redact */.E$)(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}
function escapeCell(text) {
    return (0,runner_secrets/* redact */.E$)(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function summary_escapeHtml(text) {
    return (0,runner_secrets/* redact */.E$)(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
function fencedCode(text, language = '') {
    // The fence must be longer than any run of backticks in the text, or that run would close it.
    const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}

;// CONCATENATED MODULE: ./actions/build-push/src/report.ts



/** buildx exports nothing for a build that is neither pushed nor loaded, so it has no image ID to tell. */
const NO_IMAGE_ID = 'not reported: the image was neither pushed nor loaded, so nothing was exported';
function buildSummary(report) {
    const summary = new JobSummary();
    const evaluatedOnly = report.call !== undefined && !report.call.startsWith('build');
    if (report.dryRun) {
        summary.heading(`Dry run: ${report.builder} would build ${report.tags.length} tags (nothing built or pushed)`);
    }
    else if (evaluatedOnly) {
        summary.heading(`Ran ${report.builder} with call: ${report.call} (nothing built or pushed)`);
    }
    else if (report.digest && report.alreadyPresent.length === report.tags.length) {
        summary.heading(`Every tag already held ${report.images[0]}@${report.digest} (nothing pushed)`);
    }
    else if (report.digest) {
        summary.heading(`Pushed ${report.images[0]}@${report.digest}`);
    }
    else {
        summary.heading(`Built ${report.imageId ?? 'the image'} (not pushed)`);
    }
    const facts = [
        ['Builder', report.builder],
        ['Digest', report.digest ? `\`${report.digest}\`` : '–'],
        ['Image ID', report.imageId ? `\`${report.imageId}\`` : report.dryRun ? '–' : NO_IMAGE_ID],
        ['Size', report.sizeBytes === undefined ? '–' : formatBytes(report.sizeBytes)],
        ['Build time', report.durationMs === undefined ? '–' : (0,duration/* formatDuration */.a)(report.durationMs)],
    ];
    if (report.cache)
        facts.push(['Cache hits', `${report.cache.hits} of ${report.cache.steps} steps`]);
    summary.table(['', ''], facts);
    for (const note of report.notes)
        summary.paragraph(`⚠️ ${escapeInline(note)}`);
    summary.table(['Tag', 'State'], report.tags.map((tag) => [
        `\`${tag}\``,
        report.alreadyPresent.includes(tag)
            ? 'already pointed at this image (immutable)'
            : report.dryRun
                ? 'planned'
                : report.digest
                    ? 'pushed'
                    : 'built',
    ]));
    summary.details(`Labels (${Object.keys(report.labels).length})`, Object.entries(report.labels)
        .map(([key, value]) => `- \`${escapeInline(key)}\` = ${escapeInline(value)}`)
        .join('\n'));
    summary.details('Builder command', fencedCode([report.command.command, ...report.command.args].join(' ')));
    return summary;
}

;// CONCATENATED MODULE: ./actions/build-push/src/main.ts


















/** The post step finds the credentials file through this state, even when the main step failed. */
const AUTH_FILE_STATE = 'auth-file';
async function run({ signal }) {
    const inputs = await readInputs(process.env.GITHUB_WORKSPACE ?? process.cwd());
    const context = await readGitHubContext();
    const computed = computeTags({
        images: inputs.images.map((image) => image.name),
        rules: inputs.tagRules,
        flavor: inputs.flavor,
        context,
    });
    for (const warning of computed.warnings)
        log/* warning */.$e(warning);
    if (inputs.push && computed.tags.length === 0) {
        throw new errors/* ConfigurationError */.j1(`No tag rule produced a tag for this ${context.eventName} event on ${context.ref}, so there is nothing to push.`, { input: 'tags', hint: 'add a rule that always applies, such as type=sha, or set push: false' });
    }
    const labels = ociLabels(context, computed.version, inputs.labels);
    const registries = planRegistries(inputs.images, inputs.registryType);
    const ecrRegistries = registries.filter((registry) => registry.kind === 'ecr');
    // `registries` are logged in to even when no image is in ECR: private base images in ECR.
    const ecrLogin = ecrRegistries.length > 0 || inputs.registryIds.length > 0;
    // Checked now, before anything is built: a region that cannot be found fails at once.
    for (const registry of ecrRegistries)
        (0,aws/* awsClientConfig */.rw)({ region: inputs.awsRegion ?? registry.region });
    if (ecrRegistries.length === 0 && ecrLogin)
        (0,aws/* awsClientConfig */.rw)({ region: inputs.awsRegion });
    // Without images the tags are bare (`1.2.3`): outputs only, never image names for the builder.
    const request = buildRequest(inputs, inputs.images.length > 0 ? computed.tags : [], labels, context.commitDate);
    const builder = createBuilder(inputs);
    const notes = inputs.dryRun
        ? []
        : (await log/* group */.Os(`Checking ${builder.name}`, () => builder.prepare(signal))).notes;
    for (const note of notes)
        log/* warning */.$e(note);
    const command = builder.command(request, {
        workDir: (0,external_node_path_.join)(runnerTemp(), 'gantry-build-XXXXXX'),
        authFile: undefined,
    });
    const { separators } = inputs;
    const baseOutputs = {
        tags: computed.tags.join(separators.tags),
        labels: formatLabels(labels, separators.labels),
        annotations: annotationLines(ociLabels(context, computed.version, {})).join(separators.annotations),
        version: computed.version ?? '',
    };
    if (inputs.dryRun) {
        log/* info */.pq(`Dry run: ${command.command} ${command.args.join(' ')}`);
        setOutputs({
            ...baseOutputs,
            image: '',
            digest: '',
            imageid: '',
            metadata: { 'dry-run': true, command: [command.command, ...command.args].join(' ') },
        });
        await buildSummary({
            ...baseReport(builder, inputs, computed.tags, request, command),
            dryRun: true,
        }).write();
        return;
    }
    const credentials = genericCredentials(registries, inputs);
    let existing = new Map();
    if (ecrLogin) {
        const { prepareEcr } = await Promise.all(/* import() */[__nccwpck_require__.e(249), __nccwpck_require__.e(867)]).then(__nccwpck_require__.bind(__nccwpck_require__, 8867));
        const prepared = await log/* group */.Os('Logging in to ECR', () => prepareEcr(ecrRegistries, tagsByImage(computed.tags), inputs));
        credentials.push(...prepared.credentials);
        existing = prepared.existingImmutableTags;
    }
    const authFile = credentials.length > 0
        ? await writeAuthFile(credentials, runnerTemp(), builder.runnerLogins())
        : undefined;
    if (authFile)
        (0,file_commands/* saveState */.LZ)(AUTH_FILE_STATE, authFile);
    const started = Date.now();
    const built = await buildAndPush(builder, request, existing, {
        signal,
        pushTimeoutMs: inputs.pushTimeoutMs,
        authFile,
    });
    const durationMs = Date.now() - started;
    // Read whenever the image is in the registry, pushed now or by an earlier run (immutable tags).
    const manifest = inputs.push
        ? await readPushedManifest(inputs, credentials, request.tags, signal)
        : undefined;
    const digest = built.outcome.digest ?? built.existingDigest ?? manifest?.digest;
    if (inputs.push && !digest)
        throw new errors/* ActionError */.lZ('The image was pushed but no digest could be read back from the registry.');
    const firstImage = inputs.images[0]?.name ?? '';
    setOutputs({
        ...baseOutputs,
        image: digest ? `${firstImage}@${digest}` : '',
        digest: digest ?? '',
        imageid: built.outcome.imageId ?? '',
        metadata: {
            ...built.outcome.metadata,
            digest,
            'image-id': built.outcome.imageId,
            'duration-ms': durationMs,
        },
    });
    await buildSummary({
        ...baseReport(builder, inputs, computed.tags, request, command),
        notes,
        digest,
        imageId: built.outcome.imageId,
        sizeBytes: manifest?.sizeBytes,
        durationMs,
        alreadyPresent: built.alreadyPresent,
        cache: main_cacheUse(built.outcome.metadata),
    }).write();
}
/** The post step: remove the registry credentials written for the builder, whatever happened before. */
async function post() {
    const authFile = (0,file_commands/* getState */.Gu)(AUTH_FILE_STATE);
    if (!authFile)
        return;
    await removeAuthFile(authFile);
    log/* info */.pq('Removed the registry credentials written for the build.');
}
/**
 * Tags that already exist in an immutable repository cannot be pushed again. A re-run that built the
 * same image (same config digest) is fine: those tags are skipped. A different image under such a
 * tag is an error, found before anything is pushed, by building once without pushing first.
 */
async function buildAndPush(builder, request, existing, options) {
    const taken = request.tags.filter((tag) => existing.has(tag));
    if (taken.length === 0) {
        return {
            outcome: await log/* group */.Os(`Building with ${builder.name}`, () => builder.build(request, options)),
            existingDigest: undefined,
            alreadyPresent: [],
        };
    }
    const local = await log/* group */.Os(`Building with ${builder.name} (before checking immutable tags)`, () => builder.build({ ...request, push: false, reportImageId: true }, options));
    const check = compareExistingTags(taken, existing, local.imageId);
    const detail = (tags) => tags.map((tag) => `${tag} -> ${existing.get(tag)?.digest}`).join(', ');
    const hint = 'an immutable tag cannot be moved: compute a new tag (for example type=sha) or use a mutable repository';
    if (check.different.length > 0) {
        throw new errors/* ActionError */.lZ(`These tags already exist in immutable repositories and hold a different image than the one built (${local.imageId}): ${detail(check.different)}.`, { hint });
    }
    if (check.unknown.length > 0) {
        const why = local.imageId === undefined
            ? `${builder.name} reported no image ID for the build`
            : 'they hold a multi-platform index, which has no config digest to compare';
        throw new errors/* ActionError */.lZ(`These tags already exist in immutable repositories, and whether they hold the image built cannot be told (${why}): ${detail(check.unknown)}.`, { hint });
    }
    for (const tag of taken)
        log/* info */.pq(`${tag} already points at this image in an immutable repository; not pushed again.`);
    const remaining = request.tags.filter((tag) => !existing.has(tag));
    if (remaining.length === 0) {
        return {
            outcome: local,
            existingDigest: existing.get(taken[0])?.digest,
            alreadyPresent: taken,
        };
    }
    const outcome = await log/* group */.Os(`Pushing with ${builder.name}`, () => builder.build({ ...request, tags: remaining }, options));
    return { outcome, existingDigest: undefined, alreadyPresent: taken };
}
function buildRequest(inputs, tags, labels, commitDate) {
    return {
        context: inputs.context,
        file: inputs.file,
        target: inputs.target,
        buildArgs: inputs.buildArgs,
        secrets: [...inputs.secrets, ...inputs.build.secretEnvs],
        platforms: inputs.platforms,
        labels,
        tags,
        cacheFrom: inputs.cacheFrom,
        cacheTo: inputs.cacheTo,
        push: inputs.push,
        load: inputs.load,
        provenance: inputs.provenance,
        sbom: inputs.sbom,
        noCache: inputs.noCache,
        settings: inputs.build,
        pull: inputs.pull,
        sourceDateEpoch: Math.floor(commitDate.getTime() / 1000),
        reportImageId: false,
    };
}
function createBuilder(inputs) {
    return inputs.builder === 'buildah'
        ? buildahBuilder({ insecureRegistries: inputs.insecureRegistries })
        : dockerBuilder();
}
/**
 * username/password log in to every registry that is not ECR; without them the runner's own login is
 * used. Also without push: the build pulls its base images with them (docker/login-action's login
 * does not depend on pushing either).
 */
function genericCredentials(registries, inputs) {
    if (!inputs.login)
        return [];
    const { username, password } = inputs.login;
    return registries
        .filter((registry) => registry.kind === 'generic')
        .map((registry) => ({ registry: registry.host, username, password }));
}
/** For the size in the summary (and the digest, when the builder reports none): best effort. */
async function readPushedManifest(inputs, credentials, tags, signal) {
    const image = inputs.images[0];
    const first = tags.find((tag) => image && tag.startsWith(`${image.name}:`));
    if (!image || !first)
        return undefined;
    const tag = first.slice(image.name.length + 1);
    const login = credentials.find((credential) => credential.registry === image.registry);
    try {
        // Loaded here, not at start: its HTTP client (undici) is only needed once something was pushed.
        const { readManifest } = await Promise.all(/* import() */[__nccwpck_require__.e(752), __nccwpck_require__.e(318)]).then(__nccwpck_require__.bind(__nccwpck_require__, 4318));
        return await readManifest(image, tag, {
            login,
            insecure: inputs.insecureRegistries.includes(image.registry),
            timeoutMs: 30_000,
            signal,
        });
    }
    catch (error) {
        log/* warning */.$e(`Could not read the pushed manifest back from ${image.registry}: ${error.message}`);
        return undefined;
    }
}
function tagsByImage(tags) {
    const byImage = new Map();
    for (const full of tags) {
        const colon = full.lastIndexOf(':');
        const name = full.slice(0, colon);
        byImage.set(name, [...(byImage.get(name) ?? []), full.slice(colon + 1)]);
    }
    return byImage;
}
function formatLabels(labels, separator) {
    return Object.entries(labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(separator);
}
function baseReport(builder, inputs, tags, request, command) {
    return {
        dryRun: false,
        builder: builder.name,
        call: inputs.build.call,
        notes: [],
        images: inputs.images.map((image) => image.name),
        tags,
        labels: request.labels,
        digest: undefined,
        imageId: undefined,
        sizeBytes: undefined,
        durationMs: undefined,
        alreadyPresent: [],
        cache: undefined,
        command,
    };
}
/** The builder's count of build steps its cache served, where it reports one (buildah does). */
function main_cacheUse(metadata) {
    const steps = metadata['buildah.steps'];
    const hits = metadata['buildah.cache-hits'];
    return typeof steps === 'number' && typeof hits === 'number' && steps > 0 ? { steps, hits } : undefined;
}


/***/ }),

/***/ 3701:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Js: () => (/* binding */ abortReason),
  yy: () => (/* binding */ sleep),
  Te: () => (/* binding */ throwIfAborted)
});

;// CONCATENATED MODULE: external "node:timers/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
;// CONCATENATED MODULE: ./shared/src/async/sleep.ts


/** Waits `ms`, or rejects with the signal's reason (a CancelledError) as soon as it is aborted. */
async function sleep(ms, signal) {
    if (ms <= 0) {
        throwIfAborted(signal);
        return;
    }
    try {
        await (0,promises_namespaceObject.setTimeout)(ms, undefined, signal ? { signal } : undefined);
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


/***/ }),

/***/ 3526:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ey: () => (/* binding */ awsActionError),
/* harmony export */   ZH: () => (/* binding */ awsErrorName),
/* harmony export */   rw: () => (/* binding */ awsClientConfig)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);

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
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${source} is "${region}", which is not an AWS region (like us-east-1, eu-west-1, cn-north-1 or us-gov-west-1)`, { input, hint: 'use the region code, not the region name: eu-west-1, not "Europe (Ireland)"' });
        }
        return region;
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`No AWS region: the ${input} input is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set`, {
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${source} is ${shown}, which is not a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT}`);
    }
    return value;
}
function validateEndpoint(endpoint, input) {
    const url = URL.parse(endpoint);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${input} is "${endpoint}", which is not an http:// or https:// URL`, {
            input,
            hint: 'give the service endpoint of an emulator or LocalStack, like http://127.0.0.1:4566',
        });
    }
    if (url.username || url.password) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${input} must not contain credentials`, {
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
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ)
        return error;
    const name = awsErrorName(error) ?? 'Error';
    const detail = oneLine(error instanceof Error ? error.message : String(error)) || 'no message';
    const message = `${operation} failed: ${name}: ${detail}`;
    if (CREDENTIAL_ERRORS.has(name)) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(message, {
            cause: error,
            hint: `the AWS credentials are missing, invalid or expired: ${CONFIGURE_CREDENTIALS} before this step (with \`permissions: id-token: write\` for OIDC)`,
        });
    }
    if (PERMISSION_ERRORS.has(name)) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(message, {
            cause: error,
            hint: `the AWS identity is not allowed to call ${operation}: allow it in the role's IAM policy, or ${CONFIGURE_CREDENTIALS} for a role that is`,
        });
    }
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(message, { cause: error });
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
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

/***/ 5392:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   Os: () => (/* binding */ group),
/* harmony export */   pq: () => (/* binding */ info)
/* harmony export */ });
/* unused harmony exports debug, error, notice */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2663);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7852);


function info(message) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .writeLine */ ._r)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message));
}
function debug(message) {
    issueCommand('debug', {}, redact(message));
}
function warning(message, location = {}) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('warning', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
}
function error(message, location = {}) {
    annotate('error', redact(message), redactLocation(location));
}
function notice(message, location = {}) {
    annotate('notice', redact(message), redactLocation(location));
}
/** Runs `fn` inside a collapsible log group, closing the group however `fn` ends. */
async function group(title, fn) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .issueCommand */ .Lb)('group', {}, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(title));
    try {
        return await fn();
    }
    finally {
        (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .issueCommand */ .Lb)('endgroup', {}, '');
    }
}
function redactLocation(location) {
    return location.title === undefined ? location : { ...location, title: (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(location.title) };
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
/* harmony export */   Fi: () => (/* binding */ urlForMessages),
/* harmony export */   XF: () => (/* binding */ REDACTED),
/* harmony export */   hN: () => (/* binding */ isCredentialName)
/* harmony export */ });
/* unused harmony exports redactUrlCredentials, safeDecode */
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

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

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

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

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
/******/ var __webpack_exports__ = __nccwpck_require__(4989);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
