import { describe, expect, it } from '@jest/globals';
import {
  backupKey,
  databasePrefix,
  isDumpKey,
  isManifestKey,
  manifestKeyOf,
} from '../../actions/backup/src/storage/backup-key.ts';

/** The key layout is a contract: <prefix>/<database>/<YYYYMMDDTHHMMSSZ>-<8 hex>.dump[.age] and .json. */

describe('backup keys', () => {
  const started = new Date('2026-12-06T21:05:09.123Z');

  it.each([
    [
      'backups',
      'app',
      false,
      'backups/app/20261206T210509Z-0a1b2c3d.dump',
      'backups/app/20261206T210509Z-0a1b2c3d.json',
    ],
    [
      'team/db',
      'app',
      true,
      'team/db/app/20261206T210509Z-0a1b2c3d.dump.age',
      'team/db/app/20261206T210509Z-0a1b2c3d.json',
    ],
    ['', 'app', false, 'app/20261206T210509Z-0a1b2c3d.dump', 'app/20261206T210509Z-0a1b2c3d.json'],
    [
      'backups',
      'a/b',
      false,
      'backups/a%2Fb/20261206T210509Z-0a1b2c3d.dump',
      'backups/a%2Fb/20261206T210509Z-0a1b2c3d.json',
    ],
  ])('prefix %p, database %p, encrypted %p: %s', (prefix, database, encrypted, dumpKey, manifestKey) => {
    expect(backupKey(prefix, database, started, '0a1b2c3d', encrypted)).toEqual({ dumpKey, manifestKey });
    expect(manifestKeyOf(dumpKey)).toBe(manifestKey);
    expect(manifestKeyOf(manifestKey)).toBe(manifestKey);
    expect(isDumpKey(dumpKey)).toBe(true);
    expect(isManifestKey(manifestKey)).toBe(true);
  });

  it('keeps a database name with spaces or dots as it is', () => {
    expect(databasePrefix('backups', 'my app.v2')).toBe('backups/my app.v2/');
  });

  it.each([
    'backups/app/notes.txt',
    'backups/app/20261206T210509Z-XYZ.dump',
    'backups/app/20261206-0a1b2c3d.json',
  ])('does not take %s for a backup', (key) => {
    expect(manifestKeyOf(key)).toBeUndefined();
    expect(isDumpKey(key) || isManifestKey(key)).toBe(false);
  });
});
