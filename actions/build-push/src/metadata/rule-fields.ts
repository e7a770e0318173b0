import { CsvError, parseCsv } from '../../../../shared/src/formats/list.ts';
import type { Parsed } from '../image-name.ts';

/**
 * The `tags`, `flavor` and `images` inputs read in metadata-action's two passes, both with the
 * csv-parse library (see parseCsv):
 *
 * 1. The input (Docker's `Util.getInputList` with `ignoreComma`, `#` comments at the start of a line):
 *    each record is one line, its fields joined again with commas. A whole line in quotes is one field,
 *    so `"type=match,""pattern=\d{1,2}"""` is the rule `type=match,"pattern=\d{1,2}"`.
 * 2. Each line (strict quotes): its first record's fields, each split at its first `=` into a
 *    case-insensitive key and a value, both trimmed.
 *
 * An indented `# comment` is no comment for csv-parse (metadata-action tags it as a raw value): refused.
 * metadata-action drops the quotes of a field in pass 1 and splits it at its commas in pass 2, so
 * `type=match,"pattern=\d{1,2}"` silently becomes the pattern `\d{1` and the value `2}`: refused here,
 * with the spelling that works.
 */

export interface RuleField {
  /** Lower-cased; undefined for a bare value such as `latest` in `type=raw,latest`. */
  key: string | undefined;
  value: string;
}

const COMMENTED_LIST = { relaxQuotes: true, comment: '#', commentNoInfix: true };

/** Pass 1: the lines of an input, or why metadata-action would read them otherwise. */
export function readRuleLines(text: string): Parsed<string[]> {
  let records: string[][];
  try {
    records = parseCsv(text, COMMENTED_LIST);
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, reason: error.message };
    throw error;
  }
  const lines: string[] = [];
  for (const record of records) {
    const lost = record.length > 1 ? record.find((field) => field.includes(',')) : undefined;
    if (lost !== undefined) {
      return {
        ok: false,
        reason:
          `the quoted field "${lost}" holds a comma, and metadata-action loses the quotes of a field ` +
          `inside a line, so it would split there; quote the whole line instead: ${quoteLine(record)}`,
      };
    }
    const line = record.join(',').trim();
    if (line.startsWith('#')) {
      // metadata-action would read it as a raw tag (`# old` -> tag `-old`).
      return {
        ok: false,
        reason: `"${line}" is indented, and only a # at the very start of a line starts a comment for metadata-action; remove the spaces before it`,
      };
    }
    if (line !== '') lines.push(line);
  }
  return { ok: true, value: lines };
}

/** Pass 2: the fields of one line. */
export function splitRuleFields(line: string): Parsed<RuleField[]> {
  let records: string[][];
  try {
    records = parseCsv(line);
  } catch (error) {
    if (error instanceof CsvError) {
      return {
        ok: false,
        reason: `${error.message} (to keep a comma in a value, write the whole line as one quoted field, as in "type=raw,""value=a,b""")`,
      };
    }
    throw error;
  }
  const fields = (records[0] ?? []).map((field): RuleField => {
    const equals = field.indexOf('=');
    if (equals < 0) return { key: undefined, value: field.trim() };
    return { key: field.slice(0, equals).trim().toLowerCase(), value: field.slice(equals + 1).trim() };
  });
  return { ok: true, value: fields };
}

/** `a,b,c` with the field holding commas quoted, all as one quoted CSV field. */
function quoteLine(record: string[]): string {
  const inner = record.map((field) => (field.includes(',') ? csvQuote(field) : field)).join(',');
  return csvQuote(inner);
}

function csvQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
