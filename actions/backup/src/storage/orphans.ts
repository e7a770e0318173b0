import { errorMessage } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { databasePrefix, isDumpKey, manifestKeyOf } from './backup-key.ts';
import type { BackupStore } from './s3-store.ts';

/**
 * A dump without a manifest was never verified (a run that died before publishing, a failed
 * clean-up): list and prune ignore it, and a backup run deletes it once its object is more than a
 * day old (S3 LastModified), which no run still uploading or verifying it can be.
 */

export const ORPHAN_AGE_MS = 24 * 3_600_000;

export async function deleteOrphans(
  store: BackupStore,
  prefix: string,
  database: string,
  signal: AbortSignal,
  now = Date.now(),
): Promise<string[]> {
  const objects = await store.list(databasePrefix(prefix, database), signal);
  const keys = new Set(objects.map((object) => object.key));
  const orphans = objects.filter(
    (object) =>
      isDumpKey(object.key) &&
      !keys.has(manifestKeyOf(object.key) ?? '') &&
      now - object.lastModified.getTime() > ORPHAN_AGE_MS,
  );
  const deleted: string[] = [];
  for (const orphan of orphans) {
    try {
      await store.delete(orphan.key, signal);
      deleted.push(orphan.key);
      log.info(
        `Deleted ${store.where(orphan.key)}: a dump without a manifest, from ${orphan.lastModified.toISOString()}.`,
      );
    } catch (error) {
      log.warning(`Could not delete the orphan dump ${store.where(orphan.key)}: ${errorMessage(error)}`);
    }
  }
  return deleted;
}
