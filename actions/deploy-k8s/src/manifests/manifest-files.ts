import { glob, readdir, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigurationError } from '../../../../shared/src/errors.ts';

/**
 * The files the `manifests` input names: files as given, directories by their *.yaml, *.yml and
 * *.json files (not recursive, as `kubectl apply -f dir`), globs by what they match. Each entry must
 * find something, and sizes are capped before a byte is parsed.
 */
export interface ManifestFile {
  /** As shown in messages: relative to the workspace when inside it. */
  name: string;
  text: string;
}

export interface FileLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

const DEFAULT_LIMITS: FileLimits = {
  maxFiles: 500,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
};

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const GLOB_CHARS = /[*?[\]{}]/;
const INPUT = 'manifests';

export async function readManifestFiles(
  entries: readonly string[],
  cwd: string,
  limits: FileLimits = DEFAULT_LIMITS,
): Promise<ManifestFile[]> {
  const paths: string[] = [];
  for (const entry of entries) {
    for (const path of await expand(entry, cwd)) if (!paths.includes(path)) paths.push(path);
  }
  if (paths.length > limits.maxFiles) {
    throw new ConfigurationError(
      `Input "${INPUT}" names ${paths.length} files; at most ${limits.maxFiles} are accepted in one deploy.`,
      { input: INPUT },
    );
  }
  const files: ManifestFile[] = [];
  let total = 0;
  for (const path of paths) {
    const name = display(path, cwd);
    const size = (await stat(path)).size;
    if (size > limits.maxFileBytes) {
      throw new ConfigurationError(
        `Manifest ${name} is ${size} bytes, over the ${limits.maxFileBytes / 1024 / 1024} MiB accepted for one file.`,
        { input: INPUT },
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new ConfigurationError(
        `The manifests add up to more than ${limits.maxTotalBytes / 1024 / 1024} MiB; deploy them in smaller steps.`,
        { input: INPUT },
      );
    }
    files.push({ name, text: await readFile(path, 'utf8') });
  }
  return files;
}

async function expand(entry: string, cwd: string): Promise<string[]> {
  if (entry.includes('\0')) throw invalid(entry, 'a path cannot contain a NUL character');
  if (GLOB_CHARS.test(entry)) {
    const matches: string[] = [];
    for await (const match of glob(entry, { cwd })) {
      const path = resolve(cwd, match);
      if ((await stat(path)).isFile()) matches.push(path);
    }
    if (matches.length === 0) throw invalid(entry, 'the pattern matches no file');
    return matches.sort();
  }
  const path = isAbsolute(entry) ? entry : resolve(cwd, entry);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw invalid(entry, 'no such file or directory');
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw invalid(entry, 'not a file or a directory');
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((item) => item.isFile() && MANIFEST_EXTENSIONS.has(extname(item.name).toLowerCase()))
    .map((item) => join(path, item.name))
    .sort();
  if (names.length === 0) throw invalid(entry, 'the directory holds no .yaml, .yml or .json file');
  return names;
}

function display(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

function invalid(entry: string, reason: string): ConfigurationError {
  return new ConfigurationError(`Input "${INPUT}" names ${JSON.stringify(entry)}: ${reason}.`, {
    input: INPUT,
    hint: 'paths are relative to the workspace (GITHUB_WORKSPACE); check out the repository before this step',
  });
}
