export const id = 867;
export const ids = [867];
export const modules = {

/***/ 8867:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareEcr: () => (/* binding */ prepareEcr)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./shared/src/aws.ts
var aws = __webpack_require__(3526);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __webpack_require__(2663);
;// CONCATENATED MODULE: ./actions/build-push/src/registry/ecr.ts




/**
 * One credential per registry: the caller's own when `registryIds` is empty. ECR answers with a
 * base64 `AWS:<password>` token valid for 12 hours; both forms are masked before anything else.
 */
async function ecrLogin(client, registryIds) {
    const operation = 'GetAuthorizationToken';
    const output = await client
        .send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(registryIds.length > 0 ? { registryIds } : {}))
        .catch((error) => {
        throw (0,aws/* awsActionError */.Ey)(operation, error);
    });
    const data = output.authorizationData ?? [];
    if (data.length === 0)
        throw new errors/* ActionError */.lZ(`${operation} returned no authorization data`);
    return data.map((entry) => credentialFrom(entry, operation));
}
function credentialFrom(entry, operation) {
    const token = entry.authorizationToken;
    (0,secrets/* maskSecret */.$l)(token);
    if (!token || !entry.proxyEndpoint) {
        throw new errors/* ActionError */.lZ(`${operation} returned authorization data without a token or proxy endpoint`);
    }
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    (0,secrets/* maskSecret */.$l)(password);
    if (colon <= 0 || password === '') {
        throw new errors/* ActionError */.lZ(`${operation} returned a token that is not base64 of "user:password"`);
    }
    return {
        registry: entry.proxyEndpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
        username: decoded.slice(0, colon),
        password,
    };
}
/**
 * The repository, created with the given settings when it is missing and `create` allows it. The
 * settings of an existing repository are reported, never changed.
 */
async function ensureRepository(client, repositoryName, options) {
    const { registryId } = options;
    const existing = await describeRepository(client, repositoryName, registryId);
    if (existing)
        return summarise(existing, false);
    if (!options.create) {
        throw new errors/* ActionError */.lZ(`The ECR repository "${repositoryName}" does not exist`, {
            hint: 'create it first, or set `create-repository: true` to let build-push create it',
        });
    }
    const output = await client
        .send(new dist_cjs/* CreateRepositoryCommand */.WTe({
        repositoryName,
        registryId,
        imageTagMutability: options.tagMutability,
        imageScanningConfiguration: { scanOnPush: options.scanOnPush },
    }))
        .catch((error) => {
        // Another job of the same workflow created it between our two calls: that is what we wanted.
        if ((0,aws/* awsErrorName */.ZH)(error) === 'RepositoryAlreadyExistsException')
            return undefined;
        throw (0,aws/* awsActionError */.Ey)('CreateRepository', error);
    });
    if (output)
        return summarise(required(output.repository, 'CreateRepository', 'repository'), true);
    const created = await describeRepository(client, repositoryName, registryId);
    if (!created) {
        throw new errors/* ActionError */.lZ(`The ECR repository "${repositoryName}" was reported created but cannot be found`);
    }
    return summarise(created, false);
}
async function describeRepository(client, repositoryName, registryId) {
    try {
        const output = await client.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [repositoryName], registryId }));
        return output.repositories?.[0];
    }
    catch (error) {
        if ((0,aws/* awsErrorName */.ZH)(error) === 'RepositoryNotFoundException')
            return undefined;
        throw (0,aws/* awsActionError */.Ey)('DescribeRepositories', error);
    }
}
function summarise(repository, created) {
    const mutability = repository.imageTagMutability ?? 'MUTABLE';
    return {
        created,
        immutable: mutability === 'IMMUTABLE' || mutability === 'IMMUTABLE_WITH_EXCLUSION',
        mutabilityExclusions: (repository.imageTagMutabilityExclusionFilters ?? []).flatMap((filter) => filter.filter ? [filter.filter] : []),
        uri: required(repository.repositoryUri, 'DescribeRepositories', 'repositoryUri'),
    };
}
/** Every manifest type a build can produce: without the list, ECR may convert an index to one platform. */
const ACCEPTED_MEDIA_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
];
/** Failures that mean "no such tag" rather than "could not tell". */
const ABSENT = new Set(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);
/** What `tag` points at in the repository, or undefined when the tag (or the repository) does not exist. */
async function describeExistingTag(client, repositoryName, tag, registryId) {
    const operation = 'BatchGetImage';
    const output = await client
        .send(new dist_cjs/* BatchGetImageCommand */.P8n({
        repositoryName,
        registryId,
        imageIds: [{ imageTag: tag }],
        acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
    }))
        .catch((error) => {
        // No repository, so no tag: the same answer as a missing tag.
        if ((0,aws/* awsErrorName */.ZH)(error) === 'RepositoryNotFoundException')
            return undefined;
        throw (0,aws/* awsActionError */.Ey)(operation, error);
    });
    if (!output)
        return undefined;
    const failure = output.failures?.[0];
    if (failure) {
        if (ABSENT.has(failure.failureCode ?? ''))
            return undefined;
        throw new errors/* ActionError */.lZ(`${operation} could not read tag "${tag}" of ${repositoryName}: ${failure.failureCode}: ${failure.failureReason}`);
    }
    const image = output.images?.[0];
    if (!image)
        return undefined;
    return {
        digest: required(image.imageId?.imageDigest, operation, 'imageId.imageDigest'),
        configDigest: configDigestOf(required(image.imageManifest, operation, 'imageManifest'), operation),
    };
}
function configDigestOf(manifest, operation) {
    let parsed;
    try {
        parsed = JSON.parse(manifest);
    }
    catch {
        throw new errors/* ActionError */.lZ(`${operation} returned a manifest that is not JSON`);
    }
    const digest = parsed?.config?.digest;
    return typeof digest === 'string' ? digest : undefined;
}
function required(value, operation, field) {
    if (value === undefined)
        throw new errors/* ActionError */.lZ(`${operation} returned no ${field}`);
    return value;
}

;// CONCATENATED MODULE: ./actions/build-push/src/registry/tag-mutability.ts
/**
 * Whether ECR refuses to move a tag. Since 2025 a repository's setting can have exceptions:
 * IMMUTABLE_WITH_EXCLUSION keeps tags matching its wildcard filters (`latest`, `dev-*`) mutable, and
 * MUTABLE_WITH_EXCLUSION makes matching tags immutable. `*` matches any run of characters.
 */
function isTagImmutable(mutability, tag) {
    const excluded = mutability.mutabilityExclusions.some((filter) => wildcard(filter).test(tag));
    return mutability.immutable !== excluded;
}
function wildcard(filter) {
    const pattern = filter
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${pattern}$`);
}

;// CONCATENATED MODULE: ./actions/build-push/src/registry/ecr-session.ts





async function prepareEcr(registries, tagsByImage, settings) {
    const credentials = [];
    const existingImmutableTags = new Map();
    for (const registry of registries) {
        const region = settings.awsRegion ?? registry.region;
        const client = new dist_cjs/* ECRClient */.S70((0,aws/* awsClientConfig */.rw)({ region }));
        try {
            const ids = [
                ...new Set([...(registry.accountId ? [registry.accountId] : []), ...settings.registryIds]),
            ];
            for (const credential of await ecrLogin(client, ids)) {
                // An ECR-compatible endpoint (a proxy, an emulator) may name itself differently from the image host.
                credentials.push(ids.length === 0 ? { ...credential, registry: registry.host } : credential);
            }
            // Without a push the login is still needed (base images in ECR); the repositories are not.
            for (const image of settings.push ? registry.images : []) {
                const repository = await ensureRepository(client, image.repository, {
                    create: settings.createRepository,
                    scanOnPush: settings.scanOnPush,
                    tagMutability: settings.tagMutability,
                    registryId: registry.accountId,
                });
                if (repository.created)
                    log/* info */.pq(`Created ECR repository ${repository.uri}.`);
                await findExistingTags(client, image, tagsByImage.get(image.name) ?? [], repository, registry.accountId, existingImmutableTags);
            }
        }
        finally {
            client.destroy();
        }
    }
    if (registries.length === 0 && settings.registryIds.length > 0) {
        // No image in ECR, but base images are: log in to the registries asked for, in aws-region.
        const client = new dist_cjs/* ECRClient */.S70((0,aws/* awsClientConfig */.rw)({ region: settings.awsRegion }));
        try {
            credentials.push(...(await ecrLogin(client, settings.registryIds)));
        }
        finally {
            client.destroy();
        }
    }
    return { credentials, existingImmutableTags };
}
async function findExistingTags(client, image, tags, mutability, registryId, found) {
    for (const tag of tags) {
        if (!isTagImmutable(mutability, tag))
            continue;
        const existing = await describeExistingTag(client, image.repository, tag, registryId);
        if (existing)
            found.set(`${image.name}:${tag}`, existing);
    }
}


/***/ })

};
