/**
 * Durations as users write them in workflow YAML: `90s`, `5m`, `1h30m`, `250ms`, or a bare number of
 * seconds (`30`), which is what most actions' `timeout` inputs take.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  let total = 0;
  let position = 0;
  PART.lastIndex = 0;
  while (position < value.length) {
    PART.lastIndex = position;
    const match = PART.exec(value);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    position = PART.lastIndex;
  }
  return Math.round(total);
}

/** The inverse, for messages: 90500 -> "1m30.5s", 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  const hours = Math.floor(tenths / 36_000);
  const minutes = Math.floor((tenths % 36_000) / 600);
  const seconds = (tenths % 600) / 10;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
