export const id = 182;
export const ids = [182];
export const modules = {

/***/ 1182:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollBackKubernetes: () => (/* binding */ rollBackKubernetes)
});

// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var deadline = __webpack_require__(2874);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/github/deployment-records.ts
var deployment_records = __webpack_require__(499);
// EXTERNAL MODULE: ./shared/src/github/run-context.ts
var run_context = __webpack_require__(6448);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __webpack_require__(3014);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var sleep = __webpack_require__(3701);
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

// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var kubernetes_object = __webpack_require__(7585);
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
    if (!(0,kubernetes_object/* isRecord */.u4)(parsed) || parsed.kind !== 'Status')
        return { causes: [] };
    const details = (0,kubernetes_object/* isRecord */.u4)(parsed.details) ? parsed.details : {};
    const causes = Array.isArray(details.causes) ? details.causes.filter(kubernetes_object/* isRecord */.u4) : [];
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
    for (let current = error; (0,kubernetes_object/* isRecord */.u4)(current); current = current.cause) {
        if (typeof current.message === 'string' && current.message)
            deepest = current.message;
    }
    return deepest || String(error);
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

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
        Promise.all(/* import() */[__webpack_require__.e(292), __webpack_require__.e(779)]).then(__webpack_require__.bind(__webpack_require__, 5779)),
        Promise.all(/* import() */[__webpack_require__.e(292), __webpack_require__.e(704)]).then(__webpack_require__.bind(__webpack_require__, 9704)),
        __webpack_require__.e(/* import() */ 497).then(__webpack_require__.bind(__webpack_require__, 3497)),
        __webpack_require__.e(/* import() */ 371).then(__webpack_require__.bind(__webpack_require__, 5752)),
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
        return new undici.Agent({ connect: await socksConnector(proxy, tls) });
    const connect = { ...tls, keepAlive: true, keepAliveInitialDelay: KEEP_ALIVE_INITIAL_DELAY_MS };
    if (proxy)
        return new undici.ProxyAgent({ uri: proxy, requestTls: tls, connect });
    return new undici.Agent({ connect });
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
            const response = await (0,undici.request)(prepared.url, {
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
            const response = await (0,undici.request)(prepared.url, {
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

// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/runner/outputs.ts
var outputs = __webpack_require__(5652);
// EXTERNAL MODULE: ./actions/rollback/src/inputs.ts + 7 modules
var src_inputs = __webpack_require__(1413);
// EXTERNAL MODULE: ./actions/rollback/src/records.ts + 1 modules
var src_records = __webpack_require__(8416);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
// EXTERNAL MODULE: ./shared/src/github/deployment-payload.ts
var deployment_payload = __webpack_require__(5615);
// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
// EXTERNAL MODULE: ./actions/rollback/src/kubernetes/workload-refs.ts
var workload_refs = __webpack_require__(5433);
;// CONCATENATED MODULE: ./shared/src/async/concurrency.ts
/**
 * Maps items through an async function with at most `limit` running at once, keeping input order in
 * the result. The first rejection is rethrown after the running ones settle, so nothing is left
 * running behind the caller's back.
 */
async function mapConcurrent(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failure;
    const worker = async () => {
        while (next < items.length && !failure) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            }
            catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    if (failure)
        throw failure.error;
    return results;
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
    const phase = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'phase');
    for (const status of containerStatuses(pod)) {
        const problem = phase === 'Failed' ? failedContainer(name, status) : waitingContainer(name, pod, status, options);
        if (problem)
            problems.push(problem);
    }
    if (phase === 'Failed' && !problems.some((problem) => problem.kind === 'pod-failed')) {
        const reason = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'reason') ?? 'Failed';
        const detail = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'message');
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
    const statuses = [(0,kubernetes_object/* field */.ZZ)(pod, 'status', 'initContainerStatuses'), (0,kubernetes_object/* field */.ZZ)(pod, 'status', 'containerStatuses')];
    return statuses.flatMap((list) => Array.isArray(list)
        ? list.filter((entry) => (0,kubernetes_object/* isRecord */.u4)(entry) && typeof entry.name === 'string')
        : []);
}
function waitingContainer(podName, pod, status, options) {
    const reason = (0,kubernetes_object/* stringField */.OM)(status.state, 'waiting', 'reason');
    if (!reason)
        return undefined;
    const detail = (0,kubernetes_object/* stringField */.OM)(status.state, 'waiting', 'message');
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
        const terminated = (0,kubernetes_object/* field */.ZZ)(status.lastState, 'terminated');
        const exitCode = (0,kubernetes_object/* numberField */.sJ)(terminated, 'exitCode');
        const lastReason = (0,kubernetes_object/* stringField */.OM)(terminated, 'reason');
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
    const terminated = (0,kubernetes_object/* field */.ZZ)(status.state, 'terminated');
    const exitCode = (0,kubernetes_object/* numberField */.sJ)(terminated, 'exitCode');
    if (exitCode === undefined || exitCode === 0)
        return undefined;
    const reason = (0,kubernetes_object/* stringField */.OM)(terminated, 'reason') ?? 'Error';
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
        const containers = (0,kubernetes_object/* field */.ZZ)(pod, 'spec', list);
        if (!Array.isArray(containers))
            continue;
        const found = containers.find((entry) => (0,kubernetes_object/* isRecord */.u4)(entry) && entry.name === container);
        const image = (0,kubernetes_object/* stringField */.OM)(found, 'image');
        if (image)
            return image;
    }
    return undefined;
}
function podCondition(pod, type) {
    const conditions = (0,kubernetes_object/* field */.ZZ)(pod, 'status', 'conditions');
    if (!Array.isArray(conditions))
        return undefined;
    return conditions.find((entry) => (0,kubernetes_object/* isRecord */.u4)(entry) && entry.type === type);
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

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollout/diagnosis.ts



async function diagnose(client, result, options = {}) {
    const groups = groupProblems(result.problems);
    const problems = groups.map(({ problem, pods }) => pods > 1
        ? problem.message.replace(`pod ${problem.pod}`, `pod ${problem.pod} (and ${pods - 1} more)`)
        : problem.message);
    const namespace = encodeURIComponent(result.ref.namespace);
    const wanted = groups.filter((group) => group.problem.log).slice(0, options.maxLogs ?? 2);
    const [logs, events] = await Promise.all([
        Promise.all(wanted.map(async ({ problem }) => {
            const log = problem.log;
            const tail = await client
                .requestText({
                path: `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(problem.pod)}/log`,
                query: { container: log.container, previous: log.previous, tailLines: options.tailLines ?? 20 },
                what: `read the log of ${problem.pod}`,
                signal: options.signal,
                deadline: options.deadline,
            })
                .catch((error) => `(the log could not be read: ${(0,errors/* errorMessage */.gJ)(error)})`);
            return { pod: problem.pod, container: log.container, previous: log.previous, tail: tail.trimEnd() };
        })),
        warningEvents(client, result, options).catch((error) => [
            `(events could not be read: ${(0,errors/* errorMessage */.gJ)(error)})`,
        ]),
    ]);
    return { problems, logs, events };
}
async function warningEvents(client, result, options) {
    const list = await client.requestJson({
        path: `/api/v1/namespaces/${encodeURIComponent(result.ref.namespace)}/events`,
        query: { fieldSelector: 'type=Warning' },
        what: `list Warning events in ${result.ref.namespace}`,
        signal: options.signal,
        deadline: options.deadline,
    });
    const related = new Set(result.relatedUids);
    const mine = (list.items ?? []).filter((event) => {
        const involved = (0,kubernetes_object/* isRecord */.u4)(event.involvedObject) ? event.involvedObject : {};
        if (event.type !== undefined && event.type !== 'Warning')
            return false;
        return ((typeof involved.uid === 'string' && related.has(involved.uid)) ||
            (involved.kind === result.ref.kind && involved.name === result.ref.name));
    });
    mine.sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
    return mine.slice(0, options.maxEvents ?? 5).map((event) => {
        const involved = (0,kubernetes_object/* isRecord */.u4)(event.involvedObject) ? event.involvedObject : {};
        const count = typeof event.count === 'number' && event.count > 1 ? ` (x${event.count})` : '';
        return `Warning ${String(event.reason ?? '')}${count} on ${String(involved.kind ?? '')}/${String(involved.name ?? '')}: ${String(event.message ?? '').trim()}`;
    });
}
function eventTime(event) {
    for (const key of ['lastTimestamp', 'eventTime', 'firstTimestamp']) {
        const value = event[key];
        if (typeof value === 'string' && value)
            return value;
    }
    return event.metadata?.creationTimestamp ?? '';
}

// EXTERNAL MODULE: ./shared/src/kubernetes/label-selector.ts + 1 modules
var label_selector = __webpack_require__(3608);
// EXTERNAL MODULE: ./shared/src/kubernetes/rollback/rollback-plan.ts
var rollback_plan = __webpack_require__(9605);
;// CONCATENATED MODULE: ./shared/src/kubernetes/rollback/history.ts



function isHistoryKind(kind) {
    return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
}
async function listHistory(client, kind, workload, signal) {
    const namespace = encodeURIComponent(workload.metadata?.namespace ?? '');
    const plural = kind === 'Deployment' ? 'replicasets' : 'controllerrevisions';
    const list = await client.requestJson({
        path: `/apis/apps/v1/namespaces/${namespace}/${plural}`,
        query: { labelSelector: (0,label_selector/* selectorQuery */.S)(workload.spec?.selector) },
        what: `list the ${plural} of ${kind} ${workload.metadata?.name ?? ''}`,
        signal,
    });
    const uid = workload.metadata?.uid;
    return (list.items ?? []).filter((item) => (item.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === uid));
}
/**
 * The revision number a workload is at: a Deployment's revision annotation; for a StatefulSet the
 * number of its update revision; for a DaemonSet its newest ControllerRevision (DaemonSets report
 * no revision in their status). Undefined while the controller has not recorded one yet.
 */
async function workloadRevision(client, kind, workload, signal) {
    const history = kind === 'Deployment' ? [] : await listHistory(client, kind, workload, signal);
    return currentRevisionOf(kind, workload, history);
}
/** `workloadRevision` from a history already read (unused for a Deployment). */
function currentRevisionOf(kind, workload, history) {
    if (kind === 'Deployment') {
        return (0,rollback_plan/* replicaSetRevision */.Ou)({ metadata: { annotations: workload.metadata?.annotations ?? {} } });
    }
    if (kind === 'StatefulSet') {
        const updateRevision = (0,kubernetes_object/* stringField */.OM)(workload, 'status', 'updateRevision');
        const current = history.find((revision) => revision.metadata?.name === updateRevision);
        if (current)
            return (0,rollback_plan/* controllerRevisionNumber */.BU)(current);
    }
    const numbers = history.map(rollback_plan/* controllerRevisionNumber */.BU);
    return numbers.length > 0 ? Math.max(...numbers) : undefined;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollback/rollback.ts






class RollbackError extends errors/* ActionError */.lZ {
    constructor(ref, reason) {
        super(`Cannot roll back ${(0,kubernetes_object/* describeRef */.Ro)(ref)}: ${reason}`);
        this.name = 'RollbackError';
    }
}
function workloadPath(target) {
    const plural = target.kind.toLowerCase() + 's';
    return `/apis/apps/v1/namespaces/${encodeURIComponent(target.namespace)}/${plural}/${encodeURIComponent(target.name)}`;
}
/** Reads the workload and its history and decides; changes nothing. Throws a RollbackError when it cannot. */
async function planRollback(client, target, wanted, signal) {
    const workload = await client.getObject(workloadPath(target), {
        signal,
        what: `read ${(0,kubernetes_object/* describeRef */.Ro)(target)}`,
    });
    if (!workload)
        throw new RollbackError(target, 'it does not exist');
    if (target.kind === 'Deployment' && workload.spec?.paused === true) {
        throw new RollbackError(target, `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${target.name}' and try again`);
    }
    const history = await listHistory(client, target.kind, workload, signal);
    const choice = choose(target.kind, history, wanted);
    if (!choice.ok)
        throw new RollbackError(target, choice.reason);
    const source = choice.value;
    const changed = target.kind === 'Deployment'
        ? !(0,rollback_plan/* templatesEqualIgnoringHash */.bt)((0,rollback_plan/* historyTemplate */.$d)(source), workload.spec?.template)
        : !(0,rollback_plan/* controllerRevisionMatches */.lm)(workload, source);
    return {
        ref: target,
        workload,
        currentRevision: currentRevisionOf(target.kind, workload, history),
        revision: (0,rollback_plan/* historyRevision */.ax)(source),
        source,
        changed,
        imagesBefore: (0,rollback_plan/* templateImages */.TD)(workload.spec?.template),
        imagesAfter: (0,rollback_plan/* templateImages */.TD)((0,rollback_plan/* historyTemplate */.$d)(source)),
        available: [...new Set(history.map(rollback_plan/* historyRevision */.ax))].sort((a, b) => a - b),
    };
}
function choose(kind, history, wanted) {
    if ('images' in wanted)
        return (0,rollback_plan/* chooseByImages */.DA)(history, wanted.images);
    return kind === 'Deployment'
        ? (0,rollback_plan/* chooseReplicaSet */.GY)(history, wanted.toRevision)
        : (0,rollback_plan/* chooseControllerRevision */.Jo)(history, wanted.toRevision);
}
/** Restores the plan's template (nothing when the plan says it already runs). */
async function applyRollback(client, plan, options) {
    const { ref: target, revision } = plan;
    if (!plan.changed) {
        return {
            ref: target,
            changed: false,
            revision,
            message: `skipped rollback (current template already matches revision ${revision})`,
            deletedPods: [],
            object: plan.workload,
        };
    }
    const query = { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
    const what = `roll back ${(0,kubernetes_object/* describeRef */.Ro)(target)} to revision ${revision}`;
    const object = target.kind === 'Deployment'
        ? await client.requestJson({
            method: 'PATCH',
            path: workloadPath(target),
            query,
            contentType: 'application/json-patch+json',
            body: JSON.stringify((0,rollback_plan/* deploymentRollbackPatch */.Yh)(plan.workload, plan.source)),
            what,
            signal: options.signal,
        })
        : await client.requestJson({
            method: 'PATCH',
            path: workloadPath(target),
            query,
            contentType: 'application/strategic-merge-patch+json',
            body: JSON.stringify(plan.source.data),
            what,
            signal: options.signal,
        });
    const deletedPods = target.kind === 'StatefulSet' && !options.dryRun
        ? await deleteStuckPods(client, plan.workload, plan.source.metadata?.name ?? '', options.signal)
        : [];
    const deleted = deletedPods.length > 0 ? `; deleted pod(s) stuck on the failed revision: ${deletedPods.join(', ')}` : '';
    return {
        ref: target,
        changed: true,
        revision,
        message: `rolled back to revision ${revision}${deleted}`,
        deletedPods,
        object,
    };
}
/** Plan and apply in one go, for a caller with a single workload to restore. */
async function rollbackWorkload(client, target, options) {
    const plan = await planRollback(client, target, { toRevision: options.toRevision ?? 0 }, options.signal);
    return applyRollback(client, plan, options);
}
async function deleteStuckPods(client, set, revisionName, signal) {
    const namespace = encodeURIComponent(set.metadata?.namespace ?? '');
    const pods = await client.requestJson({
        path: `/api/v1/namespaces/${namespace}/pods`,
        query: { labelSelector: (0,label_selector/* selectorQuery */.S)(set.spec?.selector) },
        what: `list the pods of StatefulSet ${set.metadata?.name ?? ''}`,
        signal,
    });
    const stuck = (pods.items ?? []).filter((pod) => (pod.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === set.metadata?.uid) &&
        pod.metadata?.labels?.['controller-revision-hash'] !== revisionName &&
        !isReady(pod));
    for (const pod of stuck) {
        const name = pod.metadata?.name ?? '';
        await client
            .requestJson({
            method: 'DELETE',
            path: `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(name)}`,
            what: `delete pod ${name}`,
            signal,
        })
            .catch((error) => {
            // Already gone is what was wanted.
            if (!(error instanceof KubernetesApiError && error.status === 404))
                throw error;
        });
    }
    return stuck.map((pod) => pod.metadata?.name ?? '');
}
function isReady(pod) {
    const conditions = (0,kubernetes_object/* field */.ZZ)(pod, 'status', 'conditions');
    return (Array.isArray(conditions) &&
        conditions.some((condition) => (0,kubernetes_object/* isRecord */.u4)(condition) && condition.type === 'Ready' && condition.status === 'True'));
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollout/informer.ts


const MAX_BACKOFF_MS = 5000;
class Informer {
    objects = new Map();
    stats = { lists: 0, watches: 0, relists: 0, reconnects: 0 };
    /** True once the first list has arrived. */
    synced = false;
    client;
    options;
    constructor(client, options) {
        this.client = client;
        this.options = options;
    }
    /** Runs until the signal aborts (then resolves) or the API refuses for good (then rejects). */
    async run() {
        const { signal } = this.options;
        const pause = this.options.sleep ?? sleep/* sleep */.yy;
        let resourceVersion;
        let failures = 0;
        while (!signal.aborted) {
            try {
                resourceVersion ??= await this.list();
                // The server ended the watch (its timeoutSeconds): resume from the last version seen.
                await this.watch(resourceVersion, (version) => {
                    resourceVersion = version;
                    failures = 0;
                });
            }
            catch (error) {
                if (signal.aborted)
                    return;
                if (error instanceof KubernetesApiError && error.status === 410) {
                    this.stats.relists++;
                    resourceVersion = undefined;
                    continue;
                }
                if (!classifyKubernetesFailure(error).transient)
                    throw error;
                this.stats.reconnects++;
                failures++;
                await pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6)), signal).catch(() => undefined);
            }
        }
    }
    async list() {
        this.stats.lists++;
        // A failed list goes back to run(), whose backoff lasts as long as the caller's signal: the
        // client's own few attempts would give up within seconds of a control-plane restart.
        const list = await this.client.requestJson({ path: this.options.path, query: this.selectors(), signal: this.options.signal, retry: false });
        this.objects.clear();
        for (const item of list.items ?? [])
            this.objects.set(keyOf(item), item);
        this.synced = true;
        this.options.onChange();
        return list.metadata?.resourceVersion ?? '';
    }
    async watch(from, onVersion) {
        this.stats.watches++;
        await this.client.watch(this.options.path, {
            signal: this.options.signal,
            query: {
                ...this.selectors(),
                resourceVersion: from,
                allowWatchBookmarks: true,
                timeoutSeconds: this.options.watchTimeoutSeconds ?? 60,
            },
            onEvent: (event) => {
                const version = this.apply(event);
                if (version)
                    onVersion(version);
            },
        });
    }
    apply(event) {
        if (event.type === 'ERROR') {
            const status = event.object;
            throw new KubernetesApiError(`watch ${this.options.path}`, {
                status: status.code ?? 500,
                body: JSON.stringify(event.object),
            });
        }
        const version = event.object.metadata?.resourceVersion;
        if (event.type === 'BOOKMARK')
            return version;
        if (event.type === 'DELETED')
            this.objects.delete(keyOf(event.object));
        else
            this.objects.set(keyOf(event.object), event.object);
        this.options.onChange();
        return version;
    }
    selectors() {
        return { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector };
    }
}
function keyOf(object) {
    return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/resource-types.ts

/** Kubernetes 1.30+ built-in kinds a deployment manifest may hold (status-only and review kinds left out). */
const BUILT_IN = [
    ['v1', 'Namespace', 'namespaces', false],
    ['v1', 'ConfigMap', 'configmaps', true],
    ['v1', 'Secret', 'secrets', true],
    ['v1', 'Service', 'services', true],
    ['v1', 'ServiceAccount', 'serviceaccounts', true],
    ['v1', 'Pod', 'pods', true],
    ['v1', 'PodTemplate', 'podtemplates', true],
    ['v1', 'ReplicationController', 'replicationcontrollers', true],
    ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
    ['v1', 'PersistentVolume', 'persistentvolumes', false],
    ['v1', 'Endpoints', 'endpoints', true],
    ['v1', 'LimitRange', 'limitranges', true],
    ['v1', 'ResourceQuota', 'resourcequotas', true],
    ['v1', 'Event', 'events', true],
    ['apps/v1', 'Deployment', 'deployments', true],
    ['apps/v1', 'StatefulSet', 'statefulsets', true],
    ['apps/v1', 'DaemonSet', 'daemonsets', true],
    ['apps/v1', 'ReplicaSet', 'replicasets', true],
    ['apps/v1', 'ControllerRevision', 'controllerrevisions', true],
    ['batch/v1', 'Job', 'jobs', true],
    ['batch/v1', 'CronJob', 'cronjobs', true],
    ['autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
    ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
    ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
    ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true],
    ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true],
    ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
    ['storage.k8s.io/v1', 'StorageClass', 'storageclasses', false],
    ['storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false],
    ['storage.k8s.io/v1', 'VolumeAttachment', 'volumeattachments', false],
    ['scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false],
    ['node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', false],
    ['coordination.k8s.io/v1', 'Lease', 'leases', true],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
    ['apiregistration.k8s.io/v1', 'APIService', 'apiservices', false],
    ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
    [
        'admissionregistration.k8s.io/v1',
        'ValidatingWebhookConfiguration',
        'validatingwebhookconfigurations',
        false,
    ],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
    [
        'admissionregistration.k8s.io/v1',
        'ValidatingAdmissionPolicyBinding',
        'validatingadmissionpolicybindings',
        false,
    ],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificatesigningrequests', false],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'flowschemas', false],
    ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
];
const TYPES = BUILT_IN.map(([apiVersion, kind, plural, namespaced]) => ({
    group: (0,kubernetes_object/* groupOf */.F8)(apiVersion),
    version: (0,kubernetes_object/* versionOf */.E4)(apiVersion),
    kind,
    plural,
    namespaced,
}));
/** Groups whose every kind is in the table: a kind of these groups that is not there does not exist. */
const BUILT_IN_GROUPS = new Set([
    ...TYPES.map((type) => type.group),
    // Removed from Kubernetes (1.16-1.22): manifests still carry it, the API no longer serves it.
    'extensions',
    'authentication.k8s.io',
    'authorization.k8s.io',
    'events.k8s.io',
    'resource.k8s.io',
    'storagemigration.k8s.io',
    'internal.apiserver.k8s.io',
]);
function builtInResourceType(apiVersion, kind) {
    const group = (0,kubernetes_object/* groupOf */.F8)(apiVersion);
    const version = (0,kubernetes_object/* versionOf */.E4)(apiVersion);
    return TYPES.find((type) => type.group === group && type.version === version && type.kind === kind);
}
function isBuiltInGroup(apiVersion) {
    return BUILT_IN_GROUPS.has(groupOf(apiVersion));
}
/**
 * Why a kind of a built-in group cannot be right: a wrong apiVersion for a known kind
 * (`extensions/v1beta1` Deployment), or a kind that does not exist (`Deploymnet`), with a suggestion.
 */
function explainUnknownBuiltIn(apiVersion, kind) {
    const sameKind = TYPES.filter((type) => type.kind === kind);
    if (sameKind.length > 0) {
        const served = [...new Set(sameKind.map(apiVersionOf))].join(' or ');
        return `${kind} is served as ${served}, not ${apiVersion}`;
    }
    const suggestion = closestKind(kind);
    const hint = suggestion ? ` (did you mean ${suggestion.kind} of ${apiVersionOf(suggestion)}?)` : '';
    return `${apiVersion} has no kind "${kind}"${hint}`;
}
function apiVersionOf(type) {
    return type.group ? `${type.group}/${type.version}` : type.version;
}
/** `/api/v1/namespaces/shop/services/web`, `/apis/apps/v1/namespaces/shop/deployments`. */
function resourcePath(type, namespace, name) {
    const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${root}${scope}/${type.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
function closestKind(kind) {
    let best;
    for (const type of TYPES) {
        const distance = type.kind.toLowerCase() === kind.toLowerCase()
            ? 0
            : editDistance(type.kind.toLowerCase(), kind.toLowerCase());
        if (distance <= 2 && (!best || distance < best.distance))
            best = { type, distance };
    }
    return best?.type;
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length];
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollout/rollout-status.ts

const WAITED_KINDS = (/* unused pure expression or super */ null && (['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod', 'CronJob']));
function isWaitedKind(kind) {
    return WAITED_KINDS.includes(kind ?? '');
}
function rolloutStatus(kind, object, expectations = {}) {
    switch (kind) {
        case 'Deployment':
            return deploymentStatus(object);
        case 'StatefulSet':
            return statefulSetStatus(object);
        case 'DaemonSet':
            return daemonSetStatus(object);
        case 'Job':
            return jobStatus(object);
        case 'Pod':
            return podStatus(object);
        case 'CronJob':
            return cronJobStatus(object, expectations.suspend === true);
    }
}
function podStatus(pod) {
    const name = pod.metadata?.name ?? '';
    const phase = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'phase') ?? 'Pending';
    if (phase === 'Succeeded')
        return { state: 'complete', message: `pod "${name}" succeeded` };
    if (phase === 'Failed') {
        const reason = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'reason') ?? 'Failed';
        const detail = (0,kubernetes_object/* stringField */.OM)(pod, 'status', 'message');
        return {
            state: 'failed',
            reason,
            message: `pod "${name}" failed: ${reason}${detail ? ` (${detail})` : ''}`,
        };
    }
    if (condition(pod, 'Ready')?.status === 'True')
        return { state: 'complete', message: `pod "${name}" is ready` };
    return progressing(`Waiting for pod "${name}" to be ready (phase ${phase})...`);
}
/** A CronJob has nothing to roll out: accepted (it exists) is done, unless it can never run. */
function cronJobStatus(cronJob, suspendExpected) {
    const name = cronJob.metadata?.name ?? '';
    const schedule = (0,kubernetes_object/* stringField */.OM)(cronJob, 'spec', 'schedule') ?? '';
    if ((0,kubernetes_object/* field */.ZZ)(cronJob, 'spec', 'suspend') === true && !suspendExpected) {
        return {
            state: 'failed',
            reason: 'Suspended',
            message: `cronjob "${name}" is suspended, so it will never run: spec.suspend is true on the cluster (set by another field manager?) though the manifest does not ask for it`,
        };
    }
    const state = suspendExpected ? 'suspended, as the manifest asks' : `scheduled "${schedule}"`;
    return { state: 'complete', message: `cronjob "${name}" accepted: ${state}` };
}
function deploymentStatus(deployment) {
    const name = deployment.metadata?.name ?? '';
    const generation = deployment.metadata?.generation ?? 0;
    const status = deployment.status ?? {};
    const observed = (0,kubernetes_object/* numberField */.sJ)(status, 'observedGeneration') ?? 0;
    if (generation > observed)
        return progressing('Waiting for deployment spec update to be observed...');
    const progressingCondition = condition(deployment, 'Progressing');
    if (progressingCondition?.reason === 'ProgressDeadlineExceeded') {
        return {
            state: 'failed',
            reason: 'ProgressDeadlineExceeded',
            message: `deployment "${name}" exceeded its progress deadline${progressingCondition.message ? ` (${progressingCondition.message})` : ''}`,
        };
    }
    const replicas = (0,kubernetes_object/* numberField */.sJ)(deployment, 'spec', 'replicas');
    const updated = (0,kubernetes_object/* numberField */.sJ)(status, 'updatedReplicas') ?? 0;
    const current = (0,kubernetes_object/* numberField */.sJ)(status, 'replicas') ?? 0;
    const available = (0,kubernetes_object/* numberField */.sJ)(status, 'availableReplicas') ?? 0;
    if (replicas !== undefined && updated < replicas) {
        return progressing(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
    }
    if (current > updated) {
        return progressing(`Waiting for deployment "${name}" rollout to finish: ${current - updated} old replicas are pending termination...`);
    }
    if (available < updated) {
        return progressing(`Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
    }
    return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}
function statefulSetStatus(set) {
    const strategy = (0,kubernetes_object/* stringField */.OM)(set, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
    if (strategy !== 'RollingUpdate') {
        return {
            state: 'not-tracked',
            message: `rollout status is only available for RollingUpdate strategy type, not ${strategy}`,
        };
    }
    const status = set.status ?? {};
    const observed = (0,kubernetes_object/* numberField */.sJ)(status, 'observedGeneration') ?? 0;
    if (observed === 0 || (set.metadata?.generation ?? 0) > observed) {
        return progressing('Waiting for statefulset spec update to be observed...');
    }
    const replicas = (0,kubernetes_object/* numberField */.sJ)(set, 'spec', 'replicas');
    const ready = (0,kubernetes_object/* numberField */.sJ)(status, 'readyReplicas') ?? 0;
    const updated = (0,kubernetes_object/* numberField */.sJ)(status, 'updatedReplicas') ?? 0;
    if (replicas !== undefined && ready < replicas) {
        return progressing(`Waiting for ${replicas - ready} pods to be ready...`);
    }
    const rollingUpdate = (0,kubernetes_object/* field */.ZZ)(set, 'spec', 'updateStrategy', 'rollingUpdate');
    if ((0,kubernetes_object/* isRecord */.u4)(rollingUpdate)) {
        const partition = (0,kubernetes_object/* numberField */.sJ)(rollingUpdate, 'partition');
        if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
            return progressing(`Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`);
        }
        return {
            state: 'complete',
            message: `partitioned roll out complete: ${updated} new pods have been updated...`,
        };
    }
    const updateRevision = (0,kubernetes_object/* stringField */.OM)(status, 'updateRevision');
    const currentRevision = (0,kubernetes_object/* stringField */.OM)(status, 'currentRevision');
    if (updateRevision !== currentRevision) {
        return progressing(`waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision ?? ''}...`);
    }
    const currentReplicas = (0,kubernetes_object/* numberField */.sJ)(status, 'currentReplicas') ?? 0;
    return {
        state: 'complete',
        message: `statefulset rolling update complete ${currentReplicas} pods at revision ${currentRevision ?? ''}...`,
    };
}
function daemonSetStatus(daemon) {
    const name = daemon.metadata?.name ?? '';
    const strategy = (0,kubernetes_object/* stringField */.OM)(daemon, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
    if (strategy !== 'RollingUpdate') {
        return {
            state: 'not-tracked',
            message: `rollout status is only available for RollingUpdate strategy type, not ${strategy}`,
        };
    }
    const status = daemon.status ?? {};
    if ((daemon.metadata?.generation ?? 0) > ((0,kubernetes_object/* numberField */.sJ)(status, 'observedGeneration') ?? 0)) {
        return progressing('Waiting for daemon set spec update to be observed...');
    }
    const desired = (0,kubernetes_object/* numberField */.sJ)(status, 'desiredNumberScheduled') ?? 0;
    const updated = (0,kubernetes_object/* numberField */.sJ)(status, 'updatedNumberScheduled') ?? 0;
    const available = (0,kubernetes_object/* numberField */.sJ)(status, 'numberAvailable') ?? 0;
    if (updated < desired) {
        return progressing(`Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
    }
    if (available < desired) {
        return progressing(`Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
    }
    return { state: 'complete', message: `daemon set "${name}" successfully rolled out` };
}
function jobStatus(job) {
    const name = job.metadata?.name ?? '';
    const failed = condition(job, 'Failed');
    if (failed?.status === 'True') {
        const reason = failed.reason ?? 'Failed';
        return {
            state: 'failed',
            reason,
            message: `job "${name}" failed: ${reason}${failed.message ? ` (${failed.message})` : ''}`,
        };
    }
    if (condition(job, 'Complete')?.status === 'True') {
        return { state: 'complete', message: `job "${name}" completed` };
    }
    if ((0,kubernetes_object/* field */.ZZ)(job, 'spec', 'suspend') === true) {
        return progressing(`Waiting for job "${name}": it is suspended`);
    }
    const status = job.status ?? {};
    const completions = (0,kubernetes_object/* numberField */.sJ)(job, 'spec', 'completions') ?? 1;
    const succeeded = (0,kubernetes_object/* numberField */.sJ)(status, 'succeeded') ?? 0;
    const active = (0,kubernetes_object/* numberField */.sJ)(status, 'active') ?? 0;
    const podFailures = (0,kubernetes_object/* numberField */.sJ)(status, 'failed') ?? 0;
    return progressing(`Waiting for job "${name}" to complete: ${succeeded} of ${completions} succeeded, ${active} active, ${podFailures} failed...`);
}
function condition(object, type) {
    const conditions = (0,kubernetes_object/* field */.ZZ)(object, 'status', 'conditions');
    if (!Array.isArray(conditions))
        return undefined;
    return conditions.find((entry) => (0,kubernetes_object/* isRecord */.u4)(entry) && entry.type === type);
}
function progressing(message) {
    return { state: 'progressing', message };
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollout/rollout-wait.ts









async function waitForRollouts(client, workloads, options) {
    const now = options.now ?? Date.now;
    const started = now();
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal.addEventListener('abort', stop, { once: true });
    const failFast = options.failFast ?? true;
    let settle = () => undefined;
    const settled = new Promise((resolve) => {
        settle = resolve;
    });
    const namespaces = groupBy(workloads, (workload) => workload.ref.namespace);
    const tracked = [];
    const runs = [];
    const fatal = [];
    const evaluateAll = () => {
        for (const entry of tracked)
            if (!entry.result)
                evaluate(entry);
        const failed = tracked.some((entry) => entry.result?.state === 'failed');
        if (tracked.every((entry) => entry.result) || (failFast && failed))
            settle();
    };
    const evaluate = (entry) => {
        const { workload } = entry;
        const object = entry.informer.objects.get(`${workload.ref.namespace}/${workload.ref.name}`);
        if (!object) {
            report(entry, entry.informer.synced
                ? `${(0,kubernetes_object/* describeRef */.Ro)(workload.ref)} does not exist (deleted?)`
                : 'Waiting for the first status...');
            return;
        }
        entry.object = object;
        const status = rolloutStatus(workload.ref.kind, object, workload.expectations);
        const scope = podsOf(workload.ref.kind, object, namespaceInformers.get(workload.ref.namespace));
        entry.relatedUids = [object.metadata?.uid ?? '', ...scope.uids].filter(Boolean);
        entry.problems = podProblems(scope.pods, { maxRestarts: options.maxRestarts });
        if (status.state === 'failed')
            return finish(entry, 'failed', status.message, status.reason);
        if (status.state === 'complete' || status.state === 'not-tracked')
            return finish(entry, status.state, status.message);
        const deadly = entry.problems.find((problem) => problem.fatal);
        if (failFast && deadly)
            return finish(entry, 'failed', deadly.message, deadly.reason);
        const worst = entry.problems[0];
        report(entry, worst ? `${status.message} (${worst.message})` : status.message);
    };
    const report = (entry, message) => {
        if (message === entry.lastMessage)
            return;
        entry.lastMessage = message;
        options.onProgress?.(entry.workload.ref, message);
    };
    const finish = (entry, state, message, reason) => {
        entry.result = {
            ref: entry.workload.ref,
            state,
            message,
            reason,
            problems: entry.problems,
            durationMs: now() - started,
            relatedUids: entry.relatedUids,
            object: entry.object,
        };
        options.onProgress?.(entry.workload.ref, message);
    };
    const namespaceInformers = new Map();
    for (const [namespace, members] of namespaces) {
        // With one workload in a namespace the server filters by its selector; with more, one watch
        // of the whole namespace serves them all.
        const selector = members.length === 1 ? (0,label_selector/* selectorQuery */.S)(members[0]?.object.spec?.selector) : undefined;
        const side = (path) => new Informer(client, {
            path,
            labelSelector: selector,
            signal: controller.signal,
            onChange: evaluateAll,
        });
        const pods = side(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`);
        const replicaSets = members.some((member) => member.ref.kind === 'Deployment')
            ? side(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`)
            : undefined;
        // A DaemonSet's pods name their revision by hash; the newest ControllerRevision is the new one.
        const revisions = members.some((member) => member.ref.kind === 'DaemonSet')
            ? side(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`)
            : undefined;
        namespaceInformers.set(namespace, { pods, replicaSets, revisions });
        const names = new Map([
            [pods, 'pods'],
            [replicaSets, 'ReplicaSets'],
            [revisions, 'ControllerRevisions'],
        ]);
        for (const informer of [pods, replicaSets, revisions]) {
            if (!informer)
                continue;
            runs.push(informer.run().catch((error) => {
                if (!controller.signal.aborted) {
                    options.onWarning?.(`Cannot watch ${names.get(informer) ?? 'pods'} in ${namespace} (${(0,errors/* errorMessage */.gJ)(error)}): waiting without diagnosis.`);
                }
            }));
        }
        for (const [kind, ofKind] of groupBy(members, (member) => member.ref.kind)) {
            const type = builtInResourceType(ofKind[0]?.ref.apiVersion ?? '', kind);
            if (!type)
                throw new Error(`no resource type for ${kind}`);
            const informer = new Informer(client, {
                path: resourcePath(type, namespace),
                fieldSelector: ofKind.length === 1 ? `metadata.name=${ofKind[0]?.ref.name}` : undefined,
                signal: controller.signal,
                onChange: evaluateAll,
            });
            for (const workload of ofKind)
                tracked.push({ workload, informer, lastMessage: '', problems: [], relatedUids: [] });
            runs.push(informer.run().catch((error) => {
                if (controller.signal.aborted)
                    return;
                fatal.push(error);
                settle();
            }));
        }
    }
    const timer = setTimeout(settle, options.deadline.remaining());
    const onAbort = () => settle();
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (tracked.length === 0)
        settle();
    try {
        await settled;
    }
    finally {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        options.signal.removeEventListener('abort', stop);
        controller.abort();
        await Promise.all(runs);
    }
    if (options.signal.aborted)
        throw (0,sleep/* abortReason */.Js)(options.signal);
    if (fatal.length > 0)
        throw fatal[0];
    const anyFailed = tracked.some((entry) => entry.result?.state === 'failed');
    return tracked.map((entry) => entry.result ?? {
        ref: entry.workload.ref,
        state: anyFailed ? 'aborted' : 'timed-out',
        message: entry.lastMessage || 'no status was seen',
        problems: entry.problems,
        durationMs: now() - started,
        relatedUids: entry.relatedUids,
        object: entry.object,
    });
}
/** The pods of the revision being rolled out, and the uids of what owns them. */
function podsOf(kind, workload, informers) {
    if (kind === 'Pod')
        return { pods: [workload], uids: [] };
    if (!informers || kind === 'CronJob')
        return { pods: [], uids: [] };
    // Until the controller has seen the spec, its status (and revision) describe the old one.
    const observed = workload.status?.observedGeneration ?? 0;
    if (kind !== 'Job' && observed < (workload.metadata?.generation ?? 0))
        return { pods: [], uids: [] };
    const uid = workload.metadata?.uid;
    const all = [...informers.pods.objects.values()];
    if (kind === 'Deployment') {
        // The new ReplicaSet is the one with the Deployment's revision.
        const revision = workload.metadata?.annotations?.[rollback_plan/* REVISION_ANNOTATION */.wB];
        const newSet = [...(informers.replicaSets?.objects.values() ?? [])].find((set) => (0,kubernetes_object/* isOwnedBy */.D0)(set, uid) && set.metadata?.annotations?.[rollback_plan/* REVISION_ANNOTATION */.wB] === revision);
        const setUid = newSet?.metadata?.uid;
        const pods = all.filter((pod) => (0,kubernetes_object/* isOwnedBy */.D0)(pod, setUid));
        return { pods, uids: [setUid ?? '', ...pods.map(uidOf)] };
    }
    let pods = all.filter((pod) => (0,kubernetes_object/* isOwnedBy */.D0)(pod, uid));
    const updateRevision = kind === 'DaemonSet'
        ? newestRevisionHash(workload, informers.revisions)
        : (0,kubernetes_object/* stringField */.OM)(workload, 'status', 'updateRevision');
    if ((kind === 'StatefulSet' || kind === 'DaemonSet') && updateRevision) {
        pods = pods.filter((pod) => pod.metadata?.labels?.[REVISION_HASH_LABEL] === updateRevision);
    }
    else if (kind === 'DaemonSet') {
        // Until the new revision is seen, no pod is known to be of it.
        pods = [];
    }
    return { pods, uids: pods.map(uidOf) };
}
const REVISION_HASH_LABEL = 'controller-revision-hash';
/**
 * A DaemonSet's update revision (its status does not name it): the newest of its ControllerRevisions
 * that holds its current template. Until the watch has seen that revision, none: the pods then
 * running are the old revision's, whose problems are not this rollout's.
 */
function newestRevisionHash(daemonSet, revisions) {
    const current = [...(revisions?.objects.values() ?? [])].filter((revision) => (0,kubernetes_object/* isOwnedBy */.D0)(revision, daemonSet.metadata?.uid) && (0,rollback_plan/* controllerRevisionMatches */.lm)(daemonSet, revision));
    const newest = current.reduce((best, revision) => !best || (0,rollback_plan/* controllerRevisionNumber */.BU)(revision) > (0,rollback_plan/* controllerRevisionNumber */.BU)(best) ? revision : best, undefined);
    // The DaemonSet controller labels its revisions with the pods' label; history's own label
    // (controller.kubernetes.io/hash) holds the same hash.
    const labels = newest?.metadata?.labels;
    return labels?.[REVISION_HASH_LABEL] ?? labels?.['controller.kubernetes.io/hash'];
}
function uidOf(object) {
    return object.metadata?.uid ?? '';
}
function groupBy(items, key) {
    const groups = new Map();
    for (const item of items) {
        const group = groups.get(key(item));
        if (group)
            group.push(item);
        else
            groups.set(key(item), [item]);
    }
    return groups;
}

;// CONCATENATED MODULE: ./actions/rollback/src/kubernetes/restore.ts







/** The field manager of Gantry's rollbacks, the same as deploy-k8s's automatic ones. */
const FIELD_MANAGER = 'gantry-rollback';
const DIAGNOSIS_TIMEOUT_MS = 20_000;
const CONCURRENCY = 8;
async function planAll(client, targets, signal) {
    const problems = [];
    const plans = await mapConcurrent(targets, CONCURRENCY, async ({ target, wanted }) => {
        try {
            return await planRollback(client, target, wanted, signal);
        }
        catch (error) {
            if (signal.aborted)
                throw error;
            problems.push((0,errors/* errorMessage */.gJ)(error));
            return undefined;
        }
    });
    if (problems.length > 0) {
        throw new errors/* ActionError */.lZ(problems.length === 1
            ? `${problems[0]}. Nothing was changed.`
            : `${problems.length} workloads cannot be rolled back; nothing was changed:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    }
    return plans.map((plan) => ({ plan: plan }));
}
async function restoreAll(client, rollbacks, options) {
    const signal = options.deadline.signal(options.signal);
    await mapConcurrent(rollbacks, CONCURRENCY, async (rollback) => {
        try {
            rollback.outcome = await applyRollback(client, rollback.plan, { fieldManager: FIELD_MANAGER, signal });
            options.onProgress(`${(0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)}: ${rollback.outcome.message}`);
        }
        catch (error) {
            if (options.signal.aborted)
                throw error;
            rollback.error = (0,errors/* errorMessage */.gJ)(signal.aborted ? signal.reason : error);
        }
    });
    const changed = rollbacks.filter((rollback) => rollback.outcome?.changed);
    if (!options.wait || changed.length === 0)
        return;
    const results = await waitForRollouts(client, changed.map((rollback) => ({
        ref: rollback.plan.ref,
        object: rollback.outcome?.object ?? rollback.plan.workload,
    })), {
        deadline: options.deadline,
        signal: options.signal,
        maxRestarts: options.maxRestarts,
        onProgress: (ref, message) => options.onProgress(`${(0,kubernetes_object/* describeRef */.Ro)(ref)}: ${message}`),
        onWarning: options.onWarning,
    });
    changed.forEach((rollback, index) => {
        rollback.result = results[index];
    });
    await Promise.all(changed
        .filter((rollback) => rollback.result && isFailure(rollback.result))
        .map(async (rollback) => {
        rollback.diagnosis = await diagnose(client, rollback.result, {
            signal: options.signal,
            deadline: new deadline/* Deadline */.B(DIAGNOSIS_TIMEOUT_MS, 'the diagnosis'),
        });
    }));
}
function isFailure(result) {
    return result.state === 'failed' || result.state === 'timed-out';
}
/** Why a workload's rollback failed, or undefined when it did not. */
function failureOf(rollback) {
    if (rollback.error)
        return rollback.error;
    if (rollback.result && isFailure(rollback.result)) {
        const problems = rollback.diagnosis?.problems.filter((problem) => !rollback.result?.message.includes(problem)) ?? [];
        return [`the restored revision did not roll out: ${rollback.result.message}`, ...problems].join('; ');
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/rollback/src/report.ts






function rollbackOutputs(rollbacks, deploymentId) {
    return {
        'restored-revision': perWorkload(rollbacks, (rollback) => rollback.plan.revision),
        'replaced-revision': perWorkload(rollbacks, (rollback) => rollback.plan.currentRevision ?? null),
        images: imagesOf(rollbacks).join('\n'),
        'deployment-id': deploymentId === undefined ? '' : String(deploymentId),
    };
}
function perWorkload(rollbacks, value) {
    if (rollbacks.length === 1)
        return String(value(rollbacks[0]) ?? '');
    return JSON.stringify(Object.fromEntries(rollbacks.map((rollback) => [(0,workload_refs/* outputKey */.zi)(rollback.plan.ref), value(rollback)])));
}
function imagesOf(rollbacks) {
    return [...new Set(rollbacks.flatMap((rollback) => Object.values(rollback.plan.imagesAfter)))];
}
function recordedWorkloads(rollbacks) {
    return rollbacks.map(({ plan }) => ({
        kind: plan.ref.kind,
        name: plan.ref.name,
        namespace: plan.ref.namespace,
        revision: plan.revision,
        previous_revision: plan.currentRevision ?? null,
        containers: plan.imagesAfter,
    }));
}
function rollbackPayload(rollbacks, context, runUrl, rollbackOf) {
    return (0,deployment_payload/* releasePayload */.Y3)({
        action: 'rollback',
        kubernetes: { context, workloads: recordedWorkloads(rollbacks) },
        runUrl,
        rollbackOf,
    });
}
/** One line for the deployment's description (cut to GitHub's 140 characters by the recorder). */
function describeRollback(rollbacks, rollbackOf) {
    const what = rollbacks
        .map((rollback) => `${(0,workload_refs/* outputKey */.zi)(rollback.plan.ref)} to revision ${rollback.plan.revision}`)
        .join(', ');
    return `Rollback${rollbackOf === undefined ? '' : ` of deployment ${rollbackOf}`}: ${what}`;
}
function rollbackSummary(facts) {
    const summary = new runner_summary/* JobSummary */.c3().heading(`rollback${facts.dryRun ? ' (dry run)' : ''}: ${facts.context}`);
    const lead = facts.dryRun
        ? 'Nothing was changed: this is what a rollback would restore.'
        : facts.failure
            ? `**Failed.** ${(0,runner_summary/* escapeInline */.VV)(facts.failure)}`
            : `Rolled back ${facts.rollbacks.length} workload(s) in ${(0,duration/* formatDuration */.a)(facts.durationMs)}.`;
    const record = facts.deploymentId === undefined
        ? ''
        : ` Recorded as deployment ${facts.deploymentUrl ? (0,runner_summary/* link */.nf)(String(facts.deploymentId), facts.deploymentUrl) : facts.deploymentId}${facts.rollbackOf === undefined ? '' : `, rollback of deployment ${facts.rollbackOf}`}.`;
    summary.paragraph(`${lead} Cluster ${(0,runner_summary/* escapeInline */.VV)(facts.server)}.${record}`);
    summary.table(['Workload', 'Before', 'After', 'Result'], facts.rollbacks.map((rollback) => [
        (0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref),
        state(rollback.plan.currentRevision, rollback.plan.imagesBefore),
        state(rollback.plan.revision, rollback.plan.imagesAfter),
        result(rollback, facts.dryRun),
    ]));
    for (const rollback of facts.rollbacks) {
        if (!rollback.diagnosis)
            continue;
        summary.heading(`Diagnosis: ${(0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)}`, 3);
        summary.list(rollback.diagnosis.problems.map(runner_summary/* escapeInline */.VV));
        for (const log of rollback.diagnosis.logs) {
            summary.paragraph(`Last lines of the log of ${(0,runner_summary/* escapeInline */.VV)(log.pod)}, container ${(0,runner_summary/* escapeInline */.VV)(log.container)}:`);
            summary.code(log.tail || '(empty)');
        }
        if (rollback.diagnosis.events.length > 0) {
            summary.paragraph('Recent Warning events:').list(rollback.diagnosis.events.map(runner_summary/* escapeInline */.VV));
        }
    }
    return summary;
}
function state(revision, images) {
    const lines = Object.entries(images).map(([container, image]) => `${container}: ${image}`);
    return [`revision ${revision ?? 'unknown'}`, ...lines].join('\n');
}
function result(rollback, dryRun) {
    if (dryRun)
        return rollback.plan.changed
            ? `would roll back to revision ${rollback.plan.revision}`
            : 'already there: nothing to do';
    const failure = failureOf(rollback);
    if (failure)
        return `FAILED: ${failure}`;
    const outcome = rollback.outcome?.message ?? '';
    return rollback.result
        ? `${outcome}; rolled out in ${(0,duration/* formatDuration */.a)(rollback.result.durationMs)}`
        : outcome;
}

;// CONCATENATED MODULE: ./actions/rollback/src/kubernetes/targets.ts

const SELECTABLE = [
    { kind: 'Deployment', plural: 'deployments' },
    { kind: 'StatefulSet', plural: 'statefulsets' },
    { kind: 'DaemonSet', plural: 'daemonsets' },
];
async function resolveTargets(client, inputs, record, signal) {
    const namespace = inputs.namespace ?? client.namespace ?? 'default';
    const byRevision = { toRevision: inputs.toRevision ?? 0 };
    const source = inputs.source;
    if (source.kind === 'workloads') {
        return source.workloads.map((ref) => ({
            target: target(ref.kind, ref.name, namespace),
            wanted: byRevision,
        }));
    }
    if (source.kind === 'selector') {
        const found = await Promise.all(SELECTABLE.map(async ({ kind, plural }) => {
            const list = await client.requestJson({
                path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`,
                query: { labelSelector: source.selector },
                what: `list the ${plural} matching ${source.selector}`,
                signal,
            });
            return (list.items ?? []).map((item) => target(kind, item.metadata?.name ?? '', namespace));
        }));
        const targets = found.flat();
        if (targets.length === 0) {
            throw new errors/* ActionError */.lZ(`No Deployment, StatefulSet or DaemonSet in namespace ${namespace} matches the selector ${source.selector}.`);
        }
        return targets.map((found) => ({ target: found, wanted: byRevision }));
    }
    const workloads = record?.payload.kubernetes?.workloads ?? [];
    if (workloads.length === 0) {
        throw new errors/* ActionError */.lZ(`Deployment ${record?.id ?? '?'} recorded no Kubernetes workloads to roll back.`);
    }
    return workloads.map((workload) => ({
        target: target(workload.kind, workload.name, workload.namespace),
        wanted: source.kind === 'from-deployment' ? { images: workload.containers } : byRevision,
    }));
}
function target(kind, name, namespace) {
    return { apiVersion: 'apps/v1', kind, name, namespace };
}

;// CONCATENATED MODULE: ./actions/rollback/src/kubernetes/run.ts













/** The Kubernetes rollback: targets -> plan (dry run stops here) -> record -> restore and wait -> report. */
async function rollBackKubernetes(inputs, records, { signal, startedAt }) {
    const cluster = inputs.cluster ?? (await (0,src_inputs/* resolveKubernetesCluster */.t)(process.env));
    const client = await createKubernetesClient(cluster, {
        onRetry: (message) => log/* info */.pq(`Retrying: ${message}`),
    });
    try {
        const targets = await resolveTargets(client, inputs, records.source, signal);
        const rollbacks = await log/* group */.Os(`Plan the rollback of ${targets.length} workload(s)`, async () => {
            const planned = await planAll(client, targets, signal);
            for (const { plan } of planned) {
                const images = Object.values(plan.imagesAfter).join(', ');
                log/* info */.pq(plan.changed
                    ? `${(0,kubernetes_object/* describeRef */.Ro)(plan.ref)}: revision ${plan.currentRevision ?? 'unknown'} -> revision ${plan.revision} (${images})`
                    : `${(0,kubernetes_object/* describeRef */.Ro)(plan.ref)}: already runs revision ${plan.revision} (${images}); nothing to do`);
            }
            return planned;
        });
        if (inputs.dryRun) {
            (0,outputs/* setOutputs */.n)(rollbackOutputs(rollbacks, undefined));
            await summarise(client, rollbacks, { dryRun: true, startedAt });
            return;
        }
        const record = await startRecord(inputs, records, client, rollbacks, signal);
        let stepError;
        await log/* group */.Os('Roll back', async () => {
            try {
                await restoreAll(client, rollbacks, {
                    deadline: new deadline/* Deadline */.B(inputs.timeoutMs, `the rollback of ${rollbacks.length} workload(s)`),
                    signal,
                    wait: inputs.wait,
                    maxRestarts: inputs.maxRestarts,
                    onProgress: (message) => log/* info */.pq(message),
                    onWarning: (message) => log/* warning */.$e(message),
                });
            }
            catch (error) {
                if (signal.aborted)
                    throw error;
                stepError = error;
            }
        });
        const failed = rollbacks.filter((rollback) => failureOf(rollback) !== undefined);
        for (const rollback of failed) {
            log/* error */.z3(`${(0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)}: ${failureOf(rollback)}`, {
                title: `Rollback of ${(0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)} failed`,
            });
        }
        const failure = stepError !== undefined
            ? (0,errors/* errorMessage */.gJ)(stepError)
            : failed.length > 0
                ? `${failed.length} of ${rollbacks.length} rollback(s) failed: ${failed.map((rollback) => (0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)).join(', ')}.`
                : undefined;
        (0,outputs/* setOutputs */.n)(rollbackOutputs(rollbacks, record.id));
        await record.finish(failure ? 'failure' : 'success', failure ??
            `Restored ${rollbacks.map((rollback) => `${(0,kubernetes_object/* describeRef */.Ro)(rollback.plan.ref)} revision ${rollback.plan.revision}`).join(', ')}`);
        await summarise(client, rollbacks, {
            dryRun: false,
            startedAt,
            failure,
            record,
            rollbackOf: (0,src_records/* rollbackOf */.ID)(records),
        });
        if (stepError !== undefined)
            throw stepError;
        if (failure)
            throw new errors/* ReportedFailure */.g7(failure);
    }
    finally {
        const { total, byVerb } = client.calls;
        const verbs = Object.entries(byVerb).map(([verb, count]) => `${count} ${verb}`);
        log/* info */.pq(`Kubernetes API calls: ${total}${verbs.length ? ` (${verbs.join(', ')})` : ''}.`);
        await client.close();
    }
}
/** A rollback that changes nothing (every workload already there) is not recorded: nothing was deployed. */
async function startRecord(inputs, records, client, rollbacks, signal) {
    const changes = rollbacks.some((rollback) => rollback.plan.changed);
    if (!changes && records.recordable)
        log/* info */.pq('No deployment record: every workload already runs the revision asked for.');
    const replaced = (0,src_records/* rollbackOf */.ID)(records);
    const recorder = (0,deployment_records/* deploymentRecords */.y)({
        enabled: records.recordable && changes,
        token: inputs.token,
        environment: records.environment,
        environmentUrl: inputs.environmentUrl,
        transient: inputs.transientEnvironment,
        production: inputs.productionEnvironment,
    }, {
        warning: (message) => log/* warning */.$e(message),
        notice: (message) => log/* notice */.lm(message),
        info: (message) => log/* info */.pq(message),
        signal,
    });
    return recorder.start({
        ref: (0,src_records/* restoredCommit */.ku)(records, recordedWorkloads(rollbacks), inputs.source.kind === 'from-deployment'),
        description: describeRollback(rollbacks, replaced),
        payload: rollbackPayload(rollbacks, client.context, (0,run_context/* readRunContext */.$)()?.runUrl, replaced),
    });
}
async function summarise(client, rollbacks, facts) {
    await rollbackSummary({
        context: client.context,
        server: client.server,
        dryRun: facts.dryRun,
        durationMs: Date.now() - facts.startedAt,
        rollbacks,
        failure: facts.failure,
        deploymentId: facts.record?.id,
        rollbackOf: facts.record?.id === undefined ? undefined : facts.rollbackOf,
    }).write();
}


/***/ }),

/***/ 499:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   y: () => (/* binding */ deploymentRecords)
/* harmony export */ });
/* harmony import */ var _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2874);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3904);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7069);
/* harmony import */ var _deployment_payload_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5615);
/* harmony import */ var _run_context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6448);





const DEFAULT_PHASE_TIMEOUT_MS = 10_000;
const SWEEP_PAGE_SIZE = 30;
const NOTHING_RECORDED = { id: undefined, finish: async () => undefined };
function deploymentRecords(settings, hooks) {
    if (!settings.enabled)
        return { start: async () => NOTHING_RECORDED };
    const environment = settings.environment;
    const context = (0,_run_context_js__WEBPACK_IMPORTED_MODULE_3__/* .readRunContext */ .$)(hooks.env);
    if (!environment || !context || !settings.token) {
        const missing = !environment
            ? "no environment input was given (the runner does not tell an action its job's environment)"
            : !context
                ? 'GITHUB_REPOSITORY is not set'
                : 'github-token is empty';
        hooks.notice(`No deployment record: ${missing}.`);
        return { start: async () => NOTHING_RECORDED };
    }
    const client = (0,_client_js__WEBPACK_IMPORTED_MODULE_2__/* .createGitHubClient */ .L)(settings.token, context);
    let broken = false;
    /** Runs one phase; the first failure becomes the one warning, and every later phase is skipped. */
    const phase = async (what, body) => {
        if (broken)
            return undefined;
        const deadline = new _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .Deadline */ .B(hooks.phaseTimeoutMs ?? DEFAULT_PHASE_TIMEOUT_MS, what);
        try {
            return await body(deadline);
        }
        catch (error) {
            if (hooks.signal?.aborted)
                throw error;
            broken = true;
            hooks.warning(`Deployment record not written (${what}): ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}. The deploy itself is not affected.`);
            return undefined;
        }
    };
    const call = (deadline, route, parameters) => client.request(route, parameters, { deadline, signal: hooks.signal, onRetry: hooks.info });
    return {
        async start(release) {
            const id = await phase(`create the deployment in ${environment}`, async (deadline) => {
                const deployment = await call(deadline, 'POST /repos/{owner}/{repo}/deployments', {
                    ref: release.ref || context.sha,
                    task: 'deploy',
                    environment,
                    description: (0,_deployment_payload_js__WEBPACK_IMPORTED_MODULE_4__/* .limitDescription */ .Kj)(release.description),
                    payload: release.payload,
                    auto_merge: false,
                    required_contexts: [],
                    ...(settings.transient === undefined ? {} : { transient_environment: settings.transient }),
                    ...(settings.production === undefined ? {} : { production_environment: settings.production }),
                });
                await postStatus(call, deadline, deployment.id, 'in_progress', release.description, settings, context);
                return deployment.id;
            });
            if (id === undefined)
                return NOTHING_RECORDED;
            hooks.info(`Deployment ${id} recorded in ${environment} (in progress).`);
            return {
                id,
                finish: async (state, description) => {
                    await phase(`set deployment ${id} to ${state}`, async (deadline) => {
                        await postStatus(call, deadline, id, state, description, settings, context);
                        if (state === 'success')
                            await deactivateEarlierSuccesses(call, deadline, id, environment);
                    });
                },
            };
        },
    };
}
async function postStatus(call, deadline, id, state, description, settings, context) {
    await call(deadline, 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        deployment_id: id,
        state,
        description: (0,_deployment_payload_js__WEBPACK_IMPORTED_MODULE_4__/* .limitDescription */ .Kj)(description),
        ...(context.runUrl ? { log_url: context.runUrl } : {}),
        ...(settings.environmentUrl ? { environment_url: settings.environmentUrl } : {}),
    });
}
async function deactivateEarlierSuccesses(call, deadline, id, environment) {
    const deployments = await call(deadline, 'GET /repos/{owner}/{repo}/deployments', {
        environment,
        per_page: SWEEP_PAGE_SIZE,
    });
    for (const earlier of deployments) {
        // Newer ones (a concurrent run's) are that run's to settle.
        if (earlier.id >= id)
            continue;
        const statuses = await call(deadline, 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: earlier.id, per_page: 1 });
        const latest = statuses[0]?.state;
        if (latest === 'inactive')
            return;
        if (latest !== 'success')
            continue;
        await call(deadline, 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            deployment_id: earlier.id,
            state: 'inactive',
            description: (0,_deployment_payload_js__WEBPACK_IMPORTED_MODULE_4__/* .limitDescription */ .Kj)(`Replaced by deployment ${id}.`),
        });
    }
}


/***/ }),

/***/ 5652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   n: () => (/* binding */ setOutputs)
/* harmony export */ });
/* harmony import */ var _file_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1169);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2663);


function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
        const text = typeof value === 'string'
            ? value
            : JSON.stringify(value, (_key, inner) => typeof inner === 'string' ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(inner) : inner);
        (0,_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)(name, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text));
    }
}


/***/ }),

/***/ 1810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VV: () => (/* binding */ escapeInline),
/* harmony export */   c3: () => (/* binding */ JobSummary),
/* harmony export */   nf: () => (/* binding */ link)
/* harmony export */ });
/* unused harmony export fencedCode */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2663);


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
        return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`${this.parts.join('\n\n')}\n`);
    }
    /** Appends to the step summary file; outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write. */
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file)
            return;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.appendFile)(file, this.toMarkdown(), 'utf8');
    }
}
const PAREN_ESCAPES = { '(': '%28', ')': '%29' };
function link(text, href) {
    // encodeURIComponent leaves ( and ) alone, and an unbalanced one ends the link early.
    const escaped = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(href).replace(/[()\s]/g, (char) => PAREN_ESCAPES[char] ?? encodeURIComponent(char));
    return `[${escapeInline(text)}](${escaped})`;
}
function escapeInline(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}
function escapeCell(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeHtml(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
function fencedCode(text, language = '') {
    // The fence must be longer than any run of backticks in the text, or that run would close it.
    const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}


/***/ }),

/***/ 6617:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ ActionOnInvalid),
/* harmony export */   FE: () => (/* binding */ newContexts),
/* harmony export */   MA: () => (/* binding */ newClusters),
/* harmony export */   bw: () => (/* binding */ newUsers)
/* harmony export */ });
/* unused harmony exports exportCluster, exportUser, exportContext */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);

const ActionOnInvalid = {
    THROW: 'throw',
    FILTER: 'filter',
};
function defaultNewConfigOptions() {
    return {
        onInvalidEntry: ActionOnInvalid.THROW,
    };
}
function newClusters(a, opts) {
    if (!Array.isArray(a)) {
        return [];
    }
    const options = Object.assign(defaultNewConfigOptions(), opts || {});
    return a.map(clusterIterator(options.onInvalidEntry)).filter(Boolean);
}
function exportCluster(cluster) {
    return {
        name: cluster.name,
        cluster: {
            server: cluster.server,
            'certificate-authority-data': cluster.caData,
            'certificate-authority': cluster.caFile,
            'insecure-skip-tls-verify': cluster.skipTLSVerify,
            'tls-server-name': cluster.tlsServerName,
            'proxy-url': cluster.proxyUrl,
        },
    };
}
function clusterIterator(onInvalidEntry) {
    return (elt, i, list) => {
        try {
            if (!elt.name) {
                throw new Error(`clusters[${i}].name is missing`);
            }
            if (!elt.cluster) {
                throw new Error(`clusters[${i}].cluster is missing`);
            }
            if (!elt.cluster.server) {
                throw new Error(`clusters[${i}].cluster.server is missing`);
            }
            return {
                caData: elt.cluster['certificate-authority-data'],
                caFile: elt.cluster['certificate-authority'],
                name: elt.name,
                server: elt.cluster.server.replace(/\/$/, ''),
                skipTLSVerify: elt.cluster['insecure-skip-tls-verify'] === true,
                tlsServerName: elt.cluster['tls-server-name'],
                proxyUrl: elt.cluster['proxy-url'],
            };
        }
        catch (err) {
            switch (onInvalidEntry) {
                case ActionOnInvalid.FILTER:
                    return null;
                default:
                case ActionOnInvalid.THROW:
                    throw err;
            }
        }
    };
}
function newUsers(a, opts) {
    if (!Array.isArray(a)) {
        return [];
    }
    const options = Object.assign(defaultNewConfigOptions(), opts || {});
    return a.map(userIterator(options.onInvalidEntry)).filter(Boolean);
}
function exportUser(user) {
    return {
        name: user.name,
        user: {
            as: user.impersonateUser,
            'auth-provider': user.authProvider,
            'client-certificate-data': user.certData,
            'client-certificate': user.certFile,
            exec: user.exec,
            'client-key-data': user.keyData,
            'client-key': user.keyFile,
            token: user.token,
            password: user.password,
            username: user.username,
        },
    };
}
function userIterator(onInvalidEntry) {
    return (elt, i, list) => {
        try {
            if (!elt.name) {
                throw new Error(`users[${i}].name is missing`);
            }
            return {
                authProvider: elt.user ? elt.user['auth-provider'] : null,
                certData: elt.user ? elt.user['client-certificate-data'] : null,
                certFile: elt.user ? elt.user['client-certificate'] : null,
                exec: elt.user ? elt.user.exec : null,
                keyData: elt.user ? elt.user['client-key-data'] : null,
                keyFile: elt.user ? elt.user['client-key'] : null,
                name: elt.name,
                token: findToken(elt.user),
                password: elt.user ? elt.user.password : null,
                username: elt.user ? elt.user.username : null,
                impersonateUser: elt.user ? elt.user.as : null,
            };
        }
        catch (err) {
            switch (onInvalidEntry) {
                case ActionOnInvalid.FILTER:
                    return null;
                default:
                case ActionOnInvalid.THROW:
                    throw err;
            }
        }
    };
}
function findToken(user) {
    if (user) {
        if (user.token) {
            return user.token;
        }
        if (user['token-file']) {
            return node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(user['token-file']).toString();
        }
    }
}
function newContexts(a, opts) {
    if (!Array.isArray(a)) {
        return [];
    }
    const options = Object.assign(defaultNewConfigOptions(), opts || {});
    return a.map(contextIterator(options.onInvalidEntry)).filter(Boolean);
}
function exportContext(ctx) {
    return {
        name: ctx.name,
        context: ctx,
    };
}
function contextIterator(onInvalidEntry) {
    return (elt, i, list) => {
        try {
            if (!elt.name) {
                throw new Error(`contexts[${i}].name is missing`);
            }
            if (!elt.context) {
                throw new Error(`contexts[${i}].context is missing`);
            }
            if (!elt.context.cluster) {
                throw new Error(`contexts[${i}].context.cluster is missing`);
            }
            return {
                cluster: elt.context.cluster,
                name: elt.name,
                user: elt.context.user || undefined,
                namespace: elt.context.namespace || undefined,
            };
        }
        catch (err) {
            switch (onInvalidEntry) {
                case ActionOnInvalid.FILTER:
                    return null;
                default:
                case ActionOnInvalid.THROW:
                    throw err;
            }
        }
    };
}
//# sourceMappingURL=config_types.js.map

/***/ })

};
