import { describe, expect, it } from '@jest/globals';
import { buildahBuilder } from '../../../actions/build-push/src/builders/buildah.ts';
import type { BuildRequest } from '../../../actions/build-push/src/builders/types.ts';
import { setEnv } from '../../shared/helpers.ts';
import { buildRequest } from './helpers.ts';

const WORK = '/runner/temp/gantry-build-abc';
const builder = buildahBuilder();

const cases: { name: string; request: Partial<BuildRequest>; authFile?: string; args: string[] }[] = [
  {
    name: 'the smallest build',
    request: {},
    args: ['build', '--format', 'docker', '--iidfile', `${WORK}/image-id`, '--layers', '.'],
  },
  {
    name: 'a typical build and push',
    request: {
      context: 'app',
      file: 'app/Dockerfile.prod',
      target: 'runtime',
      buildArgs: { NODE_ENV: 'production', VERSION: '1.2.3' },
      labels: { 'org.opencontainers.image.revision': 'abc123', team: 'core' },
      secrets: [
        { id: 'npm_token', value: 's3cr3t-value' },
        { id: 'cert', file: '/runner/work/cert.pem' },
      ],
      platforms: ['linux/amd64'],
      tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
      push: true,
      noCache: true,
      pull: true,
    },
    authFile: '/runner/temp/gantry-auth-x/config.json',
    args: [
      'build',
      '--format',
      'docker',
      '--iidfile',
      `${WORK}/image-id`,
      '--layers',
      '--file',
      'app/Dockerfile.prod',
      '--target',
      'runtime',
      '--build-arg',
      'NODE_ENV=production',
      '--build-arg',
      'VERSION=1.2.3',
      '--label',
      'org.opencontainers.image.revision=abc123',
      '--label',
      'team=core',
      '--secret',
      `id=npm_token,src=${WORK}/secret-0`,
      '--secret',
      'id=cert,src=/runner/work/cert.pem',
      '--platform',
      'linux/amd64',
      '--tag',
      'ghcr.io/acme/app:1.2.3',
      '--tag',
      'ghcr.io/acme/app:latest',
      '--no-cache',
      '--pull=always',
      '--authfile',
      '/runner/temp/gantry-auth-x/config.json',
      'app',
    ],
  },
  {
    name: 'several platforms: a manifest list named after the first tag, no iidfile, no layer cache',
    request: {
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['registry.example.com:5000/app:1', 'registry.example.com:5000/app:2'],
    },
    args: [
      'build',
      '--format',
      'docker',
      '--platform',
      'linux/amd64,linux/arm64',
      '--manifest',
      'registry.example.com:5000/app:1',
      '.',
    ],
  },
];

describe('buildah command', () => {
  it.each(cases)('$name', ({ request, authFile, args }) => {
    const command = builder.command(buildRequest(request), { workDir: WORK, authFile });
    expect(command).toEqual({ command: 'buildah', args, env: {} });
  });

  it('stamps the image with the source date, for a reproducible rebuild of one commit', () => {
    const { args } = builder.command(buildRequest({ sourceDateEpoch: 1578616200 }), {
      workDir: WORK,
      authFile: undefined,
    });
    expect(args).toEqual([
      'build',
      '--format',
      'docker',
      '--iidfile',
      `${WORK}/image-id`,
      '--layers',
      '--timestamp',
      '1578616200',
      '.',
    ]);
  });

  it('never puts a secret value on the command line', () => {
    const secret = 'hunter2-very-secret';
    const { args, env } = builder.command(buildRequest({ secrets: [{ id: 'token', value: secret }] }), {
      workDir: WORK,
      authFile: undefined,
    });
    expect(JSON.stringify({ args, env })).not.toContain(secret);
  });

  it('refuses a secret with neither a value, a file nor a variable', () => {
    expect(() =>
      builder.command(buildRequest({ secrets: [{ id: 'empty' }] }), { workDir: WORK, authFile: undefined }),
    ).toThrow('the build secret "empty" has neither a value, a file nor a variable');
  });
});

describe('buildah runner logins', () => {
  it('are the files buildah reads without --authfile, in its order; docker credsStore is not one', () => {
    const restore = setEnv({
      REGISTRY_AUTH_FILE: undefined,
      XDG_RUNTIME_DIR: '/run/user/1001',
      XDG_CONFIG_HOME: '/home/runner/.config',
      DOCKER_CONFIG: '/home/runner/.docker',
    });
    try {
      expect(builder.runnerLogins()).toEqual({
        files: [
          '/run/user/1001/containers/auth.json',
          '/home/runner/.config/containers/auth.json',
          '/home/runner/.docker/config.json',
        ],
        credsStore: false,
      });
    } finally {
      restore();
    }
  });

  it('are REGISTRY_AUTH_FILE alone when the runner set it', () => {
    const restore = setEnv({ REGISTRY_AUTH_FILE: '/etc/ci/auth.json' });
    try {
      expect(builder.runnerLogins()).toEqual({ files: ['/etc/ci/auth.json'], credsStore: false });
    } finally {
      restore();
    }
  });
});
