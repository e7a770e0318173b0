import { pipeline } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { spawnPiped } from '../../../../shared/src/process/exec.ts';
import { abortReason } from '../../../../shared/src/async/sleep.ts';
import { encryptStream, type Encryption } from './encryption.ts';
import type { PgTool } from '../postgres/pg-tools.ts';
import type { BackupStore } from '../storage/s3-store.ts';
import { Digest, ExitGate, Tee } from './stream-tap.ts';
import type { Uploaded } from './verify.ts';

/**
 * pg_dump's stdout -> (a copy to a verifying pg_restore) -> age encryption -> SHA-256 -> S3
 * multipart upload, with nothing on disk and at most the upload's parts in memory.
 *
 * The stream the upload reads ends cleanly only when pg_dump exited 0 (ExitGate): a dump that
 * fails halfway, a deadline or a cancellation makes it error instead, and lib-storage then aborts
 * the multipart upload, so no part and no object is left.
 */

export interface DumpUpload {
  pgDump: PgTool;
  args: string[];
  env: Record<string, string>;
  secrets: string[];
  store: BackupStore;
  key: string;
  partSizeBytes: number;
  encryption: Encryption | undefined;
  /** Receives a copy of the plaintext (pg_restore verifying it while the dump runs). */
  plaintextCopy: Writable | undefined;
  signal: AbortSignal;
}

const MIB = 1024 * 1024;
const MIN_PART_BYTES = 5 * MIB;
const MAX_PART_BYTES = 5 * 1024 * MIB;
const MAX_PARTS = 10_000;

/**
 * Parts large enough that S3's 10,000 cover twice the database's size (a dump is usually smaller,
 * but not always: an uncompressed dump of compressed TOAST data can be larger), in whole MiB.
 */
export function partSizeFor(databaseSizeBytes: number): number {
  const needed = Math.ceil((2 * databaseSizeBytes) / MAX_PARTS / MIB) * MIB;
  return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, needed));
}

export async function dumpAndUpload(options: DumpUpload): Promise<Uploaded> {
  const dump = spawnPiped(options.pgDump.path, options.args, {
    env: options.env,
    secrets: options.secrets,
    signal: options.signal,
  });
  let dumpFailure: unknown;
  dump.done.catch((reason: unknown) => {
    dumpFailure = reason;
  });
  const digest = new Digest();
  const onAbort = (): void => {
    digest.destroy(abortReason(options.signal));
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  const fail = (error: Error | null): void => {
    if (error) digest.destroy(error);
  };
  try {
    const stages: NodeJS.ReadWriteStream[] = [new ExitGate(dump.done)];
    if (options.plaintextCopy) stages.push(new Tee(options.plaintextCopy));
    const plaintext = pipeline([dump.stdout, ...stages], fail) as unknown as Readable;
    const stored = options.encryption ? await encryptStream(plaintext, options.encryption) : plaintext;
    pipeline(stored, digest, fail);
    await options.store.upload({
      key: options.key,
      body: digest,
      partSizeBytes: options.partSizeBytes,
      contentType: options.encryption ? 'application/octet-stream' : 'application/vnd.postgresql.custom-dump',
    });
    await dump.done;
    return { key: options.key, sizeBytes: digest.sizeBytes, sha256: digest.sha256() };
  } catch (error) {
    // When pg_dump failed first, its exit code and stderr say more than the upload it broke. When
    // the upload failed first, pg_dump dies of the closed pipe later, and that is no news.
    throw dumpFailure ?? error;
  } finally {
    dump.stdout.destroy();
    options.signal.removeEventListener('abort', onAbort);
  }
}
