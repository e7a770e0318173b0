import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// Type only: erased before Node loads this file, so it is no relative import at run time (see below).
import type * as SystemTools from '../../scripts/system-tools.ts';

/**
 * Runs once before the suite: every tool the tests need must be here, and every action's committed
 * bundle must exist (the end-to-end tests run dist/ exactly as the runner does). Missing system tools
 * are installed with apt when running as root (scripts/system-tools.ts, the set-up path `npm run demo`
 * and .ci/run share); anything else missing fails the whole run with the command that fixes it, before
 * any test. No test is ever skipped for it.
 */
export default async function globalSetup(): Promise<void> {
  const problems: string[] = [];
  // Kept free of relative imports: jest loads this file through Node's own loader, after ts-jest has
  // rewritten `.ts` specifiers to `.js` files that do not exist.
  const root = join(import.meta.dirname, '..', '..');
  const { ensureSystemTools, MissingSystemTools } = (await import(
    pathToFileURL(join(root, 'scripts', 'system-tools.ts')).href
  )) as typeof SystemTools;
  try {
    ensureSystemTools();
  } catch (error) {
    if (!(error instanceof MissingSystemTools)) throw error;
    problems.push(error.message);
  }
  for (const action of readdirSync(join(root, 'actions'), { withFileTypes: true })) {
    if (!action.isDirectory() || !existsSync(join(root, 'actions', action.name, 'src', 'index.ts'))) continue;
    const bundle = join(root, 'dist', action.name, 'index.js');
    if (!existsSync(bundle)) problems.push(`${bundle} is missing: build it with \`npm run bundle\``);
  }
  // The root action's dispatcher (scripts/actions.ts: bundleEntries), which its tests run.
  const dispatcher = join(root, 'dist', 'gantry', 'index.js');
  if (!existsSync(dispatcher)) problems.push(`${dispatcher} is missing: build it with \`npm run bundle\``);
  if (problems.length > 0) throw new Error(`The test suite cannot run:\n  ${problems.join('\n  ')}`);
  // One PostgreSQL cluster for the run; its URL reaches the workers through the environment.
  const { setupPostgres } = await import(
    pathToFileURL(join(root, 'test', 'support', 'postgres-global.ts')).href
  );
  await setupPostgres();
  // One S3 server (s3rver) for the run, likewise.
  const { setupS3 } = await import(pathToFileURL(join(root, 'test', 'support', 's3-global.ts')).href);
  await setupS3();
}
