import * as log from '../../../../shared/src/runner/log.ts';
import { databasePrefix, isDumpKey, isManifestKey, manifestKeyOf } from './backup-key.ts';
import { parseManifest, startedAtMs, type Manifest } from './manifest.ts';
import type { BackupStore } from './s3-store.ts';

/**
 * The backups of one database: the manifests under `<prefix>/<database>/` whose dump is there too,
 * newest first. A dump without a manifest is no backup and a manifest without its dump is a broken
 * one; both are reported and left out. Manifests are read a few at a time.
 */

export interface Catalog {
  backups: Manifest[];
  /** Dumps without a manifest (unverified, or a run that died). */
  orphanDumps: string[];
  /** Manifests whose dump is missing or that cannot be read. */
  broken: { key: string; reason: string }[];
}

const READ_CONCURRENCY = 8;

export async function readCatalog(
  store: BackupStore,
  prefix: string,
  database: string,
  signal: AbortSignal,
): Promise<Catalog> {
  const objects = await store.list(databasePrefix(prefix, database), signal);
  const keys = new Set(objects.map((object) => object.key));
  const manifestKeys = objects.map((object) => object.key).filter(isManifestKey);
  const backups: Manifest[] = [];
  const broken: Catalog['broken'] = [];
  for (let start = 0; start < manifestKeys.length; start += READ_CONCURRENCY) {
    const batch = manifestKeys.slice(start, start + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map((key) => store.getText(key, signal)));
    batch.forEach((key, index) => {
      const manifest = parseManifest(texts[index] ?? '');
      if (typeof manifest === 'string') broken.push({ key, reason: manifest });
      else if (manifestKeyOf(manifest.key) !== key)
        broken.push({ key, reason: `it names the dump ${manifest.key}, not its own` });
      else if (!keys.has(manifest.key)) broken.push({ key, reason: `its dump ${manifest.key} is missing` });
      else backups.push(manifest);
    });
  }
  for (const item of broken) log.warning(`Ignoring ${store.where(item.key)}: ${item.reason}.`);
  backups.sort((a, b) => startedAtMs(b) - startedAtMs(a));
  const orphanDumps = objects
    .map((object) => object.key)
    .filter((key) => isDumpKey(key) && !keys.has(manifestKeyOf(key) ?? ''));
  return { backups, orphanDumps, broken };
}
