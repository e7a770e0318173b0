import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from '@jest/globals';
import { parseCompression } from '../../actions/backup/src/postgres/compression.ts';
import { partSizeFor } from '../../actions/backup/src/streams/dump-upload.ts';
import { parseManifest } from '../../actions/backup/src/storage/manifest.ts';
import { countEntries } from '../../actions/backup/src/postgres/pg-restore.ts';
import { parseToolVersion } from '../../actions/backup/src/postgres/pg-tools.ts';
import { compareRowCounts } from '../../actions/backup/src/postgres/row-counts.ts';
import { Digest, ExitGate, Tee } from '../../actions/backup/src/streams/stream-tap.ts';

/** The backup action's small pure parts, each against a table. */

const MIB = 1024 * 1024;

describe('partSizeFor', () => {
  it.each([
    [0, 5 * MIB],
    [1024 ** 3, 5 * MIB],
    [30 * 1024 ** 3, 7 * MIB],
    [500 * 1024 ** 3, 103 * MIB],
    [100 * 1024 ** 4, 5 * 1024 * MIB],
  ])('a database of %i bytes gets parts of %i bytes', (size, part) => {
    expect(partSizeFor(size)).toBe(part);
    if (part < 5 * 1024 * MIB) expect(part * 10_000).toBeGreaterThanOrEqual(2 * size);
  });
});

describe('parseCompression', () => {
  it.each([
    ['0', 0],
    ['9', 0],
    ['gzip', 16],
    ['gzip:9', 16],
    ['lz4', 16],
    ['lz4:12', 16],
    ['zstd', 16],
    ['zstd:22', 16],
    ['none', 16],
  ])('%s is accepted from pg_dump %i', (text, since) => {
    expect(parseCompression(text)).toEqual({ text, sinceMajor: since });
  });

  it.each(['10', '-1', 'gzip:0', 'gzip:10', 'lz4:13', 'zstd:0', 'brotli', 'zstd:', 'GZIP'])(
    'refuses %s',
    (text) => {
      expect(parseCompression(text)).toBeUndefined();
    },
  );
});

describe('parseToolVersion', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n', 15],
    ['pg_restore (PostgreSQL) 17.2', 17],
    ['pg_dump (PostgreSQL) 18beta1', 18],
    ['pg_dump (PostgreSQL) 9.6.24', 9.6],
  ])('%j is major %d', (output, major) => {
    expect(parseToolVersion(output)?.major).toBe(major);
  });

  it('refuses text that is no version', () => {
    expect(parseToolVersion('bash: pg_dump: command not found')).toBeUndefined();
  });
});

describe('parseManifest', () => {
  const valid = {
    format: 'gantry-backup/1',
    database: 'app',
    key: 'backups/app/20261206T210509Z-0a1b2c3d.dump',
    size: 10,
    sha256: 'a'.repeat(64),
    started_at: '2026-12-06T21:05:09.123Z',
    finished_at: '2026-12-06T21:06:09.123Z',
    server_version: '15.18',
    pg_dump_version: 'pg_dump (PostgreSQL) 15.18',
    encryption: null,
    verified: 'list',
  };

  it('reads a manifest', () => {
    expect(parseManifest(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    [
      'another format',
      JSON.stringify({ ...valid, format: 'gantry-backup/2' }),
      'format is "gantry-backup/2", not gantry-backup/1',
    ],
    ['no size', JSON.stringify({ ...valid, size: '10' }), 'size is missing'],
    ['a short digest', JSON.stringify({ ...valid, sha256: 'abc' }), 'sha256 is not 64 hex digits'],
    ['no verification', JSON.stringify({ ...valid, verified: true }), 'verified is missing'],
    ['a bad time', JSON.stringify({ ...valid, started_at: 'yesterday' }), 'started_at is not a time'],
  ])('refuses %s', (_label, text, reason) => {
    expect(parseManifest(text)).toBe(reason);
  });
});

describe('countEntries', () => {
  it("counts pg_restore --list's entries and its TABLE DATA ones", () => {
    const listing = [
      ';',
      '; Archive created at 2026-12-06 21:05:09 UTC',
      '214; 1259 16384 TABLE public t postgres',
      '3338; 0 16384 TABLE DATA public t postgres',
      '3339; 0 16390 TABLE DATA shop orders postgres',
      '3200; 2606 16400 CONSTRAINT shop orders orders_pkey postgres',
    ].join('\n');
    expect(countEntries(listing)).toEqual({ entries: 4, tables: 2 });
  });
});

describe('compareRowCounts', () => {
  const source = new Map([
    ['shop.orders', 900],
    ['public.audit', 50],
    ['shop.skipped', 3],
  ]);

  it('compares what was restored, with excluded table data restored empty', () => {
    const restored = new Map([
      ['shop.orders', 900],
      ['public.audit', 0],
    ]);
    expect(compareRowCounts(source, restored, ['public.audit'])).toEqual([
      { table: 'shop.orders', rows: 900 },
      { table: 'public.audit', rows: 0 },
    ]);
  });

  it('names every table whose rows differ', () => {
    const restored = new Map([
      ['shop.orders', 899],
      ['public.audit', 0],
    ]);
    expect(() => compareRowCounts(source, restored, [])).toThrow(
      'shop.orders: 900 in the source, 899 restored; public.audit: 50 in the source, 0 restored',
    );
  });
});

describe('stream taps', () => {
  const sink = (): Writable & { bytes: number } => {
    const writable = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writable.bytes += chunk.length;
        callback();
      },
    }) as Writable & { bytes: number };
    writable.bytes = 0;
    return writable;
  };

  it('Digest hashes and counts what flows', async () => {
    const digest = new Digest();
    await pipeline(Readable.from([Buffer.from('hello '), Buffer.from('world')]), digest, sink());
    expect(digest.sizeBytes).toBe(11);
    expect(digest.sha256()).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
  });

  it('ExitGate ends only after the program succeeded, and errors when it failed', async () => {
    await expect(
      pipeline(Readable.from([Buffer.from('x')]), new ExitGate(Promise.resolve()), sink()),
    ).resolves.toBeUndefined();
    const failed = Promise.reject(new Error('pg_dump exited with code 1'));
    await expect(pipeline(Readable.from([Buffer.from('x')]), new ExitGate(failed), sink())).rejects.toThrow(
      'pg_dump exited with code 1',
    );
  });

  it('Tee copies the flow, and the flow goes on when the copy stops reading', async () => {
    const copy = sink();
    const out = sink();
    await pipeline(Readable.from([Buffer.alloc(10), Buffer.alloc(20)]), new Tee(copy), out);
    expect([copy.bytes, out.bytes]).toEqual([30, 30]);

    const closed = sink();
    closed.destroy();
    const rest = sink();
    await pipeline(Readable.from([Buffer.alloc(10), Buffer.alloc(20)]), new Tee(closed), rest);
    expect(rest.bytes).toBe(30);
  });
});
