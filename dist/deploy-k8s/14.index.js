export const id = 14;
export const ids = [14];
export const modules = {

/***/ 633:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ej: () => (/* reexport */ analysisOutput),
  d_: () => (/* reexport */ analysisSummary),
  checkAnalysisNeeds: () => (/* reexport */ checkAnalysisNeeds),
  readAnalysis: () => (/* reexport */ readAnalysis),
  A1: () => (/* reexport */ runAnalysis)
});

// UNUSED EXPORTS: measurementLine

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
;// CONCATENATED MODULE: ./shared/src/smoke-checks/check-fields.ts


/** Typed fields of one check in the `checks` YAML, each error naming the input, the check and the field. */
/** Names the check a field belongs to, for error messages. */
class check_fields_Where {
    input;
    label;
    /** Put before each field name: an analysis names `checks[1].smoke-test.url`, not just `url`. */
    fieldPrefix;
    constructor(input, label, fieldPrefix = '') {
        this.input = input;
        this.label = label;
        this.fieldPrefix = fieldPrefix;
    }
    error(field, value, accepted) {
        const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
        return new errors/* ConfigurationError */.j1(`Input "${this.input}", ${this.label}: "${this.fieldPrefix}${field}" has an invalid value ${shown}: ${accepted}.`, { input: this.input });
    }
}
function optionalString(fields, key, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'string')
        throw where.error(key, value, 'expected a string');
    return value;
}
function optionalInteger(fields, key, min, max, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw where.error(key, value, `expected a whole number from ${min} to ${max}`);
    }
    return value;
}
function optionalBoolean(fields, key, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'boolean')
        throw where.error(key, value, 'expected true or false');
    return value;
}
/** Durations inside the YAML need a unit (`500ms`, `2s`): a bare 500 is ambiguous. */
function optionalLatency(fields, key, where, zeroAllowed = false) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    const ms = typeof value === 'string' && !/^[\d.]+$/.test(value.trim()) ? (0,duration/* parseDuration */.E)(value) : undefined;
    if (ms === undefined || (ms === 0 && !zeroAllowed) || ms > 3_600_000) {
        throw where.error(key, value, `expected a duration with a unit like 500ms, 2s or 1m, ${zeroAllowed ? 'at most' : 'above 0 and at most'} 1h`);
    }
    return ms;
}

// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __webpack_require__(2663);
;// CONCATENATED MODULE: ./shared/src/smoke-checks/status-set.ts
function parseStatusSet(value) {
    const tokens = statusTokens(value);
    if (!tokens || tokens.length === 0)
        return undefined;
    const ranges = [];
    for (const token of tokens) {
        const match = /^([1-5]\d\d)(?:\s*-\s*([1-5]\d\d))?$/.exec(token);
        if (!match)
            return undefined;
        const low = Number(match[1]);
        const high = match[2] === undefined ? low : Number(match[2]);
        if (high < low)
            return undefined;
        ranges.push([low, high]);
    }
    return {
        ranges,
        text: ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(', '),
    };
}
function statusMatches(set, status) {
    return set.ranges.some(([low, high]) => status >= low && status <= high);
}
const STATUS_SET_ACCEPTED = 'expected HTTP statuses from 100 to 599 like 200, 200-299 or "200, 301-302"';
function statusTokens(value) {
    if (typeof value === 'number')
        return [String(value)];
    if (typeof value === 'string')
        return value
            .replace(/\s*-\s*/g, '-')
            .split(/[\s,]+/)
            .filter(Boolean);
    if (Array.isArray(value)) {
        const tokens = [];
        for (const item of value) {
            const inner = statusTokens(item);
            if (!inner || Array.isArray(item))
                return undefined;
            tokens.push(...inner);
        }
        return tokens;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./shared/src/smoke-checks/check-spec.ts




const CHECK_KEYS = (/* unused pure expression or super */ null && ([
    'name',
    'url',
    'method',
    'headers',
    'body',
    'status',
    'contains',
    'regex',
    'json',
    'max-latency',
    'p95-latency',
    'timeout',
    'follow-redirects',
    'samples',
    'failure-limit',
    'consecutive-successes',
    'interval',
    'ca-certificate',
    'insecure',
]));
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
function checkFromUrl(url, index, settings) {
    const where = new Where('url', `URL ${index + 1}`);
    const target = parseTarget(url, where);
    return {
        ...settings,
        name: `GET ${target.displayUrl}`,
        url: target.url,
        displayUrl: target.displayUrl,
        headers: withAuthorization(settings.headers, target),
        method: 'GET',
        body: undefined,
        contains: [],
        regex: undefined,
        json: [],
    };
}
function parseChecks(value, settings) {
    if (value === undefined)
        return [];
    if (!Array.isArray(value)) {
        throw new ConfigurationError(`Input "checks" must be a YAML list of checks, each a mapping with at least "url"; got ${describeShape(value)}.`, { input: 'checks' });
    }
    return value.map((item, index) => parseCheck(item, index, settings));
}
function parseCheck(item, index, settings) {
    const position = `check ${index + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new ConfigurationError(`Input "checks", ${position}: expected a mapping with at least "url", got ${describeShape(item)}.`, { input: 'checks' });
    }
    const fields = item;
    const name = fields.name === undefined ? undefined : String(fields.name).trim();
    const where = new Where('checks', name ? `${position} ("${name}")` : position);
    for (const key of Object.keys(fields)) {
        if (!CHECK_KEYS.includes(key)) {
            // The field's value is not shown: under a misspelt `headers` it may be a credential.
            throw new ConfigurationError(`Input "checks", ${where.label}: unknown field "${key}"; a check accepts ${CHECK_KEYS.join(', ')}.`, { input: 'checks' });
        }
    }
    if (name !== undefined && (!['string', 'number'].includes(typeof fields.name) || name === '')) {
        throw where.error('name', fields.name, 'expected a non-empty text');
    }
    return readCheckFields(fields, where, settings, name);
}
/**
 * The fields of one check mapping whose keys the caller has already vetted (smoke-test's `checks`
 * input, or a `smoke-test` check of an analysis, which also accepts `body-contains` for `contains`).
 */
function readCheckFields(fields, where, settings, name) {
    if (fields.url === undefined)
        throw where.error('url', undefined, 'every check needs a url');
    if (typeof fields.url !== 'string')
        throw where.error('url', fields.url, 'expected an http:// or https:// URL');
    const target = parseTarget(fields.url, where);
    const method = optionalString(fields, 'method', where)?.toUpperCase() ?? 'GET';
    if (!METHODS.includes(method))
        throw where.error('method', fields.method, `expected one of ${METHODS.join(', ')}`);
    const body = optionalString(fields, 'body', where);
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
        throw where.error('body', '(not shown)', `a ${method} request cannot have a body; use POST, PUT, PATCH or DELETE`);
    }
    const samples = optionalInteger(fields, 'samples', 1, 1000, where) ?? settings.samples;
    const failureLimit = optionalInteger(fields, 'failure-limit', 0, 1000, where) ?? settings.failureLimit;
    const consecutiveSuccesses = optionalInteger(fields, 'consecutive-successes', 1, 1000, where) ?? settings.consecutiveSuccesses;
    if (failureLimit >= samples) {
        throw where.error('failure-limit', failureLimit, `must be less than samples (${samples}), or no failure could fail the check`);
    }
    return {
        name: name ?? `${method} ${target.displayUrl}`,
        url: target.url,
        displayUrl: target.displayUrl,
        method,
        body,
        headers: withAuthorization({ ...settings.headers, ...parseHeaders(fields.headers, where) }, target),
        expectedStatus: fields.status === undefined ? settings.expectedStatus : parseStatus(fields.status, where),
        contains: fields['body-contains'] === undefined
            ? parseContains(fields.contains, 'contains', where)
            : parseContains(fields['body-contains'], 'body-contains', where),
        regex: parseRegex(fields.regex, where),
        json: parseJsonAssertions(fields.json, where),
        maxLatencyMs: optionalLatency(fields, 'max-latency', where) ?? settings.maxLatencyMs,
        p95LatencyMs: optionalLatency(fields, 'p95-latency', where) ?? settings.p95LatencyMs,
        requestTimeoutMs: optionalLatency(fields, 'timeout', where) ?? settings.requestTimeoutMs,
        followRedirects: optionalBoolean(fields, 'follow-redirects', where) ?? settings.followRedirects,
        samples,
        failureLimit,
        consecutiveSuccesses,
        intervalMs: optionalLatency(fields, 'interval', where, true) ?? settings.intervalMs,
        tls: {
            ca: optionalCertificate(fields, where) ?? settings.tls.ca,
            insecure: optionalBoolean(fields, 'insecure', where) ?? settings.tls.insecure,
        },
    };
}
function parseTarget(raw, where) {
    let url;
    try {
        url = new URL(raw.trim());
    }
    catch {
        throw where.error('url', (0,secrets/* urlForMessages */.Fi)(raw), 'expected an absolute http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw where.error('url', (0,secrets/* urlForMessages */.Fi)(raw), 'expected an http:// or https:// URL');
    }
    const display = new URL((0,secrets/* redactUrlCredentials */.dE)(url.toString()));
    let authorization;
    if (url.username || url.password) {
        const basic = Buffer.from(`${(0,secrets/* safeDecode */.ex)(url.username)}:${(0,secrets/* safeDecode */.ex)(url.password)}`).toString('base64');
        (0,secrets/* maskSecret */.$l)(basic);
        authorization = `Basic ${basic}`;
        url.username = '';
        url.password = '';
    }
    for (const [key, value] of url.searchParams) {
        if ((0,secrets/* isCredentialName */.hN)(key)) {
            (0,secrets/* maskSecret */.$l)(value);
            display.searchParams.set(key, secrets/* REDACTED */.XF);
        }
    }
    return { url: url.toString(), displayUrl: display.toString(), authorization };
}
/** The action-level `headers` input, validated like a check's own headers. */
function parseActionHeaders(map) {
    return parseHeaders(map, new Where('headers', 'a header'));
}
function parseHeaders(value, where) {
    if (value === undefined || value === null)
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw where.error('headers', '(not shown)', 'expected a mapping of header name to value');
    }
    const headers = {};
    for (const [name, headerValue] of Object.entries(value)) {
        if (!HEADER_NAME.test(name))
            throw where.error('headers', name, 'not a valid HTTP header name');
        if (typeof headerValue !== 'string' && typeof headerValue !== 'number') {
            throw where.error(`headers.${name}`, '(not shown)', 'expected a string value');
        }
        const text = String(headerValue);
        if (/[\r\n\0]/.test(text)) {
            throw where.error(`headers.${name}`, '(not shown)', 'a header value cannot contain line breaks');
        }
        if ((0,secrets/* isCredentialName */.hN)(name)) {
            (0,secrets/* maskSecret */.$l)(text);
            (0,secrets/* maskSecret */.$l)(text.replace(/^(Bearer|Basic|Token)\s+/i, ''));
        }
        headers[name.toLowerCase()] = text;
    }
    return headers;
}
function withAuthorization(headers, target) {
    return target.authorization && !headers.authorization
        ? { ...headers, authorization: target.authorization }
        : headers;
}
function parseStatus(value, where) {
    const set = parseStatusSet(value);
    if (!set)
        throw where.error('status', value, STATUS_SET_ACCEPTED);
    return set;
}
function parseContains(value, key, where) {
    if (value === undefined)
        return [];
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
        if (typeof item !== 'string' || item === '')
            throw where.error(key, value, 'expected a non-empty string or a list of them');
    }
    return items;
}
function parseRegex(value, where) {
    if (value === undefined)
        return undefined;
    if (typeof value !== 'string' || value === '')
        throw where.error('regex', value, 'expected a regular expression');
    try {
        return new RegExp(value);
    }
    catch (error) {
        throw where.error('regex', value, `not a valid JavaScript regular expression (${error.message})`);
    }
}
function parseJsonAssertions(value, where) {
    if (value === undefined)
        return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw where.error('json', item, 'expected a list of {path, equals} or {path, exists}');
        }
        const { path, equals, exists, ...rest } = item;
        const extra = Object.keys(rest)[0];
        if (extra !== undefined)
            throw where.error(`json.${extra}`, rest[extra], 'unknown field; use path with equals or exists');
        if (typeof path !== 'string' || !path.startsWith('$')) {
            throw where.error('json.path', path, 'expected a JSONPath starting with $, like $.status or $.checks[0].ok');
        }
        const hasEquals = Object.hasOwn(item, 'equals');
        if (hasEquals === (exists !== undefined)) {
            throw where.error('json', item, `the assertion on ${path} needs exactly one of equals or exists`);
        }
        if (exists !== undefined && typeof exists !== 'boolean')
            throw where.error('json.exists', exists, 'expected true or false');
        return hasEquals ? { path, equals } : { path, exists: exists };
    });
}
/** The same check as the action-level input: a typo would otherwise distrust every certificate. */
function optionalCertificate(fields, where) {
    const ca = optionalString(fields, 'ca-certificate', where);
    if (ca !== undefined && !ca.includes(PEM_CERTIFICATE)) {
        throw where.error('ca-certificate', ca.slice(0, 30), `expected PEM text starting with ${PEM_CERTIFICATE}`);
    }
    return ca;
}
/** What a YAML value is, for messages, without printing a structure that may hold credentials. */
function describeShape(value) {
    if (value === null)
        return 'an empty value';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'string')
        return `the text ${JSON.stringify((0,secrets/* redactUrlCredentials */.dE)(value).slice(0, 100))}`;
    return `${typeof value} ${String(value)}`;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __webpack_require__(7585);
;// CONCATENATED MODULE: ./shared/src/analysis/job-check.ts





/**
 * A `job` check: a Job manifest, from a file in the workspace or written inline. Checked when the
 * input is read (a batch/v1 Job with a pod template and containers), so a typo never waits for a
 * round; each measurement runs a copy of it (see job-measure.ts).
 */
function readJobCheck(name, value, where, workspace) {
    if (typeof value === 'string') {
        const { manifest, file } = readManifestFile(value, where, workspace);
        return build(name, manifest, `the file ${file}`, where);
    }
    if ((0,object/* isRecord */.u4)(value))
        return build(name, value, 'an inline manifest', where);
    throw where.error('job', value, 'expected a Job manifest file path (relative to the workspace) or an inline Job manifest');
}
function readManifestFile(path, where, workspace) {
    const full = (0,external_node_path_.resolve)(workspace, path.trim());
    const file = (0,external_node_path_.isAbsolute)(path.trim()) ? full : (0,external_node_path_.relative)(workspace, full);
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(full, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw where.error('job', path, `the file ${full} cannot be read (${code ?? String(error)}); expected a Job manifest file, relative to the workspace ${workspace}`);
    }
    const documents = (0,dist.parseAllDocuments)(text).filter((document) => document.contents !== null);
    if (!Array.isArray(documents) || documents.length !== 1) {
        throw where.error('job', path, `the file ${file} holds ${Array.isArray(documents) ? documents.length : 'no'} YAML documents; expected exactly one Job manifest`);
    }
    const document = documents[0];
    if (document.errors.length > 0) {
        throw where.error('job', path, `the file ${file} is not valid YAML: ${document.errors[0]?.message.split('\n')[0]}`);
    }
    return { manifest: document.toJS(), file };
}
function build(name, manifest, origin, where) {
    const bad = (detail) => new errors/* ConfigurationError */.j1(`Input "${where.input}", ${where.label}: ${origin} is not a usable Job manifest: ${detail}.`, {
        input: where.input,
    });
    if (!(0,object/* isRecord */.u4)(manifest))
        throw bad('expected a mapping with apiVersion: batch/v1 and kind: Job');
    if (manifest.apiVersion !== 'batch/v1' || manifest.kind !== 'Job') {
        throw bad(`apiVersion is ${JSON.stringify(manifest.apiVersion)} and kind ${JSON.stringify(manifest.kind)}; expected batch/v1 and Job`);
    }
    const template = (0,object/* isRecord */.u4)(manifest.spec) ? manifest.spec.template : undefined;
    const podSpec = (0,object/* isRecord */.u4)(template) ? template.spec : undefined;
    const containers = (0,object/* isRecord */.u4)(podSpec) && Array.isArray(podSpec.containers) ? podSpec.containers : [];
    const first = containers[0];
    if (!(0,object/* isRecord */.u4)(first) || typeof first.name !== 'string' || typeof first.image !== 'string') {
        throw bad('spec.template.spec.containers must list at least one container with a name and an image');
    }
    const restartPolicy = (0,object/* isRecord */.u4)(podSpec) ? podSpec.restartPolicy : undefined;
    if (restartPolicy !== undefined && restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
        throw bad(`spec.template.spec.restartPolicy is ${JSON.stringify(restartPolicy)}; a Job accepts Never or OnFailure`);
    }
    const metadata = (0,object/* isRecord */.u4)(manifest.metadata) ? manifest.metadata : {};
    const base = metadata.name ?? metadata.generateName;
    if (base !== undefined && (typeof base !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9-])?$/.test(base))) {
        throw bad(`metadata.name ${JSON.stringify(base)} is not a Kubernetes name (lower-case letters, digits, - and .)`);
    }
    return { name, kind: 'job', manifest, origin, container: first.name };
}

;// CONCATENATED MODULE: ./shared/src/analysis/placeholders.ts
/**
 * `${name}` placeholders in a check (a smoke-test URL, a header, a PromQL query) stand for what is
 * known only when the analysis runs: the canary's Service, the idle colour, the revision. GitHub's
 * own `${{ }}` expressions are expanded before the action sees the text, so they never reach here.
 */
const PLACEHOLDER = /\$\{([A-Za-z_][\w-]*)\}/g;
/** Thrown at run time: the caller did not supply a value the check asks for. */
class UnknownPlaceholderError extends Error {
}
function placeholderNames(text) {
    return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
}
/** The names of the placeholders in every string inside a YAML value, each once. */
function placeholderNamesIn(value) {
    const names = new Set();
    mapStrings(value, (text) => {
        for (const name of placeholderNames(text))
            names.add(name);
        return text;
    });
    return [...names];
}
/** Replaces every placeholder, or throws naming the ones without a value and the ones there are. */
function substitute(text, variables) {
    const missing = placeholderNames(text).filter((name) => !Object.hasOwn(variables, name));
    if (missing.length > 0) {
        const known = Object.keys(variables);
        throw new UnknownPlaceholderError(`no value for ${missing.map((name) => `\${${name}}`).join(', ')}; ` +
            (known.length > 0
                ? `the placeholders here are ${known.map((name) => `\${${name}}`).join(', ')}`
                : 'no placeholders are available here'));
    }
    return text.replace(PLACEHOLDER, (_, name) => variables[name]);
}
/** The same for every string inside a YAML value (a check's headers, its JSON assertions). */
function substituteDeep(value, variables) {
    return mapStrings(value, (text) => substitute(text, variables));
}
/**
 * Stands in for every placeholder when the input is read, so the rest of the check (a URL's scheme,
 * a header's name) is validated before anything runs. `0` keeps a URL valid in a host, a port or a path.
 */
function withStandIns(value) {
    return mapStrings(value, (text) => text.replace(PLACEHOLDER, '0'));
}
function mapStrings(value, map) {
    if (typeof value === 'string')
        return map(value);
    if (Array.isArray(value))
        return value.map((item) => mapStrings(item, map));
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
    }
    return value;
}
/** A URL may be one placeholder as a whole (`${canary-url}/health`): its stand-in is then a URL. */
function urlWithStandIns(text) {
    return withStandIns(text.replace(/^\$\{[A-Za-z_][\w-]*\}/, 'http://0'));
}

;// CONCATENATED MODULE: ./shared/src/analysis/condition.ts
/**
 * The success and failure conditions of a prometheus check, such as `result < 0.01` or
 * `result >= 0.95 and result <= 1`: comparisons of `result` with numbers, joined by `and`/`&&`,
 * `or`/`||`, `not`/`!` and parentheses. Parsed once when the input is read, so a typo is a
 * configuration error and not a failed measurement; evaluated by walking the tree, never `eval`.
 */
class ConditionSyntaxError extends Error {
}
const CONDITION_ACCEPTED = 'expected comparisons of result with numbers (<, <=, >, >=, ==, !=) joined by and, or, not and parentheses, like "result < 0.01"';
const TOKEN = /\s*(?:(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|-?\.\d+(?:[eE][+-]?\d+)?)|(<=|>=|==|!=|<|>|&&|\|\||!|\(|\))|([A-Za-z_][\w.[\]]*))/y;
const WORDS = { and: '&&', or: '||', not: '!' };
const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='];
function parseCondition(text) {
    const tokens = tokenize(text);
    let position = 0;
    const peek = () => tokens[position];
    const describe = () => (position < tokens.length ? `"${tokens[position]}"` : 'the end');
    const expect = (what) => {
        throw new ConditionSyntaxError(`expected ${what} but found ${describe()}`);
    };
    const parseOr = () => {
        let left = parseAnd();
        while (peek() === '||') {
            position++;
            left = { op: 'or', left, right: parseAnd() };
        }
        return left;
    };
    const parseAnd = () => {
        let left = parseUnary();
        while (peek() === '&&') {
            position++;
            left = { op: 'and', left, right: parseUnary() };
        }
        return left;
    };
    const parseUnary = () => {
        if (peek() === '!') {
            position++;
            return { op: 'not', operand: parseUnary() };
        }
        if (peek() === '(') {
            position++;
            const inner = parseOr();
            if (peek() !== ')')
                expect('")"');
            position++;
            return inner;
        }
        const left = parseOperand();
        const op = peek();
        if (!COMPARISONS.includes(op))
            expect('a comparison (<, <=, >, >=, ==, !=)');
        position++;
        return { op: op, left, right: parseOperand() };
    };
    const parseOperand = () => {
        const token = peek();
        if (token === 'result') {
            position++;
            return 'result';
        }
        if (token !== undefined && /^-?[\d.]/.test(token)) {
            position++;
            return { number: Number(token) };
        }
        if (token !== undefined && /^[A-Za-z_]/.test(token)) {
            throw new ConditionSyntaxError(`unknown name "${token}": the only name is result, the query's value (for every series in turn)`);
        }
        return expect('result or a number');
    };
    if (tokens.length === 0)
        throw new ConditionSyntaxError('the condition is empty');
    const tree = parseOr();
    if (position < tokens.length)
        expect('and, or or the end');
    // A condition that never reads the result is a check that cannot fail (or cannot pass).
    if (!tokens.includes('result'))
        throw new ConditionSyntaxError('the condition never reads result');
    return { text, holds: (result) => evaluate(tree, result) };
}
function tokenize(text) {
    const tokens = [];
    TOKEN.lastIndex = 0;
    let position = 0;
    while (position < text.length) {
        if (text.slice(position).trim() === '')
            break;
        TOKEN.lastIndex = position;
        const match = TOKEN.exec(text);
        if (!match) {
            const rest = text.slice(position);
            const at = position + rest.length - rest.trimStart().length + 1;
            throw new ConditionSyntaxError(`unexpected ${JSON.stringify(rest.trim().slice(0, 10))} at character ${at}`);
        }
        const token = (match[1] ?? match[2] ?? match[3]);
        tokens.push(WORDS[token] ?? token);
        position = TOKEN.lastIndex;
    }
    return tokens;
}
function evaluate(node, result) {
    switch (node.op) {
        case 'and':
            return evaluate(node.left, result) && evaluate(node.right, result);
        case 'or':
            return evaluate(node.left, result) || evaluate(node.right, result);
        case 'not':
            return !evaluate(node.operand, result);
        default:
            return compare(node.op, value(node.left, result), value(node.right, result));
    }
}
function value(operand, result) {
    return operand === 'result' ? result : operand.number;
}
function compare(op, left, right) {
    switch (op) {
        case '<':
            return left < right;
        case '<=':
            return left <= right;
        case '>':
            return left > right;
        case '>=':
            return left >= right;
        case '==':
            return left === right;
        case '!=':
            return left !== right;
    }
}

;// CONCATENATED MODULE: ./shared/src/analysis/read-fields.ts



/** A mapping, or a ConfigurationError naming what `path` holds instead. */
function mapping(value, inputName, path, expected) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}": "${path}" must be ${expected}; got ${describeShape(value)}.`, { input: inputName });
    }
    return value;
}
/** Refuses a field the format does not know; its value is not shown, as a misspelt password's would be. */
function refuseUnknown(fields, known, where, what) {
    for (const key of Object.keys(fields)) {
        if (!known.includes(key)) {
            throw new errors/* ConfigurationError */.j1(`Input "${where.input}", ${where.label}: unknown field "${where.fieldPrefix}${key}"; ${what} accepts ${known.join(', ')}.`, { input: where.input });
        }
    }
}
function requiredText(fields, key, where, accepted) {
    const value = fields[key];
    if (typeof value !== 'string' || value.trim() === '')
        throw where.error(key, value, accepted);
    return value.trim();
}
function optionalText(fields, key, where, accepted) {
    return fields[key] === undefined ? undefined : requiredText(fields, key, where, accepted);
}
function optionalWholeNumber(fields, key, range, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
        throw where.error(key, value, `expected a whole number from ${range.min} to ${range.max}`);
    }
    return value;
}
/** Durations need a unit (`200ms`, `10s`, `1m`): a bare 10 could be seconds or milliseconds. */
function optionalDuration(fields, key, range, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    const ms = typeof value === 'string' && !/^[\d.]+$/.test(value.trim()) ? (0,duration/* parseDuration */.E)(value) : undefined;
    if (ms === undefined || ms < range.min || ms > range.max) {
        throw where.error(key, value, `expected a duration with a unit like 200ms, 10s or 1m, from ${(0,duration/* formatDuration */.a)(range.min)} to ${(0,duration/* formatDuration */.a)(range.max)}`);
    }
    return ms;
}
function optionalFlag(fields, key, where) {
    const value = fields[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'boolean')
        throw where.error(key, value, 'expected true or false');
    return value;
}

;// CONCATENATED MODULE: ./shared/src/analysis/prometheus-check.ts




/**
 * A `prometheus` check: an instant query against Prometheus's HTTP API (`/api/v1/query`) judged by
 * conditions on its result. Credentials are masked as they are read, before any message could show them.
 */
const FIELDS = [
    'address',
    'query',
    'success-condition',
    'failure-condition',
    'bearer-token',
    'username',
    'password',
    'timeout',
    'insecure',
];
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
function readPrometheusCheck(name, fields, where) {
    refuseUnknown(fields, FIELDS, where, 'a prometheus check');
    // Masked first: a later error in this check must not be the first place they appear.
    const authorization = readAuthorization(fields, where);
    const address = requiredText(fields, 'address', where, 'expected the Prometheus server URL, like http://prometheus.monitoring:9090');
    checkAddress(address, where);
    const query = requiredText(fields, 'query', where, 'expected a PromQL query, like sum(rate(http_requests_total{code=~"5.."}[1m]))');
    const successCondition = readCondition(fields, 'success-condition', where);
    const failureCondition = readCondition(fields, 'failure-condition', where);
    if (!successCondition && !failureCondition) {
        throw where.error('success-condition', undefined, `a prometheus check needs success-condition, failure-condition or both; ${CONDITION_ACCEPTED}`);
    }
    return {
        name,
        kind: 'prometheus',
        address: address.replace(/\/+$/, ''),
        query,
        successCondition,
        failureCondition,
        authorization,
        requestTimeoutMs: optionalDuration(fields, 'timeout', { min: 1, max: 300_000 }, where) ?? DEFAULT_REQUEST_TIMEOUT_MS,
        insecure: optionalFlag(fields, 'insecure', where) ?? false,
    };
}
function readAuthorization(fields, where) {
    const noPlaceholder = (key, value, shown) => {
        if (placeholderNames(value).length > 0) {
            throw where.error(key, shown, 'a ${name} placeholder is filled in address and query only, and would be sent as written; give the credential itself, like ${{ secrets.PROMETHEUS_TOKEN }}');
        }
    };
    const secretText = (key) => {
        const value = fields[key];
        if (value === undefined)
            return undefined;
        if (typeof value !== 'string' || value === '')
            throw where.error(key, '(not shown)', 'expected a non-empty string');
        (0,secrets/* maskSecret */.$l)(value);
        noPlaceholder(key, value, '(not shown)');
        return value;
    };
    const token = secretText('bearer-token');
    // Sent as the header as it is: undici would refuse it at every measurement instead.
    if (token !== undefined && /\p{Cc}/u.test(token)) {
        throw where.error('bearer-token', '(not shown)', 'expected a non-empty string without line breaks or control characters: it is sent as a header');
    }
    const password = secretText('password');
    const username = optionalText(fields, 'username', where, 'expected a user name');
    if (username !== undefined)
        noPlaceholder('username', username, username);
    if (username?.includes(':')) {
        throw where.error('username', username, 'expected a user name without a colon: basic auth ends the user name at the first colon');
    }
    if (token !== undefined && (username !== undefined || password !== undefined)) {
        throw where.error('bearer-token', '(not shown)', 'give bearer-token or username and password, not both');
    }
    if ((username === undefined) !== (password === undefined)) {
        throw where.error(username === undefined ? 'username' : 'password', undefined, 'basic auth needs both username and password');
    }
    if (token !== undefined)
        return `Bearer ${token}`;
    if (username === undefined)
        return undefined;
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    (0,secrets/* maskSecret */.$l)(basic);
    return `Basic ${basic}`;
}
function checkAddress(address, where) {
    let url;
    try {
        url = new URL(urlWithStandIns(address));
    }
    catch {
        throw where.error('address', address, 'expected an absolute http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw where.error('address', address, 'expected an http:// or https:// URL');
    }
    if (url.username || url.password) {
        throw where.error('address', '(not shown: it holds credentials)', 'put credentials in username and password or bearer-token, not in the URL');
    }
    if (url.search || url.hash) {
        throw where.error('address', address, 'expected the server URL without a query or fragment; the query goes in query');
    }
}
function readCondition(fields, key, where) {
    const text = optionalText(fields, key, where, CONDITION_ACCEPTED);
    if (text === undefined)
        return undefined;
    try {
        return parseCondition(text);
    }
    catch (error) {
        if (!(error instanceof ConditionSyntaxError))
            throw error;
        throw where.error(key, text, `${error.message}; ${CONDITION_ACCEPTED}`);
    }
}

;// CONCATENATED MODULE: ./shared/src/analysis/read-settings.ts


/**
 * The run settings, Argo Rollouts' analysis fields in kebab-case. Defaults suit a CI step: three
 * rounds ten seconds apart, no failure tolerated, within ten minutes.
 */
const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_COUNT = 3;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const HOUR = 3_600_000;
const LIMIT = { min: 0, max: 1000 };
function readSettings(fields, where) {
    const intervalMs = optionalDuration(fields, 'interval', { min: 0, max: HOUR }, where) ?? DEFAULT_INTERVAL_MS;
    const consecutiveSuccesses = optionalWholeNumber(fields, 'consecutive-successes', { min: 1, max: 1000 }, where);
    const explicitCount = optionalWholeNumber(fields, 'count', { min: 1, max: 1000 }, where);
    // Without a count, enough rounds for the successes asked for.
    const count = explicitCount ?? Math.max(DEFAULT_COUNT, consecutiveSuccesses ?? 0);
    const countText = explicitCount === undefined ? `${count}, the default` : `${count}`;
    const failureLimit = optionalWholeNumber(fields, 'failure-limit', LIMIT, where) ?? 0;
    const inconclusiveLimit = optionalWholeNumber(fields, 'inconclusive-limit', LIMIT, where) ?? 0;
    const timeoutMs = optionalDuration(fields, 'timeout', { min: 1000, max: 6 * HOUR }, where) ?? DEFAULT_TIMEOUT_MS;
    if (failureLimit >= count) {
        throw where.error('failure-limit', failureLimit, `must be less than count (${countText}), or no failure could fail a check`);
    }
    if (consecutiveSuccesses !== undefined && consecutiveSuccesses > count) {
        throw where.error('consecutive-successes', consecutiveSuccesses, `must be at most count (${countText}): a check measured ${count} times cannot succeed ${consecutiveSuccesses} times in a row`);
    }
    const neededMs = ((consecutiveSuccesses ?? count) - 1) * intervalMs;
    if (timeoutMs <= neededMs) {
        throw where.error('timeout', (0,duration/* formatDuration */.a)(timeoutMs), `must be longer than the ${(0,duration/* formatDuration */.a)(neededMs)} the rounds need (${consecutiveSuccesses ?? count} rounds ${(0,duration/* formatDuration */.a)(intervalMs)} apart)`);
    }
    return { intervalMs, count, failureLimit, inconclusiveLimit, consecutiveSuccesses, timeoutMs };
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./shared/src/net/network-errors.ts
var network_errors = __webpack_require__(3933);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var async_sleep = __webpack_require__(6082);
;// CONCATENATED MODULE: ./shared/src/async/timeout-scheduler.ts

class TimeoutScheduler {
    pending = new Set();
    timer;
    timerAt = Number.POSITIVE_INFINITY;
    /** Calls `onTimeout` once `timeoutMs` have passed, unless the returned function is called first. */
    schedule(timeoutMs, onTimeout) {
        const entry = { at: external_node_perf_hooks_.performance.now() + timeoutMs, onTimeout };
        this.pending.add(entry);
        if (entry.at < this.timerAt)
            this.arm(entry.at);
        return () => {
            this.pending.delete(entry);
            if (this.pending.size === 0)
                this.disarm();
        };
    }
    arm(at) {
        clearTimeout(this.timer);
        this.timerAt = at;
        this.timer = setTimeout(() => this.fire(), Math.max(0, at - external_node_perf_hooks_.performance.now()));
    }
    disarm() {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
    }
    fire() {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        const now = external_node_perf_hooks_.performance.now();
        let next = Number.POSITIVE_INFINITY;
        for (const entry of this.pending) {
            if (entry.at <= now) {
                this.pending.delete(entry);
                entry.onTimeout();
            }
            else {
                next = Math.min(next, entry.at);
            }
        }
        if (next !== Number.POSITIVE_INFINITY)
            this.arm(next);
    }
}

;// CONCATENATED MODULE: ./shared/src/net/http.ts








class HttpRequestError extends errors/* ActionError */.lZ {
    kind;
    latencyMs;
    constructor(kind, message, latencyMs, cause) {
        super(message, { cause });
        this.name = 'HttpRequestError';
        this.kind = kind;
        this.latencyMs = latencyMs;
    }
}
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
class HttpClient {
    agent;
    timeouts = new TimeoutScheduler();
    constructor(tls = {}, options = {}) {
        this.agent = new undici.Agent({
            connect: { ca: tls.ca, rejectUnauthorized: !tls.insecure },
            connections: options.connectionsPerOrigin ?? null,
        });
    }
    async request(options) {
        if (options.signal?.aborted)
            throw (0,async_sleep/* abortReason */.Js)(options.signal);
        const started = external_node_perf_hooks_.performance.now();
        // One controller per request and one timer for all requests: AbortSignal.any over a long-lived
        // signal would keep a dependent signal per request alive, and a timer each costs more than a
        // request to a fast service.
        const controller = new AbortController();
        let timedOut = false;
        const cancelTimeout = this.timeouts.schedule(options.timeoutMs, () => {
            timedOut = true;
            controller.abort();
        });
        const onCancel = () => controller.abort();
        options.signal?.addEventListener('abort', onCancel, { once: true });
        const signal = controller.signal;
        const maxRedirects = options.maxRedirects ?? 10;
        const redirects = [];
        let url = options.url;
        let method = (options.method ?? 'GET').toUpperCase();
        let body = options.body;
        let headers = { ...options.headers };
        try {
            for (;;) {
                const response = await (0,undici.request)(url, {
                    method: method,
                    headers,
                    body,
                    signal,
                    dispatcher: this.agent,
                    headersTimeout: options.timeoutMs,
                    bodyTimeout: options.timeoutMs,
                });
                const location = response.headers.location;
                if (options.followRedirects !== false && REDIRECT_STATUSES.has(response.statusCode) && location) {
                    await response.body.dump();
                    const next = new URL(String(location), url).toString();
                    if (next === options.url || redirects.includes(next)) {
                        throw new HttpRequestError('redirect-loop', `redirect loop: ${[url, next].map(secrets/* urlForMessages */.Fi).join(' -> ')}`, elapsed(started));
                    }
                    if (redirects.length >= maxRedirects) {
                        throw new HttpRequestError('too-many-redirects', `more than ${maxRedirects} redirects`, elapsed(started));
                    }
                    if (new URL(next).origin !== new URL(url).origin)
                        headers = withoutCredentials(headers);
                    if (response.statusCode === 303 ||
                        ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
                        method = 'GET';
                        body = undefined;
                        headers = withoutBodyHeaders(headers);
                    }
                    redirects.push(next);
                    url = next;
                    continue;
                }
                const { text, truncated } = await readBody(response, options.maxBodyBytes ?? 1024 * 1024);
                return {
                    status: response.statusCode,
                    headers: flattenHeaders(response.headers),
                    body: text,
                    bodyTruncated: truncated,
                    url,
                    redirects,
                    latencyMs: elapsed(started),
                };
            }
        }
        catch (error) {
            if (error instanceof HttpRequestError)
                throw error;
            if (options.signal?.aborted)
                throw (0,async_sleep/* abortReason */.Js)(options.signal);
            throw describeFailure(error, options.timeoutMs, elapsed(started), timedOut);
        }
        finally {
            cancelTimeout();
            options.signal?.removeEventListener('abort', onCancel);
        }
    }
    async close() {
        await this.agent.close();
    }
}
/** For `retry`: network failures that a later attempt may not meet; TLS and redirect errors are final. */
function classifyHttpFailure(error) {
    if (!(error instanceof HttpRequestError))
        return { transient: false };
    const transient = ['timeout', 'connection-refused', 'connection-reset', 'dns'];
    return transient.includes(error.kind) ? { transient: true, reason: error.message } : { transient: false };
}
/** 429 and 5xx are worth another try; everything else is the answer. */
function isTransientStatus(status) {
    return status === 429 || (status >= 500 && status <= 599);
}
function describeFailure(error, timeoutMs, latencyMs, timedOut) {
    const code = (0,network_errors/* networkErrorCode */.a)(error);
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (timedOut || (code.startsWith('UND_ERR_') && code.endsWith('_TIMEOUT'))) {
        return new HttpRequestError('timeout', `no complete response within ${(0,duration/* formatDuration */.a)(timeoutMs)}`, latencyMs, error);
    }
    if (code === 'ECONNREFUSED')
        return new HttpRequestError('connection-refused', 'connection refused', latencyMs, error);
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
        return new HttpRequestError('connection-reset', `connection reset (${message})`, latencyMs, error);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        return new HttpRequestError('dns', `host name not found (${message})`, latencyMs, error);
    }
    if ((0,network_errors/* isTlsErrorCode */.L)(code)) {
        return new HttpRequestError('tls', `TLS verification failed: ${code} (${message})`, latencyMs, error);
    }
    return new HttpRequestError('other', message, latencyMs, error);
}
/** A body that declares a length within the limit is read in one go; others are streamed up to it. */
async function readBody(response, maxBytes) {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared <= maxBytes) {
        return { text: await response.body.text(), truncated: false };
    }
    return readLimited(response.body, maxBytes);
}
async function readLimited(body, maxBytes) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        const room = maxBytes - size;
        if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            body.destroy();
            return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
        }
        chunks.push(chunk);
        size += chunk.length;
    }
    return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
function flattenHeaders(headers) {
    const flat = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined)
            flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}
function withoutBodyHeaders(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length|encoding)$/i.test(name)));
}
/**
 * Credentials are not forwarded to another origin, as browsers and fetch do with Authorization and
 * Cookie; here every header with a credential's name goes (X-Api-Key, X-Auth-Token, ...).
 */
function withoutCredentials(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !(0,secrets/* isCredentialName */.hN)(name)));
}
function elapsed(started) {
    return external_node_perf_hooks_.performance.now() - started;
}

// EXTERNAL MODULE: ./shared/src/async/retry.ts
var async_retry = __webpack_require__(3014);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./node_modules/jsonpath-plus/dist/index-node-esm.js
var index_node_esm = __webpack_require__(6229);
;// CONCATENATED MODULE: ./shared/src/smoke-checks/assertions.ts



function judgeResponse(check, response) {
    if (!statusMatches(check.expectedStatus, response.status)) {
        const where = response.redirects.length > 0 ? ` (after ${response.redirects.length} redirects)` : '';
        return fail(`expected status ${check.expectedStatus.text}, got ${response.status}${where}`);
    }
    for (const text of check.contains) {
        if (!response.body.includes(text))
            return fail(`body does not contain ${JSON.stringify(text)}${truncatedNote(response)}`);
    }
    if (check.regex && !check.regex.test(response.body)) {
        return fail(`body does not match /${check.regex.source}/${truncatedNote(response)}`);
    }
    if (check.json.length > 0) {
        const verdict = judgeJson(check.json, response.body);
        if (!verdict.ok)
            return verdict;
    }
    if (check.maxLatencyMs !== undefined && response.latencyMs > check.maxLatencyMs) {
        return fail(`latency ${Math.round(response.latencyMs)} ms > max-latency ${check.maxLatencyMs} ms`);
    }
    return { ok: true };
}
function judgeJson(assertions, body) {
    let document;
    try {
        document = JSON.parse(body);
    }
    catch {
        return fail(`body is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`);
    }
    for (const assertion of assertions) {
        let matches;
        try {
            // jsonpath-plus returns undefined, not [], for a `null` document.
            matches =
                (0,index_node_esm/* JSONPath */.E)({ path: assertion.path, json: document, wrap: true }) ??
                    [];
        }
        catch (error) {
            // A filter expression is only parsed when it is evaluated, so a typo in one surfaces here.
            return fail(`JSONPath ${assertion.path} could not be evaluated: ${error.message}`);
        }
        if (assertion.exists !== undefined) {
            if (assertion.exists && matches.length === 0)
                return fail(`${assertion.path} does not exist`);
            if (!assertion.exists && matches.length > 0)
                return fail(`${assertion.path} exists but should not`);
            continue;
        }
        if (matches.length === 0)
            return fail(`${assertion.path} does not exist (expected ${JSON.stringify(assertion.equals)})`);
        const actual = matches.length === 1 ? matches[0] : matches;
        if (!(0,external_node_util_.isDeepStrictEqual)(actual, assertion.equals)) {
            return fail(`${assertion.path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(assertion.equals)}`);
        }
    }
    return { ok: true };
}
function truncatedNote(response) {
    return response.bodyTruncated ? ' (only the first 1 MiB was read)' : '';
}
function fail(reason) {
    return { ok: false, reason };
}

;// CONCATENATED MODULE: ./shared/src/smoke-checks/check-runner.ts






class UnhealthySample extends Error {
    sample;
    constructor(sample) {
        super(sample.reason);
        this.sample = sample;
    }
}
async function runCheck(check, deps) {
    const started = performance.now();
    const samples = [];
    let startupFailures = 0;
    let lastStartupFailure;
    const finish = (passed, reason) => buildResult(check, passed, reason, samples, startupFailures, lastStartupFailure, performance.now() - started);
    let lastStart;
    try {
        lastStart = await retry(async () => {
            const start = performance.now();
            const sample = await takeSample(check, deps, start - started);
            if (!sample.ok)
                throw new UnhealthySample(sample);
            samples.push(sample);
            return start;
        }, {
            what: `${check.name} becoming healthy`,
            classify: (error) => error instanceof UnhealthySample && !error.sample.cutByDeadline
                ? { transient: true, reason: error.message }
                : { transient: false },
            deadline: deps.deadline,
            initialDelayMs: 250,
            maxDelayMs: Math.max(check.intervalMs, 1000),
            signal: deps.signal,
            onRetry: ({ reason }) => {
                startupFailures++;
                lastStartupFailure = reason;
            },
        });
    }
    catch (error) {
        if (!(error instanceof RetryExhaustedError) && !(error instanceof UnhealthySample))
            throw error;
        startupFailures++;
        const last = error instanceof UnhealthySample ? error : error.lastError;
        // An attempt the deadline cut short would hide why the service was unhealthy until then.
        if (!last.sample.cutByDeadline || lastStartupFailure === undefined)
            lastStartupFailure = last.message;
        return finish(false, `never healthy within ${formatDuration(deps.deadline.timeoutMs)} (${startupFailures} attempts); last: ${lastStartupFailure}`);
    }
    let failures = 0;
    let streak = 1;
    while (samples.length < check.samples || streak < check.consecutiveSuccesses) {
        const wait = Math.max(0, lastStart + check.intervalMs - performance.now());
        if (wait >= deps.deadline.remaining()) {
            return finish(false, `timed out after ${formatDuration(deps.deadline.timeoutMs)} with ${describeProgress(check, samples, streak)}`);
        }
        await sleep(wait, deps.signal);
        lastStart = performance.now();
        const sample = await takeSample(check, deps, lastStart - started);
        if (sample.cutByDeadline && !sample.ok) {
            return finish(false, `timed out after ${formatDuration(deps.deadline.timeoutMs)} with ${describeProgress(check, samples, streak)}`);
        }
        samples.push(sample);
        if (sample.ok) {
            streak++;
            continue;
        }
        failures++;
        streak = 0;
        if (failures > check.failureLimit) {
            return finish(false, `sample ${samples.length}: ${sample.reason} (${failures} failed sample${failures === 1 ? '' : 's'} > failure-limit ${check.failureLimit})`);
        }
    }
    const p95 = percentile(measuredLatencies(samples), 95);
    if (check.p95LatencyMs !== undefined && p95 !== undefined && p95 > check.p95LatencyMs) {
        return finish(false, `p95 ${Math.round(p95)} ms > ${check.p95LatencyMs} ms over ${samples.length} samples`);
    }
    return finish(true);
}
async function takeSample(check, deps, at) {
    const remaining = deps.deadline.remaining();
    if (remaining === 0) {
        return {
            at,
            status: undefined,
            latencyMs: 0,
            ok: false,
            reason: 'deadline reached',
            cutByDeadline: true,
        };
    }
    const timeoutMs = Math.min(check.requestTimeoutMs, remaining);
    try {
        const response = await deps.client.request({
            url: check.url,
            method: check.method,
            headers: check.headers,
            body: check.body,
            timeoutMs,
            followRedirects: check.followRedirects,
            signal: deps.signal,
        });
        const verdict = judgeResponse(check, response);
        return {
            at,
            status: response.status,
            latencyMs: response.latencyMs,
            ok: verdict.ok,
            reason: verdict.ok ? undefined : verdict.reason,
        };
    }
    catch (error) {
        if (!(error instanceof HttpRequestError))
            throw error;
        const timedOut = error.kind === 'timeout';
        const cutByDeadline = timedOut && timeoutMs < check.requestTimeoutMs;
        return {
            at,
            status: undefined,
            latencyMs: error.latencyMs,
            ok: false,
            reason: error.message,
            ...(cutByDeadline ? { cutByDeadline } : timedOut ? { timedOut } : {}),
        };
    }
}
function describeProgress(check, samples, streak) {
    const progress = `${samples.length} of ${check.samples} samples`;
    return streak < check.consecutiveSuccesses && samples.length >= check.samples
        ? `${progress} and ${streak} of ${check.consecutiveSuccesses} consecutive successes`
        : progress;
}
/**
 * The latencies the percentiles are taken over: answered samples, and samples whose request timed
 * out, at the time they waited. Leaving timeouts out would let a service too slow to answer at all
 * pass a latency gate that an answering slow service fails.
 */
function measuredLatencies(samples) {
    return samples
        .filter((sample) => sample.status !== undefined || sample.timedOut)
        .map((sample) => sample.latencyMs);
}
function buildResult(check, passed, reason, samples, startupFailures, lastStartupFailure, durationMs) {
    const latencies = measuredLatencies(samples);
    return {
        name: check.name,
        url: check.displayUrl,
        passed,
        reason,
        samples,
        startupFailures,
        lastStartupFailure,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
        durationMs,
    };
}

;// CONCATENATED MODULE: ./shared/src/analysis/smoke-test-check.ts






/**
 * A `smoke-test` check: the fields of one check of the smoke-test action's `checks` input, read and
 * judged by the same code (shared/src/smoke-checks). One measurement is one request. The sampling
 * fields of smoke-test (samples, failure-limit, interval...) are the analysis's run settings here.
 */
const smoke_test_check_FIELDS = [
    'url',
    'method',
    'headers',
    'body',
    'status',
    'contains',
    'body-contains',
    'regex',
    'json',
    'json-path',
    'json-equals',
    'max-latency',
    'timeout',
    'follow-redirects',
    'ca-certificate',
    'insecure',
];
const RUN_SETTINGS = ['samples', 'failure-limit', 'consecutive-successes', 'interval', 'p95-latency'];
const DEFAULTS = {
    headers: {},
    expectedStatus: parseStatusSet('200-299'),
    samples: 1,
    failureLimit: 0,
    consecutiveSuccesses: 1,
    intervalMs: 0,
    requestTimeoutMs: 10_000,
    maxLatencyMs: undefined,
    p95LatencyMs: undefined,
    followRedirects: true,
    tls: {},
};
function readSmokeTestCheck(name, raw, where) {
    for (const key of RUN_SETTINGS) {
        if (Object.hasOwn(raw, key)) {
            throw where.error(key, raw[key], `an analysis sets ${key === 'samples' ? 'count' : key} once, at the top, for every check`);
        }
    }
    refuseUnknown(raw, smoke_test_check_FIELDS, where, 'a smoke-test check');
    const fields = normalise(raw, where);
    return { name, kind: 'smoke-test', fields, spec: read(name, standIns(fields), where), where };
}
/** `json-path` (with `json-equals`, else it must exist) is the issue's short form of `json`. */
function normalise(raw, where) {
    const { 'json-path': path, 'json-equals': equals, ...rest } = raw;
    if (raw.contains !== undefined && raw['body-contains'] !== undefined) {
        throw where.error('body-contains', raw['body-contains'], 'give contains or body-contains, not both (they are one field)');
    }
    if (path === undefined) {
        if (Object.hasOwn(raw, 'json-equals'))
            throw where.error('json-equals', equals, 'needs json-path beside it');
        return rest;
    }
    if (raw.json !== undefined)
        throw where.error('json-path', path, 'give json or json-path, not both');
    if (typeof path !== 'string' || !path.startsWith('$')) {
        throw where.error('json-path', path, 'expected a JSONPath starting with $, like $.status');
    }
    return { ...rest, json: Object.hasOwn(raw, 'json-equals') ? { path, equals } : { path, exists: true } };
}
function standIns(fields) {
    const url = typeof fields.url === 'string' ? urlWithStandIns(fields.url) : fields.url;
    return { ...withStandIns(fields), url };
}
function read(name, fields, where) {
    return readCheckFields(fields, where, DEFAULTS, name);
}
async function measureSmokeTest(check, variables, clients, deadline, signal) {
    let spec;
    try {
        spec = read(check.name, substituteDeep(check.fields, variables), check.where);
    }
    catch (error) {
        if (!(error instanceof UnknownPlaceholderError || error instanceof errors/* ConfigurationError */.j1))
            throw error;
        return { outcome: 'error', detail: `the check cannot be built: ${error.message}` };
    }
    const sample = await takeSample(spec, { client: clients.for(spec.tls), deadline, signal }, 0);
    // Cut short by the analysis's timeout: that says nothing about the service.
    if (sample.cutByDeadline)
        throw deadline.error();
    const answered = sample.status === undefined ? 'no response' : `${sample.status} in ${Math.round(sample.latencyMs)} ms`;
    return {
        outcome: sample.ok ? 'success' : 'failure',
        ...(sample.status !== undefined && { value: sample.status }),
        detail: `${spec.method} ${spec.displayUrl}: ${answered}${sample.ok ? '' : ` — ${sample.reason}`}`,
    };
}

;// CONCATENATED MODULE: ./shared/src/analysis/read-analysis.ts










/**
 * Reads the `analysis` input: run settings at the top and a `checks` list, each a `name` and exactly
 * one of `smoke-test`, `prometheus` or `job`. Everything is checked here, before the deploy changes
 * anything; only the values of ${name} placeholders wait for the run.
 */
const TOP_LEVEL = [
    'interval',
    'count',
    'failure-limit',
    'consecutive-successes',
    'inconclusive-limit',
    'timeout',
    'checks',
];
const KINDS = ['smoke-test', 'prometheus', 'job'];
const MAX_NAME = 100;
function readAnalysis(text, inputName, options) {
    if (text.trim() === '')
        return undefined;
    let document;
    try {
        document = (0,dist.parse)(text, { prettyErrors: true, uniqueKeys: true });
    }
    catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}" is not valid YAML: ${reason}.`, { input: inputName });
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}" must be a mapping of run settings (${TOP_LEVEL.slice(0, -1).join(', ')}) and a checks list; got ${describeShape(document)}.`, { input: inputName });
    }
    const top = document;
    refuseUnknown(top, TOP_LEVEL, new check_fields_Where(inputName, 'the run settings'), 'the top level');
    const settings = readSettings(top, new check_fields_Where(inputName, 'the run settings'));
    if (!Array.isArray(top.checks) || top.checks.length === 0) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}": "checks" must be a non-empty list of checks, each a name and one of ${KINDS.join(', ')}; got ${describeShape(top.checks ?? null)}.`, { input: inputName });
    }
    const names = new Map();
    const checks = top.checks.map((item, index) => {
        const check = readCheck(item, index, inputName, options.workspace);
        const first = names.get(check.name);
        if (first !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Input "${inputName}": "checks[${index}].name" has the value ${JSON.stringify(check.name)}, already the name of checks[${first}]: give the checks distinct names.`, { input: inputName });
        }
        names.set(check.name, index);
        return check;
    });
    return { settings, checks, inputName };
}
function readCheck(item, index, inputName, workspace) {
    const fields = mapping(item, inputName, `checks[${index}]`, `a mapping with a name and one of ${KINDS.join(', ')}`);
    const where = new check_fields_Where(inputName, `checks[${index}]`, `checks[${index}].`);
    refuseUnknown(fields, ['name', ...KINDS], where, 'a check');
    const name = readName(fields, where);
    const named = new check_fields_Where(inputName, `check "${name}"`, `checks[${index}].`);
    const kinds = KINDS.filter((kind) => fields[kind] !== undefined);
    if (kinds.length !== 1) {
        throw new errors/* ConfigurationError */.j1(`Input "${inputName}", check "${name}": "checks[${index}]" has ${kinds.length === 0 ? 'no kind' : `${kinds.join(' and ')}`}; a check has exactly one of ${KINDS.join(', ')}.`, { input: inputName });
    }
    const kind = kinds[0];
    if (kind === 'job')
        return readJobCheck(name, fields.job, named, workspace);
    const inner = new check_fields_Where(inputName, `check "${name}"`, `checks[${index}].${kind}.`);
    const body = mapping(fields[kind], inputName, `checks[${index}].${kind}`, `a mapping of the ${kind} check's fields`);
    return kind === 'smoke-test'
        ? readSmokeTestCheck(name, body, inner)
        : readPrometheusCheck(name, body, inner);
}
function readName(fields, where) {
    const name = fields.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME || /[\r\n]/.test(name)) {
        throw where.error('name', name, `every check needs a name: one line of text, at most ${MAX_NAME} characters`);
    }
    return name.trim();
}
/**
 * A plan's needs the caller must meet: job checks run in a cluster, which deploy-ecs has not; and,
 * when the step names the placeholders it fills, a misspelt one is refused here, before the deploy
 * changes anything, rather than failing every measurement after it.
 */
function checkAnalysisNeeds(plan, available) {
    const { placeholders } = available;
    for (const check of placeholders ? plan.checks : []) {
        const used = check.kind === 'smoke-test'
            ? placeholderNamesIn(check.fields)
            : check.kind === 'prometheus'
                ? placeholderNamesIn([check.address, check.query])
                : [];
        const unknown = used.find((name) => !placeholders?.includes(name));
        if (unknown !== undefined) {
            const known = placeholders?.map((name) => `\${${name}}`).join(', ');
            throw new errors/* ConfigurationError */.j1(`Input "${plan.inputName}", check "${check.name}": the placeholder \${${unknown}} has no value in this step; ${known ? `the placeholders here are ${known}` : 'this step fills no placeholders'}.`, { input: plan.inputName });
        }
    }
    const job = plan.checks.find((check) => check.kind === 'job');
    if (job && !available.kubernetes) {
        throw new errors/* ConfigurationError */.j1(`Input "${plan.inputName}", check "${job.name}": a job check runs a Kubernetes Job, and this step has no cluster; use smoke-test or prometheus checks here.`, { input: plan.inputName });
    }
}

// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __webpack_require__(2874);
;// CONCATENATED MODULE: ./shared/src/smoke-checks/client-pool.ts

/** One connection pool per distinct TLS configuration, so checks to one host share keep-alive sockets. */
class ClientPool {
    clients = new Map();
    for(tls) {
        const key = JSON.stringify([tls.ca ?? '', tls.insecure ?? false]);
        let client = this.clients.get(key);
        if (!client) {
            client = new HttpClient(tls);
            this.clients.set(key, client);
        }
        return client;
    }
    async closeAll() {
        await Promise.all([...this.clients.values()].map((client) => client.close()));
    }
}

// EXTERNAL MODULE: ./shared/src/runner/log.ts
var runner_log = __webpack_require__(5392);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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

;// CONCATENATED MODULE: ./shared/src/process/log-tail.ts

/**
 * The last lines of a container's output, kept for the failure message and the job summary while
 * every line goes straight to the step log: memory stays bounded however much the program prints.
 */
class LogTail {
    lines = [];
    limit;
    /** Lines seen in all. */
    count = 0;
    constructor(limit = 30) {
        this.limit = limit;
    }
    /** A whole line of output: printed to the step log, kept in the tail. */
    line(text) {
        this.count++;
        process.stdout.write(untrustedLine(text));
        this.lines.push(text);
        if (this.lines.length > this.limit)
            this.lines.shift();
    }
    text() {
        return this.lines.join('\n');
    }
    /** For failure messages: the tail, indented, or a note that there was none. */
    describe() {
        if (this.count === 0)
            return 'It wrote nothing to its log.';
        const shown = this.lines.length < this.count ? `last ${this.lines.length} of ${this.count} lines` : 'log';
        return `Its ${shown}:\n${this.lines.map((line) => `  ${line}`).join('\n')}`;
    }
}

// EXTERNAL MODULE: ./shared/src/kubernetes/client/api-error.ts
var api_error = __webpack_require__(5517);
// EXTERNAL MODULE: ./shared/src/kubernetes/client/client.ts + 3 modules
var client = __webpack_require__(3973);
// EXTERNAL MODULE: ./shared/src/kubernetes/rollout/pod-problems.ts
var pod_problems = __webpack_require__(3642);
;// CONCATENATED MODULE: ./shared/src/kubernetes/jobs/job-spec.ts


/** Labels put on the Job and its pod; the last one finds the pod. */
const RUN_LABEL = 'gantry.dev/job';
const job_spec_MAX_NAME = 63;
const CLUSTER_DEADLINE_GRACE_SECONDS = 60;
/** Probes would kill or hold back a container that serves nothing; ports are for Services. */
const SERVING_FIELDS = (/* unused pure expression or super */ null && (['livenessProbe', 'readinessProbe', 'startupProbe', 'ports', 'lifecycle']));
function jobName(baseName, task, suffix) {
    const tail = `-${task}-${suffix}`;
    const base = baseName.slice(0, job_spec_MAX_NAME - tail.length).replace(/[-.]+$/, '');
    return `${base}${tail}`;
}
function buildJob(options) {
    const spec = isRecord(options.podTemplate.spec) ? structuredClone(options.podTemplate.spec) : {};
    const containers = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
    const chosen = chooseContainer(containers, options);
    const name = jobName(options.baseName, options.task, options.suffix);
    const container = { ...chosen };
    for (const field of SERVING_FIELDS)
        delete container[field];
    if (options.image !== undefined)
        container.image = options.image;
    if (options.command !== undefined) {
        container.command = options.command;
        delete container.args;
    }
    if (typeof container.image !== 'string' || container.image === '') {
        throw new ConfigurationError(`Container ${String(chosen.name)} of ${options.origin} has no image.`, {
            input: 'image',
        });
    }
    // Sidecars would keep the pod running after the migration ends, so the Job would never complete;
    // init containers (including native sidecars) still run.
    spec.containers = [container];
    spec.restartPolicy = 'Never';
    const labels = { ...options.labels, [RUN_LABEL]: name };
    const annotations = podAnnotations(options.podTemplate.metadata);
    return {
        name,
        container: String(container.name),
        job: {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name, namespace: options.namespace, labels },
            spec: {
                backoffLimit: 0,
                // A safety net for a runner that dies mid-wait; while the step waits, its own deadline ends it first.
                activeDeadlineSeconds: Math.ceil(options.timeoutMs / 1000) + CLUSTER_DEADLINE_GRACE_SECONDS,
                template: { metadata: { labels, ...(annotations && { annotations }) }, spec },
            },
        },
    };
}
function chooseContainer(containers, options) {
    const names = containers.map((container) => String(container.name));
    if (options.container !== undefined) {
        const found = containers.find((container) => container.name === options.container);
        if (!found) {
            throw new ConfigurationError(`Input "container" is "${options.container}", which is not a container of ${options.origin}: it has ${names.join(', ') || 'none'}.`, { input: 'container' });
        }
        return found;
    }
    if (containers.length !== 1) {
        throw new ConfigurationError(`${options.origin} has ${containers.length} containers (${names.join(', ')}): input "container" must say which one runs ${options.purpose}.`, { input: 'container' });
    }
    return containers[0];
}
/** Annotations (a service mesh's opt-out, a Vault agent's) matter to how the pod runs; keep them. */
function podAnnotations(metadata) {
    return isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : undefined;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/jobs/pod-logs.ts


/**
 * Copies a Job pod's container output to the step log by polling `/log` with `sinceTime` and
 * `timestamps`: each poll asks only for what is new since the last line printed (to the second,
 * the API's precision, then skips what was already printed within that second), and `limitBytes`
 * bounds each answer, so nothing is buffered beyond one poll however long the command runs.
 */
const LIMIT_BYTES = 1024 * 1024;
class PodLogs {
    client;
    namespace;
    selector;
    container;
    tail;
    positions = new Map();
    constructor(client, options) {
        this.client = client;
        this.namespace = options.namespace;
        this.selector = options.selector;
        this.container = options.container;
        this.tail = options.tail;
    }
    /** Prints what is new in the logs of the Job's pods; answers the pods, oldest first. */
    async poll(signal) {
        const list = await this.client.requestJson({
            path: `/api/v1/namespaces/${this.namespace}/pods`,
            query: { labelSelector: this.selector },
            signal,
        });
        const pods = (list.items ?? []).sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
        for (const pod of pods)
            await this.read(pod, signal);
        return pods;
    }
    async read(pod, signal) {
        const uid = String(pod.metadata?.uid ?? pod.metadata?.name);
        const position = this.positions.get(uid) ?? { last: '', atLast: 0, done: false };
        if (position.done)
            return;
        const state = containerState(pod, this.container);
        if (!state || (!state.running && !state.terminated))
            return;
        let text;
        try {
            text = await this.client.requestText({
                path: `/api/v1/namespaces/${this.namespace}/pods/${String(pod.metadata?.name)}/log`,
                query: {
                    container: this.container,
                    timestamps: true,
                    limitBytes: LIMIT_BYTES,
                    sinceTime: position.last ? `${position.last.slice(0, 19)}Z` : undefined,
                },
                signal,
            });
        }
        catch (error) {
            // 400: the container has not started yet (or its node is gone); the next poll tries again.
            if (error instanceof api_error/* KubernetesApiError */.dp && error.status === 400)
                return;
            throw error;
        }
        const lines = text.split('\n');
        // A cut answer ends inside a line: leave it for the next poll, which starts from that second.
        const truncated = Buffer.byteLength(text) >= LIMIT_BYTES;
        if (!text.endsWith('\n') && truncated)
            lines.pop();
        if (lines.at(-1) === '')
            lines.pop();
        // The lines printed at the last timestamp come again (sinceTime has whole seconds): skip those.
        const previous = position.last;
        let repeated = position.atLast;
        for (const line of lines) {
            const space = line.indexOf(' ');
            const key = space > 0 ? sortableTime(line.slice(0, space)) : undefined;
            if (key === undefined) {
                this.tail.line(line);
                continue;
            }
            if (key < previous)
                continue;
            if (key === previous && repeated > 0) {
                repeated--;
                continue;
            }
            if (key === position.last)
                position.atLast++;
            else
                Object.assign(position, { last: key, atLast: 1 });
            this.tail.line(line.slice(space + 1));
        }
        position.done = Boolean(state.terminated) && !truncated;
        this.positions.set(uid, position);
    }
}
/** `2026-11-22T13:56:59.123Z` → `2026-11-22T13:56:59.123000000`, which sorts as time does. */
function sortableTime(stamp) {
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(stamp);
    if (!match)
        return undefined;
    return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}`;
}
function containerState(pod, container) {
    const statuses = (0,object/* field */.ZZ)(pod, 'status', 'containerStatuses');
    if (!Array.isArray(statuses))
        return undefined;
    const status = statuses.find((entry) => (0,object/* field */.ZZ)(entry, 'name') === container);
    return (0,object/* field */.ZZ)(status, 'state');
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/jobs/job-run.ts











/**
 * Runs a one-off Job: creates it, copies its pod's output to the step log, waits for Complete or
 * Failed with a watch under one deadline, reads the exit code from the pod, and deletes the Job
 * (its pod with it) unless keepJob. A pod whose image cannot be pulled ends the wait at once: the
 * Job would otherwise sit in ImagePullBackOff until the deadline. A Job that did not finish
 * (timeout, cancellation, that image) is deleted even with keepJob, which stops its pod: left
 * alone it would go on until activeDeadlineSeconds.
 */
const LOG_POLL_MS = 2000;
const WATCH_SECONDS = 300;
/** Thrown from a watch callback to end the watch once the Job has finished. */
class JobFinished extends errors/* ActionError */.lZ {
    job;
    constructor(job) {
        super('the Job finished');
        this.job = job;
    }
}
async function runJob(options, signal) {
    const client = await createKubernetesClient(options.cluster, { onRetry: (message) => log.info(message) });
    try {
        return await runJobWithClient(client, options, signal);
    }
    finally {
        await client.close();
    }
}
/** The same with a client the caller owns (an analysis between deploy steps runs several Jobs on one). */
async function runJobWithClient(client, options, signal) {
    const startedAt = Date.now();
    const namespace = options.namespace ?? client.namespace ?? 'default';
    const spec = await options.buildSpec(client, namespace, signal);
    const tail = new LogTail();
    const where = `Job ${namespace}/${spec.name} (context ${client.context}, ${client.server})`;
    try {
        await createJob(client, namespace, spec, signal);
    }
    catch (error) {
        // Cancelled while the POST was under way: the cluster may have created the Job all the same.
        if (signal.aborted)
            await deleteJob(client, namespace, spec.name);
        throw error;
    }
    runner_log/* info */.pq(`Created ${where}; running ${spec.container}${options.command ? `: ${options.command.join(' ')}` : ''}.`);
    let followed;
    try {
        followed = await follow(client, namespace, spec, tail, options, signal);
    }
    finally {
        // keepJob keeps a finished Job for kubectl logs; one still running is stopped whatever it says.
        if (!options.keepJob || !followed?.finished)
            await deleteJob(client, namespace, spec.name);
    }
    return {
        where,
        name: spec.name,
        exitCode: followed.exitCode,
        failure: followed.failure,
        tail,
        durationMs: Date.now() - startedAt,
        kept: options.keepJob && followed.finished,
    };
}
async function createJob(client, namespace, spec, signal) {
    const create = () => client.requestJson({
        method: 'POST',
        path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
        body: JSON.stringify(spec.job),
        what: `create Job ${namespace}/${spec.name}`,
        signal,
        // A retried POST could create the Job twice; the conflict below is the only retry.
        retry: false,
    });
    try {
        await create();
    }
    catch (error) {
        if (!(error instanceof api_error/* KubernetesApiError */.dp && error.status === 409))
            throw error;
        // A kept Job of an earlier run of the same commit has the name: this run gets its own.
        spec.name = `${spec.name.slice(0, 58)}-${Date.now().toString(36).slice(-4)}`;
        spec.job.metadata.name = spec.name;
        relabel(spec);
        await create();
    }
}
function relabel(spec) {
    const metadata = spec.job.metadata;
    metadata.labels[RUN_LABEL] = spec.name;
}
async function follow(client, namespace, spec, tail, options, signal) {
    const { timeoutMs, noun } = options;
    const deadline = new async_deadline/* Deadline */.B(timeoutMs, `Job ${namespace}/${spec.name} to finish`);
    const waiting = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    const logs = new PodLogs(client, {
        namespace,
        selector: `${RUN_LABEL}=${spec.name}`,
        container: spec.container,
        tail,
    });
    const stopLogs = new AbortController();
    const stuck = new AbortController();
    let unpullable;
    const copying = copyLogs(logs, AbortSignal.any([waiting, stopLogs.signal]), (pods) => {
        unpullable = (0,pod_problems/* podProblems */.B)(pods, { maxRestarts: Infinity }).find((problem) => problem.kind === 'image-pull' && problem.fatal);
        if (unpullable)
            stuck.abort();
    });
    let job;
    try {
        job = await waitForJob(client, namespace, spec.name, AbortSignal.any([waiting, stuck.signal]));
    }
    finally {
        stopLogs.abort();
        await copying;
    }
    if (!job && unpullable) {
        return {
            exitCode: undefined,
            failure: `${noun} ${namespace}/${spec.name} cannot start: ${unpullable.message}.`,
            finished: false,
        };
    }
    const pods = await logs.poll().catch((error) => {
        runner_log/* warning */.$e(`Could not read the output of Job ${spec.name}: ${String(error)}`);
        return [];
    });
    const pod = pods.at(-1);
    const state = pod ? containerState(pod, spec.container) : undefined;
    if (!job) {
        const situation = podSituation(pod, spec.container);
        return {
            exitCode: undefined,
            failure: signal.aborted
                ? `The run was cancelled while Job ${namespace}/${spec.name} ran: ${situation}.`
                : deadline.error(situation).message,
            finished: false,
        };
    }
    const exitCode = state?.terminated?.exitCode;
    if (condition(job, 'Complete'))
        return { exitCode: exitCode ?? 0, failure: undefined, finished: true };
    const failed = condition(job, 'Failed');
    const why = exitCode !== undefined
        ? `container ${spec.container} exited with code ${exitCode}${state?.terminated?.reason ? ` (${state.terminated.reason})` : ''}`
        : `${failed?.reason ?? 'it failed'}${failed?.message ? `: ${failed.message}` : ''} (${podSituation(pod, spec.container)})`;
    return { exitCode, failure: `${noun} ${namespace}/${spec.name} failed: ${why}.`, finished: true };
}
/**
 * Copies the logs every few seconds while the Job runs, showing each poll's pods to `inspect`; a
 * failed read is retried at the next.
 */
async function copyLogs(logs, signal, inspect) {
    while (!signal.aborted) {
        try {
            inspect(await logs.poll(signal));
            await (0,async_sleep/* sleep */.yy)(LOG_POLL_MS, signal);
        }
        catch (error) {
            if (signal.aborted)
                return;
            runner_log/* debug */.Yz(`Reading the Job's output: ${String(error)}`);
            await (0,async_sleep/* sleep */.yy)(LOG_POLL_MS, signal).catch(() => undefined);
        }
    }
}
/** The finished Job, or undefined when `signal` ended the wait first. */
async function waitForJob(client, namespace, name, signal) {
    const path = `/apis/batch/v1/namespaces/${namespace}/jobs`;
    while (!signal.aborted) {
        try {
            const job = await client.requestJson({ path: `${path}/${name}`, signal });
            if (finished(job))
                return job;
            await client.watch(path, {
                query: {
                    fieldSelector: `metadata.name=${name}`,
                    resourceVersion: job.metadata?.resourceVersion,
                    timeoutSeconds: WATCH_SECONDS,
                },
                signal,
                onEvent: (event) => {
                    if (event.type === 'DELETED')
                        throw new errors/* ActionError */.lZ(`Job ${namespace}/${name} was deleted while it ran.`);
                    if (event.type !== 'BOOKMARK' && event.type !== 'ERROR' && finished(event.object)) {
                        throw new JobFinished(event.object);
                    }
                },
            });
        }
        catch (error) {
            if (error instanceof JobFinished)
                return error.job;
            if (signal.aborted)
                return undefined;
            // A dropped watch, or 410 Gone: read the Job again and watch from there.
            if (!(error instanceof api_error/* KubernetesApiError */.dp && error.status === 410) &&
                !(error instanceof api_error/* KubernetesConnectionError */.LN))
                throw error;
            await (0,async_sleep/* sleep */.yy)(500, signal).catch(() => undefined);
        }
    }
    return undefined;
}
function finished(job) {
    return condition(job, 'Complete') !== undefined || condition(job, 'Failed') !== undefined;
}
function condition(job, type) {
    const conditions = (0,object/* field */.ZZ)(job, 'status', 'conditions');
    if (!Array.isArray(conditions))
        return undefined;
    return conditions.find((entry) => (0,object/* field */.ZZ)(entry, 'type') === type && (0,object/* field */.ZZ)(entry, 'status') === 'True');
}
/** What the pod was doing when the deadline passed: the reason to look at first. */
function podSituation(pod, container) {
    if (!pod)
        return 'no pod was created (check the namespace quota and the Job events)';
    const problem = (0,pod_problems/* podProblems */.B)([pod], { maxRestarts: Infinity })[0];
    if (problem)
        return problem.message;
    const state = containerState(pod, container);
    const name = String(pod.metadata?.name);
    if (state?.waiting) {
        return `pod ${name} is waiting: ${state.waiting.reason ?? 'unknown'}${state.waiting.message ? ` (${state.waiting.message})` : ''}`;
    }
    if (state?.running)
        return `pod ${name} is still running`;
    return `pod ${name} is ${String((0,object/* field */.ZZ)(pod, 'status', 'phase') ?? 'pending')}`;
}
/** Background propagation: the pod goes with the Job, without making the step wait for it. */
async function deleteJob(client, namespace, name) {
    try {
        await client.requestJson({
            method: 'DELETE',
            path: `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`,
            query: { propagationPolicy: 'Background' },
            what: `delete Job ${namespace}/${name}`,
        });
        runner_log/* info */.pq(`Deleted Job ${namespace}/${name}.`);
    }
    catch (error) {
        if (error instanceof api_error/* KubernetesApiError */.dp && error.status === 404)
            return;
        runner_log/* warning */.$e(`Could not delete Job ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

;// CONCATENATED MODULE: ./shared/src/analysis/job-measure.ts




/**
 * One measurement of a job check: a copy of the manifest under a name of its own, run with the
 * shared Job code (its output copied to the step log, deleted afterwards). Exit code 0 is a success,
 * any other a failure; a Job that never ran to the end (an unpullable image, the analysis's
 * deadline) is an error. One attempt, unless the manifest asks for more: a retried check would hide
 * the failure the analysis is there to see.
 */
const job_measure_CLUSTER_DEADLINE_GRACE_SECONDS = 60;
async function measureJob(check, round, client, namespace, deadline, signal) {
    const metadata = (0,object/* isRecord */.u4)(check.manifest.metadata) ? check.manifest.metadata : {};
    const base = String(metadata.name ?? metadata.generateName ?? 'analysis').replace(/[-.]+$/, '');
    let result;
    try {
        result = await runJobWithClient(client, {
            namespace: namespace ?? (typeof metadata.namespace === 'string' ? metadata.namespace : undefined),
            keepJob: false,
            timeoutMs: Math.max(1, deadline.remaining()),
            command: undefined,
            noun: `Analysis Job of check ${check.name}`,
            buildSpec: async (_client, jobNamespace) => {
                const name = jobName(base, `r${round}`, Math.random().toString(36).slice(2, 7));
                return {
                    name,
                    container: check.container,
                    job: copy(check.manifest, name, jobNamespace, deadline),
                };
            },
        }, signal);
    }
    catch (error) {
        if (signal.aborted || !(error instanceof errors/* ActionError */.lZ))
            throw error;
        return { outcome: 'error', detail: `the Job could not run: ${error.message}` };
    }
    const tail = result.tail.describe();
    if (result.exitCode === 0 && result.failure === undefined) {
        return { outcome: 'success', value: 0, detail: `${result.where}: exit code 0. ${tail}` };
    }
    if (result.exitCode !== undefined) {
        return {
            outcome: 'failure',
            value: result.exitCode,
            detail: `${result.failure ?? `exit code ${result.exitCode}`} ${tail}`,
        };
    }
    return { outcome: 'error', detail: `${result.failure ?? 'the Job did not finish'} ${tail}` };
}
function copy(manifest, name, namespace, deadline) {
    const job = structuredClone(manifest);
    const metadata = { ...job.metadata };
    delete metadata.generateName;
    // The run label finds the Job's pod for its logs and exit code.
    job.metadata = {
        ...metadata,
        name,
        namespace,
        labels: { ...metadata.labels, [RUN_LABEL]: name },
    };
    const template = job.spec.template;
    template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, [RUN_LABEL]: name },
    };
    template.spec.restartPolicy ??= 'Never';
    job.spec.backoffLimit ??= 0;
    // A safety net for a runner that dies mid-analysis; while it waits, the analysis's deadline ends the Job first.
    job.spec.activeDeadlineSeconds ??= Math.ceil(deadline.remaining() / 1000) + job_measure_CLUSTER_DEADLINE_GRACE_SECONDS;
    return job;
}

;// CONCATENATED MODULE: ./shared/src/analysis/prometheus-response.ts
/**
 * Reads the answer of Prometheus's instant query API (`GET /api/v1/query`): `{"status":"success",
 * "data":{"resultType":"vector","result":[{"metric":{...},"value":[<time>,"<number>"]}]}}`, a
 * `scalar` (`"result":[<time>,"<number>"]`), a `matrix` (each series' `values`; its latest one is
 * used), or `{"status":"error","errorType":...,"error":...}`. Sample values are strings so that
 * NaN and ±Inf survive JSON; they are read the way Prometheus writes them.
 */
class PrometheusAnswerError extends Error {
}
function readQueryAnswer(status, body) {
    const series = readSeries(status, body);
    const warnings = JSON.parse(body).warnings;
    return {
        series,
        warnings: Array.isArray(warnings)
            ? warnings.filter((warning) => typeof warning === 'string')
            : [],
    };
}
function readSeries(status, body) {
    let answer;
    try {
        answer = JSON.parse(body);
    }
    catch {
        throw new PrometheusAnswerError(`HTTP ${status} with a body that is not JSON (starts with ${JSON.stringify(body.slice(0, 60))}); is address a Prometheus server?`);
    }
    const record = answer;
    if (record?.status === 'error') {
        throw new PrometheusAnswerError(`Prometheus answered HTTP ${status}, ${String(record.errorType)}: ${String(record.error)}`);
    }
    if (record?.status !== 'success' || typeof record.data !== 'object' || record.data === null) {
        throw new PrometheusAnswerError(`HTTP ${status} without the "status":"success" and "data" of Prometheus's query API`);
    }
    const data = record.data;
    switch (data.resultType) {
        case 'scalar':
            return [{ labels: '', value: sampleValue(data.result) }];
        case 'vector':
            return list(data.result).map((series) => ({
                labels: labels(series),
                value: sampleValue(series.value),
            }));
        case 'matrix':
            return list(data.result).flatMap((series) => {
                const values = Array.isArray(series.values) ? series.values : [];
                return values.length === 0 ? [] : [{ labels: labels(series), value: sampleValue(values.at(-1)) }];
            });
        case 'string':
            throw new PrometheusAnswerError('the query returned a string, which a condition cannot compare; query a number');
        default:
            throw new PrometheusAnswerError(`unknown resultType ${JSON.stringify(data.resultType)}`);
    }
}
function list(result) {
    if (!Array.isArray(result))
        throw new PrometheusAnswerError('"data.result" is not a list');
    return result.filter((item) => typeof item === 'object' && item !== null);
}
const SPECIAL = {
    NaN: Number.NaN,
    '+Inf': Infinity,
    Inf: Infinity,
    '-Inf': -Infinity,
};
function sampleValue(pair) {
    const text = Array.isArray(pair) ? pair[1] : undefined;
    if (typeof text !== 'string')
        throw new PrometheusAnswerError(`a sample is not [<time>, "<value>"]: ${JSON.stringify(pair)}`);
    // Number('') and Number(' ') are 0: a blank value would pass an error-rate check.
    const value = SPECIAL[text] ?? (text.trim() === '' ? Number.NaN : Number(text));
    if (Number.isNaN(value) && text !== 'NaN')
        throw new PrometheusAnswerError(`a sample value ${JSON.stringify(text)} is not a number`);
    return value;
}
function labels(series) {
    const metric = typeof series.metric === 'object' && series.metric !== null ? series.metric : {};
    const pairs = Object.entries(metric).map(([name, value]) => `${name}=${JSON.stringify(String(value))}`);
    return `{${pairs.join(',')}}`;
}

;// CONCATENATED MODULE: ./shared/src/analysis/prometheus-query.ts




/**
 * One measurement of a prometheus check: an instant query at this moment, judged the way Argo
 * Rollouts judges a metric (a failure condition that holds wins; with both conditions and neither
 * holding, the measurement is inconclusive), except that the condition is applied to each series in
 * turn (success needs every series, failure any) and that no data (no series, or NaN) is a failure,
 * not an error.
 * 429 and 5xx answers and dropped connections are retried within the measurement.
 */
const ATTEMPTS = 3;
async function measurePrometheus(check, variables, clients, deadline, signal) {
    let url;
    let query;
    try {
        query = substitute(check.query, variables);
        url = new URL(`${substitute(check.address, variables).replace(/\/+$/, '')}/api/v1/query`);
    }
    catch (error) {
        if (!(error instanceof UnknownPlaceholderError || error instanceof TypeError))
            throw error;
        return { outcome: 'error', detail: `the query cannot be built: ${error.message}` };
    }
    url.searchParams.set('query', query);
    url.searchParams.set('time', (Date.now() / 1000).toFixed(3));
    let answer;
    try {
        answer = readQueryAnswer(...(await ask(check, url.toString(), clients, deadline, signal)));
    }
    catch (error) {
        const why = error instanceof async_retry/* RetryExhaustedError */.aB ? error.lastError : error;
        if (!(why instanceof PrometheusAnswerError ||
            why instanceof HttpRequestError ||
            why instanceof TransientAnswer)) {
            throw error;
        }
        return { outcome: 'error', detail: `query ${JSON.stringify(query)} at ${url.origin}: ${why.message}` };
    }
    const judged = judge(check, query, answer.series);
    if (answer.warnings.length === 0)
        return judged;
    const warned = answer.warnings.map((warning) => warning.replace(/\s+/g, ' ').trim()).join('; ');
    return { ...judged, detail: `${judged.detail} (Prometheus warned: ${warned.slice(0, 500)})` };
}
class TransientAnswer extends Error {
}
async function ask(check, url, clients, deadline, signal) {
    const response = await (0,async_retry/* retry */.L5)(async () => {
        const timeoutMs = Math.max(1, Math.min(check.requestTimeoutMs, deadline.remaining()));
        const answer = await clients
            .for({ insecure: check.insecure })
            .request({
            url,
            headers: {
                accept: 'application/json',
                ...(check.authorization && { authorization: check.authorization }),
            },
            timeoutMs,
            signal,
        })
            .catch((error) => {
            // Cut short by the analysis's timeout, not slow by its own: the analysis timed out.
            if (error instanceof HttpRequestError &&
                error.kind === 'timeout' &&
                timeoutMs < check.requestTimeoutMs) {
                throw deadline.error();
            }
            throw error;
        });
        if (isTransientStatus(answer.status)) {
            throw new TransientAnswer(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
        }
        return answer;
    }, {
        what: `the query of ${check.name}`,
        attempts: ATTEMPTS,
        deadline,
        signal,
        initialDelayMs: 200,
        maxDelayMs: 2000,
        classify: (error) => error instanceof TransientAnswer
            ? { transient: true, reason: error.message }
            : classifyHttpFailure(error),
    });
    return [response.status, response.body];
}
function judge(check, query, series) {
    if (series.length === 0) {
        return { outcome: 'failure', detail: `query ${JSON.stringify(query)} returned no data` };
    }
    const value = series.length === 1
        ? series[0].value
        : series.map((one) => `${one.labels} ${one.value}`).join(', ');
    const shown = typeof value === 'number' ? String(value) : `${series.length} series: ${value}`;
    // NaN is what a ratio gives when nothing was counted (0/0: the canary got no requests): no data.
    // Judged by the conditions, `not (result > x)` or a failure condition alone would pass it.
    const nan = series.filter((one) => Number.isNaN(one.value));
    if (nan.length > 0) {
        const which = series.length === 1 ? '' : ` for ${nan.map((one) => one.labels).join(', ')}`;
        return {
            outcome: 'failure',
            value,
            detail: `query ${JSON.stringify(query)} returned NaN${which}, which is no data (0/0: no requests were measured)`,
        };
    }
    const failing = check.failureCondition && series.filter((one) => check.failureCondition?.holds(one.value));
    if (failing && failing.length > 0) {
        return {
            outcome: 'failure',
            value,
            detail: `${shown}: failure-condition "${check.failureCondition?.text}" holds`,
        };
    }
    if (check.successCondition) {
        const unmet = series.filter((one) => !check.successCondition?.holds(one.value));
        if (unmet.length === 0) {
            return {
                outcome: 'success',
                value,
                detail: `${shown}: success-condition "${check.successCondition.text}" holds`,
            };
        }
        const which = series.length === 1 ? '' : ` for ${unmet.map((one) => one.labels).join(', ')}`;
        return check.failureCondition
            ? { outcome: 'inconclusive', value, detail: `${shown}: neither condition holds${which}` }
            : {
                outcome: 'failure',
                value,
                detail: `${shown}: success-condition "${check.successCondition.text}" does not hold${which}`,
            };
    }
    return {
        outcome: 'success',
        value,
        detail: `${shown}: failure-condition "${check.failureCondition?.text}" does not hold`,
    };
}

;// CONCATENATED MODULE: ./shared/src/analysis/tally.ts
class Tally {
    check;
    settings;
    measured = 0;
    successes = 0;
    failures = 0;
    inconclusive = 0;
    streak = 0;
    longestStreak = 0;
    last;
    constructor(check, settings) {
        this.check = check;
        this.settings = settings;
    }
    add(measurement) {
        this.measured++;
        this.last = measurement;
        if (measurement.outcome === 'success') {
            this.successes++;
            this.streak++;
            this.longestStreak = Math.max(this.longestStreak, this.streak);
        }
        else {
            this.streak = 0;
            if (measurement.outcome === 'inconclusive')
                this.inconclusive++;
            else
                this.failures++;
        }
        return this.verdict();
    }
    verdict() {
        const { failureLimit, inconclusiveLimit, consecutiveSuccesses, count } = this.settings;
        const name = `check "${this.check.name}"`;
        const last = this.last ? ` Last measurement: ${this.last.detail.split('\n')[0]}` : '';
        if (this.failures > failureLimit) {
            return {
                state: 'failed',
                reason: `${name} failed ${this.failures} of ${this.measured} measurements, more than failure-limit ${failureLimit}.${last}`,
            };
        }
        if (this.inconclusive > inconclusiveLimit) {
            return {
                state: 'inconclusive',
                reason: `${name} was inconclusive ${this.inconclusive} of ${this.measured} times, more than inconclusive-limit ${inconclusiveLimit}.${last}`,
            };
        }
        if (consecutiveSuccesses !== undefined && this.streak >= consecutiveSuccesses) {
            return {
                state: 'passed',
                reason: `${name} succeeded ${this.streak} times in a row (consecutive-successes)`,
            };
        }
        if (this.measured < count)
            return { state: 'running' };
        if (consecutiveSuccesses !== undefined) {
            return {
                state: 'inconclusive',
                reason: `${name} succeeded at most ${this.longestStreak} times in a row in ${count} rounds, short of consecutive-successes ${consecutiveSuccesses}.${last}`,
            };
        }
        if (this.successes === 0) {
            return {
                state: 'inconclusive',
                reason: `${name} had no successful measurement in ${count} rounds.${last}`,
            };
        }
        return {
            state: 'passed',
            reason: `${name} succeeded ${this.successes} of ${count} measurements`,
        };
    }
    /** For a timeout's reason: how far the check got. */
    progress() {
        return `${this.check.name}: ${this.successes} succeeded, ${this.failures} failed, ${this.inconclusive} inconclusive`;
    }
}

;// CONCATENATED MODULE: ./shared/src/analysis/run-analysis.ts









/**
 * Runs the analysis in rounds `interval` apart (start to start): in each, every check still
 * undecided is measured once, all at the same time. The analysis fails at the first check that
 * fails, is inconclusive at the first inconclusive one, and passes when every check has passed.
 * `timeout` bounds all of it: reaching it fails the analysis, and a round that could not end in
 * time is not started.
 */
async function runAnalysis(plan, context) {
    const { settings } = plan;
    const deadline = new async_deadline/* Deadline */.B(settings.timeoutMs, `the analysis (timeout)`);
    const signal = deadline.signal(context.signal);
    const clients = new ClientPool();
    const tallies = plan.checks.map((check) => new Tally(check, settings));
    const measurements = [];
    const started = performance.now();
    let round = 0;
    const end = (decision, reason) => ({
        decision,
        reason,
        rounds: round,
        measurements,
    });
    try {
        for (;;) {
            const pending = tallies.filter((tally) => tally.verdict().state === 'running');
            if (pending.length === 0)
                break;
            const wait = started + round * settings.intervalMs - performance.now();
            if (wait >= deadline.remaining())
                return end('failed', timedOut(settings.timeoutMs, round + 1, tallies));
            await (0,async_sleep/* sleep */.yy)(wait, signal);
            round++;
            const settled = await Promise.allSettled(pending.map((tally) => measure(tally.check, round, context, clients, deadline, signal)));
            const verdicts = [];
            settled.forEach((outcome, index) => {
                if (outcome.status === 'rejected')
                    return;
                measurements.push(outcome.value);
                context.onMeasurement?.(outcome.value);
                verdicts.push(pending[index].add(outcome.value));
            });
            // The measurements that were taken are kept; the first that could not be (cancelled, or a bug) ends the run.
            const rejected = settled.find((outcome) => outcome.status === 'rejected');
            if (rejected)
                throw rejected.reason;
            const failed = verdicts.find((verdict) => verdict.state === 'failed');
            if (failed && failed.state !== 'running')
                return end('failed', failed.reason);
            const inconclusive = verdicts.find((verdict) => verdict.state === 'inconclusive');
            if (inconclusive && inconclusive.state !== 'running')
                return end('inconclusive', inconclusive.reason);
        }
        const reasons = tallies
            .map((tally) => tally.verdict())
            .map((verdict) => (verdict.state === 'running' ? '' : verdict.reason));
        return end('passed', `${reasons.join('; ')}.`);
    }
    catch (error) {
        const timedOutNow = error instanceof errors/* DeadlineExceededError */.Kt || signal.reason instanceof errors/* DeadlineExceededError */.Kt;
        if (timedOutNow && !context.signal?.aborted) {
            return end('failed', timedOut(settings.timeoutMs, round, tallies));
        }
        throw error;
    }
    finally {
        await clients.closeAll();
    }
}
function timedOut(timeoutMs, round, tallies) {
    return `The analysis timed out after ${(0,duration/* formatDuration */.a)(timeoutMs)} (timeout) in round ${round}, undecided: ${tallies.map((tally) => tally.progress()).join('; ')}.`;
}
async function measure(check, round, context, clients, deadline, signal) {
    const startedAt = new Date().toISOString();
    const variables = context.variables ?? {};
    let judged;
    if (check.kind === 'smoke-test')
        judged = await measureSmokeTest(check, variables, clients, deadline, signal);
    else if (check.kind === 'prometheus')
        judged = await measurePrometheus(check, variables, clients, deadline, signal);
    else if (context.kubernetes)
        judged = await measureJob(check, round, context.kubernetes, context.namespace, deadline, signal);
    else
        judged = { outcome: 'error', detail: 'a job check needs a Kubernetes cluster, and this step has none' };
    // A measurement the deadline or the caller cut short says nothing about the release.
    (0,async_sleep/* throwIfAborted */.Te)(signal);
    if (deadline.expired())
        throw deadline.error();
    return { check: check.name, kind: check.kind, round, startedAt, ...judged };
}

// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
;// CONCATENATED MODULE: ./shared/src/analysis/report.ts


/** The job summary section and the `analysis` output, both from one AnalysisResult. */
const OUTCOME_MARK = {
    success: '✅ success',
    failure: '❌ failure',
    inconclusive: '❔ inconclusive',
    error: '⚠️ error',
};
const DECISION_MARK = {
    passed: '✅ passed',
    failed: '❌ failed',
    inconclusive: '❔ inconclusive',
};
/** Markdown: the decision and its reason, a table of every measurement, and each Job's log tail. */
function analysisSummary(result, title) {
    const summary = new runner_summary/* JobSummary */.c3()
        .heading(`${title}: ${result.decision}`, 3)
        .paragraph(`**${DECISION_MARK[result.decision]}** after ${result.rounds} round${result.rounds === 1 ? '' : 's'}: ${(0,runner_summary/* escapeInline */.VV)(result.reason)}`)
        .table(['Round', 'Check', 'Kind', 'Outcome', 'Value', 'Detail'], result.measurements.map((measurement) => [
        measurement.round,
        (0,runner_summary/* escapeInline */.VV)(measurement.check),
        measurement.kind,
        OUTCOME_MARK[measurement.outcome],
        measurement.value === undefined ? '–' : (0,runner_summary/* escapeInline */.VV)(String(measurement.value)),
        (0,runner_summary/* escapeInline */.VV)(firstLine(measurement.detail)),
    ]));
    for (const measurement of result.measurements) {
        const rest = measurement.detail.split('\n').slice(1).join('\n');
        if (rest.trim() !== '') {
            summary.details(`Round ${measurement.round}, ${measurement.check}: more`, (0,runner_summary/* fencedCode */.Vl)(rest));
        }
    }
    return summary.toMarkdown();
}
/** One line for the step log as a measurement is taken: `round 2, error-rate (prometheus): success — 0.004: ...`. */
function measurementLine(measurement) {
    return `round ${measurement.round}, ${measurement.check} (${measurement.kind}): ${measurement.outcome} — ${firstLine(measurement.detail)}`;
}
/** The `analysis` output: JSON with kebab-case keys, as Gantry's other outputs, secrets removed. */
function analysisOutput(result) {
    return (0,secrets/* redact */.E$)(JSON.stringify({
        decision: result.decision,
        reason: result.reason,
        rounds: result.rounds,
        measurements: result.measurements.map((measurement) => ({
            check: measurement.check,
            kind: measurement.kind,
            round: measurement.round,
            'started-at': measurement.startedAt,
            outcome: measurement.outcome,
            value: jsonValue(measurement.value),
            detail: measurement.detail,
        })),
    }));
}
/** NaN and ±Inf (Prometheus answers them) have no JSON form: they go out as Prometheus writes them. */
function jsonValue(value) {
    if (value === undefined)
        return null;
    if (typeof value === 'number' && !Number.isFinite(value)) {
        return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
    }
    return value;
}
function firstLine(text) {
    return text.split('\n')[0] ?? '';
}

;// CONCATENATED MODULE: ./shared/src/analysis/index.ts
/**
 * The analysis engine run between progressive-delivery steps (deploy-k8s canary and blue-green,
 * deploy-ecs through CodeDeploy): read the `analysis` input, run its checks in rounds, decide.
 * See README.md in this folder for the YAML format, the defaults and the decision rules.
 */





/***/ })

};
