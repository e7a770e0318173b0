import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './actions.ts';

/**
 * `node scripts/release.ts 1.4.0 [--push] [--remote origin]`: releases Gantry from a clean checkout.
 *
 * 1. Refuses a version that is not semver (X.Y.Z or X.Y.Z-pre.N), a tag that exists, a version below
 *    the newest release of its major, a working tree with changes, and a CHANGELOG.md without a
 *    `## X.Y.Z` section.
 * 2. Checks the root action is current (`node scripts/root-action.ts --check`), bundles every action
 *    and the root dispatcher (`npm run bundle`), commits dist/ when it changed, then runs
 *    `npm run check-dist`, which must pass on what is committed.
 * 3. Tags `vX.Y.Z` (annotated) and moves the major tag `vX` to it, as users pin `@v1`; a prerelease
 *    gets its own tag only. With --push, pushes the commit, the new tag and the moved major tag.
 */
export interface ReleaseSteps {
  /** Fails (throws) when the generated root action is stale. */
  checkRootAction(cwd: string): void;
  bundle(cwd: string): void;
  /** Fails (throws) when dist/ is not what the sources build to. */
  checkDist(cwd: string): void;
}

export interface ReleaseOptions {
  cwd: string;
  version: string;
  push?: boolean;
  remote?: string;
  steps?: ReleaseSteps;
  log?: (line: string) => void;
}

export class ReleaseRefused extends Error {}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function release(options: ReleaseOptions): { tag: string; majorTag?: string } {
  const { cwd, version } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const steps = options.steps ?? NPM_STEPS;
  const parsed = SEMVER.exec(version);
  if (!parsed) throw new ReleaseRefused(`"${version}" is not a version: use X.Y.Z or X.Y.Z-pre.N (semver).`);
  const tag = `v${version}`;
  const prerelease = parsed[4] !== undefined;
  const majorTag = prerelease ? undefined : `v${parsed[1]}`;

  if (git(cwd, ['tag', '--list', tag]).trim() !== '')
    throw new ReleaseRefused(`The tag ${tag} exists already.`);
  const newest = newestRelease(cwd, Number(parsed[1]));
  if (!prerelease && newest && compareVersions(version, newest) < 0) {
    throw new ReleaseRefused(`${version} is older than v${newest}, the newest release of v${parsed[1]}.`);
  }
  const changes = git(cwd, ['status', '--porcelain']).trim();
  if (changes !== '')
    throw new ReleaseRefused(`The working tree has changes; commit or remove them first:\n${changes}`);
  const changelog = readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8');
  if (!new RegExp(`^## \\[?${version.replaceAll('.', '\\.')}\\]?(\\s|$)`, 'm').test(changelog)) {
    throw new ReleaseRefused(`CHANGELOG.md has no "## ${version}" section: write what this release changes.`);
  }

  log(`release: checking the root action, bundling`);
  steps.checkRootAction(cwd);
  steps.bundle(cwd);
  if (git(cwd, ['status', '--porcelain', '--', 'dist']).trim() !== '') {
    git(cwd, ['add', '--all', '--', 'dist']);
    git(cwd, ['commit', '--quiet', '-m', `dist/ for ${tag}`]);
    log(`release: committed the rebuilt dist/`);
  }
  steps.checkDist(cwd);

  git(cwd, ['tag', '--annotate', tag, '-m', `Gantry ${tag}`]);
  if (majorTag) git(cwd, ['tag', '--force', '--annotate', majorTag, '-m', `Gantry ${tag}`, `${tag}^{}`]);
  log(`release: tagged ${tag}${majorTag ? ` and moved ${majorTag} to it` : ''}`);
  if (options.push) {
    const remote = options.remote ?? 'origin';
    git(cwd, ['push', '--quiet', remote, 'HEAD', tag]);
    if (majorTag) git(cwd, ['push', '--quiet', '--force', remote, majorTag]);
    log(`release: pushed ${tag}${majorTag ? ` and ${majorTag}` : ''} to ${remote}`);
  } else {
    log(
      `release: push with: git push origin HEAD ${tag}${majorTag ? ` && git push --force origin ${majorTag}` : ''}`,
    );
  }
  return { tag, majorTag };
}

/** The newest X.Y.Z (no prerelease) tagged vX.Y.Z for a major, without the v. */
function newestRelease(cwd: string, major: number): string | undefined {
  return git(cwd, ['tag', '--list', `v${major}.*`])
    .split('\n')
    .map((line) => line.trim().replace(/^v/, ''))
    .filter((version) => /^\d+\.\d+\.\d+$/.test(version))
    .sort(compareVersions)
    .at(-1);
}

export function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] => version.split('-')[0]!.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout;
}

function run(cwd: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0)
    throw new ReleaseRefused(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
}

const NPM_STEPS: ReleaseSteps = {
  checkRootAction: (cwd) => run(cwd, process.execPath, [join('scripts', 'root-action.ts'), '--check']),
  bundle: (cwd) => run(cwd, process.execPath, [join('scripts', 'bundle.ts')]),
  checkDist: (cwd) => run(cwd, process.execPath, [join('scripts', 'check-dist.ts')]),
};

if (import.meta.main) {
  const args = process.argv.slice(2);
  const remoteIndex = args.indexOf('--remote');
  const version = args.find(
    (arg, index) => !arg.startsWith('--') && (remoteIndex < 0 || index !== remoteIndex + 1),
  );
  try {
    if (!version) throw new ReleaseRefused('Usage: node scripts/release.ts X.Y.Z [--push] [--remote NAME]');
    release({
      cwd: repoRoot,
      version,
      push: args.includes('--push'),
      remote: remoteIndex >= 0 ? args[remoteIndex + 1] : undefined,
    });
  } catch (error) {
    if (!(error instanceof ReleaseRefused)) throw error;
    console.error(`release: ${error.message}`);
    process.exitCode = 1;
  }
}
