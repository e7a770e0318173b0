import type { ManifestEncryption } from '../streams/encryption.ts';

/**
 * The manifest: the contract other tools read (format `gantry-backup/1`, documented in the README).
 * It is written only after the dump was verified, so a manifest means a backup; a dump without one
 * is not a backup.
 */

export const MANIFEST_FORMAT = 'gantry-backup/1';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  database: string;
  /** The dump's key. */
  key: string;
  /** Bytes of the stored object (the ciphertext when encrypted). */
  size: number;
  /** SHA-256 of the stored object, lower-case hex: anyone can check it without the key. */
  sha256: string;
  /** RFC 3339, UTC, milliseconds: the backup's time for every retention rule. */
  started_at: string;
  finished_at: string;
  /** `SHOW server_version`: 15.18 (Debian 15.18-0+deb12u1). */
  server_version: string;
  /** `pg_dump --version`. */
  pg_dump_version: string;
  encryption: ManifestEncryption;
  verified: 'list' | 'restore';
  /** pg_dump --compress, or null for pg_dump's default. */
  compression: string | null;
  /** The tables whose data the dump holds (TABLE DATA entries of its table of contents). */
  tables: number;
  commit: string | null;
  run_url: string | null;
}

/** The manifest in `text`, or the reason it is not one (a foreign or damaged file). */
export function parseManifest(text: string): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const manifest = value as Record<string, unknown>;
  if (manifest.format !== MANIFEST_FORMAT)
    return `format is ${JSON.stringify(manifest.format)}, not ${MANIFEST_FORMAT}`;
  for (const field of [
    'database',
    'key',
    'sha256',
    'started_at',
    'finished_at',
    'pg_dump_version',
  ] as const) {
    if (typeof manifest[field] !== 'string') return `${field} is missing`;
  }
  if (typeof manifest.size !== 'number' || !Number.isSafeInteger(manifest.size) || manifest.size < 0)
    return 'size is missing';
  if (!/^[0-9a-f]{64}$/.test(manifest.sha256 as string)) return 'sha256 is not 64 hex digits';
  if (Number.isNaN(Date.parse(manifest.started_at as string))) return 'started_at is not a time';
  if (manifest.verified !== 'list' && manifest.verified !== 'restore') return 'verified is missing';
  return manifest as unknown as Manifest;
}

export function startedAtMs(manifest: Manifest): number {
  return Date.parse(manifest.started_at);
}
