export const id = 541;
export const ids = [541];
export const modules = {

/***/ 42541:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runKubernetesJob: () => (/* binding */ runKubernetesJob)
});

// EXTERNAL MODULE: ./shared/src/deadline.ts
var src_deadline = __webpack_require__(3887);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(33904);
// EXTERNAL MODULE: ./shared/src/log.ts
var log = __webpack_require__(27901);
// EXTERNAL MODULE: ./shared/src/sleep.ts
var sleep = __webpack_require__(48640);
// EXTERNAL MODULE: ./shared/src/retry.ts
var retry = __webpack_require__(90397);
;// CONCATENATED MODULE: ./shared/src/network-errors.ts
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
var object = __webpack_require__(37585);
;// CONCATENATED MODULE: ./shared/src/kubernetes/api-error.ts




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

;// CONCATENATED MODULE: ./shared/src/kubernetes/client.ts




const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ATTEMPTS = 6;
const WATCH_IDLE_MS = 90_000;
async function createKubernetesClient(source, options = {}) {
    const k8s = await __webpack_require__.e(/* import() */ 490).then(__webpack_require__.bind(__webpack_require__, 64490));
    const config = new k8s.KubeConfig();
    if (source.config.kind === 'kubeconfig') {
        config.loadFromString(source.config.text);
        config.setCurrentContext(source.context);
    }
    else {
        const directory = source.config.directory;
        config.loadFromOptions({
            clusters: [
                { name: 'in-cluster', server: source.server, caFile: `${directory}/ca.crt`, skipTLSVerify: false },
            ],
            users: [
                {
                    name: 'in-cluster',
                    authProvider: { name: 'tokenFile', config: { tokenFile: `${directory}/token` } },
                },
            ],
            contexts: [
                { name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace: source.namespace },
            ],
            currentContext: 'in-cluster',
        });
    }
    return new ClientNodeKubernetesClient(k8s, config, source, options);
}
class ClientNodeKubernetesClient {
    server;
    context;
    namespace;
    calls = { total: 0, byVerb: {} };
    k8s;
    config;
    http;
    options;
    /**
     * client-node builds a new connection pool on every authentication; the first one is kept for
     * every request instead, so calls share keep-alive connections and TLS sessions.
     */
    dispatcher;
    dispatcherKnown = false;
    /** Requests in flight and how to detach each from its caller's signal. */
    open = new Map();
    constructor(k8s, config, source, options) {
        this.k8s = k8s;
        this.config = config;
        this.http = new k8s.IsomorphicFetchHttpLibrary();
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
            const context = await this.prepare(method, options.path, options.query, controller.signal);
            if (options.body !== undefined) {
                context.setBody(options.body);
                context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
            }
            this.count(method);
            const response = await this.http.send(context).toPromise();
            const body = await response.body.text();
            if (response.httpStatusCode >= 400) {
                throw new KubernetesApiError(describe(options), {
                    status: response.httpStatusCode,
                    body,
                    retryAfter: response.headers['retry-after'],
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
            const context = await this.prepare('GET', path, { ...options.query, watch: 'true' }, controller.signal);
            this.count('WATCH');
            const response = await this.http.send(context).toPromise();
            if (response.httpStatusCode !== 200) {
                throw new KubernetesApiError(what, {
                    status: response.httpStatusCode,
                    body: await response.body.text(),
                    retryAfter: response.headers['retry-after'],
                });
            }
            const stream = response.body.stream();
            if (!stream)
                return;
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
        const dispatcher = this.dispatcher;
        await dispatcher?.destroy?.();
    }
    async prepare(method, path, query, signal) {
        const url = new URL(this.server + path);
        for (const [name, value] of Object.entries(query ?? {})) {
            if (value !== undefined)
                url.searchParams.set(name, String(value));
        }
        const context = new this.k8s.RequestContext(url.toString(), method);
        await this.config.applySecurityAuthentication(context);
        if (!this.dispatcherKnown) {
            this.dispatcher = context.getDispatcher();
            this.dispatcherKnown = true;
        }
        else if (this.dispatcher) {
            context.setDispatcher(this.dispatcher);
        }
        context.setHeaderParam('Accept', 'application/json');
        context.setHeaderParam('User-Agent', 'gantry');
        context.setSignal(signal);
        return context;
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

;// CONCATENATED MODULE: ./shared/src/kubernetes/pod-problems.ts

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

;// CONCATENATED MODULE: ./actions/migrate/src/job-spec.ts


/** Labels put on the Job and its pod; the last one finds the pod. */
const RUN_LABEL = 'gantry.dev/migration-job';
const MAX_NAME = 63;
const CLUSTER_DEADLINE_GRACE_SECONDS = 60;
/** Probes would kill or hold back a container that serves nothing; ports are for Services. */
const SERVING_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'ports', 'lifecycle'];
function jobName(baseName, suffix) {
    const tail = `-migrate-${suffix}`;
    const base = baseName.slice(0, MAX_NAME - tail.length).replace(/[-.]+$/, '');
    return `${base}${tail}`;
}
function buildJob(options) {
    const spec = (0,object/* isRecord */.u4)(options.podTemplate.spec) ? structuredClone(options.podTemplate.spec) : {};
    const containers = Array.isArray(spec.containers) ? spec.containers.filter(object/* isRecord */.u4) : [];
    const chosen = chooseContainer(containers, options);
    const name = jobName(options.baseName, options.suffix);
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
        throw new errors/* ConfigurationError */.j1(`${options.origin} has ${containers.length} containers (${names.join(', ')}): input "container" must say which one runs the migration.`, { input: 'container' });
    }
    return containers[0];
}
/** Annotations (a service mesh's opt-out, a Vault agent's) matter to how the pod runs; keep them. */
function podAnnotations(metadata) {
    return (0,object/* isRecord */.u4)(metadata) && (0,object/* isRecord */.u4)(metadata.annotations) ? metadata.annotations : undefined;
}

// EXTERNAL MODULE: ./actions/migrate/src/log-tail.ts + 1 modules
var log_tail = __webpack_require__(96397);
;// CONCATENATED MODULE: ./actions/migrate/src/pod-logs.ts


/**
 * Copies a Job pod's container output to the step log by polling `/log` with `sinceTime` and
 * `timestamps`: each poll asks only for what is new since the last line printed (to the second,
 * the API's precision, then skips what was already printed within that second), and `limitBytes`
 * bounds each answer, so nothing is buffered beyond one poll however long the migration runs.
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

;// CONCATENATED MODULE: ./actions/migrate/src/kubernetes-job.ts











/**
 * mode: kubernetes-job. Creates the Job, copies its pod's output to the step log, waits for
 * Complete or Failed with a watch under the one `timeout` deadline, reads the exit code from the
 * pod, and deletes the Job (its pod with it) unless keep-job. A pod whose image cannot be pulled
 * ends the wait at once: the Job would otherwise sit in ImagePullBackOff until the deadline. A Job
 * that did not finish (timeout, cancellation, that image) is deleted even with keep-job, which stops
 * its pod: left alone it would go on until activeDeadlineSeconds.
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
async function runKubernetesJob(inputs, signal) {
    const startedAt = Date.now();
    const client = await createKubernetesClient(inputs.cluster, { onRetry: (message) => log/* info */.pq(message) });
    try {
        const namespace = inputs.namespace ?? client.namespace ?? 'default';
        const spec = await jobSpec(client, inputs, namespace, signal);
        const tail = new log_tail/* LogTail */.J();
        const where = `Job ${namespace}/${spec.name} (context ${client.context}, ${client.server})`;
        await createJob(client, namespace, spec, signal);
        log/* info */.pq(`Created ${where}; running ${spec.container}${inputs.command ? `: ${inputs.command.join(' ')}` : ''}.`);
        let followed;
        try {
            followed = await follow(client, namespace, spec, tail, inputs.timeoutMs, signal);
        }
        finally {
            // keep-job keeps a finished Job for kubectl logs; one still running is stopped whatever it says.
            if (!inputs.keepJob || !followed?.finished)
                await deleteJob(client, namespace, spec.name);
        }
        return {
            mode: 'kubernetes-job',
            where,
            id: spec.name,
            command: inputs.command,
            exitCode: followed.exitCode,
            failure: followed.failure,
            tail,
            durationMs: Date.now() - startedAt,
            kept: inputs.keepJob && followed.finished,
        };
    }
    finally {
        await client.close();
    }
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
async function follow(client, namespace, spec, tail, timeoutMs, signal) {
    const deadline = new src_deadline/* Deadline */.B(timeoutMs, `Job ${namespace}/${spec.name} to finish`);
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
            failure: `Migration Job ${namespace}/${spec.name} cannot start: ${unpullable.message}.`,
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
    return { exitCode, failure: `Migration Job ${namespace}/${spec.name} failed: ${why}.`, finished: true };
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


/***/ }),

/***/ 96397:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  J: () => (/* binding */ LogTail)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./shared/src/untrusted-output.ts

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

;// CONCATENATED MODULE: ./actions/migrate/src/log-tail.ts

/**
 * The last lines of a container's output, kept for the failure message and the job summary while
 * every line goes straight to the step log: memory stays bounded however much the migration prints.
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
