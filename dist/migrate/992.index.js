export const id = 992;
export const ids = [992];
export const modules = {

/***/ 4992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runEcsTask: () => (/* binding */ runEcsTask)
});

// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __webpack_require__(2874);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/process/log-tail.ts + 1 modules
var log_tail = __webpack_require__(5034);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts
var sleep = __webpack_require__(8859);
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
function aws_awsErrorName(error) {
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
    const name = aws_awsErrorName(error) ?? 'Error';
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

// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __webpack_require__(3014);
;// CONCATENATED MODULE: ./shared/src/ecs/client.ts




async function createEcs(region) {
    const sdk = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(212)]).then(__webpack_require__.t.bind(__webpack_require__, 212, 19));
    const config = awsClientConfig({ region });
    return { sdk, client: new sdk.ECSClient(config), config };
}
const THROTTLING = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
]);
/**
 * One ECS call, its SDK error turned into the one-line ActionError that names the operation. With
 * `retrying`, throttling and server errors that outlast the SDK's attempts are retried with the
 * core's backoff under the wait's deadline; credential and permission errors fail at once.
 */
async function ecsCall(operation, fn, retrying) {
    const once = async () => {
        try {
            return await fn();
        }
        catch (error) {
            throw awsActionError(operation, error);
        }
    };
    if (!retrying)
        return once();
    return (0,retry/* retry */.L5)(once, {
        what: operation,
        classify: retrying.classify ?? classifyEcsError,
        deadline: retrying.deadline,
        signal: retrying.signal,
        onRetry: ({ attempt, delayMs, reason }) => log/* warning */.$e(`${operation}: ${reason}; retrying in ${(0,duration/* formatDuration */.a)(delayMs)} (attempt ${attempt + 1}).`),
    });
}
/** Throttled requests were refused before any work was done: the one failure a write may repeat. */
function classifyThrottling(error) {
    const name = awsErrorName(error.cause);
    return name !== undefined && THROTTLING.has(name)
        ? { transient: true, reason: `throttled (${name})` }
        : { transient: false };
}
function classifyEcsError(error) {
    const cause = error.cause;
    const name = aws_awsErrorName(cause);
    if (name !== undefined && THROTTLING.has(name))
        return { transient: true, reason: `throttled (${name})` };
    const status = cause?.$metadata
        ?.httpStatusCode;
    if (status !== undefined && status >= 500)
        return { transient: true, reason: `server error ${status} (${name})` };
    return { transient: false };
}

;// CONCATENATED MODULE: ./shared/src/ecs/task-logs.ts
class TaskLogs {
    client;
    stream;
    tail;
    getLogEvents;
    token;
    constructor(client, command, stream, tail) {
        this.client = client;
        this.getLogEvents = command;
        this.stream = stream;
        this.tail = tail;
    }
    /** Reads everything new, page by page, until the stream has nothing more for now. */
    async poll(signal) {
        for (;;) {
            let answer;
            try {
                answer = await this.client.send(new this.getLogEvents({
                    logGroupName: this.stream.group,
                    logStreamName: this.stream.stream,
                    startFromHead: true,
                    ...(this.token && { nextToken: this.token }),
                }), { abortSignal: signal });
            }
            catch (error) {
                if (error.name === 'ResourceNotFoundException')
                    return;
                throw error;
            }
            for (const event of answer.events ?? []) {
                for (const line of (event.message ?? '').split(/\r?\n/))
                    this.tail.line(line);
            }
            const next = answer.nextForwardToken;
            // The same token back means the end of the stream for now.
            if (!next || next === this.token)
                return;
            this.token = next;
            if ((answer.events ?? []).length === 0)
                return;
        }
    }
}

;// CONCATENATED MODULE: ./shared/src/ecs/run-task.ts







async function runOneOffTask(options, signal, ecs) {
    const startedAt = Date.now();
    const own = ecs === undefined;
    const aws = ecs ?? (await createEcs(options.region));
    const { sdk, client, config } = aws;
    let cloudwatch;
    try {
        const definition = await ecsCall('DescribeTaskDefinition', () => client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: options.taskDefinition }), {
            abortSignal: signal,
        }));
        const taskDefinition = definition.taskDefinition ?? {};
        const container = chooseContainer(taskDefinition.containerDefinitions ?? [], options);
        const task = await startTask(aws, options, container.name, taskDefinition, signal);
        const taskArn = task.taskArn;
        const where = `task ${taskArn} of ${taskDefinition.family}:${taskDefinition.revision} on cluster ${options.cluster}`;
        log/* info */.pq(`Started ${where}${options.command ? `: ${options.command.join(' ')}` : ''}.`);
        const tail = new log_tail/* LogTail */.J();
        const stream = awslogsStream(container, taskArn, config.region);
        let logs;
        if (stream) {
            const logsSdk = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(303)]).then(__webpack_require__.t.bind(__webpack_require__, 2684, 19));
            // The log group may live in another region than the cluster (awslogs-region).
            cloudwatch = new logsSdk.CloudWatchLogsClient({ ...config, region: stream.region ?? config.region });
            logs = new TaskLogs(cloudwatch, logsSdk.GetLogEventsCommand, stream, tail);
        }
        else {
            log/* info */.pq(`Container ${container.name} does not log with awslogs: its output cannot be shown here.`);
        }
        const ending = await waitForStop(aws, options, taskArn, logs, signal);
        await logs
            ?.poll()
            .catch((error) => log/* warning */.$e(`Could not read the task's log: ${String(error)}`));
        return {
            where,
            taskArn,
            ...('stopped' in ending
                ? verdict(ending.stopped, container.name, taskDefinition, options)
                : { exitCode: undefined, failure: ending.failure }),
            tail,
            durationMs: Date.now() - startedAt,
        };
    }
    finally {
        if (own)
            client.destroy();
        cloudwatch?.destroy();
    }
}
function chooseContainer(containers, options) {
    const names = containers.map((container) => container.name).join(', ');
    const input = options.containerInput;
    if (options.container !== undefined) {
        const found = containers.find((container) => container.name === options.container);
        if (!found) {
            throw new errors/* ConfigurationError */.j1(`Input "${input}" is "${options.container}", which is not a container of task definition ${options.taskDefinition}: it has ${names || 'none'}.`, { input });
        }
        return found;
    }
    if (containers.length === 1)
        return containers[0];
    throw new errors/* ConfigurationError */.j1(`Task definition ${options.taskDefinition} has ${containers.length} containers (${names}): input "${input}" must say which one runs ${options.purpose}.`, { input });
}
async function startTask({ sdk, client }, options, container, definition, signal) {
    const environment = Object.entries(options.environment ?? {}).map(([name, value]) => ({ name, value }));
    const override = {
        name: container,
        ...(options.command && { command: options.command }),
        ...(environment.length > 0 && { environment }),
    };
    const answer = await ecsCall('RunTask', () => client.send(new sdk.RunTaskCommand({
        cluster: options.cluster,
        // The revision just described, so a registration meanwhile cannot change what runs.
        taskDefinition: definition.taskDefinitionArn ?? options.taskDefinition,
        count: 1,
        ...(options.capacityProvider
            ? { capacityProviderStrategy: [{ capacityProvider: options.capacityProvider, weight: 1 }] }
            : options.launchType && { launchType: options.launchType }),
        startedBy: options.startedBy,
        ...(options.network && {
            networkConfiguration: {
                awsvpcConfiguration: {
                    subnets: options.network.subnets,
                    ...(options.network.securityGroups.length > 0 && {
                        securityGroups: options.network.securityGroups,
                    }),
                    assignPublicIp: options.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
                },
            },
        }),
        ...((options.command || environment.length > 0) && {
            overrides: { containerOverrides: [override] },
        }),
    }), { abortSignal: signal }));
    const task = answer.tasks?.[0];
    if (!task?.taskArn) {
        const failure = answer.failures?.[0];
        throw new errors/* ActionError */.lZ(`RunTask started no task on cluster ${options.cluster}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`);
    }
    return task;
}
function awslogsStream(container, taskArn, region) {
    const options = container.logConfiguration;
    if (options?.logDriver !== 'awslogs')
        return undefined;
    const group = options.options?.['awslogs-group'];
    const prefix = options.options?.['awslogs-stream-prefix'];
    if (!group || !prefix)
        return undefined;
    const taskId = taskArn.split('/').at(-1);
    return {
        group,
        stream: `${prefix}/${container.name}/${taskId}`,
        region: options.options?.['awslogs-region'] ?? region,
    };
}
async function waitForStop(ecs, options, taskArn, logs, signal) {
    const deadline = new async_deadline/* Deadline */.B(options.timeoutMs, `ECS task ${taskArn} to stop`);
    const status = { last: 'PROVISIONING' };
    const actor = options.startedBy.replace(/-/g, ' ');
    /** Stops the task, saying how that went: the failure message is written either way. */
    const stop = async (reason) => {
        try {
            await ecsCall('StopTask', () => ecs.client.send(new ecs.sdk.StopTaskCommand({ cluster: options.cluster, task: taskArn, reason })));
            return 'has been stopped';
        }
        catch (error) {
            return `could not be stopped (${(0,errors/* errorMessage */.gJ)(error)})`;
        }
    };
    try {
        const stopped = await pollUntilStopped(ecs, options, taskArn, logs, deadline, status, signal);
        if (stopped)
            return { stopped };
        const outcome = await stop(`${actor}: timeout`);
        return { failure: deadline.error(`the task was ${status.last}, and ${outcome}`).message };
    }
    catch (error) {
        if (!signal.aborted)
            throw error;
        // A cancelled job must not leave the task running unwatched.
        const outcome = await stop(`${actor}: the workflow run was cancelled`);
        return {
            failure: `The run was cancelled while task ${taskArn.split('/').at(-1)} was ${status.last}: it ${outcome}.`,
        };
    }
}
/** The stopped task, or undefined at the deadline. */
async function pollUntilStopped({ sdk, client }, options, taskArn, logs, deadline, status, signal) {
    for (;;) {
        const answer = await ecsCall('DescribeTasks', () => client.send(new sdk.DescribeTasksCommand({ cluster: options.cluster, tasks: [taskArn] }), {
            abortSignal: signal,
        }));
        const task = answer.tasks?.[0];
        if (!task)
            throw new errors/* ActionError */.lZ(`DescribeTasks does not know task ${taskArn} any more.`);
        if (task.lastStatus && task.lastStatus !== status.last) {
            status.last = task.lastStatus;
            log/* info */.pq(`Task is ${status.last}.`);
        }
        if (status.last === 'STOPPED')
            return task;
        await logs?.poll(signal).catch((error) => log/* debug */.Yz(`Reading the task's log: ${String(error)}`));
        if (deadline.remaining() <= 0)
            return undefined;
        await (0,sleep/* sleep */.yy)(Math.min(options.pollIntervalMs, deadline.remaining()), signal);
    }
}
function verdict(task, container, definition, options) {
    const state = task.containers?.find((entry) => entry.name === container);
    const taskId = task.taskArn?.split('/').at(-1);
    const noun = `${options.noun} ${taskId}`;
    if (task.stopCode === 'TaskFailedToStart') {
        const reason = [...new Set([task.stoppedReason, state?.reason].filter(Boolean))].join('; ');
        return {
            exitCode: state?.exitCode ?? undefined,
            failure: `${noun} on cluster ${options.cluster} failed to start: ${reason || 'no reason given'}.`,
        };
    }
    const judged = options.verdictOf === 'container'
        ? [container]
        : (definition.containerDefinitions ?? [])
            .filter((entry) => entry.essential !== false)
            .map((entry) => entry.name);
    const exits = judged.map((name) => ({
        name,
        state: task.containers?.find((entry) => entry.name === name),
    }));
    const unfinished = exits.find(({ state }) => state?.exitCode === undefined || state.exitCode === null);
    const failed = exits.find(({ state }) => typeof state?.exitCode === 'number' && state.exitCode !== 0);
    if (failed) {
        return {
            exitCode: failed.state?.exitCode,
            failure: `${noun} failed: container ${failed.name} exited with code ${failed.state?.exitCode}.`,
        };
    }
    if (unfinished) {
        return {
            exitCode: undefined,
            failure: `${noun} stopped before container ${unfinished.name} ran to the end: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${unfinished.state?.reason ? ` (${unfinished.state.reason})` : ''}.`,
        };
    }
    return { exitCode: 0, failure: undefined };
}

;// CONCATENATED MODULE: ./actions/migrate/src/in-cluster/ecs-task.ts

/** mode: ecs-task: the migration command as a one-off task of the core's ECS runner. */
async function runEcsTask(inputs, signal) {
    const result = await runOneOffTask({
        region: inputs.region,
        cluster: inputs.cluster,
        taskDefinition: inputs.taskDefinition,
        container: inputs.container,
        containerInput: 'container',
        launchType: inputs.launchType,
        network: inputs.network,
        command: inputs.command,
        timeoutMs: inputs.timeoutMs,
        pollIntervalMs: inputs.pollIntervalMs,
        startedBy: 'gantry-migrate',
        noun: 'Migration task',
        purpose: 'the migration',
        verdictOf: 'container',
    }, signal);
    return {
        mode: 'ecs-task',
        where: result.where,
        id: result.taskArn,
        command: inputs.command,
        exitCode: result.exitCode,
        failure: result.failure,
        tail: result.tail,
        durationMs: result.durationMs,
    };
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
