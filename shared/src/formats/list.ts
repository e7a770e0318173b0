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

export interface CsvOptions {
  /** csv-parse's `relax_quotes`: a quote inside an unquoted field, or after a closing quote, is text. */
  relaxQuotes?: boolean;
  /** A comment character, as csv-parse's `comment`: the rest of the line is dropped. */
  comment?: string;
  /** csv-parse's `comment_no_infix`: the comment character counts only at the start of a record. */
  commentNoInfix?: boolean;
}

/** Text that csv-parse would refuse; `reason` says why, in csv-parse's terms. */
export class CsvError extends Error {}

/**
 * Records of comma-separated fields exactly as the `csv-parse` library reads them with
 * `relax_column_count` and `skip_empty_lines`, the options docker/metadata-action and Docker's
 * actions toolkit use, so that a rule copied from their READMEs means the same here. A field that
 * starts with `"` is quoted: commas and line breaks inside are text, `""` is one quote, and it ends
 * at a quote followed by a comma, a line break, the comment character or the end. Lines end at the
 * first kind of line break met (`\n`, `\r\n` or `\r`), as csv-parse discovers it; empty lines are
 * skipped; fields are not trimmed.
 */
export function parseCsv(text: string, options: CsvOptions = {}): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoting = false;
  let wasQuoting = false;
  let commenting = false;
  let lineBreak: string | undefined;
  const breakAt = (pos: number): number => {
    if (lineBreak !== undefined) return text.startsWith(lineBreak, pos) ? lineBreak.length : 0;
    if (text.startsWith('\r\n', pos)) return 2;
    return text[pos] === '\n' || text[pos] === '\r' ? 1 : 0;
  };
  const endField = (): void => {
    record.push(field);
    field = '';
    wasQuoting = false;
  };
  const isEmptyLine = (): boolean => !wasQuoting && record.length === 0 && field.length === 0;
  for (let pos = 0; pos < text.length; pos++) {
    if (!quoting && lineBreak === undefined && breakAt(pos) > 0) {
      lineBreak = text.startsWith('\r\n', pos) ? '\r\n' : (text[pos] as string);
    }
    const char = text[pos] as string;
    if (!commenting && char === '"') {
      if (quoting) {
        const next = text[pos + 1];
        if (next === '"') {
          field += '"';
          pos++;
          continue;
        }
        quoting = false;
        wasQuoting = true;
        if (next === undefined || next === ',' || next === options.comment || breakAt(pos + 1) > 0) continue;
        if (!options.relaxQuotes) {
          throw new CsvError(`the quoted field "${field}" is followed by "${next}" instead of a comma`);
        }
        // relax_quotes: the quotes were text after all.
        field = `"${field}"`;
        continue;
      }
      if (field.length === 0) {
        quoting = true;
        continue;
      }
      if (!options.relaxQuotes) {
        throw new CsvError(`a quote inside the field "${field}"… is not allowed; quote the whole field`);
      }
    }
    if (!quoting) {
      const breakLength = breakAt(pos);
      if (breakLength > 0) {
        // A comment line and an empty line make no record.
        if (!isEmptyLine()) {
          endField();
          records.push(record);
          record = [];
        }
        commenting = false;
        pos += breakLength - 1;
        continue;
      }
      if (commenting) continue;
      const atRecordStart = record.length === 0 && field.length === 0;
      if (char === options.comment && (!options.commentNoInfix || atRecordStart)) {
        commenting = true;
        continue;
      }
      if (char === ',') {
        endField();
        continue;
      }
    }
    field += char;
  }
  if (quoting) throw new CsvError(`the quote that opens "${field.split(/\r?\n/)[0]}" is never closed`);
  if (!isEmptyLine()) {
    endField();
    records.push(record);
  }
  return records;
}
