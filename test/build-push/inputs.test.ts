import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readInputs } from '../../actions/build-push/src/inputs.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { capture, type Captured } from '../shared/helpers.ts';

/**
 * build-push's readInputs() in-process, inputs given as the runner gives them (INPUT_<NAME>,
 * hyphens kept): every malformed input is a ConfigurationError naming the input, before any
 * login, build or push.
 */

const IMAGE = 'registry.example.com:5000/team/app';
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'gantry-build-push-inputs-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(workspace, 'token.txt'), 'file-secret\n');
  writeFileSync(join(workspace, 'npmrc,ci'), 'file-secret\n');
  mkdirSync(join(workspace, 'app'));
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

let stdout: Captured;
beforeEach(() => {
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

async function read(inputs: Record<string, string>): ReturnType<typeof readInputs> {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  return readInputs(workspace);
}

interface BadCase {
  inputs: Record<string, string>;
  input: string;
  accepts: string;
  /** Values that must not appear in the message (secrets). */
  hides?: string[];
}

const BAD_INPUTS: [string, BadCase][] = [
  ['no images', { inputs: {}, input: 'images', accepts: 'is required' }],
  [
    'images of only separators',
    { inputs: { images: ' , ' }, input: 'images', accepts: 'is required to push' },
  ],
  [
    'an image with a tag',
    { inputs: { images: `${IMAGE}:v1` }, input: 'images', accepts: 'tags come from the tags input' },
  ],
  [
    'an image with a digest',
    { inputs: { images: `${IMAGE}@sha256:${'a'.repeat(64)}` }, input: 'images', accepts: 'digest' },
  ],
  [
    'an image with a space',
    { inputs: { images: 'team/my app' }, input: 'images', accepts: 'not a valid path component' },
  ],
  [
    'an image with a double slash',
    { inputs: { images: 'ghcr.io/team//app' }, input: 'images', accepts: 'empty component' },
  ],
  [
    'an image with a trailing slash',
    { inputs: { images: 'ghcr.io/team/' }, input: 'images', accepts: 'empty component' },
  ],
  [
    'a registry port that is not a number',
    { inputs: { images: 'registry.local:port/app' }, input: 'images', accepts: 'invalid port' },
  ],
  [
    'a registry port of 0',
    { inputs: { images: 'registry.local:0/app' }, input: 'images', accepts: 'invalid port' },
  ],
  [
    'a registry port above 65535',
    { inputs: { images: 'registry.local:70000/app' }, input: 'images', accepts: 'invalid port' },
  ],
  [
    'a registry with an empty host',
    { inputs: { images: ':5000/app' }, input: 'images', accepts: 'registry' },
  ],
  [
    'a registry host with an underscore',
    { inputs: { images: 'my_registry.local/app' }, input: 'images', accepts: 'not a valid registry host' },
  ],
  [
    'a path component starting with a dash',
    { inputs: { images: 'ghcr.io/-team/app' }, input: 'images', accepts: 'not a valid path component' },
  ],
  ['a registry with nothing after it', { inputs: { images: 'ghcr.io/' }, input: 'images', accepts: 'empty' }],
  [
    'the same image twice',
    { inputs: { images: `${IMAGE}\n${IMAGE}` }, input: 'images', accepts: 'listed once' },
  ],
  [
    'an unknown tag rule type',
    { inputs: { images: IMAGE, tags: 'type=version' }, input: 'tags', accepts: 'type' },
  ],
  [
    'a semver rule without placeholder',
    { inputs: { images: IMAGE, tags: 'type=semver,pattern=v1' }, input: 'tags', accepts: 'pattern' },
  ],
  [
    'a semver rule with an unknown placeholder',
    { inputs: { images: IMAGE, tags: 'type=semver,pattern={{build}}' }, input: 'tags', accepts: 'build' },
  ],
  [
    'a ref rule with an unknown event',
    { inputs: { images: IMAGE, tags: 'type=ref,event=push' }, input: 'tags', accepts: 'event' },
  ],
  [
    'a sha rule with an unknown format',
    { inputs: { images: IMAGE, tags: 'type=sha,format=medium' }, input: 'tags', accepts: 'format' },
  ],
  [
    'a raw rule without value',
    { inputs: { images: IMAGE, tags: 'type=raw' }, input: 'tags', accepts: 'value' },
  ],
  [
    'a rule with enable=maybe',
    { inputs: { images: IMAGE, tags: 'type=sha,enable=maybe' }, input: 'tags', accepts: 'enable' },
  ],
  [
    'a rule with a non-numeric priority',
    { inputs: { images: IMAGE, tags: 'type=sha,priority=high' }, input: 'tags', accepts: 'priority' },
  ],
  [
    'a match rule with a broken regex',
    { inputs: { images: IMAGE, tags: 'type=match,pattern=v(\\d' }, input: 'tags', accepts: 'pattern' },
  ],
  [
    'a pep440 rule without a pattern',
    { inputs: { images: IMAGE, tags: 'type=pep440' }, input: 'tags', accepts: 'type=pep440 needs a pattern' },
  ],
  [
    'a flavor latest=sometimes',
    { inputs: { images: IMAGE, flavor: 'latest=sometimes' }, input: 'flavor', accepts: 'latest' },
  ],
  [
    'an unknown flavor attribute',
    { inputs: { images: IMAGE, flavor: 'colour=blue' }, input: 'flavor', accepts: 'colour' },
  ],
  [
    'an unknown builder',
    {
      inputs: { images: IMAGE, builder: 'kaniko' },
      input: 'builder',
      accepts: 'expected one of docker, buildah',
    },
  ],
  [
    'a context that does not exist',
    { inputs: { images: IMAGE, context: 'missing' }, input: 'context', accepts: 'expected a directory' },
  ],
  [
    'a Dockerfile that does not exist',
    { inputs: { images: IMAGE, file: 'Containerfile' }, input: 'file', accepts: 'does not exist' },
  ],
  [
    'a target with a space',
    { inputs: { images: IMAGE, target: 'build stage' }, input: 'target', accepts: 'build stage name' },
  ],
  [
    'a build-arg without =',
    { inputs: { images: IMAGE, 'build-args': 'VERSION' }, input: 'build-args', accepts: 'key=value' },
  ],
  [
    'a build-arg with a dash in its name',
    {
      inputs: { images: IMAGE, 'build-args': 'APP-VERSION=1' },
      input: 'build-args',
      accepts: 'letters, digits and _',
    },
  ],
  [
    'a build-arg given twice',
    {
      inputs: { images: IMAGE, 'build-args': 'VERSION=1\nVERSION=2' },
      input: 'build-args',
      accepts: 'the key "VERSION" is given twice',
    },
  ],
  [
    'a secret without a value',
    { inputs: { images: IMAGE, secrets: 'npm_token=' }, input: 'secrets', accepts: 'has no value' },
  ],
  [
    'a secret without =',
    {
      inputs: { images: IMAGE, secrets: 'ghp_leakedtoken1234' },
      input: 'secrets',
      accepts: 'key=value',
      hides: ['ghp_leakedtoken1234'],
    },
  ],
  [
    'a secret id with a space',
    { inputs: { images: IMAGE, secrets: 'npm token=abcd1234' }, input: 'secrets', accepts: 'secret id' },
  ],
  [
    'a secret file that does not exist',
    {
      inputs: { images: IMAGE, 'secret-files': 'npm=missing.txt' },
      input: 'secret-files',
      accepts: 'does not exist',
    },
  ],
  [
    'a secret file id given twice',
    {
      inputs: { images: IMAGE, secrets: 'npm=abcd1234', 'secret-files': 'npm=token.txt' },
      input: 'secret-files',
      accepts: 'already given',
    },
  ],
  [
    'a platform without arch',
    { inputs: { images: IMAGE, platforms: 'linux' }, input: 'platforms', accepts: 'os/arch' },
  ],
  [
    'a platform in capitals',
    { inputs: { images: IMAGE, platforms: 'Linux/AMD64' }, input: 'platforms', accepts: 'os/arch' },
  ],
  [
    'a label key with a space',
    { inputs: { images: IMAGE, labels: 'my label=x' }, input: 'labels', accepts: 'label key' },
  ],
  [
    'an unknown cache type',
    { inputs: { images: IMAGE, 'cache-from': 'type=redis,ref=x' }, input: 'cache-from', accepts: 'type=' },
  ],
  [
    'a cache-to without a type',
    {
      inputs: { images: IMAGE, 'cache-to': 'mode=max' },
      input: 'cache-to',
      accepts: 'the entry names no type=',
    },
  ],
  [
    'a gha cache with buildah',
    {
      inputs: { images: IMAGE, builder: 'buildah', 'cache-from': 'type=gha' },
      input: 'cache-from',
      accepts: 'cache-from and cache-to need the docker builder',
    },
  ],
  [
    'load with buildah',
    { inputs: { images: IMAGE, builder: 'buildah', load: 'true' }, input: 'load', accepts: 'docker builder' },
  ],
  [
    'provenance with buildah',
    {
      inputs: { images: IMAGE, builder: 'buildah', provenance: 'true' },
      input: 'provenance',
      accepts: 'docker builder',
    },
  ],
  [
    'sbom with buildah',
    { inputs: { images: IMAGE, builder: 'buildah', sbom: 'true' }, input: 'sbom', accepts: 'docker builder' },
  ],
  [
    'load of two platforms',
    {
      inputs: { images: IMAGE, load: 'true', platforms: 'linux/amd64,linux/arm64' },
      input: 'load',
      accepts: 'cannot load 2 platforms',
    },
  ],
  ['push=yes', { inputs: { images: IMAGE, push: 'yes' }, input: 'push', accepts: 'expected true or false' }],
  [
    'an unknown registry type',
    {
      inputs: { images: IMAGE, 'registry-type': 'gcr' },
      input: 'registry-type',
      accepts: 'auto, ecr, generic',
    },
  ],
  [
    'a registry id that is not 12 digits',
    { inputs: { images: IMAGE, registries: '1234' }, input: 'registries', accepts: '12-digit' },
  ],
  [
    'a tag mutability in lower case',
    {
      inputs: { images: IMAGE, 'tag-mutability': 'immutable' },
      input: 'tag-mutability',
      accepts: 'MUTABLE, IMMUTABLE',
    },
  ],
  [
    'a password without a username',
    {
      inputs: { images: IMAGE, password: 'hunter2-secret' },
      input: 'username',
      accepts: 'set both',
      hides: ['hunter2-secret'],
    },
  ],
  [
    'a username without a password',
    { inputs: { images: IMAGE, username: 'deploy' }, input: 'password', accepts: 'set both' },
  ],
  [
    'an insecure registry with a path',
    {
      inputs: { images: IMAGE, 'insecure-registries': 'localhost:5000/team' },
      input: 'insecure-registries',
      accepts: 'registry hosts',
    },
  ],
  [
    'a push timeout without unit',
    { inputs: { images: IMAGE, 'push-timeout': '10x' }, input: 'push-timeout', accepts: 'duration' },
  ],
  [
    'a push timeout below a second',
    { inputs: { images: IMAGE, 'push-timeout': '10ms' }, input: 'push-timeout', accepts: 'from 1s' },
  ],
  [
    'dry-run=1',
    { inputs: { images: IMAGE, 'dry-run': '1' }, input: 'dry-run', accepts: 'expected true or false' },
  ],
];

describe('build-push readInputs rejects malformed inputs', () => {
  it('has at least 40 cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUTS)('%s', async (_label, bad) => {
    let error: unknown;
    try {
      await read(bad.inputs);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as ConfigurationError).message;
    expect(message).toContain(`"${bad.input}"`);
    expect(message).toContain(bad.accepts);
    for (const secret of bad.hides ?? []) expect(message).not.toContain(secret);
  });
});

describe('build-push readInputs resolves good inputs', () => {
  it('applies the documented defaults', async () => {
    const inputs = await read({ images: IMAGE });
    expect(inputs).toMatchObject({
      builder: 'docker',
      context: workspace,
      push: true,
      load: false,
      provenance: false,
      sbom: false,
      registryType: 'auto',
      tagMutability: 'MUTABLE',
      pushTimeoutMs: 600_000,
      dryRun: false,
      login: undefined,
    });
    expect(inputs.images).toEqual([
      { registry: 'registry.example.com:5000', repository: 'team/app', name: IMAGE },
    ]);
    expect(inputs.tagRules.map((rule) => rule.type)).toEqual(['schedule', 'ref', 'ref', 'ref']);
  });

  it('lower-cases image names as metadata-action does', async () => {
    const inputs = await read({ images: 'ghcr.io/Acme-Corp/Shop' });
    expect(inputs.images[0]?.name).toBe('ghcr.io/acme-corp/shop');
  });

  it('keeps tag rules whole although they contain commas', async () => {
    const inputs = await read({
      images: IMAGE,
      tags: 'type=semver,pattern={{major}}.{{minor}}\n# a comment\ntype=sha,format=long',
    });
    expect(inputs.tagRules.map((rule) => rule.type)).toEqual(['semver', 'sha']);
  });

  it('reads secrets, secret files, build args, labels and the login, masking the secrets', async () => {
    const inputs = await read({
      images: IMAGE,
      secrets: 'npm_token=abcd-1234-secret',
      'secret-files': `ssh=token.txt`,
      'build-args': 'VERSION=1.2.3\nMODE=a=b',
      labels: 'team=payments',
      username: 'deploy',
      password: 'correct-horse-battery',
      context: 'app',
    });
    expect(inputs.secrets).toEqual([
      { id: 'npm_token', value: 'abcd-1234-secret' },
      { id: 'ssh', file: join(workspace, 'token.txt') },
    ]);
    expect(inputs.buildArgs).toEqual({ VERSION: '1.2.3', MODE: 'a=b' });
    expect(inputs.labels).toEqual({ team: 'payments' });
    expect(inputs.login).toEqual({ username: 'deploy', password: 'correct-horse-battery' });
    expect(inputs.context).toBe(join(workspace, 'app'));
    expect(stdout.text()).toContain('::add-mask::abcd-1234-secret\n');
    expect(stdout.text()).toContain('::add-mask::correct-horse-battery');
  });

  // docker/build-push-action reads these one entry per line (ignoreComma): an entry may hold commas.
  it('reads cache entries one per line, keeping the commas inside each, and the bare-reference shorthand', async () => {
    const inputs = await read({
      images: IMAGE,
      'cache-from': 'type=gha\n# the shared cache\n\ntype=registry,ref=ghcr.io/a/b:cache\nghcr.io/a/b:cache',
      'cache-to': 'type=gha,mode=max\ntype=registry,ref=ghcr.io/a/b:cache,mode=max',
    });
    expect(inputs.cacheFrom).toEqual([
      'type=gha',
      'type=registry,ref=ghcr.io/a/b:cache',
      'ghcr.io/a/b:cache',
    ]);
    expect(inputs.cacheTo).toEqual(['type=gha,mode=max', 'type=registry,ref=ghcr.io/a/b:cache,mode=max']);
  });

  // buildx (util/buildflags/cache.go): no "=" means type=registry,ref=<it>, for --cache-to as well;
  // with attributes, type= may come anywhere
  it('takes cache-to in the forms buildx takes without a leading type=', async () => {
    const inputs = await read({
      images: IMAGE,
      'cache-to': 'ghcr.io/a/b:cache\nmode=max,type=gha\nghcr.io/a/b:one,ghcr.io/a/b:two',
    });
    expect(inputs.cacheTo).toEqual([
      'ghcr.io/a/b:cache',
      'mode=max,type=gha',
      'ghcr.io/a/b:one,ghcr.io/a/b:two',
    ]);
  });

  it('reads build args, labels, secrets and secret files one per line, so values may hold commas', async () => {
    const inputs = await read({
      images: IMAGE,
      'build-args': 'LIST=a,b\nMODE="x, y"',
      labels: 'org.opencontainers.image.description=Builds, tests, ships\n"team=payments,search"',
      secrets: 'tok=abc,other=xyz',
      'secret-files': 'npmrc=npmrc,ci',
    });
    expect(inputs.buildArgs).toEqual({ LIST: 'a,b', MODE: 'x, y' });
    expect(inputs.labels).toEqual({
      'org.opencontainers.image.description': 'Builds, tests, ships',
      team: 'payments,search',
    });
    expect(inputs.secrets).toEqual([
      { id: 'tok', value: 'abc,other=xyz' },
      { id: 'npmrc', file: join(workspace, 'npmrc,ci') },
    ]);
    expect(stdout.text()).toContain('::add-mask::abc,other=xyz\n');
  });

  it('passes remote contexts through', async () => {
    const inputs = await read({ images: IMAGE, context: 'https://github.com/acme/app.git#main' });
    expect(inputs.context).toBe('https://github.com/acme/app.git#main');
  });
});
