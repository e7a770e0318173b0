import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInput,
  getKeyValueMap,
  getLines,
  getList,
  getOptionalString,
  getString,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import { maskSecret } from '../../../shared/src/runner/secrets.ts';
import { readBuildSettings, type BuildSettings } from './build-settings.ts';
import { parseImageName, parseImageReference, type ImageName } from './image-name.ts';
import { parseFlavor, type Flavor } from './metadata/flavor.ts';
import { IMAGES_ACCEPTED, parseImageLines } from './metadata/images.ts';
import { readRuleLines } from './metadata/rule-fields.ts';
import { parseTagRules, type TagRule } from './metadata/tag-rules.ts';

/** Everything build-push needs, read and validated before any login, build or push. */
export interface BuildPushInputs {
  /** The enabled images; empty when nothing is pushed and none is given (the tags are then bare). */
  images: ImageName[];
  /** Separators of the tags, labels and annotations outputs (metadata-action's sep-*; newline by default). */
  separators: { tags: string; labels: string; annotations: string };
  build: BuildSettings;
  tagRules: TagRule[];
  flavor: Flavor;
  builder: 'docker' | 'buildah';
  context: string;
  file: string | undefined;
  target: string | undefined;
  buildArgs: Record<string, string>;
  secrets: { id: string; value?: string; file?: string }[];
  platforms: string[];
  labels: Record<string, string>;
  cacheFrom: string[];
  cacheTo: string[];
  push: boolean;
  load: boolean;
  provenance: boolean;
  sbom: boolean;
  noCache: boolean;
  pull: boolean;
  registryType: 'auto' | 'ecr' | 'generic';
  registryIds: string[];
  awsRegion: string | undefined;
  createRepository: boolean;
  scanOnPush: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  login: { username: string; password: string } | undefined;
  insecureRegistries: string[];
  pushTimeoutMs: number;
  dryRun: boolean;
}

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const ACCOUNT_ID = /^\d{12}$/;
const CACHE_TYPES = ['registry', 'local', 'gha', 's3', 'azblob', 'inline'];

export async function readInputs(workspace: string = process.cwd()): Promise<BuildPushInputs> {
  const builder = getEnum('builder', ['docker', 'buildah'] as const, 'docker');
  const build = readBuildSettings(builder);
  const secrets = readSecrets(workspace);
  // `call: check` (and outline, targets) evaluates the build without building it: nothing to push.
  const checksOnly = build.call !== undefined && !build.call.startsWith('build');
  const push = getBoolean('push', true) && !checksOnly;
  const load = getBoolean('load', false);
  const dryRun = getBoolean('dry-run', false);
  const images = readImages(push && !dryRun);
  if (build.outputs.length > 0 && (push || load)) {
    throw invalidInput(
      push ? 'push' : 'load',
      'true',
      'outputs already decides where the image goes (buildx would export it twice): set push and load to false with outputs',
    );
  }
  for (const { id } of build.secretEnvs) {
    if (secrets.some((secret) => secret.id === id))
      throw invalidInput('secret-envs', id, 'this id is already given in secrets or secret-files');
  }
  if (checksOnly && load) throw invalidInput('load', 'true', `call: ${build.call} builds no image to load`);
  const provenance = getBoolean('provenance', false);
  const sbom = getBoolean('sbom', false);
  const platforms = readPlatforms();
  if (builder === 'buildah') {
    if (load)
      throw invalidInput(
        'load',
        'true',
        'load is for the docker builder; buildah keeps images in its own store',
      );
    if (provenance) throw invalidInput('provenance', 'true', 'attestations need the docker builder (buildx)');
    if (sbom) throw invalidInput('sbom', 'true', 'attestations need the docker builder (buildx)');
  }
  if (load && platforms.length > 1) {
    throw invalidInput(
      'load',
      'true',
      `the local image store cannot load ${platforms.length} platforms at once; build one platform to load`,
    );
  }
  const context = getString('context', { default: '.' });
  return {
    images,
    separators: {
      tags: readSeparator('sep-tags'),
      labels: readSeparator('sep-labels'),
      annotations: readSeparator('sep-annotations'),
    },
    build,
    tagRules: parseTagRules(readMetadataLines('tags')),
    flavor: parseFlavor(readMetadataLines('flavor')),
    builder,
    context: readContext(context, workspace),
    file: readFile(workspace, context),
    target: readTarget(),
    buildArgs: readBuildArgs(),
    secrets,
    platforms,
    labels: readLabels(),
    cacheFrom: readCache('cache-from', builder),
    cacheTo: readCache('cache-to', builder),
    push,
    load,
    provenance,
    sbom,
    noCache: getBoolean('no-cache', false),
    pull: getBoolean('pull', false),
    registryType: getEnum('registry-type', ['auto', 'ecr', 'generic'] as const, 'auto'),
    registryIds: readRegistryIds(),
    awsRegion: getOptionalString('aws-region'),
    createRepository: getBoolean('create-repository', false),
    scanOnPush: getBoolean('scan-on-push', false),
    tagMutability: getEnum('tag-mutability', ['MUTABLE', 'IMMUTABLE'] as const, 'MUTABLE'),
    login: readLogin(),
    insecureRegistries: readInsecureRegistries(),
    pushTimeoutMs: getDuration('push-timeout', { default: 10 * 60_000, min: 1000, max: 6 * 3_600_000 }),
    dryRun,
  };
}

/** The lines of a metadata-action input, read as metadata-action reads them (see readRuleLines). */
function readMetadataLines(name: string): string[] {
  const raw = getOptionalString(name) ?? '';
  const lines = readRuleLines(raw);
  if (!lines.ok) throw invalidInput(name, raw, lines.reason);
  return lines.value;
}

/** As metadata-action: untrimmed (a separator may be a space), newline when empty. */
function readSeparator(name: string): string {
  return getInput(name, { trimWhitespace: false }) || '\n';
}

/** Images are needed to push; without push, none gives bare tags, as metadata-action without images. */
function readImages(pushing: boolean): ImageName[] {
  const entries = parseImageLines(readMetadataLines('images'));
  if (!entries.ok)
    throw invalidInput('images', getOptionalString('images') ?? '', `${entries.reason} (${IMAGES_ACCEPTED})`);
  const enabled = entries.value.filter((entry) => entry.enable);
  if (pushing && enabled.length === 0) {
    throw new ConfigurationError(
      entries.value.length === 0
        ? 'Input "images" is required to push: name the repositories to push to.'
        : 'Input "images" enables no image (every one has enable=false), so there is nowhere to push.',
      { input: 'images', hint: 'set push: false (or dry-run: true) to build without pushing' },
    );
  }
  const images: ImageName[] = [];
  for (const { name: text } of enabled) {
    const parsed = parseImageName(text);
    if (!parsed.ok) throw invalidInput('images', text, parsed.reason);
    if (images.some((image) => image.name === parsed.value.name)) {
      throw invalidInput('images', text, 'each repository may be listed once');
    }
    images.push(parsed.value);
  }
  return images;
}

function readSecrets(workspace: string): BuildPushInputs['secrets'] {
  const secrets: BuildPushInputs['secrets'] = [];
  for (const [id, value] of Object.entries(getKeyValueMap('secrets', { secret: true, perLine: true }))) {
    if (!SECRET_ID.test(id))
      throw invalidInput('secrets', id, 'a secret id is letters, digits, _ . - (id=value)');
    if (value === '') {
      throw new ConfigurationError(`Input "secrets": the secret "${id}" has no value (expected id=value).`, {
        input: 'secrets',
        hint: 'an unset repository secret expands to an empty string: check that the secret exists',
      });
    }
    maskSecret(value);
    secrets.push({ id, value });
  }
  for (const [id, path] of Object.entries(getKeyValueMap('secret-files', { perLine: true }))) {
    if (!SECRET_ID.test(id))
      throw invalidInput('secret-files', id, 'a secret id is letters, digits, _ . - (id=path)');
    if (secrets.some((secret) => secret.id === id)) {
      throw invalidInput('secret-files', id, 'this id is already given in secrets');
    }
    const file = resolve(workspace, path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw invalidInput('secret-files', `${id}=${path}`, 'the file does not exist');
    }
    secrets.push({ id, file });
  }
  return secrets;
}

function readPlatforms(): string[] {
  const platforms = getList('platforms');
  for (const platform of platforms) {
    if (!PLATFORM.test(platform))
      throw invalidInput(
        'platforms',
        platform,
        'expected os/arch[/variant] like linux/amd64 or linux/arm/v7',
      );
  }
  return platforms;
}

/** A remote context (a Git or HTTP URL) goes to the builder as it is; a local one must exist. */
function readContext(context: string, workspace: string): string {
  if (/^(https?|git):\/\/|^git@/.test(context)) return context;
  const path = resolve(workspace, context);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw invalidInput('context', context, 'expected a directory (relative to the workspace) or a Git URL');
  }
  return path;
}

function readFile(workspace: string, context: string): string | undefined {
  const file = getOptionalString('file');
  if (file === undefined) return undefined;
  const path = isAbsolute(file) ? file : resolve(workspace, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw invalidInput(
      'file',
      file,
      `the Dockerfile does not exist (looked at ${path}; the context is ${join(workspace, context)})`,
    );
  }
  return path;
}

function readTarget(): string | undefined {
  const target = getOptionalString('target');
  if (target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw invalidInput('target', target, 'expected a build stage name');
  }
  return target;
}

function readBuildArgs(): Record<string, string> {
  const args = getKeyValueMap('build-args', { perLine: true });
  for (const name of Object.keys(args)) {
    if (!BUILD_ARG_NAME.test(name))
      throw invalidInput('build-args', name, 'a build argument name is letters, digits and _');
  }
  return args;
}

function readLabels(): Record<string, string> {
  const labels = getKeyValueMap('labels', { perLine: true });
  for (const key of Object.keys(labels)) {
    if (!LABEL_KEY.test(key)) throw invalidInput('labels', key, 'a label key is letters, digits, . _ / -');
  }
  return labels;
}

function readCache(name: 'cache-from' | 'cache-to', builder: 'docker' | 'buildah'): string[] {
  // One entry per line: an entry is itself comma-separated (type=gha,mode=max).
  const entries = getLines(name);
  for (const entry of entries) {
    if (builder === 'buildah') {
      throw invalidInput(
        name,
        entry,
        'buildah keeps its layer cache in its own storage (--layers); cache-from and cache-to need the docker builder',
      );
    }
    const problem = cacheEntryProblem(entry);
    if (problem !== undefined) throw invalidInput(name, entry, problem);
  }
  return entries;
}

/**
 * buildx's reading of a cache entry (util/buildflags/cache.go): without any `=` it is a registry
 * reference, `type=registry,ref=<it>` (for --cache-from and --cache-to alike); otherwise its fields
 * must name a type, in any position.
 */
function cacheEntryProblem(entry: string): string | undefined {
  if (!entry.includes('=')) {
    const bad = entry.split(',').find((ref) => !parseImageReference(ref.trim()).ok);
    return bad === undefined
      ? undefined
      : `"${bad.trim()}" is not a registry reference; expected buildx syntax like type=gha or type=registry,ref=<repository>:<tag>, or a bare <repository>:<tag>, one per line`;
  }
  const type = entry
    .split(',')
    .map((field) => field.trim())
    .find((field) => field.toLowerCase().startsWith('type='))
    ?.slice('type='.length);
  if (type === undefined) return 'the entry names no type=, which buildx requires when it has attributes';
  if (!CACHE_TYPES.includes(type)) return `expected type=${CACHE_TYPES.join('|')},... in buildx syntax`;
  return undefined;
}

function readRegistryIds(): string[] {
  const ids = getList('registries');
  for (const id of ids) {
    if (!ACCOUNT_ID.test(id)) throw invalidInput('registries', id, 'expected 12-digit AWS account IDs');
  }
  return ids;
}

function readLogin(): BuildPushInputs['login'] {
  const username = getOptionalString('username');
  const password = getOptionalString('password', { secret: true });
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined)
    throw new ConfigurationError('Input "password" is set but "username" is not: set both.', {
      input: 'username',
    });
  if (password === undefined)
    throw new ConfigurationError('Input "username" is set but "password" is not: set both.', {
      input: 'password',
    });
  return { username, password };
}

function readInsecureRegistries(): string[] {
  const registries = getList('insecure-registries');
  for (const registry of registries) {
    const parsed = parseImageName(`${registry}/probe`);
    if (!parsed.ok || parsed.value.registry !== registry) {
      throw invalidInput(
        'insecure-registries',
        registry,
        'expected registry hosts like localhost:5000 or 10.0.0.5:5000',
      );
    }
  }
  return registries;
}
