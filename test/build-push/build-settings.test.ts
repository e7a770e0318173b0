import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { buildahBuilder } from '../../actions/build-push/src/builders/buildah.ts';
import { dockerBuilder } from '../../actions/build-push/src/builders/docker.ts';
import { readInputs } from '../../actions/build-push/src/inputs.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { capture, type Captured } from '../shared/helpers.ts';
import { buildRequest, noSettings } from './builders/helpers.ts';

/**
 * docker/build-push-action's remaining inputs: read with its names and syntax, passed to buildx as
 * build-push-action passes them (its src/context.ts getBuildArgs/getCommonArgs order), mapped to
 * buildah's flags where buildah has one, and refused with buildah otherwise.
 */

const IMAGE = 'registry.example.com:5000/team/app';
let workspace: string;
let stdout: Captured;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'gantry-build-settings-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
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

const EVERY_INPUT = {
  images: IMAGE,
  ssh: 'default,github=/home/runner/.ssh/id_ed25519',
  'build-contexts': 'alpine=docker-image://alpine:3.20\nshared=../shared',
  annotations: 'index:org.opencontainers.image.vendor=Acme, Inc.\norg.example.team=core',
  'secret-envs': 'npm_token=NPM_TOKEN,gh=GH_TOKEN',
  'add-hosts': 'db.local:10.0.0.5,cache.local:10.0.0.6',
  network: 'host',
  'shm-size': '2g',
  ulimit: 'nofile=1024:2048\nnproc=512',
  'no-cache-filters': 'deps,test',
  allow: 'network.host',
  attests: 'type=sbom,generator=docker/buildkit-syft-scanner',
  'cgroup-parent': '/actions_job',
};

describe('reading', () => {
  it('reads each input as build-push-action does (lists at commas, annotations and ulimit per line)', async () => {
    const inputs = await read(EVERY_INPUT);
    expect(inputs.build).toEqual(
      noSettings({
        ssh: ['default', 'github=/home/runner/.ssh/id_ed25519'],
        buildContexts: ['alpine=docker-image://alpine:3.20', 'shared=../shared'],
        annotations: ['index:org.opencontainers.image.vendor=Acme, Inc.', 'org.example.team=core'],
        secretEnvs: [
          { id: 'npm_token', env: 'NPM_TOKEN' },
          { id: 'gh', env: 'GH_TOKEN' },
        ],
        addHosts: ['db.local:10.0.0.5', 'cache.local:10.0.0.6'],
        network: 'host',
        shmSize: '2g',
        ulimits: ['nofile=1024:2048', 'nproc=512'],
        noCacheFilters: ['deps', 'test'],
        allow: ['network.host'],
        attests: ['type=sbom,generator=docker/buildkit-syft-scanner'],
        cgroupParent: '/actions_job',
      }),
    );
  });

  it('call: check pushes nothing, so needs no tag and no image', async () => {
    const inputs = await read({ call: 'check', tags: 'type=semver,pattern={{version}}' });
    expect(inputs.push).toBe(false);
    expect(inputs.images).toEqual([]);
    expect(inputs.build.call).toBe('check');
  });

  it('outputs with push: false', async () => {
    const inputs = await read({ images: IMAGE, push: 'false', outputs: 'type=local,dest=out' });
    expect(inputs.build.outputs).toEqual(['type=local,dest=out']);
  });
});

const BAD: [string, Record<string, string>, string, string][] = [
  ['an ssh entry with a space', { ssh: 'my key' }, 'ssh', 'default or <id>'],
  [
    'a build context without a name',
    { 'build-contexts': 'docker-image://alpine' },
    'build-contexts',
    'name=<path',
  ],
  ['an annotation of an unknown level', { annotations: 'layer:a=b' }, 'annotations', '[<level>:]key=value'],
  ['a secret-env without a variable', { 'secret-envs': 'npm_token' }, 'secret-envs', 'id=VARIABLE'],
  [
    'a secret-env id given in secrets too',
    { secrets: 'npm_token=x', 'secret-envs': 'npm_token=NPM' },
    'secret-envs',
    'already given',
  ],
  ['an add-host without an address', { 'add-hosts': 'db.local' }, 'add-hosts', 'host:ip'],
  ['a shm-size in words', { 'shm-size': 'two gigs' }, 'shm-size', 'a size such as 64m'],
  ['a ulimit without a value', { ulimit: 'nofile' }, 'ulimit', 'name=soft[:hard]'],
  ['an unknown entitlement', { allow: 'root' }, 'allow', 'network.host, security.insecure'],
  ['an attestation without a type', { attests: 'mode=max' }, 'attests', 'type=sbom|provenance'],
  ['an unknown call', { call: 'lint' }, 'call', 'build, check, outline or targets'],
  [
    'outputs with push',
    { outputs: 'type=local,dest=out' },
    'push',
    'outputs already decides where the image goes',
  ],
  ['an output without a type', { push: 'false', outputs: 'dest=out,mode=x' }, 'outputs', 'buildx exporters'],
  // buildah has no flag for these: the error names the input and the builder
  [
    'annotations with buildah',
    { builder: 'buildah', annotations: 'a=b' },
    'annotations',
    'builder is buildah',
  ],
  [
    'no-cache-filters with buildah',
    { builder: 'buildah', 'no-cache-filters': 'deps' },
    'no-cache-filters',
    'buildah has no --no-cache-filter',
  ],
  [
    'allow with buildah',
    { builder: 'buildah', allow: 'network.host' },
    'allow',
    'needs builder: docker (buildx), and builder is buildah',
  ],
  [
    'attests with buildah',
    { builder: 'buildah', attests: 'type=sbom' },
    'attests',
    'buildah makes no attestations',
  ],
  ['call with buildah', { builder: 'buildah', call: 'check' }, 'call', 'buildah has no --call'],
  [
    'a registry output with buildah',
    { builder: 'buildah', push: 'false', outputs: 'type=registry' },
    'outputs',
    'only type=local and type=tar',
  ],
  [
    'two outputs with buildah',
    { builder: 'buildah', push: 'false', outputs: 'type=local,dest=a\ntype=tar,dest=b' },
    'outputs',
    'one --output',
  ],
];

describe('refusals', () => {
  it.each(BAD)('%s', async (_label, inputs, input, says) => {
    let error: unknown;
    try {
      await read({ images: IMAGE, ...inputs });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toContain(`Input "${input}"`);
    expect((error as ConfigurationError).message).toContain(says);
  });
});

describe('command lines', () => {
  it('buildx gets every flag in build-push-action order', async () => {
    const inputs = await read({ ...EVERY_INPUT, push: 'false' });
    const request = buildRequest({
      settings: inputs.build,
      secrets: inputs.build.secretEnvs,
      tags: [`${IMAGE}:1`],
    });
    const { args } = dockerBuilder({ dockerConfigDir: '/home/runner/.docker' }).command(request, {
      workDir: '/w',
      authFile: undefined,
    });
    expect(args).toEqual([
      'buildx',
      'build',
      '--add-host',
      'db.local:10.0.0.5',
      '--add-host',
      'cache.local:10.0.0.6',
      '--allow',
      'network.host',
      '--annotation',
      'index:org.opencontainers.image.vendor=Acme, Inc.',
      '--annotation',
      'org.example.team=core',
      '--build-context',
      'alpine=docker-image://alpine:3.20',
      '--build-context',
      'shared=../shared',
      '--cgroup-parent',
      '/actions_job',
      '--secret',
      'id=npm_token,env=NPM_TOKEN',
      '--secret',
      'id=gh,env=GH_TOKEN',
      '--iidfile',
      '/w/image-id',
      '--no-cache-filter',
      'deps',
      '--no-cache-filter',
      'test',
      // the sbom entry of attests replaces --sbom=false; provenance stays off explicitly
      '--provenance=false',
      '--attest',
      'type=sbom,generator=docker/buildkit-syft-scanner',
      '--shm-size',
      '2g',
      '--ssh',
      'default',
      '--ssh',
      'github=/home/runner/.ssh/id_ed25519',
      '--tag',
      `${IMAGE}:1`,
      '--ulimit',
      'nofile=1024:2048',
      '--ulimit',
      'nproc=512',
      '--metadata-file',
      '/w/metadata.json',
      '--network',
      'host',
      '.',
    ]);
  });

  it('sbom: true takes precedence over an sbom entry of attests, as in build-push-action', () => {
    const request = buildRequest({
      sbom: true,
      settings: noSettings({ attests: ['type=sbom,generator=x', 'type=provenance,mode=max'] }),
    });
    const { args } = dockerBuilder({ dockerConfigDir: '/d' }).command(request, {
      workDir: '/w',
      authFile: undefined,
    });
    expect(args.filter((arg) => /provenance|sbom/.test(arg))).toEqual([
      '--sbom=true',
      'type=provenance,mode=max',
    ]);
  });

  it('call, and a local output without an iidfile', () => {
    const request = buildRequest({
      settings: noSettings({ call: 'check', outputs: ['type=local,dest=out'] }),
    });
    const { args } = dockerBuilder({ dockerConfigDir: '/d' }).command(request, {
      workDir: '/w',
      authFile: undefined,
    });
    expect(args.slice(0, 6)).toEqual([
      'buildx',
      'build',
      '--call',
      'check',
      '--output',
      'type=local,dest=out',
    ]);
    expect(args).not.toContain('--iidfile');
  });

  it('buildah gets its own flags for the inputs it has, network default left to buildah', async () => {
    const inputs = await read({
      images: IMAGE,
      builder: 'buildah',
      push: 'false',
      ssh: 'default',
      'build-contexts': 'alpine=docker-image://alpine:3.20',
      'secret-envs': 'npm_token=NPM_TOKEN',
      'add-hosts': 'db.local:10.0.0.5',
      network: 'default',
      'shm-size': '64m',
      ulimit: 'nofile=1024:2048',
      'cgroup-parent': '/actions_job',
      outputs: 'type=tar,dest=image.tar',
    });
    const request = buildRequest({ settings: inputs.build, secrets: inputs.build.secretEnvs });
    const { args } = buildahBuilder().command(request, { workDir: '/w', authFile: undefined });
    expect(args).toEqual([
      'build',
      '--format',
      'docker',
      '--iidfile',
      '/w/image-id',
      '--layers',
      '--secret',
      'id=npm_token,env=NPM_TOKEN',
      '--add-host',
      'db.local:10.0.0.5',
      '--build-context',
      'alpine=docker-image://alpine:3.20',
      '--cgroup-parent',
      '/actions_job',
      '--shm-size',
      '64m',
      '--ssh',
      'default',
      '--ulimit',
      'nofile=1024:2048',
      '--output',
      'type=tar,dest=image.tar',
      '.',
    ]);
  });
});
