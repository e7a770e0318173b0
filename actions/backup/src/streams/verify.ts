import type { Readable } from 'node:stream';
import { ActionError } from '../../../../shared/src/errors.ts';
import { decryptStream, type Decryption } from './encryption.ts';
import {
  listArchive,
  restoreFromStream,
  streamThrough,
  type ArchiveContents,
} from '../postgres/pg-restore.ts';
import type { PgTool } from '../postgres/pg-tools.ts';
import type { BackupStore } from '../storage/s3-store.ts';
import { Digest } from './stream-tap.ts';
import type { ConnectionSettings } from '../../../../shared/src/postgres/connection-settings.ts';

/**
 * Verification before a manifest is published. The stored object is read back from S3 whole: its
 * SHA-256 and size must be those computed while uploading. Its archive is checked by pg_restore
 * (--list, or a full restore into the scratch database) as it streams, decrypted on the way when
 * an identity is given; without one, the caller checks the plaintext during the dump instead.
 */

export interface Uploaded {
  key: string;
  sizeBytes: number;
  sha256: string;
}

export interface ReadBackCheck {
  pgRestore: PgTool;
  /** Decrypt the read-back object and run pg_restore on it; undefined: only compare the hash. */
  archive?: { decryption: Decryption | undefined; restoreInto: ConnectionSettings | undefined };
  /** The CA file for a restore into a server that needs one. */
  caFile?: string;
  signal: AbortSignal;
}

export async function verifyReadBack(
  store: BackupStore,
  uploaded: Uploaded,
  check: ReadBackCheck,
): Promise<ArchiveContents | undefined> {
  const { body } = await store.getStream(uploaded.key, check.signal);
  const digest = new Digest();
  body.on('error', (error) => digest.destroy(error));
  body.pipe(digest);
  let contents: ArchiveContents | undefined;
  if (check.archive) {
    const plaintext: Readable = check.archive.decryption
      ? await decryptStream(digest, check.archive.decryption)
      : digest;
    const into = check.archive.restoreInto;
    if (into) {
      const restore = restoreFromStream(check.pgRestore, into, {
        clean: true,
        jobs: 1,
        signal: check.signal,
        caFile: check.caFile,
      });
      await streamThrough(plaintext, restore);
    } else {
      contents = await streamThrough(plaintext, listArchive(check.pgRestore, check.signal));
    }
  } else {
    digest.resume();
    await new Promise<void>((resolve, reject) => digest.on('end', resolve).on('error', reject));
  }
  const sha256 = digest.sha256();
  if (digest.sizeBytes !== uploaded.sizeBytes || sha256 !== uploaded.sha256) {
    throw new ActionError(
      `${store.where(uploaded.key)} read back as ${digest.sizeBytes} bytes with SHA-256 ${sha256}, but ${uploaded.sizeBytes} bytes with SHA-256 ${uploaded.sha256} were uploaded.`,
      {
        hint: 'the store changed or lost data on the way: the dump was deleted and no manifest was written; run the backup again',
      },
    );
  }
  return contents;
}
