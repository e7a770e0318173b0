export const id = 826;
export const ids = [826];
export const modules = {

/***/ 3826:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollBackEcs: () => (/* binding */ rollBackEcs)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
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

// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
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
    const name = awsErrorName(cause);
    if (name !== undefined && THROTTLING.has(name))
        return { transient: true, reason: `throttled (${name})` };
    const status = cause?.$metadata
        ?.httpStatusCode;
    if (status !== undefined && status >= 500)
        return { transient: true, reason: `server error ${status} (${name})` };
    return { transient: false };
}

// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __webpack_require__(2874);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var sleep = __webpack_require__(3701);
;// CONCATENATED MODULE: ./shared/src/ecs/deployment-tracker.ts





const TERMINAL = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);
const ROLLING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
/** Polls without a service deployment before the service is judged by its deployments alone. */
const LIST_ATTEMPTS = 3;
/** Clock skew allowed between this runner and ECS when matching creation times. */
const SKEW_MS = 5000;
/**
 * Ours is the one whose target service revision is our ECS deployment (both carry the same number:
 * `ecs-svc/123` targets `service-revision/<cluster>/<service>/123`); failing that, the first one
 * created since our update (anything created after it replaced it).
 */
function ownServiceDeployment(listed, options) {
    const number = options.deploymentId?.split('/').at(-1);
    const byRevision = listed.find((entry) => number && entry.targetServiceRevisionArn?.endsWith(`/${number}`));
    if (byRevision)
        return byRevision;
    return listed
        .filter((entry) => (entry.createdAt?.getTime() ?? 0) >= options.since.getTime())
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
}
class DeploymentTracker {
    ecs;
    options;
    retrying;
    arn;
    legacy = false;
    listAttempts = 0;
    lastStatus = 'PENDING';
    lastStage;
    failure;
    stages = [];
    primaryTaskDefinition;
    constructor(ecs, options) {
        this.ecs = ecs;
        this.options = options;
        this.retrying = { deadline: options.deadline, signal: options.signal };
        this.arn = options.serviceDeploymentArn;
    }
    /** What is known so far: read after a cancellation, when `track` did not return. */
    get serviceDeploymentArn() {
        return this.arn;
    }
    get inFlight() {
        return !TERMINAL.has(this.lastStatus);
    }
    async track() {
        const { deadline, signal, pollIntervalMs } = this.options;
        for (;;) {
            const deployment = await this.readServiceDeployment();
            const service = await this.describeService();
            await this.options.activity.observe(this.ecs, this.options.cluster, service, signal);
            const verdict = this.judge(deployment, service);
            if (verdict?.verdict === 'failed' && this.options.activity.stoppedTasks.length === 0) {
                await this.options.activity.readStoppedTasks(this.ecs, this.options.cluster, this.options.service, signal);
            }
            if (verdict)
                return verdict;
            if (deadline.remaining() <= 0) {
                return this.result('timed-out', deadline.error(`our deployment was ${this.describeState()}`).message);
            }
            await (0,sleep/* sleep */.yy)(Math.min(pollIntervalMs, deadline.remaining()), signal);
        }
    }
    async readServiceDeployment() {
        if (this.legacy)
            return undefined;
        const { cluster, service, signal } = this.options;
        if (this.arn === undefined) {
            try {
                const listed = await ecsCall('ListServiceDeployments', () => this.ecs.client.send(new this.ecs.sdk.ListServiceDeploymentsCommand({
                    cluster,
                    service,
                    createdAt: { after: new Date(this.options.since.getTime() - SKEW_MS) },
                }), { abortSignal: signal }), this.retrying);
                const ours = ownServiceDeployment(listed.serviceDeployments ?? [], this.options);
                if (ours?.serviceDeploymentArn) {
                    this.arn = ours.serviceDeploymentArn;
                    log/* info */.pq(`Tracking service deployment ${this.arn}.`);
                }
                else if (++this.listAttempts >= LIST_ATTEMPTS) {
                    this.useDeployments('no service deployment was created by the update');
                }
            }
            catch (error) {
                const name = awsErrorName(error.cause);
                if (name !== 'InvalidParameterException' && name !== 'UnknownOperationException')
                    throw error;
                this.useDeployments(`ListServiceDeployments is not available (${name})`);
            }
            return undefined;
        }
        const arn = this.arn;
        const described = await ecsCall('DescribeServiceDeployments', () => this.ecs.client.send(new this.ecs.sdk.DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal: signal }), this.retrying);
        const deployment = described.serviceDeployments?.[0];
        if (!deployment) {
            throw new errors/* ActionError */.lZ(`DescribeServiceDeployments does not know ${arn}: ${described.failures?.[0]?.reason ?? 'no reason given'}.`);
        }
        return deployment;
    }
    useDeployments(why) {
        this.legacy = true;
        log/* info */.pq(`Judging the deployment by the service's deployments: ${why}.`);
    }
    async describeService() {
        const { cluster, service, signal } = this.options;
        const answer = await ecsCall('DescribeServices', () => this.ecs.client.send(new this.ecs.sdk.DescribeServicesCommand({ cluster, services: [service] }), {
            abortSignal: signal,
        }), this.retrying);
        const found = answer.services?.[0];
        if (!found)
            throw new errors/* ActionError */.lZ(`Service ${service} disappeared from cluster ${cluster} during the deployment.`);
        return found;
    }
    judge(deployment, service) {
        const deployments = service.deployments ?? [];
        const primary = deployments.find((entry) => entry.status === 'PRIMARY');
        this.primaryTaskDefinition = primary?.taskDefinition;
        const ours = deployments.find((entry) => entry.id === this.options.deploymentId);
        if (deployment)
            return this.judgeServiceDeployment(deployment, ours);
        if (this.legacy)
            return this.judgeDeployments(ours, primary, deployments);
        return undefined;
    }
    judgeServiceDeployment(deployment, ours) {
        const status = deployment.status ?? 'PENDING';
        if (status !== this.lastStatus) {
            log/* info */.pq(`Service deployment is ${status}${deployment.statusReason ? `: ${deployment.statusReason.replace(/\.$/, '')}` : ''}.`);
            this.lastStatus = status;
        }
        const stage = deployment.lifecycleStage;
        if (stage && stage !== this.lastStage) {
            this.lastStage = stage;
            this.stages.push(stage);
            log/* info */.pq(`Lifecycle stage: ${stage}.`);
        }
        const reason = deployment.rollback?.reason ?? deployment.statusReason;
        if (this.options.expect === 'rollback') {
            if (status === 'ROLLBACK_SUCCESSFUL')
                return this.result('succeeded', reason);
            if (status === 'ROLLBACK_FAILED' || status === 'STOPPED' || status === 'SUCCESSFUL') {
                return this.result('failed', `the rollback ended ${status}${reason ? `: ${reason}` : ''}`);
            }
            return undefined;
        }
        if (status === 'SUCCESSFUL')
            return this.result('succeeded', undefined);
        if (ROLLING_BACK.has(status)) {
            this.noteFailure(`ECS is rolling it back: ${reason ?? status}`);
            return undefined;
        }
        if (status === 'ROLLBACK_SUCCESSFUL') {
            return this.result('failed', `ECS rolled it back${reason ? `: ${reason}` : ''}`, true);
        }
        if (status === 'ROLLBACK_FAILED')
            return this.result('failed', `ECS could not roll it back${reason ? `: ${reason}` : ''}`);
        if (status === 'STOPPED')
            return this.result('failed', `it was stopped${reason ? `: ${reason}` : ''}`);
        if (ours?.rolloutState === 'FAILED' && status !== 'STOP_REQUESTED') {
            return this.result('failed', ours.rolloutStateReason ?? 'its rollout failed');
        }
        return undefined;
    }
    judgeDeployments(ours, primary, deployments) {
        const state = ours?.rolloutState ?? (ours ? 'IN_PROGRESS' : 'REPLACED');
        if (state !== this.lastStatus) {
            log/* info */.pq(`Deployment ${this.options.deploymentId} is ${state}${ours?.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}.`);
            this.lastStatus = state;
        }
        if (ours && ours === primary) {
            if (ours.rolloutState === 'COMPLETED')
                return this.result('succeeded', undefined);
            if (ours.rolloutState === undefined &&
                deployments.length === 1 &&
                ours.runningCount === ours.desiredCount) {
                return this.result('succeeded', undefined);
            }
        }
        if (ours?.rolloutState === 'FAILED' || (this.failure && ours !== primary)) {
            this.noteFailure(ours?.rolloutStateReason ?? 'its rollout failed');
            // The circuit breaker's rollback made another deployment PRIMARY: watch it to the end.
            if (primary && primary !== ours && primary.rolloutState !== 'COMPLETED')
                return undefined;
            const back = primary !== undefined && primary !== ours;
            return this.result('failed', this.failure, back);
        }
        if (!ours)
            return this.result('failed', 'another deployment replaced it');
        return undefined;
    }
    noteFailure(reason) {
        if (this.failure !== undefined)
            return;
        this.failure = reason;
        log/* info */.pq(`Our deployment failed: ${reason}. Watching until ECS finishes with it.`);
    }
    describeState() {
        return `${this.lastStatus}${this.lastStage ? ` (stage ${this.lastStage})` : ''}`;
    }
    result(verdict, reason, rolledBackByEcs = false) {
        const failure = this.failure && reason !== this.failure ? `${this.failure}; ${reason}` : reason;
        return {
            verdict,
            state: this.lastStatus,
            reason: verdict === 'failed' ? failure : reason,
            serviceDeploymentArn: this.arn,
            rolledBackByEcs,
            // Only a service deployment that has not ended can be stopped with a rollback.
            inFlight: verdict !== 'succeeded' && this.arn !== undefined && !TERMINAL.has(this.lastStatus),
            serviceTaskDefinition: this.primaryTaskDefinition,
            stages: this.stages,
        };
    }
}

;// CONCATENATED MODULE: ./shared/src/ecs/service-activity.ts


class ServiceActivity {
    events = [];
    stoppedTasks = [];
    seenEvents = new Set();
    seenTasks = new Set();
    failedTasks = new Map();
    since;
    constructor(since) {
        this.since = since.getTime();
    }
    /** The service as DescribeServices returned it: prints new events, and stopped tasks when there are new failures. */
    async observe(ecs, cluster, service, signal) {
        this.printEvents(service.events ?? []);
        if (this.failuresRose(service.deployments ?? [])) {
            await this.readStoppedTasks(ecs, cluster, service.serviceName, signal);
        }
    }
    printEvents(events) {
        // DescribeServices lists the newest first; print in the order they happened.
        const fresh = events.filter((event) => event.id && !this.seenEvents.has(event.id) && (event.createdAt?.getTime() ?? 0) >= this.since - 1000);
        for (const event of events)
            if (event.id)
                this.seenEvents.add(event.id);
        for (const event of fresh.reverse()) {
            const line = `${event.createdAt?.toISOString() ?? ''} ${event.message ?? ''}`.trim();
            this.events.push(line);
            log/* info */.pq(`event: ${line}`);
        }
    }
    failuresRose(deployments) {
        let rose = false;
        for (const deployment of deployments) {
            const id = deployment.id ?? '';
            const failed = deployment.failedTasks ?? 0;
            // A deployment seen for the first time counts from 0: the stopped tasks are filtered by time.
            if (failed > (this.failedTasks.get(id) ?? 0))
                rose = true;
            this.failedTasks.set(id, failed);
        }
        return rose;
    }
    /**
     * Reads the tasks stopped since the deployment began: on failures seen rising, and once more when
     * the deployment failed, since a failed deployment ECS rolled back between two polls leaves no
     * failure count behind.
     */
    async readStoppedTasks(ecs, cluster, service, signal) {
        const listed = await ecsCall('ListTasks', () => ecs.client.send(new ecs.sdk.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }), { abortSignal: signal }));
        const arns = (listed.taskArns ?? []).filter((arn) => !this.seenTasks.has(arn)).slice(0, 100);
        if (arns.length === 0)
            return;
        const described = await ecsCall('DescribeTasks', () => ecs.client.send(new ecs.sdk.DescribeTasksCommand({ cluster, tasks: arns }), { abortSignal: signal }));
        for (const task of described.tasks ?? []) {
            if (!task.taskArn || (task.createdAt?.getTime() ?? 0) < this.since - 1000) {
                if (task.taskArn)
                    this.seenTasks.add(task.taskArn);
                continue;
            }
            this.seenTasks.add(task.taskArn);
            const stopped = {
                taskArn: task.taskArn,
                taskDefinitionArn: task.taskDefinitionArn,
                stoppedReason: task.stoppedReason ?? task.stopCode ?? 'no reason given',
                containers: (task.containers ?? []).map((container) => `${container.name} ${container.exitCode === undefined || container.exitCode === null ? 'did not exit' : `exited ${container.exitCode}`}${container.reason && container.reason !== task.stoppedReason ? ` (${container.reason})` : ''}`),
            };
            this.stoppedTasks.push(stopped);
            log/* info */.pq(`stopped task ${task.taskArn.split('/').at(-1)}: ${stopped.stoppedReason}${stopped.containers.length > 0 ? `; ${stopped.containers.join('; ')}` : ''}`);
        }
    }
}

;// CONCATENATED MODULE: ./shared/src/ecs/rollback.ts






async function rollBackService(ecs, request) {
    const since = new Date();
    const activity = new ServiceActivity(since);
    const started = await startRollback(ecs, request);
    if (!request.wait)
        return { how: started.how, tracked: undefined, activity };
    const tracker = new DeploymentTracker(ecs, {
        cluster: request.cluster,
        service: request.service,
        since,
        deploymentId: started.deploymentId,
        ...(started.how === 'stop-with-rollback' && { serviceDeploymentArn: request.serviceDeploymentArn }),
        expect: started.how === 'stop-with-rollback' ? 'rollback' : 'deploy',
        pollIntervalMs: request.pollIntervalMs,
        deadline: new async_deadline/* Deadline */.B(request.timeoutMs, `the rollback of service ${request.service} to finish`),
        signal: request.signal,
        activity,
    });
    return { how: started.how, tracked: await tracker.track(), activity };
}
async function startRollback(ecs, request) {
    const arn = request.serviceDeploymentArn;
    if (request.inFlight && arn !== undefined) {
        try {
            await ecsCall('StopServiceDeployment', () => ecs.client.send(new ecs.sdk.StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })));
            log/* info */.pq(`Rolling back: stopped service deployment ${arn} with ROLLBACK.`);
            return { how: 'stop-with-rollback', deploymentId: undefined };
        }
        catch (error) {
            // It may have ended meanwhile: updating back to the previous revision still works.
            log/* info */.pq(`StopServiceDeployment did not take (${(0,errors/* errorMessage */.gJ)(error)}); updating the service back instead.`);
        }
    }
    const answer = await ecsCall('UpdateService', () => ecs.client.send(new ecs.sdk.UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.previousTaskDefinition,
    })));
    const primary = answer.service?.deployments?.find((entry) => entry.status === 'PRIMARY');
    log/* info */.pq(`Rolling back: updated service ${request.service} back to ${request.previousTaskDefinition}.`);
    return { how: 'update-to-previous', deploymentId: primary?.id };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./shared/src/ecs/task-definitions.ts




/** What DescribeTaskDefinition returns that RegisterTaskDefinition refuses or ignores. */
const READ_ONLY_FIELDS = (/* unused pure expression or super */ null && ([
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
]));
function registrable(definition) {
    const copy = { ...definition };
    for (const field of READ_ONLY_FIELDS)
        delete copy[field];
    return copy;
}
/** `family`, `family:revision` or an ARN; undefined when it does not exist (ClientException). */
async function describeTaskDefinition(ecs, reference, signal) {
    try {
        const raw = await sendRaw(ecs, new ecs.sdk.DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }), undefined, signal);
        const taskDefinition = raw.taskDefinition;
        if (!isObject(taskDefinition))
            throw new errors/* ActionError */.lZ(`DescribeTaskDefinition returned no task definition for ${reference}.`);
        return {
            taskDefinition,
            tags: Array.isArray(raw.tags) ? raw.tags : [],
        };
    }
    catch (error) {
        if (awsErrorName(error.cause) === 'ClientException')
            return undefined;
        throw error;
    }
}
async function registerTaskDefinition(ecs, definition, tags, signal) {
    const body = { ...registrable(definition), ...(tags.length > 0 && { tags }) };
    // The modelled part goes through the command as usual; the raw body replaces what it serialised.
    const command = new ecs.sdk.RegisterTaskDefinitionCommand(body);
    const raw = await sendRaw(ecs, command, JSON.stringify(body), signal);
    if (!isObject(raw.taskDefinition))
        throw new ActionError('RegisterTaskDefinition returned no task definition.');
    return raw.taskDefinition;
}
/** Sends `command` with `body` as its request body (when given) and returns the raw response JSON. */
async function sendRaw(ecs, command, body, signal) {
    const operation = command.constructor.name.replace(/Command$/, '');
    const stack = command.middlewareStack;
    if (body !== undefined) {
        stack.addRelativeTo((next) => async (args) => {
            args.request.body = body;
            return next(args);
        }, { relation: 'after', toMiddleware: 'serializerMiddleware', name: 'gantryRawJsonRequest' });
    }
    let text;
    stack.addRelativeTo((next) => async (args) => {
        const result = await next(args);
        const response = result.response;
        if (response.statusCode !== undefined && response.statusCode < 300 && response.body) {
            const bytes = await readAll(response.body);
            text = bytes.toString('utf8');
            // The deserialiser still reads the body: it gets the same bytes.
            response.body = external_node_stream_.Readable.from([bytes]);
        }
        return result;
    }, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'gantryRawJsonResponse' });
    await ecsCall(operation, () => ecs.client.send(command, { abortSignal: signal }));
    if (text === undefined)
        throw new errors/* ActionError */.lZ(`${operation} returned no body.`);
    const parsed = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
}
async function readAll(stream) {
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// EXTERNAL MODULE: ./shared/src/github/deployment-payload.ts
var deployment_payload = __webpack_require__(5615);
// EXTERNAL MODULE: ./shared/src/github/deployment-records.ts
var deployment_records = __webpack_require__(499);
// EXTERNAL MODULE: ./shared/src/github/run-context.ts
var run_context = __webpack_require__(6448);
// EXTERNAL MODULE: ./shared/src/runner/outputs.ts
var outputs = __webpack_require__(5652);
// EXTERNAL MODULE: ./actions/rollback/src/records.ts + 1 modules
var src_records = __webpack_require__(8416);
// EXTERNAL MODULE: ./actions/rollback/src/ecs/task-definition-ref.ts
var task_definition_ref = __webpack_require__(1569);
;// CONCATENATED MODULE: ./actions/rollback/src/ecs/choose-target.ts



const RECORDS_CHECKED = 10;
async function chooseTaskDefinition(ecs, service, wanted, records, history, signal) {
    const available = () => history.successful.length === 0
        ? 'none'
        : history.successful
            .map((arn) => (0,task_definition_ref/* revisionOf */.DT)(arn))
            .sort((a, b) => a - b)
            .join(', ');
    if (wanted.recorded)
        return {
            taskDefinition: await existing(ecs, wanted.recorded, wanted.recorded, available, signal),
            why: 'recorded by the deployment',
        };
    if (wanted.ref) {
        const ref = wanted.ref;
        const text = ref.kind === 'arn'
            ? ref.arn
            : ref.kind === 'family-revision'
                ? `${ref.family}:${ref.revision}`
                : `${(0,task_definition_ref/* familyOf */.Ap)(service.current)}:${ref.revision}`;
        const label = ref.kind === 'revision' ? `revision ${ref.revision}` : text;
        return { taskDefinition: await existing(ecs, text, label, available, signal), why: 'asked for' };
    }
    const fromRecords = await fromRecordsOf(service, records);
    if (fromRecords)
        return fromRecords;
    const previous = history.successful.find((arn) => arn !== service.current);
    if (!previous) {
        throw new errors/* ActionError */.lZ(`Cannot roll back service ${service.service}: no previous revision: no successful deployment ran another task definition than ${(0,task_definition_ref/* shortName */.EU)(service.current)} (available: ${available()}).`);
    }
    return { taskDefinition: previous, why: "the newest successful one in the service's deployment history" };
}
async function existing(ecs, reference, label, available, signal) {
    const described = await describeTaskDefinition(ecs, reference, signal);
    const arn = described?.taskDefinition.taskDefinitionArn;
    if (typeof arn !== 'string')
        throw new errors/* ActionError */.lZ(`Cannot roll back: ${label} not found (available: ${available()}).`);
    return arn;
}
async function fromRecordsOf(service, records) {
    if (!records.history)
        return undefined;
    const candidates = records.listed
        .filter((record) => record.payload?.ecs?.cluster === service.cluster &&
        record.payload.ecs.service === service.service &&
        record.payload.ecs.task_definition !== service.current)
        .slice(0, RECORDS_CHECKED);
    for (const record of candidates) {
        // Earlier successes are inactive by now: a record counts if it ever reached success.
        if ((await records.history.states(record.id)).includes('success')) {
            return {
                taskDefinition: record.payload?.ecs?.task_definition,
                why: `recorded by deployment ${record.id}`,
            };
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
;// CONCATENATED MODULE: ./actions/rollback/src/ecs/report.ts



function ecsOutputs(rollback, deploymentId) {
    return {
        'restored-revision': rollback.target,
        'replaced-revision': rollback.current,
        images: [...new Set(Object.values(rollback.images))].join('\n'),
        'deployment-id': deploymentId === undefined ? '' : String(deploymentId),
    };
}
function ecsSummary(facts) {
    const { rollback } = facts;
    const summary = new runner_summary/* JobSummary */.c3().heading(`rollback${facts.dryRun ? ' (dry run)' : ''}: ECS service ${rollback.service}`);
    const lead = facts.dryRun
        ? 'Nothing was changed: this is what a rollback would restore.'
        : facts.failure
            ? `**Failed.** ${(0,runner_summary/* escapeInline */.VV)(facts.failure)}`
            : `Rolled back in ${(0,duration/* formatDuration */.a)(facts.durationMs)}.`;
    const record = facts.deploymentId === undefined ? '' : ` Recorded as deployment ${facts.deploymentId}.`;
    const codeDeploy = rollback.codeDeploy
        ? ` Deployed by CodeDeploy (${(0,runner_summary/* escapeInline */.VV)(rollback.codeDeploy)}).`
        : '';
    summary.paragraph(`${lead} Cluster ${(0,runner_summary/* escapeInline */.VV)(rollback.cluster)}.${codeDeploy}${record}`);
    const state = (arn, images) => [(0,task_definition_ref/* shortName */.EU)(arn), ...Object.entries(images).map(([name, image]) => `${name}: ${image}`)].join('\n');
    const how = rollback.how === 'codedeploy-stop'
        ? `CodeDeploy deployment ${rollback.codeDeployDeployment} stopped with auto rollback`
        : rollback.how === 'codedeploy-deployment'
            ? `rolled back by CodeDeploy deployment ${rollback.codeDeployDeployment}`
            : rollback.how === 'stop-with-rollback'
                ? 'deployment in flight stopped with ROLLBACK'
                : rollback.how === 'update-to-previous'
                    ? 'service updated back'
                    : facts.dryRun
                        ? plannedChange(rollback)
                        : 'already there: nothing to do';
    summary.table(['Service', 'Before', 'After', 'Result'], [
        [
            rollback.service,
            state(rollback.current, rollback.imagesBefore),
            state(rollback.target, rollback.images),
            `${how}${rollback.tracked ? `; ${rollback.tracked.state}` : ''}`,
        ],
    ]);
    return summary;
}
function plannedChange(rollback) {
    if (rollback.codeDeploy) {
        return rollback.inFlight
            ? `would stop CodeDeploy deployment ${rollback.inFlight} with auto rollback`
            : `would create a CodeDeploy deployment of ${(0,task_definition_ref/* shortName */.EU)(rollback.target)}`;
    }
    return rollback.inFlight
        ? 'would stop the deployment in flight with ROLLBACK'
        : `would update the service to ${(0,task_definition_ref/* shortName */.EU)(rollback.target)}`;
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/client.ts

async function createCodeDeploy(region) {
    const sdk = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(507)]).then(__webpack_require__.t.bind(__webpack_require__, 7507, 19));
    const config = awsClientConfig({ region });
    const client = new sdk.CodeDeployClient(config);
    const writer = new sdk.CodeDeployClient({ ...config, maxAttempts: 1 });
    return {
        sdk,
        client,
        writer,
        region: config.region,
        destroy: () => {
            client.destroy();
            writer.destroy();
        },
    };
}
/**
 * CodeDeploy's errors and throttling are those of every AWS JSON API, so its calls go through ECS's
 * wrapper: the error named by its operation, reads retried on throttling and server errors, writes
 * (with `classify: classifyThrottling`) only when throttled.
 */

/** The AWS error code behind an ActionError from codeDeployCall (`DeploymentAlreadyCompletedException`). */
function errorCode(error) {
    return awsErrorName(error.cause);
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/target.ts



/** The statuses of a deployment that has not ended. */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const READ_DEADLINE_MS = 60_000;
function defaultApplication(cluster, service) {
    return `AppECS-${shortName(cluster)}-${shortName(service)}`;
}
function defaultGroup(cluster, service) {
    return `DgpECS-${shortName(cluster)}-${shortName(service)}`;
}
function shortName(nameOrArn) {
    return nameOrArn.split('/').at(-1) ?? nameOrArn;
}
async function resolveTarget(cd, request, signal) {
    const application = request.application ?? defaultApplication(request.cluster, request.service);
    const group = request.group ?? defaultGroup(request.cluster, request.service);
    const deadline = new async_deadline/* Deadline */.B(READ_DEADLINE_MS, `CodeDeploy group ${application}/${group}`);
    let info;
    try {
        const answer = await ecsCall('GetDeploymentGroup', () => cd.client.send(new cd.sdk.GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }), {
            abortSignal: signal,
        }), { deadline, signal });
        info = answer.deploymentGroupInfo;
    }
    catch (error) {
        const code = errorCode(error);
        if (code === 'ApplicationDoesNotExistException') {
            throw new errors/* ActionError */.lZ(`CodeDeploy application ${application} does not exist in ${cd.region}${request.application ? '' : ' (the default name for this service)'}: nothing was registered or changed.`, {
                hint: 'set codedeploy-application to the application of the service, or create it (computePlatform ECS)',
            });
        }
        if (code === 'DeploymentGroupDoesNotExistException') {
            throw new errors/* ActionError */.lZ(`CodeDeploy deployment group ${group} does not exist in application ${application}${request.group ? '' : ' (the default name for this service)'}: nothing was registered or changed.`, { hint: 'set codedeploy-deployment-group to the blue/green deployment group of the service' });
        }
        throw error;
    }
    const services = info?.ecsServices ?? [];
    const serves = services.some((entry) => shortName(entry.serviceName ?? '') === shortName(request.service) &&
        shortName(entry.clusterName ?? '') === shortName(request.cluster));
    if (!serves) {
        const listed = services.map((entry) => `${entry.clusterName}/${entry.serviceName}`).join(', ') || 'none';
        throw new errors/* ActionError */.lZ(`CodeDeploy deployment group ${application}/${group} deploys ${listed}, not ${shortName(request.cluster)}/${shortName(request.service)}: nothing was registered or changed.`, { hint: 'set codedeploy-application and codedeploy-deployment-group to the ones of this service' });
    }
    return { application, group, info: info };
}
/** The group's deployments that have not ended, the newest first. */
async function activeDeployments(cd, target, signal) {
    return listDeployments(cd, target, { includeOnlyStatuses: [...ACTIVE_STATUSES] }, signal);
}
/** The newest deployments of the group, whatever their status (the first page: enough to find the last one). */
async function recentDeployments(cd, target, signal) {
    // BatchGetDeployments takes at most 25 ids.
    return listDeployments(cd, target, { most: 25 }, signal);
}
async function listDeployments(cd, target, { includeOnlyStatuses, most }, signal) {
    const deadline = new async_deadline/* Deadline */.B(READ_DEADLINE_MS, `the deployments of ${target.application}/${target.group}`);
    const listed = await ecsCall('ListDeployments', () => cd.client.send(new cd.sdk.ListDeploymentsCommand({
        applicationName: target.application,
        deploymentGroupName: target.group,
        includeOnlyStatuses,
    }), { abortSignal: signal }), { deadline, signal });
    return describeDeployments(cd, (listed.deployments ?? []).slice(0, most), deadline, signal);
}
async function describeDeployments(cd, ids, deadline, signal) {
    if (ids.length === 0)
        return [];
    const answer = await ecsCall('BatchGetDeployments', () => cd.client.send(new cd.sdk.BatchGetDeploymentsCommand({ deploymentIds: ids }), { abortSignal: signal }), { deadline, signal });
    // ListDeployments' order is not documented: sort by creation time, newest first.
    return (answer.deploymentsInfo ?? []).toSorted((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/src/codedeploy/revision.ts


/** The revision of CreateDeployment: the AppSpec with the task definition filled in, as JSON, and its SHA-256. */
function appSpecRevision(appSpec, taskDefinitionArn) {
    const document = structuredClone(appSpec);
    const target = document.Resources[0];
    target.TargetService.Properties.TaskDefinition = taskDefinitionArn;
    const content = JSON.stringify(document);
    return {
        revisionType: 'AppSpecContent',
        appSpecContent: { content, sha256: (0,external_node_crypto_.createHash)('sha256').update(content).digest('hex') },
    };
}
/**
 * The AppSpec a deployment deployed, from GetApplicationRevision by the SHA-256 GetDeployment gives;
 * undefined when the deployment's revision is not AppSpecContent or CodeDeploy no longer has it.
 */
async function deployedAppSpec(cd, info, deadline, signal) {
    const sha256 = info.revision?.appSpecContent?.sha256;
    if (info.revision?.revisionType !== 'AppSpecContent' || !sha256 || !info.applicationName)
        return undefined;
    const applicationName = info.applicationName;
    let content;
    try {
        const answer = await ecsCall('GetApplicationRevision', () => cd.client.send(new cd.sdk.GetApplicationRevisionCommand({
            applicationName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256 } },
        }), { abortSignal: signal }), { deadline, signal });
        content = answer.revision?.appSpecContent?.content;
    }
    catch (error) {
        if (errorCode(error) === 'RevisionDoesNotExistException')
            return undefined;
        throw error;
    }
    const document = content === undefined ? undefined : await parseDocument(content);
    if (!document)
        return undefined;
    return { document, taskDefinition: taskDefinitionOf(document) };
}
/** JSON as Gantry sends it; YAML (a deployment made elsewhere) with the parser loaded only then. */
async function parseDocument(content) {
    let parsed;
    try {
        parsed = JSON.parse(content);
    }
    catch {
        try {
            const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
            parsed = parse(content);
        }
        catch {
            return undefined;
        }
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? parsed
        : undefined;
}
function taskDefinitionOf(document) {
    const resources = document.Resources;
    const arn = Array.isArray(resources) ? resources[0]?.TargetService?.Properties?.TaskDefinition : undefined;
    return typeof arn === 'string' ? arn : undefined;
}

;// CONCATENATED MODULE: ./actions/rollback/src/ecs/codedeploy-history.ts



const codedeploy_history_READ_DEADLINE_MS = 60_000;
async function readCodeDeployHistory(cd, target, serviceTaskDefinition, signal) {
    const deadline = new async_deadline/* Deadline */.B(codedeploy_history_READ_DEADLINE_MS, `the AppSpecs of ${target.application}/${target.group}`);
    const bySha = new Map();
    const appSpecOf = (info) => {
        const sha = info.revision?.appSpecContent?.sha256 ?? info.deploymentId ?? '';
        let found = bySha.get(sha);
        if (!found) {
            found = deployedAppSpec(cd, info, deadline, signal);
            bySha.set(sha, found);
        }
        return found;
    };
    const deployments = await recentDeployments(cd, target, signal);
    const active = deployments.find((info) => ACTIVE_STATUSES.includes(info.status ?? ''));
    const succeeded = [];
    for (const info of deployments.filter((entry) => entry.status === 'Succeeded')) {
        const appSpec = await appSpecOf(info);
        if (appSpec?.taskDefinition)
            succeeded.push(appSpec);
    }
    return {
        successful: [...new Set(succeeded.map((appSpec) => appSpec.taskDefinition))],
        inFlight: active
            ? {
                deploymentId: active.deploymentId,
                status: active.status,
                taskDefinition: (await appSpecOf(active))?.taskDefinition,
                trafficMoved: active.instanceTerminationWaitTimeStarted === true,
                isRollback: active.creator === 'codeDeployRollback',
            }
            : undefined,
        live: succeeded.find((appSpec) => appSpec.taskDefinition === serviceTaskDefinition) ?? succeeded[0],
    };
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/continue.ts


/** ContinueDeployment, repeated only when throttled; a deployment that moved on meanwhile is a notice. */
async function continueDeployment(cd, deploymentId, deploymentWaitType, deadline, signal) {
    try {
        await ecsCall('ContinueDeployment', () => cd.writer.send(new cd.sdk.ContinueDeploymentCommand({ deploymentId, deploymentWaitType }), {
            abortSignal: signal,
        }), { deadline, signal, classify: classifyThrottling });
    }
    catch (error) {
        const code = errorCode(error);
        if (code === 'DeploymentAlreadyCompletedException' || code === 'DeploymentIsNotInReadyStateException') {
            log/* notice */.lm(`ContinueDeployment ${deploymentWaitType}: ${code}; following the deployment as it is.`);
            return;
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/create.ts






/**
 * CreateDeployment is not idempotent, and a 5xx, a dropped connection or a timeout leaves it unknown
 * whether the deployment was created. So, after such a failure, Gantry looks for a deployment of the
 * group created since it started whose AppSpec has our SHA-256, and follows it when there is one;
 * only when there is none does it send the request again. CodeDeploy allows one deployment in flight
 * per group, so even a deployment created late cannot be doubled: the repeat is refused with
 * DeploymentLimitExceededException, after which the search runs once more. Throttling is retried
 * plainly: a throttled request did nothing.
 */
const create_SKEW_MS = 5000;
const create_THROTTLING = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
]);
async function createDeployment(cd, request, target, deadline, signal) {
    const since = Date.now() - create_SKEW_MS;
    const sha256 = request.revision?.appSpecContent?.sha256;
    let unknownOutcome = false;
    const ours = async () => {
        const active = await activeDeployments(cd, target, signal);
        return active.find((info) => (info.createTime?.getTime() ?? 0) >= since && info.revision?.appSpecContent?.sha256 === sha256)?.deploymentId;
    };
    return (0,retry/* retry */.L5)(async () => {
        try {
            const answer = await ecsCall('CreateDeployment', () => cd.writer.send(new cd.sdk.CreateDeploymentCommand(request), { abortSignal: signal }));
            if (!answer.deploymentId)
                throw new errors/* ActionError */.lZ('CreateDeployment returned no deploymentId.');
            return answer.deploymentId;
        }
        catch (error) {
            const cause = error.cause;
            if (create_THROTTLING.has(awsErrorName(cause) ?? ''))
                throw error;
            const ambiguous = cause !== undefined && !hasClientStatus(cause);
            if (ambiguous || (unknownOutcome && errorCode(error) === 'DeploymentLimitExceededException')) {
                unknownOutcome = true;
                const found = await ours();
                if (found) {
                    log/* warning */.$e(`${error.message.split('\n')[0]} — but deployment ${found} with this AppSpec exists: following it.`);
                    return found;
                }
            }
            throw error;
        }
    }, {
        what: 'CreateDeployment',
        deadline,
        signal,
        classify: (error) => classify(error),
        onRetry: ({ attempt, delayMs, reason }) => log/* warning */.$e(`CreateDeployment: ${reason}; no deployment of ours exists, so it is sent again in ${Math.round(delayMs)} ms (attempt ${attempt + 1}).`),
    });
}
/** The request was answered with a 4xx: it was refused, and nothing was created. */
function hasClientStatus(cause) {
    const status = cause?.$metadata
        ?.httpStatusCode;
    return status !== undefined && status < 500;
}
function classify(error) {
    const cause = error.cause;
    const name = awsErrorName(cause);
    if (create_THROTTLING.has(name ?? ''))
        return { transient: true, reason: `throttled (${name})` };
    if (cause !== undefined && !hasClientStatus(cause))
        return { transient: true, reason: `${name ?? 'no answer'} (the deployment was not created)` };
    return { transient: false };
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/ecs-service-appspec.ts
/**
 * The AppSpec of an ECS service with no file to start from: the container and port its load balancer
 * sends traffic to; the task definition is filled in per deployment (`appSpecRevision`).
 */
function ecsServiceAppSpec(container) {
    return {
        version: 0.0,
        Resources: [
            {
                TargetService: {
                    Type: 'AWS::ECS::Service',
                    Properties: {
                        TaskDefinition: '',
                        LoadBalancerInfo: { ContainerName: container.name, ContainerPort: container.port },
                    },
                },
            },
        ],
        ...(container.hooks !== undefined && container.hooks.length > 0 && { Hooks: container.hooks }),
    };
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/watch.ts




const ENDED = new Set(['Succeeded', 'Failed', 'Stopped']);
const EVENT_ENDED = new Set(['Succeeded', 'Failed', 'Skipped']);
function phaseOf(info) {
    return `${info.status}/${info.instanceTerminationWaitTimeStarted === true}`;
}
class DeploymentWatch {
    events = [];
    seen = new Map();
    targetIds;
    lastTarget;
    /** The status (and termination wait) when the target was last read. */
    targetReadAt;
    cd;
    options;
    constructor(cd, options) {
        this.cd = cd;
        this.options = options;
    }
    /** Polls until `reached(info)`, an end (Failed, Stopped, or Succeeded without reaching) or the deadline. */
    async until(reached, what) {
        const { deadline, signal, pollIntervalMs } = this.options;
        let info = {};
        try {
            for (;;) {
                info = await this.poll();
                if (reached(info))
                    return this.result('reached', info, undefined);
                if (info.status === 'Failed')
                    return this.result('failed', info, this.failureReason(info));
                if (info.status === 'Stopped')
                    return this.result('stopped', info, this.failureReason(info));
                if (ENDED.has(info.status ?? ''))
                    return this.result('reached', info, undefined);
                if (deadline.remaining() <= 0)
                    break;
                await (0,sleep/* sleep */.yy)(Math.min(pollIntervalMs, deadline.remaining()), signal);
            }
        }
        catch (error) {
            // A call or a retry that fails once the deadline has passed ends the wait as a timeout.
            if (signal.aborted || !(error instanceof errors/* DeadlineExceededError */.Kt || deadline.expired()))
                throw error;
        }
        return this.result('timed-out', info, deadline.error(`deployment ${this.options.deploymentId} to ${what}; it was ${info.status ?? 'unknown'}`)
            .message);
    }
    async poll() {
        const { deploymentId, deadline, signal } = this.options;
        // The job's signal, not one per poll from deadline.signal(): each of those would add a listener
        // to the job's signal for the whole wait. A hung call is bounded by the SDK's request timeout.
        const retrying = { deadline, signal };
        const { deploymentInfo } = await ecsCall('GetDeployment', () => this.cd.client.send(new this.cd.sdk.GetDeploymentCommand({ deploymentId }), {
            abortSignal: retrying.signal,
        }), retrying);
        const info = deploymentInfo ?? {};
        if (info.status !== 'Created' && info.status !== 'Queued' && !this.eventsSettled(info)) {
            await this.pollTarget(retrying);
            this.targetReadAt = phaseOf(info);
        }
        return info;
    }
    /** No lifecycle event can have changed since the last read of the target (see the header). */
    eventsSettled(info) {
        if (this.lastTarget === undefined || this.targetReadAt !== phaseOf(info))
            return false;
        const waiting = info.status === 'Ready' || info.instanceTerminationWaitTimeStarted === true;
        const ended = (this.lastTarget.lifecycleEvents ?? []).every((event) => EVENT_ENDED.has(event.status ?? ''));
        return waiting || ended;
    }
    async pollTarget(retrying) {
        const { deploymentId } = this.options;
        this.targetIds ??= (await ecsCall('ListDeploymentTargets', () => this.cd.client.send(new this.cd.sdk.ListDeploymentTargetsCommand({ deploymentId }), {
            abortSignal: retrying.signal,
        }), retrying)).targetIds;
        if (!this.targetIds || this.targetIds.length === 0) {
            this.targetIds = undefined;
            return;
        }
        const ids = this.targetIds;
        const { deploymentTargets } = await ecsCall('BatchGetDeploymentTargets', () => this.cd.client.send(new this.cd.sdk.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids }), {
            abortSignal: retrying.signal,
        }), retrying);
        const target = deploymentTargets?.find((entry) => entry.ecsTarget)?.ecsTarget;
        if (!target)
            return;
        this.lastTarget = target;
        for (const event of target.lifecycleEvents ?? [])
            this.notice(event);
    }
    notice(event) {
        const name = event.lifecycleEventName ?? '?';
        const status = event.status ?? 'Unknown';
        if (status === 'Pending' || this.seen.get(name) === status)
            return;
        this.seen.set(name, status);
        const line = `${name}: ${status}${status === 'Failed' ? ` (${diagnosticsOf(event)})` : ''}`;
        this.events.push(line);
        log/* info */.pq(`CodeDeploy ${this.options.deploymentId}: ${line}`);
    }
    failureReason(info) {
        const failed = this.lastTarget?.lifecycleEvents?.find((event) => event.status === 'Failed');
        const error = info.errorInformation;
        const parts = [
            failed ? `lifecycle event ${failed.lifecycleEventName} failed (${diagnosticsOf(failed)})` : undefined,
            error ? `${error.code ?? 'error'}: ${error.message ?? ''}`.trim() : undefined,
        ].filter((part) => part !== undefined);
        return parts.length > 0 ? parts.join('; ') : `deployment ${info.status}`;
    }
    result(verdict, info, reason) {
        return { verdict, info, reason, events: this.events };
    }
}
function diagnosticsOf(event) {
    const diagnostics = event.diagnostics;
    if (!diagnostics)
        return 'no diagnostics';
    return [diagnostics.errorCode, diagnostics.message, diagnostics.logTail?.trim()].filter(Boolean).join(': ');
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/stop.ts




async function stopWithRollback(cd, deploymentId, options) {
    const deadline = new async_deadline/* Deadline */.B(options.timeoutMs, `deployment ${deploymentId} to stop and roll back`);
    try {
        await ecsCall('StopDeployment', () => cd.writer.send(new cd.sdk.StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }), {
            abortSignal: options.signal,
        }), { deadline, signal: options.signal, classify: classifyThrottling });
        log/* info */.pq(`Stopped CodeDeploy deployment ${deploymentId} with auto rollback.`);
    }
    catch (error) {
        // Ended meanwhile (failed and rolled back, or succeeded): what it became is read below.
        if (errorCode(error) !== 'DeploymentAlreadyCompletedException')
            throw error;
        log/* info */.pq(`CodeDeploy deployment ${deploymentId} had already ended.`);
    }
    if (!options.wait) {
        return {
            restored: false,
            status: 'Stopping',
            rollbackDeploymentId: undefined,
            detail: 'stop requested',
            events: [],
        };
    }
    const watch = new DeploymentWatch(cd, {
        deploymentId,
        pollIntervalMs: options.pollIntervalMs,
        deadline,
        signal: options.signal,
    });
    const stopped = await watch.until((info) => info.status === 'Stopped' || info.status === 'Failed' || info.status === 'Succeeded', 'stop');
    const status = stopped.info.status ?? 'unknown';
    if (stopped.verdict === 'timed-out') {
        return {
            restored: false,
            status,
            rollbackDeploymentId: undefined,
            detail: stopped.reason ?? 'timed out',
            events: stopped.events,
        };
    }
    if (status === 'Succeeded') {
        return {
            restored: false,
            status,
            rollbackDeploymentId: undefined,
            detail: 'it had already succeeded',
            events: stopped.events,
        };
    }
    return {
        ...(await waitForRollback(cd, stopped.info.rollbackInfo?.rollbackDeploymentId, deadline, options)),
        status,
        events: stopped.events,
    };
}
/** The rollback deployment CodeDeploy started for a stopped or failed deployment, to its end. */
async function waitForRollback(cd, rollbackDeploymentId, deadline, options) {
    if (!rollbackDeploymentId) {
        return { restored: false, rollbackDeploymentId, detail: 'CodeDeploy started no rollback deployment' };
    }
    log/* info */.pq(`Waiting for rollback deployment ${rollbackDeploymentId}: the original task set serves again when it succeeds.`);
    const watch = new DeploymentWatch(cd, {
        deploymentId: rollbackDeploymentId,
        pollIntervalMs: options.pollIntervalMs,
        deadline,
        signal: options.signal,
    });
    const result = await watch.until((info) => info.status === 'Succeeded', 'finish the rollback');
    return {
        restored: result.verdict === 'reached',
        rollbackDeploymentId,
        detail: result.verdict === 'reached'
            ? `rollback deployment ${rollbackDeploymentId} succeeded`
            : `rollback deployment ${rollbackDeploymentId} ${result.verdict}: ${result.reason ?? result.info.status}`,
    };
}

;// CONCATENATED MODULE: ./actions/rollback/src/ecs/codedeploy-restore.ts










async function stopInFlight(cd, inFlight, options) {
    const { deploymentId } = inFlight;
    const how = 'codedeploy-stop';
    if (inFlight.isRollback) {
        log/* info */.pq(`CodeDeploy is already rolling back with deployment ${deploymentId}: waiting for it.`);
        if (!options.wait)
            return { how, deploymentId, tracked: undefined };
        const deadline = new async_deadline/* Deadline */.B(options.timeoutMs, `rollback deployment ${deploymentId}`);
        const rollback = await waitForRollback(cd, deploymentId, deadline, options);
        return {
            how,
            deploymentId,
            tracked: {
                verdict: rollback.restored ? 'succeeded' : 'failed',
                state: rollback.restored ? 'Succeeded' : 'not restored',
                reason: rollback.restored ? undefined : rollback.detail,
            },
        };
    }
    const stopped = await stopWithRollback(cd, deploymentId, options);
    if (!options.wait)
        return { how, deploymentId, tracked: undefined };
    // Stopped before the traffic shift and no rollback deployment: production never left the original task set.
    const restored = stopped.restored ||
        (stopped.status === 'Stopped' && !inFlight.trafficMoved && stopped.rollbackDeploymentId === undefined);
    return {
        how,
        deploymentId,
        tracked: {
            verdict: restored ? 'succeeded' : 'failed',
            state: stopped.status,
            reason: restored ? undefined : stopped.detail,
        },
    };
}
async function deployPrevious(cd, target, appSpec, taskDefinition, options) {
    const withoutHooks = { ...appSpec };
    delete withoutHooks.Hooks;
    const deadline = new async_deadline/* Deadline */.B(options.timeoutMs, `the CodeDeploy rollback of service ${options.service}`);
    const deploymentId = await createDeployment(cd, {
        applicationName: target.application,
        deploymentGroupName: target.group,
        revision: appSpecRevision(withoutHooks, taskDefinition),
        description: `Gantry rollback of service ${options.service} to ${(0,task_definition_ref/* shortName */.EU)(taskDefinition)}`,
    }, target, deadline, options.signal);
    log/* info */.pq(`Rolling back: created CodeDeploy deployment ${deploymentId} of ${(0,task_definition_ref/* shortName */.EU)(taskDefinition)} (${target.application}/${target.group}): https://console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${cd.region}`);
    const how = 'codedeploy-deployment';
    if (!options.wait)
        return { how, deploymentId, tracked: undefined };
    const watch = new DeploymentWatch(cd, {
        deploymentId,
        pollIntervalMs: options.pollIntervalMs,
        deadline,
        signal: options.signal,
    });
    const what = 'shift production traffic back';
    let result = await watch.until((info) => info.status === 'Ready' || trafficMoved(info), what);
    if (result.verdict === 'reached' && result.info.status === 'Ready') {
        await continueDeployment(cd, deploymentId, 'READY_WAIT', deadline, options.signal);
        log/* info */.pq(`Deployment ${deploymentId} was Ready: continued, production traffic moves back.`);
        result = await watch.until(trafficMoved, what);
    }
    return { how, deploymentId, tracked: tracked(result) };
}
/** The AppSpec to reuse: the live one, else one built from the service's load balancer. */
function rollbackAppSpec(live, loadBalancer, where) {
    if (live)
        return live.document;
    if (loadBalancer?.containerName && loadBalancer.containerPort) {
        return ecsServiceAppSpec({ name: loadBalancer.containerName, port: loadBalancer.containerPort });
    }
    throw new errors/* ActionError */.lZ(`Cannot roll back through CodeDeploy: no succeeded deployment of ${where} has an AppSpec to reuse, and the service names no load balancer container and port.`);
}
function trafficMoved(info) {
    return info.status === 'Succeeded' || info.instanceTerminationWaitTimeStarted === true;
}
function tracked(result) {
    const status = result.info.status ?? 'unknown';
    const state = status === 'InProgress' && result.info.instanceTerminationWaitTimeStarted
        ? 'InProgress (traffic shifted; termination wait)'
        : status;
    if (result.verdict === 'reached')
        return { verdict: 'succeeded', state, reason: undefined };
    return {
        verdict: result.verdict === 'timed-out' ? 'timed-out' : 'failed',
        state,
        reason: result.reason,
    };
}

;// CONCATENATED MODULE: ./actions/rollback/src/ecs/service-history.ts

const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);
/** DescribeServiceRevisions takes at most 20 ARNs. */
const REVISIONS_PER_CALL = 20;
async function readServiceHistory(ecs, cluster, service, signal) {
    const { serviceDeployments = [] } = await ecsCall('ListServiceDeployments', () => ecs.client.send(new ecs.sdk.ListServiceDeploymentsCommand({ cluster, service, maxResults: 100 }), {
        abortSignal: signal,
    }));
    const newestFirst = [...serviceDeployments].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    const succeeded = newestFirst.filter((entry) => entry.status === 'SUCCESSFUL' && entry.targetServiceRevisionArn);
    const arns = [...new Set(succeeded.map((entry) => entry.targetServiceRevisionArn))];
    const taskDefinitions = new Map();
    for (let start = 0; start < arns.length; start += REVISIONS_PER_CALL) {
        const { serviceRevisions = [] } = await ecsCall('DescribeServiceRevisions', () => ecs.client.send(new ecs.sdk.DescribeServiceRevisionsCommand({
            serviceRevisionArns: arns.slice(start, start + REVISIONS_PER_CALL),
        }), { abortSignal: signal }));
        for (const revision of serviceRevisions) {
            if (revision.serviceRevisionArn && revision.taskDefinition) {
                taskDefinitions.set(revision.serviceRevisionArn, revision.taskDefinition);
            }
        }
    }
    const successful = [
        ...new Set(succeeded.flatMap((entry) => taskDefinitions.get(entry.targetServiceRevisionArn) ?? [])),
    ];
    return { successful, inFlight: newestFirst.find((entry) => IN_FLIGHT.has(entry.status ?? '')) };
}

;// CONCATENATED MODULE: ./actions/rollback/src/ecs/codedeploy-run.ts








async function prepareCodeDeployRollback(ecs, inputs, service, cluster, signal) {
    const serviceName = service.serviceName;
    const cd = await createCodeDeploy(inputs.ecs?.region);
    try {
        const target = await resolveTarget(cd, {
            application: inputs.ecs?.codedeployApplication,
            group: inputs.ecs?.codedeployGroup,
            cluster,
            service: serviceName,
        }, signal);
        const where = `${target.application}/${target.group}`;
        const history = await readCodeDeployHistory(cd, target, service.taskDefinition, signal);
        const inFlight = history.inFlight;
        log/* info */.pq(`Service ${serviceName} is deployed by CodeDeploy (${where}), which refuses UpdateService: the rollback goes through CodeDeploy.`);
        const balancer = service.loadBalancers?.[0];
        // Without a deployment to stop, the AppSpec is settled now, before anything changes.
        const appSpec = inFlight ? undefined : rollbackAppSpec(history.live, balancer, where);
        const options = {
            service: serviceName,
            pollIntervalMs: inputs.ecs?.pollIntervalMs ?? 5000,
            timeoutMs: inputs.timeoutMs,
            wait: inputs.wait,
            signal,
        };
        const serving = service.taskDefinition;
        const current = inFlight && !inFlight.isRollback && inFlight.taskDefinition ? inFlight.taskDefinition : serving;
        return {
            current,
            // While a deployment is in flight, the task definition serving production has run: it counts.
            // After the group's history, what ECS recorded (the task definition the service was created
            // with, which no CodeDeploy deployment made), where ECS keeps service deployments for it.
            successful: [
                ...new Set([
                    ...(current === serving ? [] : [serving]),
                    ...history.successful,
                    ...(await ecsRecorded(ecs, cluster, serviceName, signal)),
                ]),
            ],
            inFlight: inFlight?.deploymentId,
            where,
            restore: async (taskDefinition, readServiceTaskDefinition) => {
                if (inFlight) {
                    const stopped = await stopInFlight(cd, inFlight, options);
                    if (!inputs.wait || stopped.tracked?.verdict !== 'succeeded')
                        return stopped;
                    const landedOn = await readServiceTaskDefinition();
                    if (landedOn === taskDefinition)
                        return stopped;
                    log/* info */.pq(`CodeDeploy returned service ${serviceName} to ${(0,task_definition_ref/* shortName */.EU)(landedOn)}; deploying ${(0,task_definition_ref/* shortName */.EU)(taskDefinition)} through CodeDeploy.`);
                }
                const document = appSpec ?? rollbackAppSpec(history.live, balancer, where);
                return deployPrevious(cd, target, document, taskDefinition, options);
            },
            destroy: () => cd.destroy(),
        };
    }
    catch (error) {
        cd.destroy();
        throw error;
    }
}
/** The service's successful ECS service deployments; none where ECS keeps none for a CODE_DEPLOY service. */
async function ecsRecorded(ecs, cluster, service, signal) {
    try {
        return (await readServiceHistory(ecs, cluster, service, signal)).successful;
    }
    catch (error) {
        log/* info */.pq(`ECS lists no service deployments for service ${service} (${(0,errors/* errorMessage */.gJ)(error)}): the deployment group's history alone counts.`);
        return [];
    }
}

;// CONCATENATED MODULE: ./actions/rollback/src/ecs/run.ts















/**
 * The ECS rollback: the service's current task definition and history -> the target (dry run
 * stops here) -> record -> a deployment in flight stopped with ROLLBACK, else the service updated
 * back, both waited for with deploy-ecs's tracker (`rollBackService` of the core) -> report. A
 * CODE_DEPLOY service refuses UpdateService: its history comes from its CodeDeploy deployment group
 * and the rollback goes through CodeDeploy (codedeploy-run.ts).
 */
async function rollBackEcs(inputs, records, { signal, startedAt }) {
    const recorded = records.source?.payload.ecs;
    const cluster = recorded?.cluster ?? inputs.ecs?.cluster;
    const serviceName = recorded?.service ?? inputs.ecs?.service;
    if (!cluster || !serviceName)
        throw new errors/* ActionError */.lZ('ECS rollback needs a cluster and a service.');
    const ecs = await createEcs(inputs.ecs?.region);
    const service = await describeService(ecs, cluster, serviceName, signal);
    const codeDeploy = service.deploymentController?.type === 'CODE_DEPLOY'
        ? await prepareCodeDeployRollback(ecs, inputs, service, cluster, signal)
        : undefined;
    try {
        const history = codeDeploy ? undefined : await readServiceHistory(ecs, cluster, serviceName, signal);
        const current = codeDeploy?.current ?? service.taskDefinition;
        const target = await chooseTaskDefinition(ecs, { cluster, service: serviceName, current }, {
            ref: inputs.ecs?.toTaskDefinition,
            recorded: inputs.source.kind === 'from-deployment' ? recorded?.task_definition : undefined,
        }, records, codeDeploy ?? history, signal);
        const rollback = {
            cluster,
            service: serviceName,
            current,
            target: target.taskDefinition,
            imagesBefore: await imagesOf(ecs, current, signal),
            images: await imagesOf(ecs, target.taskDefinition, signal),
            inFlight: codeDeploy ? codeDeploy.inFlight : history?.inFlight?.serviceDeploymentArn,
            codeDeploy: codeDeploy?.where,
        };
        await rollBack(inputs, records, { ecs, codeDeploy, rollback, why: target.why }, { signal, startedAt });
    }
    finally {
        codeDeploy?.destroy();
    }
}
async function rollBack(inputs, records, { ecs, codeDeploy, rollback, why, }, { signal, startedAt }) {
    const { cluster, service: serviceName, current, images } = rollback;
    const target = { taskDefinition: rollback.target, why };
    const stopping = rollback.inFlight
        ? codeDeploy
            ? `; CodeDeploy deployment ${rollback.inFlight} in flight is stopped with auto rollback`
            : `; deployment ${rollback.inFlight} in flight is stopped with ROLLBACK`
        : codeDeploy
            ? '; through a new CodeDeploy deployment'
            : '';
    const nothingToDo = current === target.taskDefinition && !rollback.inFlight;
    log/* info */.pq(nothingToDo
        ? `Service ${serviceName} already runs ${(0,task_definition_ref/* shortName */.EU)(current)}; nothing to do.`
        : `Service ${serviceName}: ${(0,task_definition_ref/* shortName */.EU)(current)} -> ${(0,task_definition_ref/* shortName */.EU)(target.taskDefinition)} (${target.why})${stopping}.`);
    if (inputs.dryRun) {
        (0,outputs/* setOutputs */.n)(ecsOutputs(rollback, undefined));
        await ecsSummary({ rollback, dryRun: true, durationMs: Date.now() - startedAt }).write();
        return;
    }
    const replaced = (0,src_records/* rollbackOf */.ID)(records);
    const record = await (0,deployment_records/* deploymentRecords */.y)({
        enabled: records.recordable && !nothingToDo,
        token: inputs.token,
        environment: records.environment,
        environmentUrl: inputs.environmentUrl,
        transient: inputs.transientEnvironment,
        production: inputs.productionEnvironment,
    }, { warning: (m) => log/* warning */.$e(m), notice: (m) => log/* notice */.lm(m), info: (m) => log/* info */.pq(m), signal }).start({
        ref: inputs.source.kind === 'from-deployment'
            ? records.source?.sha
            : records.listed.find((entry) => entry.payload?.ecs?.task_definition === target.taskDefinition)?.sha,
        description: `Rollback${replaced === undefined ? '' : ` of deployment ${replaced}`}: service ${serviceName} to ${(0,task_definition_ref/* shortName */.EU)(target.taskDefinition)}`,
        payload: (0,deployment_payload/* releasePayload */.Y3)({
            action: 'rollback',
            ecs: {
                cluster,
                service: serviceName,
                task_definition: target.taskDefinition,
                previous_task_definition: current,
            },
            images: Object.values(images),
            runUrl: (0,run_context/* readRunContext */.$)()?.runUrl,
            rollbackOf: replaced,
        }),
    });
    let failure;
    if (!nothingToDo) {
        const result = codeDeploy
            ? await codeDeploy.restore(rollback.target, async () => (await describeService(ecs, cluster, serviceName, signal)).taskDefinition)
            : await restore(ecs, inputs, rollback, signal);
        rollback.how = result.how;
        rollback.tracked = result.tracked;
        if ('deploymentId' in result)
            rollback.codeDeployDeployment = result.deploymentId;
        if (inputs.wait && result.tracked?.verdict !== 'succeeded') {
            failure = `The rollback of service ${serviceName} did not finish: ${result.tracked?.verdict ?? 'not tracked'} (${result.tracked?.state ?? ''}${result.tracked?.reason ? `: ${result.tracked.reason}` : ''}).`;
            log/* error */.z3(failure, { title: `Rollback of service ${serviceName} failed` });
        }
    }
    (0,outputs/* setOutputs */.n)(ecsOutputs(rollback, record.id));
    await record.finish(failure ? 'failure' : 'success', failure ?? `Restored service ${serviceName} to ${(0,task_definition_ref/* shortName */.EU)(target.taskDefinition)}`);
    await ecsSummary({
        rollback,
        dryRun: false,
        durationMs: Date.now() - startedAt,
        failure,
        deploymentId: record.id,
    }).write();
    if (failure)
        throw new errors/* ReportedFailure */.g7(failure);
}
/** Stop the deployment in flight with ROLLBACK; if that leaves the service elsewhere than the target, update it there. */
async function restore(ecs, inputs, rollback, signal) {
    const request = {
        cluster: rollback.cluster,
        service: rollback.service,
        previousTaskDefinition: rollback.target,
        pollIntervalMs: inputs.ecs?.pollIntervalMs ?? 5000,
        timeoutMs: inputs.timeoutMs,
        wait: inputs.wait,
        signal,
    };
    const first = await rollBackService(ecs, {
        ...request,
        serviceDeploymentArn: rollback.inFlight,
        inFlight: rollback.inFlight !== undefined,
    });
    const landedOn = first.tracked?.serviceTaskDefinition;
    if (first.how !== 'stop-with-rollback' || !inputs.wait || landedOn === rollback.target)
        return first;
    log/* info */.pq(`ECS returned service ${rollback.service} to ${(0,task_definition_ref/* shortName */.EU)(landedOn ?? 'unknown')}; updating it to ${(0,task_definition_ref/* shortName */.EU)(rollback.target)}.`);
    return rollBackService(ecs, { ...request, serviceDeploymentArn: undefined, inFlight: false });
}
async function describeService(ecs, cluster, service, signal) {
    const { services = [] } = await ecsCall('DescribeServices', () => ecs.client.send(new ecs.sdk.DescribeServicesCommand({ cluster, services: [service] }), {
        abortSignal: signal,
    }));
    const found = services.find((entry) => entry.status !== 'INACTIVE');
    if (!found?.taskDefinition)
        throw new errors/* ActionError */.lZ(`Cannot roll back service ${service}: it does not exist in cluster ${cluster}.`);
    return found;
}
async function imagesOf(ecs, taskDefinition, signal) {
    const described = await describeTaskDefinition(ecs, taskDefinition, signal);
    const containers = described?.taskDefinition.containerDefinitions;
    const images = {};
    if (Array.isArray(containers)) {
        for (const container of containers) {
            if (typeof container.name === 'string' && typeof container.image === 'string')
                images[container.name] = container.image;
        }
    }
    return images;
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


/***/ })

};
