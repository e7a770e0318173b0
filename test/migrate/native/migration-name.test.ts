import { describe, expect, it } from '@jest/globals';
import { classifyName } from '../../../actions/migrate/src/native/files/migration-name.ts';

describe('classifyName', () => {
  it.each([
    ['V1__create_users.sql', 'versioned', '1', 'create users'],
    ['V1_2__add_email.sql', 'versioned', '1.2', 'add email'],
    ['V1.2.3__x.sql', 'versioned', '1.2.3', 'x'],
    ['V20240115093000__orders.sql', 'versioned', '20240115093000', 'orders'],
    ['V2__add__double_underscores.sql', 'versioned', '2', 'add  double underscores'],
    ['U1_2__drop_email.sql', 'undo', '1.2', 'drop email'],
    ['R__views.sql', 'repeatable', undefined, 'views'],
    ['R__refresh_materialized_views.sql', 'repeatable', undefined, 'refresh materialized views'],
  ])('%s is %s %s "%s"', (name, kind, version, description) => {
    const verdict = classifyName(name);
    expect(verdict).toMatchObject({ kind, description });
    expect('version' in verdict ? verdict.version?.text : undefined).toBe(version);
  });

  it.each([
    ['v1__create_users.sql', 'upper-case V'],
    ['r__views.sql', 'upper-case R'],
    ['V1_create_users.sql', 'two underscores'],
    ['V1__.sql', 'description'],
    ['R__.sql', 'description'],
    ['V__no_version.sql', 'is not a version'],
    ['V1a__x.sql', 'is not a version'],
    ['V1__x.SQL', 'expected V<version>__<description>.sql'],
    ['U1-create.sql', 'two underscores'],
  ])('%s is a misnamed migration (%s)', (name, problem) => {
    const verdict = classifyName(name);
    expect(verdict.kind).toBe('malformed');
    expect(verdict.kind === 'malformed' && verdict.problem).toContain(problem);
  });

  it.each(['seed.sql', 'users.sql', 'Values__seed.sql', 'README.sql', 'rollback.sql', 'Rebuild.sql'])(
    '%s is not a migration',
    (name) => {
      expect(classifyName(name)).toEqual({ kind: 'other' });
    },
  );
});
