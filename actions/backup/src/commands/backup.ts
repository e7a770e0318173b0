import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Client } from 'pg';
import { ActionError, errorMessage } from '../../../../shared/src/errors.ts';
import { formatDuration } from '../../../../shared/src/formats/duration.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { libpqEnvironment } from '../../../../shared/src/postgres/client-config.ts';
import type { ConnectionSettings } from '../../../../shared/src/postgres/connection-settings.ts';
import { backupKey } from '../storage/backup-key.ts';
import { withCaFile } from '../postgres/ca-file.ts';
import { connect, countRows, exportSnapshot, serverInfo, type ServerInfo } from '../postgres/database.ts';
import { dumpAndUpload, partSizeFor } from '../streams/dump-upload.ts';
import { manifestEncryption } from '../streams/encryption.ts';
import type { BackupInputs } from '../inputs.ts';
import { MANIFEST_FORMAT, type Manifest } from '../storage/manifest.ts';
import { deleteOrphans } from '../storage/orphans.ts';
import {
  listArchive,
  restoreFromStream,
  type ArchiveContents,
  type PgRestoreRun,
} from '../postgres/pg-restore.ts';
import { pgDumpArgs } from '../postgres/pg-dump-args.ts';
import { choosePgDump, type PgTool } from '../postgres/pg-tools.ts';
import { compareRowCounts, type TableCount } from '../postgres/row-counts.ts';
import { runContext } from '../run-context.ts';
import type { BackupStore } from '../storage/s3-store.ts';
import { verifyReadBack, type Uploaded } from '../streams/verify.ts';

/**
 * connect -> pick pg_dump -> dump, encrypt, hash, upload -> verify (read back; restore) -> publish
 * the manifest -> delete day-old orphans. Until the manifest is written, a failure deletes what
 * was uploaded: a dump without a manifest is not a backup.
 */

export interface BackupOutcome {
  manifest: Manifest;
  /** Where pg_restore --list ran: on the object read back, or on the plaintext while it streamed. */
  verifiedOn: 'read-back' | 'plaintext';
  durationMs: number;
  /** pg_dump to the completed upload. */
  uploadMs: number;
  /** Reading back, pg_restore, row counts. */
  verifyMs: number;
  tables: TableCount[];
  orphansDeleted: string[];
  partSizeBytes: number;
}

const APPLICATION_NAME = 'gantry-backup';

export async function runBackup(
  inputs: BackupInputs,
  store: BackupStore,
  signal: AbortSignal,
): Promise<BackupOutcome> {
  const client = await connect(inputs.connection, inputs.connectTimeoutMs, signal);
  try {
    const server = await serverInfo(client);
    log.info(
      `Connected: PostgreSQL ${server.version}, database ${inputs.connection.database} of ${server.databaseSizeBytes} bytes.`,
    );
    const tools = await choosePgDump(server.major, server.version, inputs.pgDumpPath);
    log.info(`Using ${tools.pgDump.path} (${tools.pgDump.version}).`);
    // A compression this pg_dump does not know is a configuration error: raised here, before the
    // snapshot, the key and the upload exist.
    pgDumpArgs(inputs.dump, tools.pgDump, undefined);
    return await withCaFile(inputs.connection.ca, (caFile) =>
      backUp(inputs, store, client, server, tools, caFile, signal),
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function backUp(
  inputs: BackupInputs,
  store: BackupStore,
  client: Client,
  server: ServerInfo,
  tools: { pgDump: PgTool; pgRestore: PgTool },
  caFile: string | undefined,
  signal: AbortSignal,
): Promise<BackupOutcome> {
  const snapshot = inputs.verify === 'restore' ? await exportSnapshot(client) : undefined;
  try {
    const startedAt = new Date();
    const { dumpKey, manifestKey } = backupKey(
      inputs.store.prefix,
      inputs.connection.database,
      startedAt,
      randomBytes(4).toString('hex'),
      inputs.encryption !== undefined,
    );
    const partSizeBytes = partSizeFor(server.databaseSizeBytes);
    // Encrypted and no identity to read it back: pg_restore checks the plaintext on its way out.
    const onPlaintext = inputs.encryption !== undefined && inputs.verifyDecryption === undefined;
    const plaintextRun = onPlaintext ? startVerifier(inputs, tools.pgRestore, caFile, signal) : undefined;
    log.info(`Streaming pg_dump into ${store.where(dumpKey)} (parts of ${partSizeBytes / 1024 / 1024} MiB).`);
    let uploaded: Uploaded;
    try {
      uploaded = await dumpAndUpload({
        pgDump: tools.pgDump,
        args: pgDumpArgs(inputs.dump, tools.pgDump, snapshot?.id),
        env: libpqEnvironment(inputs.connection, APPLICATION_NAME, caFile),
        secrets: inputs.connection.password ? [inputs.connection.password] : [],
        store,
        key: dumpKey,
        partSizeBytes,
        encryption: inputs.encryption,
        plaintextCopy: plaintextRun?.input as Writable | undefined,
        signal,
      });
    } catch (error) {
      plaintextRun?.input.destroy();
      await plaintextRun?.done.catch(() => undefined);
      throw error;
    }
    const uploadMs = Date.now() - startedAt.getTime();
    log.info(
      `Uploaded ${uploaded.sizeBytes} bytes in ${formatDuration(uploadMs)}, SHA-256 ${uploaded.sha256}.`,
    );
    try {
      const verifyStarted = Date.now();
      const contents = await verify(inputs, store, uploaded, tools.pgRestore, plaintextRun, caFile, signal);
      const tables =
        snapshot && inputs.verifyConnection
          ? await checkRowCounts(inputs, client, inputs.verifyConnection, signal)
          : [];
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        database: inputs.connection.database,
        key: dumpKey,
        size: uploaded.sizeBytes,
        sha256: uploaded.sha256,
        started_at: startedAt.toISOString(),
        finished_at: new Date().toISOString(),
        server_version: server.version,
        pg_dump_version: tools.pgDump.version,
        encryption: manifestEncryption(inputs.encryption),
        verified: inputs.verify,
        compression: inputs.dump.compression ?? null,
        tables: contents?.tables ?? tables.length,
        ...runContext(),
      };
      const verifyMs = Date.now() - verifyStarted;
      log.info(`Verified in ${formatDuration(verifyMs)}.`);
      await store.putJson(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`, signal);
      log.info(`Published ${store.where(manifestKey)}.`);
      const orphansDeleted = await deleteOrphans(
        store,
        inputs.store.prefix,
        inputs.connection.database,
        signal,
      );
      return {
        manifest,
        verifiedOn: onPlaintext ? 'plaintext' : 'read-back',
        durationMs: Date.parse(manifest.finished_at) - startedAt.getTime(),
        uploadMs,
        verifyMs,
        tables,
        orphansDeleted,
        partSizeBytes,
      };
    } catch (error) {
      await store
        .delete(dumpKey)
        .catch((deleteError: unknown) =>
          log.warning(
            `The unverified dump ${store.where(dumpKey)} could not be deleted: ${errorMessage(deleteError)}. A later backup deletes it once it is a day old.`,
          ),
        );
      throw error;
    }
  } finally {
    await snapshot?.release();
  }
}

function startVerifier(
  inputs: BackupInputs,
  pgRestore: PgTool,
  caFile: string | undefined,
  signal: AbortSignal,
): PgRestoreRun<ArchiveContents | undefined> {
  if (inputs.verify === 'restore' && inputs.verifyConnection) {
    const run = restoreFromStream(pgRestore, inputs.verifyConnection, {
      clean: true,
      jobs: 1,
      signal,
      caFile,
    });
    return { input: run.input, done: run.done.then(() => undefined) };
  }
  return listArchive(pgRestore, signal);
}

async function verify(
  inputs: BackupInputs,
  store: BackupStore,
  uploaded: Uploaded,
  pgRestore: PgTool,
  plaintextRun: PgRestoreRun<ArchiveContents | undefined> | undefined,
  caFile: string | undefined,
  signal: AbortSignal,
): Promise<ArchiveContents | undefined> {
  let contents: ArchiveContents | undefined;
  if (plaintextRun) {
    contents = await plaintextRun.done.catch((error: unknown) => {
      throw new ActionError(`Verifying the dump failed: ${errorMessage(error)}`, { cause: error });
    });
  }
  const readBack = await verifyReadBack(store, uploaded, {
    pgRestore,
    archive: plaintextRun
      ? undefined
      : {
          decryption: inputs.verifyDecryption,
          restoreInto: inputs.verify === 'restore' ? inputs.verifyConnection : undefined,
        },
    caFile,
    signal,
  }).catch((error: unknown) => {
    throw error instanceof ActionError
      ? error
      : new ActionError(`Verifying the dump failed: ${errorMessage(error)}`, { cause: error });
  });
  return contents ?? readBack;
}

/** The rows of every table in the dump's snapshot against those restored into the scratch database. */
async function checkRowCounts(
  inputs: BackupInputs,
  source: Client,
  scratch: ConnectionSettings,
  signal: AbortSignal,
): Promise<TableCount[]> {
  const expected = await countRows(source);
  const target = await connect(scratch, inputs.connectTimeoutMs, signal);
  try {
    return compareRowCounts(expected, await countRows(target), inputs.dump.excludeTableData);
  } finally {
    await target.end().catch(() => undefined);
  }
}
