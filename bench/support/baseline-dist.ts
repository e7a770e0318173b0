import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Unpacks the committed dist/ of a git ref (a branch, tag or commit) into `into`, so a bench can run
 * the bundles of that ref against the current dist/ in the same script. Returns `into`/dist.
 */
export function unpackBaselineDist(repoRoot: string, ref: string, into: string): string {
  const archive = spawnSync('git', ['archive', ref, 'dist'], { cwd: repoRoot, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref} dist failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', into], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`unpacking ${ref}'s dist failed: ${untar.stderr}`);
  return join(into, 'dist');
}
