import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntries, repoRoot } from './actions.ts';

/**
 * Builds one bundle per action into dist/<name>/ with @vercel/ncc, plus its licenses.txt, and the root
 * action's dispatcher into dist/gantry/ (scripts/actions.ts lists them).
 * `npm run bundle [-- --out DIR] [-- NAME...]`: check-dist builds into a temporary DIR to compare.
 */
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 ? (args[outIndex + 1] as string) : join(repoRoot, 'dist');
const requested = args.filter(
  (_arg, index) => outIndex < 0 || (index !== outIndex && index !== outIndex + 1),
);
const entries = bundleEntries(repoRoot);
const unknown = requested.filter((name) => !entries.some((entry) => entry.name === name));
if (unknown.length > 0) {
  console.error(
    `bundle: no bundle named ${unknown.join(', ')}; known: ${entries.map((e) => e.name).join(', ')}`,
  );
  process.exit(1);
}
const selected = requested.length > 0 ? entries.filter((entry) => requested.includes(entry.name)) : entries;

for (const { name, entry } of selected) {
  const out = join(outRoot, name);
  // Built aside and moved into place, so a failed build leaves the previous bundle where it was.
  mkdirSync(outRoot, { recursive: true });
  const staging = mkdtempSync(join(outRoot, `.building-${name}-`));
  const result = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
      'build',
      join(repoRoot, entry),
      '--out',
      staging,
      '--license',
      'licenses.txt',
      '--target',
      'es2024',
      '--quiet',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    console.error(`bundle: building ${name} failed (exit ${result.status}).`);
    process.exit(1);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  chmodSync(out, 0o755); // mkdtemp made it private
  console.log(`bundle: dist/${name}/index.js`);
}
