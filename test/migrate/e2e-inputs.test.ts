import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { unusedPort } from '../support/http-service.ts';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { usePostgres } from './postgres-fixture.ts';
import { errorsOf, outcome, project, query, versionsApplied, type Project } from './project.ts';

/** Bad inputs, connection failures and secrets, through the committed bundle. */

const postgres = usePostgres();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function checkout(files: Record<string, string> = { 'V1__t.sql': 'CREATE TABLE t (id int);\n' }): Project {
  const created = project(files);
  cleanups.push(() => created.cleanup());
  return created;
}

/** A TCP listener standing in for a database, counting the connections it gets. */
async function countingListener(): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `postgresql://app:listener-secret@127.0.0.1:${port}/app`, connections: () => connections };
}

describe('bad inputs through the bundle', () => {
  it.each([
    [{ 'lock-timeout': 'soon' }, 'Invalid configuration: Input "lock-timeout" has an invalid value "soon"'],
    [
      { mode: 'kubernetes-job' },
      // The application connects itself in-cluster: a database URL there is a mistake, caught first.
      'Invalid configuration: Input "database-url" is not used by mode kubernetes-job',
    ],
    [
      { command: 'baseline' },
      'Invalid configuration: Input "baseline-version" is required with command baseline.',
    ],
    [
      { 'migrations-dir': 'nowhere' },
      'Invalid configuration: Input "migrations-dir" is "nowhere", which does not exist',
    ],
    [
      { sslmode: 'verify-everything' },
      'Invalid configuration: Input "sslmode" has an invalid value "verify-everything"',
    ],
  ])('%j fails with exit 1 before any connection', async (inputs, message) => {
    const listener = await countingListener();
    const run = await checkout().migrate(listener.url, inputs);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(message);
    expect(run.log).not.toMatch(/\n\s+at /);
    expect(listener.connections()).toBe(0);
    expectNoSecretLeaks(run, ['listener-secret', listener.url]);
  });

  it('rejects a misnamed migration before any connection', async () => {
    const listener = await countingListener();
    const run = await checkout({ 'V1__ok.sql': 'SELECT 1;\n', 'v2__lower.sql': 'SELECT 2;\n' }).migrate(
      listener.url,
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('v2__lower.sql: the prefix must be an upper-case V');
    expect(listener.connections()).toBe(0);
  });

  it('fails on a file it cannot use, read while connecting, without waiting out the connection', async () => {
    // The names are fine, so the connection starts while the files are read; the listener drops it,
    // which the connection would retry for connect-timeout (5 minutes): the harness gives the step
    // 30 s, so it must end on the file's problem instead.
    const listener = await countingListener();
    const run = await checkout({ 'V1__ok.sql': 'SELECT 1;\n', 'V2__utf16.sql': 'S\0E\0L\0\n' }).migrate(
      listener.url,
      { 'connect-timeout': '5m' },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('V2__utf16.sql contains a NUL byte at byte offset 1');
    expect(run.log).not.toMatch(/\n\s+at /);
    expectNoSecretLeaks(run, ['listener-secret', listener.url]);
  });

  it('rejects two files of one version before any connection', async () => {
    const listener = await countingListener();
    const run = await checkout({ 'V1__ok.sql': 'SELECT 1;\n', 'V1.0__again.sql': 'SELECT 2;\n' }).migrate(
      listener.url,
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain('V1.0__again.sql and V1__ok.sql are both version 1.0');
    expect(listener.connections()).toBe(0);
  });

  it('never shows a database-url it cannot parse', async () => {
    const listener = await countingListener();
    const bad = 'mysql://root:mysql-secret-pw@db.internal:3306/app';
    const run = await checkout().migrate(listener.url, { 'database-url': bad });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toContain(
      'Input "database-url" has an invalid value ***: expected a postgresql:// URL',
    );
    expectNoSecretLeaks(run, ['mysql-secret-pw', bad]);
  });
});

describe('connection failures', () => {
  it('a wrong password fails at once, clearly, without retries or leaks', async () => {
    const url = new URL(await postgres.freshDatabase('auth'));
    url.password = 'wrong-Pa$$word';
    const run = await checkout().migrate(url.toString(), { 'connect-timeout': '20s' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toMatch(
      /^Authentication failed for postgres@127\.0\.0\.1:\d+\/auth_\w+: password authentication failed for user "postgres"\. Hint: check the password/,
    );
    expect(run.log).not.toContain('retrying');
    expectNoSecretLeaks(run, ['wrong-Pa$$word', url.toString()]);
  });

  it('an unknown database fails at once, naming it', async () => {
    const url = new URL(postgres.url());
    url.pathname = '/no_such_db';
    const run = await checkout().migrate(url.toString());
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]?.message).toMatch(
      /^The database "no_such_db" does not exist on 127\.0\.0\.1:\d+\./,
    );
  });

  it('an unreachable server is retried until connect-timeout, then named', async () => {
    const port = await unusedPort();
    const run = await checkout().migrate(`postgresql://app:unreachable-pw@127.0.0.1:${port}/app`, {
      'connect-timeout': '2s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /Connecting to app@127\.0\.0\.1:\d+\/app failed \(attempt 1: connection refused\); retrying in/,
    );
    expect(errorsOf(run)[0]?.message).toMatch(
      /^Could not connect to app@127\.0\.0\.1:\d+\/app within 2s \(connect-timeout, \d+ attempts\): connection refused\./,
    );
  });
});

describe('secrets', () => {
  it('never show the password or the URL, in any form, on success or failure', async () => {
    const serverUrl = new URL(await postgres.freshDatabase('secrets'));
    const database = serverUrl.pathname.slice(1);
    const password = `p@ss:w/rd%?#&'" ${database.slice(-6)}`;
    await query(
      serverUrl.toString(),
      `CREATE ROLE migrator_${database.slice(-6)} LOGIN PASSWORD '${password.replaceAll("'", "''")}'`,
    );
    await query(serverUrl.toString(), `ALTER SCHEMA public OWNER TO migrator_${database.slice(-6)}`);
    const url = new URL(serverUrl);
    url.username = `migrator_${database.slice(-6)}`;
    url.password = encodeURIComponent(password);
    const repo = checkout({
      'V1__t.sql': 'CREATE TABLE t (id int);\n',
      'V2__broken.sql': 'SELECT * FROM nowhere;\n',
    });

    const viaUrl = await repo.migrate(url.toString());
    expect(viaUrl.exitCode).toBe(1);
    expect(versionsApplied(viaUrl)).toEqual(['1']);
    expectNoSecretLeaks(viaUrl, [password, url.toString()]);

    const viaInputs = await repo.migrate('', {
      'database-url': '',
      host: '127.0.0.1',
      port: serverUrl.port,
      user: url.username,
      password,
      database,
      command: 'info',
    });
    expect(outcome(viaInputs)).toEqual({ exitCode: 0, log: viaInputs.log });
    expectNoSecretLeaks(viaInputs, [password]);
  });
});
