import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActionError } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { describeTarget } from '../../../../shared/src/postgres/connection-settings.ts';
import { manifestKeyOf } from '../storage/backup-key.ts';
import { withCaFile } from '../postgres/ca-file.ts';
import { readCatalog } from '../storage/catalog.ts';
import { connect, countRows } from '../postgres/database.ts';
import { decryptStream } from '../streams/encryption.ts';
import type { RestoreInputs } from '../inputs.ts';
import { parseManifest, type Manifest } from '../storage/manifest.ts';
import { restoreFromFile, restoreFromStream, streamThrough } from '../postgres/pg-restore.ts';
import { choosePgRestore, parseToolVersion } from '../postgres/pg-tools.ts';
import type { TableCount } from '../postgres/row-counts.ts';
import type { BackupStore } from '../storage/s3-store.ts';
import { Digest } from '../streams/stream-tap.ts';

/**
 * resolve the backup (a key, or the newest of the database) -> check the target is reachable ->
 * download to a spool file while hashing -> refuse on a size or SHA-256 that is not the manifest's,
 * before the target is touched -> decrypt (a wrong identity fails on the header, still before) ->
 * pg_restore --exit-on-error --no-owner -> count the rows restored.
 */

export interface RestoreOutcome {
  manifest: Manifest;
  target: string;
  tables: TableCount[];
  durationMs: number;
}

export async function runRestore(
  inputs: RestoreInputs,
  store: BackupStore,
  signal: AbortSignal,
): Promise<RestoreOutcome> {
  const started = Date.now();
  const manifest = await resolveBackup(inputs, store, signal);
  log.info(
    `Restoring ${store.where(manifest.key)} (${manifest.database}, ${manifest.started_at}) into ${describeTarget(inputs.target)}.`,
  );
  if (manifest.encryption && !inputs.decryption) {
    const how =
      'recipients' in manifest.encryption
        ? 'decrypt-identity (an identity of its recipients)'
        : 'decrypt-passphrase';
    throw new ActionError(`${manifest.key} is encrypted: restore needs ${how}. Nothing was downloaded.`);
  }
  const dumpTool = parseToolVersion(manifest.pg_dump_version);
  const pgRestore = await choosePgRestore(dumpTool?.major ?? 0, manifest.pg_dump_version);
  // Reachable and the right credentials, before a large download.
  const check = await connect(inputs.target, inputs.connectTimeoutMs, signal);
  await check.end().catch(() => undefined);

  const spool = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'gantry-restore-'));
  try {
    const file = join(spool, 'backup');
    await download(store, manifest, file, signal);
    await withCaFile(inputs.target.ca, async (caFile) => {
      const options = { clean: inputs.clean, jobs: inputs.jobs, signal, caFile };
      const plaintext = await openPlaintext(file, manifest, inputs);
      if (inputs.jobs === 1) {
        await streamThrough(plaintext.stream, restoreFromStream(pgRestore, inputs.target, options));
      } else if (plaintext.path === file) {
        plaintext.stream.destroy();
        await restoreFromFile(pgRestore, inputs.target, file, options);
      } else {
        const decrypted = join(spool, 'backup.plain');
        await pipeline(plaintext.stream, createWriteStream(decrypted, { mode: 0o600 }));
        await restoreFromFile(pgRestore, inputs.target, decrypted, options);
      }
    });
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
  const target = await connect(inputs.target, inputs.connectTimeoutMs, signal);
  try {
    const counts = await countRows(target);
    const tables = [...counts].map(([table, rows]) => ({ table, rows }));
    return { manifest, target: describeTarget(inputs.target), tables, durationMs: Date.now() - started };
  } finally {
    await target.end().catch(() => undefined);
  }
}

async function resolveBackup(
  inputs: RestoreInputs,
  store: BackupStore,
  signal: AbortSignal,
): Promise<Manifest> {
  if (inputs.backupKey === undefined) {
    const database = inputs.database ?? '';
    const { backups } = await readCatalog(store, inputs.store.prefix, database, signal);
    const latest = backups[0];
    if (!latest) {
      throw new ActionError(
        `There is no backup of ${database} under ${store.where(inputs.store.prefix)}: nothing to restore.`,
        {
          hint: 'check bucket, prefix and the database named by the connection inputs (list shows what there is)',
        },
      );
    }
    return latest;
  }
  const manifestKey = manifestKeyOf(inputs.backupKey) ?? inputs.backupKey;
  const text = await store.getText(manifestKey, signal).catch((error: unknown) => {
    throw new ActionError(
      `${store.where(manifestKey)} cannot be read, so ${inputs.backupKey} is not a backup: ${(error as Error).message}`,
      {
        hint: 'a dump without a manifest was never verified; list shows the backups there are',
      },
    );
  });
  const manifest = parseManifest(text);
  if (typeof manifest === 'string')
    throw new ActionError(`${store.where(manifestKey)} is not a backup manifest: ${manifest}.`);
  return manifest;
}

/** The whole object into `file`, refused unless its size and SHA-256 are the manifest's. */
async function download(
  store: BackupStore,
  manifest: Manifest,
  file: string,
  signal: AbortSignal,
): Promise<void> {
  const { body } = await store.getStream(manifest.key, signal);
  const digest = new Digest();
  await pipeline(body, digest, createWriteStream(file, { mode: 0o600 }), { signal });
  const sha256 = digest.sha256();
  if (digest.sizeBytes !== manifest.size || sha256 !== manifest.sha256) {
    throw new ActionError(
      `${store.where(manifest.key)} is ${digest.sizeBytes} bytes with SHA-256 ${sha256}, but its manifest says ${manifest.size} bytes with SHA-256 ${manifest.sha256}: refusing to restore it. The target was not touched.`,
      { hint: 'the object was changed or damaged in the bucket; restore another backup (list shows them)' },
    );
  }
  log.info(`Downloaded ${digest.sizeBytes} bytes; SHA-256 matches the manifest.`);
}

async function openPlaintext(
  file: string,
  manifest: Manifest,
  inputs: RestoreInputs,
): Promise<{ stream: Readable; path: string | undefined }> {
  const stored = createReadStream(file);
  if (!manifest.encryption || !inputs.decryption) return { stream: stored, path: file };
  return { stream: await decryptStream(stored, inputs.decryption), path: undefined };
}
