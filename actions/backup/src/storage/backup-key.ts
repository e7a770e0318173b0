/**
 * Where a backup lives: `<prefix>/<database>/<started_at as YYYYMMDDTHHMMSSZ>-<8 hex>.dump`
 * (`.dump.age` when encrypted), and its manifest at the same key with `.json`. Keys sort by time,
 * so a listing is chronological. A database name is used as it is unless it holds a character a
 * key segment cannot (a `/`, a control character), which is then percent-encoded.
 */

export interface BackupKey {
  dumpKey: string;
  manifestKey: string;
}

export function databasePrefix(prefix: string, database: string): string {
  const segment =
    /^[^/\\%]+$/.test(database) && !hasControlCharacter(database) ? database : encodeURIComponent(database);
  return prefix === '' ? `${segment}/` : `${prefix}/${segment}/`;
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20);
}

/** 2026-01-02T03:04:05.678Z -> 20260102T030405Z */
export function keyTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function backupKey(
  prefix: string,
  database: string,
  startedAt: Date,
  shortId: string,
  encrypted: boolean,
): BackupKey {
  const base = `${databasePrefix(prefix, database)}${keyTimestamp(startedAt)}-${shortId}`;
  return { dumpKey: `${base}.dump${encrypted ? '.age' : ''}`, manifestKey: `${base}.json` };
}

const DUMP_SUFFIX = /\.dump(\.age)?$/;
const NAME = /\d{8}T\d{6}Z-[0-9a-f]{8}\.(dump|dump\.age|json)$/;

/** The manifest key of a dump key (or of a manifest key), or undefined for a key of neither. */
export function manifestKeyOf(key: string): string | undefined {
  if (!NAME.test(key)) return undefined;
  return key.endsWith('.json') ? key : key.replace(DUMP_SUFFIX, '.json');
}

export function isDumpKey(key: string): boolean {
  return NAME.test(key) && DUMP_SUFFIX.test(key);
}

export function isManifestKey(key: string): boolean {
  return NAME.test(key) && key.endsWith('.json');
}
