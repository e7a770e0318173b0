import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 1569:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $v: () => (/* binding */ parseTaskDefinitionRef),
/* harmony export */   Ap: () => (/* binding */ familyOf),
/* harmony export */   DT: () => (/* binding */ revisionOf),
/* harmony export */   EU: () => (/* binding */ shortName),
/* harmony export */   UM: () => (/* binding */ TASK_DEFINITION_REF_ACCEPTED)
/* harmony export */ });
const TASK_DEFINITION_REF_ACCEPTED = "expected a task definition ARN, family:revision (web:12) or a revision number of the service's family (12)";
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
function parseTaskDefinitionRef(text) {
    const trimmed = text.trim();
    if (ARN.test(trimmed))
        return { kind: 'arn', arn: trimmed };
    if (/^[1-9]\d{0,9}$/.test(trimmed))
        return { kind: 'revision', revision: Number(trimmed) };
    const match = /^([^:]+):([1-9]\d{0,9})$/.exec(trimmed);
    if (match && FAMILY.test(match[1] ?? '')) {
        return { kind: 'family-revision', family: match[1], revision: Number(match[2]) };
    }
    return undefined;
}
/** `web:12` from `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12`. */
function shortName(arn) {
    return arn.split('/').at(-1) ?? arn;
}
function familyOf(arn) {
    return shortName(arn).split(':')[0] ?? '';
}
function revisionOf(arn) {
    return Number(shortName(arn).split(':')[1] ?? 0);
}


/***/ }),

/***/ 2754:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9406);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7721);


await (0,_shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runActionProcess */ .l)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1413:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  K: () => (/* binding */ readInputs),
  t: () => (/* binding */ resolveKubernetesCluster)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __nccwpck_require__(5082);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __nccwpck_require__(7585);
;// CONCATENATED MODULE: ./shared/src/kubernetes/client/kubeconfig-entries.ts




function readEntries(raw, origin, inputName) {
    const entries = (key, body) => {
        const list = raw[key] ?? [];
        if (!Array.isArray(list)) {
            throw new errors/* ConfigurationError */.j1(`${capitalise(origin)} is not a kubeconfig: "${key}" is not a list.`, {
                input: inputName,
            });
        }
        return list.map((entry, index) => {
            if (!(0,object/* isRecord */.u4)(entry) || typeof entry.name !== 'string' || entry.name === '') {
                throw new errors/* ConfigurationError */.j1(`${capitalise(origin)}: entry ${index + 1} of "${key}" has no name.`, {
                    input: inputName,
                });
            }
            const inner = entry[body] ?? {};
            if (!(0,object/* isRecord */.u4)(inner)) {
                throw new errors/* ConfigurationError */.j1(`${capitalise(origin)}: ${key} entry "${entry.name}" has no "${body}" mapping.`, {
                    input: inputName,
                });
            }
            return { name: entry.name, body: inner };
        });
    };
    const current = raw['current-context'];
    return {
        clusters: entries('clusters', 'cluster'),
        users: entries('users', 'user'),
        contexts: entries('contexts', 'context'),
        currentContext: typeof current === 'string' && current ? current : undefined,
    };
}
function checkCluster(cluster, origin, inputName) {
    const server = cluster.body.server;
    const url = typeof server === 'string' ? URL.parse(server) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
        throw new errors/* ConfigurationError */.j1(`Cluster "${cluster.name}" of ${origin} has server ${JSON.stringify(server ?? null)}, which is not an https:// URL.`, { input: inputName });
    }
    if (url.protocol === 'http:' && cluster.body['insecure-skip-tls-verify'] !== true) {
        throw new errors/* ConfigurationError */.j1(`Cluster "${cluster.name}" of ${origin} is served over plain http://, which the Kubernetes client refuses unless insecure-skip-tls-verify is true.`, { input: inputName, hint: 'use the https:// address of the API server' });
    }
    checkPemData(cluster.body['certificate-authority-data'], `certificate-authority-data of cluster "${cluster.name}"`, origin, inputName);
    checkFile(cluster.body['certificate-authority'], `certificate-authority of cluster "${cluster.name}"`, origin, inputName);
    return String(server);
}
function checkUser(user, origin, inputName) {
    checkPemData(user.body['client-certificate-data'], `client-certificate-data of user "${user.name}"`, origin, inputName);
    checkPemData(user.body['client-key-data'], `client-key-data of user "${user.name}"`, origin, inputName);
    for (const key of ['client-certificate', 'client-key', 'token-file']) {
        checkFile(user.body[key], `${key} of user "${user.name}"`, origin, inputName);
    }
    const tokenFile = user.body['token-file'];
    if (typeof tokenFile === 'string')
        (0,secrets/* maskSecret */.$l)((0,external_node_fs_.readFileSync)(tokenFile, 'utf8').trim());
    const exec = user.body.exec;
    if (exec !== undefined && (!(0,object/* isRecord */.u4)(exec) || typeof exec.command !== 'string' || exec.command === '')) {
        throw new errors/* ConfigurationError */.j1(`${capitalise(origin)}: the exec of user "${user.name}" has no command.`, {
            input: inputName,
        });
    }
}
function checkPemData(value, what, origin, inputName) {
    if (value === undefined)
        return;
    const decoded = typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
    if (!decoded.includes('-----BEGIN ')) {
        throw new errors/* ConfigurationError */.j1(`The ${what} in ${origin} is not base64-encoded PEM.`, { input: inputName });
    }
}
function checkFile(value, what, origin, inputName) {
    if (value === undefined || value === '')
        return;
    if (typeof value !== 'string' || !(0,external_node_fs_.existsSync)(value)) {
        throw new errors/* ConfigurationError */.j1(`The ${what} in ${origin} names ${JSON.stringify(value)}, which does not exist.`, {
            input: inputName,
        });
    }
}
function listOf(value) {
    return Array.isArray(value) ? value : [];
}
function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/client/kubeconfig.ts







const MAX_KUBECONFIG_BYTES = 1024 * 1024;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
async function resolveKubeconfig(options = {}) {
    const env = options.env ?? process.env;
    const inputName = options.inputName ?? 'kubeconfig';
    const contextInput = options.contextInputName ?? 'context';
    const input = options.input?.trim();
    if (input) {
        const text = decodeInput(input, inputName);
        const origin = `the ${inputName} input`;
        const config = await parseKubeconfig(text, origin, inputName);
        return fromConfig(resolvePaths(config, options.cwd ?? process.cwd()), origin, options.context, contextInput, inputName);
    }
    const fromEnv = env.KUBECONFIG?.split(external_node_path_.delimiter).filter(Boolean) ?? [];
    const home = options.home ?? (0,external_node_os_.homedir)();
    const defaultFile = (0,external_node_path_.join)(home, '.kube', 'config');
    const files = fromEnv.length > 0 ? fromEnv : (0,external_node_fs_.existsSync)(defaultFile) ? [defaultFile] : [];
    if (files.length > 0) {
        const origin = fromEnv.length > 0 ? `KUBECONFIG (${files.join(external_node_path_.delimiter)})` : defaultFile;
        const configs = [];
        for (const file of files) {
            // kubectl skips KUBECONFIG entries that do not exist, but fails when none does.
            if (!(0,external_node_fs_.existsSync)(file))
                continue;
            const text = readLimited(file, origin, inputName);
            configs.push(resolvePaths(await parseKubeconfig(text, `${file} (from ${origin})`, inputName), (0,external_node_path_.dirname)(file)));
        }
        if (configs.length === 0) {
            throw new errors/* ConfigurationError */.j1(`KUBECONFIG names ${files.join(', ')}, and none of these files exists.`, {
                input: inputName,
                hint: 'set the kubeconfig input, or create the file before this step',
            });
        }
        return fromConfig(mergeConfigs(configs), origin, options.context, contextInput, inputName);
    }
    const serviceAccount = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    if (env.KUBERNETES_SERVICE_HOST && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(serviceAccount, 'token'))) {
        return inCluster(env, serviceAccount, options.context, contextInput);
    }
    throw new errors/* ConfigurationError */.j1(`No cluster credentials: the ${inputName} input is empty, KUBECONFIG is not set, ${defaultFile} does not exist, and this step is not running inside a cluster.`, {
        input: inputName,
        hint: `pass a kubeconfig secret (${inputName}: \${{ secrets.KUBECONFIG }}), or set one up before this step (aws eks update-kubeconfig, azure/k8s-set-context, google-github-actions/get-gke-credentials)`,
    });
}
/** Base64 is recognised by its alphabet: a kubeconfig in YAML always has a colon, which base64 never does. */
function decodeInput(input, inputName) {
    if (input.length > MAX_KUBECONFIG_BYTES * 2) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}" is larger than ${MAX_KUBECONFIG_BYTES / 1024} KiB: that is no kubeconfig.`, {
            input: inputName,
        });
    }
    const compact = input.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
        return input;
    (0,secrets/* maskSecret */.$l)(compact);
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (decoded.includes('\uFFFD') || !/[:{]/.test(decoded)) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}" is neither kubeconfig YAML nor base64 of it: it decodes to binary data.`, { input: inputName, hint: 'give the file itself, or `base64 -w0 kubeconfig`' });
    }
    return decoded;
}
function readLimited(file, origin, inputName) {
    const size = (0,external_node_fs_.statSync)(file).size;
    if (size > MAX_KUBECONFIG_BYTES) {
        throw new errors/* ConfigurationError */.j1(`${file} (from ${origin}) is ${size} bytes: that is no kubeconfig.`, {
            input: inputName,
        });
    }
    return (0,external_node_fs_.readFileSync)(file, 'utf8');
}
async function parseKubeconfig(text, origin, inputName) {
    const { parse } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
    let value;
    try {
        // A kubeconfig has no reason for aliases at all: a few are allowed, a bomb is not.
        value = parse(text, { maxAliasCount: 10 });
    }
    catch (error) {
        // The parser's message quotes the text around the error, which may be a token: only the line
        // number is shown.
        const line = error.linePos?.[0]?.line;
        throw new errors/* ConfigurationError */.j1(`${capitalise(origin)} is not a kubeconfig: it is not valid YAML${line ? ` (line ${line})` : ''}.`, { input: inputName });
    }
    if (!(0,object/* isRecord */.u4)(value) || !['clusters', 'contexts', 'users'].some((key) => key in value)) {
        throw new errors/* ConfigurationError */.j1(`${capitalise(origin)} is not a kubeconfig: expected a YAML mapping with clusters, users and contexts (apiVersion: v1, kind: Config).`, { input: inputName });
    }
    maskConfigSecrets(value);
    return value;
}
/** Every credential in the file is masked, not only the chosen user's: the whole file is secret. */
function maskConfigSecrets(config) {
    for (const entry of listOf(config.users)) {
        const user = (0,object/* isRecord */.u4)(entry) && (0,object/* isRecord */.u4)(entry.user) ? entry.user : {};
        for (const key of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
            const value = user[key];
            if (typeof value !== 'string')
                continue;
            (0,secrets/* maskSecret */.$l)(value);
            if (key.endsWith('-data'))
                (0,secrets/* maskSecret */.$l)(Buffer.from(value, 'base64').toString('utf8').trim());
        }
        const provider = (0,object/* isRecord */.u4)(user['auth-provider']) ? user['auth-provider'] : {};
        const providerConfig = (0,object/* isRecord */.u4)(provider.config) ? provider.config : {};
        for (const key of ['access-token', 'id-token', 'refresh-token', 'client-secret']) {
            if (typeof providerConfig[key] === 'string')
                (0,secrets/* maskSecret */.$l)(providerConfig[key]);
        }
        const exec = (0,object/* isRecord */.u4)(user.exec) ? user.exec : {};
        for (const variable of listOf(exec.env)) {
            // Short values (a profile name, a region) are left alone: masking them would shred the log.
            if ((0,object/* isRecord */.u4)(variable) && typeof variable.value === 'string' && variable.value.length >= 8) {
                (0,secrets/* maskSecret */.$l)(variable.value);
            }
        }
    }
}
function resolvePaths(config, base) {
    const absolute = (value) => typeof value === 'string' && value !== '' && !(0,external_node_path_.isAbsolute)(value) ? (0,external_node_path_.resolve)(base, value) : value;
    for (const entry of listOf(config.clusters)) {
        if ((0,object/* isRecord */.u4)(entry) && (0,object/* isRecord */.u4)(entry.cluster)) {
            entry.cluster['certificate-authority'] = absolute(entry.cluster['certificate-authority']);
        }
    }
    for (const entry of listOf(config.users)) {
        if (!(0,object/* isRecord */.u4)(entry) || !(0,object/* isRecord */.u4)(entry.user))
            continue;
        for (const key of ['client-certificate', 'client-key', 'tokenFile', 'token-file']) {
            if (key in entry.user)
                entry.user[key] = absolute(entry.user[key]);
        }
        // kubectl's key is tokenFile; @kubernetes/client-node reads only token-file.
        if (typeof entry.user.tokenFile === 'string' && !('token-file' in entry.user)) {
            entry.user['token-file'] = entry.user.tokenFile;
        }
    }
    return config;
}
/** kubectl's merge: the first file to define a name wins, and the first current-context wins. */
function mergeConfigs(configs) {
    const merged = { clusters: [], users: [], contexts: [] };
    let current;
    for (const config of configs) {
        current ??= config['current-context'] || undefined;
        for (const key of ['clusters', 'users', 'contexts']) {
            const seen = new Set(merged[key]?.map((entry) => ((0,object/* isRecord */.u4)(entry) ? entry.name : undefined)));
            for (const entry of listOf(config[key])) {
                if ((0,object/* isRecord */.u4)(entry) && !seen.has(entry.name))
                    merged[key]?.push(entry);
            }
        }
    }
    return { apiVersion: 'v1', kind: 'Config', ...merged, 'current-context': current };
}
function fromConfig(raw, origin, wantedContext, contextInput, inputName) {
    const config = readEntries(raw, origin, inputName);
    const contextName = wantedContext ?? config.currentContext;
    const names = config.contexts.map((entry) => entry.name);
    if (!contextName) {
        throw new errors/* ConfigurationError */.j1(`${capitalise(origin)} sets no current-context and the ${contextInput} input is empty.`, {
            input: contextInput,
            hint: names.length
                ? `set ${contextInput} to one of: ${names.join(', ')}`
                : 'the kubeconfig has no contexts',
        });
    }
    const context = config.contexts.find((entry) => entry.name === contextName);
    if (!context) {
        const from = wantedContext ? `Input "${contextInput}" names` : `The current-context of ${origin} is`;
        throw new errors/* ConfigurationError */.j1(`${from} "${contextName}", which is not a context of ${origin}: ${names.length ? `it has ${names.join(', ')}` : 'it has none'}.`, { input: wantedContext ? contextInput : inputName });
    }
    const clusterName = context.body.cluster;
    const cluster = config.clusters.find((entry) => entry.name === clusterName);
    if (!cluster) {
        throw new errors/* ConfigurationError */.j1(`Context "${context.name}" of ${origin} uses cluster "${String(clusterName)}", which the kubeconfig does not define.`, { input: inputName });
    }
    const userName = context.body.user;
    if (userName !== undefined && userName !== '' && !config.users.some((entry) => entry.name === userName)) {
        throw new errors/* ConfigurationError */.j1(`Context "${context.name}" of ${origin} uses user "${String(userName)}", which the kubeconfig does not define.`, { input: inputName });
    }
    const server = checkCluster(cluster, origin, inputName);
    const user = config.users.find((entry) => entry.name === userName);
    if (user)
        checkUser(user, origin, inputName);
    const namespace = typeof context.body.namespace === 'string' && context.body.namespace ? context.body.namespace : undefined;
    return {
        origin,
        config: { kind: 'kubeconfig', text: JSON.stringify({ ...raw, 'current-context': context.name }) },
        context: context.name,
        server,
        namespace,
    };
}
function inCluster(env, directory, context, contextInput) {
    if (context) {
        throw new errors/* ConfigurationError */.j1(`Input "${contextInput}" is "${context}", but there is no kubeconfig to choose a context from (in-cluster credentials).`, {
            input: contextInput,
        });
    }
    (0,secrets/* maskSecret */.$l)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(directory, 'token'), 'utf8').trim());
    const namespaceFile = (0,external_node_path_.join)(directory, 'namespace');
    const host = env.KUBERNETES_SERVICE_HOST ?? '';
    return {
        origin: 'the in-cluster service account',
        config: { kind: 'in-cluster', directory },
        context: 'in-cluster',
        server: `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`,
        namespace: (0,external_node_fs_.existsSync)(namespaceFile)
            ? (0,external_node_fs_.readFileSync)(namespaceFile, 'utf8').trim() || undefined
            : undefined,
    };
}

// EXTERNAL MODULE: ./shared/src/kubernetes/label-selector.ts + 1 modules
var label_selector = __nccwpck_require__(3608);
;// CONCATENATED MODULE: ./shared/src/github/record-inputs.ts

/** GitHub's limit on environment names. */
const MAX_ENVIRONMENT_CHARS = 255;
function readRecordInputs() {
    return {
        token: getOptionalString('github-token', { secret: true }) ?? '',
        environment: readEnvironment(),
        environmentUrl: readEnvironmentUrl(),
        recordDeployment: getBoolean('record-deployment', true),
        productionEnvironment: getOptionalBoolean('production-environment'),
        transientEnvironment: getOptionalBoolean('transient-environment'),
    };
}
function readEnvironment() {
    const environment = getOptionalString('environment');
    if (environment !== undefined &&
        (environment.length > MAX_ENVIRONMENT_CHARS || [...environment].some((char) => char.charCodeAt(0) < 0x20))) {
        throw invalidInput('environment', environment, `expected a GitHub environment name of at most ${MAX_ENVIRONMENT_CHARS} printable characters`);
    }
    return environment;
}
function readEnvironmentUrl() {
    const text = getOptionalString('environment-url');
    if (text === undefined)
        return undefined;
    let url;
    try {
        url = new URL(text);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw invalidInput('environment-url', text, 'expected an http or https URL, like https://shop.example.com');
    }
    return text;
}
function getOptionalBoolean(name) {
    return getOptionalString(name) === undefined ? undefined : getBoolean(name, false);
}

// EXTERNAL MODULE: ./actions/rollback/src/kubernetes/workload-refs.ts
var workload_refs = __nccwpck_require__(5433);
;// CONCATENATED MODULE: ./shared/src/codedeploy/names.ts
/** What CodeDeploy accepts as an application or deployment group name; no imports, so inputs.ts files stay light. */
const CODEDEPLOY_NAME = /^[\w.+@=,-]{1,100}$/;

// EXTERNAL MODULE: ./actions/rollback/src/ecs/task-definition-ref.ts
var task_definition_ref = __nccwpck_require__(1569);
;// CONCATENATED MODULE: ./actions/rollback/src/ecs/inputs.ts



/** The inputs that mean ECS when given. */
const ECS_INPUTS = ['cluster', 'service', 'to-task-definition'];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
function readEcsInputs() {
    const text = getOptionalString('to-task-definition');
    const toTaskDefinition = text === undefined ? undefined : (0,task_definition_ref/* parseTaskDefinitionRef */.$v)(text);
    if (text !== undefined && !toTaskDefinition) {
        throw invalidInput('to-task-definition', text, task_definition_ref/* TASK_DEFINITION_REF_ACCEPTED */.UM);
    }
    const region = getOptionalString('aws-region');
    if (region !== undefined && !REGION.test(region)) {
        throw invalidInput('aws-region', region, 'expected an AWS region like eu-west-1');
    }
    const codeDeployName = (name, what) => {
        const value = getOptionalString(name);
        if (value !== undefined && !CODEDEPLOY_NAME.test(value)) {
            throw invalidInput(name, value, `expected a CodeDeploy ${what} name (1 to 100 letters, digits and _ . + @ = , -)`);
        }
        return value;
    };
    return {
        cluster: getOptionalString('cluster'),
        service: getOptionalString('service'),
        region,
        toTaskDefinition,
        pollIntervalMs: getDuration('poll-interval', { default: 5000, min: 1000, max: 5 * 60_000 }),
        codedeployApplication: codeDeployName('codedeploy-application', 'application'),
        codedeployGroup: codeDeployName('codedeploy-deployment-group', 'deployment group'),
    };
}

// EXTERNAL MODULE: ./actions/rollback/src/platform.ts
var src_platform = __nccwpck_require__(7051);
;// CONCATENATED MODULE: ./actions/rollback/src/inputs.ts








const HOUR = 3_600_000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
async function readInputs(env = process.env) {
    const platformInput = getOptionalString('platform');
    if (platformInput !== undefined && !src_platform/* PLATFORMS */.P.includes(platformInput)) {
        throw invalidInput('platform', platformInput, `expected ${src_platform/* PLATFORMS */.P.join(' or ')}`);
    }
    const named = readSource();
    const toRevision = readToRevision(named);
    const ecs = readEcsInputs();
    const platform = readPlatform(platformInput, named, ecs);
    const source = named.kind === 'environment' && platform === 'ecs' ? { kind: 'service' } : named;
    if (source.kind === 'service') {
        for (const name of ['cluster', 'service']) {
            if (!ecs[name]) {
                throw new errors/* ConfigurationError */.j1(`Input "${name}" is required to roll back an ECS service.`, {
                    input: name,
                });
            }
        }
    }
    if (named.kind === 'from-deployment' && ecs.toTaskDefinition) {
        throw new errors/* ConfigurationError */.j1('Inputs "to-task-definition" and "from-deployment" exclude each other: the deployment record says what to restore.', { input: 'to-task-definition' });
    }
    const record = readRecordInputs();
    const { environment, token } = record;
    const settings = {
        dryRun: getBoolean('dry-run', false),
        wait: getBoolean('wait', true),
        timeoutMs: getDuration('timeout', { default: 10 * 60_000, min: 1000, max: 6 * HOUR }),
        maxRestarts: getInteger('max-restarts', { default: 3, min: 0, max: 1000 }),
    };
    if (source.kind === 'environment' && !environment) {
        throw new errors/* ConfigurationError */.j1('Nothing to roll back: give workloads, selector, from-deployment, or environment (whose latest deployment record names the workloads).', { input: 'workloads' });
    }
    const needsRecords = source.kind === 'from-deployment' || source.kind === 'environment';
    if (needsRecords && !token) {
        throw new errors/* ConfigurationError */.j1(`Input "github-token" is empty, and ${source.kind === 'environment' ? 'environment alone' : 'from-deployment'} needs it to read the deployment records.`, {
            input: 'github-token',
            hint: 'keep its default, ${{ github.token }}, with permissions: deployments: write.',
        });
    }
    const namespace = getOptionalString('namespace');
    if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
        throw invalidInput('namespace', namespace, 'expected a namespace name: up to 63 lowercase letters, digits and -');
    }
    const kubeconfig = getOptionalString('kubeconfig');
    const context = getOptionalString('context');
    const cluster = platform === 'kubernetes' || kubeconfig !== undefined || context !== undefined
        ? await resolveKubernetesCluster(env, kubeconfig, context)
        : undefined;
    return {
        platform,
        source,
        toRevision,
        namespace,
        cluster,
        ecs,
        ...record,
        ...settings,
    };
}
function readSource() {
    const workloadsText = getList('workloads');
    const selector = getOptionalString('selector');
    const fromDeployment = getOptionalString('from-deployment');
    const given = [
        workloadsText.length > 0 ? 'workloads' : undefined,
        selector !== undefined ? 'selector' : undefined,
        fromDeployment !== undefined ? 'from-deployment' : undefined,
    ].filter((name) => name !== undefined);
    if (given.length > 1) {
        throw new errors/* ConfigurationError */.j1(`Inputs ${given.map((name) => `"${name}"`).join(' and ')} exclude each other: give one way to name what is rolled back.`, { input: given[1] });
    }
    if (fromDeployment !== undefined) {
        if (!/^[1-9]\d{0,15}$/.test(fromDeployment) || !Number.isSafeInteger(Number(fromDeployment))) {
            throw invalidInput('from-deployment', fromDeployment, 'expected the id of a GitHub deployment, a positive whole number');
        }
        return { kind: 'from-deployment', id: Number(fromDeployment) };
    }
    if (selector !== undefined) {
        const problem = (0,label_selector/* labelSelectorProblem */.L)(selector);
        if (problem)
            throw invalidInput('selector', selector, `not a label selector: ${problem}`);
        return { kind: 'selector', selector };
    }
    if (workloadsText.length > 0) {
        const workloads = [];
        for (const text of workloadsText) {
            const ref = (0,workload_refs/* parseWorkloadRef */.iD)(text);
            if (!ref)
                throw invalidInput('workloads', text, workload_refs/* WORKLOAD_REF_ACCEPTED */.QK);
            if (workloads.some((other) => other.kind === ref.kind && other.name === ref.name)) {
                throw invalidInput('workloads', text, `${ref.kind} ${ref.name} is listed twice`);
            }
            workloads.push(ref);
        }
        return { kind: 'workloads', workloads };
    }
    return { kind: 'environment' };
}
function readToRevision(source) {
    const text = getOptionalString('to-revision');
    if (text === undefined)
        return undefined;
    if (source.kind === 'from-deployment') {
        throw new errors/* ConfigurationError */.j1('Inputs "to-revision" and "from-deployment" exclude each other: the deployment record says what to restore.', { input: 'to-revision' });
    }
    return getInteger('to-revision', { default: 0, min: 0, max: 2 ** 31 - 1 });
}
/**
 * The platform from the `platform` input or the inputs given; undefined when only a deployment
 * record can say (from-deployment, environment alone). Inputs of two platforms are refused.
 */
function readPlatform(input, source, ecs) {
    const ecsGiven = ECS_INPUTS.filter((name) => name === 'to-task-definition' ? ecs.toTaskDefinition !== undefined : ecs[name] !== undefined);
    const kubernetesGiven = [
        ...(source.kind === 'workloads' || source.kind === 'selector' ? [source.kind] : []),
        ...['to-revision', 'namespace', 'kubeconfig', 'context'].filter((name) => getOptionalString(name) !== undefined),
    ];
    if (ecsGiven.length > 0 && kubernetesGiven.length > 0) {
        throw new errors/* ConfigurationError */.j1(`Inputs "${kubernetesGiven[0]}" (Kubernetes) and "${ecsGiven[0]}" (ECS) name two platforms: give the inputs of one.`, { input: ecsGiven[0] });
    }
    const inferred = ecsGiven.length > 0 ? 'ecs' : kubernetesGiven.length > 0 ? 'kubernetes' : undefined;
    if (input && inferred && input !== inferred) {
        const given = (inferred === 'ecs' ? ecsGiven : kubernetesGiven)[0];
        throw invalidInput('platform', input, `the input "${given}" is one of ${inferred}`);
    }
    return input ?? inferred;
}
/** The cluster credentials as deploy-k8s reads them: the inputs, else KUBECONFIG, ~/.kube/config, in-cluster. */
function resolveKubernetesCluster(env, kubeconfig, context) {
    return resolveKubeconfig({ input: kubeconfig, context, env, cwd: env.GITHUB_WORKSPACE || process.cwd() });
}


/***/ }),

/***/ 5433:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   QK: () => (/* binding */ WORKLOAD_REF_ACCEPTED),
/* harmony export */   iD: () => (/* binding */ parseWorkloadRef),
/* harmony export */   zi: () => (/* binding */ outputKey)
/* harmony export */ });
const WORKLOAD_REF_ACCEPTED = 'expected kind/name with kind deployment, statefulset or daemonset (or deploy, sts, ds), like deployment/api';
const KINDS = {
    deployment: 'Deployment',
    deployments: 'Deployment',
    deploy: 'Deployment',
    'deployment.apps': 'Deployment',
    statefulset: 'StatefulSet',
    statefulsets: 'StatefulSet',
    sts: 'StatefulSet',
    'statefulset.apps': 'StatefulSet',
    daemonset: 'DaemonSet',
    daemonsets: 'DaemonSet',
    ds: 'DaemonSet',
    'daemonset.apps': 'DaemonSet',
};
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function parseWorkloadRef(text) {
    const parts = text.trim().split('/');
    if (parts.length !== 2)
        return undefined;
    const kind = KINDS[(parts[0] ?? '').toLowerCase()];
    const name = parts[1] ?? '';
    if (!kind || name.length > 253 || !SUBDOMAIN.test(name))
        return undefined;
    return { kind, name };
}
/** The key of outputs: `deployment/api`. */
function outputKey(ref) {
    return `${ref.kind.toLowerCase()}/${ref.name}`;
}


/***/ }),

/***/ 7721:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);
/* harmony import */ var _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5392);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1413);
/* harmony import */ var _platform_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(7051);
/* harmony import */ var _records_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8416);





/**
 * inputs -> deployment records (what to restore, what is replaced) -> the platform's rollback:
 * plan (dry run stops here) -> record in_progress -> restore -> wait -> diagnose -> outputs,
 * summary and the record's success or failure.
 */
async function run({ signal, startedAt }) {
    const inputs = await (0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readInputs */ .K)();
    const records = await (0,_records_js__WEBPACK_IMPORTED_MODULE_3__/* .readRecords */ .T3)(inputs, {
        warning: (message) => _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(message),
        info: (message) => _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(message),
        signal,
    });
    const recorded = records.source ? (0,_platform_js__WEBPACK_IMPORTED_MODULE_4__/* .platformOfRecord */ .I)(records.source.payload) : undefined;
    if (inputs.platform && recorded && inputs.platform !== recorded) {
        throw new _shared_src_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`Input "platform" is ${inputs.platform}, but deployment ${records.source?.id} recorded a release on ${recorded}.`);
    }
    if (records.source) {
        _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Deployment ${records.source.id} (${records.source.environment}, commit ${records.source.sha.slice(0, 12)}, ${records.source.createdAt}) says what to roll back.`);
    }
    // Each platform's code is loaded only when it is the one rolled back.
    const platform = inputs.platform ?? recorded ?? 'kubernetes';
    if (platform === 'ecs') {
        const { rollBackEcs } = await __nccwpck_require__.e(/* import() */ 826).then(__nccwpck_require__.bind(__nccwpck_require__, 3826));
        await rollBackEcs(inputs, records, { signal, startedAt });
    }
    else {
        const { rollBackKubernetes } = await Promise.all(/* import() */[__nccwpck_require__.e(752), __nccwpck_require__.e(182)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1182));
        await rollBackKubernetes(inputs, records, { signal, startedAt });
    }
}


/***/ }),

/***/ 7051:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ platformOfRecord),
/* harmony export */   P: () => (/* binding */ PLATFORMS)
/* harmony export */ });
/**
 * The platforms a rollback can restore. Each has its own folder (`kubernetes/`, `ecs/`) with a
 * run of the same shape, so a platform is added by a folder and one entry here. When neither the
 * input nor the other inputs say, a deployment record's payload does.
 */
const PLATFORMS = ['kubernetes', 'ecs'];
function platformOfRecord(payload) {
    return payload.platform;
}


/***/ }),

/***/ 8416:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  T3: () => (/* binding */ readRecords),
  ku: () => (/* binding */ restoredCommit),
  ID: () => (/* binding */ rollbackOf)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __nccwpck_require__(2874);
// EXTERNAL MODULE: ./shared/src/github/client.ts + 1 modules
var github_client = __nccwpck_require__(7069);
// EXTERNAL MODULE: ./shared/src/kubernetes/rollback/rollback-plan.ts
var rollback_plan = __nccwpck_require__(9605);
// EXTERNAL MODULE: ./shared/src/github/deployment-payload.ts
var deployment_payload = __nccwpck_require__(5615);
// EXTERNAL MODULE: ./shared/src/github/run-context.ts
var run_context = __nccwpck_require__(6448);
;// CONCATENATED MODULE: ./shared/src/github/deployment-history.ts






const DEFAULT_TIMEOUT_MS = 30_000;
function deploymentHistory(options) {
    const context = (0,run_context/* readRunContext */.$)(options.env);
    if (!context) {
        throw new errors/* ActionError */.lZ('Cannot read deployment records: GITHUB_REPOSITORY is not set (is this a workflow run?).');
    }
    const client = (0,github_client/* createGitHubClient */.L)(options.token, context);
    const call = async (what, route, parameters) => {
        const deadline = new async_deadline/* Deadline */.B(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, what);
        try {
            return await client.request(route, parameters, {
                deadline,
                signal: options.signal,
                onRetry: options.onRetry,
            });
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            throw new errors/* ActionError */.lZ(`Cannot ${what}: ${(0,errors/* errorMessage */.gJ)(error)}`, {
                hint: 'the github-token needs the deployments: read permission (write to record the rollback).',
                cause: error,
            });
        }
    };
    return {
        async list(environment) {
            const page = await call(`list the deployments of environment ${environment}`, 'GET /repos/{owner}/{repo}/deployments', { environment, per_page: 100 });
            return page.map(toRecord);
        },
        async get(id) {
            return toRecord(await call(`read deployment ${id}`, 'GET /repos/{owner}/{repo}/deployments/{deployment_id}', {
                deployment_id: id,
            }));
        },
        async latestState(id) {
            const statuses = await call(`read the statuses of deployment ${id}`, 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: id, per_page: 1 });
            return statuses[0]?.state;
        },
        async states(id) {
            const statuses = await call(`read the statuses of deployment ${id}`, 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: id, per_page: 100 });
            return statuses.map((status) => status.state);
        },
    };
}
function toRecord(deployment) {
    return {
        id: deployment.id,
        sha: deployment.sha,
        environment: deployment.environment,
        createdAt: deployment.created_at,
        payload: (0,deployment_payload/* readPayload */.rD)(deployment.payload),
    };
}
/**
 * The newest record whose Kubernetes workloads ran exactly these containers' images: the release
 * a rollback restores, whose commit its own record carries. Undefined when no record knows it.
 */
function recordRunning(records, workloads) {
    return records.find((record) => {
        const recorded = record.payload?.kubernetes?.workloads;
        return (recorded !== undefined &&
            workloads.every((wanted) => recorded.some((workload) => workload.kind === wanted.kind &&
                workload.name === wanted.name &&
                workload.namespace === wanted.namespace &&
                (0,rollback_plan/* semanticEqual */.J1)(workload.containers, wanted.containers))));
    });
}

;// CONCATENATED MODULE: ./actions/rollback/src/records.ts


const REQUIRED_READ_TIMEOUT_MS = 30_000;
const BEST_EFFORT_READ_TIMEOUT_MS = 10_000;
async function readRecords(inputs, hooks) {
    const { source: wanted } = inputs;
    const recording = inputs.recordDeployment && !inputs.dryRun;
    const required = wanted.kind === 'from-deployment' || wanted.kind === 'environment';
    // An ECS rollback goes back to the last successful recorded deployment: worth reading even when not recording.
    const useful = recording || wanted.kind === 'service';
    if (!required && !(useful && inputs.environment && inputs.token)) {
        return { environment: inputs.environment, listed: [], recordable: recording };
    }
    const history = deploymentHistory({
        token: inputs.token,
        signal: hooks.signal,
        onRetry: hooks.info,
        // What the rollback depends on may take longer than what only serves its record.
        timeoutMs: required ? REQUIRED_READ_TIMEOUT_MS : BEST_EFFORT_READ_TIMEOUT_MS,
    });
    if (wanted.kind === 'from-deployment') {
        const record = withPayload(await history.get(wanted.id), `Deployment ${wanted.id}`);
        const environment = inputs.environment ?? record.environment;
        const listed = recording ? await listBestEffort(history, environment, hooks) : [];
        return {
            environment,
            source: record,
            listed: listed ?? [],
            recordable: recording && listed !== undefined,
            history,
        };
    }
    if (wanted.kind === 'environment') {
        const environment = inputs.environment;
        const listed = await history.list(environment);
        const latest = listed.find((record) => record.payload);
        if (!latest) {
            throw new errors/* ActionError */.lZ(`Environment ${environment} has no deployment record of Gantry's to roll back (${listed.length} deployment(s) listed).`, {
                hint: 'name the workloads (workloads or selector) instead, or record deploys with environment set.',
            });
        }
        return {
            environment,
            source: withPayload(latest, `Deployment ${latest.id}`),
            listed,
            recordable: recording,
            history,
        };
    }
    const environment = inputs.environment;
    const listed = await listBestEffort(history, environment, hooks);
    return { environment, listed: listed ?? [], recordable: recording && listed !== undefined, history };
}
async function listBestEffort(history, environment, hooks) {
    try {
        return await history.list(environment);
    }
    catch (error) {
        if (hooks.signal.aborted)
            throw error;
        hooks.warning(`Deployment record not written: ${(0,errors/* errorMessage */.gJ)(error)}. The rollback itself is not affected.`);
        return undefined;
    }
}
function withPayload(record, name) {
    if (!record.payload) {
        throw new errors/* ActionError */.lZ(`${name} (environment ${record.environment}, commit ${record.sha.slice(0, 12)}) was not recorded by Gantry: its payload does not say what was deployed.`);
    }
    return record;
}
/** The deployment being replaced: the environment's newest, whatever its state. */
function rollbackOf(context) {
    return context.listed[0]?.id;
}
/**
 * The commit of the release restored: the record named by from-deployment, else the newest record
 * whose workloads ran exactly the images now restored; undefined when none did (the run's commit
 * is recorded then).
 */
function restoredCommit(context, restored, fromDeployment) {
    if (fromDeployment)
        return context.source?.sha;
    return recordRunning(context.listed, restored)?.sha;
}


/***/ }),

/***/ 2874:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline),
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5082);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3904);


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
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeadlineExceededError */ .Kt(`Timed out after ${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(this.timeoutMs)} waiting for ${this.what}${detail ? `: ${detail}` : ''}.`);
    }
}


/***/ }),

/***/ 3014:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* unused harmony export RetryExhaustedError */
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5082);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(2874);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3904);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(3701);




class RetryExhaustedError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ {
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
    const { attempts = Number.POSITIVE_INFINITY, initialDelayMs = 500, maxDelayMs = 30_000, clock = _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m, sleep = _sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .sleep */ .yy, random = Math.random, } = options;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        (0,_sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .throwIfAborted */ .Te)(options.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            // An attempt that failed once the signal was aborted: the abort is the answer, not a retry
            // (nor a "retrying" line after whatever aborted it).
            (0,_sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .throwIfAborted */ .Te)(options.signal);
            const verdict = options.classify(error);
            if (!verdict.transient)
                throw error;
            const backoff = random() * Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
            const delayMs = Math.max(backoff, verdict.retryAfterMs ?? 0);
            const elapsed = (0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - started);
            if (attempt >= attempts) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`, attempt, error);
            }
            if (options.deadline && delayMs >= options.deadline.remaining()) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}, the deadline of ` +
                    `${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(options.deadline.timeoutMs)} leaves no time for another: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`, attempt, error);
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

/***/ 7069:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  L: () => (/* binding */ createGitHubClient)
});

// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __nccwpck_require__(3014);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __nccwpck_require__(2663);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
;// CONCATENATED MODULE: ./shared/src/github/api-failure.ts


/** Reads an Octokit RequestError (or anything thrown by fetch) by shape. */
function gitHubFailure(error) {
    const record = typeof error === 'object' && error !== null ? error : {};
    const response = record.response;
    return {
        status: typeof record.status === 'number' ? record.status : undefined,
        answered: response !== undefined,
        headers: response?.headers ?? {},
        message: oneLine((0,errors/* errorMessage */.gJ)(error)),
    };
}
const SECONDARY_WITHOUT_HEADER_MS = 60_000;
function classifyGitHubFailure(error, now = Date.now()) {
    if (isAbort(error))
        return { transient: false };
    const { status, answered, headers, message } = gitHubFailure(error);
    const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(headers['retry-after'], now);
    if (status === undefined)
        return { transient: false };
    if (status === 403 || status === 429) {
        if (retryAfterMs !== undefined)
            return { transient: true, reason: `${status} rate limited`, retryAfterMs };
        if (/secondary rate limit/i.test(message)) {
            return {
                transient: true,
                reason: `${status} secondary rate limit`,
                retryAfterMs: SECONDARY_WITHOUT_HEADER_MS,
            };
        }
        if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
            const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now;
            return {
                transient: true,
                reason: `${status} rate limit exhausted`,
                retryAfterMs: Math.max(0, resetMs),
            };
        }
        return { transient: false };
    }
    // Octokit reports a connection that failed (no answer at all) as status 500 without a response.
    if (status >= 500)
        return { transient: true, reason: answered ? `${status} ${message}` : message };
    return { transient: false };
}
function isAbort(error) {
    return typeof error === 'object' && error !== null && error.name === 'AbortError';
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./shared/src/github/client.ts



function createGitHubClient(token, context) {
    (0,secrets/* maskSecret */.$l)(token);
    let octokit;
    const load = () => {
        octokit ??= Promise.all(/* import() */[__nccwpck_require__.e(752), __nccwpck_require__.e(413)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2413)).then(({ getOctokit }) => 
        // No Octokit logging: a failed call becomes one warning of Gantry's, not console noise.
        getOctokit(token, { baseUrl: context.apiUrl, log: silentLog }));
        return octokit;
    };
    return {
        owner: context.owner,
        repo: context.repo,
        async request(route, parameters, call) {
            const client = await load();
            const response = await (0,retry/* retry */.L5)(() => client.request(route, {
                owner: context.owner,
                repo: context.repo,
                ...parameters,
                request: { signal: call.deadline.signal(call.signal) },
            }), {
                what: route,
                classify: (error) => classifyGitHubFailure(error),
                deadline: call.deadline,
                signal: call.signal,
                initialDelayMs: 250,
                maxDelayMs: 5_000,
                onRetry: ({ reason, delayMs }) => call.onRetry?.(`${route}: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`),
            });
            return response.data;
        },
    };
}
const ignore = () => undefined;
const silentLog = { debug: ignore, info: ignore, warn: ignore, error: ignore };


/***/ }),

/***/ 5615:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Kj: () => (/* binding */ limitDescription),
/* harmony export */   Y3: () => (/* binding */ releasePayload),
/* harmony export */   rD: () => (/* binding */ readPayload)
/* harmony export */ });
/* unused harmony exports PAYLOAD_VERSION, MAX_DESCRIPTION_CHARS */
/* harmony import */ var _kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7585);

/**
 * What a deployment record's `payload` holds, the contract between the deploy actions that write
 * records and the rollback action that reads them: the platform and its coordinates, the images
 * with their digests, the revisions or task definitions before and after, the run, and for a
 * rollback the deployment it replaced. Keys are snake_case, as the rest of GitHub's deployment.
 * Kubernetes revision numbers change when a revision is rolled back to (it becomes the newest), so
 * the containers' images, not the numbers, are what identifies a release later.
 */
const PAYLOAD_VERSION = 1;
/**
 * A payload from what an action knows: the platform follows from the coordinates given, the
 * images from the workloads' containers unless listed (ECS), and the run URL from the run.
 */
function releasePayload(fields) {
    const fromWorkloads = (fields.kubernetes?.workloads ?? []).flatMap((workload) => Object.values(workload.containers));
    return {
        gantry: PAYLOAD_VERSION,
        action: fields.action,
        platform: fields.ecs ? 'ecs' : 'kubernetes',
        ...(fields.kubernetes ? { kubernetes: fields.kubernetes } : {}),
        ...(fields.ecs ? { ecs: fields.ecs } : {}),
        images: [...new Set(fields.images ?? fromWorkloads)],
        run_url: fields.runUrl ?? null,
        ...(fields.rollbackOf === undefined ? {} : { rollback_of: fields.rollbackOf }),
    };
}
/** A payload Gantry wrote, or undefined for anything else (another tool's deployments, old shapes). */
function readPayload(value) {
    const payload = typeof value === 'string' ? parseJson(value) : value;
    if (!(0,_kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(payload) || payload.gantry !== PAYLOAD_VERSION)
        return undefined;
    if (payload.platform === 'kubernetes') {
        const coordinates = payload.kubernetes;
        if (!(0,_kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(coordinates) || !Array.isArray(coordinates.workloads))
            return undefined;
        if (!coordinates.workloads.every(isRecordedWorkload))
            return undefined;
    }
    else if (payload.platform === 'ecs') {
        const ecs = payload.ecs;
        if (!(0,_kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(ecs) || typeof ecs.cluster !== 'string' || typeof ecs.service !== 'string')
            return undefined;
        if (typeof ecs.task_definition !== 'string')
            return undefined;
    }
    else {
        return undefined;
    }
    return payload;
}
function isRecordedWorkload(value) {
    return ((0,_kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(value) &&
        (value.kind === 'Deployment' || value.kind === 'StatefulSet' || value.kind === 'DaemonSet') &&
        typeof value.name === 'string' &&
        typeof value.namespace === 'string' &&
        (0,_kubernetes_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(value.containers) &&
        Object.values(value.containers).every((image) => typeof image === 'string'));
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** GitHub refuses a status description over 140 characters; longer text is cut with an ellipsis. */
const MAX_DESCRIPTION_CHARS = 140;
function limitDescription(text) {
    const oneLine = text.replace(/\s+/g, ' ').trim();
    const characters = Array.from(oneLine);
    if (characters.length <= MAX_DESCRIPTION_CHARS)
        return oneLine;
    return `${characters.slice(0, MAX_DESCRIPTION_CHARS - 1).join('')}…`;
}


/***/ }),

/***/ 6448:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ readRunContext)
/* harmony export */ });
function readRunContext(env = process.env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo || rest.length > 0)
        return undefined;
    const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
    const runUrl = env.GITHUB_RUN_ID
        ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`
        : undefined;
    return {
        owner,
        repo,
        sha: env.GITHUB_SHA ?? '',
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
        runUrl,
    };
}


/***/ }),

/***/ 3608:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  L: () => (/* binding */ labelSelectorProblem),
  S: () => (/* binding */ selectorQuery)
});

// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __nccwpck_require__(7585);
;// CONCATENATED MODULE: ./shared/src/kubernetes/metadata-keys.ts
/**
 * Kubernetes' rules for label and annotation keys (qualified names: an optional DNS-subdomain
 * prefix, a slash, a name of at most 63 characters) and label values (at most 63 characters of the
 * same alphabet, or empty), from apimachinery's validation package.
 */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Why a key is not a qualified name, or undefined when it is one. */
function qualifiedNameProblem(key) {
    const slash = key.indexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix))) {
        return 'the prefix before "/" must be a DNS subdomain (lowercase letters, digits, - and .)';
    }
    if (name.length === 0 || name.length > 63)
        return 'the name must be 1 to 63 characters';
    if (!NAME.test(name)) {
        return 'the name must be letters, digits, -, _ and ., starting and ending with a letter or digit';
    }
    return undefined;
}
function labelValueProblem(value) {
    if (value === '')
        return undefined;
    if (value.length > 63)
        return 'a label value is at most 63 characters';
    if (!NAME.test(value)) {
        return 'a label value must be letters, digits, -, _ and ., starting and ending with a letter or digit';
    }
    return undefined;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/label-selector.ts


/**
 * A workload's `spec.selector` (matchLabels and matchExpressions) as the `labelSelector` query
 * parameter of list and watch calls, so the API server filters and only the workload's own pods,
 * ReplicaSets and ControllerRevisions come back.
 */
function selectorQuery(selector) {
    if (!(0,object/* isRecord */.u4)(selector))
        return undefined;
    const terms = [];
    if ((0,object/* isRecord */.u4)(selector.matchLabels)) {
        for (const [key, value] of Object.entries(selector.matchLabels))
            terms.push(`${key}=${String(value)}`);
    }
    if (Array.isArray(selector.matchExpressions)) {
        for (const expression of selector.matchExpressions) {
            const term = expressionTerm(expression);
            if (term)
                terms.push(term);
        }
    }
    return terms.length > 0 ? terms.join(',') : undefined;
}
function expressionTerm(expression) {
    if (!(0,object/* isRecord */.u4)(expression) || typeof expression.key !== 'string')
        return undefined;
    const values = Array.isArray(expression.values) ? expression.values.map(String).join(',') : '';
    switch (expression.operator) {
        case 'In':
            return `${expression.key} in (${values})`;
        case 'NotIn':
            return `${expression.key} notin (${values})`;
        case 'Exists':
            return expression.key;
        case 'DoesNotExist':
            return `!${expression.key}`;
        default:
            return undefined;
    }
}
/**
 * Why a label selector as typed (`app=web,tier in (api,worker),!canary`) is not one the API server
 * accepts, or undefined when it is: apimachinery's selector grammar (=, ==, !=, in, notin, exists,
 * !exists), with its rules for keys and values. Checked before any request.
 */
function labelSelectorProblem(text) {
    const requirements = splitRequirements(text);
    if (requirements === undefined)
        return 'unbalanced parentheses';
    if (requirements.length === 0)
        return 'it selects nothing';
    for (const requirement of requirements) {
        const problem = requirementProblem(requirement.trim());
        if (problem)
            return `"${requirement.trim()}": ${problem}`;
    }
    return undefined;
}
function splitRequirements(text) {
    const parts = [];
    let depth = 0;
    let current = '';
    for (const char of text) {
        if (char === '(')
            depth += 1;
        if (char === ')')
            depth -= 1;
        if (depth < 0 || depth > 1)
            return undefined;
        if (char === ',' && depth === 0) {
            parts.push(current);
            current = '';
        }
        else
            current += char;
    }
    if (depth !== 0)
        return undefined;
    parts.push(current);
    return text.trim() === '' ? [] : parts;
}
function requirementProblem(requirement) {
    if (requirement === '')
        return 'an empty requirement (a stray comma?)';
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(requirement);
    if (set) {
        const values = (set[3] ?? '').split(',').map((value) => value.trim());
        return keyProblem(set[1] ?? '') ?? values.map(valueProblem).find(Boolean);
    }
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(requirement);
    if (equality)
        return keyProblem(equality[1] ?? '') ?? valueProblem(equality[3] ?? '');
    const exists = /^!?\s*([^=!\s()]+)$/.exec(requirement);
    if (exists)
        return keyProblem(exists[1] ?? '');
    return 'expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)';
}
function keyProblem(key) {
    const problem = qualifiedNameProblem(key);
    return problem ? `the key "${key}" is not valid: ${problem}` : undefined;
}
function valueProblem(value) {
    return labelValueProblem(value);
}


/***/ }),

/***/ 7585:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   D0: () => (/* binding */ isOwnedBy),
/* harmony export */   E4: () => (/* binding */ versionOf),
/* harmony export */   F8: () => (/* binding */ groupOf),
/* harmony export */   OM: () => (/* binding */ stringField),
/* harmony export */   Ro: () => (/* binding */ describeRef),
/* harmony export */   ZZ: () => (/* binding */ field),
/* harmony export */   sJ: () => (/* binding */ numberField),
/* harmony export */   u4: () => (/* binding */ isRecord)
/* harmony export */ });
/**
 * Kubernetes objects as the API sends and receives them: plain JSON, never typed models, so that a
 * field this code does not know (a newer API's, a custom resource's) passes through untouched
 * (kubernetes-client/javascript#2962 is what round-tripping through typed models costs).
 */
/** `Deployment/shop/web`, or `Namespace/shop` for a cluster-scoped object. */
function describeRef(ref) {
    return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
/** The API group of an apiVersion: `apps` for `apps/v1`, `` for the core `v1`. */
function groupOf(apiVersion) {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
}
function versionOf(apiVersion) {
    return apiVersion.slice(apiVersion.indexOf('/') + 1);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Reads a nested field without trusting the shape: `field(obj, 'spec', 'template', 'spec')`. */
function field(value, ...path) {
    let current = value;
    for (const key of path) {
        if (!isRecord(current))
            return undefined;
        current = current[key];
    }
    return current;
}
function numberField(value, ...path) {
    const found = field(value, ...path);
    return typeof found === 'number' ? found : undefined;
}
function stringField(value, ...path) {
    const found = field(value, ...path);
    return typeof found === 'string' ? found : undefined;
}
/** True when `owner` is the controller (or an owner) of `object` by uid. */
function isOwnedBy(object, ownerUid) {
    if (!ownerUid)
        return false;
    return (object.metadata?.ownerReferences ?? []).some((reference) => reference.uid === ownerUid);
}


/***/ }),

/***/ 9605:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $d: () => (/* binding */ historyTemplate),
/* harmony export */   BU: () => (/* binding */ controllerRevisionNumber),
/* harmony export */   DA: () => (/* binding */ chooseByImages),
/* harmony export */   GY: () => (/* binding */ chooseReplicaSet),
/* harmony export */   J1: () => (/* binding */ semanticEqual),
/* harmony export */   Jo: () => (/* binding */ chooseControllerRevision),
/* harmony export */   Ou: () => (/* binding */ replicaSetRevision),
/* harmony export */   TD: () => (/* binding */ templateImages),
/* harmony export */   Yh: () => (/* binding */ deploymentRollbackPatch),
/* harmony export */   ax: () => (/* binding */ historyRevision),
/* harmony export */   bt: () => (/* binding */ templatesEqualIgnoringHash),
/* harmony export */   lm: () => (/* binding */ controllerRevisionMatches),
/* harmony export */   wB: () => (/* binding */ REVISION_ANNOTATION)
/* harmony export */ });
/* harmony import */ var _object_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7585);

/**
 * The decisions of `kubectl rollout undo` (kubectl/pkg/polymorphichelpers/rollback.go), pure:
 * which ReplicaSet or ControllerRevision to return to, whether the workload already matches it,
 * and the patch that restores it. Two departures where kubectl's behaviour is a quirk rather than
 * a rule: a missing revision is reported with the revisions that do exist ("revision 7 not found
 * (available: 3, 4, 5, 6)"), and the Deployment keeps annotations of its own that the ReplicaSet
 * does not carry (kubectl drops them).
 */
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';
/** Kept from the Deployment, never copied from the ReplicaSet, as kubectl does. */
const ANNOTATIONS_TO_SKIP = new Set([
    'kubectl.kubernetes.io/last-applied-configuration',
    REVISION_ANNOTATION,
    'deployment.kubernetes.io/revision-history',
    'deployment.kubernetes.io/desired-replicas',
    'deployment.kubernetes.io/max-replicas',
    'deprecated.deployment.rollback.to',
]);
function replicaSetRevision(replicaSet) {
    const text = replicaSet.metadata?.annotations?.[REVISION_ANNOTATION];
    if (text === undefined || !/^\d+$/.test(text))
        return undefined;
    return Number(text);
}
/**
 * kubectl's deploymentRevision: with toRevision 0 the second-newest revision (the one before the
 * current), otherwise the ReplicaSet of exactly that revision.
 */
function chooseReplicaSet(replicaSets, toRevision) {
    const available = replicaSets.flatMap((set) => replicaSetRevision(set) ?? []);
    if (toRevision < 0)
        return { ok: false, reason: notFound(toRevision, available) };
    let latest;
    let previous;
    for (const set of replicaSets) {
        const revision = replicaSetRevision(set);
        if (revision === undefined)
            continue;
        if (toRevision > 0) {
            if (revision === toRevision)
                return { ok: true, value: set };
            continue;
        }
        if (!latest || latest.revision < revision) {
            previous = latest;
            latest = { set, revision };
        }
        else if (!previous || previous.revision < revision) {
            previous = { set, revision };
        }
    }
    if (toRevision > 0)
        return { ok: false, reason: notFound(toRevision, available) };
    if (!previous)
        return { ok: false, reason: noPrevious(available) };
    return { ok: true, value: previous.set };
}
/** kubectl's equalIgnoreHash: the templates are the same apart from the pod-template-hash label. */
function templatesEqualIgnoringHash(a, b) {
    return semanticEqual(withoutHash(a), withoutHash(b));
}
/**
 * kubectl's getDeploymentPatch: replace the template with the ReplicaSet's (hash label removed) and
 * take the ReplicaSet's annotations, keeping the Deployment's bookkeeping annotations. Unlike
 * kubectl, the Deployment's other annotations that the ReplicaSet does not carry are kept too
 * (kubectl drops them, which surprises whoever set them). `add` rather than kubectl's `replace` for the annotations: it also works on a Deployment that
 * has none, and means the same otherwise (RFC 6902: add on an existing member replaces it).
 */
function deploymentRollbackPatch(deployment, replicaSet) {
    const annotations = {};
    for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {})) {
        annotations[key] = value;
    }
    for (const [key, value] of Object.entries(replicaSet.metadata?.annotations ?? {})) {
        if (!ANNOTATIONS_TO_SKIP.has(key))
            annotations[key] = value;
    }
    return [
        { op: 'replace', path: '/spec/template', value: withoutHash((0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(replicaSet, 'spec', 'template')) },
        { op: 'add', path: '/metadata/annotations', value: annotations },
    ];
}
/** kubectl's findHistory: toRevision 0 is the second-highest revision; otherwise that exact one. */
function chooseControllerRevision(history, toRevision) {
    const available = history.map(controllerRevisionNumber);
    if (toRevision < 0)
        return { ok: false, reason: notFound(toRevision, available) };
    if (toRevision === 0) {
        if (history.length <= 1)
            return { ok: false, reason: noPrevious(available) };
        const sorted = [...history].sort((a, b) => controllerRevisionNumber(a) - controllerRevisionNumber(b));
        return { ok: true, value: sorted[sorted.length - 2] };
    }
    const found = history.find((revision) => controllerRevisionNumber(revision) === toRevision);
    return found ? { ok: true, value: found } : { ok: false, reason: notFound(toRevision, available) };
}
function controllerRevisionNumber(revision) {
    return typeof revision.revision === 'number' ? revision.revision : 0;
}
/**
 * kubectl compares the patch it would build from the live template with the revision's bytes;
 * comparing the templates themselves decides the same without depending on key order.
 */
function controllerRevisionMatches(workload, revision) {
    const stored = (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(revision, 'data', 'spec', 'template');
    if (!(0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(stored))
        return false;
    const { $patch: _directive, ...template } = stored;
    return semanticEqual(template, (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(workload, 'spec', 'template'));
}
/**
 * apimachinery's semantic equality as it matters here: a missing field, null, an empty map and an
 * empty list are all the same (the API omits empty values; Go compares nil and empty as equal).
 */
function semanticEqual(a, b) {
    if (isEmpty(a) && isEmpty(b))
        return true;
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((item, index) => semanticEqual(item, b[index]));
    }
    if ((0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(a) && (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(b)) {
        return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => semanticEqual(a[key], b[key]));
    }
    return a === b;
}
function isEmpty(value) {
    return (value === undefined ||
        value === null ||
        (Array.isArray(value) && value.length === 0) ||
        ((0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(value) && Object.keys(value).length === 0));
}
function withoutHash(template) {
    if (!(0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(template))
        return template;
    const metadata = (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(template.metadata) ? template.metadata : {};
    const labels = (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(metadata.labels) ? { ...metadata.labels } : undefined;
    if (labels)
        delete labels[POD_TEMPLATE_HASH];
    return { ...template, metadata: { ...metadata, ...(labels ? { labels } : {}) } };
}
function notFound(revision, available) {
    return `revision ${revision} not found (available: ${listRevisions(available)})`;
}
function noPrevious(available) {
    return available.length === 0
        ? 'no previous revision: there is no rollout history'
        : `no previous revision: revision ${available[0]} is the only one in the history`;
}
function listRevisions(revisions) {
    return revisions.length === 0 ? 'none' : [...new Set(revisions)].sort((a, b) => a - b).join(', ');
}
/** The revision number of a ReplicaSet or ControllerRevision, 0 when it has none. */
function historyRevision(entry) {
    return typeof entry.revision === 'number' ? entry.revision : (replicaSetRevision(entry) ?? 0);
}
/** The pod template a ReplicaSet or ControllerRevision holds. */
function historyTemplate(entry) {
    return (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(entry, 'spec', 'template') ?? (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(entry, 'data', 'spec', 'template');
}
/** Container name -> image of a pod template, init containers included. */
function templateImages(template) {
    const images = {};
    for (const list of ['initContainers', 'containers']) {
        const containers = (0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .field */ .ZZ)(template, 'spec', list);
        if (!Array.isArray(containers))
            continue;
        for (const container of containers) {
            if ((0,_object_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(container) && typeof container.name === 'string' && typeof container.image === 'string') {
                images[container.name] = container.image;
            }
        }
    }
    return images;
}
/**
 * The newest entry of a history whose template runs exactly these images (container name ->
 * image): how a recorded release is found again, since revision numbers change on every rollback.
 */
function chooseByImages(history, images) {
    const matching = history
        .filter((entry) => semanticEqual(templateImages(historyTemplate(entry)), images))
        .sort((a, b) => historyRevision(b) - historyRevision(a));
    const found = matching[0];
    if (found)
        return { ok: true, value: found };
    const wanted = Object.entries(images)
        .map(([name, image]) => `${name}=${image}`)
        .join(', ');
    return {
        ok: false,
        reason: `no revision in its history runs the recorded images (${wanted}); available: ${listRevisions(history.map(historyRevision))}`,
    };
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
/* harmony export */   lm: () => (/* binding */ notice),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export debug */
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
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('error', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
}
function notice(message, location = {}) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('notice', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
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
/* harmony export */   XF: () => (/* binding */ REDACTED)
/* harmony export */ });
/* unused harmony exports isCredentialName, redactUrlCredentials, urlForMessages, safeDecode */
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

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

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
/******/ var __webpack_exports__ = __nccwpck_require__(2754);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
