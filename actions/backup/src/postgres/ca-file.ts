import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** libpq reads a CA from a file only: ca-certificate is written to a private temp file for the step. */
export async function withCaFile<T>(
  ca: string | undefined,
  fn: (caFile: string | undefined) => Promise<T>,
): Promise<T> {
  if (ca === undefined) return fn(undefined);
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'gantry-backup-ca-'));
  try {
    const file = join(dir, 'root.crt');
    await writeFile(file, ca, { mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
