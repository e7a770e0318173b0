import { errorMessage } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { applyRetention } from '../../../../shared/src/retention/policy.ts';
import { readCatalog } from '../storage/catalog.ts';
import type { PruneInputs } from '../inputs.ts';
import { startedAtMs, type Manifest } from '../storage/manifest.ts';
import { manifestKeyOf } from '../storage/backup-key.ts';
import type { BackupStore } from '../storage/s3-store.ts';

/**
 * Retention: the policy (restic's forget --keep-* rules, shared/src/retention) decides over the
 * backups that have a manifest; dumps without one are not backups and are not counted. A dry run
 * unless confirm-delete. Each deletion removes the dump first and the manifest last, so that an
 * interrupted prune leaves at worst a dump without a manifest (an orphan, cleaned up later), never
 * a manifest without its dump. The newest backup is never deleted, whatever the policy says.
 */

export interface KeptBackup {
  key: string;
  started_at: string;
  reasons: string[];
}

export interface PruneOutcome {
  kept: KeptBackup[];
  /** Deleted, or to delete in a dry run. */
  deleted: { key: string; started_at: string }[];
  dryRun: boolean;
  /** Deletions that failed: their keys stay in `deleted`'s complement. */
  failures: string[];
}

export async function runPrune(
  inputs: PruneInputs,
  store: BackupStore,
  signal: AbortSignal,
): Promise<PruneOutcome> {
  const { backups } = await readCatalog(store, inputs.store.prefix, inputs.database, signal);
  const decision = applyRetention(backups, startedAtMs, inputs.policy);
  const kept = decision.keep.map(({ item, reasons }) => ({
    key: item.key,
    started_at: item.started_at,
    reasons,
  }));
  const newest = backups[0];
  const remove = decision.remove.filter((manifest) => manifest !== newest);
  const dryRun = !inputs.confirmDelete;
  log.info(
    `${backups.length} backup(s) of ${inputs.database}: keeping ${kept.length}, ${dryRun ? 'would delete' : 'deleting'} ${remove.length}.`,
  );
  for (const item of kept) log.info(`  keep    ${item.started_at}  ${item.reasons.join(', ')}  ${item.key}`);
  for (const item of remove)
    log.info(`  ${dryRun ? 'would delete' : 'delete'}  ${item.started_at}  ${item.key}`);
  const deleted: PruneOutcome['deleted'] = [];
  const failures: string[] = [];
  if (dryRun) {
    deleted.push(...remove.map(summary));
  } else {
    for (const manifest of remove) {
      try {
        await store.delete(manifest.key, signal);
        await store.delete(manifestKeyOf(manifest.key) ?? manifest.key, signal);
        deleted.push(summary(manifest));
      } catch (error) {
        failures.push(`${manifest.key}: ${errorMessage(error)}`);
        log.error(`Could not delete ${store.where(manifest.key)}: ${errorMessage(error)}`);
      }
    }
  }
  return { kept, deleted, dryRun, failures };
}

function summary(manifest: Manifest): { key: string; started_at: string } {
  return { key: manifest.key, started_at: manifest.started_at };
}
