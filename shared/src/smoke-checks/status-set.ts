/**
 * Expected HTTP statuses as users write them: `200`, `200-299`, `200, 204, 301-302`, or a YAML list
 * of those. Parsed once into ranges so every sample is a cheap lookup.
 */
export interface StatusSet {
  ranges: [number, number][];
  text: string;
}

export function parseStatusSet(value: unknown): StatusSet | undefined {
  const tokens = statusTokens(value);
  if (!tokens || tokens.length === 0) return undefined;
  const ranges: [number, number][] = [];
  for (const token of tokens) {
    const match = /^([1-5]\d\d)(?:\s*-\s*([1-5]\d\d))?$/.exec(token);
    if (!match) return undefined;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (high < low) return undefined;
    ranges.push([low, high]);
  }
  return {
    ranges,
    text: ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(', '),
  };
}

export function statusMatches(set: StatusSet, status: number): boolean {
  return set.ranges.some(([low, high]) => status >= low && status <= high);
}

export const STATUS_SET_ACCEPTED =
  'expected HTTP statuses from 100 to 599 like 200, 200-299 or "200, 301-302"';

function statusTokens(value: unknown): string[] | undefined {
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string')
    return value
      .replace(/\s*-\s*/g, '-')
      .split(/[\s,]+/)
      .filter(Boolean);
  if (Array.isArray(value)) {
    const tokens: string[] = [];
    for (const item of value) {
      const inner = statusTokens(item);
      if (!inner || Array.isArray(item)) return undefined;
      tokens.push(...inner);
    }
    return tokens;
  }
  return undefined;
}
