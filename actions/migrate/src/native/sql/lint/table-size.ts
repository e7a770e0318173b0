import { formatBytes } from '../../../../../../shared/src/formats/bytes.ts';
import type { RelationFacts } from './catalog-facts.ts';
import type { Severity } from './finding.ts';

/**
 * The table's size, to rank a rewrite: under SMALL_TABLE_BYTES (heap, indexes and TOAST) a rewrite
 * holds its ACCESS EXCLUSIVE lock for well under a second on any disk, which is worth a notice, not a
 * warning; a table never analysed is of unknown size, so a warning too. Both figures are the
 * catalog's estimates (relpages, reltuples), as fresh as the last VACUUM or ANALYZE.
 */
export const SMALL_TABLE_BYTES = 10 * 1024 * 1024;

export function isSmall(facts: RelationFacts | undefined): boolean {
  return facts?.bytes !== undefined && facts.bytes < SMALL_TABLE_BYTES;
}

/** notice for a small table, warning for a large one or one of unknown size. */
export function rankBySize(facts: RelationFacts | undefined): Severity {
  return isSmall(facts) ? 'notice' : 'warning';
}

/** ` (about 1.2 million rows, 340.5 MiB)`, or nothing without the database. */
export function sizeNote(facts: RelationFacts | undefined): string {
  if (!facts) return '';
  if (facts.rows === undefined || facts.bytes === undefined) return ' (never analysed: its size is unknown)';
  return ` (about ${rowCount(facts.rows)}, ${formatBytes(facts.bytes)})`;
}

function rowCount(rows: number): string {
  const rounded = Math.round(rows);
  if (rounded === 1) return '1 row';
  if (rounded < 10_000) return `${rounded} rows`;
  if (rounded < 1_000_000) return `${Math.round(rounded / 1000)} thousand rows`;
  if (rounded < 1_000_000_000) return `${(rounded / 1_000_000).toFixed(1)} million rows`;
  return `${(rounded / 1_000_000_000).toFixed(1)} billion rows`;
}
