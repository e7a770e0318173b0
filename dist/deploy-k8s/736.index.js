export const id = 736;
export const ids = [736];
export const modules = {

/***/ 8736:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runStrategy: () => (/* binding */ runStrategy)
});

// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/analysis/index.ts + 27 modules
var analysis = __webpack_require__(633);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/analysis-gate.ts


/** The gate when no `analysis` is given: each step passes with nothing measured, and nothing is recorded. */
function withoutAnalysis() {
    return {
        configured: false,
        runs: [],
        check: async (step) => ({ step, decision: 'passed', reason: 'no analysis configured' }),
    };
}
/** The gate of an `analysis` input: each step runs the plan's rounds with that step's variables. */
function analysisGate(plan, options) {
    const runs = [];
    return {
        configured: true,
        runs,
        check: async (step, variables) => {
            const result = await log/* group */.Os(`Analysis: ${step}`, () => (0,analysis/* runAnalysis */.A1)(plan, {
                kubernetes: options.client,
                namespace: options.namespace,
                variables,
                signal: options.signal,
                onMeasurement: (measurement) => log/* info */.pq(`round ${measurement.round}, ${measurement.check}: ${measurement.outcome}: ${measurement.detail}`),
            }));
            const run = {
                step,
                decision: result.decision,
                reason: result.reason,
                json: JSON.parse((0,analysis/* analysisOutput */.ej)(result)),
                summary: (0,analysis/* analysisSummary */.d_)(result, step),
            };
            runs.push(run);
            return run;
        },
    };
}

// EXTERNAL MODULE: ./actions/deploy-k8s/src/apply/apply.ts
var apply = __webpack_require__(6231);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/context.ts


function newOutcome() {
    return { state: '', canaryReplicas: {}, activeColour: {}, steps: [] };
}
function writeOptions(context) {
    return { fieldManager: (0,apply/* strategyManagerOf */.QO)(context.inputs.fieldManager), signal: context.signal };
}
/** A step of the strategy, logged at once and kept for the summary. */
function step(context, text) {
    log/* info */.pq(text);
    context.outcome.steps.push(text);
}
/** The release's Deployments as planned from the manifests. */
function plannedDeployments(plan) {
    return plan.filter((planned) => planned.ref.kind === 'Deployment');
}

// EXTERNAL MODULE: ./actions/deploy-k8s/src/strategies/state/keys.ts
var state_keys = __webpack_require__(2080);
// EXTERNAL MODULE: ./actions/deploy-k8s/src/strategies/workloads.ts
var strategies_workloads = __webpack_require__(3382);
// EXTERNAL MODULE: ./shared/src/kubernetes/client/api-error.ts
var api_error = __webpack_require__(5517);
// EXTERNAL MODULE: ./shared/src/kubernetes/rollback/history.ts
var rollback_history = __webpack_require__(6057);
// EXTERNAL MODULE: ./shared/src/kubernetes/rollback/rollback-plan.ts
var rollback_plan = __webpack_require__(9605);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/state/cluster-writes.ts



/**
 * The strategies' own writes: a JSON merge patch (RFC 7386: a key set to null is removed, so a
 * selector can lose a key) computed from the object just read and guarded by its resourceVersion,
 * so a change made in between (a controller's status update, another run) is a 409 and the patch
 * is computed again from the new state rather than written over it; and a delete that treats
 * "already gone" as done, which keeps promote and abort idempotent.
 */
const CONFLICT_ATTEMPTS = 5;
const DEPLOYMENTS_PATH = (namespace, name) => `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
const SERVICES_PATH = (namespace, name) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
const HTTP_ROUTES_PATH = (namespace, name) => `/apis/gateway.networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/httproutes/${encodeURIComponent(name)}`;
/**
 * Reads the object, builds the patch from it (undefined: nothing to change) and sends it guarded
 * by the resourceVersion read; on a 409, reads and builds again. The object as the patch left it,
 * or undefined when nothing was written (the object does not exist, or there was nothing to change).
 */
async function patchLatest(client, path, what, build, options) {
    for (let attempt = 1;; attempt++) {
        const live = await client.getObject(path, { signal: options.signal });
        if (!live)
            return undefined;
        const patch = build(live);
        if (!patch)
            return undefined;
        try {
            return await mergePatch(client, path, live, patch, what, options);
        }
        catch (error) {
            if (!(error instanceof api_error/* KubernetesApiError */.dp && error.status === 409) || attempt >= CONFLICT_ATTEMPTS)
                throw error;
        }
    }
}
async function mergePatch(client, path, live, patch, what, options) {
    const body = {
        ...patch,
        metadata: { ...patch.metadata, resourceVersion: live.metadata?.resourceVersion },
    };
    return client.requestJson({
        method: 'PATCH',
        path,
        query: { fieldManager: options.fieldManager },
        contentType: 'application/merge-patch+json',
        body: JSON.stringify(body),
        what,
        signal: options.signal,
    });
}
/** The `metadata` of a merge patch that sets `set` and removes each key of `remove`. */
function annotationsPatch(set, remove = []) {
    return { ...Object.fromEntries(remove.map((key) => [key, null])), ...set };
}
/** A merge patch's value for a map that must become exactly `next`: keys of `previous` not in it set to null. */
function replaceMap(previous, next) {
    const removed = Object.keys(previous).filter((key) => !(key in next));
    return { ...Object.fromEntries(removed.map((key) => [key, null])), ...next };
}
async function deleteIfPresent(client, path, what, signal) {
    try {
        await client.requestJson({
            method: 'DELETE',
            path,
            query: { propagationPolicy: 'Background' },
            what,
            signal,
        });
        return true;
    }
    catch (error) {
        if (error instanceof api_error/* KubernetesApiError */.dp && error.status === 404)
            return false;
        throw error;
    }
}
async function readDeployment(client, namespace, name, signal) {
    return client.getObject(DEPLOYMENTS_PATH(namespace, name), {
        signal,
        what: `read Deployment/${namespace}/${name}`,
    });
}
/** The pod-template-hash of the ReplicaSet at the Deployment's current revision: the label its pods carry. */
async function currentPodTemplateHash(client, deployment, signal) {
    const revision = (0,rollback_plan/* replicaSetRevision */.Ou)(deployment);
    const replicaSets = await (0,rollback_history/* listHistory */.Pq)(client, 'Deployment', deployment, signal);
    const current = replicaSets.find((replicaSet) => (0,rollback_plan/* replicaSetRevision */.Ou)(replicaSet) === revision);
    return current?.metadata?.labels?.['pod-template-hash'];
}

// EXTERNAL MODULE: ./shared/src/kubernetes/resource-types.ts
var resource_types = __webpack_require__(7102);
// EXTERNAL MODULE: ./actions/deploy-k8s/src/apply/plan.ts
var plan = __webpack_require__(6420);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/render.ts


function deploymentVariant(stable, variant) {
    const object = structuredClone(stable.object);
    object.metadata = {
        ...object.metadata,
        name: variant.name,
        labels: { ...object.metadata.labels, ...variant.labels },
        annotations: { ...object.metadata.annotations, ...variant.annotations },
    };
    const spec = (object.spec ??= {});
    spec.replicas = variant.replicas;
    const selector = (spec.selector ??= {});
    selector.matchLabels = { ...selector.matchLabels, ...variant.labels };
    const template = (spec.template ??= {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...variant.labels } };
    return { object, source: variant.source };
}
/** A copy of a manifest with some of its fields replaced: a Service with the selector the strategy owns. */
function withChanges(manifest, change) {
    const object = structuredClone(manifest.object);
    change(object);
    return { object, source: manifest.source };
}
/** Plans built-in objects the strategy rendered, as the release's own are planned. */
function planRendered(manifests, namespace) {
    const types = new Map(manifests.map((manifest) => {
        const type = (0,resource_types/* builtInResourceType */.CC)(manifest.object.apiVersion, manifest.object.kind);
        if (!type)
            throw new Error(`${manifest.object.kind} is not a built-in kind`);
        return [manifest, type];
    }));
    return (0,plan/* planObjects */.c)(manifests, types, namespace);
}
/** Replaces, in a plan, each object `replace` gives another one for (same place in the order), and drops nulls. */
function replaceInPlan(plan, replace) {
    return plan.flatMap((planned) => {
        const replacement = replace(planned);
        if (replacement === undefined)
            return [planned];
        if (replacement === null)
            return [];
        return Array.isArray(replacement) ? replacement : [replacement];
    });
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/colours.ts




function colourName(stableName, colour) {
    return `${stableName}-${colour}`;
}
function otherColour(colour) {
    return colour === 'blue' ? 'green' : 'blue';
}
/** The colour of a Deployment name; undefined for the plain Deployment adopted as the first live release. */
function colourOf(stableName, workload) {
    if (workload === colourName(stableName, 'blue'))
        return 'blue';
    if (workload === colourName(stableName, 'green'))
        return 'green';
    return undefined;
}
/** The selector that sends a Service's traffic to one colour: its own, plus the colour label. */
function colourSelector(service, colour) {
    return { ...(0,strategies_workloads/* serviceSelector */.TH)(service.object), [state_keys/* COLOUR_LABEL */.gf]: colour };
}
/**
 * Where the Deployment stands: from its Services' annotations, or, when the release switches an
 * HTTPRoute, from the route's (`routed`). The Services are read either way.
 */
async function readColourState(client, manifests, stable, signal, routed) {
    const services = await Promise.all((0,strategies_workloads/* servicesSelecting */.dj)(manifests, stable.manifest).map(async (manifest) => ({
        manifest,
        live: await client.getObject(SERVICES_PATH(manifest.object.metadata.namespace ?? '', manifest.object.metadata.name), {
            signal,
            what: `read Service/${manifest.object.metadata.namespace ?? ''}/${manifest.object.metadata.name}`,
        }),
    })));
    if (routed) {
        const colours = routed.colours[stable.ref.name];
        return {
            stable,
            services,
            state: colours ? routed.state : undefined,
            activeWorkload: colours?.active,
            previousWorkload: colours?.previous,
            previousSelector: undefined,
        };
    }
    const annotations = services[0]?.live?.metadata?.annotations ?? {};
    const managed = annotations[state_keys/* STRATEGY_ANNOTATION */.A$] === 'blue-green';
    const previousSelector = annotations[state_keys/* PREVIOUS_SELECTOR_ANNOTATION */.of];
    return {
        stable,
        services,
        state: managed ? (0,state_keys/* releaseState */.hd)(annotations[state_keys/* STATE_ANNOTATION */.qD]) : undefined,
        activeWorkload: managed ? annotations[state_keys/* ACTIVE_WORKLOAD_ANNOTATION */.jq] : undefined,
        previousWorkload: managed ? annotations[state_keys/* PREVIOUS_WORKLOAD_ANNOTATION */.uS] : undefined,
        previousSelector: managed && previousSelector ? JSON.parse(previousSelector) : undefined,
    };
}
/**
 * A colour's own Service for an HTTPRoute backend: the front Service's ports, selecting its pods
 * plus the colour label. Its selector never changes; the route's refs move between the colours.
 */
function renderColourService(service, colour) {
    return withChanges(service, (object) => {
        const ports = Array.isArray(object.spec?.ports) ? object.spec.ports : [];
        object.metadata = {
            name: colourName(service.object.metadata.name, colour),
            namespace: object.metadata.namespace,
            labels: { ...object.metadata.labels, [state_keys/* COLOUR_LABEL */.gf]: colour },
            annotations: { ...object.metadata.annotations, [state_keys/* STRATEGY_ANNOTATION */.A$]: 'blue-green' },
        };
        object.spec = {
            type: 'ClusterIP',
            selector: colourSelector(service, colour),
            // A NodePort is unique in the cluster: the colour's Service cannot share the front one's.
            ports: ports.map((port) => {
                const { nodePort: _nodePort, ...rest } = port;
                return rest;
            }),
        };
    });
}
/** The state annotations of a live Service, kept when the Service is applied again from the manifests. */
function stateAnnotations(live) {
    const annotations = live?.metadata?.annotations ?? {};
    const keys = [
        state_keys/* STRATEGY_ANNOTATION */.A$,
        state_keys/* STATE_ANNOTATION */.qD,
        state_keys/* ACTIVE_COLOUR_ANNOTATION */.ey,
        state_keys/* ACTIVE_WORKLOAD_ANNOTATION */.jq,
        state_keys/* PREVIOUS_WORKLOAD_ANNOTATION */.uS,
        state_keys/* PREVIOUS_SELECTOR_ANNOTATION */.of,
    ];
    return Object.fromEntries(keys.filter((key) => key in annotations).map((key) => [key, annotations[key]]));
}

// EXTERNAL MODULE: ./shared/src/kubernetes/object.ts
var object = __webpack_require__(7585);
// EXTERNAL MODULE: ./actions/deploy-k8s/src/strategies/blue-green/route-backends.ts
var route_backends = __webpack_require__(9462);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/route-switch.ts









/** The route to switch, read and checked before anything is written; undefined: switch Service selectors. */
async function findBlueGreenRoute(context) {
    const { manifests, namespace: defaultNamespace } = context.inputs;
    const named = context.settings.route;
    const deployments = plannedDeployments(context.plan);
    const fronts = new Set(deployments.flatMap((stable) => (0,strategies_workloads/* servicesSelecting */.dj)(manifests, stable.manifest).map((service) => service.object.metadata.name)));
    const manifest = manifests.find((candidate) => (0,strategies_workloads/* isHttpRoute */.Ie)(candidate.object) &&
        (named === undefined
            ? [...(0,route_backends/* referencedServices */.q)(rulesOf(candidate.object))].some((name) => fronts.has(name))
            : candidate.object.metadata.name === named));
    if (named === undefined && !manifest)
        return undefined;
    const name = named ?? manifest.object.metadata.name;
    const namespace = manifest?.object.metadata.namespace ?? defaultNamespace;
    const live = await context.client.getObject(HTTP_ROUTES_PATH(namespace, name), {
        signal: context.signal,
        what: `read HTTPRoute/${namespace}/${name}`,
    });
    if (!manifest && !live) {
        throw new errors/* ConfigurationError */.j1(`Input "route" is "${name}", and HTTPRoute/${namespace}/${name} does not exist, so blue-green has no route to switch. Nothing was changed.`, {
            input: 'route',
            hint: 'name a live HTTPRoute of the namespace, or add the route to the manifests; the cluster must serve the Gateway API (gateway.networking.k8s.io/v1)',
        });
    }
    const saved = live?.metadata?.annotations?.[state_keys/* STABLE_RULES_ANNOTATION */._b];
    const savedRules = saved ? JSON.parse(saved) : undefined;
    const manifestRules = manifest ? rulesOf(manifest.object) : undefined;
    // A deploy switches from the rules of this release's manifests; promote and abort from those the switch used.
    const ownRules = (context.settings.action === 'deploy' ? (manifestRules ?? savedRules) : (savedRules ?? manifestRules)) ??
        rulesOf(live);
    const referenced = (0,route_backends/* referencedServices */.q)(ownRules);
    const servicesOf = new Map(deployments.map((stable) => [
        stable.ref.name,
        (0,strategies_workloads/* servicesSelecting */.dj)(manifests, stable.manifest)
            .map((service) => service.object.metadata.name)
            .filter((service) => referenced.has(service)),
    ]));
    const unrouted = [...servicesOf].filter(([, services]) => services.length === 0).map(([stable]) => stable);
    if (unrouted.length > 0) {
        throw new errors/* ConfigurationError */.j1(`${named === undefined ? 'The HTTPRoute' : `Input "route" is "${name}": HTTPRoute`} ${namespace}/${name} has no backendRef to a Service in front of Deployment ${unrouted.join(', ')} (its rules reference ${[...referenced].join(', ') || 'no Service'}), so blue-green cannot switch its traffic. Nothing was changed.`, {
            input: named === undefined ? 'manifests' : 'route',
            hint: "the route must send traffic to a Service of the manifests whose selector picks the Deployment's pods (backendRefs of kind Service)",
        });
    }
    const planned = manifest ? context.plan.find((item) => item.manifest === manifest) : undefined;
    return { namespace, name, planned, live, ownRules, servicesOf };
}
function routeColours(route) {
    const annotations = route.live?.metadata?.annotations ?? {};
    if (annotations[state_keys/* STRATEGY_ANNOTATION */.A$] !== 'blue-green')
        return { state: undefined, colours: {} };
    const colours = annotations[state_keys/* COLOURS_ANNOTATION */.QC];
    return {
        state: (0,state_keys/* releaseState */.hd)(annotations[state_keys/* STATE_ANNOTATION */.qD]),
        colours: colours ? JSON.parse(colours) : {},
    };
}
/**
 * The route of the manifests as it is applied while blue-green owns its rules: the live rules and
 * state kept (the apply changes no traffic), everything else from the manifests.
 */
function routeAsLive(route) {
    const { planned, live } = route;
    if (!planned || routeColours(route).state === undefined)
        return undefined;
    const keep = [state_keys/* STRATEGY_ANNOTATION */.A$, state_keys/* STATE_ANNOTATION */.qD, state_keys/* COLOURS_ANNOTATION */.QC, state_keys/* STABLE_RULES_ANNOTATION */._b];
    const annotations = live?.metadata?.annotations ?? {};
    const manifest = withChanges(planned.manifest, (object) => {
        object.metadata.annotations = {
            ...object.metadata.annotations,
            ...Object.fromEntries(keep.filter((key) => key in annotations).map((key) => [key, annotations[key]])),
        };
        object.spec = { ...object.spec, rules: rulesOf(live) };
    });
    return { ...planned, manifest };
}
/** The Service a Deployment's traffic goes to through the route: a colour's own Service, or the Service itself for a plain Deployment. */
function backendService(service, stable, workload) {
    const colour = colourOf(stable, workload);
    return colour ? colourName(service, colour) : service;
}
/** Each routed Service of each Deployment: the backends for its serving Deployment and the one kept idle. */
function routeBackends(route, workloads) {
    const backends = new Map();
    for (const [stable, { active, idle }] of workloads) {
        for (const service of route.servicesOf.get(stable) ?? []) {
            backends.set(service, {
                active: backendService(service, stable, active),
                idle: idle === undefined ? undefined : backendService(service, stable, idle),
            });
        }
    }
    return backends;
}
/**
 * One merge patch of the route, guarded by the resourceVersion read: its rules with the given
 * backends (none: the rules are left as they are) and the state they stand for.
 */
async function switchRoute(context, route, change) {
    const patched = await patchLatest(context.client, HTTP_ROUTES_PATH(route.namespace, route.name), `${change.what} on HTTPRoute/${route.namespace}/${route.name}`, () => ({
        metadata: {
            annotations: {
                [state_keys/* STRATEGY_ANNOTATION */.A$]: 'blue-green',
                [state_keys/* STATE_ANNOTATION */.qD]: change.state.state ?? null,
                [state_keys/* COLOURS_ANNOTATION */.QC]: JSON.stringify(change.state.colours),
                [state_keys/* STABLE_RULES_ANNOTATION */._b]: JSON.stringify(route.ownRules),
            },
        },
        ...(change.backends ? { spec: { rules: (0,route_backends/* colourRules */.w)(route.ownRules, change.backends).rules } } : {}),
    }), writeOptions(context));
    if (!patched) {
        throw new errors/* ActionError */.lZ(`HTTPRoute/${route.namespace}/${route.name} no longer exists: nothing was switched.`, {
            hint: 'apply the route again (it is in the manifests, or name a live one with the route input), then run the same step again',
        });
    }
    step(context, `HTTPRoute/${route.namespace}/${route.name}: ${change.what}.`);
}
function rulesOf(route) {
    const rules = (0,object/* field */.ZZ)(route, 'spec', 'rules');
    return Array.isArray(rules) ? rules : [];
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/switch.ts




async function switchServices(context, services, selectorChange) {
    for (const service of services) {
        const { name, namespace = '' } = service.manifest.object.metadata;
        let selector = {};
        let what = '';
        const switched = await patchLatest(context.client, SERVICES_PATH(namespace, name), `switch Service/${namespace}/${name}`, (live) => {
            const change = selectorChange(live);
            selector = change.selector;
            what = change.what;
            return {
                metadata: { annotations: { [state_keys/* STRATEGY_ANNOTATION */.A$]: 'blue-green', ...change.annotations } },
                spec: { selector: replaceMap((0,strategies_workloads/* serviceSelector */.TH)(live), change.selector) },
            };
        }, writeOptions(context));
        if (switched)
            step(context, `Service/${namespace}/${name}: ${what}, selector ${describeSelector(selector)}.`);
    }
}
function switchedAnnotations(active, previous, state) {
    return {
        [state_keys/* STATE_ANNOTATION */.qD]: state,
        [state_keys/* ACTIVE_COLOUR_ANNOTATION */.ey]: active.colour ?? null,
        [state_keys/* ACTIVE_WORKLOAD_ANNOTATION */.jq]: active.workload,
        [state_keys/* PREVIOUS_WORKLOAD_ANNOTATION */.uS]: previous?.workload ?? null,
        [state_keys/* PREVIOUS_SELECTOR_ANNOTATION */.of]: previous?.selector ? JSON.stringify(previous.selector) : null,
    };
}
/** A colour's replicas (a scale-down, when given) and its state annotation, in one patch. */
async function setColour(context, namespace, name, change) {
    const patched = await patchLatest(context.client, DEPLOYMENTS_PATH(namespace, name), `${change.replicas !== undefined ? `scale to ${change.replicas}` : 'mark'} Deployment/${namespace}/${name}`, () => ({
        ...(change.state
            ? { metadata: { annotations: annotationsPatch({ [state_keys/* STATE_ANNOTATION */.qD]: change.state }) } }
            : {}),
        ...(change.replicas !== undefined ? { spec: { replicas: change.replicas } } : {}),
    }), writeOptions(context));
    if (patched && change.replicas !== undefined)
        step(context, `Deployment/${namespace}/${name} scaled to ${change.replicas}.`);
    return patched !== undefined;
}
function describeSelector(selector) {
    return Object.entries(selector)
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/route-finish.ts







async function promoteThroughRoute(context, route, nothingPending) {
    const routed = routeColours(route);
    const states = await readStates(context, route, routed);
    if (routed.state === 'promoted')
        return finished(context, states, 'promoted');
    const colours = {};
    for (const current of states) {
        const { name, namespace } = refOf(context, current);
        if (current.state !== 'pending' || !current.activeWorkload)
            throw nothingPending(namespace, name, 'promote', current, routeName(route));
        if (current.previousWorkload)
            await setColour(context, namespace, current.previousWorkload, { replicas: 0 });
        await setColour(context, namespace, current.activeWorkload, { state: 'promoted' });
        colours[name] = { active: current.activeWorkload };
        context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
    }
    await switchRoute(context, route, {
        backends: undefined,
        state: { state: 'promoted', colours },
        what: `promoted ${Object.values(colours)
            .map((item) => item.active)
            .join(', ')}`,
    });
    context.outcome.state = 'promoted';
}
async function abortThroughRoute(context, route, nothingPending) {
    const routed = routeColours(route);
    const states = await readStates(context, route, routed);
    if (routed.state === 'aborted')
        return finished(context, states, 'aborted');
    const workloads = new Map();
    const colours = {};
    for (const current of states) {
        const { name, namespace } = refOf(context, current);
        if (current.state !== 'pending' || !current.previousWorkload || !current.activeWorkload)
            throw nothingPending(namespace, name, 'abort', current, routeName(route));
        // Back to a colour: the aborted one stays beside it at weight 0; to a plain Deployment: the route's own ref.
        const back = colourOf(name, current.previousWorkload) ? current.activeWorkload : undefined;
        workloads.set(name, { active: current.previousWorkload, idle: back });
        colours[name] = { active: current.previousWorkload };
    }
    await switchRoute(context, route, {
        backends: routeBackends(route, workloads),
        state: { state: 'aborted', colours },
        what: `switched back to ${Object.values(colours)
            .map((item) => item.active)
            .join(', ')}`,
    });
    for (const current of states) {
        const { name, namespace } = refOf(context, current);
        context.outcome.activeColour[name] = colourOf(name, current.previousWorkload) ?? '';
        const aborted = await readDeployment(context.client, namespace, current.activeWorkload, context.signal);
        // A plain Deployment takes the traffic back through its own Service, whose selector may pick the colour's pods.
        const stillSelected = aborted !== undefined &&
            colourOf(name, current.previousWorkload) === undefined &&
            current.services.some((service) => route.servicesOf.get(name)?.includes(service.manifest.object.metadata.name) &&
                (0,strategies_workloads/* selects */.ko)((0,strategies_workloads/* serviceSelector */.TH)(service.live ?? service.manifest.object), (0,strategies_workloads/* podLabels */.z8)(aborted)));
        await setColour(context, namespace, current.activeWorkload, stillSelected ? { replicas: 0, state: 'aborted' } : { state: 'aborted' });
    }
    context.outcome.state = 'aborted';
}
async function readStates(context, route, routed) {
    return Promise.all(plannedDeployments(context.plan).map((stable) => readColourState(context.client, context.inputs.manifests, stable, context.signal, routed)));
}
/** Promote after a promote, abort after an abort: the route already says so, and nothing is written. */
function finished(context, states, state) {
    for (const current of states) {
        const { name, namespace } = refOf(context, current);
        context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
        log/* notice */.lm(`Deployment/${namespace}/${name}: already ${state} (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`);
        step(context, `Nothing to ${state === 'promoted' ? 'promote' : 'abort'} for ${name}: already ${state}.`);
    }
    context.outcome.state = state;
}
function refOf(context, current) {
    return {
        name: current.stable.ref.name,
        namespace: current.stable.ref.namespace ?? context.inputs.namespace,
    };
}
function routeName(route) {
    return `HTTPRoute/${route.namespace}/${route.name}`;
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/blue-green-finish.ts











/**
 * The end of a blue-green switch, from the run that made it or any later one with the same
 * manifests, namespace and strategy inputs (the Services' annotations say where things stand).
 * Promote scales the previous Deployment to zero. Abort puts the previous selector back (the
 * switch back is one patch per Service, nothing waits), then scales the new colour to zero when its
 * pods would match that selector too, so only the previous release's pods are served. Both are
 * idempotent: a second promote or abort finds the state it left and changes nothing. A release
 * switched through an HTTPRoute is finished by route-finish.ts.
 */
async function promoteBlueGreen(context) {
    const route = await findBlueGreenRoute(context);
    if (route)
        return promoteThroughRoute(context, route, nothingPending);
    for (const stable of plannedDeployments(context.plan)) {
        const current = await readColourState(context.client, context.inputs.manifests, stable, context.signal);
        const name = stable.ref.name;
        const namespace = stable.ref.namespace ?? context.inputs.namespace;
        context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
        if (current.state === 'promoted') {
            log/* notice */.lm(`Deployment/${namespace}/${name}: already promoted (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`);
            step(context, `Nothing to promote for ${name}: already promoted.`);
            context.outcome.state = 'promoted';
            continue;
        }
        if (current.state !== 'pending' || !current.activeWorkload)
            throw nothingPending(namespace, name, 'promote', current);
        if (current.previousWorkload)
            await setColour(context, namespace, current.previousWorkload, { replicas: 0 });
        await setColour(context, namespace, current.activeWorkload, { state: 'promoted' });
        await switchServices(context, current.services, (live) => ({
            selector: (live.spec?.selector ?? {}),
            annotations: switchedAnnotations({ colour: colourOf(name, current.activeWorkload), workload: current.activeWorkload }, undefined, 'promoted'),
            what: `promoted ${current.activeWorkload}`,
        }));
        context.outcome.state = 'promoted';
    }
}
async function abortBlueGreen(context) {
    const route = await findBlueGreenRoute(context);
    if (route)
        return abortThroughRoute(context, route, nothingPending);
    for (const stable of plannedDeployments(context.plan)) {
        const current = await readColourState(context.client, context.inputs.manifests, stable, context.signal);
        const name = stable.ref.name;
        const namespace = stable.ref.namespace ?? context.inputs.namespace;
        if (current.state === 'aborted') {
            context.outcome.activeColour[name] = colourOf(name, current.activeWorkload) ?? '';
            log/* notice */.lm(`Deployment/${namespace}/${name}: already aborted (${current.activeWorkload ?? 'nothing'} serves); nothing to do.`);
            step(context, `Nothing to abort for ${name}: already aborted.`);
            context.outcome.state = 'aborted';
            continue;
        }
        if (current.state !== 'pending' ||
            !current.previousSelector ||
            !current.previousWorkload ||
            !current.activeWorkload) {
            throw nothingPending(namespace, name, 'abort', current);
        }
        const previous = current.previousWorkload;
        const previousSelector = current.previousSelector;
        await switchServices(context, current.services, () => ({
            selector: previousSelector,
            annotations: switchedAnnotations({ colour: colourOf(name, previous), workload: previous }, undefined, 'aborted'),
            what: `switched back to ${previous}`,
        }));
        context.outcome.activeColour[name] = colourOf(name, previous) ?? '';
        const aborted = await readDeployment(context.client, namespace, current.activeWorkload, context.signal);
        const stillSelected = aborted !== undefined && (0,strategies_workloads/* selects */.ko)(previousSelector, (0,strategies_workloads/* podLabels */.z8)(aborted));
        // Pods of the aborted colour that the restored selector also picks would go on serving.
        await setColour(context, namespace, current.activeWorkload, stillSelected ? { replicas: 0, state: 'aborted' } : { state: 'aborted' });
        context.outcome.state = 'aborted';
    }
}
function nothingPending(namespace, name, action, current, 
/** Where the state is kept when not on the Services: the HTTPRoute switched. */
route) {
    if (current.state === 'promoted') {
        return new errors/* ActionError */.lZ(`Cannot abort Deployment/${namespace}/${name}: the switch to ${current.activeWorkload ?? 'it'} was already promoted and the previous colour scaled down.`, { hint: 'deploy the previous release again (action: deploy), or use the rollback action' });
    }
    const recorded = route
        ? current.state !== undefined
        : current.services[0]?.live?.metadata?.annotations?.[state_keys/* STATE_ANNOTATION */.qD] !== undefined;
    const holder = route ? `${route} carries` : 'its Services carry';
    return new errors/* ActionError */.lZ(`Nothing to ${action} for Deployment/${namespace}/${name}: no blue-green switch is pending${current.state === 'aborted' ? ' (the last one was aborted)' : recorded ? '' : ` (${holder} no blue-green state for it)`}.`, { hint: 'run action: deploy with strategy: blue-green first, with the same manifests and namespace' });
}

// EXTERNAL MODULE: ./actions/deploy-k8s/src/deploy.ts + 7 modules
var deploy = __webpack_require__(2150);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/traffic/pinning.ts





/**
 * A Service's selector pinned to the pods of one ReplicaSet (its `pod-template-hash` label, as Argo
 * Rollouts does) while new pods carrying the same labels run beside them, and given back exactly
 * afterwards. The selector before the pin is kept in the Service's own annotation, so any later
 * run can undo it.
 */
const POD_TEMPLATE_HASH = 'pod-template-hash';
/** The Service with `unpinned` plus the hash as its selector, `unpinned` recorded beside it. */
function renderPinnedService(service, podTemplateHash, unpinned, annotations = {}) {
    return withChanges(service, (object) => {
        object.metadata.annotations = {
            ...object.metadata.annotations,
            ...annotations,
            [state_keys/* UNPINNED_SELECTOR_ANNOTATION */.Qz]: JSON.stringify(unpinned),
        };
        object.spec = { ...object.spec, selector: { ...unpinned, [POD_TEMPLATE_HASH]: podTemplateHash } };
    });
}
/** The selector a live Service had before a pin, if it is pinned. */
function unpinnedSelector(live) {
    const saved = live?.metadata?.annotations?.[state_keys/* UNPINNED_SELECTOR_ANNOTATION */.Qz];
    return saved ? JSON.parse(saved) : undefined;
}
/** Gives each pinned Service the selector it had before the pin; reads only when none is pinned. */
async function unpinServices(client, services, options, onStep) {
    for (const service of services) {
        const { name, namespace = '' } = service.object.metadata;
        const unpinned = await patchLatest(client, SERVICES_PATH(namespace, name), `unpin the selector of Service/${namespace}/${name}`, (live) => {
            const saved = unpinnedSelector(live);
            if (!saved)
                return undefined;
            return {
                metadata: { annotations: annotationsPatch({}, [state_keys/* UNPINNED_SELECTOR_ANNOTATION */.Qz]) },
                spec: { selector: replaceMap((live.spec?.selector ?? {}), saved) },
            };
        }, options);
        if (unpinned)
            onStep(`Service/${namespace}/${name}: selector no longer pinned to one ReplicaSet's pods.`);
    }
}
/**
 * The pod-template-hash of a Deployment whose rollout has settled: one ReplicaSet, at the current
 * revision, runs all its pods. Mid-rollout (the controller has not seen the last change, or an
 * older ReplicaSet still has pods) there is no single set of pods to pin to: the reason instead.
 */
async function settledPodTemplateHash(client, deployment, signal) {
    const generation = deployment.metadata?.generation;
    const observed = deployment.status?.observedGeneration;
    if (generation !== undefined && (observed === undefined || observed < generation)) {
        return { reason: 'its controller has not yet rolled out its last change' };
    }
    const revision = (0,rollback_plan/* replicaSetRevision */.Ou)(deployment);
    const replicaSets = await (0,rollback_history/* listHistory */.Pq)(client, 'Deployment', deployment, signal);
    const current = replicaSets.find((replicaSet) => (0,rollback_plan/* replicaSetRevision */.Ou)(replicaSet) === revision);
    const hash = current?.metadata?.labels?.[POD_TEMPLATE_HASH];
    if (!current || !hash)
        return { reason: 'it has no ReplicaSet at its current revision yet' };
    const older = replicaSets.filter((replicaSet) => replicaSet !== current && podCount(replicaSet) > 0);
    if (older.length > 0) {
        const names = older.map((replicaSet) => `ReplicaSet/${replicaSet.metadata?.name ?? ''}`).join(', ');
        return { reason: `it is mid-rollout: ${names} of an older revision still runs pods` };
    }
    return { hash };
}
function podCount(replicaSet) {
    const wanted = replicaSet.spec?.replicas;
    const running = replicaSet.status?.replicas;
    return Math.max(typeof wanted === 'number' ? wanted : 0, typeof running === 'number' ? running : 0);
}

// EXTERNAL MODULE: ./actions/deploy-k8s/src/strategies/strategy-settings.ts
var strategy_settings = __webpack_require__(2037);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/canary/canary-objects.ts





/**
 * A canary's objects, rendered from the stable Deployment's manifest: `<name>-canary` with the
 * stable pods' labels plus `gantry.dev/track: canary` (so the stable Service, which selects the
 * shared labels, sends it a share of the traffic in proportion to its pods), and for a
 * traffic-weighted canary `<service>-canary` selecting only the canary's pods, with the stable
 * Service pinned to the stable pods' pod-template-hash so that the HTTPRoute's weights are exact.
 */

function canaryName(stableName) {
    return `${stableName}-canary`;
}
function renderCanary(stable, stableLive, options) {
    const liveReplicas = stableLive.spec?.replicas;
    const stableReplicas = typeof liveReplicas === 'number' ? liveReplicas : 1;
    return deploymentVariant(stable.manifest, {
        name: canaryName(stable.ref.name),
        labels: { [state_keys/* TRACK_LABEL */.l8]: state_keys/* CANARY_TRACK */.F2 },
        replicas: (0,strategy_settings/* canaryReplicas */.Gy)(options.size, stableReplicas),
        annotations: {
            [state_keys/* STRATEGY_ANNOTATION */.A$]: 'canary',
            [state_keys/* STATE_ANNOTATION */.qD]: 'pending',
            [state_keys/* CANARY_OF_ANNOTATION */.Xl]: stable.ref.name,
            ...(options.traffic ? { [state_keys/* WEIGHT_ANNOTATION */.bi]: '0' } : {}),
        },
        source: `canary of ${stable.manifest.source}`,
    });
}
/** The canary's own Service: the stable one's ports, selecting only the canary's pods. */
function renderCanaryService(service, stableName) {
    return withChanges(service, (object) => {
        const spec = object.spec ?? {};
        const ports = Array.isArray(spec.ports) ? spec.ports : [];
        object.metadata = {
            name: canaryName(service.object.metadata.name),
            namespace: object.metadata.namespace,
            labels: object.metadata.labels,
            annotations: {
                ...object.metadata.annotations,
                [state_keys/* STRATEGY_ANNOTATION */.A$]: 'canary',
                [state_keys/* CANARY_OF_ANNOTATION */.Xl]: stableName,
            },
        };
        object.spec = {
            type: 'ClusterIP',
            selector: { ...(0,strategies_workloads/* serviceSelector */.TH)(service.object), [state_keys/* TRACK_LABEL */.l8]: state_keys/* CANARY_TRACK */.F2 },
            // A NodePort is unique in the cluster: the canary's Service cannot share the stable one's.
            ports: ports.map((port) => {
                const { nodePort: _nodePort, ...rest } = port;
                return rest;
            }),
        };
    });
}
/** The stable Service, applied with its selector pinned to the stable pods for the canary's lifetime. */
function renderStablePinned(service, podTemplateHash) {
    return renderPinnedService(service, podTemplateHash, (0,strategies_workloads/* serviceSelector */.TH)(service.object), {
        [state_keys/* STRATEGY_ANNOTATION */.A$]: 'canary',
    });
}
/** Whether the stable Deployment's selector also picks the canary's pods. */
function overlaps(stableLive, canary) {
    return (0,strategies_workloads/* deploymentSelects */.zE)(stableLive, (0,strategies_workloads/* podLabels */.z8)(canary.object));
}
function overlapWarning(stables) {
    return (`The selector of ${stables.join(', ')} also matches the pods of ${stables.length === 1 ? 'its canary' : 'their canaries'}. ` +
        "The Deployments' controllers keep their pods apart by ownerReferences, so the deploy goes on, but kubectl warns and anything that lists pods by the stable selector counts the canary's too. " +
        "Kubernetes' canary documentation avoids this with a track label: give the stable Deployment's selector and pod template a label such as track: stable, and have the Service select only the labels both tracks share (app: ...). " +
        "A Deployment's selector cannot change in place: recreate the Deployment (or deploy it under a new name) to adopt it.");
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/blue-green/blue-green-deploy.ts














async function deployBlueGreen(context) {
    const route = await findBlueGreenRoute(context);
    const targets = await Promise.all(plannedDeployments(context.plan).map((stable) => target(context, stable, route)));
    refusePending(context, targets);
    const replacements = new Map();
    const overlapping = [];
    for (const item of targets) {
        const colour = renderColour(item);
        replacements.set(item.current.stable, planRendered([colour], context.inputs.namespace));
        for (const service of item.current.services) {
            const planned = context.plan.find((candidate) => candidate.manifest === service.manifest);
            replacements.set(planned, routedOrLive(context, planned, service, item, route));
        }
        if (item.active && (await adoptedOverlaps(context, item, colour)))
            overlapping.push(`Deployment/${item.current.stable.ref.namespace}/${item.active}`);
    }
    const routeApplied = route ? routeAsLive(route) : undefined;
    if (route?.planned && routeApplied)
        replacements.set(route.planned, [routeApplied]);
    if (overlapping.length > 0)
        log/* warning */.$e(overlapWarning(overlapping), { title: 'Overlapping selectors' });
    try {
        await (0,deploy/* deploy */.g)({ ...context, plan: replaceInPlan(context.plan, (planned) => replacements.get(planned)) });
    }
    catch (error) {
        if (context.signal.aborted)
            throw error;
        log/* info */.pq('The new colour did not roll out: traffic was not switched; scaling it to zero.');
        await retire(context, targets);
        throw error;
    }
    step(context, `Rolled out ${targets.map((item) => colourName(item.current.stable.ref.name, item.colour)).join(', ')} (idle: no traffic yet).`);
    const decision = await analyse(context, targets);
    if (decision !== 'passed') {
        await retire(context, targets);
        throw new errors/* ReportedFailure */.g7(`The analysis of the idle colour was ${decision}: traffic was not switched, and the new colour was scaled to zero.`);
    }
    if (route)
        await switchRouteTraffic(context, route, targets);
    else
        for (const item of targets)
            await switchTraffic(context, item);
    context.outcome.state = targets.every((item) => item.active === undefined) ? 'promoted' : 'pending';
    if (context.outcome.state === 'pending' &&
        (context.settings.autoPromote || !context.settings.keepPrevious)) {
        await promoteBlueGreen(context);
    }
}
/** The new colours, never switched to, scaled to zero; the live release keeps serving. */
async function retire(context, targets) {
    for (const item of targets) {
        const name = item.current.stable.ref.name;
        await setColour(context, namespaceOf(item), colourName(name, item.colour), {
            replicas: 0,
            state: 'aborted',
        });
        context.outcome.activeColour[name] = colourOf(name, item.active) ?? '';
        if (item.pin)
            await unpin(context, item);
    }
    context.outcome.state = 'aborted';
}
async function target(context, stable, route) {
    const current = await readColourState(context.client, context.inputs.manifests, stable, context.signal, route ? routeColours(route) : undefined);
    if (route)
        refuseSelectorHistory(current, route);
    const namespace = stable.ref.namespace ?? context.inputs.namespace;
    if (current.activeWorkload && current.activeWorkload !== stable.ref.name) {
        const colour = otherColour(colourOf(stable.ref.name, current.activeWorkload));
        return { current, colour, active: current.activeWorkload, pin: undefined };
    }
    // No blue-green history, or a switch to a colour aborted: the plain Deployment, if it runs, is
    // the live release, adopted as is, its pods told from the new colour's by their hash.
    const plain = await readDeployment(context.client, namespace, stable.ref.name, context.signal);
    const served = current.services.some((service) => service.live !== undefined);
    if (!plain || !served)
        return { current, colour: 'blue', active: undefined, pin: undefined };
    return { current, colour: 'blue', active: stable.ref.name, pin: await adoptedPin(context, plain) };
}
/** The pod-template-hash of the adopted Deployment's pods; refused, before any write, mid-rollout. */
async function adoptedPin(context, plain) {
    const settled = await settledPodTemplateHash(context.client, plain, context.signal);
    if ('hash' in settled)
        return settled.hash;
    const { name = '', namespace = '' } = plain.metadata ?? {};
    throw new errors/* ActionError */.lZ(`Deployment/${namespace}/${name} cannot be adopted as the live release: ${settled.reason}, so the Services in front of it cannot be pinned to one set of its pods while the new colour starts. Nothing was changed.`, {
        hint: 'wait for its rollout to finish (kubectl rollout status), then deploy again',
    });
}
function refusePending(context, targets) {
    const pending = targets.filter((item) => item.current.state === 'pending');
    if (pending.length === 0)
        return;
    const names = pending.map((item) => `Deployment/${namespaceOf(item)}/${item.active}`);
    if (context.settings.supersede) {
        log/* notice */.lm(`supersede: true: ${names.join(', ')} is taken as the live release; the new release goes to the other colour.`);
        step(context, `Superseded the pending switch to ${names.join(', ')}.`);
        return;
    }
    throw new errors/* ActionError */.lZ(`A blue-green switch is pending: ${names.join(', ')} serves, and the previous colour is kept for a switch back. Nothing was changed.`, {
        hint: 'promote or abort it first (action: promote | abort with the same manifests, namespace and strategy), or set supersede: true to deploy over it',
    });
}
function renderColour(item) {
    const { stable } = item.current;
    const replicas = stable.manifest.object.spec?.replicas;
    return deploymentVariant(stable.manifest, {
        name: colourName(stable.ref.name, item.colour),
        labels: { [state_keys/* COLOUR_LABEL */.gf]: item.colour },
        replicas: typeof replicas === 'number' ? replicas : 1,
        annotations: { [state_keys/* STRATEGY_ANNOTATION */.A$]: 'blue-green', [state_keys/* STATE_ANNOTATION */.qD]: 'pending' },
        source: `${item.colour} colour of ${stable.manifest.source}`,
    });
}
/**
 * The Service as the manifests have it, except what the strategy owns: its selector stays the live
 * one until the switch (a Service created now points at the new colour, as nothing is served yet),
 * and its state annotations are kept.
 */
function serviceAsLive(service, item) {
    const { colour } = item;
    const workload = colourName(item.current.stable.ref.name, colour);
    if (item.pin && service.live) {
        const unpinned = unpinnedSelector(service.live) ?? (0,strategies_workloads/* serviceSelector */.TH)(service.live);
        return renderPinnedService(service.manifest, item.pin, unpinned, stateAnnotations(service.live));
    }
    return withChanges(service.manifest, (object) => {
        const selector = service.live ? (0,strategies_workloads/* serviceSelector */.TH)(service.live) : colourSelector(service.manifest, colour);
        const annotations = service.live
            ? stateAnnotations(service.live)
            : {
                [state_keys/* STRATEGY_ANNOTATION */.A$]: 'blue-green',
                ...filterNull(switchedAnnotations({ colour, workload }, undefined, 'promoted')),
            };
        object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
        object.spec = { ...object.spec, selector };
    });
}
function filterNull(values) {
    return Object.fromEntries(Object.entries(values).filter((entry) => entry[1] !== null && entry[1] !== ''));
}
/**
 * A Service in front of the Deployment: with a route, applied as the manifests have it, followed by
 * the new colour's own Service when the route sends it traffic; without, with the live selector.
 */
function routedOrLive(context, planned, service, item, route) {
    const { name } = service.manifest.object.metadata;
    if (!route)
        return planRendered([serviceAsLive(service, item)], context.inputs.namespace);
    if (!route.servicesOf.get(item.current.stable.ref.name)?.includes(name))
        return [planned];
    // The route sends the traffic to the front Service until the switch: pinned like the selector's.
    const front = item.pin
        ? planRendered([renderPinnedService(service.manifest, item.pin, (0,strategies_workloads/* serviceSelector */.TH)(service.manifest.object))], context.inputs.namespace)
        : [planned];
    return [
        ...front,
        ...planRendered([renderColourService(service.manifest, item.colour)], context.inputs.namespace),
    ];
}
/** A release switched by Service selectors cannot move to a route in place: its Services carry the state. */
function refuseSelectorHistory(current, route) {
    const switched = current.services.find((service) => service.live?.metadata?.annotations?.[state_keys/* STRATEGY_ANNOTATION */.A$] === 'blue-green');
    if (!switched)
        return;
    const { name, namespace = '' } = switched.manifest.object.metadata;
    throw new errors/* ConfigurationError */.j1(`Service/${namespace}/${name} is switched by its selector (an earlier blue-green deploy without an HTTPRoute), and now HTTPRoute/${route.namespace}/${route.name} would switch the traffic. Nothing was changed.`, {
        input: 'manifests',
        hint: 'go on switching by selector (leave the route out of the manifests, or keep it from referencing the Service), or deploy once with strategy: rolling to start again from a plain Deployment',
    });
}
/** After the analysis: every Deployment's routed Services move to the new colour in one patch of the route. */
async function switchRouteTraffic(context, route, targets) {
    const workloads = new Map();
    const colours = {};
    for (const item of targets) {
        const name = item.current.stable.ref.name;
        const active = colourName(name, item.colour);
        workloads.set(name, { active, idle: item.active });
        colours[name] = item.active ? { active, previous: item.active } : { active };
        context.outcome.activeColour[name] = item.colour;
    }
    const pending = targets.some((item) => item.active !== undefined);
    await switchRoute(context, route, {
        backends: routeBackends(route, workloads),
        state: { state: pending ? 'pending' : 'promoted', colours },
        what: `switched to ${[...workloads.values()].map((item) => item.active).join(', ')}${pending ? ' (the previous release kept at weight 0)' : ''}`,
    });
    // The front Services now take no traffic: their own selectors back, as the manifests have them.
    for (const item of targets)
        if (item.pin)
            await unpin(context, item);
}
/** The Services in front of an adopted Deployment, their selectors as they were before the pin. */
async function unpin(context, item) {
    await unpinServices(context.client, item.current.services.map((service) => service.manifest), writeOptions(context), (text) => step(context, text));
}
async function adoptedOverlaps(context, item, colour) {
    const live = await readDeployment(context.client, namespaceOf(item), item.active, context.signal);
    return live !== undefined && (0,strategies_workloads/* deploymentSelects */.zE)(live, (0,strategies_workloads/* podLabels */.z8)(colour.object));
}
async function analyse(context, targets) {
    if (!context.analysis.configured)
        return 'passed';
    const first = targets[0];
    const { stable } = first.current;
    const service = first.current.services[0]?.manifest.object.metadata.name ?? '';
    const run = await context.analysis.check(`idle colour ${targets.map((item) => colourName(item.current.stable.ref.name, item.colour)).join(', ')}`, {
        name: stable.ref.name,
        namespace: namespaceOf(first),
        colour: first.colour,
        deployment: colourName(stable.ref.name, first.colour),
        service,
    });
    step(context, `Analysis of the idle colour: ${run.decision} (${run.reason.replace(/\.$/, '')}).`);
    return run.decision;
}
async function switchTraffic(context, item) {
    const name = item.current.stable.ref.name;
    const workload = colourName(name, item.colour);
    context.outcome.activeColour[name] = item.colour;
    if (item.active === undefined)
        return;
    await switchServices(context, item.current.services, (live) => ({
        selector: colourSelector(item.current.services.find((service) => service.live?.metadata?.name === live.metadata?.name)
            ?.manifest ?? item.current.services[0].manifest, item.colour),
        annotations: {
            ...switchedAnnotations({ colour: item.colour, workload }, { workload: item.active, selector: unpinnedSelector(live) ?? (0,strategies_workloads/* serviceSelector */.TH)(live) }, 'pending'),
            // The pin ends with the switch, in the same patch: abort restores the selector before it.
            [state_keys/* UNPINNED_SELECTOR_ANNOTATION */.Qz]: null,
        },
        what: `switched to ${workload}`,
    }));
}
function namespaceOf(item) {
    return item.current.stable.ref.namespace ?? '';
}

// EXTERNAL MODULE: ./actions/deploy-k8s/src/strategies/traffic/route-weights.ts
var route_weights = __webpack_require__(9587);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/traffic/route.ts





function routeMissing(target) {
    return new errors/* ActionError */.lZ(`HTTPRoute/${target.namespace}/${target.name} does not exist, so traffic-weights has nothing to step.`, {
        hint: 'add it to the manifests, or check the route input; the cluster must serve the Gateway API (gateway.networking.k8s.io/v1)',
    });
}
async function setCanaryWeight(client, target, weight, options) {
    const patched = await patchLatest(client, HTTP_ROUTES_PATH(target.namespace, target.name), `set the canary's weight on HTTPRoute/${target.namespace}/${target.name} to ${weight}`, (route) => {
        const saved = route.metadata?.annotations?.[state_keys/* STABLE_RULES_ANNOTATION */._b];
        const stableRules = saved
            ? JSON.parse(saved)
            : ((0,object/* field */.ZZ)(route, 'spec', 'rules') ?? []);
        const { rules, split } = (0,route_weights/* weightedRules */.V)(stableRules, target.canaryServiceOf, weight);
        if (split === 0) {
            throw new errors/* ActionError */.lZ(`HTTPRoute/${target.namespace}/${target.name} has no backendRef to ${[...target.canaryServiceOf.keys()].join(' or ')}, so it cannot send the canary a share of their traffic.`, { hint: 'its rules must reference the stable Service (kind Service) that fronts the Deployment' });
        }
        return {
            metadata: {
                annotations: annotationsPatch({ [state_keys/* STABLE_RULES_ANNOTATION */._b]: JSON.stringify(stableRules) }),
            },
            spec: { rules },
        };
    }, options);
    if (!patched)
        throw routeMissing(target);
}
/** The route's rules as before the canary; nothing to do (false) when no canary weight was ever set. */
async function restoreRoute(client, target, options) {
    const restored = await patchLatest(client, HTTP_ROUTES_PATH(target.namespace, target.name), `restore the rules of HTTPRoute/${target.namespace}/${target.name}`, (route) => {
        const saved = route.metadata?.annotations?.[state_keys/* STABLE_RULES_ANNOTATION */._b];
        if (!saved)
            return undefined;
        return {
            metadata: { annotations: annotationsPatch({}, [state_keys/* STABLE_RULES_ANNOTATION */._b]) },
            spec: { rules: JSON.parse(saved) },
        };
    }, options);
    return restored !== undefined;
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/canary/canary-services.ts





/**
 * The Services and HTTPRoute around a traffic-weighted canary: which Services front the stable
 * Deployment, the route target to step, and the undoing of the pin and of the canary Services when
 * the canary ends (promoted or aborted).
 */
function stableServices(manifests, stable) {
    return (0,strategies_workloads/* servicesSelecting */.dj)(manifests, stable.manifest);
}
function routeTarget(namespace, routeName, services) {
    return {
        namespace,
        name: routeName,
        canaryServiceOf: new Map(services.map((service) => [service.object.metadata.name, canaryName(service.object.metadata.name)])),
    };
}
/** The route a canary Deployment steps, recorded on it at deploy, for promote and abort in another run. */
function routeOf(canary) {
    return canary.metadata?.annotations?.[state_keys/* ROUTE_ANNOTATION */.Wb];
}
/** Gives each pinned stable Service its own selector back, and deletes the canary Services. */
async function releaseServices(client, services, options, onStep) {
    await unpinServices(client, services, options, onStep);
    for (const service of services) {
        const { name, namespace = '' } = service.object.metadata;
        const canaryService = SERVICES_PATH(namespace, canaryName(name));
        // Read first: an abort with nothing left to undo sends no write at all.
        if (await client.getObject(canaryService, { signal: options.signal })) {
            await deleteIfPresent(client, canaryService, `delete Service/${namespace}/${canaryName(name)}`, options.signal);
            onStep(`Service/${namespace}/${canaryName(name)} deleted.`);
        }
    }
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/canary/canary-finish.ts













async function promoteCanary(context) {
    const pending = await readPending(context);
    if (pending.length === 0)
        return alreadyPromoted(context);
    for (const { stable, canary } of pending) {
        const route = routeOf(canary);
        if (!route)
            continue;
        await setCanaryWeight(context.client, canary_finish_target(context, stable, route), 100, writeOptions(context));
        step(context, `HTTPRoute/${context.inputs.namespace}/${route}: canary weight 100 while the stable Deployment is updated.`);
        await releaseServices(context.client, stableServices(context.inputs.manifests, stable), writeOptions(context), (text) => step(context, text));
    }
    // Until the stable Deployment runs the canary's template, the release is still pending.
    context.outcome.state = 'pending';
    const promoted = pending.map(({ stable, canary }) => stableWithCanaryTemplate(stable, canary));
    await (0,deploy/* deploy */.g)({ ...context, plan: planRendered(promoted, context.inputs.namespace) });
    step(context, `Promoted: ${pending.map(({ stable }) => `Deployment/${stable.ref.namespace}/${stable.ref.name}`).join(', ')} now run${pending.length === 1 ? 's' : ''} the canary's pod template.`);
    await removeCanaries(context, pending);
    context.outcome.state = 'promoted';
}
async function abortCanary(context) {
    const pending = await readPending(context);
    if (pending.length === 0) {
        await removeLeftovers(context);
        log/* notice */.lm('No canary is pending: nothing to abort.');
        step(context, 'Nothing to abort: no canary exists.');
        context.outcome.state = 'aborted';
        return;
    }
    await removeCanaries(context, pending);
    step(context, 'Aborted: only the stable release serves.');
    context.outcome.state = 'aborted';
}
async function readPending(context) {
    const found = await Promise.all(plannedDeployments(context.plan).map(async (stable) => ({
        stable,
        canary: await readDeployment(context.client, stable.ref.namespace ?? context.inputs.namespace, canaryName(stable.ref.name), context.signal),
    })));
    return found.filter((item) => item.canary !== undefined);
}
/** The route back to its own rules first, so no request is sent to a canary being deleted. */
async function removeCanaries(context, pending) {
    const options = writeOptions(context);
    for (const { stable, canary } of pending) {
        const namespace = stable.ref.namespace ?? context.inputs.namespace;
        const route = routeOf(canary);
        if (route && (await restoreRoute(context.client, canary_finish_target(context, stable, route), options))) {
            step(context, `HTTPRoute/${namespace}/${route}: rules restored, all traffic to the stable Service.`);
        }
        const name = canaryName(stable.ref.name);
        if (await deleteIfPresent(context.client, DEPLOYMENTS_PATH(namespace, name), `delete Deployment/${namespace}/${name}`, context.signal)) {
            step(context, `Deployment/${namespace}/${name} deleted.`);
        }
        if (route)
            await releaseServices(context.client, stableServices(context.inputs.manifests, stable), options, (text) => step(context, text));
    }
}
/**
 * What a canary deploy that failed before its canary Deployment existed may have left: the stable
 * Services pinned, a canary Service, route weights. Only reads unless one of them is there.
 */
async function removeLeftovers(context) {
    const options = writeOptions(context);
    for (const stable of plannedDeployments(context.plan)) {
        const services = stableServices(context.inputs.manifests, stable);
        const route = context.settings.trafficWeights.length > 0
            ? (context.settings.route ?? manifestRoute(context))
            : undefined;
        if (route && (await restoreRoute(context.client, canary_finish_target(context, stable, route), options))) {
            step(context, `HTTPRoute/${context.inputs.namespace}/${route}: rules restored, all traffic to the stable Service.`);
        }
        await releaseServices(context.client, services, options, (text) => step(context, text));
    }
}
function manifestRoute(context) {
    return context.inputs.manifests.find((manifest) => (0,strategies_workloads/* isHttpRoute */.Ie)(manifest.object))?.object.metadata.name;
}
function canary_finish_target(context, stable, route) {
    return routeTarget(context.inputs.namespace, route, stableServices(context.inputs.manifests, stable));
}
/** The stable manifest with the canary's pod template (its track label taken off): what was tested is what is promoted. */
function stableWithCanaryTemplate(stable, canary) {
    return withChanges(stable.manifest, (object) => {
        const template = structuredClone(canary.spec?.template);
        const labels = { ...template.metadata?.labels };
        delete labels[state_keys/* TRACK_LABEL */.l8];
        template.metadata = { ...template.metadata, labels };
        object.spec = { ...object.spec, template };
        object.metadata.annotations = {
            ...object.metadata.annotations,
            [state_keys/* STRATEGY_ANNOTATION */.A$]: 'canary',
            [state_keys/* STATE_ANNOTATION */.qD]: 'promoted',
        };
    });
}
/**
 * Promote again after a promote: the stable Deployments already run the manifests' images, so the
 * state is promoted and nothing is written. Anything else (an abort, or no canary ever) is not
 * something a promote can finish.
 */
async function alreadyPromoted(context) {
    for (const stable of plannedDeployments(context.plan)) {
        const live = await readDeployment(context.client, stable.ref.namespace ?? context.inputs.namespace, stable.ref.name, context.signal);
        const promoted = live?.metadata?.annotations?.[state_keys/* STATE_ANNOTATION */.qD] === 'promoted';
        const sameImages = (0,rollback_plan/* semanticEqual */.J1)((0,rollback_plan/* templateImages */.TD)(live?.spec?.template), (0,rollback_plan/* templateImages */.TD)(stable.manifest.object.spec?.template));
        if (!live || !promoted || !sameImages) {
            throw new errors/* ActionError */.lZ(`Nothing to promote: no canary of Deployment/${stable.ref.namespace}/${stable.ref.name} is pending, and the stable Deployment does not run this release${(0,object/* isRecord */.u4)(live) ? '' : ' (it does not exist)'}.`, { hint: 'the canary was aborted or never deployed: run action: deploy first' });
        }
    }
    log/* notice */.lm('Already promoted: the stable Deployments run this release and no canary is pending.');
    step(context, 'Nothing to promote: already promoted.');
    context.outcome.state = 'promoted';
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/canary/canary-deploy.ts











async function deployCanary(context) {
    const stables = await readStables(context);
    canary_deploy_refusePending(context, stables);
    if (stables.every((stable) => !stable.live))
        return firstRelease(context);
    const missing = stables.filter((stable) => !stable.live);
    if (missing.length > 0) {
        throw new errors/* ActionError */.lZ(`${missing.map((stable) => `Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name}`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet, so there is no stable release to compare a canary with.`, { hint: 'deploy the new Deployments in a step of their own with strategy: rolling first' });
    }
    const traffic = context.settings.trafficWeights.length > 0;
    const routeName = traffic ? (context.settings.route ?? manifestRoute(context)) : undefined;
    const replacements = new Map();
    const overlapping = [];
    for (const stable of stables) {
        const live = stable.live;
        const canary = renderCanary(stable.planned, live, { size: context.settings.canarySize, traffic });
        if (routeName)
            (canary.object.metadata.annotations ??= {})[state_keys/* ROUTE_ANNOTATION */.Wb] = routeName;
        if (overlaps(live, canary))
            overlapping.push(`Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name}`);
        context.outcome.canaryReplicas[canaryName(stable.planned.ref.name)] = canary.object.spec
            ?.replicas;
        replacements.set(stable.planned, planRendered([canary], context.inputs.namespace));
        if (traffic)
            await pinServices(context, stable, replacements);
    }
    if (overlapping.length > 0)
        log/* warning */.$e(overlapWarning(overlapping), { title: 'Overlapping selectors' });
    const plan = replaceInPlan(context.plan, (planned) => replacements.get(planned));
    try {
        await (0,deploy/* deploy */.g)({ ...context, plan });
    }
    catch (error) {
        if (context.signal.aborted)
            throw error;
        log/* info */.pq('The canary did not roll out: removing it, so only the stable release serves.');
        await abortCanary(context);
        throw error;
    }
    step(context, `Canary rolled out: ${Object.entries(context.outcome.canaryReplicas)
        .map(([name, replicas]) => `${name} (${replicas} replica(s))`)
        .join(', ')}.`);
    const decision = traffic
        ? await stepTraffic(context, stables, routeName)
        : await canary_deploy_analyse(context, stables, 'canary');
    await decide(context, decision);
}
async function readStables(context) {
    return Promise.all(plannedDeployments(context.plan).map(async (planned) => {
        const namespace = planned.ref.namespace ?? context.inputs.namespace;
        const [live, canary] = await Promise.all([
            readDeployment(context.client, namespace, planned.ref.name, context.signal),
            readDeployment(context.client, namespace, canaryName(planned.ref.name), context.signal),
        ]);
        return { planned, live, canary };
    }));
}
function canary_deploy_refusePending(context, stables) {
    const pending = stables.filter((stable) => stable.canary?.metadata?.annotations?.[state_keys/* STATE_ANNOTATION */.qD] === 'pending');
    if (pending.length === 0)
        return;
    const names = pending.map((stable) => `Deployment/${stable.planned.ref.namespace}/${canaryName(stable.planned.ref.name)}`);
    if (context.settings.supersede) {
        log/* notice */.lm(`supersede: true: replacing the pending canary ${names.join(', ')} with this release.`);
        step(context, `Superseded the pending canary ${names.join(', ')}.`);
        return;
    }
    const runUrl = pending[0]?.canary?.metadata?.annotations?.['gantry.dev/run-url'];
    throw new errors/* ActionError */.lZ(`A canary is already pending: ${names.join(', ')}${runUrl ? ` (deployed by ${runUrl})` : ''}. Nothing was changed.`, {
        hint: 'promote or abort it first (action: promote | abort with the same manifests, namespace and strategy), or set supersede: true to replace it with this release',
    });
}
/** No stable release anywhere: nothing to compare a canary with, so the release goes out as a rolling deploy. */
async function firstRelease(context) {
    log/* notice */.lm('No stable Deployment exists yet, so there is nothing to compare a canary with: this first release is deployed as a rolling update.');
    await (0,deploy/* deploy */.g)(context);
    step(context, 'First release: deployed as a rolling update (no stable release to compare a canary with).');
    context.outcome.state = 'promoted';
}
/** The stable Services, pinned to the stable pods, and a canary Service beside each. */
async function pinServices(context, stable, replacements) {
    const hash = await currentPodTemplateHash(context.client, stable.live, context.signal);
    if (!hash) {
        throw new errors/* ActionError */.lZ(`Deployment/${stable.planned.ref.namespace}/${stable.planned.ref.name} has no ReplicaSet at its current revision yet, so its pods cannot be told from the canary's.`, { hint: 'wait for its rollout to finish, then deploy again' });
    }
    for (const service of stableServices(context.inputs.manifests, stable.planned)) {
        const planned = context.plan.find((item) => item.manifest === service);
        const pinned = [
            renderStablePinned(service, hash),
            renderCanaryService(service, stable.planned.ref.name),
        ];
        replacements.set(planned, planRendered(pinned, context.inputs.namespace));
    }
}
async function stepTraffic(context, stables, routeName) {
    const namespace = context.inputs.namespace;
    const services = stables.flatMap((stable) => stableServices(context.inputs.manifests, stable.planned));
    const target = routeTarget(namespace, routeName, services);
    // The last weight, 100, is promote's: the canary takes all the traffic just before the stable
    // Deployment is updated, and gives it back once the stable pods run the same release.
    for (const weight of context.settings.trafficWeights.filter((value) => value < 100)) {
        await setCanaryWeight(context.client, target, weight, writeOptions(context));
        step(context, `HTTPRoute/${namespace}/${routeName}: canary weight ${weight}, stable ${100 - weight}.`);
        const decision = await canary_deploy_analyse(context, stables, `canary at ${weight}% of the traffic`, {
            weight: String(weight),
        });
        if (decision !== 'passed')
            return decision;
    }
    if (!context.settings.trafficWeights.some((value) => value < 100)) {
        return canary_deploy_analyse(context, stables, 'canary before any traffic');
    }
    return 'passed';
}
async function canary_deploy_analyse(context, stables, what, extra = {}) {
    if (!context.analysis.configured)
        return 'passed';
    const first = stables[0]?.planned.ref;
    const service = first ? stableServices(context.inputs.manifests, stables[0].planned)[0] : undefined;
    const variables = {
        name: first?.name ?? '',
        namespace: first?.namespace ?? context.inputs.namespace,
        canary: first ? canaryName(first.name) : '',
        service: service?.object.metadata.name ?? '',
        'canary-service': service ? canaryName(service.object.metadata.name) : '',
    };
    const run = await context.analysis.check(`${what} (${stables.map((stable) => canaryName(stable.planned.ref.name)).join(', ')})`, { ...variables, ...extra });
    step(context, `Analysis of the ${what}: ${run.decision} (${run.reason.replace(/\.$/, '')}).`);
    return run.decision;
}
async function decide(context, decision) {
    if (decision === 'failed') {
        await abortCanary(context);
        throw new errors/* ReportedFailure */.g7('The analysis failed, so the canary was aborted: only the stable release serves.');
    }
    if (decision === 'inconclusive') {
        context.outcome.state = 'pending';
        throw new errors/* ReportedFailure */.g7('The analysis was inconclusive: the canary is left pending, neither promoted nor aborted. Decide with action: promote or action: abort.');
    }
    if (context.settings.autoPromote)
        return promoteCanary(context);
    context.outcome.state = 'pending';
    step(context, 'Canary pending: promote it with action: promote, or remove it with action: abort.');
}

// EXTERNAL MODULE: ./shared/src/runner/outputs.ts
var outputs = __webpack_require__(5652);
// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/report.ts


function writeStrategyOutputs(outcome, runs) {
    (0,outputs/* setOutputs */.n)({
        'strategy-state': outcome.state,
        'canary-replicas': single(outcome.canaryReplicas),
        'active-colour': single(outcome.activeColour),
        analysis: runs.map((run) => ({
            step: run.step,
            decision: run.decision,
            reason: run.reason,
            result: run.json ?? null,
        })),
    });
}
function single(values) {
    const entries = Object.values(values);
    if (entries.length === 0)
        return '';
    if (entries.length === 1)
        return String(entries[0]);
    return JSON.stringify(values);
}
async function writeStrategySummary(settings, outcome, runs, failure, deploys) {
    const summary = new runner_summary/* JobSummary */.c3().heading(`deploy-k8s ${settings.strategy}: ${settings.action} (${deploys.context})`);
    summary.paragraph(`${failure ? '**Failed.** ' : ''}State: **${outcome.state || 'unknown'}**.${failure ? ` ${(0,runner_summary/* escapeInline */.VV)(failure)}` : ''}`);
    summary.list(outcome.steps.map(runner_summary/* escapeInline */.VV));
    // Each analysis brings its own heading, decision and table of measurements.
    for (const run of runs)
        if (run.summary)
            summary.paragraph(run.summary);
    for (const part of deploys.parts)
        summary.paragraph(part.toMarkdown().trimEnd());
    await summary.write();
}

;// CONCATENATED MODULE: ./actions/deploy-k8s/src/strategies/run-strategy.ts








/**
 * `strategy: canary | blue-green`: one of six paths by strategy and action. Whatever happens, the
 * strategy's outputs and summary say where the release stands when the step ends: one section for
 * the step, with the deploys it ran (a canary's rollout, the stable one's at promote) inside it.
 */
const PATHS = {
    canary: { deploy: deployCanary, promote: promoteCanary, abort: abortCanary },
    'blue-green': { deploy: deployBlueGreen, promote: promoteBlueGreen, abort: abortBlueGreen },
};
async function runStrategy(context, settings, plan) {
    const { client, inputs, signal } = context;
    const analysis = plan
        ? analysisGate(plan, { client, namespace: inputs.namespace, signal })
        : withoutAnalysis();
    const parts = [];
    const strategy = {
        ...context,
        settings,
        analysis,
        outcome: newOutcome(),
        summaryParts: parts,
    };
    let failure;
    try {
        await PATHS[settings.strategy][settings.action](strategy);
    }
    catch (error) {
        failure = (0,errors/* errorMessage */.gJ)(error);
        throw error;
    }
    finally {
        writeStrategyOutputs(strategy.outcome, analysis.runs);
        await writeStrategySummary(settings, strategy.outcome, analysis.runs, failure, {
            context: client.context,
            parts,
        });
    }
}


/***/ })

};
