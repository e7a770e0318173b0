import { describe, expect, it } from '@jest/globals';
import { typeFromCatalog, type SqlType } from '../../../actions/migrate/src/native/sql/lint/sql-type.ts';
import { isUtc, judgeTypeChange } from '../../../actions/migrate/src/native/sql/lint/type-change.ts';

/** The pure judgement behind alter-column-type; lint-catalog.test.ts checks it against PostgreSQL. */

const type = (name: string, ...modifiers: number[]): SqlType => ({ name, modifiers, array: false });
const PG15 = { serverVersion: 150004, timeZone: 'Europe/Paris' };

describe('judgeTypeChange', () => {
  it.each<[string, SqlType, SqlType, boolean | undefined]>([
    ['varchar(10) to varchar(20)', type('varchar', 10), type('varchar', 20), false],
    ['varchar(10) to varchar(10)', type('varchar', 10), type('varchar', 10), false],
    ['varchar(10) to varchar', type('varchar', 10), type('varchar'), false],
    ['varchar(10) to text', type('varchar', 10), type('text'), false],
    ['text to varchar', type('text'), type('varchar'), false],
    ['varchar(20) to varchar(10)', type('varchar', 20), type('varchar', 10), true],
    ['varchar to varchar(10)', type('varchar'), type('varchar', 10), true],
    ['text to varchar(10)', type('text'), type('varchar', 10), true],
    ['numeric(10, 2) to numeric(12, 2)', type('numeric', 10, 2), type('numeric', 12, 2), false],
    ['numeric(10, 2) to numeric', type('numeric', 10, 2), type('numeric'), false],
    ['numeric(10, 2) to numeric(12, 3)', type('numeric', 10, 2), type('numeric', 12, 3), true],
    ['numeric(10, 2) to numeric(8, 2)', type('numeric', 10, 2), type('numeric', 8, 2), true],
    ['numeric to numeric(10, 2)', type('numeric'), type('numeric', 10, 2), true],
    ['varbit(8) to varbit(16)', type('varbit', 8), type('varbit', 16), false],
    ['varbit(8) to varbit(4)', type('varbit', 8), type('varbit', 4), true],
    ['timestamp(3) to timestamp(6)', type('timestamp', 3), type('timestamp', 6), false],
    ['timestamp(3) to timestamp', type('timestamp', 3), type('timestamp'), false],
    ['timestamp to timestamp(3)', type('timestamp'), type('timestamp', 3), true],
    ['timestamp to timestamptz, not in UTC', type('timestamp'), type('timestamptz'), true],
    ['int4 to int8', type('int4'), type('int8'), true],
    ['a type lint does not know', type('citext'), type('text'), undefined],
    ['an array', { ...type('varchar', 10), array: true }, { ...type('varchar', 20), array: true }, undefined],
  ])('%s: rewrites %s', (_, from, to, rewrites) => {
    expect(judgeTypeChange(from, to, PG15).rewrites).toBe(rewrites);
  });

  it('keeps timestamp to timestamptz in place in UTC from PostgreSQL 12, but rebuilds the indexes', () => {
    const change = (serverVersion: number | undefined, timeZone: string | undefined) =>
      judgeTypeChange(type('timestamp'), type('timestamptz'), { serverVersion, timeZone });
    expect(change(150004, 'UTC')).toMatchObject({ rewrites: false, rebuildsIndexes: true });
    expect(change(120000, 'Etc/UTC')).toMatchObject({ rewrites: false });
    expect(change(110000, 'UTC')).toMatchObject({ rewrites: true });
    expect(change(150004, undefined)).toEqual({ rewrites: undefined });
    expect(change(undefined, 'UTC')).toEqual({ rewrites: undefined });
    expect(
      judgeTypeChange(type('timestamptz', 3), type('timestamp', 1), {
        serverVersion: 150004,
        timeZone: 'UTC',
      }).rewrites,
    ).toBe(true);
  });
});

describe('isUtc', () => {
  it.each(['UTC', 'utc', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Zulu', 'Etc/Universal', 'GMT0'])(
    '%s is UTC',
    (zone) => {
      expect(isUtc(zone)).toBe(true);
    },
  );
  it.each(['Europe/London', 'Africa/Abidjan', 'Etc/GMT+1', 'America/New_York', ''])('%s is not', (zone) => {
    expect(isUtc(zone)).toBe(false);
  });
});

describe('typeFromCatalog', () => {
  it.each<[string, number, SqlType | undefined]>([
    ['varchar', 24, type('varchar', 20)],
    ['varchar', -1, type('varchar')],
    ['numeric', ((10 << 16) | 2) + 4, type('numeric', 10, 2)],
    ['numeric', ((10 << 16) | (-2 & 0x7ff)) + 4, type('numeric', 10, -2)],
    ['varbit', 8, type('varbit', 8)],
    ['timestamptz', 3, type('timestamptz', 3)],
    ['int4', -1, type('int4')],
    ['interval', 32767, undefined],
  ])('%s with atttypmod %i', (typname, typmod, expected) => {
    expect(typeFromCatalog(typname, typmod, false)).toEqual(expected);
  });
});
