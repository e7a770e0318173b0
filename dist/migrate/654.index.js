export const id = 654;
export const ids = [654];
export const modules = {

/***/ 79654:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runEcsTask: () => (/* binding */ runEcsTask)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(33904);
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

// EXTERNAL MODULE: ./shared/src/deadline.ts
var src_deadline = __webpack_require__(3887);
// EXTERNAL MODULE: ./shared/src/log.ts
var log = __webpack_require__(27901);
// EXTERNAL MODULE: ./shared/src/sleep.ts
var sleep = __webpack_require__(48640);
;// CONCATENATED MODULE: ./actions/migrate/src/ecs-logs.ts
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

// EXTERNAL MODULE: ./actions/migrate/src/log-tail.ts + 1 modules
var log_tail = __webpack_require__(96397);
;// CONCATENATED MODULE: ./actions/migrate/src/ecs-task.ts







async function runEcsTask(inputs, signal) {
    const startedAt = Date.now();
    const [ecsSdk, logsSdk] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(212)]).then(__webpack_require__.t.bind(__webpack_require__, 80212, 19)),
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(303)]).then(__webpack_require__.t.bind(__webpack_require__, 70303, 19)),
    ]);
    const config = awsClientConfig({ region: inputs.region });
    const ecs = new ecsSdk.ECSClient(config);
    let cloudwatch;
    try {
        const definition = await call('DescribeTaskDefinition', () => ecs.send(new ecsSdk.DescribeTaskDefinitionCommand({ taskDefinition: inputs.taskDefinition }), {
            abortSignal: signal,
        }));
        const containers = definition.taskDefinition?.containerDefinitions ?? [];
        const container = chooseContainer(containers, inputs);
        const task = await runTask(ecsSdk, ecs, inputs, container.name, definition.taskDefinition?.taskDefinitionArn, signal);
        const taskArn = task.taskArn;
        const where = `task ${taskArn} of ${definition.taskDefinition?.family}:${definition.taskDefinition?.revision} on cluster ${inputs.cluster}`;
        log/* info */.pq(`Started ${where}${inputs.command ? `: ${inputs.command.join(' ')}` : ''}.`);
        const tail = new log_tail/* LogTail */.J();
        const stream = awslogsStream(container, taskArn, config.region);
        // The log group may live in another region than the cluster (awslogs-region).
        if (stream)
            cloudwatch = new logsSdk.CloudWatchLogsClient({ ...config, region: stream.region ?? config.region });
        const logs = stream && cloudwatch ? new TaskLogs(cloudwatch, logsSdk.GetLogEventsCommand, stream, tail) : undefined;
        if (!stream)
            log/* info */.pq(`Container ${container.name} does not log with awslogs: its output cannot be shown here.`);
        const ending = await waitForStop(ecsSdk, ecs, inputs, taskArn, logs, signal);
        await logs
            ?.poll()
            .catch((error) => log/* warning */.$e(`Could not read the task's log: ${String(error)}`));
        return {
            mode: 'ecs-task',
            where,
            id: taskArn,
            command: inputs.command,
            ...('stopped' in ending
                ? verdict(ending.stopped, container.name, taskArn, inputs)
                : { exitCode: undefined, failure: ending.failure }),
            tail,
            durationMs: Date.now() - startedAt,
        };
    }
    finally {
        ecs.destroy();
        cloudwatch?.destroy();
    }
}
async function call(operation, fn) {
    try {
        return await fn();
    }
    catch (error) {
        throw awsActionError(operation, error);
    }
}
function chooseContainer(containers, inputs) {
    const names = containers.map((container) => container.name).join(', ');
    if (inputs.container !== undefined) {
        const found = containers.find((container) => container.name === inputs.container);
        if (!found) {
            throw new errors/* ConfigurationError */.j1(`Input "container" is "${inputs.container}", which is not a container of task definition ${inputs.taskDefinition}: it has ${names || 'none'}.`, { input: 'container' });
        }
        return found;
    }
    if (containers.length === 1)
        return containers[0];
    throw new errors/* ConfigurationError */.j1(`Task definition ${inputs.taskDefinition} has ${containers.length} containers (${names}): input "container" must say which one runs the migration.`, { input: 'container' });
}
async function runTask(sdk, ecs, inputs, container, taskDefinitionArn, signal) {
    const answer = await call('RunTask', () => ecs.send(new sdk.RunTaskCommand({
        cluster: inputs.cluster,
        // The revision just described, so a registration meanwhile cannot change what runs.
        taskDefinition: taskDefinitionArn ?? inputs.taskDefinition,
        count: 1,
        launchType: inputs.launchType,
        startedBy: 'gantry-migrate',
        ...(inputs.network && {
            networkConfiguration: {
                awsvpcConfiguration: {
                    subnets: inputs.network.subnets,
                    ...(inputs.network.securityGroups.length > 0 && {
                        securityGroups: inputs.network.securityGroups,
                    }),
                    assignPublicIp: inputs.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
                },
            },
        }),
        ...(inputs.command && {
            overrides: { containerOverrides: [{ name: container, command: inputs.command }] },
        }),
    }), { abortSignal: signal }));
    const task = answer.tasks?.[0];
    if (!task?.taskArn) {
        const failure = answer.failures?.[0];
        throw new errors/* ActionError */.lZ(`RunTask started no task on cluster ${inputs.cluster}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`);
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
async function waitForStop(sdk, ecs, inputs, taskArn, logs, signal) {
    const deadline = new src_deadline/* Deadline */.B(inputs.timeoutMs, `ECS task ${taskArn} to stop`);
    const status = { last: 'PROVISIONING' };
    /** Stops the task, saying how that went: the failure message is written either way. */
    const stop = async (reason) => {
        try {
            await call('StopTask', () => ecs.send(new sdk.StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason })));
            return 'has been stopped';
        }
        catch (error) {
            return `could not be stopped (${(0,errors/* errorMessage */.gJ)(error)})`;
        }
    };
    try {
        const stopped = await pollUntilStopped(sdk, ecs, inputs, taskArn, logs, deadline, status, signal);
        if (stopped)
            return { stopped };
        const outcome = await stop('gantry migrate: timeout');
        return { failure: deadline.error(`the task was ${status.last}, and ${outcome}`).message };
    }
    catch (error) {
        if (!signal.aborted)
            throw error;
        // A cancelled job must not leave the migration running unwatched.
        const outcome = await stop('gantry migrate: the workflow run was cancelled');
        return {
            failure: `The run was cancelled while task ${taskArn.split('/').at(-1)} was ${status.last}: it ${outcome}.`,
        };
    }
}
/** The stopped task, or undefined at the deadline. */
async function pollUntilStopped(sdk, ecs, inputs, taskArn, logs, deadline, status, signal) {
    for (;;) {
        const answer = await call('DescribeTasks', () => ecs.send(new sdk.DescribeTasksCommand({ cluster: inputs.cluster, tasks: [taskArn] }), {
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
        await (0,sleep/* sleep */.yy)(Math.min(inputs.pollIntervalMs, deadline.remaining()), signal);
    }
}
function verdict(task, container, taskArn, inputs) {
    const state = task.containers?.find((entry) => entry.name === container);
    const exitCode = state?.exitCode;
    const taskId = taskArn.split('/').at(-1);
    if (task.stopCode === 'TaskFailedToStart') {
        const reason = [...new Set([task.stoppedReason, state?.reason].filter(Boolean))].join('; ');
        return {
            exitCode,
            failure: `Migration task ${taskId} on cluster ${inputs.cluster} failed to start: ${reason || 'no reason given'}.`,
        };
    }
    if (exitCode === 0)
        return { exitCode, failure: undefined };
    if (exitCode === undefined || exitCode === null) {
        return {
            exitCode: undefined,
            failure: `Migration task ${taskId} stopped before container ${container} ran to the end: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${state?.reason ? ` (${state.reason})` : ''}.`,
        };
    }
    return {
        exitCode,
        failure: `Migration task ${taskId} failed: container ${container} exited with code ${exitCode}.`,
    };
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
