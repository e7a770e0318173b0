import { hash } from 'node:crypto';

/**
 * The checksum recorded for a migration: SHA-256 (hex) of its text with a leading byte-order mark
 * dropped and every line ending made `\n`, so a checkout with CRLF line endings (core.autocrlf on
 * Windows, an editor's setting) is the same migration and never reported as drift.
 */
export function migrationChecksum(text: string): string {
  return hash('sha256', normaliseText(text), 'hex');
}

export function normaliseText(text: string): string {
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Most files have no CR at all: looking for one is far cheaper than a replace that finds none.
  return unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
}
