export const id = 418;
export const ids = [418];
export const modules = {

/***/ 5418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runInCluster: () => (/* binding */ runInCluster)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts
var sleep = __webpack_require__(8859);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/src/runner/inputs.ts + 1 modules
var inputs = __webpack_require__(4608);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __webpack_require__(2663);
// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __webpack_require__(7585);
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
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
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
        const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
        let parsed;
        try {
            parsed = parse(trimmed);
        }
        catch {
            throw (0,inputs/* invalidInput */.aY)(name, value, 'expected a YAML list of strings, like ["npm", "run", "migrate"]');
        }
        if (!Array.isArray(parsed) ||
            parsed.length === 0 ||
            !parsed.every((word) => typeof word === 'string' || typeof word === 'number')) {
            throw (0,inputs/* invalidInput */.aY)(name, value, 'expected a non-empty YAML list of strings, like ["npm", "run", "migrate"]');
        }
        const words = parsed.map(String);
        if (words[0] === '')
            throw (0,inputs/* invalidInput */.aY)(name, value, 'expected a program name as the first word');
        return words;
    }
    const words = trimmed.split(/\s+/).filter(Boolean);
    const shell = words.find((word) => SHELL_SYNTAX.test(word));
    if (shell !== undefined) {
        throw (0,inputs/* invalidInput */.aY)(name, value, `expected plain words (no shell runs them, so ${JSON.stringify(shell)} would be passed as it is); ` +
            'give a YAML list like ["sh", "-c", "..."] when you need a shell');
    }
    return words;
}

// EXTERNAL MODULE: ./shared/src/postgres/connection-inputs.ts
var connection_inputs = __webpack_require__(885);
;// CONCATENATED MODULE: ./actions/migrate/src/in-cluster/inputs.ts







const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'];
const HOUR = 3_600_000;
/** DNS-1123 label: names of containers, namespaces, and the Job name built from them. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** registry/name[:tag][@sha256:digest], as a container runtime accepts it. */
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const TASK_DEFINITION = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(:\d+)?$/;
const CLUSTER = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/;
/** Inputs of native mode that mean nothing when the application migrates itself. */
const NATIVE_ONLY = [...connection_inputs/* CONNECTION_INPUTS */.vS, 'baseline-version'];
const KUBERNETES_ONLY = ['job-template', 'from-deployment', 'namespace', 'kubeconfig', 'context', 'keep-job'];
const ECS_ONLY = [
    'task-definition',
    'cluster',
    'launch-type',
    'subnets',
    'security-groups',
    'assign-public-ip',
    'poll-interval',
    'aws-region',
];
async function readInClusterInputs(mode) {
    const command = (0,inputs/* getString */.AA)('command', { default: 'migrate' });
    if (command !== 'migrate') {
        throw new errors/* ConfigurationError */.j1(`Input "command" is "${command}", but mode ${mode} can only run the application's migration command.`, {
            input: 'command',
            hint: 'leave command at migrate, or use mode: native for plan, validate and the others',
        });
    }
    refuseInputs(NATIVE_ONLY, mode, "the application's own configuration connects it to the database");
    const timeoutMs = (0,inputs/* getDuration */.Ds)('timeout', { default: 30 * 60_000, min: 1000, max: 6 * HOUR });
    const migrationCommand = await readCommand();
    const container = (0,inputs/* getOptionalString */.Eq)('container');
    if (mode === 'kubernetes-job') {
        refuseInputs(ECS_ONLY, mode, 'it is an input of mode ecs-task');
        return readKubernetesJob(migrationCommand, container, timeoutMs);
    }
    refuseInputs(KUBERNETES_ONLY, mode, 'it is an input of mode kubernetes-job');
    return readEcsTask(migrationCommand, container, timeoutMs);
}
async function readCommand() {
    const raw = (0,inputs/* getOptionalString */.Eq)('migration-command');
    return raw === undefined ? undefined : parseCommandWords('migration-command', raw);
}
function refuseInputs(names, mode, why) {
    for (const name of names) {
        if ((0,inputs/* getOptionalString */.Eq)(name, { secret: name === 'database-url' || name === 'password' }) !== undefined) {
            throw new errors/* ConfigurationError */.j1(`Input "${name}" is not used by mode ${mode}: ${why}.`, { input: name });
        }
    }
}
async function readKubernetesJob(command, container, timeoutMs) {
    const image = (0,inputs/* getOptionalString */.Eq)('image');
    if (image !== undefined && !IMAGE.test(image)) {
        throw (0,inputs/* invalidInput */.aY)('image', image, 'expected an image reference like ghcr.io/acme/shop:1.4.2 or repo@sha256:...');
    }
    if (container !== undefined && !DNS_LABEL.test(container)) {
        throw (0,inputs/* invalidInput */.aY)('container', container, 'expected a container name (lower-case letters, digits and -)');
    }
    const namespace = (0,inputs/* getOptionalString */.Eq)('namespace');
    if (namespace !== undefined && (!DNS_LABEL.test(namespace) || namespace.length > 63)) {
        throw (0,inputs/* invalidInput */.aY)('namespace', namespace, 'expected a namespace name (lower-case letters, digits and -)');
    }
    const template = await (0,inputs/* getStructured */.mA)('job-template');
    const fromDeployment = (0,inputs/* getOptionalString */.Eq)('from-deployment');
    if ((template === undefined) === (fromDeployment === undefined)) {
        throw new errors/* ConfigurationError */.j1(`Mode kubernetes-job needs ${template === undefined ? 'one of' : 'only one of'} the inputs "job-template" and "from-deployment".`, {
            input: 'job-template',
            hint: 'from-deployment: shop/web runs the command in the pod template of Deployment web; job-template takes a Job or a pod template in YAML',
        });
    }
    let source;
    if (fromDeployment !== undefined) {
        source = readDeployment(fromDeployment, namespace);
        if (command === undefined) {
            throw new errors/* ConfigurationError */.j1('Input "migration-command" is required with from-deployment: the Deployment\'s own command starts the server.', { input: 'migration-command', hint: 'for example migration-command: npm run migrate' });
        }
    }
    else {
        source = readTemplate(template);
    }
    const cluster = await resolveKubeconfig({
        input: (0,inputs/* getOptionalString */.Eq)('kubeconfig', { secret: true }),
        context: (0,inputs/* getOptionalString */.Eq)('context'),
        cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
    });
    return {
        mode: 'kubernetes-job',
        cluster,
        source,
        namespace: namespace ?? source.namespace,
        image,
        command,
        container,
        keepJob: (0,inputs/* getBoolean */.pW)('keep-job', false),
        timeoutMs,
        suffix: (process.env.GITHUB_SHA ?? '').slice(0, 7).toLowerCase() || (0,external_node_crypto_.randomBytes)(3).toString('hex'),
    };
}
function readDeployment(value, namespace) {
    const parts = value.split('/');
    const name = parts.at(-1) ?? '';
    const ownNamespace = parts.length === 2 ? parts[0] : undefined;
    if (parts.length > 2 ||
        !DNS_SUBDOMAIN.test(name) ||
        (ownNamespace !== undefined && !DNS_LABEL.test(ownNamespace))) {
        throw (0,inputs/* invalidInput */.aY)('from-deployment', value, 'expected <namespace>/<name> or <name> of a Deployment');
    }
    if (ownNamespace !== undefined && namespace !== undefined && ownNamespace !== namespace) {
        throw new errors/* ConfigurationError */.j1(`Input "from-deployment" names namespace ${ownNamespace}, but input "namespace" is ${namespace}.`, { input: 'from-deployment', hint: 'give the namespace once' });
    }
    return { kind: 'deployment', namespace: ownNamespace, name };
}
/** A Job (its pod template is used) or a pod template (`metadata` and `spec.containers`). */
function readTemplate(value) {
    const accepted = 'expected a Job (kind: Job) or a pod template (metadata and spec.containers) in YAML';
    if (!(0,object/* isRecord */.u4)(value))
        throw (0,inputs/* invalidInput */.aY)('job-template', String(value), accepted);
    if (value.kind !== undefined && value.kind !== 'Job' && value.kind !== 'PodTemplate') {
        throw (0,inputs/* invalidInput */.aY)('job-template', `kind: ${String(value.kind)}`, accepted);
    }
    const metadata = (0,object/* isRecord */.u4)(value.metadata) ? value.metadata : {};
    const spec = (0,object/* isRecord */.u4)(value.spec) ? value.spec : {};
    const podTemplate = value.kind === 'Job' ? spec.template : value.kind === 'PodTemplate' ? value.template : value;
    const podSpec = (0,object/* isRecord */.u4)(podTemplate) && (0,object/* isRecord */.u4)(podTemplate.spec) ? podTemplate.spec : undefined;
    if (!(0,object/* isRecord */.u4)(podTemplate) ||
        !podSpec ||
        !Array.isArray(podSpec.containers) ||
        podSpec.containers.length === 0) {
        throw new errors/* ConfigurationError */.j1(`Input "job-template" has no containers: ${accepted}.`, {
            input: 'job-template',
        });
    }
    const text = (value) => typeof value === 'string' && value ? value : undefined;
    return {
        kind: 'template',
        template: podTemplate,
        name: text(metadata.name),
        namespace: text(metadata.namespace),
    };
}
function readEcsTask(command, container, timeoutMs) {
    if ((0,inputs/* getOptionalString */.Eq)('image') !== undefined) {
        throw new errors/* ConfigurationError */.j1('Input "image" is not used by mode ecs-task: an ECS task runs the image of its task definition.', {
            input: 'image',
            hint: 'register a task definition revision with the new image (deploy-ecs does) and give it in task-definition',
        });
    }
    const taskDefinition = (0,inputs/* getString */.AA)('task-definition', { required: true });
    if (!TASK_DEFINITION.test(taskDefinition)) {
        throw (0,inputs/* invalidInput */.aY)('task-definition', taskDefinition, 'expected a family, family:revision, or a task definition ARN');
    }
    const cluster = (0,inputs/* getString */.AA)('cluster', { default: 'default' });
    if (!CLUSTER.test(cluster))
        throw (0,inputs/* invalidInput */.aY)('cluster', cluster, 'expected a cluster name or ARN');
    if (container !== undefined && !/^[a-zA-Z0-9_-]{1,255}$/.test(container)) {
        throw (0,inputs/* invalidInput */.aY)('container', container, 'expected a container name of the task definition');
    }
    const launchType = (0,inputs/* getEnum */.GV)('launch-type', LAUNCH_TYPES, 'FARGATE');
    const subnets = (0,inputs/* getList */.vS)('subnets');
    const bad = subnets.find((subnet) => !/^subnet-[0-9a-f]{8,17}$/.test(subnet));
    if (bad !== undefined)
        throw (0,inputs/* invalidInput */.aY)('subnets', bad, 'expected subnet IDs like subnet-0abc12345def67890');
    const securityGroups = (0,inputs/* getList */.vS)('security-groups');
    const badGroup = securityGroups.find((group) => !/^sg-[0-9a-f]{8,17}$/.test(group));
    if (badGroup !== undefined) {
        throw (0,inputs/* invalidInput */.aY)('security-groups', badGroup, 'expected security group IDs like sg-0abc12345def67890');
    }
    const assignPublicIp = (0,inputs/* getBoolean */.pW)('assign-public-ip', false);
    if (subnets.length === 0 && (securityGroups.length > 0 || assignPublicIp)) {
        throw new errors/* ConfigurationError */.j1('Inputs "security-groups" and "assign-public-ip" need "subnets" to go with them.', {
            input: 'subnets',
        });
    }
    if (launchType === 'FARGATE' && subnets.length === 0) {
        throw new errors/* ConfigurationError */.j1('Input "subnets" is required with launch-type FARGATE: every Fargate task runs in a VPC.', {
            input: 'subnets',
            hint: 'give the private subnets the service runs in, and its security groups',
        });
    }
    const region = (0,inputs/* getOptionalString */.Eq)('aws-region');
    return {
        mode: 'ecs-task',
        region,
        cluster,
        taskDefinition,
        launchType,
        network: subnets.length > 0 ? { subnets, securityGroups, assignPublicIp } : undefined,
        command,
        container,
        timeoutMs,
        pollIntervalMs: (0,inputs/* getDuration */.Ds)('poll-interval', { default: 6000, min: 100, max: 60_000 }),
    };
}

// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
// EXTERNAL MODULE: ./shared/src/runner/outputs.ts
var outputs = __webpack_require__(5652);
// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
;// CONCATENATED MODULE: ./actions/migrate/src/in-cluster/report.ts



/** The outputs and job summary of an in-cluster run. */
function writeInClusterOutputs(result) {
    const ran = result.failure === undefined;
    (0,outputs/* setOutputs */.n)({
        // The application's command is the one "migration" Gantry applied: what ran, how long it took.
        applied: ran
            ? [
                {
                    version: null,
                    description: result.command?.join(' ') ?? 'the command of the pod template or task definition',
                    type: 'command',
                    script: null,
                    'execution-ms': result.durationMs,
                },
            ]
            : [],
        'current-version': '',
        'exit-code': result.exitCode ?? '',
        'run-id': result.id,
    });
}
function inClusterSummary(result) {
    const status = result.failure === undefined ? 'succeeded' : 'failed';
    const summary = new runner_summary/* JobSummary */.c3().heading(`migrate (${result.mode}): ${status}`);
    summary.table(['', ''], [
        ['mode', result.mode],
        ['where', result.where],
        ['command', result.command?.join(' ') ?? '(as in the template)'],
        ['duration', (0,duration/* formatDuration */.a)(result.durationMs)],
        ['exit code', result.exitCode ?? '(none)'],
        ...(result.kept ? [['kept', 'yes (keep-job)']] : []),
    ]);
    if (result.failure)
        summary.paragraph(`**${(0,runner_summary/* escapeInline */.VV)(result.failure)}**`);
    if (result.tail.count > 0) {
        summary.paragraph(`Log tail (${result.tail.count} lines in all):`).code(result.tail.text());
    }
    return summary;
}

;// CONCATENATED MODULE: ./actions/migrate/src/in-cluster/run.ts





/**
 * The in-cluster modes: the application's own migration command (`npm run migrate`,
 * `alembic upgrade head`) runs where the application runs, and the step reports how it ended:
 * outputs and summary are written at a timeout or a cancellation too, when run-id and the log
 * tail matter most.
 * Each mode loads its client (the Kubernetes client, the AWS SDK) only when it is chosen.
 */
async function runInCluster(mode, signal) {
    const inputs = await readInClusterInputs(mode);
    let result;
    if (inputs.mode === 'kubernetes-job') {
        const { runKubernetesJob } = await Promise.all(/* import() */[__webpack_require__.e(128), __webpack_require__.e(90)]).then(__webpack_require__.bind(__webpack_require__, 4090));
        result = await runKubernetesJob(inputs, signal);
    }
    else {
        const { runEcsTask } = await __webpack_require__.e(/* import() */ 992).then(__webpack_require__.bind(__webpack_require__, 4992));
        result = await runEcsTask(inputs, signal);
    }
    writeInClusterOutputs(result);
    await inClusterSummary(result).write();
    if (result.failure === undefined) {
        log/* info */.pq(`The migration command succeeded in ${result.where}.`);
        return;
    }
    // A cancelled run ends as cancelled, once the outputs and the summary say how far it got.
    (0,sleep/* throwIfAborted */.Te)(signal);
    // One error annotation with the log tail in it: the first thing to read when the step fails.
    throw new errors/* ActionError */.lZ(`${result.failure} ${result.tail.describe()}`);
}


/***/ }),

/***/ 8859:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Js: () => (/* binding */ abortReason),
/* harmony export */   Te: () => (/* binding */ throwIfAborted),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3904);


/** Waits `ms`, or rejects with the signal's reason (a CancelledError) as soon as it is aborted. */
async function sleep(ms, signal) {
    if (ms <= 0) {
        throwIfAborted(signal);
        return;
    }
    try {
        await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(ms, undefined, signal ? { signal } : undefined);
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
    return signal.reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ ? signal.reason : new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
}


/***/ }),

/***/ 7585:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OM: () => (/* binding */ stringField),
/* harmony export */   ZZ: () => (/* binding */ field),
/* harmony export */   sJ: () => (/* binding */ numberField),
/* harmony export */   u4: () => (/* binding */ isRecord)
/* harmony export */ });
/* unused harmony exports describeRef, groupOf, versionOf, isOwnedBy */
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

/***/ 5392:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   lm: () => (/* binding */ notice),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export group */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2663);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7852);


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
/* harmony export */   c3: () => (/* binding */ JobSummary)
/* harmony export */ });
/* unused harmony exports link, fencedCode */
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
    const escaped = redact(href).replace(/[()\s]/g, (char) => PAREN_ESCAPES[char] ?? encodeURIComponent(char));
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
