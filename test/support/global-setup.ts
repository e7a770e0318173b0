import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs once before the suite: every tool the tests need must be here, and every action's committed
 * bundle must exist (the end-to-end tests run dist/ exactly as the runner does). A missing piece
 * fails the whole run with the command that fixes it; no test is ever skipped for it.
 */
const REQUIRED_TOOLS: { command: string; args: string[]; install: string }[] = [
  { command: 'openssl', args: ['version'], install: 'apt-get install -y openssl' },
  { command: 'buildah', args: ['--version'], install: 'apt-get install -y buildah' },
  { command: 'docker-registry', args: ['--version'], install: 'apt-get install -y docker-registry' },
];

export default async function globalSetup(): Promise<void> {
  const problems: string[] = [];
  for (const tool of REQUIRED_TOOLS) {
    const probe = spawnSync(tool.command, tool.args, { stdio: 'ignore' });
    if (probe.error || probe.status !== 0)
      problems.push(`"${tool.command}" is missing: install it with \`${tool.install}\``);
  }
  // Kept free of relative imports: jest loads this file through Node's own loader, after ts-jest has
  // rewritten `.ts` specifiers to `.js` files that do not exist.
  const root = join(import.meta.dirname, '..', '..');
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
}
