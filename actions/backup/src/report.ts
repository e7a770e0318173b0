import { formatBytes } from '../../../shared/src/formats/bytes.ts';
import { formatDuration } from '../../../shared/src/formats/duration.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../shared/src/runner/summary.ts';
import type { Catalog } from './storage/catalog.ts';
import type { BackupOutcome } from './commands/backup.ts';
import type { PruneOutcome } from './commands/prune.ts';
import type { RestoreOutcome } from './commands/restore.ts';
import type { Manifest } from './storage/manifest.ts';

/** Outputs and job summary of each command, from its outcome. */

/** Every output, as action.yml documents it; a command sets its own. */
export interface BackupOutputs {
  key: string;
  /** The manifest, JSON. */
  manifest: Manifest;
  size: number;
  sha256: string;
  verified: string;
  /** `[{ key, started_at, reasons }]`, newest first. */
  kept: PruneOutcome['kept'];
  /** `[{ key, started_at }]`, newest first. */
  deleted: PruneOutcome['deleted'];
  /** Manifests, newest first. */
  backups: Manifest[];
}

export async function reportBackup(outcome: BackupOutcome, where: string): Promise<void> {
  const { manifest } = outcome;
  setOutputs<Pick<BackupOutputs, 'key' | 'manifest' | 'size' | 'sha256' | 'verified'>>({
    key: manifest.key,
    manifest,
    size: manifest.size,
    sha256: manifest.sha256,
    verified: manifest.verified,
  });
  const seconds = Math.max(outcome.uploadMs, 1) / 1000;
  const summary = new JobSummary().heading(`Backup of ${manifest.database}`).table(
    ['', ''],
    [
      ['Object', where],
      ['Size', formatBytes(manifest.size)],
      [
        'Duration',
        `${formatDuration(outcome.durationMs)} (dump and upload ${formatDuration(outcome.uploadMs)}, verification ${formatDuration(outcome.verifyMs)})`,
      ],
      ['Throughput', `${formatBytes(manifest.size / seconds)}/s stored, dump and upload`],
      ['SHA-256', manifest.sha256],
      ['Encryption', describeEncryption(manifest)],
      [
        'Verification',
        `${manifest.verified === 'restore' ? 'restored into the scratch database, row counts compared' : 'pg_restore --list'} on the ${outcome.verifiedOn === 'plaintext' ? 'plaintext as it streamed (no identity to decrypt the upload); the uploaded object read back and its SHA-256 compared' : 'object read back from S3, SHA-256 compared'}`,
      ],
      ['pg_dump', manifest.pg_dump_version],
      ['Server', manifest.server_version],
      ['Tables', manifest.tables],
    ],
  );
  if (outcome.tables.length > 0)
    summary.table(
      ['Table', 'Rows restored'],
      outcome.tables.map((t) => [t.table, t.rows]),
    );
  if (outcome.orphansDeleted.length > 0) {
    summary.paragraph(
      `Deleted ${outcome.orphansDeleted.length} dump(s) without a manifest, older than a day.`,
    );
  }
  await summary.write();
}

export async function reportList(catalog: Catalog, database: string): Promise<void> {
  setOutputs<Pick<BackupOutputs, 'backups'>>({ backups: catalog.backups });
  const summary = new JobSummary().heading(`Backups of ${database}`);
  if (catalog.backups.length === 0) summary.paragraph('None.');
  summary.table(
    ['Started', 'Size', 'Verified', 'Encryption', 'Key'],
    catalog.backups.map((m) => [m.started_at, formatBytes(m.size), m.verified, describeEncryption(m), m.key]),
  );
  if (catalog.orphanDumps.length > 0) {
    summary.paragraph(
      `${catalog.orphanDumps.length} dump(s) without a manifest are not backups and are not listed.`,
    );
  }
  await summary.write();
}

export async function reportPrune(outcome: PruneOutcome, database: string): Promise<void> {
  setOutputs<Pick<BackupOutputs, 'kept' | 'deleted'>>({ kept: outcome.kept, deleted: outcome.deleted });
  const verb = outcome.dryRun ? 'Would delete' : 'Deleted';
  const summary = new JobSummary()
    .heading(`Prune of ${database}${outcome.dryRun ? ' (dry run: nothing deleted)' : ''}`)
    .paragraph(`Kept ${outcome.kept.length}; ${verb.toLowerCase()} ${outcome.deleted.length}.`)
    .table(
      ['Kept', 'Why', 'Key'],
      outcome.kept.map((k) => [k.started_at, k.reasons.join(', '), k.key]),
    )
    .table(
      [verb, 'Key'],
      outcome.deleted.map((d) => [d.started_at, d.key]),
    );
  if (outcome.dryRun && outcome.deleted.length > 0) {
    summary.paragraph(escapeInline('Set confirm-delete: true to delete them.'));
  }
  await summary.write();
  for (const failure of outcome.failures) log.error(`Not deleted: ${failure}`);
}

export async function reportRestore(outcome: RestoreOutcome): Promise<void> {
  const { manifest } = outcome;
  setOutputs<Pick<BackupOutputs, 'key' | 'manifest' | 'size' | 'sha256' | 'verified'>>({
    key: manifest.key,
    manifest,
    size: manifest.size,
    sha256: manifest.sha256,
    verified: manifest.verified,
  });
  const total = outcome.tables.reduce((sum, t) => sum + t.rows, 0);
  await new JobSummary()
    .heading(`Restore into ${outcome.target}`)
    .table(
      ['', ''],
      [
        ['Backup', manifest.key],
        ['Taken', manifest.started_at],
        ['Size', formatBytes(manifest.size)],
        ['SHA-256', `${manifest.sha256} (checked before restoring)`],
        ['Duration', formatDuration(outcome.durationMs)],
        ['Tables', `${outcome.tables.length}, ${total} rows`],
      ],
    )
    .table(
      ['Table', 'Rows'],
      outcome.tables.map((t) => [t.table, t.rows]),
    )
    .write();
}

function describeEncryption(manifest: Manifest): string {
  if (!manifest.encryption) return 'none';
  return 'recipients' in manifest.encryption
    ? `age, ${manifest.encryption.recipients.length} recipient(s)`
    : 'age, passphrase';
}
