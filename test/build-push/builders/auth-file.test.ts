import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { removeAuthFile, writeAuthFile } from '../../../actions/build-push/src/credentials/auth-file.ts';
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
    const file = await writeAuthFile([{ registry, username: 'u', password: 'secret-pw' }], dir.path);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).auths)).toEqual([key]);
  });

  it('gives every call a fresh directory', async () => {
    const first = await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'a', password: 'first-pw' }],
      dir.path,
    );
    const second = await writeAuthFile(
      [{ registry: 'ghcr.io', username: 'b', password: 'second-pw' }],
      dir.path,
    );
    expect(dirname(first)).not.toBe(dirname(second));
  });
});

describe('removeAuthFile', () => {
  it('removes the file and its directory, and a second call does nothing', async () => {
    const file = await writeAuthFile([{ registry: 'ghcr.io', username: 'a', password: 'gone-pw' }], dir.path);
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
