import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { S3Client } from '@aws-sdk/client-s3';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { expectNoSecretLeaks } from '../support/leak-check.ts';
import { freshDatabase } from '../support/postgres.ts';
import {
  databaseName,
  freshBucket,
  listKeys,
  query,
  readObject,
  runBackupAction,
  s3Client,
  seededDatabase,
  serverUrl,
  tableContents,
} from './helpers.ts';

/**
 * Encrypted backups: to an age recipient (the runner holds no key that reads them), verified on
 * the plaintext or, given an identity, on the object read back; to a passphrase. A wrong identity
 * fails before anything is restored.
 */

let client: S3Client;
let bucket: string;
let source: string;
let password: string;
let identity: string;
let recipient: string;
const PASSPHRASE = 'correct horse battery staple 42';

beforeAll(async () => {
  client = s3Client();
  bucket = await freshBucket();
  source = await seededDatabase('backup_encrypted', 200);
  password = decodeURIComponent(new URL(source).password);
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => client.destroy());

function keygenFile(secret: string, publicKey: string): string {
  return `# created: 2026-12-06T10:00:00Z\n# public key: ${publicKey}\n${secret}\n`;
}

async function restore(inputs: Record<string, string>) {
  const target = await freshDatabase(serverUrl(), 'backup_decrypted');
  const run = await runBackupAction({
    inputs: {
      command: 'restore',
      bucket,
      'target-database-url': target,
      confirm: databaseName(target),
      ...inputs,
    },
  });
  return { run, target };
}

describe('encrypted backups', () => {
  let recipientKey: string;

  it('encrypts to a recipient as it streams, and verifies the plaintext on its way out', async () => {
    const run = await runBackupAction({
      inputs: { 'database-url': source, bucket, 'encrypt-to': recipient },
    });
    expect(run.outcome).toBe('success');
    recipientKey = run.outputs.key ?? '';
    expect(recipientKey).toMatch(/\.dump\.age$/);
    const stored = await readObject(client, bucket, recipientKey);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(stored.includes(Buffer.from('PGDMP'))).toBe(false);
    const manifest = JSON.parse(run.outputs.manifest ?? '{}');
    expect(manifest.encryption).toEqual({ recipients: [recipient] });
    expect(run.summary).toContain('plaintext as it streamed');
    expectNoSecretLeaks(run, [password]);
  });

  it('verifies the object read back and decrypted when decrypt-identity is given', async () => {
    const run = await runBackupAction({
      inputs: { 'database-url': source, bucket, 'encrypt-to': recipient, 'decrypt-identity': identity },
    });
    expect(run.outcome).toBe('success');
    expect(run.summary).toContain('object read back from S3');
    expect(run.masks).toContain(identity);
    expectNoSecretLeaks(run, [password, identity]);
  });

  it('refuses a wrong identity clearly, and restores nothing', async () => {
    const other = await generateIdentity();
    const { run, target } = await restore({ backup: recipientKey, 'decrypt-identity': other });
    expect(run.outcome).toBe('failure');
    expect(run.annotations.map((a) => a.message).join('\n')).toMatch(
      /could not be decrypted: no identity matched any of the file's recipients.*decrypt-identity must be the identity of one of the recipients/,
    );
    expect(run.log).not.toContain('[command]');
    expect(await query(target, "SELECT 1 FROM pg_tables WHERE schemaname = 'shop'")).toEqual([]);
    expectNoSecretLeaks(run, [other]);
  });

  it('restores with the identity from an age-keygen file', async () => {
    const { run, target } = await restore({
      backup: recipientKey,
      'decrypt-identity': keygenFile(identity, recipient),
    });
    expect(run.outcome).toBe('success');
    expect(await tableContents(target)).toEqual(await tableContents(source));
    expectNoSecretLeaks(run, [identity, password]);
  });

  it('round-trips a passphrase-encrypted backup, with the passphrase masked throughout', async () => {
    const backup = await runBackupAction({
      inputs: { 'database-url': source, bucket, 'encrypt-passphrase': PASSPHRASE },
    });
    expect(backup.outcome).toBe('success');
    expect(JSON.parse(backup.outputs.manifest ?? '{}').encryption).toEqual({ passphrase: true });
    const wrong = await restore({
      backup: backup.outputs.key ?? '',
      'decrypt-passphrase': 'not the passphrase at all',
    });
    expect(wrong.run.outcome).toBe('failure');
    expect(wrong.run.annotations.map((a) => a.message).join('\n')).toContain('could not be decrypted');
    const { run, target } = await restore({
      backup: backup.outputs.key ?? '',
      'decrypt-passphrase': PASSPHRASE,
    });
    expect(run.outcome).toBe('success');
    expect(await tableContents(target)).toEqual(await tableContents(source));
    for (const step of [backup, run, wrong.run]) expectNoSecretLeaks(step, [PASSPHRASE, password]);
    expect((await listKeys(client, bucket)).filter((key) => key.endsWith('.json'))).toHaveLength(3);
  }, 90_000);
});
