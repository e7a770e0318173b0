import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 20:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $m: () => (/* binding */ markCodeDeployInFlight),
/* harmony export */   Mx: () => (/* binding */ markCodeDeployFinished),
/* harmony export */   XA: () => (/* binding */ codeDeployLeftInFlight)
/* harmony export */ });
/* harmony import */ var _shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1169);

const KEY = 'deploy-ecs-codedeploy-in-flight';
function markCodeDeployInFlight(deployment) {
    (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)(KEY, JSON.stringify(deployment));
}
function markCodeDeployFinished() {
    (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)(KEY, '');
}
function codeDeployLeftInFlight() {
    const raw = (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)(KEY);
    return raw ? JSON.parse(raw) : undefined;
}


/***/ }),

/***/ 3709:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9406);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9478);
/* harmony import */ var _post_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(147);



await (0,_shared_src_runner_run_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runActionProcess */ .l)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e, _post_js__WEBPACK_IMPORTED_MODULE_2__/* .post */ .b);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 9478:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/src/ecs/client.ts
var ecs_client = __nccwpck_require__(1646);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
// EXTERNAL MODULE: ./shared/src/aws.ts
var aws = __nccwpck_require__(3526);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __nccwpck_require__(3904);
;// CONCATENATED MODULE: ./shared/src/ecs/task-definitions.ts




/** What DescribeTaskDefinition returns that RegisterTaskDefinition refuses or ignores. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
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
        if ((0,aws/* awsErrorName */.ZH)(error.cause) === 'ClientException')
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
        throw new errors/* ActionError */.lZ('RegisterTaskDefinition returned no task definition.');
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
    await (0,ecs_client/* ecsCall */.EK)(operation, () => ecs.client.send(command, { abortSignal: signal }));
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

// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __nccwpck_require__(5392);
// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __nccwpck_require__(2874);
// EXTERNAL MODULE: ./shared/src/ecs/service-activity.ts
var service_activity = __nccwpck_require__(966);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: ./shared/src/codedeploy/client.ts
var codedeploy_client = __nccwpck_require__(4335);
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
        const answer = await (0,codedeploy_client/* codeDeployCall */.N1)('GetApplicationRevision', () => cd.client.send(new cd.sdk.GetApplicationRevisionCommand({
            applicationName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256 } },
        }), { abortSignal: signal }), { deadline, signal });
        content = answer.revision?.appSpecContent?.content;
    }
    catch (error) {
        if ((0,codedeploy_client/* errorCode */.CA)(error) === 'RevisionDoesNotExistException')
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
            const { parse } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
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

// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __nccwpck_require__(3014);
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
        const answer = await (0,codedeploy_client/* codeDeployCall */.N1)('GetDeploymentGroup', () => cd.client.send(new cd.sdk.GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }), {
            abortSignal: signal,
        }), { deadline, signal });
        info = answer.deploymentGroupInfo;
    }
    catch (error) {
        const code = (0,codedeploy_client/* errorCode */.CA)(error);
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
    const listed = await (0,codedeploy_client/* codeDeployCall */.N1)('ListDeployments', () => cd.client.send(new cd.sdk.ListDeploymentsCommand({
        applicationName: target.application,
        deploymentGroupName: target.group,
        includeOnlyStatuses,
    }), { abortSignal: signal }), { deadline, signal });
    return describeDeployments(cd, (listed.deployments ?? []).slice(0, most), deadline, signal);
}
async function describeDeployments(cd, ids, deadline, signal) {
    if (ids.length === 0)
        return [];
    const answer = await (0,codedeploy_client/* codeDeployCall */.N1)('BatchGetDeployments', () => cd.client.send(new cd.sdk.BatchGetDeploymentsCommand({ deploymentIds: ids }), { abortSignal: signal }), { deadline, signal });
    // ListDeployments' order is not documented: sort by creation time, newest first.
    return (answer.deploymentsInfo ?? []).toSorted((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
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
const SKEW_MS = 5000;
const THROTTLING = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
]);
async function createDeployment(cd, request, target, deadline, signal) {
    const since = Date.now() - SKEW_MS;
    const sha256 = request.revision?.appSpecContent?.sha256;
    let unknownOutcome = false;
    const ours = async () => {
        const active = await activeDeployments(cd, target, signal);
        return active.find((info) => (info.createTime?.getTime() ?? 0) >= since && info.revision?.appSpecContent?.sha256 === sha256)?.deploymentId;
    };
    return (0,retry/* retry */.L5)(async () => {
        try {
            const answer = await (0,codedeploy_client/* codeDeployCall */.N1)('CreateDeployment', () => cd.writer.send(new cd.sdk.CreateDeploymentCommand(request), { abortSignal: signal }));
            if (!answer.deploymentId)
                throw new errors/* ActionError */.lZ('CreateDeployment returned no deploymentId.');
            return answer.deploymentId;
        }
        catch (error) {
            const cause = error.cause;
            if (THROTTLING.has((0,aws/* awsErrorName */.ZH)(cause) ?? ''))
                throw error;
            const ambiguous = cause !== undefined && !hasClientStatus(cause);
            if (ambiguous || (unknownOutcome && (0,codedeploy_client/* errorCode */.CA)(error) === 'DeploymentLimitExceededException')) {
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
    const name = (0,aws/* awsErrorName */.ZH)(cause);
    if (THROTTLING.has(name ?? ''))
        return { transient: true, reason: `throttled (${name})` };
    if (cause !== undefined && !hasClientStatus(cause))
        return { transient: true, reason: `${name ?? 'no answer'} (the deployment was not created)` };
    return { transient: false };
}

// EXTERNAL MODULE: ./actions/deploy-ecs/src/codedeploy/post-state.ts
var post_state = __nccwpck_require__(20);
// EXTERNAL MODULE: ./shared/src/codedeploy/stop.ts
var stop = __nccwpck_require__(2820);
// EXTERNAL MODULE: ./shared/src/codedeploy/watch.ts
var codedeploy_watch = __nccwpck_require__(497);
;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/deploy.ts








async function deployWithCodeDeploy(cd, inputs, plan, previousTaskDefinition, taskDefinitionArn, signal) {
    const since = new Date();
    const { target } = plan;
    const codedeploy = {
        deploymentId: undefined,
        application: target.application,
        group: target.group,
        status: '',
        strategyState: '',
        events: [],
        rollbackDeploymentId: undefined,
    };
    const outcome = {
        deployed: false,
        previousTaskDefinition,
        serviceDeploymentArn: undefined,
        deploymentId: undefined,
        rolloutState: '',
        rolledBack: false,
        failure: undefined,
        durationMs: 0,
        activity: new service_activity/* ServiceActivity */.h(since),
        stages: [],
        rollback: undefined,
        serviceTaskDefinition: previousTaskDefinition,
        cancelled: false,
        codedeploy,
    };
    if (taskDefinitionArn === previousTaskDefinition) {
        // As for an ECS service: the same revision again starts no deployment.
        log/* info */.pq(`Nothing to deploy: service ${inputs.service} already runs ${taskDefinitionArn}.`);
        return outcome;
    }
    const deadline = new async_deadline/* Deadline */.B(inputs.waitMs, `CodeDeploy deployment of service ${inputs.service}`);
    const { codedeploy: cdInputs } = inputs;
    const deploymentId = await createDeployment(cd, {
        applicationName: target.application,
        deploymentGroupName: target.group,
        revision: appSpecRevision(plan.appSpec.document, taskDefinitionArn),
        ...(cdInputs.description !== undefined && { description: cdInputs.description }),
        ...(cdInputs.deploymentConfig !== undefined && { deploymentConfigName: cdInputs.deploymentConfig }),
    }, target, deadline, signal);
    log/* info */.pq(`Created CodeDeploy deployment ${deploymentId} of ${taskDefinitionArn} (${target.application}/${target.group}): https://console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${cd.region}`);
    Object.assign(outcome, { deployed: true, rolloutState: 'Created' });
    Object.assign(codedeploy, { deploymentId, status: 'Created', strategyState: 'pending' });
    if (!inputs.wait)
        return outcome;
    const watch = new codedeploy_watch/* DeploymentWatch */.T(cd, {
        deploymentId,
        pollIntervalMs: inputs.pollIntervalMs,
        deadline,
        signal,
    });
    if (inputs.rollbackOnFailure)
        (0,post_state/* markCodeDeployInFlight */.$m)({ region: cd.region, deploymentId });
    let result;
    try {
        result =
            cdInputs.waitUntil === 'ready'
                ? await watch.until((info) => info.status === 'Ready' || info.status === 'Succeeded', 'wait for traffic rerouting (Ready)')
                : await watch.until((info) => info.status === 'Succeeded', 'succeed');
    }
    catch (error) {
        if (!signal.aborted)
            throw error;
        return cancelled(cd, inputs, outcome, watch.events);
    }
    finally {
        outcome.durationMs = Date.now() - since.getTime();
    }
    (0,post_state/* markCodeDeployFinished */.Mx)();
    codedeploy.events = result.events;
    outcome.stages = result.events;
    return finish(cd, inputs, outcome, result, taskDefinitionArn, deadline, signal);
}
async function finish(cd, inputs, outcome, result, taskDefinitionArn, deadline, signal) {
    const codedeploy = outcome.codedeploy;
    const status = result.info.status ?? 'unknown';
    codedeploy.status = status;
    outcome.rolloutState = status;
    if (result.verdict === 'reached') {
        if (status === 'Succeeded') {
            codedeploy.strategyState = 'promoted';
            outcome.serviceTaskDefinition = taskDefinitionArn;
        }
        else {
            log/* info */.pq(`Deployment ${codedeploy.deploymentId} is Ready: the test listener serves ${taskDefinitionArn}, production traffic is still on ${outcome.previousTaskDefinition ?? 'the original task set'}. Promote (action: promote) or abort (action: abort) it in a later step.`);
        }
        return outcome;
    }
    const what = result.verdict === 'timed-out' ? 'timed out' : result.verdict;
    outcome.failure = `CodeDeploy deployment ${codedeploy.deploymentId} of service ${inputs.service} ${what}: ${result.reason ?? status}`;
    if (result.verdict === 'timed-out') {
        if (!inputs.rollbackOnFailure)
            return outcome;
        const stopped = await (0,stop/* stopWithRollback */.D)(cd, codedeploy.deploymentId, {
            pollIntervalMs: inputs.pollIntervalMs,
            timeoutMs: inputs.waitMs,
            wait: true,
            signal,
        });
        return rolledBack(outcome, stopped.restored, stopped.rollbackDeploymentId, `Gantry stopped it: ${stopped.detail}`, stopped.status);
    }
    const rollback = await (0,stop/* waitForRollback */.L)(cd, result.info.rollbackInfo?.rollbackDeploymentId, rollbackDeadline(deadline, inputs), {
        pollIntervalMs: inputs.pollIntervalMs,
        signal,
    });
    return rolledBack(outcome, rollback.restored, rollback.rollbackDeploymentId, rollback.detail, status);
}
/** The rollback gets what is left of the wait, or the whole wait again when nothing is left. */
function rollbackDeadline(deadline, inputs) {
    return deadline.remaining() > 0
        ? deadline
        : new async_deadline/* Deadline */.B(inputs.waitMs, `the rollback of service ${inputs.service}`);
}
function rolledBack(outcome, restored, rollbackDeploymentId, detail, status) {
    const codedeploy = outcome.codedeploy;
    Object.assign(codedeploy, { rollbackDeploymentId, status });
    outcome.rolloutState = status;
    outcome.rollback = { by: 'codedeploy', outcome: detail };
    outcome.rolledBack = restored;
    if (restored)
        codedeploy.strategyState = 'aborted';
    return outcome;
}
/** A cancelled job has seconds left: ask for the stop with rollback, do not wait for it. */
async function cancelled(cd, inputs, outcome, events) {
    const codedeploy = outcome.codedeploy;
    codedeploy.events = events;
    outcome.cancelled = true;
    outcome.failure = `The run was cancelled while CodeDeploy deployment ${codedeploy.deploymentId} of service ${inputs.service} was in flight`;
    if (!inputs.rollbackOnFailure)
        return outcome;
    (0,post_state/* markCodeDeployFinished */.Mx)();
    await (0,stop/* stopWithRollback */.D)(cd, codedeploy.deploymentId, {
        pollIntervalMs: inputs.pollIntervalMs,
        timeoutMs: 10_000,
        wait: false,
        signal: new AbortController().signal,
    });
    outcome.rollback = { by: 'codedeploy', outcome: 'stop with rollback requested (the job was cancelled)' };
    return outcome;
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/names.ts
/** What CodeDeploy accepts as an application or deployment group name; no imports, so inputs.ts files stay light. */
const CODEDEPLOY_NAME = /^[\w.+@=,-]{1,100}$/;

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
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
        throw new errors/* ConfigurationError */.j1(`Input "${name}" is not valid YAML or JSON: ${reason}.`, { input: name });
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

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/appspec.ts

/**
 * The ECS AppSpec CodeDeploy deploys (CodeDeploy User Guide, "AppSpec File structure for Amazon ECS
 * deployments"): `version: 0.0`, one `Resources` entry `TargetService` of `Type: AWS::ECS::Service`
 * whose `Properties` name the `TaskDefinition` and the `LoadBalancerInfo` (`ContainerName`,
 * `ContainerPort`), optionally `PlatformVersion`, `NetworkConfiguration` and
 * `CapacityProviderStrategy`, and optional `Hooks`: lifecycle events mapped to Lambda functions.
 * Read from a file (JSON or YAML) or built from inputs; Gantry always fills the TaskDefinition in.
 * Pure: no core, no throw; `problem` says what is wrong for inputs.ts to report. The YAML parser is
 * passed in, so the bundle loads it only when an AppSpec file is read.
 */
const HOOK_EVENTS = [
    'BeforeInstall',
    'AfterInstall',
    'AfterAllowTestTraffic',
    'BeforeAllowTraffic',
    'AfterAllowTraffic',
];
const LAMBDA_NAME = /^[a-zA-Z0-9_:.-]{1,140}$/;
function parseAppSpec(text, parseYaml) {
    let parsed;
    try {
        parsed = parseYaml(text);
    }
    catch (error) {
        return { problem: `is not valid JSON or YAML: ${firstLine(error)}` };
    }
    if (!appspec_isRecord(parsed))
        return { problem: 'is not a mapping with "version" and "Resources"' };
    const resources = parsed.Resources;
    if (!Array.isArray(resources) || resources.length !== 1) {
        return { problem: 'needs "Resources" with exactly one entry, TargetService' };
    }
    const target = appspec_isRecord(resources[0]) ? resources[0].TargetService : undefined;
    if (!appspec_isRecord(target) || target.Type !== 'AWS::ECS::Service') {
        return { problem: 'needs Resources[0].TargetService with "Type: AWS::ECS::Service"' };
    }
    const properties = target.Properties;
    const balancer = appspec_isRecord(properties) ? properties.LoadBalancerInfo : undefined;
    if (!appspec_isRecord(properties) || !appspec_isRecord(balancer)) {
        return { problem: 'needs TargetService.Properties with LoadBalancerInfo (ContainerName, ContainerPort)' };
    }
    const port = readPort(balancer.ContainerPort);
    if (typeof balancer.ContainerName !== 'string' || balancer.ContainerName === '' || port === undefined) {
        return {
            problem: 'needs LoadBalancerInfo.ContainerName (a container name) and LoadBalancerInfo.ContainerPort (1 to 65535)',
        };
    }
    const hooks = readHooks(parsed.Hooks);
    if ('problem' in hooks)
        return hooks;
    return { document: parsed, containerName: balancer.ContainerName, containerPort: port, hooks };
}
/** `Hooks: [{BeforeInstall: fn}, ...]`, as the AppSpec lists them. */
function readHooks(value) {
    if (value === undefined || value === null)
        return {};
    if (!Array.isArray(value))
        return { problem: `has "Hooks" that is not a list of {Event: LambdaFunction}` };
    const hooks = {};
    for (const entry of value) {
        if (!appspec_isRecord(entry))
            return { problem: `has a hook that is not {Event: LambdaFunction}` };
        for (const [event, fn] of Object.entries(entry)) {
            const problem = hookProblem(event, fn);
            if (problem)
                return { problem: `has ${problem}` };
            hooks[event] = fn;
        }
    }
    return hooks;
}
/** What is wrong with one `event: function` hook, or undefined. */
function hookProblem(event, fn) {
    if (!HOOK_EVENTS.includes(event)) {
        return `the hook "${event}", which is not one of ${HOOK_EVENTS.join(', ')}`;
    }
    if (typeof fn !== 'string' || !LAMBDA_NAME.test(fn)) {
        return `the hook ${event} whose Lambda function ${JSON.stringify(fn)} is not a function name or ARN`;
    }
    return undefined;
}
/** A port number 1..65535 from a number or a numeric string (AppSpec examples quote it). */
function readPort(value) {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (!/^\d{1,5}$/.test(text))
        return undefined;
    const port = Number(text);
    return port >= 1 && port <= 65535 ? port : undefined;
}
/** The AppSpec Gantry writes when no file is given. */
function buildAppSpec(request) {
    const hooks = HOOK_EVENTS.filter((event) => request.hooks[event] !== undefined).map((event) => ({
        [event]: request.hooks[event],
    }));
    return {
        document: ecsServiceAppSpec({ name: request.containerName, port: request.containerPort, hooks }),
        ...request,
    };
}
function appspec_isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function firstLine(error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/inputs.ts






const ACTIONS = ['deploy', 'promote', 'abort'];
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
const CONFIG = /^[\w.+@=,-]{1,100}$/;
function readAction() {
    return getEnum('action', ACTIONS, 'deploy');
}
async function readCodeDeployInputs(action, containerName) {
    const given = [];
    const optional = (name, pattern, accepted) => {
        const value = getOptionalString(name);
        if (value === undefined)
            return undefined;
        if (pattern && !pattern.test(value))
            throw invalidInput(name, value, accepted);
        given.push(name);
        return value;
    };
    const application = optional('codedeploy-application', CODEDEPLOY_NAME, 'expected a CodeDeploy application name (1 to 100 letters, digits and _ . + @ = , -)');
    const group = optional('codedeploy-deployment-group', CODEDEPLOY_NAME, 'expected a CodeDeploy deployment group name (1 to 100 letters, digits and _ . + @ = , -)');
    const description = optional('codedeploy-deployment-description');
    if (description !== undefined && description.length > 1000) {
        throw invalidInput('codedeploy-deployment-description', description, 'expected at most 1000 characters');
    }
    const deploymentConfig = optional('codedeploy-deployment-config', CONFIG, 'expected a deployment configuration name such as CodeDeployDefault.ECSAllAtOnce or CodeDeployDefault.ECSLinear10PercentEvery1Minutes');
    const appSpecFile = optional('codedeploy-appspec');
    const rawPort = optional('container-port');
    const containerPort = rawPort === undefined ? undefined : readPort(rawPort);
    if (rawPort !== undefined && containerPort === undefined) {
        throw invalidInput('container-port', rawPort, 'expected a port number from 1 to 65535');
    }
    const hooks = inputs_readHooks();
    if (Object.keys(hooks).length > 0)
        given.push('codedeploy-hooks');
    const waitUntilRaw = optional('codedeploy-wait-until');
    const waitUntil = waitUntilRaw === undefined
        ? 'complete'
        : getEnum('codedeploy-wait-until', ['ready', 'complete'], 'complete');
    const deploymentId = optional('codedeploy-deployment-id', DEPLOYMENT_ID, 'expected a CodeDeploy deployment ID like d-A1B2C3D4E (d- and 9 capital letters or digits)');
    if (deploymentId !== undefined && action === 'deploy') {
        throw new errors/* ConfigurationError */.j1('Input "codedeploy-deployment-id" names the deployment to promote or abort: it needs "action: promote" or "action: abort" (a deploy creates its own).', { input: 'codedeploy-deployment-id' });
    }
    let appSpec;
    if (appSpecFile !== undefined) {
        const clash = rawPort !== undefined
            ? 'container-port'
            : Object.keys(hooks).length > 0
                ? 'codedeploy-hooks'
                : undefined;
        if (clash) {
            throw new errors/* ConfigurationError */.j1(`Inputs "codedeploy-appspec" and "${clash}" exclude each other: the AppSpec file states the container port and the hooks.`, { input: clash });
        }
        appSpec = await readAppSpecFile(appSpecFile);
        if (containerName !== undefined && containerName !== appSpec.containerName) {
            throw new errors/* ConfigurationError */.j1(`Input "container-name" is "${containerName}", but the AppSpec ${appSpecFile} routes traffic to container "${appSpec.containerName}" (LoadBalancerInfo.ContainerName).`, { input: 'container-name', hint: 'leave container-name empty, or make the two agree' });
        }
    }
    return {
        application,
        group,
        description,
        deploymentConfig,
        appSpec,
        containerPort,
        hooks,
        waitUntil,
        deploymentId,
        given,
    };
}
/** `codedeploy-hooks`: one `Event=LambdaFunction` per line, for the AppSpec Gantry builds. */
function inputs_readHooks() {
    const entries = getKeyValueMap('codedeploy-hooks', { perLine: true });
    for (const [event, fn] of Object.entries(entries)) {
        const problem = hookProblem(event, fn);
        if (problem) {
            throw invalidInput('codedeploy-hooks', `${event}=${fn}`, `${problem}: expected one Event=LambdaFunction per line`);
        }
    }
    return entries;
}
async function readAppSpecFile(file) {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const resolved = external_node_path_default().resolve(workspace, file);
    let text;
    try {
        if (!(0,external_node_fs_.statSync)(resolved).isFile())
            throw new Error('not a file');
        text = (0,external_node_fs_.readFileSync)(resolved, 'utf8');
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`Input "codedeploy-appspec" is "${file}", which is not a readable file (looked for ${resolved}).`, {
            input: 'codedeploy-appspec',
            hint: 'check the repository out first (actions/checkout), or fix the path',
        });
    }
    const { parse } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
    const result = parseAppSpec(text, parse);
    if ('problem' in result) {
        throw new errors/* ConfigurationError */.j1(`Input "codedeploy-appspec": ${file} ${result.problem}. Expected an ECS AppSpec (JSON or YAML): version 0.0, Resources: [TargetService: {Type: AWS::ECS::Service, Properties: {TaskDefinition, LoadBalancerInfo: {ContainerName, ContainerPort}}}], optional Hooks.`, { input: 'codedeploy-appspec' });
    }
    return result;
}

;// CONCATENATED MODULE: ./shared/src/kubernetes/object.ts
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
function object_isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Reads a nested field without trusting the shape: `field(obj, 'spec', 'template', 'spec')`. */
function object_field(value, ...path) {
    let current = value;
    for (const key of path) {
        if (!object_isRecord(current))
            return undefined;
        current = current[key];
    }
    return current;
}
function numberField(value, ...path) {
    const found = object_field(value, ...path);
    return typeof found === 'number' ? found : undefined;
}
function stringField(value, ...path) {
    const found = object_field(value, ...path);
    return typeof found === 'string' ? found : undefined;
}
/** True when `owner` is the controller (or an owner) of `object` by uid. */
function isOwnedBy(object, ownerUid) {
    if (!ownerUid)
        return false;
    return (object.metadata?.ownerReferences ?? []).some((reference) => reference.uid === ownerUid);
}

;// CONCATENATED MODULE: ./shared/src/github/deployment-payload.ts

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
    if (!object_isRecord(payload) || payload.gantry !== PAYLOAD_VERSION)
        return undefined;
    if (payload.platform === 'kubernetes') {
        const coordinates = payload.kubernetes;
        if (!object_isRecord(coordinates) || !Array.isArray(coordinates.workloads))
            return undefined;
        if (!coordinates.workloads.every(isRecordedWorkload))
            return undefined;
    }
    else if (payload.platform === 'ecs') {
        const ecs = payload.ecs;
        if (!object_isRecord(ecs) || typeof ecs.cluster !== 'string' || typeof ecs.service !== 'string')
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
    return (object_isRecord(value) &&
        (value.kind === 'Deployment' || value.kind === 'StatefulSet' || value.kind === 'DaemonSet') &&
        typeof value.name === 'string' &&
        typeof value.namespace === 'string' &&
        object_isRecord(value.containers) &&
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
        octokit ??= __nccwpck_require__.e(/* import() */ 413).then(__nccwpck_require__.bind(__nccwpck_require__, 2413)).then(({ getOctokit }) => 
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

;// CONCATENATED MODULE: ./shared/src/kubernetes/rollback/rollback-plan.ts

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
    return rollback_plan_semanticEqual(withoutHash(a), withoutHash(b));
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
        { op: 'replace', path: '/spec/template', value: withoutHash(field(replicaSet, 'spec', 'template')) },
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
    const stored = field(revision, 'data', 'spec', 'template');
    if (!isRecord(stored))
        return false;
    const { $patch: _directive, ...template } = stored;
    return rollback_plan_semanticEqual(template, field(workload, 'spec', 'template'));
}
/**
 * apimachinery's semantic equality as it matters here: a missing field, null, an empty map and an
 * empty list are all the same (the API omits empty values; Go compares nil and empty as equal).
 */
function rollback_plan_semanticEqual(a, b) {
    if (isEmpty(a) && isEmpty(b))
        return true;
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((item, index) => rollback_plan_semanticEqual(item, b[index]));
    }
    if (isRecord(a) && isRecord(b)) {
        return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => rollback_plan_semanticEqual(a[key], b[key]));
    }
    return a === b;
}
function isEmpty(value) {
    return (value === undefined ||
        value === null ||
        (Array.isArray(value) && value.length === 0) ||
        (isRecord(value) && Object.keys(value).length === 0));
}
function withoutHash(template) {
    if (!isRecord(template))
        return template;
    const metadata = isRecord(template.metadata) ? template.metadata : {};
    const labels = isRecord(metadata.labels) ? { ...metadata.labels } : undefined;
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
    return field(entry, 'spec', 'template') ?? field(entry, 'data', 'spec', 'template');
}
/** Container name -> image of a pod template, init containers included. */
function templateImages(template) {
    const images = {};
    for (const list of ['initContainers', 'containers']) {
        const containers = field(template, 'spec', list);
        if (!Array.isArray(containers))
            continue;
        for (const container of containers) {
            if (isRecord(container) && typeof container.name === 'string' && typeof container.image === 'string') {
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
        .filter((entry) => rollback_plan_semanticEqual(templateImages(historyTemplate(entry)), images))
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

;// CONCATENATED MODULE: ./shared/src/github/run-context.ts
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

;// CONCATENATED MODULE: ./shared/src/github/deployment-history.ts






const DEFAULT_TIMEOUT_MS = 30_000;
function deploymentHistory(options) {
    const context = readRunContext(options.env);
    if (!context) {
        throw new errors/* ActionError */.lZ('Cannot read deployment records: GITHUB_REPOSITORY is not set (is this a workflow run?).');
    }
    const client = createGitHubClient(options.token, context);
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
        payload: readPayload(deployment.payload),
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
                semanticEqual(workload.containers, wanted.containers))));
    });
}

;// CONCATENATED MODULE: ./shared/src/github/restored-commit.ts


/**
 * The commit of a release a deploy put back after failing (its automatic rollback's record carries
 * it): that of the newest record of the environment that `ran` says ran it. Undefined when none
 * did or GitHub could not say: the run's commit is recorded then, and the record's one warning is
 * left to the writes, so this read only logs.
 */
const LOOKUP_TIMEOUT_MS = 10_000;
async function restoredReleaseCommit(settings, ran, hooks) {
    if (!settings.environment || !settings.token)
        return undefined;
    try {
        const history = deploymentHistory({
            token: settings.token,
            signal: hooks.signal,
            timeoutMs: LOOKUP_TIMEOUT_MS,
        });
        return ran(await history.list(settings.environment))?.sha;
    }
    catch (error) {
        if (hooks.signal.aborted)
            throw error;
        hooks.info(`The restored release's commit is not known (${(0,errors/* errorMessage */.gJ)(error)}): the run's is recorded.`);
        return undefined;
    }
}

// EXTERNAL MODULE: ./shared/src/runner/file-commands.ts
var file_commands = __nccwpck_require__(1169);
;// CONCATENATED MODULE: ./shared/src/runner/outputs.ts


function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
        const text = typeof value === 'string'
            ? value
            : JSON.stringify(value, (_key, inner) => typeof inner === 'string' ? (0,secrets/* redact */.E$)(inner) : inner);
        (0,file_commands/* setOutput */.uH)(name, (0,secrets/* redact */.E$)(text));
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
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
        this.parts.push(`<details><summary>${escapeHtml(summaryText)}</summary>\n\n${body}\n\n</details>`);
        return this;
    }
    code(text, language = '') {
        this.parts.push(fencedCode(text, language));
        return this;
    }
    toMarkdown() {
        return (0,secrets/* redact */.E$)(`${this.parts.join('\n\n')}\n`);
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
    return (0,secrets/* redact */.E$)(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}
function escapeCell(text) {
    return (0,secrets/* redact */.E$)(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeHtml(text) {
    return (0,secrets/* redact */.E$)(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
function fencedCode(text, language = '') {
    // The fence must be longer than any run of backticks in the text, or that run would close it.
    const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}

;// CONCATENATED MODULE: ./shared/src/github/deployment-records.ts





const DEFAULT_PHASE_TIMEOUT_MS = 10_000;
const SWEEP_PAGE_SIZE = 30;
const NOTHING_RECORDED = { id: undefined, finish: async () => undefined };
function deploymentRecords(settings, hooks) {
    if (!settings.enabled)
        return { start: async () => NOTHING_RECORDED };
    const environment = settings.environment;
    const context = readRunContext(hooks.env);
    if (!environment || !context || !settings.token) {
        const missing = !environment
            ? "no environment input was given (the runner does not tell an action its job's environment)"
            : !context
                ? 'GITHUB_REPOSITORY is not set'
                : 'github-token is empty';
        hooks.notice(`No deployment record: ${missing}.`);
        return { start: async () => NOTHING_RECORDED };
    }
    const client = createGitHubClient(settings.token, context);
    let broken = false;
    /** Runs one phase; the first failure becomes the one warning, and every later phase is skipped. */
    const phase = async (what, body) => {
        if (broken)
            return undefined;
        const deadline = new async_deadline/* Deadline */.B(hooks.phaseTimeoutMs ?? DEFAULT_PHASE_TIMEOUT_MS, what);
        try {
            return await body(deadline);
        }
        catch (error) {
            if (hooks.signal?.aborted)
                throw error;
            broken = true;
            hooks.warning(`Deployment record not written (${what}): ${(0,errors/* errorMessage */.gJ)(error)}. The deploy itself is not affected.`);
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
                    description: limitDescription(release.description),
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
        description: limitDescription(description),
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
            description: limitDescription(`Replaced by deployment ${id}.`),
        });
    }
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/records.ts







const records_NOTHING_RECORDED = { id: undefined, finish: async () => undefined };
function serviceRecords(inputs, signal, codeDeploy = false) {
    if (inputs.service === undefined) {
        if (inputs.record.recordDeployment && inputs.record.environment)
            log/* info */.pq('No deployment record: without a service, nothing is released.');
        return undefined;
    }
    if (codeDeploy && inputs.codedeploy.waitUntil === 'ready') {
        // Production traffic stays on the running release until promote, which records the release.
        if (inputs.record.recordDeployment && inputs.record.environment)
            log/* info */.pq('No deployment record yet: with codedeploy-wait-until: ready, the promote step records the release.');
        return undefined;
    }
    return recorderFor(inputs, signal);
}
/** The records of the service's environment, for a deploy or a promote/abort. */
function recorderFor(inputs, signal) {
    if (inputs.service === undefined)
        return undefined;
    const recorder = deploymentRecords({
        enabled: inputs.record.recordDeployment,
        token: inputs.record.token,
        environment: inputs.record.environment,
        environmentUrl: inputs.record.environmentUrl,
        transient: inputs.record.transientEnvironment,
        production: inputs.record.productionEnvironment,
    }, {
        warning: (message) => log/* warning */.$e(message),
        notice: (message) => log/* notice */.lm(message),
        info: (message) => log/* info */.pq(message),
        signal,
    });
    return { recorder, inputs, service: inputs.service, signal };
}
function startServiceRecord(records, release) {
    if (!records)
        return Promise.resolve(records_NOTHING_RECORDED);
    return records.recorder.start({
        description: `Deploy ${records_shortName(release.taskDefinitionArn)} to ${records.service}`,
        payload: releasePayload({
            action: 'deploy-ecs',
            ecs: {
                cluster: records.inputs.cluster,
                service: records.service,
                task_definition: release.taskDefinitionArn,
                previous_task_definition: release.previous ?? null,
            },
            images: release.images,
            runUrl: readRunContext()?.runUrl,
        }),
    });
}
/** The rollback's own record, when the failed deploy left the service back on another task definition. */
async function recordServiceRollback(records, ecs, failed, deployment, failedTaskDefinition) {
    const restored = deployment?.serviceTaskDefinition;
    if (!records || failed.id === undefined || !deployment?.rolledBack || !restored)
        return;
    if (restored === failedTaskDefinition)
        return;
    const record = await records.recorder.start({
        ref: await restoredReleaseCommit(records.inputs.record, (listed) => listed.find((entry) => entry.payload?.ecs?.task_definition === restored), { info: (message) => log/* info */.pq(message), signal: records.signal }),
        description: `Rollback of deployment ${failed.id}: service ${records.service} to ${records_shortName(restored)}`,
        payload: releasePayload({
            action: 'rollback',
            ecs: {
                cluster: records.inputs.cluster,
                service: records.service,
                task_definition: restored,
                previous_task_definition: failedTaskDefinition,
            },
            images: await imagesOf(ecs, restored, records.signal),
            runUrl: readRunContext()?.runUrl,
            rollbackOf: failed.id,
        }),
    });
    await record.finish('success', `Restored service ${records.service} to ${records_shortName(restored)}`);
}
/** The images of a task definition's containers; none when it cannot be read (the record says less, nothing fails). */
async function imagesOf(ecs, taskDefinition, signal) {
    try {
        const described = await describeTaskDefinition(ecs, taskDefinition, signal);
        const containers = described?.taskDefinition.containerDefinitions;
        if (!Array.isArray(containers))
            return [];
        return containers.flatMap((container) => {
            const image = container.image;
            return typeof image === 'string' ? [image] : [];
        });
    }
    catch (error) {
        if (signal.aborted)
            throw error;
        log/* info */.pq(`The images of ${taskDefinition} are not known: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return [];
    }
}
/** `family:revision` of a task definition ARN, for descriptions within 140 characters. */
function records_shortName(taskDefinitionArn) {
    return taskDefinitionArn.split('/').at(-1) ?? taskDefinitionArn;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/report.ts




function writeOutputs(report) {
    const deployment = report.deployment;
    setOutputs({
        'task-definition-arn': report.taskDefinitionArn ?? '',
        'previous-task-definition-arn': report.plan.currentTaskDefinition ?? '',
        registered: report.registered,
        deployed: deployment?.deployed ?? false,
        'service-deployment-arn': deployment?.serviceDeploymentArn ?? '',
        'deployment-id': deployment?.deploymentId ?? '',
        'rollout-state': deployment?.rolloutState ?? '',
        'rolled-back': deployment?.rolledBack ?? false,
        'task-arn': report.task?.taskArn ?? '',
        'exit-code': report.task?.exitCode ?? '',
        'github-deployment-id': report.githubDeploymentId === undefined ? '' : String(report.githubDeploymentId),
        'codedeploy-deployment-id': deployment?.codedeploy?.deploymentId ?? '',
        'strategy-state': deployment?.codedeploy?.strategyState ?? '',
    });
}
/** The one error annotation of a failed step, with the stopped reasons: the first thing to read. */
function failureMessage(report) {
    if (report.task?.failure)
        return `${report.task.failure} ${report.task.tail.describe()}`;
    const deployment = report.deployment;
    if (!deployment?.failure)
        return undefined;
    const reasons = [
        ...new Set(deployment.activity.stoppedTasks.map((task) => [task.stoppedReason, ...task.containers].join('; '))),
    ];
    const rollback = deployment.rollback === undefined
        ? ''
        : deployment.rollback.by === 'ecs'
            ? ` ECS rolled the service back to ${deployment.serviceTaskDefinition ?? 'the previous revision'}.`
            : deployment.rollback.by === 'codedeploy'
                ? ` CodeDeploy rollback: ${deployment.rollback.outcome}.`
                : ` Gantry rolled back (${deployment.rollback.how}): ${deployment.rollback.outcome}.`;
    return `${deployment.failure.replace(/\.$/, '')}.${reasons.length > 0 ? ` Stopped tasks: ${reasons.slice(0, 3).join(' | ')}.` : ''}${rollback}`;
}
function annotate(report) {
    const message = failureMessage(report);
    if (message)
        log/* error */.z3(message);
}
function buildSummary(report) {
    const { inputs, plan, deployment } = report;
    const status = report.dryRun
        ? 'dry run'
        : failureMessage(report)
            ? deployment?.rolledBack
                ? 'failed, rolled back'
                : 'failed'
            : deployment?.codedeploy?.strategyState === 'pending'
                ? 'ready, waiting for promotion'
                : deployment?.deployed
                    ? 'deployed'
                    : inputs.service
                        ? 'nothing to deploy'
                        : 'done';
    const summary = new JobSummary().heading(`deploy-ecs: ${status}`);
    const rows = [
        ['cluster', inputs.cluster],
        ...(inputs.service ? [['service', inputs.service]] : []),
        [
            'revision',
            `${revisionOf(plan.currentTaskDefinition) ?? '(none)'} → ${revisionOf(report.taskDefinitionArn) ?? '(none)'}`,
        ],
        [
            'task definition',
            report.registered
                ? 'registered (it changed)'
                : plan.reuse
                    ? `reused ${plan.reuse} (unchanged)`
                    : '(not registered)',
        ],
        ...(report.images.length > 0 ? [['image', report.images.join(', ')]] : []),
    ];
    if (deployment) {
        rows.push(['deployed', deployment.deployed ? 'yes' : 'no: the service already runs this revision']);
        if (deployment.deploymentId)
            rows.push(['deployment', deployment.deploymentId]);
        const codedeploy = deployment.codedeploy;
        if (codedeploy) {
            rows.push(['CodeDeploy', `${codedeploy.application} / ${codedeploy.group}`]);
            if (codedeploy.deploymentId)
                rows.push(['CodeDeploy deployment', codedeploy.deploymentId]);
            if (codedeploy.rollbackDeploymentId)
                rows.push(['rollback deployment', codedeploy.rollbackDeploymentId]);
        }
        if (deployment.rolloutState)
            rows.push(['rollout state', deployment.rolloutState]);
        if (deployment.deployed && inputs.wait)
            rows.push([
                deployment.failure ? 'time waited' : 'time to steady state',
                (0,duration/* formatDuration */.a)(deployment.durationMs),
            ]);
        if (deployment.stages.length > 0)
            rows.push([
                deployment.codedeploy ? 'lifecycle events' : 'lifecycle stages',
                deployment.stages.join(' → '),
            ]);
        if (deployment.rollback) {
            rows.push([
                'rollback',
                deployment.rollback.by === 'ecs'
                    ? `by ECS, to ${revisionOf(deployment.serviceTaskDefinition) ?? 'the previous revision'}`
                    : deployment.rollback.by === 'codedeploy'
                        ? `by CodeDeploy: ${deployment.rollback.outcome}`
                        : `by Gantry (${deployment.rollback.how}): ${deployment.rollback.outcome}`,
            ]);
        }
        if (deployment.serviceTaskDefinition)
            rows.push(['service left on', revisionOf(deployment.serviceTaskDefinition)]);
    }
    if (report.task) {
        rows.push(['one-off task', report.task.taskArn], ['exit code', report.task.exitCode ?? '(none)']);
    }
    summary.table(['', ''], rows);
    const failure = failureMessage(report);
    if (failure)
        summary.paragraph(`**${escapeInline(failure)}**`);
    if (plan.diff.length > 0)
        summary.paragraph(`Task definition changes (${plan.diff.length}):`).code(plan.diff.join('\n'));
    if (deployment && deployment.activity.events.length > 0) {
        summary.paragraph('Service events:').code(deployment.activity.events.join('\n'));
    }
    if (deployment && deployment.activity.stoppedTasks.length > 0) {
        summary
            .paragraph('Stopped tasks:')
            .list(deployment.activity.stoppedTasks.map((task) => escapeInline(`${task.taskArn.split('/').at(-1)}: ${[task.stoppedReason, ...task.containers].join('; ')}`)));
    }
    if (report.task && report.task.tail.count > 0) {
        summary
            .paragraph(`One-off task log (${report.task.tail.count} lines in all):`)
            .code(report.task.tail.text());
    }
    return summary;
}
/** `shop:7` from an ARN. */
function revisionOf(arn) {
    return arn?.split('/').at(-1);
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/service/target.ts


/**
 * The checks made before anything changes: the cluster and the service exist and are ACTIVE, and
 * ECS or CodeDeploy controls the service's deployments (a CODE_DEPLOY service is deployed through
 * CodeDeploy: codedeploy/). An EXTERNAL controller would refuse the update, after a revision had been
 * registered for nothing.
 */
async function checkCluster(ecs, cluster, signal) {
    const answer = await (0,ecs_client/* ecsCall */.EK)('DescribeClusters', () => ecs.client.send(new ecs.sdk.DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal }));
    const found = answer.clusters?.[0];
    if (!found) {
        throw new errors/* ActionError */.lZ(`Cluster ${cluster} does not exist in ${ecs.config.region}: nothing was registered or changed.`, {
            hint: 'check the cluster input and the aws-region (or AWS_REGION)',
        });
    }
    if (found.status !== 'ACTIVE') {
        throw new errors/* ActionError */.lZ(`Cluster ${cluster} is ${found.status}, not ACTIVE: nothing was registered or changed.`);
    }
}
async function checkService(ecs, cluster, name, signal) {
    const answer = await (0,ecs_client/* ecsCall */.EK)('DescribeServices', () => ecs.client.send(new ecs.sdk.DescribeServicesCommand({ cluster, services: [name] }), {
        abortSignal: signal,
    }));
    const service = answer.services?.[0];
    if (!service) {
        throw new errors/* ActionError */.lZ(`Service ${name} does not exist in cluster ${cluster}: nothing was registered or changed.`, {
            hint: 'create the service first (Terraform, CloudFormation, the console), or check the service and cluster inputs',
        });
    }
    if (service.status !== 'ACTIVE') {
        throw new errors/* ActionError */.lZ(`Service ${name} is ${service.status}, not ACTIVE: nothing was registered or changed.`);
    }
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS' && controller !== 'CODE_DEPLOY') {
        throw new errors/* ActionError */.lZ(`Service ${name} uses the ${controller} deployment controller: deploy-ecs deploys services whose deployment controller is ECS or CODE_DEPLOY. Nothing was registered or changed.`, { hint: 'an EXTERNAL controller deploys through task sets, which deploy-ecs does not manage' });
    }
    return service;
}
/** The PRIMARY deployment: what the service runs now, and what a rollback returns to. */
function primaryDeployment(service) {
    const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    return { id: primary?.id, taskDefinition: primary?.taskDefinition ?? service.taskDefinition };
}

;// CONCATENATED MODULE: ./shared/src/codedeploy/continue.ts


/** ContinueDeployment, repeated only when throttled; a deployment that moved on meanwhile is a notice. */
async function continueDeployment(cd, deploymentId, deploymentWaitType, deadline, signal) {
    try {
        await (0,codedeploy_client/* codeDeployCall */.N1)('ContinueDeployment', () => cd.writer.send(new cd.sdk.ContinueDeploymentCommand({ deploymentId, deploymentWaitType }), {
            abortSignal: signal,
        }), { deadline, signal, classify: codedeploy_client/* classifyThrottling */.Oe });
    }
    catch (error) {
        const code = (0,codedeploy_client/* errorCode */.CA)(error);
        if (code === 'DeploymentAlreadyCompletedException' || code === 'DeploymentIsNotInReadyStateException') {
            log/* notice */.lm(`ContinueDeployment ${deploymentWaitType}: ${code}; following the deployment as it is.`);
            return;
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/strategy.ts












async function runStrategy(inputs, signal, beforeChange) {
    const ecs = await (0,ecs_client/* createEcs */.Cz)(inputs.region);
    let cd;
    try {
        const before = await checkCodeDeployService(ecs, inputs, signal);
        cd = await (0,codedeploy_client/* createCodeDeploy */.lJ)(inputs.region);
        const target = await resolveTarget(cd, {
            application: inputs.codedeploy.application,
            group: inputs.codedeploy.group,
            cluster: inputs.cluster,
            service: inputs.service,
        }, signal);
        const info = await findDeployment(cd, inputs, target, signal);
        const appSpec = await deployedAppSpec(cd, info, new async_deadline/* Deadline */.B(60_000, `the AppSpec of ${info.deploymentId}`), signal);
        const taskDefinitionArn = appSpec?.taskDefinition;
        const outcome = {
            deploymentId: info.deploymentId,
            target,
            status: info.status ?? 'unknown',
            strategyState: '',
            taskDefinitionArn,
            images: taskDefinitionArn ? await imagesOf(ecs, taskDefinitionArn, signal) : [],
            serviceBefore: before,
            serviceAfter: before,
            trafficHadMoved: info.instanceTerminationWaitTimeStarted === true || info.status === 'Succeeded',
            acted: false,
            failure: undefined,
            events: [],
            rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
        };
        await (inputs.action === 'promote'
            ? promote(cd, inputs, info, outcome, beforeChange, signal)
            : abort(cd, inputs, info, outcome, beforeChange, signal));
        outcome.serviceAfter = primaryDeployment(await checkService(ecs, inputs.cluster, inputs.service, signal)).taskDefinition;
        return outcome;
    }
    finally {
        cd?.destroy();
        ecs.client.destroy();
    }
}
/** The service exists and CodeDeploy deploys it; what it runs now. */
async function checkCodeDeployService(ecs, inputs, signal) {
    await checkCluster(ecs, inputs.cluster, signal);
    const service = await checkService(ecs, inputs.cluster, inputs.service, signal);
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'CODE_DEPLOY') {
        throw new errors/* ConfigurationError */.j1(`Input "action" is "${inputs.action}", which promotes or aborts a CodeDeploy deployment, and service ${inputs.service} uses the ${controller} deployment controller: accepted for it is "deploy" only. Nothing was changed.`, { input: 'action', hint: 'to return an ECS service to an earlier revision, use the rollback action' });
    }
    return primaryDeployment(service).taskDefinition;
}
async function findDeployment(cd, inputs, target, signal) {
    const id = inputs.codedeploy.deploymentId;
    if (id !== undefined) {
        const { deploymentInfo } = await (0,codedeploy_client/* codeDeployCall */.N1)('GetDeployment', () => cd.client.send(new cd.sdk.GetDeploymentCommand({ deploymentId: id }), { abortSignal: signal }), { deadline: new async_deadline/* Deadline */.B(60_000, `deployment ${id}`), signal }).catch((error) => {
            if ((0,codedeploy_client/* errorCode */.CA)(error) === 'DeploymentDoesNotExistException') {
                throw new errors/* ActionError */.lZ(`CodeDeploy deployment ${id} (input "codedeploy-deployment-id") does not exist in ${cd.region}.`);
            }
            throw error;
        });
        if (deploymentInfo?.applicationName !== target.application ||
            deploymentInfo?.deploymentGroupName !== target.group) {
            throw new errors/* ActionError */.lZ(`CodeDeploy deployment ${id} belongs to ${deploymentInfo?.applicationName}/${deploymentInfo?.deploymentGroupName}, not to ${target.application}/${target.group} (service ${inputs.service}). Nothing was changed.`);
        }
        return deploymentInfo;
    }
    // CodeDeploy's own rollback deployments are not what a user promotes or aborts: the deployment
    // they undo is (and its rollback is waited for).
    const ours = (info) => info.creator !== 'codeDeployRollback';
    const active = (await activeDeployments(cd, target, signal)).find(ours);
    if (active)
        return active;
    const newest = (await recentDeployments(cd, target, signal)).find(ours);
    if (newest)
        return newest;
    throw new errors/* ActionError */.lZ(`Deployment group ${target.application}/${target.group} has no deployment to ${inputs.action}: deploy first (action: deploy).`);
}
async function promote(cd, inputs, info, outcome, beforeChange, signal) {
    const id = info.deploymentId;
    if (info.status === 'Succeeded') {
        log/* notice */.lm(`CodeDeploy deployment ${id} has already succeeded: nothing to promote.`);
        outcome.strategyState = 'promoted';
        return;
    }
    if (info.status === 'Failed' || info.status === 'Stopped') {
        outcome.strategyState = 'aborted';
        outcome.failure = `CodeDeploy deployment ${id} ended ${info.status}: there is nothing to promote${info.errorInformation?.message ? ` (${info.errorInformation.message})` : ''}`;
        return;
    }
    const deadline = new async_deadline/* Deadline */.B(inputs.waitMs, `the promotion of deployment ${id}`);
    const watch = new codedeploy_watch/* DeploymentWatch */.T(cd, {
        deploymentId: id,
        pollIntervalMs: inputs.pollIntervalMs,
        deadline,
        signal,
    });
    const ready = await watch.until((current) => current.status === 'Ready' || current.instanceTerminationWaitTimeStarted === true, 'reach Ready');
    if (ready.verdict !== 'reached' || ready.info.status === 'Succeeded') {
        return settle(outcome, ready.info, ready.verdict === 'reached' ? undefined : ready.reason, watch.events);
    }
    outcome.acted = true;
    await beforeChange(outcome);
    const waitType = ready.info.status === 'Ready' ? 'READY_WAIT' : 'TERMINATION_WAIT';
    await continueDeployment(cd, id, waitType, deadline, signal);
    log/* info */.pq(waitType === 'READY_WAIT'
        ? `Promoted ${id}: production traffic moves to ${outcome.taskDefinitionArn ?? 'the green task set'}.`
        : `Promoted ${id}: the original task set is terminated now rather than at the end of the termination wait.`);
    const done = await watch.until((current) => current.status === 'Succeeded' ||
        (inputs.codedeploy.waitUntil === 'ready' && current.instanceTerminationWaitTimeStarted === true), inputs.codedeploy.waitUntil === 'ready' ? 'shift production traffic' : 'succeed');
    settle(outcome, done.info, done.verdict === 'reached' ? undefined : done.reason, watch.events);
}
function settle(outcome, info, reason, events) {
    outcome.status = info.status ?? outcome.status;
    outcome.events = events;
    outcome.rollbackDeploymentId = info.rollbackInfo?.rollbackDeploymentId;
    if (reason === undefined) {
        outcome.strategyState = 'promoted';
        return;
    }
    outcome.failure = `CodeDeploy deployment ${outcome.deploymentId} did not complete its promotion: ${reason}`;
    if (info.status === 'Failed' || info.status === 'Stopped')
        outcome.strategyState = 'aborted';
}
async function abort(cd, inputs, info, outcome, beforeChange, signal) {
    const id = info.deploymentId;
    if (info.status === 'Succeeded') {
        outcome.strategyState = 'promoted';
        outcome.failure = `CodeDeploy deployment ${id} has already succeeded: production traffic is on it, and there is nothing to abort; to go back, run the rollback action (it deploys the previous task definition through CodeDeploy) or deploy the previous revision`;
        return;
    }
    const options = { pollIntervalMs: inputs.pollIntervalMs, signal };
    if (info.status === 'Failed' || info.status === 'Stopped') {
        log/* notice */.lm(`CodeDeploy deployment ${id} has already ended (${info.status}): nothing to abort.`);
        const rollback = await (0,stop/* waitForRollback */.L)(cd, info.rollbackInfo?.rollbackDeploymentId, new async_deadline/* Deadline */.B(inputs.waitMs, `the rollback of deployment ${id}`), options);
        outcome.strategyState = 'aborted';
        outcome.rollbackDeploymentId = rollback.rollbackDeploymentId;
        return;
    }
    outcome.acted = true;
    await beforeChange(outcome);
    const stopped = await (0,stop/* stopWithRollback */.D)(cd, id, { ...options, timeoutMs: inputs.waitMs, wait: true });
    outcome.status = stopped.status;
    outcome.events = stopped.events;
    outcome.rollbackDeploymentId = stopped.rollbackDeploymentId;
    // A deployment stopped before the traffic shift left production on the original task set.
    const restored = stopped.restored || (!outcome.trafficHadMoved && stopped.status === 'Stopped');
    if (restored) {
        outcome.strategyState = 'aborted';
        log/* info */.pq(`Aborted ${id}: ${stopped.detail}; the original task set serves production traffic.`);
        return;
    }
    outcome.failure = `Abort of CodeDeploy deployment ${id} did not finish: ${stopped.detail} (status ${stopped.status})`;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/strategy-run.ts










/**
 * promote / abort, end to end: the strategy (strategy.ts), its deployment records, outputs and
 * summary. Records: a promote that moves production traffic records the release (in_progress
 * before ContinueDeployment, then success or failure), because the deploy that stopped at Ready did
 * not; an abort records a rollback only when production traffic had already moved to the new task
 * set (a promote with codedeploy-wait-until: ready, aborted in the termination wait): before that,
 * the recorded release never stopped serving. A promote or abort that finds its work done records
 * nothing.
 */
async function promoteOrAbort(inputs, signal) {
    const records = recorderFor(inputs, signal);
    let record;
    const beforeChange = async (outcome) => {
        if (inputs.action !== 'promote' || !records || !outcome.taskDefinitionArn)
            return;
        record = await records.recorder.start({
            description: `Promote ${records_shortName(outcome.taskDefinitionArn)} to ${inputs.service} (CodeDeploy ${outcome.deploymentId})`,
            payload: releasePayload({
                action: 'deploy-ecs',
                ecs: {
                    cluster: inputs.cluster,
                    service: inputs.service,
                    task_definition: outcome.taskDefinitionArn,
                    previous_task_definition: outcome.serviceBefore ?? null,
                },
                images: outcome.images,
                runUrl: readRunContext()?.runUrl,
            }),
        });
    };
    const outcome = await runStrategy(inputs, signal, beforeChange);
    await record?.finish(outcome.failure ? 'failure' : 'success', outcome.failure ?? `Promoted ${records_shortName(outcome.taskDefinitionArn ?? '')} on ${inputs.service}`);
    if (inputs.action === 'abort' && outcome.acted && outcome.trafficHadMoved && !outcome.failure) {
        record = await recordAbort(records, inputs, outcome);
    }
    writeStrategyOutputs(inputs, outcome, record?.id);
    if (outcome.failure)
        log/* error */.z3(outcome.failure);
    await strategySummary(inputs, outcome).write();
    if (outcome.failure)
        throw new errors/* ReportedFailure */.g7(outcome.failure);
}
async function recordAbort(records, inputs, outcome) {
    const restored = outcome.serviceAfter;
    if (!records || !restored)
        return undefined;
    const record = await records.recorder.start({
        ref: await restoredReleaseCommit(inputs.record, (listed) => listed.find((entry) => entry.payload?.ecs?.task_definition === restored), { info: (message) => log/* info */.pq(message), signal: records.signal }),
        description: `Abort of CodeDeploy ${outcome.deploymentId}: service ${inputs.service} back to ${records_shortName(restored)}`,
        payload: releasePayload({
            action: 'rollback',
            ecs: {
                cluster: inputs.cluster,
                service: inputs.service,
                task_definition: restored,
                previous_task_definition: outcome.taskDefinitionArn ?? null,
            },
            images: [],
            runUrl: readRunContext()?.runUrl,
        }),
    });
    await record.finish('success', `Restored service ${inputs.service} to ${records_shortName(restored)}`);
    return record;
}
function writeStrategyOutputs(inputs, outcome, recordId) {
    setOutputs({
        'task-definition-arn': outcome.taskDefinitionArn ?? '',
        'previous-task-definition-arn': outcome.serviceBefore ?? '',
        registered: false,
        deployed: false,
        'service-deployment-arn': '',
        'deployment-id': '',
        'rollout-state': outcome.status,
        'rolled-back': inputs.action === 'abort' && outcome.strategyState === 'aborted',
        'task-arn': '',
        'exit-code': '',
        'github-deployment-id': recordId === undefined ? '' : String(recordId),
        'codedeploy-deployment-id': outcome.deploymentId ?? '',
        'strategy-state': outcome.strategyState,
    });
}
function strategySummary(inputs, outcome) {
    const verb = inputs.action === 'promote' ? 'promote' : 'abort';
    const status = outcome.failure ? `${verb} failed` : outcome.acted ? `${verb}d` : `${verb}: nothing to do`;
    const summary = new JobSummary().heading(`deploy-ecs: ${status}`);
    summary.table(['', ''], [
        ['cluster', inputs.cluster],
        ['service', inputs.service],
        ['CodeDeploy', `${outcome.target.application} / ${outcome.target.group}`],
        ['CodeDeploy deployment', outcome.deploymentId ?? '(none)'],
        ['status', outcome.status],
        ['strategy state', outcome.strategyState || '(none)'],
        ['new release', revisionOf(outcome.taskDefinitionArn) ?? '(unknown)'],
        ['service ran', revisionOf(outcome.serviceBefore) ?? '(unknown)'],
        ['service runs', revisionOf(outcome.serviceAfter) ?? '(unknown)'],
        ...(outcome.rollbackDeploymentId ? [['rollback deployment', outcome.rollbackDeploymentId]] : []),
        ...(outcome.events.length > 0 ? [['lifecycle events', outcome.events.join(' → ')]] : []),
    ]);
    if (outcome.failure)
        summary.paragraph(`**${escapeInline(outcome.failure)}**`);
    return summary;
}

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

;// CONCATENATED MODULE: ./shared/src/formats/command-words.ts

/**
 * A container command (migrate's in-cluster modes, deploy-ecs), as an argument vector: a YAML/JSON flow list
 * (`["npm", "run", "migrate"]`), a block list (`- npm` lines), or plain words split on whitespace.
 * It never goes through a shell, so shell syntax in plain words is refused rather than passed on
 * as literal arguments the user did not mean.
 */
const SHELL_SYNTAX = /["'`$|&;<>(){}\\*?~]/;
async function parseCommandWords(name, value) {
    const trimmed = value.trim();
    if (trimmed.startsWith('[') || trimmed.startsWith('- ') || trimmed === '-') {
        const { parse } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
        let parsed;
        try {
            parsed = parse(trimmed);
        }
        catch {
            throw invalidInput(name, value, 'expected a YAML list of strings, like ["npm", "run", "migrate"]');
        }
        if (!Array.isArray(parsed) ||
            parsed.length === 0 ||
            !parsed.every((word) => typeof word === 'string' || typeof word === 'number')) {
            throw invalidInput(name, value, 'expected a non-empty YAML list of strings, like ["npm", "run", "migrate"]');
        }
        const words = parsed.map(String);
        if (words[0] === '')
            throw invalidInput(name, value, 'expected a program name as the first word');
        return words;
    }
    const words = trimmed.split(/\s+/).filter(Boolean);
    const shell = words.find((word) => SHELL_SYNTAX.test(word));
    if (shell !== undefined) {
        throw invalidInput(name, value, `expected plain words (no shell runs them, so ${JSON.stringify(shell)} would be passed as it is); ` +
            'give a YAML list like ["sh", "-c", "..."] when you need a shell');
    }
    return words;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/render/render.ts

function renderTaskDefinition(source, request) {
    const definition = structuredClone(registrable(source));
    const containers = definition.containerDefinitions.map((container) => ({ ...container }));
    definition.containerDefinitions = containers;
    const names = containers.map((container) => String(container.name));
    const missing = (name, input) => ({
        problem: {
            input,
            message: `Input "${input}" names container ${name}, which is not in task definition ${String(definition.family)}: it has ${names.join(', ') || 'none'}.`,
        },
    });
    const containerSettings = request.command !== undefined ||
        request.logConfiguration !== undefined ||
        Object.keys(request.environment).length + request.removeEnvironment.length > 0 ||
        Object.keys(request.secrets).length + Object.keys(request.dockerLabels).length > 0 ||
        request.images[''] !== undefined;
    let target;
    if (request.containerName !== undefined) {
        target = containers.find((container) => container.name === request.containerName);
        if (!target)
            return missing(request.containerName, 'container-name');
    }
    else if (containerSettings) {
        if (containers.length !== 1) {
            return {
                problem: {
                    input: 'container-name',
                    message: `Task definition ${String(definition.family)} has ${containers.length} containers (${names.join(', ')}): input "container-name" must say which one the image and container settings are for.`,
                },
            };
        }
        target = containers[0];
    }
    for (const [name, image] of Object.entries(request.images)) {
        const container = name === '' ? target : containers.find((entry) => entry.name === name);
        if (!container)
            return missing(name, 'images');
        container.image = image;
    }
    if (target)
        applyContainerSettings(target, request);
    if (request.cpu !== undefined)
        definition.cpu = request.cpu;
    if (request.memory !== undefined)
        definition.memory = request.memory;
    if (request.taskRoleArn !== undefined)
        definition.taskRoleArn = request.taskRoleArn;
    if (request.executionRoleArn !== undefined)
        definition.executionRoleArn = request.executionRoleArn;
    return { definition };
}
function applyContainerSettings(container, request) {
    if (Object.keys(request.environment).length > 0 || request.removeEnvironment.length > 0) {
        const removed = new Set(request.removeEnvironment);
        container.environment = upsert((container.environment ?? []).filter((entry) => !removed.has(entry.name)), request.environment, 'value');
    }
    if (Object.keys(request.secrets).length > 0) {
        container.secrets = upsert(container.secrets ?? [], request.secrets, 'valueFrom');
    }
    if (Object.keys(request.dockerLabels).length > 0) {
        container.dockerLabels = {
            ...(container.dockerLabels ?? {}),
            ...request.dockerLabels,
        };
    }
    if (request.logConfiguration !== undefined)
        container.logConfiguration = request.logConfiguration;
    if (request.command !== undefined)
        container.command = request.command;
}
/** Updates entries in place (keeping their order), appends new ones. */
function upsert(entries, values, field) {
    const result = entries.map((entry) => values[entry.name] === undefined ? entry : { name: entry.name, [field]: values[entry.name] });
    for (const [name, value] of Object.entries(values)) {
        if (!entries.some((entry) => entry.name === name))
            result.push({ name, [field]: value });
    }
    return result;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/render/render-inputs.ts



/** The inputs that change the task definition, read into one RenderRequest. */
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:.+$/;
const CPU = /^(\d+|\d+(\.\d+)? ?vcpu)$/i;
const MEMORY = /^(\d+|\d+(\.\d+)? ?gb)$/i;
const RENDER_INPUTS = [
    'container-name',
    'image',
    'images',
    'environment-variables',
    'remove-environment-variables',
    'secrets',
    'docker-labels',
    'log-configuration',
    'command',
    'cpu',
    'memory',
    'task-role-arn',
    'execution-role-arn',
];
async function readRenderRequest(existingRevision) {
    if (existingRevision) {
        const stray = RENDER_INPUTS.find((name) => getOptionalString(name) !== undefined);
        if (stray !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Input "${stray}" changes the task definition, but task-definition-arn deploys a revision as it is.`, {
                input: stray,
                hint: 'use task-definition or task-definition-from-service: true to render a new revision',
            });
        }
    }
    const containerName = getOptionalString('container-name');
    if (containerName !== undefined && !CONTAINER_NAME.test(containerName)) {
        throw invalidInput('container-name', containerName, 'expected a container name (letters, digits, - and _)');
    }
    const images = {};
    const image = getOptionalString('image');
    if (image !== undefined) {
        checkImage('image', image);
        if (containerName === undefined)
            images[''] = image;
        else
            images[containerName] = image;
    }
    for (const [name, value] of Object.entries(getKeyValueMap('images', { perLine: true }))) {
        if (!CONTAINER_NAME.test(name))
            throw invalidInput('images', `${name}=${value}`, 'expected container-name=image per line');
        checkImage('images', value);
        if (images[name] !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Inputs "image" and "images" both set the image of container ${name}.`, {
                input: 'images',
            });
        }
        images[name] = value;
    }
    const environment = getKeyValueMap('environment-variables', { perLine: true });
    checkNames('environment-variables', Object.keys(environment));
    const removeEnvironment = getList('remove-environment-variables');
    checkNames('remove-environment-variables', removeEnvironment);
    const both = removeEnvironment.find((name) => environment[name] !== undefined);
    if (both !== undefined) {
        throw new errors/* ConfigurationError */.j1(`Input "remove-environment-variables" removes ${both}, which input "environment-variables" sets: say one or the other.`, { input: 'remove-environment-variables' });
    }
    const secrets = getKeyValueMap('secrets', { perLine: true });
    checkNames('secrets', Object.keys(secrets));
    for (const [name, arn] of Object.entries(secrets)) {
        if (!SECRET_ARN.test(arn)) {
            throw invalidInput('secrets', `${name}=${arn}`, 'expected NAME=arn of a Secrets Manager secret or SSM parameter');
        }
    }
    const cpu = getOptionalString('cpu');
    if (cpu !== undefined && !CPU.test(cpu))
        throw invalidInput('cpu', cpu, 'expected CPU units like 256 or 1024, or 1 vCPU');
    const memory = getOptionalString('memory');
    if (memory !== undefined && !MEMORY.test(memory))
        throw invalidInput('memory', memory, 'expected MiB like 512, or 2 GB');
    const role = (name) => {
        const value = getOptionalString(name);
        if (value !== undefined && !ROLE_ARN.test(value)) {
            throw invalidInput(name, value, 'expected an IAM role ARN like arn:aws:iam::123456789012:role/name');
        }
        return value;
    };
    const rawCommand = getOptionalString('command');
    return {
        containerName,
        images,
        environment,
        removeEnvironment,
        secrets,
        dockerLabels: getKeyValueMap('docker-labels', { perLine: true }),
        logConfiguration: await readLogConfiguration(),
        command: rawCommand === undefined ? undefined : await parseCommandWords('command', rawCommand),
        cpu,
        memory,
        taskRoleArn: role('task-role-arn'),
        executionRoleArn: role('execution-role-arn'),
    };
}
function checkImage(input, image) {
    if (!IMAGE.test(image) || /[:@]$/.test(image)) {
        throw invalidInput(input, image, 'expected an image reference like 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.2 or repo@sha256:...');
    }
}
function checkNames(input, names) {
    const bad = names.find((name) => !ENV_NAME.test(name));
    if (bad !== undefined)
        throw invalidInput(input, bad, 'expected variable names of letters, digits and _');
}
async function readLogConfiguration() {
    const value = await getStructured('log-configuration');
    if (value === undefined)
        return undefined;
    const accepted = 'expected a YAML mapping with logDriver (awslogs, awsfirelens, splunk, ...) and options';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidInput('log-configuration', String(value), accepted);
    }
    const record = value;
    if (typeof record.logDriver !== 'string' || record.logDriver === '') {
        throw invalidInput('log-configuration', JSON.stringify(record), accepted);
    }
    if (record.options !== undefined) {
        const options = logOptions(record.options);
        if (options === undefined) {
            throw invalidInput('log-configuration', JSON.stringify(record), 'expected options as a mapping of strings, or as key=value lines (a value keeps everything after its first =)');
        }
        return { ...record, options };
    }
    return record;
}
/**
 * Log options as a mapping, or as the anchor's `key=value` lines (a string or a list): a value keeps
 * everything after its first `=`, so `awslogs-datetime-format=%Y-%m-%d=x` survives whole.
 */
function logOptions(value) {
    const lines = typeof value === 'string' ? value.split(/\r?\n/) : Array.isArray(value) ? value : undefined;
    if (lines !== undefined) {
        const options = {};
        for (const line of lines) {
            if (typeof line !== 'string')
                return undefined;
            if (line.trim() === '')
                continue;
            const at = line.indexOf('=');
            if (at <= 0)
                return undefined;
            options[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
        return options;
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const entries = Object.entries(value);
    if (!entries.every(([, entry]) => typeof entry === 'string'))
        return undefined;
    return Object.fromEntries(entries);
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/inputs.ts









const MINUTE = 60_000;
const MAX_WAIT_MINUTES = 360;
const CLUSTER = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/;
const SERVICE = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/([a-zA-Z0-9_-]{1,255}\/)?)?[a-zA-Z0-9_-]{1,255}$/;
const TASK_DEFINITION_ARN = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[a-zA-Z0-9_-]{1,255}:\d+|[a-zA-Z0-9_-]{1,255}:\d+)$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
const CAPACITY_PROVIDER = /^[a-zA-Z0-9_-]{1,255}$/;
function readCluster() {
    const cluster = getString('cluster', { default: 'default' });
    if (!CLUSTER.test(cluster))
        throw invalidInput('cluster', cluster, 'expected a cluster name or ARN');
    return cluster;
}
function readService() {
    const service = getOptionalString('service');
    if (service !== undefined && !SERVICE.test(service)) {
        throw invalidInput('service', service, 'expected a service name or ARN');
    }
    return service;
}
function readPollInterval() {
    return getDuration('poll-interval', { default: 5000, min: 1000, max: 5 * MINUTE });
}
async function readInputs() {
    const cluster = readCluster();
    const service = readService();
    const source = readSource(service);
    const render = await readRenderRequest(source.kind === 'arn');
    if (source.kind === 'file') {
        // A file's definition is rendered now too, so a container it lacks is refused before any call.
        const rendered = renderTaskDefinition(source.definition, render);
        if ('problem' in rendered) {
            throw new errors/* ConfigurationError */.j1(rendered.problem.message, { input: rendered.problem.input });
        }
    }
    const settings = readSettings(service);
    const runTask = await readRunTask();
    if (service === undefined && runTask === undefined && source.kind === 'arn') {
        throw new errors/* ConfigurationError */.j1('Input "task-definition-arn" deploys an existing revision: it needs "service" or "run-task: true" to do something with it.', { input: 'task-definition-arn' });
    }
    const waitMinutes = readMinutes('wait-for-minutes');
    const wait = getBoolean('wait', true);
    const codedeploy = await readCodeDeployInputs('deploy', render.containerName);
    if (codedeploy.waitUntil === 'ready' && !wait) {
        throw new errors/* ConfigurationError */.j1('Input "codedeploy-wait-until" is "ready", which waits for the deployment, and input "wait" is false.', { input: 'codedeploy-wait-until', hint: 'remove one of the two' });
    }
    if (service === undefined && codedeploy.given.length > 0) {
        const input = codedeploy.given[0];
        throw new errors/* ConfigurationError */.j1(`Input "${input}" is for a CodeDeploy deploy: it needs input "service".`, {
            input,
        });
    }
    return {
        region: getOptionalString('aws-region'),
        cluster,
        service,
        source,
        render,
        tags: readTags(source.kind === 'arn'),
        settings,
        wait,
        waitMs: waitMinutes,
        pollIntervalMs: readPollInterval(),
        rollbackOnFailure: getBoolean('rollback-on-failure', true),
        runTask,
        dryRun: getBoolean('dry-run', false),
        record: readRecordInputs(),
        codedeploy,
    };
}
function readSource(service) {
    const file = getOptionalString('task-definition');
    const fromService = getBoolean('task-definition-from-service', false);
    const arn = getOptionalString('task-definition-arn');
    const given = [file !== undefined, fromService, arn !== undefined].filter(Boolean).length;
    if (given !== 1) {
        throw new errors/* ConfigurationError */.j1(`Give exactly one of the inputs "task-definition", "task-definition-from-service: true" and "task-definition-arn" (${given === 0 ? 'none was' : `${given} were`} given).`, {
            input: 'task-definition',
            hint: 'task-definition: a JSON file; task-definition-from-service: true starts from what the service runs; task-definition-arn deploys a revision as it is',
        });
    }
    if (fromService) {
        if (service === undefined) {
            throw new errors/* ConfigurationError */.j1('Input "task-definition-from-service" needs input "service".', {
                input: 'task-definition-from-service',
            });
        }
        return { kind: 'service' };
    }
    if (arn !== undefined) {
        if (!TASK_DEFINITION_ARN.test(arn)) {
            throw invalidInput('task-definition-arn', arn, 'expected family:revision or a task definition ARN');
        }
        return { kind: 'arn', reference: arn };
    }
    return readDefinitionFile(file);
}
function readDefinitionFile(file) {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const resolved = external_node_path_default().resolve(workspace, file);
    let text;
    try {
        if (!(0,external_node_fs_.statSync)(resolved).isFile())
            throw new Error('not a file');
        text = (0,external_node_fs_.readFileSync)(resolved, 'utf8');
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`Input "task-definition" is "${file}", which is not a readable file (looked for ${resolved}).`, {
            input: 'task-definition',
            hint: 'check the repository out first (actions/checkout), or fix the path',
        });
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`Input "task-definition": ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, { input: 'task-definition' });
    }
    // `aws ecs describe-task-definition` output wraps the definition in {"taskDefinition": ...}.
    const record = inputs_isRecord(parsed) && inputs_isRecord(parsed.taskDefinition) ? parsed.taskDefinition : parsed;
    if (!inputs_isRecord(record) || !Array.isArray(record.containerDefinitions) || typeof record.family !== 'string') {
        throw new errors/* ConfigurationError */.j1(`Input "task-definition": ${file} is not a task definition: it needs "family" and "containerDefinitions".`, { input: 'task-definition' });
    }
    return { kind: 'file', path: file, definition: record };
}
function readSettings(service) {
    const settings = {};
    const count = getOptionalString('desired-count');
    if (count !== undefined) {
        if (!/^\d+$/.test(count) || Number(count) > 5000) {
            throw invalidInput('desired-count', count, 'expected a whole number from 0 to 5000, or empty to leave it');
        }
        settings.desiredCount = Number(count);
    }
    const flag = (name) => getOptionalString(name) === undefined ? undefined : getBoolean(name, false);
    const force = flag('force-new-deployment');
    if (force !== undefined)
        settings.forceNewDeployment = force;
    const exec = flag('enable-execute-command');
    if (exec !== undefined)
        settings.enableExecuteCommand = exec;
    const managed = flag('enable-ecs-managed-tags');
    if (managed !== undefined)
        settings.enableECSManagedTags = managed;
    if (getOptionalString('propagate-tags') !== undefined) {
        settings.propagateTags = getEnum('propagate-tags', ['SERVICE', 'TASK_DEFINITION', 'NONE'], 'NONE');
    }
    const set = Object.keys(settings);
    if (service === undefined && set.length > 0) {
        const names = {
            desiredCount: 'desired-count',
            forceNewDeployment: 'force-new-deployment',
            enableExecuteCommand: 'enable-execute-command',
            enableECSManagedTags: 'enable-ecs-managed-tags',
            propagateTags: 'propagate-tags',
        };
        const input = names[set[0]];
        throw new errors/* ConfigurationError */.j1(`Input "${input}" is a service setting: it needs input "service".`, {
            input,
        });
    }
    return settings;
}
function readTags(existing) {
    const tags = getKeyValueMap('task-definition-tags', { perLine: true });
    const entries = Object.entries(tags);
    if (existing && entries.length > 0) {
        throw new errors/* ConfigurationError */.j1('Input "task-definition-tags" tags a new revision, and task-definition-arn registers none.', { input: 'task-definition-tags' });
    }
    for (const [key, value] of entries) {
        if (key.length > 128 || value.length > 256 || /^aws:/i.test(key)) {
            throw invalidInput('task-definition-tags', `${key}=${value}`, 'expected keys of at most 128 characters not starting with aws:, values of at most 256');
        }
    }
    return entries.map(([key, value]) => ({ key, value }));
}
async function readRunTask() {
    const names = [
        'run-task-command',
        'run-task-environment',
        'run-task-subnets',
        'run-task-security-groups',
        'run-task-assign-public-ip',
        'run-task-launch-type',
        'run-task-capacity-provider',
    ];
    if (!getBoolean('run-task', false)) {
        const stray = names.find((name) => getOptionalString(name) !== undefined);
        if (stray !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Input "${stray}" is only used with "run-task: true".`, { input: stray });
        }
        return undefined;
    }
    const rawCommand = getOptionalString('run-task-command');
    const subnets = getList('run-task-subnets');
    const badSubnet = subnets.find((subnet) => !SUBNET.test(subnet));
    if (badSubnet !== undefined) {
        throw invalidInput('run-task-subnets', badSubnet, 'expected subnet IDs like subnet-0abc12345def67890');
    }
    const groups = getList('run-task-security-groups');
    const badGroup = groups.find((group) => !SECURITY_GROUP.test(group));
    if (badGroup !== undefined) {
        throw invalidInput('run-task-security-groups', badGroup, 'expected security group IDs like sg-0abc12345def67890');
    }
    if (groups.length > 0 && subnets.length === 0) {
        throw new errors/* ConfigurationError */.j1('Input "run-task-security-groups" needs "run-task-subnets" to go with it.', {
            input: 'run-task-security-groups',
        });
    }
    const publicIp = getOptionalString('run-task-assign-public-ip');
    const launchType = getOptionalString('run-task-launch-type') === undefined
        ? undefined
        : getEnum('run-task-launch-type', ['FARGATE', 'EC2', 'EXTERNAL'], 'FARGATE');
    const capacityProvider = getOptionalString('run-task-capacity-provider');
    if (capacityProvider !== undefined && !CAPACITY_PROVIDER.test(capacityProvider)) {
        throw invalidInput('run-task-capacity-provider', capacityProvider, 'expected a capacity provider name');
    }
    if (capacityProvider !== undefined && launchType !== undefined) {
        throw new errors/* ConfigurationError */.j1('Inputs "run-task-launch-type" and "run-task-capacity-provider" exclude each other: RunTask takes one or the other.', { input: 'run-task-capacity-provider' });
    }
    const assignPublicIp = publicIp === undefined ? undefined : getBoolean('run-task-assign-public-ip', false);
    return {
        command: rawCommand === undefined ? undefined : await parseCommandWords('run-task-command', rawCommand),
        environment: getKeyValueMap('run-task-environment', { perLine: true }),
        network: subnets.length > 0
            ? { subnets, securityGroups: groups, assignPublicIp: assignPublicIp ?? false }
            : undefined,
        assignPublicIp,
        launchType,
        capacityProvider,
        timeoutMs: readMinutes('run-task-wait-for-minutes'),
    };
}
/** Minutes, fractions allowed (`0.5`), as milliseconds. */
function readMinutes(name) {
    const raw = getString(name, { default: '30' });
    const minutes = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || minutes <= 0 || minutes > MAX_WAIT_MINUTES) {
        throw invalidInput(name, raw, `expected minutes from more than 0 to ${MAX_WAIT_MINUTES}, fractions allowed (like 0.5)`);
    }
    return Math.round(minutes * MINUTE);
}
function inputs_isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/strategy-inputs.ts





/**
 * promote and abort read only what they use (cluster, service, the CodeDeploy names, the waits and
 * the record inputs): the deploy step's other inputs may stay in place and are not read.
 */
async function readStrategyInputs(action) {
    const cluster = readCluster();
    const service = readService();
    if (service === undefined) {
        throw new errors/* ConfigurationError */.j1(`Input "action" is "${action}", which acts on a service: it needs input "service".`, {
            input: 'service',
        });
    }
    return {
        action,
        region: getOptionalString('aws-region'),
        cluster,
        service,
        codedeploy: await readCodeDeployInputs(action, undefined),
        waitMs: readMinutes('wait-for-minutes'),
        pollIntervalMs: readPollInterval(),
        record: readRecordInputs(),
    };
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/codedeploy/plan.ts





const SERVICE_SETTINGS = [
    ['desiredCount', 'desired-count'],
    ['forceNewDeployment', 'force-new-deployment'],
    ['enableExecuteCommand', 'enable-execute-command'],
    ['propagateTags', 'propagate-tags'],
    ['enableECSManagedTags', 'enable-ecs-managed-tags'],
];
async function planCodeDeploy(inputs, service, containers, signal) {
    const controller = service?.deploymentController?.type ?? 'ECS';
    if (!service || controller !== 'CODE_DEPLOY') {
        const stray = inputs.codedeploy.given[0];
        if (stray !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Input "${stray}" is for a service whose deployment controller is CODE_DEPLOY; ${service ? `service ${inputs.service} uses ${controller}` : 'no service was given'}. Nothing was registered or changed.`, { input: stray, hint: 'remove the codedeploy-* and container-port inputs for this service' });
        }
        return undefined;
    }
    const setting = SERVICE_SETTINGS.find(([key]) => inputs.settings[key] !== undefined);
    if (setting) {
        throw new errors/* ConfigurationError */.j1(`Input "${setting[1]}" is an UpdateService setting, and service ${inputs.service} is deployed by CodeDeploy: Gantry sends it no UpdateService. Nothing was registered or changed.`, {
            input: setting[1],
            hint: "change the service's settings where it is defined (Terraform, CloudFormation)",
        });
    }
    const appSpec = inputs.codedeploy.appSpec ?? appSpecFromInputs(inputs, containers);
    if (!containers.includes(appSpec.containerName)) {
        throw new errors/* ConfigurationError */.j1(`The AppSpec routes traffic to container "${appSpec.containerName}", which the task definition does not have (it has ${containers.join(', ')}).`, { input: inputs.codedeploy.appSpec ? 'codedeploy-appspec' : 'container-name' });
    }
    const client = await (0,codedeploy_client/* createCodeDeploy */.lJ)(inputs.region);
    try {
        const target = await resolveTarget(client, {
            application: inputs.codedeploy.application,
            group: inputs.codedeploy.group,
            cluster: inputs.cluster,
            service: inputs.service,
        }, signal);
        const ready = target.info.blueGreenDeploymentConfiguration?.deploymentReadyOption;
        const waits = ready?.actionOnTimeout === 'STOP_DEPLOYMENT';
        if (inputs.codedeploy.waitUntil === 'ready' && !waits) {
            throw new errors/* ConfigurationError */.j1(`Input "codedeploy-wait-until" is "ready", but deployment group ${target.application}/${target.group} reroutes production traffic without waiting (deploymentReadyOption.actionOnTimeout is ${ready?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT'}): the deployment would never stop at Ready. Nothing was registered or changed.`, {
                input: 'codedeploy-wait-until',
                hint: "set the group's deploymentReadyOption to actionOnTimeout STOP_DEPLOYMENT with a waitTimeInMinutes, or use codedeploy-wait-until: complete",
            });
        }
        if (inputs.codedeploy.waitUntil === 'complete' && waits && inputs.wait) {
            log/* notice */.lm(`Deployment group ${target.application}/${target.group} waits at Ready for up to ${ready?.waitTimeInMinutes ?? 0} minutes until traffic is rerouted: this step waits for that too (a promote step, or Continue in the console), then for the end.`);
        }
        const [inFlight] = await activeDeployments(client, target, signal);
        if (inFlight) {
            throw new errors/* ActionError */.lZ(`CodeDeploy deployment ${inFlight.deploymentId} of ${target.application}/${target.group} is still ${inFlight.status}: CodeDeploy runs one deployment per group at a time. Nothing was registered or changed.`, { hint: 'promote it (action: promote) or abort it (action: abort) first' });
        }
        return { client, plan: { target, appSpec } };
    }
    catch (error) {
        client.destroy();
        throw error;
    }
}
function appSpecFromInputs(inputs, containers) {
    const port = inputs.codedeploy.containerPort;
    if (port === undefined) {
        throw new errors/* ConfigurationError */.j1(`Service ${inputs.service} is deployed by CodeDeploy, which needs the container and port its load balancer routes to: give "container-port" (and "container-name" with several containers), or an AppSpec file in "codedeploy-appspec".`, { input: 'container-port' });
    }
    const containerName = inputs.render.containerName ?? (containers.length === 1 ? containers[0] : undefined);
    if (containerName === undefined) {
        throw new errors/* ConfigurationError */.j1(`The task definition has ${containers.length} containers (${containers.join(', ')}): "container-name" must say which one the load balancer routes to.`, { input: 'container-name' });
    }
    return buildAppSpec({ containerName, containerPort: port, hooks: inputs.codedeploy.hooks });
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/render/canonical.ts

/**
 * A task definition in a canonical form, so that a rendered definition and a registered revision
 * compare equal when ECS would run them the same: read-only fields dropped, keys sorted, empty
 * lists and maps and null values dropped, ECS's defaults filled in (a container is essential, cpu
 * 0, a port mapping's protocol tcp and its host port the container port in awsvpc mode), and the
 * name/value lists (environment, secrets) sorted by name since their order means nothing.
 */
function canonicalTaskDefinition(definition) {
    const copy = registrable(definition);
    const networkMode = typeof copy.networkMode === 'string' ? copy.networkMode : 'bridge';
    copy.networkMode = networkMode;
    if (Array.isArray(copy.containerDefinitions)) {
        copy.containerDefinitions = copy.containerDefinitions.map((container) => canonicalContainer(container, networkMode));
    }
    // Task sizes are strings on the wire, but a file may say 256 or "256".
    for (const size of ['cpu', 'memory'])
        if (typeof copy[size] === 'number')
            copy[size] = String(copy[size]);
    return normalise(copy);
}
function sameTaskDefinition(a, b) {
    return JSON.stringify(canonicalTaskDefinition(a)) === JSON.stringify(canonicalTaskDefinition(b));
}
/** The fields that differ, as `path: old -> new` lines, for dry-run and the summary. */
function diffTaskDefinitions(live, rendered) {
    const before = flatten(live ? canonicalTaskDefinition(live) : {});
    const after = flatten(canonicalTaskDefinition(rendered));
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
    return paths
        .filter((path) => before.get(path) !== after.get(path))
        .map((path) => `${path}: ${before.get(path) ?? '(none)'} -> ${after.get(path) ?? '(none)'}`);
}
function canonicalContainer(container, networkMode) {
    const copy = { essential: true, cpu: 0, ...container };
    if (Array.isArray(copy.portMappings)) {
        copy.portMappings = copy.portMappings.map((mapping) => ({
            protocol: 'tcp',
            hostPort: networkMode === 'awsvpc' ? mapping.containerPort : 0,
            ...mapping,
        }));
    }
    for (const list of ['environment', 'secrets']) {
        if (Array.isArray(copy[list])) {
            copy[list] = [...copy[list]].sort((x, y) => x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
        }
    }
    return copy;
}
function normalise(value) {
    if (Array.isArray(value)) {
        const items = value.map(normalise).filter((item) => item !== undefined);
        return items.length === 0 ? undefined : items;
    }
    if (typeof value === 'object' && value !== null) {
        const entries = Object.keys(value)
            .sort()
            .map((key) => [key, normalise(value[key])])
            .filter(([, entry]) => entry !== undefined);
        return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }
    return value === null ? undefined : value;
}
function flatten(value, prefix = '', out = new Map()) {
    if (Array.isArray(value)) {
        // Containers by name, so a diff says which container changed rather than an index.
        value.forEach((item, index) => {
            const name = typeof item === 'object' &&
                item !== null &&
                typeof item.name === 'string' &&
                prefix.endsWith('containerDefinitions')
                ? item.name
                : String(index);
            flatten(item, `${prefix}[${name}]`, out);
        });
    }
    else if (typeof value === 'object' && value !== null) {
        for (const [key, entry] of Object.entries(value))
            flatten(entry, prefix ? `${prefix}.${key}` : key, out);
    }
    else if (value !== undefined) {
        out.set(prefix, JSON.stringify(value));
    }
    return out;
}

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

// EXTERNAL MODULE: ./shared/src/async/sleep.ts + 1 modules
var sleep = __nccwpck_require__(3701);
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
    const aws = ecs ?? (await (0,ecs_client/* createEcs */.Cz)(options.region));
    const { sdk, client, config } = aws;
    let cloudwatch;
    try {
        const definition = await (0,ecs_client/* ecsCall */.EK)('DescribeTaskDefinition', () => client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: options.taskDefinition }), {
            abortSignal: signal,
        }));
        const taskDefinition = definition.taskDefinition ?? {};
        const container = chooseContainer(taskDefinition.containerDefinitions ?? [], options);
        const task = await startTask(aws, options, container.name, taskDefinition, signal);
        const taskArn = task.taskArn;
        const where = `task ${taskArn} of ${taskDefinition.family}:${taskDefinition.revision} on cluster ${options.cluster}`;
        log/* info */.pq(`Started ${where}${options.command ? `: ${options.command.join(' ')}` : ''}.`);
        const tail = new LogTail();
        const stream = awslogsStream(container, taskArn, config.region);
        let logs;
        if (stream) {
            const logsSdk = await Promise.all(/* import() */[__nccwpck_require__.e(861), __nccwpck_require__.e(303)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2684, 19));
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
    const answer = await (0,ecs_client/* ecsCall */.EK)('RunTask', () => client.send(new sdk.RunTaskCommand({
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
            await (0,ecs_client/* ecsCall */.EK)('StopTask', () => ecs.client.send(new ecs.sdk.StopTaskCommand({ cluster: options.cluster, task: taskArn, reason })));
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
        const answer = await (0,ecs_client/* ecsCall */.EK)('DescribeTasks', () => client.send(new sdk.DescribeTasksCommand({ cluster: options.cluster, tasks: [taskArn] }), {
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

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/run-task/run.ts


/**
 * run-task: the rendered revision once as a one-off task (a migration before the service update),
 * on the service's network and launch type unless the run-task-* inputs say otherwise. Any
 * non-zero exit of an essential container fails it.
 */
async function runTask(ecs, inputs, run, taskDefinition, service, taskNetwork, signal) {
    const capacityProvider = run.capacityProvider ??
        (run.launchType === undefined ? service?.capacityProviderStrategy?.[0]?.capacityProvider : undefined);
    return runOneOffTask({
        region: inputs.region,
        cluster: inputs.cluster,
        taskDefinition,
        container: inputs.render.containerName,
        containerInput: 'container-name',
        launchType: capacityProvider ? undefined : (run.launchType ?? service?.launchType ?? 'FARGATE'),
        capacityProvider,
        network: taskNetwork,
        command: run.command,
        environment: run.environment,
        timeoutMs: run.timeoutMs,
        pollIntervalMs: inputs.pollIntervalMs,
        startedBy: 'gantry-deploy-ecs',
        noun: 'Task',
        purpose: 'the command',
        verdictOf: 'essential-containers',
    }, signal, ecs);
}
/** The task's network: the inputs', else the service's; checked before anything is registered. */
function runTaskNetwork(run, service) {
    if (run.network)
        return run.network;
    const vpc = service?.networkConfiguration?.awsvpcConfiguration;
    if (vpc?.subnets && vpc.subnets.length > 0) {
        return {
            subnets: vpc.subnets,
            securityGroups: vpc.securityGroups ?? [],
            assignPublicIp: run.assignPublicIp ?? vpc.assignPublicIp === 'ENABLED',
        };
    }
    if ((run.launchType ?? service?.launchType ?? 'FARGATE') === 'FARGATE' && !run.capacityProvider) {
        throw new errors/* ConfigurationError */.j1('Input "run-task-subnets" is required: a Fargate task runs in a VPC, and there is no service network configuration to take the subnets from.', { input: 'run-task-subnets' });
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/plan.ts








async function planDeployment(ecs, inputs, signal) {
    await checkCluster(ecs, inputs.cluster, signal);
    const service = inputs.service === undefined
        ? undefined
        : await checkService(ecs, inputs.cluster, inputs.service, signal);
    const currentTaskDefinition = service ? primaryDeployment(service).taskDefinition : undefined;
    const taskNetwork = inputs.runTask ? runTaskNetwork(inputs.runTask, service) : undefined;
    const live = currentTaskDefinition
        ? await describeTaskDefinition(ecs, currentTaskDefinition, signal)
        : undefined;
    if (inputs.source.kind === 'arn') {
        const given = await describeTaskDefinition(ecs, inputs.source.reference, signal);
        if (!given) {
            throw new errors/* ActionError */.lZ(`Task definition ${inputs.source.reference} (input "task-definition-arn") does not exist.`);
        }
        const arn = given.taskDefinition.taskDefinitionArn;
        return {
            service,
            currentTaskDefinition,
            rendered: undefined,
            reuse: arn,
            diff: diffTaskDefinitions(live?.taskDefinition, given.taskDefinition),
            taskNetwork,
            codeDeploy: await planCodeDeploy(inputs, service, containerNames(given.taskDefinition), signal),
        };
    }
    const source = inputs.source.kind === 'file' ? inputs.source.definition : sourceFromService(live, currentTaskDefinition);
    const result = renderTaskDefinition(source, inputs.render);
    if ('problem' in result)
        throw new errors/* ConfigurationError */.j1(result.problem.message, { input: result.problem.input });
    const rendered = result.definition;
    const latest = await describeTaskDefinition(ecs, String(rendered.family), signal);
    const reuse = latest &&
        latest.taskDefinition.status !== 'INACTIVE' &&
        sameTaskDefinition(rendered, latest.taskDefinition)
        ? latest.taskDefinition.taskDefinitionArn
        : undefined;
    if (reuse)
        log/* info */.pq(`The rendered task definition is identical to ${reuse}: reusing it, nothing is registered.`);
    return {
        service,
        currentTaskDefinition,
        rendered,
        reuse,
        diff: diffTaskDefinitions(live?.taskDefinition ?? latest?.taskDefinition, rendered),
        taskNetwork,
        codeDeploy: await planCodeDeploy(inputs, service, containerNames(rendered), signal),
    };
}
function containerNames(definition) {
    const containers = definition.containerDefinitions;
    return Array.isArray(containers)
        ? containers.flatMap((container) => {
            const name = container.name;
            return typeof name === 'string' ? [name] : [];
        })
        : [];
}
function sourceFromService(live, arn) {
    if (!live)
        throw new errors/* ActionError */.lZ(`The service's task definition ${arn ?? '(none)'} cannot be described.`);
    return live.taskDefinition;
}

// EXTERNAL MODULE: ./shared/src/ecs/deployment-tracker.ts
var deployment_tracker = __nccwpck_require__(9583);
// EXTERNAL MODULE: ./shared/src/ecs/rollback.ts
var ecs_rollback = __nccwpck_require__(7805);
// EXTERNAL MODULE: ./actions/deploy-ecs/src/service/post-state.ts
var service_post_state = __nccwpck_require__(6451);
;// CONCATENATED MODULE: ./actions/deploy-ecs/src/service/update.ts
/**
 * The UpdateService request, with only what the user set: an empty input is never sent as false,
 * [] or 0, so settings another tool manages (Terraform's desired count, autoscaling) stay as they are.
 */
function updateRequest(cluster, service, taskDefinition, settings) {
    return {
        cluster,
        service,
        taskDefinition,
        ...(settings.desiredCount !== undefined && { desiredCount: settings.desiredCount }),
        ...(settings.forceNewDeployment !== undefined && { forceNewDeployment: settings.forceNewDeployment }),
        ...(settings.enableExecuteCommand !== undefined && {
            enableExecuteCommand: settings.enableExecuteCommand,
        }),
        ...(settings.propagateTags !== undefined && { propagateTags: settings.propagateTags }),
        ...(settings.enableECSManagedTags !== undefined && {
            enableECSManagedTags: settings.enableECSManagedTags,
        }),
    };
}
/** The settings that would change the service, as `name: old -> new`; empty when nothing would. */
function settingChanges(service, settings) {
    const changes = [];
    const compare = (name, current, wanted) => {
        if (wanted !== undefined && wanted !== current)
            changes.push(`${name}: ${String(current)} -> ${String(wanted)}`);
    };
    compare('desired-count', service.desiredCount, settings.desiredCount);
    compare('enable-execute-command', service.enableExecuteCommand ?? false, settings.enableExecuteCommand);
    compare('propagate-tags', service.propagateTags ?? 'NONE', settings.propagateTags);
    compare('enable-ecs-managed-tags', service.enableECSManagedTags ?? false, settings.enableECSManagedTags);
    return changes;
}
/** ECS starts no deployment for an update that changes nothing: say so rather than wait for one. */
function nothingToDeploy(service, currentTaskDefinition, taskDefinition, settings) {
    return (currentTaskDefinition === taskDefinition &&
        settings.forceNewDeployment !== true &&
        settingChanges(service, settings).length === 0 &&
        (service.deployments ?? []).length === 1);
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/service/deploy.ts









async function deployToService(ecs, inputs, service, taskDefinition, signal) {
    const name = inputs.service;
    const previous = primaryDeployment(service);
    const since = new Date();
    const activity = new service_activity/* ServiceActivity */.h(since);
    const base = {
        deployed: false,
        previousTaskDefinition: previous.taskDefinition,
        serviceDeploymentArn: undefined,
        deploymentId: undefined,
        rolloutState: '',
        rolledBack: false,
        failure: undefined,
        durationMs: 0,
        activity,
        stages: [],
        rollback: undefined,
        serviceTaskDefinition: previous.taskDefinition,
        cancelled: false,
    };
    if (nothingToDeploy(service, previous.taskDefinition, taskDefinition, inputs.settings)) {
        log/* info */.pq(`Nothing to deploy: service ${name} already runs ${taskDefinition} and no service setting changes.`);
        return base;
    }
    const answer = await (0,ecs_client/* ecsCall */.EK)('UpdateService', () => ecs.client.send(new ecs.sdk.UpdateServiceCommand(updateRequest(inputs.cluster, name, taskDefinition, inputs.settings)), {
        abortSignal: signal,
    }));
    const primary = primaryDeployment(answer.service ?? {});
    if (primary.id !== undefined && primary.id === previous.id) {
        log/* info */.pq(`Nothing to deploy: ECS started no deployment for service ${name} (it already runs ${taskDefinition}).`);
        return base;
    }
    log/* info */.pq(`Updated service ${name} to ${taskDefinition}: deployment ${primary.id ?? '(no id)'}.`);
    const outcome = {
        ...base,
        deployed: true,
        deploymentId: primary.id,
        rolloutState: 'IN_PROGRESS',
    };
    if (!inputs.wait)
        return outcome;
    const tracker = new deployment_tracker/* DeploymentTracker */.I(ecs, {
        cluster: inputs.cluster,
        service: name,
        since,
        deploymentId: primary.id,
        expect: 'deploy',
        pollIntervalMs: inputs.pollIntervalMs,
        deadline: new async_deadline/* Deadline */.B(inputs.waitMs, `deployment ${primary.id ?? ''} of service ${name} to finish`),
        signal,
        activity,
    });
    (0,service_post_state/* markDeploymentInFlight */.S$)({
        region: ecs.config.region,
        cluster: inputs.cluster,
        service: name,
        deploymentId: primary.id,
        previous,
        since,
    });
    let tracked;
    try {
        tracked = await tracker.track();
    }
    catch (error) {
        if (!signal.aborted)
            throw error;
        return deploy_cancelled(ecs, inputs, outcome, tracker, since);
    }
    finally {
        outcome.durationMs = Date.now() - since.getTime();
    }
    (0,service_post_state/* markDeploymentFinished */.dG)();
    return deploy_finish(ecs, inputs, outcome, tracked, signal);
}
async function deploy_finish(ecs, inputs, outcome, tracked, signal) {
    outcome.serviceDeploymentArn = tracked.serviceDeploymentArn;
    outcome.rolloutState = tracked.state;
    outcome.stages = tracked.stages;
    outcome.serviceTaskDefinition = tracked.serviceTaskDefinition;
    if (tracked.verdict === 'succeeded')
        return outcome;
    outcome.failure = `Deployment of service ${inputs.service} ${tracked.verdict === 'timed-out' ? 'timed out' : 'failed'}: ${tracked.reason ?? tracked.state}`;
    if (tracked.rolledBackByEcs) {
        outcome.rolledBack = true;
        outcome.rollback = { by: 'ecs' };
        return outcome;
    }
    const previous = outcome.previousTaskDefinition;
    if (!inputs.rollbackOnFailure || previous === undefined)
        return outcome;
    const rollback = await (0,ecs_rollback/* rollBackService */.G)(ecs, {
        cluster: inputs.cluster,
        service: inputs.service,
        serviceDeploymentArn: tracked.serviceDeploymentArn,
        inFlight: tracked.inFlight,
        previousTaskDefinition: previous,
        pollIntervalMs: inputs.pollIntervalMs,
        timeoutMs: inputs.waitMs,
        wait: true,
        signal,
    });
    const result = rollback.tracked;
    outcome.activity.events.push(...rollback.activity.events);
    outcome.activity.stoppedTasks.push(...rollback.activity.stoppedTasks);
    outcome.rollback = {
        how: rollback.how,
        by: 'gantry',
        outcome: result
            ? `${result.verdict} (${result.state})${result.reason && result.verdict !== 'succeeded' ? `: ${result.reason}` : ''}`
            : 'started',
    };
    outcome.rolledBack = result?.verdict === 'succeeded';
    if (result) {
        outcome.rolloutState = rollback.how === 'stop-with-rollback' ? result.state : outcome.rolloutState;
        outcome.serviceTaskDefinition = result.serviceTaskDefinition;
    }
    return outcome;
}
/** A cancelled job has seconds before the runner kills it: start the rollback, do not wait for it. */
async function deploy_cancelled(ecs, inputs, outcome, tracker, since) {
    outcome.cancelled = true;
    outcome.serviceDeploymentArn = tracker.serviceDeploymentArn;
    outcome.failure = `The run was cancelled while deployment ${outcome.deploymentId ?? ''} of service ${inputs.service} was in flight`;
    const previous = outcome.previousTaskDefinition;
    if (!inputs.rollbackOnFailure || previous === undefined)
        return outcome;
    const rollback = await (0,ecs_rollback/* rollBackService */.G)(ecs, {
        cluster: inputs.cluster,
        service: inputs.service,
        serviceDeploymentArn: tracker.serviceDeploymentArn ?? (await findServiceDeployment(ecs, inputs, outcome.deploymentId, since)),
        inFlight: true,
        previousTaskDefinition: previous,
        pollIntervalMs: inputs.pollIntervalMs,
        timeoutMs: inputs.waitMs,
        wait: false,
        signal: new AbortController().signal,
    });
    (0,service_post_state/* markDeploymentFinished */.dG)();
    outcome.rollback = { how: rollback.how, by: 'gantry', outcome: 'started (the job was cancelled)' };
    return outcome;
}
async function findServiceDeployment(ecs, inputs, deploymentId, since) {
    const listed = await (0,ecs_client/* ecsCall */.EK)('ListServiceDeployments', () => ecs.client.send(new ecs.sdk.ListServiceDeploymentsCommand({
        cluster: inputs.cluster,
        service: inputs.service,
        createdAt: { after: new Date(since.getTime() - 5000) },
    }))).catch(() => undefined);
    return (0,deployment_tracker/* ownServiceDeployment */.B)(listed?.serviceDeployments ?? [], { deploymentId, since })
        ?.serviceDeploymentArn;
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/main.ts














/**
 * plan (checks, render, compare) -> (dry run stops here) -> register (only on change) -> run task
 * (run-task) -> record the deploy (in_progress) -> update the service and track our deployment (or,
 * for a CODE_DEPLOY service, create the CodeDeploy deployment and follow it) -> roll back -> the
 * record's success or failure (and the rollback's own) -> outputs and summary.
 * `action: promote | abort` moves a CodeDeploy deployment on or back instead (codedeploy/strategy.ts).
 */
async function run({ signal }) {
    const action = readAction();
    if (action !== 'deploy')
        return promoteOrAbort(await readStrategyInputs(action), signal);
    const inputs = await readInputs();
    const ecs = await (0,ecs_client/* createEcs */.Cz)(inputs.region);
    let plan;
    try {
        plan = await planDeployment(ecs, inputs, signal);
        const report = {
            inputs,
            plan,
            taskDefinitionArn: plan.reuse,
            registered: false,
            images: main_imagesOf(inputs),
            task: undefined,
            deployment: undefined,
            dryRun: inputs.dryRun,
            githubDeploymentId: undefined,
        };
        if (inputs.dryRun) {
            logDryRun(plan);
            return await main_finish(report);
        }
        report.taskDefinitionArn = await register(ecs, inputs, plan, signal);
        report.registered = plan.reuse === undefined;
        const records = serviceRecords(inputs, signal, plan.codeDeploy !== undefined);
        const record = await startServiceRecord(records, {
            taskDefinitionArn: report.taskDefinitionArn,
            previous: plan.currentTaskDefinition,
            images: report.images,
        });
        report.githubDeploymentId = record.id;
        try {
            await release(ecs, inputs, plan, report, signal);
        }
        catch (error) {
            if (!signal.aborted)
                await record.finish('failure', (0,errors/* errorMessage */.gJ)(error));
            throw error;
        }
        const failure = failureMessage(report);
        await record.finish(failure ? 'failure' : 'success', failure ?? `Deployed ${records_shortName(report.taskDefinitionArn)} to ${inputs.service}`);
        if (failure)
            await recordServiceRollback(records, ecs, record, report.deployment, report.taskDefinitionArn);
        await main_finish(report);
    }
    finally {
        plan?.codeDeploy?.client.destroy();
        ecs.client.destroy();
    }
}
/** The one-off task, then (only when it succeeded: it may be a migration) the service update. */
async function release(ecs, inputs, plan, report, signal) {
    const taskDefinitionArn = report.taskDefinitionArn;
    if (inputs.runTask) {
        report.task = await runTask(ecs, inputs, inputs.runTask, taskDefinitionArn, plan.service, plan.taskNetwork, signal);
        if (report.task.failure)
            return;
    }
    if (plan.codeDeploy) {
        report.deployment = await deployWithCodeDeploy(plan.codeDeploy.client, inputs, plan.codeDeploy.plan, plan.currentTaskDefinition, taskDefinitionArn, signal);
    }
    else if (plan.service) {
        report.deployment = await deployToService(ecs, inputs, plan.service, taskDefinitionArn, signal);
    }
}
function main_imagesOf(inputs) {
    return Object.values(inputs.render.images);
}
async function register(ecs, inputs, plan, signal) {
    if (plan.reuse)
        return plan.reuse;
    const rendered = plan.rendered;
    const registered = await registerTaskDefinition(ecs, rendered, inputs.tags, signal);
    const arn = registered.taskDefinitionArn;
    if (typeof arn !== 'string')
        throw new errors/* ActionError */.lZ('RegisterTaskDefinition returned no taskDefinitionArn.');
    log/* info */.pq(`Registered ${arn}.`);
    return arn;
}
function logDryRun(plan) {
    log/* info */.pq(plan.diff.length === 0
        ? 'Dry run: the task definition would not change.'
        : `Dry run: the task definition would change:\n${plan.diff.map((line) => `  ${line}`).join('\n')}`);
    log/* info */.pq(plan.reuse
        ? `Dry run: ${plan.reuse} would be reused.`
        : 'Dry run: a new revision would be registered. Nothing was changed.');
    const codeDeploy = plan.codeDeploy?.plan;
    if (codeDeploy) {
        const { application, group } = codeDeploy.target;
        log/* info */.pq(`Dry run: a CodeDeploy deployment of ${application}/${group} would be created with this AppSpec (TaskDefinition filled in):\n${JSON.stringify(codeDeploy.appSpec.document, null, 2)}`);
    }
}
async function main_finish(report) {
    writeOutputs(report);
    annotate(report);
    await buildSummary(report).write();
    const failure = failureMessage(report);
    if (report.deployment?.cancelled)
        throw new errors/* CancelledError */.cc(report.deployment.failure);
    if (failure)
        throw new errors/* ReportedFailure */.g7(failure.split('\n')[0]);
}


/***/ }),

/***/ 147:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _shared_src_ecs_client_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1646);
/* harmony import */ var _shared_src_ecs_deployment_tracker_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9583);
/* harmony import */ var _shared_src_ecs_rollback_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7805);
/* harmony import */ var _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(5392);
/* harmony import */ var _shared_src_codedeploy_client_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(4335);
/* harmony import */ var _codedeploy_post_state_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(20);
/* harmony import */ var _shared_src_codedeploy_stop_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(2820);
/* harmony import */ var _service_post_state_js__WEBPACK_IMPORTED_MODULE_7__ = __nccwpck_require__(6451);








/**
 * The post step: when the main step was killed while our deployment was in flight (a cancelled job
 * whose main step did not get to roll back), start the rollback now: for a CodeDeploy deployment,
 * StopDeployment with auto rollback. Otherwise it does nothing.
 */
async function post() {
    await stopCodeDeployLeftInFlight();
    const left = (0,_service_post_state_js__WEBPACK_IMPORTED_MODULE_7__/* .deploymentLeftInFlight */ .GF)();
    if (!left?.previous.taskDefinition)
        return;
    _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`The deployment of service ${left.service} did not finish: rolling it back to ${left.previous.taskDefinition}.`);
    const ecs = await (0,_shared_src_ecs_client_js__WEBPACK_IMPORTED_MODULE_0__/* .createEcs */ .Cz)(left.region);
    try {
        const listed = await (0,_shared_src_ecs_client_js__WEBPACK_IMPORTED_MODULE_0__/* .ecsCall */ .EK)('ListServiceDeployments', () => ecs.client.send(new ecs.sdk.ListServiceDeploymentsCommand({
            cluster: left.cluster,
            service: left.service,
            createdAt: { after: new Date(left.since.getTime() - 5000) },
        }))).catch(() => undefined);
        const ours = (0,_shared_src_ecs_deployment_tracker_js__WEBPACK_IMPORTED_MODULE_1__/* .ownServiceDeployment */ .B)(listed?.serviceDeployments ?? [], left);
        await (0,_shared_src_ecs_rollback_js__WEBPACK_IMPORTED_MODULE_2__/* .rollBackService */ .G)(ecs, {
            cluster: left.cluster,
            service: left.service,
            serviceDeploymentArn: ours?.serviceDeploymentArn,
            inFlight: ours?.status === 'PENDING' || ours?.status === 'IN_PROGRESS',
            previousTaskDefinition: left.previous.taskDefinition,
            pollIntervalMs: 5000,
            timeoutMs: 60_000,
            wait: false,
            signal: new AbortController().signal,
        });
        (0,_service_post_state_js__WEBPACK_IMPORTED_MODULE_7__/* .markDeploymentFinished */ .dG)();
    }
    finally {
        ecs.client.destroy();
    }
}
/** A CodeDeploy deployment the killed main step was waiting for: stopped with auto rollback. */
async function stopCodeDeployLeftInFlight() {
    const left = (0,_codedeploy_post_state_js__WEBPACK_IMPORTED_MODULE_5__/* .codeDeployLeftInFlight */ .XA)();
    if (!left)
        return;
    _shared_src_runner_log_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`CodeDeploy deployment ${left.deploymentId} did not finish: stopping it with auto rollback.`);
    const cd = await (0,_shared_src_codedeploy_client_js__WEBPACK_IMPORTED_MODULE_4__/* .createCodeDeploy */ .lJ)(left.region);
    try {
        await (0,_shared_src_codedeploy_stop_js__WEBPACK_IMPORTED_MODULE_6__/* .stopWithRollback */ .D)(cd, left.deploymentId, {
            pollIntervalMs: 5000,
            timeoutMs: 60_000,
            wait: false,
            signal: new AbortController().signal,
        });
        (0,_codedeploy_post_state_js__WEBPACK_IMPORTED_MODULE_5__/* .markCodeDeployFinished */ .Mx)();
    }
    finally {
        cd.destroy();
    }
}


/***/ }),

/***/ 6451:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   GF: () => (/* binding */ deploymentLeftInFlight),
/* harmony export */   S$: () => (/* binding */ markDeploymentInFlight),
/* harmony export */   dG: () => (/* binding */ markDeploymentFinished)
/* harmony export */ });
/* harmony import */ var _shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1169);

const KEY = 'deploy-ecs-in-flight';
function markDeploymentInFlight(deployment) {
    (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)(KEY, JSON.stringify({ ...deployment, since: deployment.since.toISOString() }));
}
function markDeploymentFinished() {
    (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)(KEY, '');
}
function deploymentLeftInFlight() {
    const raw = (0,_shared_src_runner_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)(KEY);
    if (!raw)
        return undefined;
    const parsed = JSON.parse(raw);
    return { ...parsed, since: new Date(parsed.since) };
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
  yy: () => (/* binding */ sleep),
  Te: () => (/* binding */ throwIfAborted)
});

// UNUSED EXPORTS: abortReason

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

/***/ 4335:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   N1: () => (/* reexport safe */ _ecs_client_js__WEBPACK_IMPORTED_MODULE_1__.EK),
/* harmony export */   Oe: () => (/* reexport safe */ _ecs_client_js__WEBPACK_IMPORTED_MODULE_1__.Oe),
/* harmony export */   lJ: () => (/* binding */ createCodeDeploy)
/* harmony export */ });
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3526);
/* harmony import */ var _ecs_client_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1646);

async function createCodeDeploy(region) {
    const sdk = await Promise.all(/* import() */[__nccwpck_require__.e(861), __nccwpck_require__.e(507)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 7507, 19));
    const config = (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsClientConfig */ .rw)({ region });
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
    return (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorName */ .ZH)(error.cause);
}


/***/ }),

/***/ 2820:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ stopWithRollback),
/* harmony export */   L: () => (/* binding */ waitForRollback)
/* harmony export */ });
/* harmony import */ var _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2874);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5392);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(4335);
/* harmony import */ var _watch_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(497);




async function stopWithRollback(cd, deploymentId, options) {
    const deadline = new _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .Deadline */ .B(options.timeoutMs, `deployment ${deploymentId} to stop and roll back`);
    try {
        await (0,_client_js__WEBPACK_IMPORTED_MODULE_2__/* .codeDeployCall */ .N1)('StopDeployment', () => cd.writer.send(new cd.sdk.StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }), {
            abortSignal: options.signal,
        }), { deadline, signal: options.signal, classify: _client_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyThrottling */ .Oe });
        _runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Stopped CodeDeploy deployment ${deploymentId} with auto rollback.`);
    }
    catch (error) {
        // Ended meanwhile (failed and rolled back, or succeeded): what it became is read below.
        if ((0,_client_js__WEBPACK_IMPORTED_MODULE_2__/* .errorCode */ .CA)(error) !== 'DeploymentAlreadyCompletedException')
            throw error;
        _runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`CodeDeploy deployment ${deploymentId} had already ended.`);
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
    const watch = new _watch_js__WEBPACK_IMPORTED_MODULE_3__/* .DeploymentWatch */ .T(cd, {
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
    _runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Waiting for rollback deployment ${rollbackDeploymentId}: the original task set serves again when it succeeds.`);
    const watch = new _watch_js__WEBPACK_IMPORTED_MODULE_3__/* .DeploymentWatch */ .T(cd, {
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


/***/ }),

/***/ 497:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ DeploymentWatch)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3904);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5392);
/* harmony import */ var _async_sleep_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3701);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(4335);




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
                await (0,_async_sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy)(Math.min(pollIntervalMs, deadline.remaining()), signal);
            }
        }
        catch (error) {
            // A call or a retry that fails once the deadline has passed ends the wait as a timeout.
            if (signal.aborted || !(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeadlineExceededError */ .Kt || deadline.expired()))
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
        const { deploymentInfo } = await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .codeDeployCall */ .N1)('GetDeployment', () => this.cd.client.send(new this.cd.sdk.GetDeploymentCommand({ deploymentId }), {
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
        this.targetIds ??= (await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .codeDeployCall */ .N1)('ListDeploymentTargets', () => this.cd.client.send(new this.cd.sdk.ListDeploymentTargetsCommand({ deploymentId }), {
            abortSignal: retrying.signal,
        }), retrying)).targetIds;
        if (!this.targetIds || this.targetIds.length === 0) {
            this.targetIds = undefined;
            return;
        }
        const ids = this.targetIds;
        const { deploymentTargets } = await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .codeDeployCall */ .N1)('BatchGetDeploymentTargets', () => this.cd.client.send(new this.cd.sdk.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids }), {
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
        _runner_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`CodeDeploy ${this.options.deploymentId}: ${line}`);
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


/***/ }),

/***/ 1646:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Cz: () => (/* binding */ createEcs),
/* harmony export */   EK: () => (/* binding */ ecsCall),
/* harmony export */   Oe: () => (/* binding */ classifyThrottling)
/* harmony export */ });
/* unused harmony export classifyEcsError */
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3526);
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5082);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(5392);
/* harmony import */ var _async_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(3014);




async function createEcs(region) {
    const sdk = await Promise.all(/* import() */[__nccwpck_require__.e(861), __nccwpck_require__.e(212)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 212, 19));
    const config = (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsClientConfig */ .rw)({ region });
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
            throw (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsActionError */ .Ey)(operation, error);
        }
    };
    if (!retrying)
        return once();
    return (0,_async_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L5)(once, {
        what: operation,
        classify: retrying.classify ?? classifyEcsError,
        deadline: retrying.deadline,
        signal: retrying.signal,
        onRetry: ({ attempt, delayMs, reason }) => _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`${operation}: ${reason}; retrying in ${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(delayMs)} (attempt ${attempt + 1}).`),
    });
}
/** Throttled requests were refused before any work was done: the one failure a write may repeat. */
function classifyThrottling(error) {
    const name = (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorName */ .ZH)(error.cause);
    return name !== undefined && THROTTLING.has(name)
        ? { transient: true, reason: `throttled (${name})` }
        : { transient: false };
}
function classifyEcsError(error) {
    const cause = error.cause;
    const name = (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorName */ .ZH)(cause);
    if (name !== undefined && THROTTLING.has(name))
        return { transient: true, reason: `throttled (${name})` };
    const status = cause?.$metadata
        ?.httpStatusCode;
    if (status !== undefined && status >= 500)
        return { transient: true, reason: `server error ${status} (${name})` };
    return { transient: false };
}


/***/ }),

/***/ 9583:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ ownServiceDeployment),
/* harmony export */   I: () => (/* binding */ DeploymentTracker)
/* harmony export */ });
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3526);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3904);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(5392);
/* harmony import */ var _async_sleep_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(3701);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(1646);





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
            await (0,_async_sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .sleep */ .yy)(Math.min(pollIntervalMs, deadline.remaining()), signal);
        }
    }
    async readServiceDeployment() {
        if (this.legacy)
            return undefined;
        const { cluster, service, signal } = this.options;
        if (this.arn === undefined) {
            try {
                const listed = await (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .ecsCall */ .EK)('ListServiceDeployments', () => this.ecs.client.send(new this.ecs.sdk.ListServiceDeploymentsCommand({
                    cluster,
                    service,
                    createdAt: { after: new Date(this.options.since.getTime() - SKEW_MS) },
                }), { abortSignal: signal }), this.retrying);
                const ours = ownServiceDeployment(listed.serviceDeployments ?? [], this.options);
                if (ours?.serviceDeploymentArn) {
                    this.arn = ours.serviceDeploymentArn;
                    _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Tracking service deployment ${this.arn}.`);
                }
                else if (++this.listAttempts >= LIST_ATTEMPTS) {
                    this.useDeployments('no service deployment was created by the update');
                }
            }
            catch (error) {
                const name = (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorName */ .ZH)(error.cause);
                if (name !== 'InvalidParameterException' && name !== 'UnknownOperationException')
                    throw error;
                this.useDeployments(`ListServiceDeployments is not available (${name})`);
            }
            return undefined;
        }
        const arn = this.arn;
        const described = await (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .ecsCall */ .EK)('DescribeServiceDeployments', () => this.ecs.client.send(new this.ecs.sdk.DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal: signal }), this.retrying);
        const deployment = described.serviceDeployments?.[0];
        if (!deployment) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`DescribeServiceDeployments does not know ${arn}: ${described.failures?.[0]?.reason ?? 'no reason given'}.`);
        }
        return deployment;
    }
    useDeployments(why) {
        this.legacy = true;
        _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Judging the deployment by the service's deployments: ${why}.`);
    }
    async describeService() {
        const { cluster, service, signal } = this.options;
        const answer = await (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .ecsCall */ .EK)('DescribeServices', () => this.ecs.client.send(new this.ecs.sdk.DescribeServicesCommand({ cluster, services: [service] }), {
            abortSignal: signal,
        }), this.retrying);
        const found = answer.services?.[0];
        if (!found)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`Service ${service} disappeared from cluster ${cluster} during the deployment.`);
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
            _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Service deployment is ${status}${deployment.statusReason ? `: ${deployment.statusReason.replace(/\.$/, '')}` : ''}.`);
            this.lastStatus = status;
        }
        const stage = deployment.lifecycleStage;
        if (stage && stage !== this.lastStage) {
            this.lastStage = stage;
            this.stages.push(stage);
            _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Lifecycle stage: ${stage}.`);
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
            _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Deployment ${this.options.deploymentId} is ${state}${ours?.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}.`);
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
        _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Our deployment failed: ${reason}. Watching until ECS finishes with it.`);
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


/***/ }),

/***/ 7805:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ rollBackService)
/* harmony export */ });
/* harmony import */ var _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2874);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3904);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(5392);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(1646);
/* harmony import */ var _deployment_tracker_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(9583);
/* harmony import */ var _service_activity_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(966);






async function rollBackService(ecs, request) {
    const since = new Date();
    const activity = new _service_activity_js__WEBPACK_IMPORTED_MODULE_5__/* .ServiceActivity */ .h(since);
    const started = await startRollback(ecs, request);
    if (!request.wait)
        return { how: started.how, tracked: undefined, activity };
    const tracker = new _deployment_tracker_js__WEBPACK_IMPORTED_MODULE_4__/* .DeploymentTracker */ .I(ecs, {
        cluster: request.cluster,
        service: request.service,
        since,
        deploymentId: started.deploymentId,
        ...(started.how === 'stop-with-rollback' && { serviceDeploymentArn: request.serviceDeploymentArn }),
        expect: started.how === 'stop-with-rollback' ? 'rollback' : 'deploy',
        pollIntervalMs: request.pollIntervalMs,
        deadline: new _async_deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .Deadline */ .B(request.timeoutMs, `the rollback of service ${request.service} to finish`),
        signal: request.signal,
        activity,
    });
    return { how: started.how, tracked: await tracker.track(), activity };
}
async function startRollback(ecs, request) {
    const arn = request.serviceDeploymentArn;
    if (request.inFlight && arn !== undefined) {
        try {
            await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .ecsCall */ .EK)('StopServiceDeployment', () => ecs.client.send(new ecs.sdk.StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })));
            _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Rolling back: stopped service deployment ${arn} with ROLLBACK.`);
            return { how: 'stop-with-rollback', deploymentId: undefined };
        }
        catch (error) {
            // It may have ended meanwhile: updating back to the previous revision still works.
            _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`StopServiceDeployment did not take (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}); updating the service back instead.`);
        }
    }
    const answer = await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .ecsCall */ .EK)('UpdateService', () => ecs.client.send(new ecs.sdk.UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.previousTaskDefinition,
    })));
    const primary = answer.service?.deployments?.find((entry) => entry.status === 'PRIMARY');
    _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Rolling back: updated service ${request.service} back to ${request.previousTaskDefinition}.`);
    return { how: 'update-to-previous', deploymentId: primary?.id };
}


/***/ }),

/***/ 966:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ ServiceActivity)
/* harmony export */ });
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5392);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1646);


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
            _runner_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`event: ${line}`);
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
        const listed = await (0,_client_js__WEBPACK_IMPORTED_MODULE_1__/* .ecsCall */ .EK)('ListTasks', () => ecs.client.send(new ecs.sdk.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }), { abortSignal: signal }));
        const arns = (listed.taskArns ?? []).filter((arn) => !this.seenTasks.has(arn)).slice(0, 100);
        if (arns.length === 0)
            return;
        const described = await (0,_client_js__WEBPACK_IMPORTED_MODULE_1__/* .ecsCall */ .EK)('DescribeTasks', () => ecs.client.send(new ecs.sdk.DescribeTasksCommand({ cluster, tasks: arns }), { abortSignal: signal }));
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
            _runner_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`stopped task ${task.taskArn.split('/').at(-1)}: ${stopped.stoppedReason}${stopped.containers.length > 0 ? `; ${stopped.containers.join('; ')}` : ''}`);
        }
    }
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
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   lm: () => (/* binding */ notice),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export group */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2663);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7852);


function info(message) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .writeLine */ ._r)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message));
}
function debug(message) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .issueCommand */ .Lb)('debug', {}, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message));
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
    issueCommand('group', {}, redact(title));
    try {
        return await fn();
    }
    finally {
        issueCommand('endgroup', {}, '');
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

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

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
/******/ var __webpack_exports__ = __nccwpck_require__(3709);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
