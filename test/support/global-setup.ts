import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs once before the suite: every tool the tests need must be here, and every action's committed
 * bundle must exist (the end-to-end tests run dist/ exactly as the runner does). A missing piece
 * fails the whole run with the command that fixes it; no test is ever skipped for it.
 */
const REQUIRED_TOOLS: { command: string; args: string[]; install: string }[] = [
  { command: 'openssl', args: ['version'], install: 'apt-get install -y openssl' },
];

export default function globalSetup(): void {
  const problems: string[] = [];
  for (const tool of REQUIRED_TOOLS) {
    const probe = spawnSync(tool.command, tool.args, { stdio: 'ignore' });
    if (probe.error || probe.status !== 0)
      problems.push(`"${tool.command}" is missing: install it with \`${tool.install}\``);
  }
  const root = join(import.meta.dirname, '..', '..');
  const bundle = join(root, 'dist', 'smoke-test', 'index.js');
  if (!existsSync(bundle)) problems.push(`${bundle} is missing: build it with \`npm run bundle\``);
  if (problems.length > 0) throw new Error(`The test suite cannot run:\n  ${problems.join('\n  ')}`);
}
