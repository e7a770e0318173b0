import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 625:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ ACTIONS),
/* harmony export */   o: () => (/* binding */ RUNNER_DEFAULTED_INPUTS)
/* harmony export */ });
const ACTIONS = {
    backup: {
        main: 'dist/backup/index.js',
        inputs: {
            command: 'backup',
            'database-url': null,
            host: null,
            port: null,
            user: null,
            password: null,
            database: null,
            sslmode: null,
            'ca-certificate': null,
            'connect-timeout': '30s',
            'pg-dump-path': null,
            schemas: null,
            'exclude-schemas': null,
            tables: null,
            'exclude-tables': null,
            'exclude-table-data': null,
            compression: null,
            'encrypt-to': null,
            'encrypt-passphrase': null,
            'decrypt-identity': null,
            'decrypt-passphrase': null,
            verify: 'list',
            'verify-database-url': null,
            bucket: null,
            prefix: 'backups',
            'aws-region': null,
            's3-endpoint': null,
            'storage-class': null,
            sse: null,
            'sse-kms-key-id': null,
            'keep-last': null,
            'keep-hourly': null,
            'keep-daily': null,
            'keep-weekly': null,
            'keep-monthly': null,
            'keep-yearly': null,
            'keep-within': null,
            'keep-within-hourly': null,
            'keep-within-daily': null,
            'keep-within-weekly': null,
            'keep-within-monthly': null,
            'keep-within-yearly': null,
            'confirm-delete': 'false',
            backup: 'latest',
            'target-database-url': null,
            confirm: null,
            clean: 'false',
            jobs: '1',
            timeout: '6h',
        },
    },
    'build-push': {
        main: 'dist/build-push/index.js',
        post: 'dist/build-push/index.js',
        inputs: {
            images: null,
            tags: 'type=schedule\ntype=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr\n',
            flavor: 'latest=auto',
            'sep-tags': null,
            'sep-labels': null,
            'sep-annotations': null,
            builder: 'docker',
            context: '.',
            file: null,
            target: null,
            'build-args': null,
            secrets: null,
            'secret-files': null,
            platforms: null,
            labels: null,
            'cache-from': null,
            'cache-to': null,
            ssh: null,
            'build-contexts': null,
            annotations: null,
            outputs: null,
            'secret-envs': null,
            'add-hosts': null,
            network: null,
            'shm-size': null,
            ulimit: null,
            'no-cache-filters': null,
            allow: null,
            attests: null,
            'cgroup-parent': null,
            call: null,
            push: 'true',
            load: 'false',
            provenance: 'false',
            sbom: 'false',
            'no-cache': 'false',
            pull: 'false',
            'registry-type': 'auto',
            registries: null,
            'aws-region': null,
            'create-repository': 'false',
            'scan-on-push': 'false',
            'tag-mutability': 'MUTABLE',
            username: null,
            password: null,
            'insecure-registries': null,
            'push-timeout': '10m',
            'dry-run': 'false',
        },
    },
    'deploy-ecs': {
        main: 'dist/deploy-ecs/index.js',
        post: 'dist/deploy-ecs/index.js',
        inputs: {
            action: 'deploy',
            cluster: 'default',
            service: null,
            'aws-region': null,
            'task-definition': null,
            'task-definition-from-service': 'false',
            'task-definition-arn': null,
            'container-name': null,
            image: null,
            images: null,
            'environment-variables': null,
            'remove-environment-variables': null,
            secrets: null,
            'docker-labels': null,
            'log-configuration': null,
            command: null,
            cpu: null,
            memory: null,
            'task-role-arn': null,
            'execution-role-arn': null,
            'task-definition-tags': null,
            'container-port': null,
            'codedeploy-appspec': null,
            'codedeploy-application': null,
            'codedeploy-deployment-group': null,
            'codedeploy-deployment-description': null,
            'codedeploy-deployment-config': null,
            'codedeploy-hooks': null,
            'codedeploy-wait-until': null,
            'codedeploy-deployment-id': null,
            'desired-count': null,
            'force-new-deployment': null,
            'enable-execute-command': null,
            'propagate-tags': null,
            'enable-ecs-managed-tags': null,
            wait: 'true',
            'wait-for-minutes': '30',
            'poll-interval': '5s',
            'rollback-on-failure': 'true',
            'run-task': 'false',
            'run-task-command': null,
            'run-task-environment': null,
            'run-task-subnets': null,
            'run-task-security-groups': null,
            'run-task-assign-public-ip': null,
            'run-task-launch-type': null,
            'run-task-capacity-provider': null,
            'run-task-wait-for-minutes': '30',
            'dry-run': 'false',
            environment: null,
            'environment-url': null,
            'github-token': null,
            'record-deployment': 'true',
            'production-environment': null,
            'transient-environment': null,
        },
    },
    'deploy-k8s': {
        main: 'dist/deploy-k8s/index.js',
        inputs: {
            manifests: null,
            images: null,
            namespace: null,
            kubeconfig: null,
            context: null,
            labels: null,
            annotations: null,
            'field-manager': 'gantry',
            'force-conflicts': 'false',
            'dry-run': 'false',
            wait: 'true',
            timeout: '10m',
            'max-restarts': '3',
            'rollback-on-failure': 'true',
            environment: null,
            'environment-url': null,
            'github-token': null,
            'record-deployment': 'true',
            'production-environment': null,
            'transient-environment': null,
            strategy: 'rolling',
            action: 'deploy',
            'canary-replicas': null,
            'canary-percentage': null,
            'traffic-weights': null,
            route: null,
            analysis: null,
            'auto-promote': null,
            'keep-previous': null,
            supersede: null,
        },
    },
    migrate: {
        main: 'dist/migrate/index.js',
        inputs: {
            command: 'migrate',
            mode: 'native',
            'migrations-dir': 'migrations',
            'database-url': null,
            host: null,
            port: null,
            user: null,
            password: null,
            database: null,
            sslmode: null,
            'ca-certificate': null,
            schema: 'public',
            table: 'gantry_schema_history',
            'lock-timeout': '5s',
            'lock-retries': '3',
            'statement-timeout': '0',
            'lock-wait': '5m',
            'connect-timeout': '30s',
            'out-of-order': 'false',
            'allow-destructive': 'false',
            'baseline-version': null,
            'baseline-description': 'baseline',
            'migration-command': null,
            image: null,
            'job-template': null,
            'from-deployment': null,
            namespace: null,
            kubeconfig: null,
            context: null,
            'keep-job': null,
            container: null,
            timeout: '30m',
            'task-definition': null,
            cluster: null,
            'launch-type': null,
            subnets: null,
            'security-groups': null,
            'assign-public-ip': null,
            'poll-interval': null,
            'aws-region': null,
        },
    },
    rollback: {
        main: 'dist/rollback/index.js',
        inputs: {
            platform: null,
            workloads: null,
            selector: null,
            namespace: null,
            kubeconfig: null,
            context: null,
            'to-revision': null,
            cluster: null,
            service: null,
            'aws-region': null,
            'to-task-definition': null,
            'codedeploy-application': null,
            'codedeploy-deployment-group': null,
            'poll-interval': '5s',
            'from-deployment': null,
            environment: null,
            'environment-url': null,
            'github-token': null,
            'record-deployment': 'true',
            'production-environment': null,
            'transient-environment': null,
            'dry-run': 'false',
            wait: 'true',
            timeout: '10m',
            'max-restarts': '3',
        },
    },
    'smoke-test': {
        main: 'dist/smoke-test/index.js',
        inputs: {
            url: null,
            checks: null,
            headers: null,
            'expected-status': '200-299',
            'initial-delay': '0s',
            interval: '2s',
            samples: '3',
            'failure-limit': '0',
            'consecutive-successes': '1',
            timeout: '5m',
            'request-timeout': '10s',
            'max-latency': null,
            'p95-latency': null,
            'follow-redirects': 'true',
            'ca-certificate': null,
            insecure: 'false',
            concurrency: '10',
        },
    },
};
/** Inputs the root action.yml declares with an expression default, which the runner fills in. */
const RUNNER_DEFAULTED_INPUTS = ['github-token'];


/***/ }),

/***/ 140:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  J: () => (/* binding */ dispatch)
});

// UNUSED EXPORTS: DISPATCHED_STATE

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./root-action/src/input-plan.ts
const ACTION_INPUT = 'action';
function readActionChoice(value) {
    const [name = '', step, ...rest] = value.trim().split(/\s+/);
    if (rest.length > 0)
        return { name: value.trim() };
    return step === undefined ? { name } : { name, step };
}
/** The runner's variable name for an input: upper-cased, spaces to `_`, hyphens kept. */
function inputVariable(name) {
    return `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`;
}
function planInputs(entry, env, runnerDefaulted, step) {
    const set = {};
    const declared = new Set([ACTION_INPUT, ...Object.keys(entry.inputs)].map(inputVariable));
    for (const [name, value] of Object.entries(entry.inputs)) {
        const variable = inputVariable(name);
        if (name === ACTION_INPUT) {
            // INPUT_ACTION holds the root's value (`deploy-k8s promote`): the action gets its own part.
            set[variable] = step ?? value ?? '';
        }
        else if (value !== null && (env[variable] ?? '') === '')
            set[variable] = value;
    }
    const runnerFilled = new Set(runnerDefaulted.map(inputVariable));
    const remove = [];
    const unexpected = [];
    for (const [variable, value] of Object.entries(env)) {
        if (!variable.startsWith('INPUT_') || declared.has(variable))
            continue;
        if (runnerFilled.has(variable))
            remove.push(variable);
        else if ((value ?? '') !== '')
            unexpected.push(variable.slice('INPUT_'.length).toLowerCase());
    }
    return { set, remove, unexpected: unexpected.sort() };
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./root-action/src/workflow-command.ts


/**
 * The few workflow commands the dispatcher writes, without @actions/core: the dispatcher stays a
 * few kilobytes, so going through the root action costs next to nothing at cold start, and the
 * chosen action loads its own copy of the toolkit anyway.
 */
function issueCommand(command, message) {
    process.stdout.write(`::${command}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/** Saves state for the post step (STATE_<name> there), as core.saveState does. */
function saveState(name, value) {
    const file = process.env.GITHUB_STATE;
    if (file)
        (0,external_node_fs_namespaceObject.appendFileSync)(file, `${name}=${value}${external_node_os_namespaceObject.EOL}`);
}
function escapeData(text) {
    return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

;// CONCATENATED MODULE: ./root-action/src/dispatch.ts
var __rewriteRelativeImportExtension = (undefined && undefined.__rewriteRelativeImportExtension) || function (path, preserveJsx) {
    if (typeof path === "string" && /^\.\.?\//.test(path)) {
        return path.replace(/\.(tsx)$|((?:\.d)?)((?:\.[^./]+?)?)\.([cm]?)ts$/i, function (m, tsx, d, ext, cm) {
            return tsx ? preserveJsx ? ".jsx" : ".js" : d && (!ext || !cm) ? m : (d + ext + "." + cm.toLowerCase() + "js");
        });
    }
    return path;
};




/**
 * `uses: <owner>/gantry@v1` with `action: <name>`: runs that action's own bundle in this process,
 * main step and post step, with that action's defaults. The main step always records in the step
 * state which action it ran (or NOTHING_DISPATCHED): that is how the post step, which gets the same inputs,
 * knows it is the post step, and it runs the post of the action main ran, or nothing.
 */
const DISPATCHED_STATE = 'gantry-root-dispatched';
/** Not a folder name an action can have; non-empty, as an empty state value may not reach the post step. */
const NOTHING_DISPATCHED = '(none)';
/** The repository root: this bundle is dist/gantry/index.js. */
const REPO_ROOT = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)), '..', '..');
async function dispatch(actions, runnerDefaulted) {
    const env = process.env;
    const given = (env[inputVariable(ACTION_INPUT)] ?? '').trim();
    const { name, step } = readActionChoice(given);
    const dispatched = env[`STATE_${DISPATCHED_STATE}`];
    if (dispatched !== undefined) {
        const entry = actions[dispatched];
        if (entry?.post) {
            applyInputs(entry, runnerDefaulted, step);
            await runScript(entry.post);
        }
        return;
    }
    const entry = Object.hasOwn(actions, name) ? actions[name] : undefined;
    const refusal = !entry
        ? `which is not a Gantry action; accepted: ${Object.keys(actions).join(', ')}.`
        : step !== undefined && !Object.hasOwn(entry.inputs, ACTION_INPUT)
            ? `but ${name} takes no second word; accepted: ${name} alone, or a second word for ${withOwnAction(actions)}.`
            : undefined;
    saveState(DISPATCHED_STATE, entry && !refusal ? name : NOTHING_DISPATCHED);
    if (!entry || refusal) {
        issueCommand('error', `Invalid configuration: Input "${ACTION_INPUT}" is "${given}", ${refusal}`);
        process.exitCode = 1;
        return;
    }
    const unexpected = applyInputs(entry, runnerDefaulted, step);
    if (unexpected.length > 0) {
        issueCommand('warning', `Unexpected input(s) '${unexpected.join("', '")}' for action ${name}, ` +
            `valid inputs are ['${Object.keys(entry.inputs).join("', '")}']`);
    }
    await runScript(entry.main);
}
/** Gives the action its INPUT_* variables as the runner would; returns the unexpected inputs. */
function applyInputs(entry, runnerDefaulted, step) {
    const plan = planInputs(entry, process.env, runnerDefaulted, step);
    for (const variable of plan.remove)
        delete process.env[variable];
    Object.assign(process.env, plan.set);
    return plan.unexpected;
}
/** The actions with an `action` input of their own, which a second word of the root's `action` sets. */
function withOwnAction(actions) {
    const names = Object.keys(actions).filter((name) => Object.hasOwn(actions[name]?.inputs ?? {}, ACTION_INPUT));
    return names.length > 0 ? names.join(', ') : 'no action';
}
async function runScript(script) {
    // Not bundled: each action's own committed bundle is the code that runs, as with a direct `uses:`.
    // The import resolves once the bundle's top level (its whole run) has finished.
    await import(__rewriteRelativeImportExtension(/* webpackIgnore: true */ (0,external_node_url_namespaceObject.pathToFileURL)((0,external_node_path_namespaceObject.join)(REPO_ROOT, script)).href));
}


/***/ }),

/***/ 497:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _actions_generated_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(625);
/* harmony import */ var _dispatch_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(140);


await (0,_dispatch_js__WEBPACK_IMPORTED_MODULE_1__/* .dispatch */ .J)(_actions_generated_js__WEBPACK_IMPORTED_MODULE_0__/* .ACTIONS */ .k, _actions_generated_js__WEBPACK_IMPORTED_MODULE_0__/* .RUNNER_DEFAULTED_INPUTS */ .o);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

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
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
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
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(497);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
