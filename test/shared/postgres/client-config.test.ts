import { describe, expect, it } from '@jest/globals';
import { libpqEnvironment, pgDriverConfig, sslOptions } from '../../../shared/src/postgres/client-config.ts';
import type { ConnectionSettings } from '../../../shared/src/postgres/connection-settings.ts';

/** One set of connection settings as the pg driver and as libpq programs (pg_dump) take it. */

const SETTINGS: ConnectionSettings = {
  host: 'db.example.com',
  port: 6432,
  user: 'app',
  password: 'pw-Lm44',
  database: 'shop',
  sslmode: 'verify-full',
  ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  options: '-c search_path=shop',
};

describe('libpqEnvironment', () => {
  it('gives libpq every setting, the password in PGPASSWORD and the CA as a file', () => {
    expect(libpqEnvironment(SETTINGS, 'gantry-test', '/tmp/ca/root.crt')).toEqual({
      PGHOST: 'db.example.com',
      PGPORT: '6432',
      PGUSER: 'app',
      PGDATABASE: 'shop',
      PGSSLMODE: 'verify-full',
      PGAPPNAME: 'gantry-test',
      PGPASSWORD: 'pw-Lm44',
      PGOPTIONS: '-c search_path=shop',
      PGSSLROOTCERT: '/tmp/ca/root.crt',
    });
  });

  it('leaves out what is not set, so libpq looks for it as usual (~/.pgpass)', () => {
    const env = libpqEnvironment({ ...SETTINGS, password: undefined, options: undefined }, 'gantry-test');
    expect(env).not.toHaveProperty('PGPASSWORD');
    expect(env).not.toHaveProperty('PGOPTIONS');
    expect(env).not.toHaveProperty('PGSSLROOTCERT');
  });
});

describe('sslOptions', () => {
  it.each([
    ['disable', undefined, false],
    ['prefer', undefined, { rejectUnauthorized: false }],
    ['require', undefined, { rejectUnauthorized: false }],
    ['verify-full', 'CA', { ca: 'CA', rejectUnauthorized: true }],
  ] as const)('%s with CA %p', (sslmode, ca, expected) => {
    expect(sslOptions({ ...SETTINGS, sslmode, ca })).toEqual(expected);
  });

  it('verifies the chain but not the name for verify-ca, and for require with a CA, as libpq', () => {
    for (const sslmode of ['verify-ca', 'require'] as const) {
      const options = sslOptions({ ...SETTINGS, sslmode, ca: 'CA' });
      expect(options).toMatchObject({ ca: 'CA', rejectUnauthorized: true });
      expect((options as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined();
    }
  });
});

describe('pgDriverConfig', () => {
  it('names the application and passes the options', () => {
    expect(pgDriverConfig(SETTINGS, 'gantry-test')).toMatchObject({
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      password: 'pw-Lm44',
      database: 'shop',
      application_name: 'gantry-test',
      options: '-c search_path=shop',
    });
  });
});
