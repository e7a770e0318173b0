/**
 * Migration versions as Flyway writes them: whole numbers separated by dots, with `_` accepted for a
 * dot in file names (`V1_2__x.sql` is version 1.2). Parts compare as numbers of any size, so 1.10
 * comes after 1.9 and a 14-digit timestamp is as good a version as 3; missing parts count as zero, so
 * 1.0 and 1 are the same version (and two files claiming it are an error).
 */
export interface Version {
  /** As written, with `_` turned into `.`: what the history table and messages show. */
  readonly text: string;
  /** The identity: leading zeros and trailing zero parts dropped (`01.0` -> `1`). */
  readonly key: string;
}

/** The parts of each key, split once: sorting ten thousand versions compares them often. */
const partsOf = new Map<string, string[]>();

function parts(version: Version): string[] {
  let cached = partsOf.get(version.key);
  if (!cached) {
    cached = version.key.split('.');
    partsOf.set(version.key, cached);
  }
  return cached;
}

const VERSION = /^\d+(?:[._]\d+)*$/;

/** One whole number without leading zeros, as most versions are: its own text and key. */
const PLAIN_NUMBER = /^[1-9]\d*$/;

export function parseVersion(raw: string): Version | undefined {
  if (PLAIN_NUMBER.test(raw)) return { text: raw, key: raw };
  if (!VERSION.test(raw)) return undefined;
  const text = raw.replaceAll('_', '.');
  const parts = text.split('.').map((part) => part.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts.at(-1) === '0') parts.pop();
  return { text, key: parts.join('.') };
}

export function compareVersions(a: Version, b: Version): number {
  // Most versions are one whole number (1, 2, 20240115093000): those compare without splitting.
  if (!a.key.includes('.') && !b.key.includes('.')) return compareWholeNumbers(a.key, b.key);
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const order = compareWholeNumbers(left[index] ?? '0', right[index] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/** Decimal strings without leading zeros: the longer is larger, equal lengths compare as text. */
function compareWholeNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
