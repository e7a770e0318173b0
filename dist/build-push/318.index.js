export const id = 318;
export const ids = [318];
export const modules = {

/***/ 4318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readManifest: () => (/* binding */ readManifest)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
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

// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var sleep = __webpack_require__(3701);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __webpack_require__(2663);
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
        this.agent = new undici/* Agent */.g6({
            connect: { ca: tls.ca, rejectUnauthorized: !tls.insecure },
            connections: options.connectionsPerOrigin ?? null,
        });
    }
    async request(options) {
        if (options.signal?.aborted)
            throw (0,sleep/* abortReason */.Js)(options.signal);
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
                const response = await (0,undici/* request */.Em)(url, {
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
                throw (0,sleep/* abortReason */.Js)(options.signal);
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
    const code = networkErrorCode(error);
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
    if (isTlsErrorCode(code)) {
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

;// CONCATENATED MODULE: ./actions/build-push/src/registry/manifest-client.ts



const ACCEPT = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
async function readManifest(image, reference, options) {
    const client = new HttpClient();
    try {
        const scheme = options.insecure ? 'http' : 'https';
        const host = image.registry === 'docker.io' ? 'registry-1.docker.io' : image.registry;
        const url = `${scheme}://${host}/v2/${image.repository}/manifests/${encodeURIComponent(reference)}`;
        const request = (authorization) => client.request({
            url,
            headers: { accept: ACCEPT, ...(authorization ? { authorization } : {}) },
            timeoutMs: options.timeoutMs,
            signal: options.signal,
        });
        let response = await request(basic(options.login));
        if (response.status === 401) {
            const challenge = response.headers['www-authenticate'] ?? '';
            if (/^bearer/i.test(challenge)) {
                response = await request(`Bearer ${await bearerToken(client, challenge, options)}`);
            }
        }
        if (response.status !== 200) {
            throw new errors/* ActionError */.lZ(`Reading the manifest of ${image.name}:${reference} from ${image.registry} answered ${response.status}.`);
        }
        const digest = response.headers['docker-content-digest'];
        if (!digest)
            throw new errors/* ActionError */.lZ(`${image.registry} did not return a Docker-Content-Digest for ${image.name}:${reference}.`);
        return {
            digest,
            mediaType: response.headers['content-type'] ?? '',
            sizeBytes: manifestSize(response.body),
        };
    }
    finally {
        await client.close();
    }
}
async function bearerToken(client, challenge, options) {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (!params.realm)
        throw new errors/* ActionError */.lZ(`The registry's Bearer challenge names no realm: ${challenge}`);
    const tokenUrl = new URL(params.realm);
    if (params.service)
        tokenUrl.searchParams.set('service', params.service);
    if (params.scope)
        tokenUrl.searchParams.set('scope', params.scope);
    const response = await client.request({
        url: tokenUrl.toString(),
        headers: basic(options.login) ? { authorization: basic(options.login) } : {},
        timeoutMs: options.timeoutMs,
        signal: options.signal,
    });
    if (response.status !== 200)
        throw new errors/* ActionError */.lZ(`The registry's token service answered ${response.status}.`);
    const body = JSON.parse(response.body);
    const token = body.token ?? body.access_token;
    if (!token)
        throw new errors/* ActionError */.lZ("The registry's token service returned no token.");
    (0,secrets/* maskSecret */.$l)(token);
    return token;
}
function basic(login) {
    return login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` : undefined;
}
function manifestSize(body) {
    const manifest = JSON.parse(body);
    if (!manifest.layers)
        return undefined;
    return (manifest.config?.size ?? 0) + manifest.layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0);
}


/***/ })

};
