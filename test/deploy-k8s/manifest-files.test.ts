import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readManifestFiles } from '../../actions/deploy-k8s/src/manifests/manifest-files.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { tempDir, type TempDir } from '../shared/helpers.ts';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('gantry-manifests-');
  mkdirSync(join(dir.path, 'k8s', 'nested'), { recursive: true });
  dir.file('k8s/b-deploy.yaml', 'b');
  dir.file('k8s/a-namespace.yml', 'a');
  dir.file('k8s/c.json', 'c');
  dir.file('k8s/README.md', 'not a manifest');
  dir.file('k8s/nested/d.yaml', 'd');
  dir.file('single.yaml', 's');
});
afterEach(() => dir.remove());

const names = async (entries: string[]): Promise<string[]> =>
  (await readManifestFiles(entries, dir.path)).map((file) => file.name);

describe('readManifestFiles', () => {
  it("reads a directory's manifests, sorted, not recursively", async () => {
    expect(await names(['k8s'])).toEqual(['k8s/a-namespace.yml', 'k8s/b-deploy.yaml', 'k8s/c.json']);
  });

  it('expands globs, recursive ones too, and keeps files once', async () => {
    expect(await names(['k8s/**/*.yaml', 'k8s/b-deploy.yaml', 'single.yaml'])).toEqual([
      'k8s/b-deploy.yaml',
      'k8s/nested/d.yaml',
      'single.yaml',
    ]);
  });

  it('reads absolute paths, shown as given when outside the workspace', async () => {
    const outside = tempDir('gantry-outside-');
    try {
      const path = outside.file('x.yaml', 'x');
      expect(await readManifestFiles([path], dir.path)).toEqual([{ name: path, text: 'x' }]);
    } finally {
      outside.remove();
    }
  });

  it.each<[string, string[], RegExp]>([
    ['a missing file', ['k8s/nope.yaml'], /names "k8s\/nope.yaml": no such file or directory/],
    [
      'a glob that matches nothing',
      ['deploy/*.yaml'],
      /names "deploy\/\*.yaml": the pattern matches no file/,
    ],
    [
      'a directory without manifests',
      ['k8s/nested/..//nested/../../k8s/nested/missing-dir'],
      /no such file or directory/,
    ],
  ])('refuses %s', async (_name, entries, message) => {
    const error = await readManifestFiles(entries, dir.path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a directory that holds no manifest', async () => {
    mkdirSync(join(dir.path, 'empty'));
    await expect(readManifestFiles(['empty'], dir.path)).rejects.toThrow(
      'the directory holds no .yaml, .yml or .json file',
    );
  });

  it('enforces the limits on files, file size and total size', async () => {
    await expect(
      readManifestFiles(['k8s'], dir.path, { maxFiles: 2, maxFileBytes: 100, maxTotalBytes: 100 }),
    ).rejects.toThrow('names 3 files; at most 2');
    dir.file('k8s/big.yaml', 'x'.repeat(200));
    await expect(
      readManifestFiles(['k8s/big.yaml'], dir.path, { maxFiles: 9, maxFileBytes: 100, maxTotalBytes: 1000 }),
    ).rejects.toThrow('Manifest k8s/big.yaml is 200 bytes');
    await expect(
      readManifestFiles(['k8s'], dir.path, { maxFiles: 9, maxFileBytes: 1000, maxTotalBytes: 200 }),
    ).rejects.toThrow('add up to more than');
  });
});
