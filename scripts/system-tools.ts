import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The system programs `npm test` and `npm run demo` need, installed with apt when missing: the one
 * set-up path for a fresh Debian machine (jest's global setup, the demo and `.ci/run` all come here).
 * As root it runs `apt-get update` and `apt-get install`; otherwise it prints the exact command and
 * stops before anything runs. `node scripts/system-tools.ts` does the same on its own.
 * Only node: built-ins here, so it works before anything else of the repository is loaded.
 */
export interface SystemTool {
  /** What is looked for, in messages. */
  name: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** True when the tool is usable. */
  present(env: NodeJS.ProcessEnv): boolean;
}

export const SYSTEM_TOOLS: readonly SystemTool[] = [
  { name: 'openssl', aptPackage: 'openssl', present: (env) => runs('openssl', ['version'], env) },
  // The release script and its test drive git; a minimal Debian (debootstrap's minbase) has none.
  { name: 'git', aptPackage: 'git', present: (env) => runs('git', ['--version'], env) },
  { name: 'buildah', aptPackage: 'buildah', present: (env) => runs('buildah', ['--version'], env) },
  {
    name: 'docker-registry',
    aptPackage: 'docker-registry',
    present: (env) => runs('docker-registry', ['--version'], env),
  },
  {
    name: 'PostgreSQL server (initdb, pg_ctl)',
    aptPackage: 'postgresql',
    present: (env) => postgresServerBinDirs(env).some((dir) => runs(join(dir, 'initdb'), ['--version'], env)),
  },
];

export interface EnsureOptions {
  tools?: readonly SystemTool[];
  env?: NodeJS.ProcessEnv;
  /** Whether this process may install packages; default: running as root. */
  root?: boolean;
  /** Runs one apt-get command (arguments after `apt-get`) and returns its exit status. */
  aptGet?: (args: string[], env: NodeJS.ProcessEnv) => number | null;
  log?: (line: string) => void;
}

/** Thrown when a tool is missing and cannot be installed here; the message says what to run. */
export class MissingSystemTools extends Error {}

export function aptInstallArgs(packages: readonly string[]): string[] {
  return ['install', '-y', '-q', ...packages];
}

/** Installs what is missing (as root) or throws MissingSystemTools naming the command to run. */
export function ensureSystemTools(options: EnsureOptions = {}): void {
  const tools = options.tools ?? SYSTEM_TOOLS;
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = tools.filter((tool) => !tool.present(env));
  if (missing.length === 0) return;

  const packages = [...new Set(missing.map((tool) => tool.aptPackage))];
  const names = missing.map((tool) => tool.name).join(', ');
  const command = `apt-get update && apt-get install ${aptInstallArgs(packages).slice(1).join(' ')}`;
  const root = options.root ?? process.getuid?.() === 0;
  if (!root) {
    throw new MissingSystemTools(
      `Missing: ${names}. Install them as root, then run this command again:\n  sudo sh -c '${command}'`,
    );
  }
  const aptGet = options.aptGet ?? runAptGet;
  log(`system-tools: ${names} missing; installing the Debian packages ${packages.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], aptInstallArgs(packages)]) {
    const status = aptGet(args, aptEnv);
    if (status !== 0) {
      throw new MissingSystemTools(
        `Missing: ${names}. \`apt-get ${args.join(' ')}\` failed (exit ${status}); fix that and run:\n  ${command}`,
      );
    }
  }
  const stillMissing = missing.filter((tool) => !tool.present(env));
  if (stillMissing.length > 0) {
    throw new MissingSystemTools(
      `Still missing after \`${command}\`: ${stillMissing.map((tool) => tool.name).join(', ')} ` +
        '(installed, yet not found: is PATH missing the folder the package installs into?)',
    );
  }
  log(`system-tools: installed ${packages.join(' ')}`);
}

function runAptGet(args: string[], env: NodeJS.ProcessEnv): number | null {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.error) throw new MissingSystemTools(`apt-get cannot run here (${result.error.message}).`);
  return result.status;
}

function runs(command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  const probe = spawnSync(command, args, { stdio: 'ignore', env });
  return !probe.error && probe.status === 0;
}

/**
 * Where the PostgreSQL server programs may be, as test/support/postgres.ts looks for them:
 * `pg_config --bindir`, then Debian's /usr/lib/postgresql/<major>/bin (not on PATH by design).
 */
function postgresServerBinDirs(env: NodeJS.ProcessEnv): string[] {
  const probe = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', env });
  const fromConfig = !probe.error && probe.status === 0 ? [probe.stdout.trim()] : [];
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).map((major) => join(debian, major, 'bin')) : [];
  return [...fromConfig, ...versions];
}

if (import.meta.main) {
  try {
    ensureSystemTools();
    console.log(`system-tools: ${SYSTEM_TOOLS.map((tool) => tool.name).join(', ')} are present.`);
  } catch (error) {
    if (!(error instanceof MissingSystemTools)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
