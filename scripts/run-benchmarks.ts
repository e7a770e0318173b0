import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Runs every bench/*.bench.ts in turn, each in its own process; each prints its own ratios. */
const benchDir = join(import.meta.dirname, '..', 'bench');
const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();
let failed = false;
for (const file of benches) {
  console.log(`\n# ${file}`);
  const run = spawnSync(process.execPath, [join(benchDir, file)], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
