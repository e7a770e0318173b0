/**
 * pg_dump's --compress values: a gzip level 0-9 for every version; from pg_dump 16 also a method
 * with an optional level, `gzip:N` (1-9), `lz4[:N]` (1-12), `zstd[:N]` (1-22) or `none`.
 */

export interface Compression {
  /** As pg_dump takes it after --compress=. */
  text: string;
  /** The oldest pg_dump that accepts it. */
  sinceMajor: number;
}

export const COMPRESSION_ACCEPTED =
  'expected a gzip level 0-9, or (pg_dump 16 and later) gzip:1-9, lz4, lz4:1-12, zstd, zstd:1-22 or none';

const LEVELS: Record<string, [number, number]> = { gzip: [1, 9], lz4: [1, 12], zstd: [1, 22] };

export function parseCompression(text: string): Compression | undefined {
  if (/^\d$/.test(text)) return { text, sinceMajor: 0 };
  if (text === 'none') return { text, sinceMajor: 16 };
  const match = /^(gzip|lz4|zstd)(?::(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const [low, high] = LEVELS[match[1] as string] as [number, number];
  if (match[2] !== undefined && (Number(match[2]) < low || Number(match[2]) > high)) return undefined;
  return { text, sinceMajor: 16 };
}
