import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ActionError } from '../../../../shared/src/errors.ts';
import { exec } from '../../../../shared/src/process/exec.ts';

/**
 * The PostgreSQL client programs: pg_dump must be at least the server's major version (an older
 * one refuses a newer server, or misses what it added), and pg_restore at least the pg_dump that
 * wrote the archive. Candidates are pg-dump-path, else every pg_dump on PATH and in Debian's
 * /usr/lib/postgresql/<major>/bin; the newest wins.
 */

export interface PgTool {
  path: string;
  /** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` */
  version: string;
  major: number;
}

export const INSTALL_CLIENT_HINT = (major: number): string =>
  `install the PostgreSQL ${major} client (Debian/Ubuntu: add the PGDG apt repository, then apt-get install -y postgresql-client-${major}), or give pg-dump-path`;

/** The major version of `pg_dump --version` output, or undefined for text that is no version. */
export function parseToolVersion(output: string): { version: string; major: number } | undefined {
  const line = output.trim().split('\n')[0] ?? '';
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(line);
  if (!match) return undefined;
  const first = Number(match[1]);
  // Before 10 the major version had two parts: 9.6.
  const major = first < 10 ? first + Number(match[2] ?? 0) / 10 : first;
  return { version: line, major };
}

export async function probeTool(path: string): Promise<PgTool | undefined> {
  try {
    const result = await exec(path, ['--version'], {
      silent: true,
      captureStdout: true,
      ignoreReturnCode: true,
    });
    const parsed = result.exitCode === 0 ? parseToolVersion(result.stdout) : undefined;
    return parsed && { path, ...parsed };
  } catch {
    return undefined;
  }
}

/** Every pg_dump (or pg_restore) that can be found, newest first. */
export async function findTools(program: 'pg_dump' | 'pg_restore'): Promise<PgTool[]> {
  const candidates = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, program);
    if (existsSync(path)) candidates.add(path);
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const major of readdirSync(root)) {
      const path = join(root, major, 'bin', program);
      if (existsSync(path)) candidates.add(path);
    }
  }
  const tools = (await Promise.all([...candidates].map(probeTool))).filter((tool) => tool !== undefined);
  return tools.sort((a, b) => b.major - a.major);
}

/** The pg_dump for a server of `serverMajor`, and the pg_restore beside it (or the newest one). */
export async function choosePgDump(
  serverMajor: number,
  serverVersion: string,
  explicitPath: string | undefined,
): Promise<{ pgDump: PgTool; pgRestore: PgTool }> {
  let pgDump: PgTool | undefined;
  if (explicitPath !== undefined) {
    pgDump = await probeTool(explicitPath);
    if (!pgDump) {
      throw new ActionError(
        `pg-dump-path "${explicitPath}" is not a pg_dump that runs (\`${explicitPath} --version\` failed).`,
        {
          hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)),
        },
      );
    }
  } else {
    const found = await findTools('pg_dump');
    pgDump = found[0];
    if (!pgDump) {
      throw new ActionError('No pg_dump was found on PATH or in /usr/lib/postgresql/*/bin.', {
        hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)),
      });
    }
  }
  if (pgDump.major < serverMajor) {
    throw new ActionError(
      `${pgDump.path} is ${pgDump.version}, older than the server (PostgreSQL ${serverVersion}): pg_dump must be at least the server's major version ${serverMajor}.`,
      { hint: INSTALL_CLIENT_HINT(Math.floor(serverMajor)) },
    );
  }
  const sibling = await probeTool(join(dirname(pgDump.path), 'pg_restore'));
  const pgRestore = sibling ?? (await findTools('pg_restore'))[0];
  if (!pgRestore || pgRestore.major < pgDump.major) {
    throw new ActionError(
      `No pg_restore of version ${pgDump.major} or newer was found beside ${pgDump.path}, to verify the dump.`,
      {
        hint: INSTALL_CLIENT_HINT(pgDump.major),
      },
    );
  }
  return { pgDump, pgRestore };
}

/** The newest pg_restore, which must read an archive pg_dump `dumpMajor` wrote. */
export async function choosePgRestore(dumpMajor: number, dumpVersion: string): Promise<PgTool> {
  const pgRestore = (await findTools('pg_restore'))[0];
  if (!pgRestore || pgRestore.major < dumpMajor) {
    throw new ActionError(
      `The backup was written by ${dumpVersion}; ${pgRestore ? `the newest pg_restore here is ${pgRestore.version}, which` : 'no pg_restore was found, and one'} must be at least version ${dumpMajor} to read it.`,
      { hint: INSTALL_CLIENT_HINT(dumpMajor) },
    );
  }
  return pgRestore;
}
