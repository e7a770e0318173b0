/**
 * Lists and maps as the anchors accept them: newline- or comma-separated, surrounding whitespace
 * trimmed, empty items and `#` comment lines dropped, double- or single-quoted items kept whole (so
 * `"a,b"` is one item), like docker/build-push-action's `Util.getInputList`.
 */
export function parseList(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().startsWith('#')) continue;
    for (const item of splitOutsideQuotes(line, ',')) {
      const trimmed = unquote(item.trim());
      if (trimmed !== '') items.push(trimmed);
    }
  }
  return items;
}

/** Non-empty lines, trimmed, without `#` comment lines and without the quotes around a whole line. */
function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .map((line) => unquote(line.trim()))
    .filter((line) => line !== '');
}

export class MapEntryError extends Error {
  readonly entry: string;
  constructor(entry: string, reason: string) {
    super(reason);
    this.entry = entry;
  }
}

/**
 * `key=value` items (split at the first `=`, so values may contain `=`); a duplicate key is an error.
 * `perLine`: one item per line and never split at commas, as docker/build-push-action reads
 * build-args, labels and secrets, whose values may hold commas (`LIST=a,b`).
 */
export function parseKeyValueMap(text: string, options: { perLine?: boolean } = {}): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of options.perLine ? parseLines(text) : parseList(text)) {
    const equals = entry.indexOf('=');
    if (equals < 0) throw new MapEntryError(entry, 'expected key=value');
    const key = entry.slice(0, equals).trim();
    if (key === '') throw new MapEntryError(entry, 'the key is empty');
    if (Object.hasOwn(map, key)) throw new MapEntryError(entry, `the key "${key}" is given twice`);
    // defineProperty, not assignment: `map['__proto__'] = v` would be silently dropped.
    Object.defineProperty(map, key, {
      value: unquote(entry.slice(equals + 1).trim()),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return map;
}

function splitOutsideQuotes(line: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
    } else if ((char === '"' || char === "'") && opensValue(current)) {
      quote = char;
      current += char;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Only a quote at the start of an item or of its value (`key="a,b"`) quotes; one inside a word is
 * text: `X-Name=O'Brien, Authorization=...` is two items, not one that swallows the line.
 */
function opensValue(before: string): boolean {
  const text = before.trim();
  return text === '' || text.endsWith('=');
}

function unquote(item: string): string {
  const first = item[0];
  if (item.length >= 2 && (first === '"' || first === "'") && item.endsWith(first)) return item.slice(1, -1);
  return item;
}
