/** Small statistics for benchmarks that compare medians of alternating runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function formatRatio(name: string, ratio: number, target: number | undefined, detail: string): string {
  if (target === undefined) return `${name}: ${ratio.toFixed(2)}x — ${detail}`;
  const verdict = ratio <= target ? 'meets' : 'MISSES';
  return `${name}: ${ratio.toFixed(2)}x (target <= ${target}x, ${verdict}) — ${detail}`;
}
