import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { parseDuration } from '../shared/src/formats/duration.ts';
import { serverBinDir, startPostgres } from '../test/support/postgres.ts';
import { startS3 } from '../test/support/s3.ts';
import { formatRatio, median } from './support/stats.ts';

/**
 * backup throughput and memory. A pgbench database (scale BACKUP_BENCH_SCALE, default 10: about
 * 150 MB; the 1 GiB is scale 70, which takes long to make on a small machine) is backed up
 * by the committed bundle to a local S3 (s3rver), against `pg_dump --format=custom > /dev/null` on
 * the same database in the same run, alternating, medians compared (BACKUP_BENCH_COMPRESSION=0 on
 * both sides makes the dump as large as the data, so that hashing and the upload carry real load). The action's time is split as
 * it logs it: dump and upload (compared with pg_dump) and verification (read back, pg_restore
 * --list; reported on its own). Peak RSS (GNU time's %M: the largest of the process and the
 * children it waited for) is measured at the scale and at a quarter of it.
 */
const SCALE = Number(process.env.BACKUP_BENCH_SCALE ?? 10);
const ROUNDS = Number(process.env.BACKUP_BENCH_ROUNDS ?? 3);
/** pg_dump --compress for both sides; 0 makes the dump as large as the data, to load the upload path. */
const COMPRESSION = process.env.BACKUP_BENCH_COMPRESSION;
const TARGET = 1.15;
const RSS_TARGET_MB = 200;
const BUNDLE = join(import.meta.dirname, '..', 'dist', 'backup', 'index.js');
const BIN = serverBinDir();

interface Measured {
  seconds: number;
  maxRssKb: number;
  output: string;
}

const server = await startPostgres();
const s3 = await startS3();
try {
  await s3.createBucket('bench-backups');
  const quarter = Math.max(1, Math.round(SCALE / 4));
  console.log(`Making pgbench databases at scale ${SCALE} and ${quarter}...`);
  const full = await server.createDatabase('bench_full');
  const small = await server.createDatabase('bench_quarter');
  await measure(join(BIN, 'pgbench'), ['--initialize', '--quiet', `--scale=${SCALE}`, full]);
  await measure(join(BIN, 'pgbench'), ['--initialize', '--quiet', `--scale=${quarter}`, small]);

  await plainDump(full);
  await backup(full);
  const dumpTimes: number[] = [];
  const uploadTimes: number[] = [];
  const verifyTimes: number[] = [];
  const stepTimes: number[] = [];
  const rss: number[] = [];
  let size = 0;
  for (let round = 0; round < ROUNDS; round++) {
    dumpTimes.push((await plainDump(full)).seconds);
    const run = await backup(full);
    stepTimes.push(run.seconds);
    uploadTimes.push(phase(run.output, /Uploaded (\d+) bytes in (\S+),/, 2));
    verifyTimes.push(phase(run.output, /Verified in (\S+)\./, 1));
    size = Number(/Uploaded (\d+) bytes/.exec(run.output)?.[1] ?? 0);
    rss.push(run.maxRssKb);
  }
  const smallRss = (await backup(small)).maxRssKb;
  const storeSeconds = await uploadAlone(size);
  const ratio = median(uploadTimes) / median(dumpTimes);
  console.log(
    formatRatio(
      'backup dump and upload vs pg_dump > /dev/null',
      ratio,
      TARGET,
      `scale ${SCALE}, compression ${COMPRESSION ?? "pg_dump's default"}, dump of ${(size / 1024 / 1024).toFixed(0)} MiB: median ${median(uploadTimes).toFixed(2)} s vs ${median(dumpTimes).toFixed(2)} s over ${ROUNDS} rounds`,
    ),
  );
  console.log(
    formatRatio(
      'backup whole step (with verification) vs pg_dump > /dev/null',
      median(stepTimes) / median(dumpTimes),
      undefined,
      `verification (read back, SHA-256, pg_restore --list) median ${median(verifyTimes).toFixed(2)} s; step ${median(stepTimes).toFixed(2)} s including node start`,
    ),
  );
  console.log(
    formatRatio(
      'backup dump and upload vs the slower of pg_dump and the store alone',
      median(uploadTimes) / Math.max(median(dumpTimes), storeSeconds),
      undefined,
      `the same ${(size / 1024 / 1024).toFixed(0)} MiB uploaded from memory by lib-storage to this s3rver takes ${storeSeconds.toFixed(2)} s: the floor the local store sets`,
    ),
  );
  const peakMb = Math.max(...rss) / 1024;
  const smallMb = smallRss / 1024;
  console.log(
    `backup peak RSS: ${peakMb.toFixed(0)} MB at scale ${SCALE}, ${smallMb.toFixed(0)} MB at scale ${quarter} ` +
      `(target <= ${RSS_TARGET_MB} MB and flat: ${peakMb <= RSS_TARGET_MB && peakMb <= smallMb * 1.25 + 16 ? 'meets' : 'MISSES'})`,
  );
} finally {
  await s3.close();
  await server.close();
}

/** lib-storage uploading `bytes` of random data from memory, as the action's parts: the store's own speed. */
async function uploadAlone(bytes: number): Promise<number> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const chunk = randomBytes(1024 * 1024);
  const body = Readable.from(
    (function* () {
      for (let sent = 0; sent < bytes; sent += chunk.length)
        yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
    })(),
  );
  const started = performance.now();
  await new Upload({
    client,
    params: { Bucket: 'bench-backups', Key: 'store-alone', Body: body },
    partSize: 5 * 1024 * 1024,
    queueSize: 4,
  }).done();
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return seconds;
}

function phase(output: string, pattern: RegExp, group: number): number {
  const text = pattern.exec(output)?.[group];
  const ms = text === undefined ? undefined : parseDuration(text);
  if (ms === undefined) throw new Error(`the action did not log ${pattern}:\n${output.slice(-2000)}`);
  return ms / 1000;
}

function plainDump(url: string): Promise<Measured> {
  const compress = COMPRESSION === undefined ? [] : [`--compress=${COMPRESSION}`];
  return measure(join(BIN, 'pg_dump'), ['--format=custom', ...compress, `--dbname=${url}`], {
    stdoutToNull: true,
  });
}

function backup(url: string): Promise<Measured> {
  return measure(process.execPath, [BUNDLE], {
    env: {
      ...s3.env,
      'INPUT_DATABASE-URL': url,
      INPUT_BUCKET: 'bench-backups',
      'INPUT_S3-ENDPOINT': s3.endpoint,
      INPUT_COMMAND: 'backup',
      INPUT_VERIFY: 'list',
      INPUT_TIMEOUT: '1h',
      'INPUT_CONNECT-TIMEOUT': '30s',
      INPUT_PREFIX: 'bench',
      ...(COMPRESSION === undefined ? {} : { INPUT_COMPRESSION: COMPRESSION }),
    },
  });
}

function measure(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; stdoutToNull?: boolean } = {},
): Promise<Measured> {
  const devNull = options.stdoutToNull ? openSync('/dev/null', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'gantry-bench %e %M', command, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (devNull !== undefined) closeSync(devNull);
      const match = /gantry-bench ([\d.]+) (\d+)/.exec(output);
      if (code !== 0 || !match)
        return reject(new Error(`${command} exited with ${code}:\n${output.slice(-3000)}`));
      resolve({ seconds: Number(match[1]), maxRssKb: Number(match[2]), output });
    });
  });
}
