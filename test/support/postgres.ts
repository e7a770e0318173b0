import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { unusedPort } from './http-service.ts';

/**
 * A throwaway PostgreSQL cluster for tests, benchmarks and the demo (DESIGN.md, the PostgreSQL row):
 * `initdb` into a temp dir, `pg_ctl start` on a free loopback port with its unix socket in that dir,
 * SCRAM password auth for a generated superuser password. `initdb` and `postgres` refuse to run as
 * root, so as root they run as the `postgres` system user (`runuser -u postgres --`).
 *
 * Tests share one cluster (started by the jest global setup, see postgres-global.ts) and make a fresh
 * database each, which takes milliseconds where a cluster takes a second or two.
 */

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The database that always exists (`postgres`). */
  readonly database: string;
  /** `postgresql://user:password@127.0.0.1:port/postgres` */
  readonly url: string;
  /** Creates an empty database (names are quoted, so any text works) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface StartPostgresOptions {
  /**
   * Keep fsync and synchronous commit on, as production servers run. Off by default: tests never
   * survive a crash of their cluster, and an fsync per commit would dominate their run time.
   */
  durable?: boolean;
}

const INSTALL = 'apt-get install -y postgresql';
const SYSTEM_USER = 'postgres';
const SUPERUSER = 'postgres';
const START_TIMEOUT_S = 30;

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = serverBinDir();
  const runAs = process.getuid?.() === 0 ? systemUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'gantry-postgres-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  let started = false;
  try {
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    const passwordFile = join(dir, 'password');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);

    await run(bin, 'initdb', runAs, [
      '--pgdata',
      data,
      '--username',
      SUPERUSER,
      '--pwfile',
      passwordFile,
      '--auth',
      'scram-sha-256',
      '--encoding',
      'UTF8',
      '--locale',
      'C',
      '--no-sync',
    ]);
    await rm(passwordFile);

    const port = await unusedPort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ];
    const log = join(dir, 'server.log');
    try {
      // -w waits until the server accepts connections, -t bounds that wait.
      await run(bin, 'pg_ctl', runAs, [
        'start',
        '-D',
        data,
        '-l',
        log,
        '-w',
        '-t',
        String(START_TIMEOUT_S),
        '-o',
        settings.join(' '),
      ]);
    } catch (error) {
      const tail = await readFile(log, 'utf8').catch(() => '');
      throw new Error(`${(error as Error).message}\nserver log:\n${tail.slice(-3000)}`);
    }
    started = true;
    running.set(dir, { bin, data, runAs });

    const host = '127.0.0.1';
    const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/postgres`;
    return {
      host,
      port,
      user: SUPERUSER,
      password,
      database: 'postgres',
      url,
      createDatabase: (name) => createDatabase(url, name),
      close: async () => {
        running.delete(dir);
        stopNow(bin, data, runAs);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    running.delete(dir);
    if (started) stopNow(bin, data, runAs);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The URL of `database` on the server of `serverUrl`. The URL setter escapes what a path cannot hold;
 * not encodeURIComponent, whose escapes of `&` or `=` pg-connection-string (decodeURI) leaves as they are.
 */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return databaseUrl(serverUrl, name);
}

interface SystemUser {
  uid: number;
  gid: number;
}

interface Cluster {
  bin: string;
  data: string;
  runAs: SystemUser | undefined;
}

/**
 * pg_ctl starts the server detached, so a script (a benchmark, the demo, the jest global setup) that
 * ends without closing its clusters must stop them. Test files cannot rely on this: jest's sandbox
 * never delivers 'exit' to test code, so they close theirs in afterAll.
 */
const running = new Map<string, Cluster>();
process.once('exit', () => {
  for (const [dir, cluster] of running) {
    stopNow(cluster.bin, cluster.data, cluster.runAs);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `-m immediate`: the cluster is thrown away, so there is nothing to shut down cleanly. */
function stopNow(bin: string, data: string, runAs: SystemUser | undefined): void {
  const [command, args] = asUser(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], runAs);
  spawnSync(command, args, { stdio: 'ignore' });
}

/** `pg_config --bindir` when it is on PATH, else the newest /usr/lib/postgresql/<major>/bin. */
export function serverBinDir(): string {
  const probe = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const fromConfig = probe.status === 0 ? probe.stdout.trim() : '';
  const candidates = [fromConfig, ...debianBinDirs()].filter(Boolean);
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `The PostgreSQL server programs (initdb, pg_ctl) are missing: install them with \`${INSTALL}\` ` +
        `(looked in ${candidates.length > 0 ? candidates.join(', ') : '`pg_config --bindir` and /usr/lib/postgresql/*/bin'})`,
    );
  }
  return found;
}

function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((major) => /^\d+$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
}

function systemUser(): SystemUser {
  const uid = spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `Running as root, the PostgreSQL server must run as the "${SYSTEM_USER}" system user, which does not exist: ` +
        `install PostgreSQL with \`${INSTALL}\` (it creates the user)`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function asUser(command: string, args: string[], runAs: SystemUser | undefined): [string, string[]] {
  return runAs ? ['runuser', ['-u', SYSTEM_USER, '--', command, ...args]] : [command, args];
}

function run(bin: string, tool: string, runAs: SystemUser | undefined, args: string[]): Promise<void> {
  const [command, fullArgs] = asUser(join(bin, tool), args, runAs);
  return new Promise((resolve, reject) => {
    // The env explicitly: under jest, `process.env` is the test's copy, which a spawn would not see.
    const child = spawn(command, fullArgs, {
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A directory the postgres user can enter: the tools complain about a working directory they cannot read.
      cwd: tmpdir(),
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`"${command}" is missing: install it with \`${INSTALL}\``)
          : new Error(`Could not run ${tool}: ${error.message}`),
      );
    });
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} ${args[0]} exited with code ${code}:\n${output.trim()}`));
    });
  });
}

/** Where the jest global setup (postgres-global.ts) publishes the URL of the suite's shared cluster. */
export const SHARED_POSTGRES_ENV = 'GANTRY_TEST_PG_URL';

/** The shared cluster's URL (its maintenance database, superuser credentials), when the global setup started one. */
export function sharedPostgresUrl(): string | undefined {
  return process.env[SHARED_POSTGRES_ENV] || undefined;
}

let databaseCount = 0;

/** A new, empty database on the server of `serverUrl`, with a unique name starting with `prefix`; returns its URL. */
export function freshDatabase(serverUrl: string, prefix = 'test'): Promise<string> {
  return createDatabase(
    serverUrl,
    `${prefix}_${process.pid}_${++databaseCount}_${randomBytes(3).toString('hex')}`,
  );
}
