import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bundleEntries, repoRoot } from './actions.ts';

/**
 * Fails when the committed dist/ is not exactly what the sources build to: every action is bundled
 * afresh into a temporary folder and compared file by file, byte for byte.
 */
const fresh = mkdtempSync(join(tmpdir(), 'gantry-dist-'));
try {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bundle.ts'), '--out', fresh], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(1);

  const problems: string[] = [];
  const committed = join(repoRoot, 'dist');
  for (const file of listFiles(fresh)) {
    const path = relative(fresh, file);
    const mine = join(committed, path);
    if (!existsSync(mine)) problems.push(`missing: dist/${path}`);
    else if (!readFileSync(mine).equals(readFileSync(file))) problems.push(`stale: dist/${path}`);
  }
  if (existsSync(committed)) {
    for (const file of listFiles(committed)) {
      const path = relative(committed, file);
      if (!existsSync(join(fresh, path))) problems.push(`not built by any action: dist/${path}`);
    }
  }
  if (problems.length > 0) {
    console.error(`check-dist: dist/ differs from a fresh build:\n  ${problems.join('\n  ')}`);
    console.error('Run `npm run bundle` and commit dist/ with the sources that produced it.');
    process.exit(1);
  }
  console.log(
    `check-dist: dist/ matches a fresh build of ${bundleEntries(repoRoot)
      .map((entry) => entry.name)
      .join(', ')}.`,
  );
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
