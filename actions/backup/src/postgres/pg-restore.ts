import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawnPiped } from '../../../../shared/src/process/exec.ts';
import { libpqEnvironment } from '../../../../shared/src/postgres/client-config.ts';
import type { ConnectionSettings } from '../../../../shared/src/postgres/connection-settings.ts';
import type { PgTool } from './pg-tools.ts';
import { Tee } from '../streams/stream-tap.ts';

/**
 * pg_restore reading an archive from its stdin: `--list` (the table of contents, which is all it
 * reads from a pipe), or a restore into a database. The caller streams the archive into `input`;
 * `done` settles with the outcome once pg_restore has exited, and rejects on a non-zero exit.
 */

export interface PgRestoreRun<T> {
  input: Writable;
  done: Promise<T>;
}

export interface ArchiveContents {
  /** TABLE DATA entries: the tables whose rows the archive holds. */
  tables: number;
  entries: number;
}

const APPLICATION_NAME = 'gantry-backup';

export function listArchive(pgRestore: PgTool, signal: AbortSignal): PgRestoreRun<ArchiveContents> {
  const run = spawnPiped(pgRestore.path, ['--list'], { stdin: 'pipe', signal, silent: true });
  let listing = '';
  run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    listing += chunk;
  });
  const done = run.done.then(() => countEntries(listing));
  done.catch(() => undefined);
  return { input: run.stdin as Writable, done };
}

export function countEntries(listing: string): ArchiveContents {
  const entries = listing.split('\n').filter((line) => /^\d+;/.test(line));
  return { entries: entries.length, tables: entries.filter((line) => / TABLE DATA /.test(line)).length };
}

export interface RestoreOptions {
  /** Drop the archive's objects before recreating them. */
  clean: boolean;
  jobs: number;
  signal: AbortSignal;
  caFile?: string;
}

function restoreArgs(target: ConnectionSettings, options: RestoreOptions): string[] {
  return [
    '--exit-on-error',
    '--no-owner',
    '--no-privileges',
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    // libpq reads the rest of the connection from the environment; the name alone is no secret.
    `--dbname=${target.database}`,
  ];
}

/** A restore from stdin (one job: a pipe cannot be read in parallel). */
export function restoreFromStream(
  pgRestore: PgTool,
  target: ConnectionSettings,
  options: RestoreOptions,
): PgRestoreRun<void> {
  const run = spawnPiped(pgRestore.path, restoreArgs(target, options), {
    stdin: 'pipe',
    signal: options.signal,
    env: libpqEnvironment(target, APPLICATION_NAME, options.caFile),
    secrets: target.password ? [target.password] : [],
  });
  run.stdout.resume();
  return { input: run.stdin as Writable, done: run.done.then(() => undefined) };
}

/** A restore from a file, which `jobs` pg_restore workers can read in parallel. */
export async function restoreFromFile(
  pgRestore: PgTool,
  target: ConnectionSettings,
  file: string,
  options: RestoreOptions,
): Promise<void> {
  const run = spawnPiped(pgRestore.path, [...restoreArgs(target, options), `--jobs=${options.jobs}`, file], {
    signal: options.signal,
    env: libpqEnvironment(target, APPLICATION_NAME, options.caFile),
    secrets: target.password ? [target.password] : [],
  });
  run.stdout.resume();
  await run.done;
}

/**
 * Streams `source` through to its end, copying it into the pg_restore run as long as pg_restore
 * reads (pg_restore --list stops after the table of contents), and waits for both.
 */
export async function streamThrough<T>(source: Readable, run: PgRestoreRun<T>): Promise<T> {
  const [, outcome] = await Promise.all([pipeline(source, new Tee(run.input), discard()), run.done]);
  return outcome;
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
