import { describe, expect, it } from '@jest/globals';
import type { HistoryRow, HistoryType } from '../../../actions/migrate/src/native/database/history.ts';
import type {
  MigrationFile,
  MigrationSet,
} from '../../../actions/migrate/src/native/files/migration-files.ts';
import { analyse } from '../../../actions/migrate/src/native/commands/state.ts';
import { compareVersions, type Version } from '../../../actions/migrate/src/native/files/version.ts';
import { migrationFile } from './helpers.ts';

function set(...files: MigrationFile[]): MigrationSet {
  return {
    versioned: files
      .filter((file) => file.kind === 'versioned')
      .sort((a, b) => compareVersions(a.version as Version, b.version as Version)),
    repeatable: files.filter((file) => file.kind === 'repeatable'),
    undo: new Map(
      files.filter((file) => file.kind === 'undo').map((file) => [file.version?.key as string, file]),
    ),
    ignored: [],
  };
}

let nextId = 1;
function row(file: MigrationFile, overrides: Partial<HistoryRow> = {}): HistoryRow {
  return {
    id: nextId++,
    version: file.version?.text ?? null,
    description: file.description,
    type: file.kind as HistoryType,
    script: file.script,
    checksum: file.checksum,
    appliedBy: 'app',
    appliedAt: '2026-01-01T00:00:00.000Z',
    executionMs: 5,
    success: true,
    error: null,
    ...overrides,
  };
}

function baselineRow(version: string): HistoryRow {
  return row(migrationFile(`V${version}__baseline.sql`, ''), {
    type: 'baseline',
    checksum: null,
    script: '<< baseline >>',
  });
}

const v1 = migrationFile('V1__create_users.sql', 'CREATE TABLE users (id int);');
const v2 = migrationFile('V2__add_email.sql', 'ALTER TABLE users ADD COLUMN email text;');
const v3 = migrationFile('V3__add_index.sql', 'CREATE INDEX CONCURRENTLY users_email ON users (email);');
const v1_5 = migrationFile('V1_5__late_branch.sql', 'CREATE TABLE late (id int);');
const rViews = migrationFile('R__views.sql', 'CREATE OR REPLACE VIEW v AS SELECT 1;');
const u3 = migrationFile('U3__drop_index.sql', 'DROP INDEX users_email;');

const scripts = (files: MigrationFile[]): string[] => files.map((file) => file.script);

describe('analyse', () => {
  it('has everything pending on a fresh database, versioned first', () => {
    const state = analyse(set(v2, v1, rViews), []);
    expect(scripts(state.pendingVersioned)).toEqual(['V1__create_users.sql', 'V2__add_email.sql']);
    expect(scripts(state.pendingRepeatable)).toEqual(['R__views.sql']);
    expect(state.currentVersion).toBeUndefined();
    expect(state.drift).toEqual([]);
  });

  it('leaves only the new versions pending on an incremental run', () => {
    const state = analyse(set(v1, v2, v3), [row(v1), row(v2)]);
    expect(scripts(state.pendingVersioned)).toEqual(['V3__add_index.sql']);
    expect(state.currentVersion?.text).toBe('2');
    expect(state.outOfOrder).toEqual([]);
  });

  it('re-applies a repeatable migration only when its checksum changed', () => {
    expect(analyse(set(rViews), [row(rViews)]).pendingRepeatable).toEqual([]);
    const changed = migrationFile('R__views.sql', 'CREATE OR REPLACE VIEW v AS SELECT 2;');
    expect(scripts(analyse(set(changed), [row(rViews)]).pendingRepeatable)).toEqual(['R__views.sql']);
  });

  it('does not see CRLF line endings as a change', () => {
    const crlf = migrationFile(
      'V1__create_users.sql',
      'CREATE TABLE users (id int);'.replace(/\n/g, '\r\n') + '\r\n',
    );
    const lf = migrationFile('V1__create_users.sql', 'CREATE TABLE users (id int);\n');
    expect(analyse(set(crlf), [row(lf)]).drift).toEqual([]);
  });

  it('reports a changed file as drift', () => {
    const edited = migrationFile('V2__add_email.sql', 'ALTER TABLE users ADD COLUMN email varchar(200);');
    const [drift] = analyse(set(v1, edited), [row(v1), row(v2)]).drift;
    expect(drift).toMatchObject({ kind: 'changed', version: '2', script: 'V2__add_email.sql' });
    expect(drift?.message).toContain('was changed after it was applied');
  });

  it('reports an applied version whose file is gone as missing, and one above every file as unknown', () => {
    const v4 = migrationFile('V4__future.sql', 'SELECT 1;');
    const state = analyse(set(v1, v3), [row(v1), row(v2), row(v3), row(v4)]);
    expect(state.drift.map((drift) => [drift.kind, drift.version])).toEqual([
      ['missing', '2'],
      ['unknown', '4'],
    ]);
  });

  it('finds a version added below the highest applied one', () => {
    const state = analyse(set(v1, v1_5, v2), [row(v1), row(v2)]);
    expect(scripts(state.outOfOrder)).toEqual(['V1_5__late_branch.sql']);
    expect(scripts(state.pendingVersioned)).toEqual(['V1_5__late_branch.sql']);
  });

  it('keeps a failed attempt pending and reports it as failed', () => {
    const failedRow = row(v2, { success: false, error: 'boom' });
    const state = analyse(set(v1, v2), [row(v1), failedRow]);
    expect(scripts(state.pendingVersioned)).toEqual(['V2__add_email.sql']);
    expect(state.failed).toEqual([failedRow]);
    expect(state.currentVersion?.text).toBe('1');
  });

  it('forgets a failure once the migration succeeded', () => {
    const state = analyse(set(v1, v2), [row(v1), row(v2, { success: false }), row(v2)]);
    expect(state.failed).toEqual([]);
    expect(state.pendingVersioned).toEqual([]);
  });

  it('skips files at or below the baseline for good', () => {
    const state = analyse(set(v1, v2, v3), [baselineRow('2')]);
    expect(scripts(state.belowBaseline)).toEqual(['V1__create_users.sql', 'V2__add_email.sql']);
    expect(scripts(state.pendingVersioned)).toEqual(['V3__add_index.sql']);
    expect(state.currentVersion?.text).toBe('2');
    expect(state.drift).toEqual([]);
  });

  it('makes an undone version pending again', () => {
    const state = analyse(set(v1, v2, v3, u3), [row(v1), row(v2), row(v3), row(u3, { version: '3' })]);
    expect(scripts(state.pendingVersioned)).toEqual(['V3__add_index.sql']);
    expect(state.applied.map((applied) => applied.version.text)).toEqual(['1', '2']);
    expect(state.currentVersion?.text).toBe('2');
  });

  it('matches versions numerically: V1_0 on disk is the applied version 1', () => {
    const renamed = migrationFile('V1_0__create_users.sql', v1.sql);
    expect(analyse(set(renamed), [row(v1)]).pendingVersioned).toEqual([]);
  });
});
