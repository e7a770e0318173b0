import * as log from '../../../../shared/src/runner/log.ts';
import { readCatalog, type Catalog } from '../storage/catalog.ts';
import type { ListInputs } from '../inputs.ts';
import type { BackupStore } from '../storage/s3-store.ts';

/** The backups of the database named by the connection inputs, newest first; nothing is changed. */
export async function runList(inputs: ListInputs, store: BackupStore, signal: AbortSignal): Promise<Catalog> {
  const catalog = await readCatalog(store, inputs.store.prefix, inputs.database, signal);
  log.info(
    `${catalog.backups.length} backup(s) of ${inputs.database} in ${store.where(inputs.store.prefix)}.`,
  );
  for (const manifest of catalog.backups) {
    log.info(
      `  ${manifest.started_at}  ${manifest.size} bytes  verified: ${manifest.verified}  ${manifest.key}`,
    );
  }
  if (catalog.orphanDumps.length > 0) {
    log.info(`${catalog.orphanDumps.length} dump(s) without a manifest are not backups and are not listed.`);
  }
  return catalog;
}
