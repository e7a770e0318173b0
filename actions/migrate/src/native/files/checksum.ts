import { isUtf8 } from 'node:buffer';
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

const CARRIAGE_RETURN = 0x0d;

/**
 * migrationChecksum of the file whose bytes these are, without decoding them, when the bytes are
 * already what normaliseText would hash: valid UTF-8 (decoding then encoding gives the same bytes
 * back; invalid sequences would decode to U+FFFD), no byte-order mark at the start and no CR.
 * Undefined otherwise: the text must then be decoded and normalised first.
 */
export function rawChecksum(bytes: Buffer): string | undefined {
  const marked = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (marked || bytes.includes(CARRIAGE_RETURN) || !isUtf8(bytes)) return undefined;
  return hash('sha256', bytes, 'hex');
}
