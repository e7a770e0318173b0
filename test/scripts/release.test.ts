import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { release, ReleaseRefused, type ReleaseSteps } from '../../scripts/release.ts';

/**
 * The release script on a throwaway clone: a bare "origin" holding a small project, cloned, released
 * and pushed back. Git runs for real; bundling is replaced by a step that writes dist/ from src/
 * (bundling every action takes minutes), so what is checked is the script's own work: refusals,
 * the dist/ commit, the tags, the moved major tag and the push.
 */
let work: string;
let origin: string;
let clone: string;

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Bundling made visible: dist/app.js is src/app.js with a banner; checkDist fails when they disagree. */
const steps: ReleaseSteps = {
  checkRootAction: () => undefined,
  bundle: (cwd) => {
    mkdirSync(join(cwd, 'dist'), { recursive: true });
    writeFileSync(
      join(cwd, 'dist', 'app.js'),
      `// bundle\n${readFileSync(join(cwd, 'src', 'app.js'), 'utf8')}`,
    );
  },
  checkDist: (cwd) => {
    const expected = `// bundle\n${readFileSync(join(cwd, 'src', 'app.js'), 'utf8')}`;
    if (readFileSync(join(cwd, 'dist', 'app.js'), 'utf8') !== expected)
      throw new ReleaseRefused('dist/ is stale');
  },
};

function commit(message: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(clone, file, '..'), { recursive: true });
    writeFileSync(join(clone, file), text);
  }
  git(clone, 'add', '.');
  git(clone, 'commit', '-q', '-m', message);
}

function doRelease(version: string, push = true): ReturnType<typeof release> {
  return release({ cwd: clone, version, push, steps, log: () => undefined });
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'gantry-release-'));
  origin = join(work, 'origin.git');
  git(work, 'init', '-q', '--bare', origin);
  git(work, 'clone', '-q', origin, 'clone');
  clone = join(work, 'clone');
  git(clone, 'config', 'user.name', 'Release Test');
  git(clone, 'config', 'user.email', 'release@example.test');
  commit('initial', {
    'src/app.js': 'export const version = 1;\n',
    'CHANGELOG.md':
      '# Changelog\n\n## 1.0.0\n\nFirst.\n\n## 1.1.0\n\nSecond.\n\n## 1.1.1-rc.1\n\nCandidate.\n',
  });
  git(clone, 'push', '-q', 'origin', 'HEAD');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('scripts/release.ts on a throwaway clone', () => {
  it('bundles, commits dist/, tags vX.Y.Z, moves v1 and pushes both', () => {
    expect(doRelease('1.0.0')).toEqual({ tag: 'v1.0.0', majorTag: 'v1' });
    expect(git(clone, 'log', '-1', '--format=%s')).toBe('dist/ for v1.0.0');
    expect(git(clone, 'show', 'HEAD:dist/app.js')).toBe('// bundle\nexport const version = 1;');
    const head = git(clone, 'rev-parse', 'HEAD');
    expect(git(origin, 'rev-parse', 'v1.0.0^{commit}', 'v1^{commit}').split('\n')).toEqual([head, head]);
    expect(git(origin, 'cat-file', '-t', 'v1.0.0')).toBe('tag');

    commit('change', { 'src/app.js': 'export const version = 2;\n' });
    expect(doRelease('1.1.0')).toEqual({ tag: 'v1.1.0', majorTag: 'v1' });
    const next = git(clone, 'rev-parse', 'HEAD');
    expect(next).not.toBe(head);
    expect(git(origin, 'rev-parse', 'v1^{commit}', 'v1.0.0^{commit}').split('\n')).toEqual([next, head]);
  });

  it('commits nothing when dist/ is already current', () => {
    doRelease('1.0.0');
    const before = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'tag', '-d', 'v1.0.0');
    git(origin, 'tag', '-d', 'v1.0.0');
    doRelease('1.0.0');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('gives a prerelease its own tag and leaves v1 where it is', () => {
    doRelease('1.1.0');
    const v1 = git(origin, 'rev-parse', 'v1^{commit}');
    commit('candidate', { 'src/app.js': 'export const version = 3;\n' });
    expect(doRelease('1.1.1-rc.1')).toEqual({ tag: 'v1.1.1-rc.1', majorTag: undefined });
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(v1);
  });

  it('tags locally and pushes nothing without --push', () => {
    doRelease('1.0.0', false);
    expect(git(clone, 'tag', '--list')).toBe('v1\nv1.0.0');
    expect(git(origin, 'tag', '--list')).toBe('');
  });

  it.each([
    ['a version that is not semver', () => '1.0', '"1.0" is not a version'],
    ['a version without a CHANGELOG section', () => '2.0.0', 'CHANGELOG.md has no "## 2.0.0" section'],
    [
      'a working tree with changes',
      () => {
        writeFileSync(join(clone, 'stray.txt'), 'x');
        return '1.0.0';
      },
      'The working tree has changes',
    ],
    [
      'an existing tag',
      () => {
        git(clone, 'tag', 'v1.0.0');
        return '1.0.0';
      },
      'The tag v1.0.0 exists already',
    ],
    [
      'a version older than the newest release of its major',
      () => {
        git(clone, 'tag', 'v1.1.0');
        return '1.0.0';
      },
      '1.0.0 is older than v1.1.0',
    ],
  ])('refuses %s, before changing anything', (_label, prepare, message) => {
    const head = git(clone, 'rev-parse', 'HEAD');
    const tags = git(clone, 'tag', '--list');
    const version = prepare();
    const tagsBefore = git(clone, 'tag', '--list');
    expect(() => doRelease(version)).toThrow(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(clone, 'tag', '--list')).toBe(tagsBefore);
    expect(tags).toBe('');
  });

  it('tags nothing when the dist/ check fails', () => {
    const failing: ReleaseSteps = { ...steps, bundle: () => undefined };
    commit('stale dist', { 'dist/app.js': 'old\n' });
    expect(() => release({ cwd: clone, version: '1.0.0', steps: failing, log: () => undefined })).toThrow(
      'dist/ is stale',
    );
    expect(git(clone, 'tag', '--list')).toBe('');
  });
});
