export const id = 90;
export const ids = [90];
export const modules = {

/***/ 4090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runKubernetesJob: () => (/* binding */ runKubernetesJob)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __webpack_require__(7585);
;// CONCATENATED MODULE: ./shared/src/kubernetes/jobs/job-spec.ts


/** Labels put on the Job and its pod; the last one finds the pod. */
const RUN_LABEL = 'gantry.dev/job';
const MAX_NAME = 63;
const CLUSTER_DEADLINE_GRACE_SECONDS = 60;
/** Probes would kill or hold back a container that serves nothing; ports are for Services. */
const SERVING_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'ports', 'lifecycle'];
function jobName(baseName, task, suffix) {
    const tail = `-${task}-${suffix}`;
    const base = baseName.slice(0, MAX_NAME - tail.length).replace(/[-.]+$/, '');
    return `${base}${tail}`;
}
function buildJob(options) {
    const spec = (0,object/* isRecord */.u4)(options.podTemplate.spec) ? structuredClone(options.podTemplate.spec) : {};
    const containers = Array.isArray(spec.containers) ? spec.containers.filter(object/* isRecord */.u4) : [];
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
        throw new errors/* ConfigurationError */.j1(`Container ${String(chosen.name)} of ${options.origin} has no image.`, {
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
            throw new errors/* ConfigurationError */.j1(`Input "container" is "${options.container}", which is not a container of ${options.origin}: it has ${names.join(', ') || 'none'}.`, { input: 'container' });
        }
        return found;
    }
    if (containers.length !== 1) {
        throw new errors/* ConfigurationError */.j1(`${options.origin} has ${containers.length} containers (${names.join(', ')}): input "container" must say which one runs ${options.purpose}.`, { input: 'container' });
    }
    return containers[0];
}
/** Annotations (a service mesh's opt-out, a Vault agent's) matter to how the pod runs; keep them. */
function podAnnotations(metadata) {
    return (0,object/* isRecord */.u4)(metadata) && (0,object/* isRecord */.u4)(metadata.annotations) ? metadata.annotations : undefined;
}

// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __webpack_require__(2874);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/process/log-tail.ts + 1 modules
var log_tail = __webpack_require__(5034);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts
var sleep = __webpack_require__(8859);
// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __webpack_require__(3014);
;// CONCATENATED MODULE: ./shared/src/net/network-errors.ts
/**
 * Naming network failures from Node's and undici's error codes, for every client Gantry uses (its
 * own HTTP helper, the Kubernetes client), so that "connection refused" or "TLS verification failed"
 * reads the same everywhere.
 */
/**
 * The code naming a network failure, from the error or its causes (undici wraps socket errors).
 * Read by shape, not `instanceof Error`: socket and TLS errors come from Node's own realm, which is
 * not the caller's under jest's VM modules.
 */
function networkErrorCode(error) {
    for (let current = error; isObject(current); current = current.cause) {
        const code = current.code;
        if (typeof code === 'string' && code !== 'UND_ERR_CONNECT')
            return code;
    }
    return '';
}
const TLS_CODES = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'CERT_SIGNATURE_FAILURE',
    'ERR_SSL_WRONG_VERSION_NUMBER',
]);
/** Certificate and handshake failures: never transient, and never to be retried past. */
function isTlsErrorCode(code) {
    return TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL');
}
function isObject(value) {
    return typeof value === 'object' && value !== null;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/client/api-error.ts




class KubernetesApiError extends errors/* ActionError */.lZ {
    status;
    /** Status.reason: NotFound, AlreadyExists, Conflict, Invalid, Gone, TooManyRequests... */
    reason;
    serverMessage;
    causes;
    retryAfterMs;
    constructor(what, response, options = {}) {
        const parsed = parseStatus(response.body);
        const reason = parsed.reason ?? defaultReason(response.status);
        const serverMessage = parsed.message ?? oneLine(response.body).slice(0, 300);
        super(`${what} failed: ${response.status} ${reason}${serverMessage ? `: ${serverMessage}` : ''}`, options);
        this.name = 'KubernetesApiError';
        this.status = response.status;
        this.reason = reason;
        this.serverMessage = serverMessage;
        this.causes = parsed.causes;
        this.retryAfterMs = (0,retry/* parseRetryAfter */.mu)(response.retryAfter ?? undefined);
    }
}
/** The connection failed before an answer: refused, reset, timed out, TLS or DNS. */
class KubernetesConnectionError extends errors/* ActionError */.lZ {
    code;
    transient;
    constructor(what, server, cause, timedOut = false) {
        const code = timedOut ? 'TIMEOUT' : networkErrorCode(cause);
        const tls = isTlsErrorCode(code);
        super(`${what} failed: ${describeCode(code, cause)} (API server ${server})`, {
            cause,
            hint: tls
                ? 'the API server certificate is not trusted: give the cluster CA as certificate-authority-data in the kubeconfig'
                : undefined,
        });
        this.name = 'KubernetesConnectionError';
        this.code = code;
        this.transient = !tls && code !== 'ENOTFOUND';
    }
}
/** For `retry`: 429 and 5xx (with Retry-After honoured) and dropped connections; never 4xx answers. */
function classifyKubernetesFailure(error) {
    if (error instanceof KubernetesApiError) {
        if (error.status === 429 || (error.status >= 500 && error.status !== 501)) {
            return {
                transient: true,
                reason: `${error.status} ${error.reason}`,
                ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
            };
        }
        return { transient: false };
    }
    if (error instanceof KubernetesConnectionError && error.transient) {
        return { transient: true, reason: error.message };
    }
    return { transient: false };
}
function parseStatus(body) {
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        return { causes: [] };
    }
    if (!(0,object/* isRecord */.u4)(parsed) || parsed.kind !== 'Status')
        return { causes: [] };
    const details = (0,object/* isRecord */.u4)(parsed.details) ? parsed.details : {};
    const causes = Array.isArray(details.causes) ? details.causes.filter(object/* isRecord */.u4) : [];
    return {
        reason: typeof parsed.reason === 'string' && parsed.reason ? parsed.reason : undefined,
        message: typeof parsed.message === 'string' ? oneLine(parsed.message) : undefined,
        causes: causes.map((cause) => ({
            reason: typeof cause.reason === 'string' ? cause.reason : undefined,
            message: typeof cause.message === 'string' ? cause.message : undefined,
            field: typeof cause.field === 'string' ? cause.field : undefined,
        })),
    };
}
const REASONS = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
};
function defaultReason(status) {
    return REASONS[status] ?? `HTTP ${status}`;
}
const DESCRIPTIONS = {
    TIMEOUT: 'no answer in time',
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection reset',
    UND_ERR_SOCKET: 'connection closed by the server',
    UND_ERR_CLOSED: 'connection closed',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'connection timed out',
};
function describeCode(code, cause) {
    const known = DESCRIPTIONS[code];
    if (known)
        return known;
    if (code)
        return `${code}: ${causeMessage(cause)}`;
    return causeMessage(cause);
}
function causeMessage(error) {
    let deepest = '';
    for (let current = error; (0,object/* isRecord */.u4)(current); current = current.cause) {
        if (typeof current.message === 'string' && current.message)
            deepest = current.message;
    }
    return deepest || String(error);
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(4371);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/config_types.js
var config_types = __webpack_require__(6617);
;// CONCATENATED MODULE: ./shared/src/kubernetes/client/credentials.ts



class KubeCredentials {
    cluster;
    user;
    authenticators;
    constructor(cluster, user, authenticators) {
        this.cluster = cluster;
        this.user = user;
        this.authenticators = authenticators;
    }
    /** The source was checked by resolveKubeconfig: its context, cluster and user exist. */
    static async load(source) {
        const { cluster, user } = source.config.kind === 'kubeconfig'
            ? fromKubeconfig(source.config.text, source.context, source.origin)
            : inCluster(source.config.directory, source.server);
        return new KubeCredentials(cluster, user, await authenticatorsFor(user));
    }
    /** For each request: an exec plugin's credential is fetched again once it expires. */
    async apply() {
        const { cluster, user } = this;
        // KubeConfig.applyHTTPSOptions; the cluster's TLS settings apply with or without a user.
        const connection = {};
        if (cluster.proxyUrl)
            connection.proxyUrl = cluster.proxyUrl;
        if (cluster.skipTLSVerify)
            connection.rejectUnauthorized = false;
        if (cluster.tlsServerName)
            connection.servername = cluster.tlsServerName;
        const ca = fileOrData(cluster.caFile, cluster.caData);
        if (ca)
            connection.ca = ca;
        if (!user)
            return { connection, headers: {} };
        const options = { headers: {} };
        const cert = fileOrData(user.certFile, user.certData);
        if (cert)
            options.cert = cert;
        const key = fileOrData(user.keyFile, user.keyData);
        if (key)
            options.key = key;
        if (user.impersonateUser)
            options.headers = { 'Impersonate-User': user.impersonateUser };
        // KubeConfig.applyAuthorizationHeader: the first authenticator that claims the user, then a
        // static token over whatever it set.
        try {
            await this.authenticators
                .find((candidate) => candidate.isAuthProvider(user))
                ?.applyAuthentication(user, options);
        }
        catch (error) {
            // Not a connection failure: retrying would only run a broken plugin again.
            throw credentialFailure(user, error);
        }
        if (user.token)
            (options.headers ??= {}).Authorization = `Bearer ${user.token}`;
        if (options.cert)
            connection.cert = options.cert;
        if (options.key)
            connection.key = options.key;
        // applySecurityAuthentication: basic auth first, the headers above over it (a token wins).
        const basic = {};
        if (user.username) {
            basic.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
        }
        // Token files usually end in a newline: fetch and client-go trim header values, so trim here.
        const headers = Object.entries({ ...basic, ...options.headers }).map(([name, value]) => [
            name,
            value.trim(),
        ]);
        return { connection, headers: Object.fromEntries(headers) };
    }
}
function fromKubeconfig(text, contextName, origin) {
    const raw = JSON.parse(text);
    // Entries the chosen context does not use may be as broken as they like, as with kubectl.
    const options = { onInvalidEntry: config_types/* ActionOnInvalid */.Dr.FILTER };
    const context = (0,config_types/* newContexts */.FE)(raw.contexts, options).find((entry) => entry.name === contextName);
    const cluster = (0,config_types/* newClusters */.MA)(raw.clusters, options).find((entry) => entry.name === context?.cluster);
    if (!context || !cluster) {
        throw new errors/* ConfigurationError */.j1(`Context "${contextName}" of ${origin} cannot be used: its cluster is not readable.`);
    }
    const user = (0,config_types/* newUsers */.bw)(raw.users, options).find((entry) => entry.name === context.user);
    if (context.user && !user) {
        throw new errors/* ConfigurationError */.j1(`User "${context.user}" of ${origin} cannot be used: its token-file cannot be read.`);
    }
    return { cluster, user };
}
/** What KubeConfig.loadFromCluster builds: the mounted CA, and the token file read again each minute. */
function inCluster(directory, server) {
    return {
        cluster: { name: 'in-cluster', server, caFile: `${directory}/ca.crt`, skipTLSVerify: false },
        user: {
            name: 'in-cluster',
            authProvider: { name: 'tokenFile', config: { tokenFile: `${directory}/token` } },
        },
    };
}
/** client-node's authenticators, in KubeConfig's order; OIDC only for a user that needs it. */
async function authenticatorsFor(user) {
    if (!user || (!user.exec && !user.authProvider))
        return [];
    const [{ AzureAuth }, { GoogleCloudPlatformAuth }, { ExecAuth }, { FileAuth }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(292), __webpack_require__.e(160)]).then(__webpack_require__.bind(__webpack_require__, 5779)),
        Promise.all(/* import() */[__webpack_require__.e(292), __webpack_require__.e(704)]).then(__webpack_require__.bind(__webpack_require__, 9704)),
        __webpack_require__.e(/* import() */ 497).then(__webpack_require__.bind(__webpack_require__, 3497)),
        __webpack_require__.e(/* import() */ 752).then(__webpack_require__.bind(__webpack_require__, 5752)),
    ]);
    const authenticators = [
        new AzureAuth(),
        new GoogleCloudPlatformAuth(),
        new ExecAuth(),
        new FileAuth(),
    ];
    if (user.authProvider?.name === 'oidc') {
        const { OpenIDConnectAuth } = await Promise.all(/* import() */[__webpack_require__.e(292), __webpack_require__.e(474), __webpack_require__.e(350)]).then(__webpack_require__.bind(__webpack_require__, 8350));
        authenticators.push(new OpenIDConnectAuth());
    }
    return authenticators;
}
function credentialFailure(user, error) {
    const exec = (user.exec ??
        user.authProvider?.config?.exec);
    const command = typeof exec?.command === 'string' ? exec.command : undefined;
    const code = error?.code;
    const reason = code === 'ENOENT' && command
        ? `"${command}" was not found`
        : // A plugin's own message is its stderr: its last lines say what went wrong.
            (0,errors/* errorMessage */.gJ)(error).trim().split('\n').slice(-5).join(' ').slice(-500).replace(/\.$/, '') ||
                'it failed without a message';
    return new errors/* ActionError */.lZ(`Getting the credentials of kubeconfig user "${user.name}" failed: ${reason}.`, {
        cause: error,
        hint: command
            ? `the kubeconfig runs "${command}" for a token: it must be installed on the runner and have credentials of its own (aws eks get-token: run aws-actions/configure-aws-credentials first)`
            : undefined,
    });
}
/** client-node's bufferFromFileOrString: a file is read again for each request, as it may be renewed. */
function fileOrData(file, data) {
    if (file)
        return (0,external_node_fs_.readFileSync)(file);
    if (data)
        return Buffer.from(data, 'base64');
    return undefined;
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./shared/src/kubernetes/client/dispatcher.ts



/**
 * The connection pool to the API server, as client-node's KubeConfig.createDispatcher builds it:
 * the kubeconfig's TLS material, and its proxy-url (an HTTP CONNECT proxy, or SOCKS). One pool
 * serves every request, so calls share keep-alive connections and TLS sessions.
 */
/** undici's default of 60 s can race cloud load balancers' idle timeouts (AWS ELB: 60 s); client-go uses 30 s. */
const KEEP_ALIVE_INITIAL_DELAY_MS = 30_000;
async function createDispatcher(settings) {
    const tls = {};
    if (settings.ca)
        tls.ca = settings.ca;
    if (settings.cert)
        tls.cert = settings.cert;
    if (settings.key)
        tls.key = settings.key;
    if (settings.rejectUnauthorized !== undefined)
        tls.rejectUnauthorized = settings.rejectUnauthorized;
    if (settings.servername)
        tls.servername = settings.servername;
    const proxy = settings.proxyUrl;
    if (proxy && /^socks/i.test(proxy))
        return new undici/* Agent */.g6({ connect: await socksConnector(proxy, tls) });
    const connect = { ...tls, keepAlive: true, keepAliveInitialDelay: KEEP_ALIVE_INITIAL_DELAY_MS };
    if (proxy)
        return new undici/* ProxyAgent */.kT({ uri: proxy, requestTls: tls, connect });
    return new undici/* Agent */.g6({ connect });
}
/** client-node's SOCKS connector: the tunnel from the `socks` package, TLS to the API server over it. */
async function socksConnector(proxyUrl, tls) {
    const { SocksClient } = await __webpack_require__.e(/* import() */ 474).then(__webpack_require__.t.bind(__webpack_require__, 2474, 23));
    const proxy = new URL(proxyUrl);
    const type = /^socks4a?:$/i.test(proxy.protocol) ? 4 : 5;
    return (options, callback) => {
        SocksClient.createConnection({
            proxy: { host: proxy.hostname, port: Number(proxy.port) || 1080, type },
            command: 'connect',
            destination: { host: options.hostname, port: Number(options.port) },
        }, (error, info) => {
            if (error || !info) {
                callback(error ?? new Error(`the SOCKS proxy ${proxy.host} gave no connection`), null);
                return;
            }
            info.socket.setKeepAlive(true, KEEP_ALIVE_INITIAL_DELAY_MS);
            if (options.protocol !== 'https:') {
                callback(null, info.socket);
                return;
            }
            const secure = {
                ...tls,
                socket: info.socket,
                // An IP address is no server name (SNI): Node refuses to send one.
                servername: tls.servername ?? options.servername ?? ((0,external_node_net_.isIP)(options.hostname) ? undefined : options.hostname),
            };
            callback(null, (0,external_node_tls_.connect)(secure));
        });
    };
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/client/warning-header.ts
/**
 * The API server's `Warning` response headers (deprecated API versions, fields it ignores), read as
 * client-go reads them (k8s.io/apimachinery/pkg/util/net ParseWarningHeader): `299 - "text"`, the
 * text a quoted string with `"` and `\` escaped, an optional quoted date after it. fetch joins
 * several headers of one name with ", ", so one value may hold several warnings. A value that does
 * not parse is kept whole rather than lost: the user still sees what the server said.
 */
function parseWarningHeader(value) {
    if (!value?.trim())
        return [];
    const texts = [];
    let rest = value.trim();
    while (rest) {
        const match = /^(\d{3}) +(\S+) +"/.exec(rest);
        const quoted = match ? readQuoted(rest.slice(match[0].length - 1)) : undefined;
        if (!quoted)
            return [...texts, rest];
        texts.push(quoted.text);
        rest = skipDate(quoted.rest).trim();
        if (rest.startsWith(','))
            rest = rest.slice(1).trim();
        else if (rest)
            return [...texts, rest];
    }
    return texts;
}
function readQuoted(text) {
    let result = '';
    for (let index = 1; index < text.length; index++) {
        const char = text[index];
        if (char === '\\' && index + 1 < text.length) {
            result += text[++index];
        }
        else if (char === '"') {
            return { text: result, rest: text.slice(index + 1) };
        }
        else {
            result += char;
        }
    }
    return undefined;
}
function skipDate(text) {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('"'))
        return text;
    const end = trimmed.indexOf('"', 1);
    return end < 0 ? text : trimmed.slice(end + 1);
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/client/client.ts








const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ATTEMPTS = 6;
const WATCH_IDLE_MS = 90_000;
async function createKubernetesClient(source, options = {}) {
    return new UndiciKubernetesClient(await KubeCredentials.load(source), source, options);
}
class UndiciKubernetesClient {
    server;
    context;
    namespace;
    calls = { total: 0, byVerb: {} };
    credentials;
    options;
    /**
     * Made with the first request's credentials and kept for every request, so calls share
     * keep-alive connections and TLS sessions (client-node would build a new pool each time).
     */
    dispatcher;
    /** Requests in flight and how to detach each from its caller's signal. */
    open = new Map();
    constructor(credentials, source, options) {
        this.credentials = credentials;
        this.options = options;
        this.server = source.server.replace(/\/+$/, '');
        this.context = source.context;
        this.namespace = source.namespace;
    }
    async requestJson(options) {
        const text = await this.requestText(options);
        try {
            return JSON.parse(text);
        }
        catch {
            throw new KubernetesConnectionError(describe(options), this.server, new Error('the answer is not JSON'));
        }
    }
    async getObject(path, options = {}) {
        try {
            return await this.requestJson({ ...options, path, method: 'GET' });
        }
        catch (error) {
            if (error instanceof KubernetesApiError && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async requestText(options) {
        const once = () => this.send(options);
        if (options.retry === false)
            return once();
        return (0,retry/* retry */.L5)(once, {
            what: describe(options),
            classify: classifyKubernetesFailure,
            attempts: this.options.attempts ?? DEFAULT_ATTEMPTS,
            deadline: options.deadline,
            signal: options.signal,
            initialDelayMs: 250,
            maxDelayMs: 10_000,
            onRetry: ({ attempt, delayMs, reason }) => this.options.onRetry?.(`${describe(options)}: ${reason}; attempt ${attempt + 1} in ${Math.round(delayMs)} ms`),
        });
    }
    async send(options) {
        const method = options.method ?? 'GET';
        const controller = this.controller(options.signal);
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, options.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
        try {
            const prepared = await this.prepare(options.path, options.query);
            if (options.body !== undefined) {
                prepared.headers['Content-Type'] = options.contentType ?? 'application/json';
            }
            this.count(method);
            const response = await (0,undici/* request */.Em)(prepared.url, {
                method,
                headers: prepared.headers,
                body: options.body,
                dispatcher: prepared.dispatcher,
                signal: controller.signal,
            });
            const body = await response.body.text();
            for (const text of parseWarningHeader(header(response.headers, 'warning')))
                options.onWarning?.(text);
            if (response.statusCode >= 400) {
                throw new KubernetesApiError(describe(options), {
                    status: response.statusCode,
                    body,
                    retryAfter: header(response.headers, 'retry-after'),
                });
            }
            return body;
        }
        catch (error) {
            throw this.failure(error, options, controller, timedOut);
        }
        finally {
            clearTimeout(timer);
            this.release(controller);
        }
    }
    async watch(path, options) {
        const controller = this.controller(options.signal);
        const idleMs = options.idleTimeoutMs ?? WATCH_IDLE_MS;
        let timedOut = false;
        let timer;
        const resetIdle = () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
                timedOut = true;
                controller.abort();
            }, idleMs);
        };
        const what = `watch ${path}`;
        try {
            resetIdle();
            const prepared = await this.prepare(path, { ...options.query, watch: 'true' });
            this.count('WATCH');
            const response = await (0,undici/* request */.Em)(prepared.url, {
                headers: prepared.headers,
                dispatcher: prepared.dispatcher,
                signal: controller.signal,
            });
            if (response.statusCode !== 200) {
                throw new KubernetesApiError(what, {
                    status: response.statusCode,
                    body: await response.body.text(),
                    retryAfter: header(response.headers, 'retry-after'),
                });
            }
            const stream = response.body;
            const decoder = new TextDecoder();
            let buffered = '';
            for await (const chunk of stream) {
                resetIdle();
                buffered += decoder.decode(chunk, { stream: true });
                let newline = buffered.indexOf('\n');
                while (newline >= 0) {
                    const line = buffered.slice(0, newline).trim();
                    buffered = buffered.slice(newline + 1);
                    if (line)
                        options.onEvent(JSON.parse(line));
                    newline = buffered.indexOf('\n');
                }
            }
        }
        catch (error) {
            throw this.failure(error, { path, what }, controller, timedOut);
        }
        finally {
            clearTimeout(timer);
            this.release(controller);
        }
    }
    async close() {
        for (const controller of this.open.keys())
            controller.abort();
        const dispatcher = await this.dispatcher?.catch(() => undefined);
        await dispatcher?.destroy();
    }
    /** KubeConfig.applySecurityAuthentication's work: credentials (renewed when they expire) and TLS. */
    async prepare(path, query) {
        const url = new URL(this.server + path);
        for (const [name, value] of Object.entries(query ?? {})) {
            if (value !== undefined)
                url.searchParams.set(name, String(value));
        }
        const credentials = await this.credentials.apply();
        this.dispatcher ??= createDispatcher(credentials.connection);
        return {
            url: url.toString(),
            headers: { ...credentials.headers, Accept: 'application/json', 'User-Agent': 'gantry' },
            dispatcher: await this.dispatcher,
        };
    }
    count(verb) {
        this.calls.total++;
        this.calls.byVerb[verb] = (this.calls.byVerb[verb] ?? 0) + 1;
    }
    /** One controller per request, aborted by the caller's signal, a timeout, or close(). */
    controller(signal) {
        if (signal?.aborted)
            throw (0,sleep/* abortReason */.Js)(signal);
        const controller = new AbortController();
        const onAbort = () => controller.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.open.set(controller, () => signal?.removeEventListener('abort', onAbort));
        return controller;
    }
    /** Detaches from the caller's signal: a long-lived run signal would otherwise collect listeners. */
    release(controller) {
        this.open.get(controller)?.();
        this.open.delete(controller);
    }
    failure(error, options, controller, timedOut) {
        if (options.signal?.aborted)
            return (0,sleep/* abortReason */.Js)(options.signal);
        // API errors, and errors an onEvent callback throws on purpose, are the answer as they are.
        if (error instanceof errors/* ActionError */.lZ)
            return error;
        if (controller.signal.aborted && !timedOut)
            return new KubernetesConnectionError(describe(options), this.server, new Error('the client was closed'));
        return new KubernetesConnectionError(describe(options), this.server, error, timedOut);
    }
}
function describe(options) {
    return options.what ?? `${options.method ?? 'GET'} ${options.path}`;
}
/** A response header as one value: undici gives an array when the header came several times. */
function header(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollout/pod-problems.ts

const IMAGE_PULL_REASONS = new Set([
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'ErrImageNeverPull',
]);
/** ErrImagePull can be a registry hiccup that the next try survives; these cannot end well. */
const FATAL_IMAGE_REASONS = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
function podProblems(pods, options) {
    return pods.flatMap((pod) => problemsOfPod(pod, options));
}
function problemsOfPod(pod, options) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp)
        return [];
    const problems = [];
    const scheduled = podCondition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        problems.push({
            kind: 'unschedulable',
            pod: name,
            reason: 'Unschedulable',
            message: `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits it'}`,
            fatal: false,
        });
    }
    const phase = (0,object/* stringField */.OM)(pod, 'status', 'phase');
    for (const status of containerStatuses(pod)) {
        const problem = phase === 'Failed' ? failedContainer(name, status) : waitingContainer(name, pod, status, options);
        if (problem)
            problems.push(problem);
    }
    if (phase === 'Failed' && !problems.some((problem) => problem.kind === 'pod-failed')) {
        const reason = (0,object/* stringField */.OM)(pod, 'status', 'reason') ?? 'Failed';
        const detail = (0,object/* stringField */.OM)(pod, 'status', 'message');
        problems.push({
            kind: 'pod-failed',
            pod: name,
            reason,
            message: `pod ${name} failed: ${reason}${detail ? ` (${detail})` : ''}`,
            fatal: false,
        });
    }
    return problems;
}
function containerStatuses(pod) {
    const statuses = [(0,object/* field */.ZZ)(pod, 'status', 'initContainerStatuses'), (0,object/* field */.ZZ)(pod, 'status', 'containerStatuses')];
    return statuses.flatMap((list) => Array.isArray(list)
        ? list.filter((entry) => (0,object/* isRecord */.u4)(entry) && typeof entry.name === 'string')
        : []);
}
function waitingContainer(podName, pod, status, options) {
    const reason = (0,object/* stringField */.OM)(status.state, 'waiting', 'reason');
    if (!reason)
        return undefined;
    const detail = (0,object/* stringField */.OM)(status.state, 'waiting', 'message');
    const container = status.name;
    if (IMAGE_PULL_REASONS.has(reason)) {
        const image = specImage(pod, container) ?? status.image;
        return {
            kind: 'image-pull',
            pod: podName,
            container,
            reason,
            image,
            message: `pod ${podName}: container "${container}" cannot pull image "${image ?? '?'}" (${reason}${detail ? `: ${detail}` : ''})`,
            fatal: FATAL_IMAGE_REASONS.has(reason),
        };
    }
    if (reason === 'CrashLoopBackOff') {
        const restarts = status.restartCount ?? 0;
        const terminated = (0,object/* field */.ZZ)(status.lastState, 'terminated');
        const exitCode = (0,object/* numberField */.sJ)(terminated, 'exitCode');
        const lastReason = (0,object/* stringField */.OM)(terminated, 'reason');
        const last = exitCode === undefined && lastReason === undefined
            ? ''
            : `; last exit: ${lastReason ?? 'unknown reason'}, exit code ${exitCode ?? '?'}`;
        return {
            kind: 'crash-loop',
            pod: podName,
            container,
            reason,
            exitCode,
            restarts,
            message: `pod ${podName}: container "${container}" is crash-looping (CrashLoopBackOff, restarted ${restarts} ${restarts === 1 ? 'time' : 'times'}${last})`,
            fatal: restarts > options.maxRestarts,
            log: { container, previous: true },
        };
    }
    if (CONFIG_REASONS.has(reason)) {
        return {
            kind: 'container-config',
            pod: podName,
            container,
            reason,
            message: `pod ${podName}: container "${container}" cannot start (${reason}${detail ? `: ${detail}` : ''})`,
            fatal: false,
        };
    }
    return undefined;
}
function failedContainer(podName, status) {
    const terminated = (0,object/* field */.ZZ)(status.state, 'terminated');
    const exitCode = (0,object/* numberField */.sJ)(terminated, 'exitCode');
    if (exitCode === undefined || exitCode === 0)
        return undefined;
    const reason = (0,object/* stringField */.OM)(terminated, 'reason') ?? 'Error';
    return {
        kind: 'pod-failed',
        pod: podName,
        container: status.name,
        reason,
        exitCode,
        message: `pod ${podName} failed: container "${status.name}" exited with code ${exitCode} (${reason})`,
        fatal: false,
        log: { container: status.name, previous: false },
    };
}
function specImage(pod, container) {
    for (const list of ['initContainers', 'containers']) {
        const containers = (0,object/* field */.ZZ)(pod, 'spec', list);
        if (!Array.isArray(containers))
            continue;
        const found = containers.find((entry) => (0,object/* isRecord */.u4)(entry) && entry.name === container);
        const image = (0,object/* stringField */.OM)(found, 'image');
        if (image)
            return image;
    }
    return undefined;
}
function podCondition(pod, type) {
    const conditions = (0,object/* field */.ZZ)(pod, 'status', 'conditions');
    if (!Array.isArray(conditions))
        return undefined;
    return conditions.find((entry) => (0,object/* isRecord */.u4)(entry) && entry.type === type);
}
/**
 * The same problem in many pods of one rollout is one line: `pod web-1 (and 2 more pods): ...`.
 * The first pod's problem stands for the group, which keeps its log reference.
 */
function groupProblems(problems) {
    const groups = new Map();
    for (const problem of problems) {
        const key = [
            problem.kind,
            problem.container ?? '',
            problem.reason,
            problem.image ?? '',
            problem.exitCode ?? '',
        ].join('\u0000');
        const group = groups.get(key);
        if (group)
            group.pods++;
        else
            groups.set(key, { problem, pods: 1 });
    }
    return [...groups.values()];
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
            if (error instanceof KubernetesApiError && error.status === 400)
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
    const client = await createKubernetesClient(options.cluster, { onRetry: (message) => log/* info */.pq(message) });
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
    const tail = new log_tail/* LogTail */.J();
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
    log/* info */.pq(`Created ${where}; running ${spec.container}${options.command ? `: ${options.command.join(' ')}` : ''}.`);
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
        if (!(error instanceof KubernetesApiError && error.status === 409))
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
        unpullable = podProblems(pods, { maxRestarts: Infinity }).find((problem) => problem.kind === 'image-pull' && problem.fatal);
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
        log/* warning */.$e(`Could not read the output of Job ${spec.name}: ${String(error)}`);
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
            await (0,sleep/* sleep */.yy)(LOG_POLL_MS, signal);
        }
        catch (error) {
            if (signal.aborted)
                return;
            log/* debug */.Yz(`Reading the Job's output: ${String(error)}`);
            await (0,sleep/* sleep */.yy)(LOG_POLL_MS, signal).catch(() => undefined);
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
            if (!(error instanceof KubernetesApiError && error.status === 410) &&
                !(error instanceof KubernetesConnectionError))
                throw error;
            await (0,sleep/* sleep */.yy)(500, signal).catch(() => undefined);
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
    const problem = podProblems([pod], { maxRestarts: Infinity })[0];
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
        log/* info */.pq(`Deleted Job ${namespace}/${name}.`);
    }
    catch (error) {
        if (error instanceof KubernetesApiError && error.status === 404)
            return;
        log/* warning */.$e(`Could not delete Job ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/in-cluster/kubernetes-job.ts




/**
 * mode: kubernetes-job: the migration command as a one-off Job of the core's runner, built from the
 * job-template input or from a Deployment's pod template.
 */
async function runKubernetesJob(inputs, signal) {
    const result = await runJob({
        cluster: inputs.cluster,
        namespace: inputs.namespace,
        keepJob: inputs.keepJob,
        timeoutMs: inputs.timeoutMs,
        command: inputs.command,
        noun: 'Migration Job',
        buildSpec: (client, namespace, abort) => jobSpec(client, inputs, namespace, abort),
    }, signal);
    return {
        mode: 'kubernetes-job',
        where: result.where,
        id: result.name,
        command: inputs.command,
        exitCode: result.exitCode,
        failure: result.failure,
        tail: result.tail,
        durationMs: result.durationMs,
        kept: result.kept,
    };
}
async function jobSpec(client, inputs, namespace, signal) {
    const labels = {
        'app.kubernetes.io/managed-by': 'gantry',
        'gantry.dev/action': 'migrate',
        ...(process.env.GITHUB_RUN_ID && { 'gantry.dev/run-id': process.env.GITHUB_RUN_ID }),
        ...(process.env.GITHUB_SHA && { 'gantry.dev/commit': process.env.GITHUB_SHA }),
    };
    const common = {
        namespace,
        suffix: inputs.suffix,
        task: 'migrate',
        purpose: 'the migration',
        image: inputs.image,
        command: inputs.command,
        container: inputs.container,
        timeoutMs: inputs.timeoutMs,
        labels,
    };
    if (inputs.source.kind === 'template') {
        return buildJob({
            ...common,
            podTemplate: inputs.source.template,
            origin: 'the job-template input',
            baseName: inputs.source.name ?? 'app',
        });
    }
    const name = inputs.source.name;
    const deployment = await client.getObject(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
        signal,
    });
    if (!deployment) {
        throw new errors/* ActionError */.lZ(`Deployment ${namespace}/${name} (input "from-deployment") does not exist.`, {
            hint: 'deploy the application once first, or give the pod template in job-template',
        });
    }
    const template = (0,object/* field */.ZZ)(deployment, 'spec', 'template');
    return buildJob({
        ...common,
        podTemplate: (0,object/* isRecord */.u4)(template) ? template : {},
        origin: `Deployment ${namespace}/${name}`,
        baseName: name,
    });
}


/***/ }),

/***/ 2874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline),
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5082);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3904);


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
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   aB: () => (/* binding */ RetryExhaustedError),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5082);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2874);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3904);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8859);




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

/***/ 5034:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  J: () => (/* binding */ LogTail)
});

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


/***/ })

};
