import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  removeAuthFile,
  writeAuthFile,
  type RunnerLogins,
} from '../../../actions/build-push/src/credentials/auth-file.ts';
import { capture, tempDir, type Captured, type TempDir } from '../../shared/helpers.ts';

let dir: TempDir;
let stdout: Captured;

beforeEach(() => {
  dir = tempDir('gantry-auth-test-');
  stdout = capture(process.stdout);
});

afterEach(() => {
  stdout.restore();
  dir.remove();
});

/** A runner without logins of its own. */
const NO_LOGINS: RunnerLogins = { files: [], credsStore: true };

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('writeAuthFile', () => {
  it('writes a docker config.json, private to the runner user, in a directory of its own', async () => {
    const file = await writeAuthFile(
      [
        { registry: 'ghcr.io', username: 'octocat', password: 'ghp_tokenvalue123' },
        { registry: '127.0.0.1:5000', username: 'ci', password: 'p@ss:word' },
      ],
      dir.path,
      NO_LOGINS,
    );
    expect(basename(file)).toBe('config.json');
    expect(dirname(dirname(file))).toBe(dir.path);
    expect(basename(dirname(file))).toMatch(/^gantry-auth-/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      auths: {
        'ghcr.io': { auth: base64('octocat:ghp_tokenvalue123') },
        '127.0.0.1:5000': { auth: base64('ci:p@ss:word') },
      },
    });
  });

  it('masks each password and its base64 form at once', async () => {
    await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'octocat', password: 'ghp_masked_value' }],
      dir.path,
      NO_LOGINS,
    );
    const masks = stdout
      .text()
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'));
    expect(masks).toContain('::add-mask::ghp_masked_value');
    expect(masks).toContain(`::add-mask::${base64('octocat:ghp_masked_value')}`);
  });

  it.each([
    ['docker.io', 'https://index.docker.io/v1/'],
    ['index.docker.io', 'https://index.docker.io/v1/'],
    ['registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['https://ghcr.io/', 'ghcr.io'],
    ['Registry.Example.com:5000', 'registry.example.com:5000'],
  ])('keys %s as %s', async (registry, key) => {
    const file = await writeAuthFile(
      [{ registry, username: 'u', password: 'secret-pw' }],
      dir.path,
      NO_LOGINS,
    );
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).auths)).toEqual([key]);
  });

  it('gives every call a fresh directory', async () => {
    const first = await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'a', password: 'first-pw' }],
      dir.path,
      NO_LOGINS,
    );
    const second = await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'b', password: 'second-pw' }],
      dir.path,
      NO_LOGINS,
    );
    expect(dirname(first)).not.toBe(dirname(second));
  });
});

describe("writeAuthFile with the runner's own logins", () => {
  const ours = [{ registry: 'ghcr.io', username: 'octocat', password: 'ghp_ours_token_1' }];

  function runnerFile(name: string, content: unknown): string {
    const file = join(dir.path, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  async function written(runner: RunnerLogins): Promise<unknown> {
    return JSON.parse(readFileSync(await writeAuthFile(ours, dir.path, runner), 'utf8'));
  }

  it('keeps logins, credential helpers and the store the runner has, ours winning for the same registry', async () => {
    const docker = runnerFile('home/.docker/config.json', {
      auths: {
        'https://index.docker.io/v1/': { auth: base64('hubuser:hub-pw') },
        'https://ghcr.io': { auth: base64('someone:old-token') },
        'ghcr.io/team': { auth: base64('someone:team-token') },
      },
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login', 'ghcr.io': 'gh' },
      credsStore: 'desktop',
      currentContext: 'remote',
      proxies: { default: { httpProxy: 'http://proxy.corp:3128', noProxy: 'localhost,.corp' } },
    });
    expect(await written({ files: [docker], credsStore: true })).toEqual({
      auths: {
        'https://index.docker.io/v1/': { auth: base64('hubuser:hub-pw') },
        'ghcr.io': { auth: base64('octocat:ghp_ours_token_1') },
      },
      // docker asks the store first: an empty helper sends it to the file for our registry
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login', 'ghcr.io': '' },
      credsStore: 'desktop',
      // docker reads these from the same file: a corporate proxy and the endpoint to build on stay
      currentContext: 'remote',
      proxies: { default: { httpProxy: 'http://proxy.corp:3128', noProxy: 'localhost,.corp' } },
    });
  });

  it('for buildah, leaves out the store it ignores and any helper for our registries', async () => {
    const docker = runnerFile('home/.docker/config.json', {
      auths: { 'quay.io': { auth: base64('q:quay-pw') } },
      credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' },
      credsStore: 'pass',
    });
    expect(await written({ files: [docker], credsStore: false })).toEqual({
      auths: {
        'quay.io': { auth: base64('q:quay-pw') },
        'ghcr.io': { auth: base64('octocat:ghp_ours_token_1') },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    });
  });

  it('takes a registry from the first file that has it, as the builder reads them', async () => {
    const podman = runnerFile('run/containers/auth.json', {
      auths: { 'quay.io': { auth: base64('first:1') } },
    });
    const docker = runnerFile('home/.docker/config.json', {
      auths: { 'quay.io': { auth: base64('second:2') }, 'gcr.io': { auth: base64('g:3') } },
    });
    expect(await written({ files: [podman, docker], credsStore: false })).toEqual({
      auths: {
        'quay.io': { auth: base64('first:1') },
        'gcr.io': { auth: base64('g:3') },
        'ghcr.io': { auth: base64('octocat:ghp_ours_token_1') },
      },
    });
  });

  it('goes without a file that is missing, silently, or unreadable, with a warning', async () => {
    const broken = runnerFile('home/.docker/config.json', '{ not json');
    const directory = join(dir.path, 'a-directory');
    mkdirSync(directory);
    expect(
      await written({ files: [join(dir.path, 'missing.json'), broken, directory], credsStore: true }),
    ).toEqual({ auths: { 'ghcr.io': { auth: base64('octocat:ghp_ours_token_1') } } });
    const warnings = stdout
      .text()
      .split('\n')
      .filter((line) => line.startsWith('::warning::'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`${broken} are not a JSON object`);
    expect(warnings[1]).toContain(`Could not read the runner's registry logins in ${directory}`);
  });
});

describe('removeAuthFile', () => {
  it('removes the file and its directory, and a second call does nothing', async () => {
    const file = await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'a', password: 'gone-pw' }],
      dir.path,
      NO_LOGINS,
    );
    // docker may leave files of its own beside it, and the docker builder links the runner's plugins
    writeFileSync(join(dirname(file), 'extra'), '');
    const plugins = join(dir.path, 'cli-plugins');
    mkdirSync(plugins);
    writeFileSync(join(plugins, 'docker-buildx'), '');
    symlinkSync(plugins, join(dirname(file), 'cli-plugins'));
    await removeAuthFile(file);
    expect(existsSync(dirname(file))).toBe(false);
    expect(existsSync(join(plugins, 'docker-buildx'))).toBe(true);
    await expect(removeAuthFile(file)).resolves.toBeUndefined();
  });

  it('removes only the file when it is not in a directory of its own', async () => {
    const home = join(dir.path, '.docker');
    mkdirSync(home);
    writeFileSync(join(home, 'config.json'), '{}');
    writeFileSync(join(home, 'keep-me'), '');
    await removeAuthFile(join(home, 'config.json'));
    expect(existsSync(join(home, 'config.json'))).toBe(false);
    expect(existsSync(join(home, 'keep-me'))).toBe(true);
  });
});
