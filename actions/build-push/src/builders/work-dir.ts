import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private directory (mode 0700, as mkdtemp makes it) for one build's files — the image ID, the
 * builder's metadata, secrets written for the builder — under the runner's temp directory, which the
 * runner empties after the job; removed as soon as the build ends, however it ends.
 */
export async function withWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(runnerTemp(), 'gantry-build-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function runnerTemp(): string {
  return process.env.RUNNER_TEMP || tmpdir();
}
