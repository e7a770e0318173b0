import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readInputs, type ActionInputs } from '../../actions/backup/src/inputs.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { REDACTED, redact } from '../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../shared/helpers.ts';

/**
 * readInputs() in-process, with the inputs given as the runner gives them (INPUT_<NAME>, hyphens
 * kept). Every bad input is refused with a ConfigurationError naming the input, before anything
 * connects or uploads; secrets are masked and never shown.
 */

const URL = 'postgresql://app:db-pass-Zx81@db.example.com:5432/app';
const TARGET = 'postgresql://app:target-pass-Qw72@db.example.com:5432/app_restore';
/** A test key pair made for this file; the identity protects nothing. */
const IDENTITY = 'AGE-SECRET-KEY-1FWD745CLE9LSWU3VH7JX6R0EANR43U2WYVHASQ0T0NLFCNKND5GQ089EM9';
const RECIPIENT = 'age1d63e0zeje2ztpwalng8rjznza8g3znmhvz927ym4srcu38h4lvtsvts8ag';
const KEY = 'backups/app/20261201T020000Z-1a2b3c4d.dump';
const ENV_NAMES = [
  'PGHOST',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGSSLMODE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

let stdout: Captured;
const savedEnv = { ...process.env };
beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
  process.env.AWS_REGION = 'eu-west-1';
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

async function read(inputs: Record<string, string>): Promise<ActionInputs> {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  return readInputs();
}

async function readError(inputs: Record<string, string>): Promise<ConfigurationError> {
  try {
    await read(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(inputs)}, got valid inputs`);
}

const backup = (inputs: Record<string, string>): Record<string, string> => ({
  'database-url': URL,
  bucket: 'db-backups',
  ...inputs,
});
const prune = (inputs: Record<string, string>): Record<string, string> =>
  backup({ command: 'prune', ...inputs });
const restore = (inputs: Record<string, string>): Record<string, string> =>
  backup({ command: 'restore', 'target-database-url': TARGET, confirm: 'app_restore', ...inputs });

interface BadCase {
  inputs: Record<string, string>;
  input: string;
  says: string[];
  hides?: string[];
}

const BAD_INPUTS: [string, BadCase][] = [
  [
    'command: unknown',
    {
      inputs: backup({ command: 'dump' }),
      input: 'command',
      says: ['"dump"', 'backup, list, prune, restore'],
    },
  ],
  ['bucket: missing', { inputs: { 'database-url': URL }, input: 'bucket', says: ['required'] }],
  [
    'bucket: an s3:// URL',
    {
      inputs: backup({ bucket: 's3://db-backups' }),
      input: 'bucket',
      says: ['"s3://db-backups"', 'no s3://'],
    },
  ],
  ['bucket: upper case', { inputs: backup({ bucket: 'DB-Backups' }), input: 'bucket', says: ['lower-case'] }],
  ['bucket: two characters', { inputs: backup({ bucket: 'db' }), input: 'bucket', says: ['3 to 63'] }],
  [
    'bucket: an IP address',
    { inputs: backup({ bucket: '10.0.0.1' }), input: 'bucket', says: ['"10.0.0.1"'] },
  ],
  [
    'prefix: a .. part',
    { inputs: backup({ prefix: 'backups/../other' }), input: 'prefix', says: ['"backups/../other"'] },
  ],
  [
    'prefix: an empty part',
    { inputs: backup({ prefix: 'backups//app' }), input: 'prefix', says: ['without empty'] },
  ],
  [
    'aws-region: a region name',
    {
      inputs: backup({ 'aws-region': 'Europe (Ireland)' }),
      input: 'aws-region',
      says: ['not an AWS region'],
    },
  ],
  [
    's3-endpoint: not a URL',
    {
      inputs: backup({ 's3-endpoint': 'minio:9000' }),
      input: 's3-endpoint',
      says: ['not an http:// or https:// URL'],
    },
  ],
  [
    's3-endpoint: with credentials',
    {
      inputs: backup({ 's3-endpoint': 'http://key:s3cret-Kp3@minio:9000' }),
      input: 's3-endpoint',
      says: ['must not contain credentials'],
    },
  ],
  [
    'storage-class: unknown',
    { inputs: backup({ 'storage-class': 'COLD' }), input: 'storage-class', says: ['"COLD"', 'GLACIER_IR'] },
  ],
  ['sse: unknown', { inputs: backup({ sse: 'kms' }), input: 'sse', says: ['"kms"', 'AES256', 'aws:kms'] }],
  [
    'sse-kms-key-id without aws:kms',
    {
      inputs: backup({ 'sse-kms-key-id': 'alias/backups' }),
      input: 'sse-kms-key-id',
      says: ['sse is not aws:kms'],
    },
  ],
  [
    'timeout: not a duration',
    { inputs: backup({ timeout: 'forever' }), input: 'timeout', says: ['"forever"'] },
  ],
  ['timeout: too short', { inputs: backup({ timeout: '1s' }), input: 'timeout', says: ['"1s"'] }],
  [
    'no connection at all',
    { inputs: { bucket: 'db-backups' }, input: 'database-url', says: ['No database to connect to'] },
  ],
  [
    'database-url: another scheme',
    {
      inputs: backup({ 'database-url': 'mysql://app:my-pass-Lk09@db/app' }),
      input: 'database-url',
      says: ['postgresql://'],
      hides: ['my-pass-Lk09'],
    },
  ],
  [
    'database-url and host',
    { inputs: backup({ host: 'db.example.com' }), input: 'host', says: ['both given'] },
  ],
  [
    'compression: 10',
    { inputs: backup({ compression: '10' }), input: 'compression', says: ['"10"', 'gzip level 0-9'] },
  ],
  [
    'compression: zstd level 23',
    { inputs: backup({ compression: 'zstd:23' }), input: 'compression', says: ['"zstd:23"', 'zstd:1-22'] },
  ],
  [
    'compression: brotli',
    { inputs: backup({ compression: 'brotli' }), input: 'compression', says: ['"brotli"'] },
  ],
  [
    'encrypt-to: not a key',
    {
      inputs: backup({ 'encrypt-to': 'ops@example.com' }),
      input: 'encrypt-to',
      says: ['"ops@example.com"', 'age public keys'],
    },
  ],
  [
    'encrypt-to: a damaged key',
    {
      inputs: backup({ 'encrypt-to': `${RECIPIENT.slice(0, -1)}x` }),
      input: 'encrypt-to',
      says: ['age public keys'],
    },
  ],
  [
    'encrypt-to: a secret identity',
    {
      inputs: backup({ 'encrypt-to': IDENTITY }),
      input: 'encrypt-to',
      says: ['secret identity', 'rotate it'],
      hides: [IDENTITY],
    },
  ],
  [
    'encrypt-to and encrypt-passphrase',
    {
      inputs: backup({ 'encrypt-to': RECIPIENT, 'encrypt-passphrase': 'a long passphrase Yt5' }),
      input: 'encrypt-passphrase',
      says: ['both given'],
      hides: ['a long passphrase Yt5'],
    },
  ],
  [
    'encrypt-passphrase: too short',
    {
      inputs: backup({ 'encrypt-passphrase': 'short-Pw1' }),
      input: 'encrypt-passphrase',
      says: ['at least 12'],
      hides: ['short-Pw1'],
    },
  ],
  [
    'decrypt-identity: not an identity',
    {
      inputs: backup({ 'encrypt-to': RECIPIENT, 'decrypt-identity': 'hunter2-Identity' }),
      input: 'decrypt-identity',
      says: ['expected an age identity'],
      hides: ['hunter2-Identity'],
    },
  ],
  [
    'decrypt-identity: a damaged identity',
    {
      inputs: backup({ 'encrypt-to': RECIPIENT, 'decrypt-identity': `${IDENTITY.slice(0, -2)}QQ` }),
      input: 'decrypt-identity',
      says: ['expected an age identity'],
      hides: [`${IDENTITY.slice(0, -2)}QQ`],
    },
  ],
  [
    'decrypt-identity without encryption',
    {
      inputs: backup({ 'decrypt-identity': IDENTITY }),
      input: 'decrypt-identity',
      says: ['not encrypted'],
      hides: [IDENTITY],
    },
  ],
  [
    'verify: unknown',
    { inputs: backup({ verify: 'full' }), input: 'verify', says: ['"full"', 'list, restore'] },
  ],
  [
    'verify: restore without a database',
    {
      inputs: backup({ verify: 'restore' }),
      input: 'verify-database-url',
      says: ['needs verify-database-url'],
    },
  ],
  [
    'verify-database-url with verify: list',
    {
      inputs: backup({ 'verify-database-url': TARGET }),
      input: 'verify-database-url',
      says: ['verify is list'],
    },
  ],
  [
    'verify-database-url: the source itself',
    {
      inputs: backup({ verify: 'restore', 'verify-database-url': URL }),
      input: 'verify-database-url',
      says: ['the database being backed up'],
    },
  ],
  [
    'connect-timeout: no unit',
    { inputs: backup({ 'connect-timeout': 'soon' }), input: 'connect-timeout', says: ['"soon"'] },
  ],
  [
    'a prune input given to backup',
    {
      inputs: backup({ 'keep-daily': '7' }),
      input: 'keep-daily',
      says: ['is for prune, not for command backup'],
    },
  ],
  [
    'a restore input given to backup',
    {
      inputs: backup({ 'target-database-url': TARGET }),
      input: 'target-database-url',
      says: ['is for restore'],
      hides: ['target-pass-Qw72'],
    },
  ],
  [
    'a backup input given to restore',
    {
      inputs: restore({ 'encrypt-to': RECIPIENT }),
      input: 'encrypt-to',
      says: ['is for backup, not for command restore'],
    },
  ],
  ['prune: no policy', { inputs: prune({}), input: 'keep-daily', says: ['needs a retention policy'] }],
  [
    'prune: only zeros',
    {
      inputs: prune({ 'keep-daily': '0', 'keep-within': '0d' }),
      input: 'keep-daily',
      says: ['needs a retention policy'],
    },
  ],
  [
    'keep-daily: -2',
    {
      inputs: prune({ 'keep-daily': '-2' }),
      input: 'keep-daily',
      says: ['"-2"', '-1 is the only negative value'],
    },
  ],
  [
    'keep-weekly: a fraction',
    { inputs: prune({ 'keep-weekly': '1.5' }), input: 'keep-weekly', says: ['"1.5"', 'whole number'] },
  ],
  [
    'keep-last: a word',
    { inputs: prune({ 'keep-last': 'all' }), input: 'keep-last', says: ['"all"', '-1 for all'] },
  ],
  [
    'keep-within: weeks',
    { inputs: prune({ 'keep-within': '2w' }), input: 'keep-within', says: ['"2w"', '1y6m3d12h'] },
  ],
  [
    'keep-within: minutes',
    { inputs: prune({ 'keep-within': '90min' }), input: 'keep-within', says: ['"90min"'] },
  ],
  [
    'keep-within-daily: negative',
    {
      inputs: prune({ 'keep-within-daily': '-7d' }),
      input: 'keep-within-daily',
      says: ['no negative parts'],
    },
  ],
  [
    'keep-within-monthly: a space',
    { inputs: prune({ 'keep-within-monthly': '1y 6m' }), input: 'keep-within-monthly', says: ['"1y 6m"'] },
  ],
  [
    'confirm-delete: yes',
    {
      inputs: prune({ 'keep-last': '3', 'confirm-delete': 'yes' }),
      input: 'confirm-delete',
      says: ['"yes"', 'true or false'],
    },
  ],
  [
    'restore: no target',
    {
      inputs: backup({ command: 'restore', confirm: 'app' }),
      input: 'target-database-url',
      says: ['required for restore'],
    },
  ],
  [
    'restore: target not a URL',
    {
      inputs: restore({ 'target-database-url': 'db.example.com/app_restore' }),
      input: 'target-database-url',
      says: ['postgresql://'],
    },
  ],
  [
    'restore: no confirm',
    { inputs: restore({ confirm: '' }), input: 'confirm', says: ['restore needs confirm: app_restore'] },
  ],
  [
    'restore: confirm names another database',
    {
      inputs: restore({ confirm: 'app' }),
      input: 'confirm',
      says: ['"app" but the target database is "app_restore"', 'nothing was downloaded'],
    },
  ],
  [
    'restore: backup is not a key',
    { inputs: restore({ backup: 'yesterday' }), input: 'backup', says: ['"yesterday"', 'latest'] },
  ],
  ['restore: jobs 0', { inputs: restore({ jobs: '0' }), input: 'jobs', says: ['"0"', 'from 1 to 64'] }],
  ['restore: clean maybe', { inputs: restore({ clean: 'maybe' }), input: 'clean', says: ['"maybe"'] }],
  [
    'restore: identity and passphrase',
    {
      inputs: restore({ 'decrypt-identity': IDENTITY, 'decrypt-passphrase': 'a long passphrase Yt5' }),
      input: 'decrypt-passphrase',
      says: ['both given'],
      hides: [IDENTITY],
    },
  ],
];

describe('bad inputs', () => {
  it(`covers at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUTS)('%s', async (_name, bad) => {
    const error = await readError(bad.inputs);
    expect(error.input).toBe(bad.input);
    const shown = `${error.message} ${error.hint ?? ''}`;
    for (const text of bad.says) expect(shown).toContain(text);
    for (const secret of bad.hides ?? []) {
      expect(shown).not.toContain(secret);
      // Registered for masking (the runner is told once per process, so not in every case's output).
      expect(redact(secret)).toBe(REDACTED);
    }
  });
});

describe('good inputs', () => {
  it('reads a backup with safe defaults', async () => {
    const inputs = await read(backup({}));
    expect(inputs).toMatchObject({
      command: 'backup',
      verify: 'list',
      encryption: undefined,
      store: { bucket: 'db-backups', prefix: 'backups', sse: undefined, client: { region: 'eu-west-1' } },
      timeoutMs: 6 * 3_600_000,
      dump: { schemas: [], compression: undefined },
    });
    expect(redact('db-pass-Zx81')).toBe(REDACTED);
  });

  it('reads recipients, a keygen identity, filters and S3 settings', async () => {
    const inputs = await read(
      backup({
        'encrypt-to': `${RECIPIENT}\n`,
        'decrypt-identity': `# created: 2026-12-06T10:00:00Z\n# public key: ${RECIPIENT}\n${IDENTITY}\n`,
        schemas: 'shop, public',
        'exclude-table-data': 'public.audit',
        compression: 'zstd:3',
        prefix: '/team/db/',
        sse: 'aws:kms',
        'sse-kms-key-id': 'alias/backups',
        's3-endpoint': 'http://127.0.0.1:9000',
      }),
    );
    expect(inputs).toMatchObject({
      encryption: { recipients: [RECIPIENT] },
      verifyDecryption: { identities: [IDENTITY] },
      dump: { schemas: ['shop', 'public'], excludeTableData: ['public.audit'], compression: 'zstd:3' },
      store: {
        prefix: 'team/db',
        sse: 'aws:kms',
        sseKmsKeyId: 'alias/backups',
        client: { endpoint: 'http://127.0.0.1:9000' },
      },
    });
    expect(redact(IDENTITY)).toBe(REDACTED);
  });

  it("reads prune's policy in restic's terms", async () => {
    const inputs = await read(
      prune({
        'keep-daily': '30',
        'keep-weekly': '12',
        'keep-monthly': '12',
        'keep-yearly': '-1',
        'keep-within': '1y6m3d12h',
      }),
    );
    expect(inputs).toMatchObject({
      command: 'prune',
      database: 'app',
      confirmDelete: false,
      policy: {
        daily: 30,
        weekly: 12,
        monthly: 12,
        yearly: -1,
        within: { years: 1, months: 6, days: 3, hours: 12 },
      },
    });
  });

  it('reads a restore of a key without any source connection', async () => {
    process.env.INPUT_BUCKET = 'db-backups';
    const inputs = await read({
      command: 'restore',
      backup: KEY,
      'target-database-url': TARGET,
      confirm: 'app_restore',
      jobs: '4',
    });
    expect(inputs).toMatchObject({
      command: 'restore',
      backupKey: KEY,
      database: undefined,
      jobs: 4,
      clean: false,
    });
    expect(redact('target-pass-Qw72')).toBe(REDACTED);
  });
});
