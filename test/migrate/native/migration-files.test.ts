import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { migrationChecksum } from '../../../actions/migrate/src/native/files/checksum.ts';
import { loadMigrations } from '../../../actions/migrate/src/native/files/migration-files.ts';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';

let workspace: TempDir;
let dir: string;
beforeEach(() => {
  workspace = tempDir('gantry-migrations-');
  dir = join(workspace.path, 'db', 'migrations');
  mkdirSync(dir, { recursive: true });
});
afterEach(() => workspace.remove());

function write(name: string, content = 'SELECT 1;\n'): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), content);
}

async function loadError(): Promise<ConfigurationError> {
  try {
    await loadMigrations(dir, workspace.path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadMigrations', () => {
  it('finds versioned, repeatable and undo migrations, in subdirectories too, and sorts them', async () => {
    write('V10__ten.sql');
    write('V2__two.sql');
    write('2024/V1_1__one_one.sql');
    write('R__b_views.sql');
    write('R__a_functions.sql');
    write('U2__undo_two.sql');
    write('seed.sql');
    write('README.md', 'not SQL');
    write('.hidden/V99__skip.sql');
    const set = await loadMigrations(dir, workspace.path);
    expect(set.versioned.map((file) => file.script)).toEqual([
      '2024/V1_1__one_one.sql',
      'V2__two.sql',
      'V10__ten.sql',
    ]);
    expect(set.repeatable.map((file) => file.description)).toEqual(['a functions', 'b views']);
    expect([...set.undo.keys()]).toEqual(['2']);
    expect(set.ignored).toEqual(['seed.sql']);
    expect(set.versioned[0]).toMatchObject({
      version: { text: '1.1', key: '1.1' },
      description: 'one one',
      annotationPath: 'db/migrations/2024/V1_1__one_one.sql',
    });
  });

  it('checksums the text with line endings normalised and a byte-order mark dropped', async () => {
    write('V1__lf.sql', 'CREATE TABLE a (id int);\nSELECT 1;\n');
    write('V2__crlf.sql', '\uFEFFCREATE TABLE a (id int);\r\nSELECT 1;\r\n');
    const set = await loadMigrations(dir, workspace.path);
    expect(set.versioned[0]?.checksum).toBe(set.versioned[1]?.checksum);
    expect(set.versioned[0]?.checksum).toBe(migrationChecksum('CREATE TABLE a (id int);\nSELECT 1;\n'));
    expect(set.versioned[1]?.sql.startsWith('CREATE')).toBe(true);
  });

  it('fails on misnamed migrations, naming every one', async () => {
    write('V1__ok.sql');
    write('v2__lower.sql');
    write('V3_single_underscore.sql');
    const error = await loadError();
    expect(error.input).toBe('migrations-dir');
    expect(error.message).toContain('v2__lower.sql: the prefix must be an upper-case V');
    expect(error.message).toContain(
      'V3_single_underscore.sql: the version and the description must be separated',
    );
  });

  it('fails on two files with the same version, 1 and 1.0 included', async () => {
    write('V1__first.sql');
    write('V1_0__second.sql');
    const error = await loadError();
    expect(error.message).toContain('V1_0__second.sql and V1__first.sql are both version 1');
  });

  it('fails on two repeatable migrations with the same description', async () => {
    write('R__views.sql');
    write('other/R__views.sql');
    expect((await loadError()).message).toContain('the repeatable migration "views"');
  });

  it('reads a symbolic link to a file as that file', async () => {
    mkdirSync(join(workspace.path, 'shared'));
    writeFileSync(join(workspace.path, 'shared', 'audit.sql'), 'CREATE TABLE audit (id int);\n');
    mkdirSync(join(dir, '2024'));
    symlinkSync('../../../shared/audit.sql', join(dir, '2024', 'V2__audit.sql'));
    write('V1__first.sql');
    const set = await loadMigrations(dir, workspace.path);
    expect(set.versioned.map((file) => [file.script, file.sql])).toEqual([
      ['V1__first.sql', 'SELECT 1;\n'],
      ['2024/V2__audit.sql', 'CREATE TABLE audit (id int);\n'],
    ]);
  });

  it('fails on a symbolic link whose target is missing, or which points at a directory', async () => {
    write('V1__first.sql');
    symlinkSync('../vendor/V2__gone.sql', join(dir, 'V2__gone.sql'));
    const dangling = await loadError();
    expect(dangling.input).toBe('migrations-dir');
    expect(dangling.message).toContain(
      'V2__gone.sql is a symbolic link to ../vendor/V2__gone.sql, which cannot be read (ENOENT',
    );

    mkdirSync(join(workspace.path, 'db', 'vendor'));
    writeFileSync(join(workspace.path, 'db', 'vendor', 'V2__gone.sql'), 'SELECT 2;\n');
    expect((await loadMigrations(dir, workspace.path)).versioned).toHaveLength(2);

    symlinkSync('../vendor', join(dir, 'vendor'));
    expect((await loadError()).message).toContain(
      'migrations-dir: vendor is a symbolic link to the directory ../vendor, which Gantry does not search',
    );
  });

  it('fails on a file with a NUL byte, which would cut the SQL short, naming where it is', async () => {
    write('V1__ok.sql');
    write('V2__binary.sql', 'CREATE TABLE a (id int);\nSELECT 1;\0DROP TABLE b;\n');
    const error = await loadError();
    expect(error.input).toBe('migrations-dir');
    expect(error.message).toBe(
      'migrations-dir: V2__binary.sql contains a NUL byte at byte offset 34 (line 2): PostgreSQL ends a query at a NUL byte, so only the part before it would run.',
    );
    expect(error.hint).toContain('UTF-16');
  });

  it('fails clearly on a file that cannot be read once listed, naming it', async () => {
    write('V1__ok.sql');
    write('V2__gone.sql');
    // Removed between the listing and the reading, as another step (or a permission) may do.
    const error = await loadMigrations(dir, workspace.path, {
      onListed: () => rmSync(join(dir, 'V2__gone.sql')),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe('migrations-dir');
    expect((error as ConfigurationError).message).toMatch(
      /^migrations-dir: V2__gone\.sql cannot be read: ENOENT: no such file or directory, open '.*V2__gone\.sql'\.$/,
    );
  });

  it('tells onListed the versions before reading any file, after the names are checked', async () => {
    write('V2__two.sql');
    write('V1_1__one_one.sql');
    write('R__view.sql');
    const seen: string[][] = [];
    const set = await loadMigrations(dir, workspace.path, {
      onListed: ({ versions }) => seen.push(versions),
    });
    expect(seen).toEqual([['1.1', '2']]);
    expect(set.versioned.map((file) => file.script)).toEqual(['V1_1__one_one.sql', 'V2__two.sql']);

    write('V2.0__again.sql');
    await expect(
      loadMigrations(dir, workspace.path, { onListed: ({ versions }) => seen.push(versions) }),
    ).rejects.toThrow('are both version 2');
    expect(seen).toHaveLength(1);
  });

  it('gives an absolute annotation path for a directory outside the workspace', async () => {
    write('V1__x.sql');
    const set = await loadMigrations(dir, join(workspace.path, 'elsewhere'));
    expect(set.versioned[0]?.annotationPath).toBe(`${dir}/V1__x.sql`);
  });
});
